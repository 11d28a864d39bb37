"""A required key is missing (an item's ``kind``, a comparison's ``rows``...).

FAIL::

    - id: req.inf.ntw.03
      title: Centrally administrated and configured

PASS::

    - id: req.inf.ntw.03
      kind: ra-requirement
      title: Centrally administrated and configured
"""

CODE = "RA203"
NAME = "missing-key"
SEVERITY = "error"
SUMMARY = "A key the schema requires is missing."
