"""An unquoted YAML value that would not mean what it says.

YAML 1.1 silently converts some unquoted values: ``1:1`` becomes the number
61, ``No`` becomes the boolean false, ``0x10`` becomes 16. The reader keeps
such a value as the text written and reports it here, so that the file says
what it means. A plain value YAML cannot build at all is reported here too.

What the reader refuses for safety (tags, anchors and aliases, over-deep
nesting, values past the limits on work) is RA108's, which cannot be
switched off: lowering this rule's severity leaves those refused.

FAIL::

    values:
      basic: 1:1
      network-intensive: No

PASS::

    values:
      basic: '1:1'
      network-intensive: 'No'
"""

from __future__ import annotations

from typing import Any

from ra2docs.findings import Finding

CODE = "RA104"
NAME = "yaml-value"
SEVERITY = "error"
SUMMARY = "An unquoted value YAML would read as something else (a boolean, a number) or cannot read."


def unreadable_value(reason: object) -> Finding:
    return Finding(CODE, f"value cannot be read: {reason}", suggestion="quote the value to make it a string")


def read_as_boolean(text: str, value: bool) -> Finding:
    return Finding(
        CODE,
        f"{text!r} is read by YAML as the boolean {str(value).lower()}",
        suggestion=f"quote it if you mean the text: '{text}'",
    )


def read_as_number(text: str, value: Any) -> Finding:
    return Finding(
        CODE,
        f"{text!r} is read by YAML as the number {value!r}",
        suggestion=f"quote it to keep it as written: '{text}'",
    )
