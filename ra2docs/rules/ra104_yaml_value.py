"""A YAML value that would not mean what it says.

Catalogue files hold plain text, numbers, lists and mappings. Refused:
tags such as ``!!python/object``, anchors and aliases (``&a`` / ``*a``, the
stuff of "billion laughs" bombs), nesting deeper than 64 levels, and
unquoted values that YAML 1.1 silently converts: ``1:1`` becomes the number
61, ``No`` becomes the boolean false, ``0x10`` becomes 16.

FAIL::

    values:
      basic: 1:1
      network-intensive: No

PASS::

    values:
      basic: '1:1'
      network-intensive: 'No'
"""

CODE = "RA104"
NAME = "yaml-value"
SEVERITY = "error"
SUMMARY = "A YAML tag, alias, over-deep nesting or an unquoted value YAML would convert."
