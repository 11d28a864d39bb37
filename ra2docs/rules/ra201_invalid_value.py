"""A value does not match the catalogue schema.

Wrong type (a number where text is expected, a single ID where a list is
expected), a value outside its allowed set (priority, status, kind), or an
empty value. The message names the expected form and, for sets, the closest
allowed value.

FAIL::

    - id: req.inf.ntw.03
      kind: ra-requirement
      priority: SHOLD
      section: 2.3

PASS::

    - id: req.inf.ntw.03
      kind: ra-requirement
      priority: SHOULD
      section: '2.3'
"""

CODE = "RA201"
NAME = "invalid-value"
SEVERITY = "error"
SUMMARY = "A value has the wrong type, is empty, or is not one of the allowed values."
