"""An item (or a table row being imported) has no ID.

Such an entry cannot be linked to or traced. Upstream RA2 chapter 2 has
security rows without an ID.

FAIL::

    - kind: rm-requirement
      title: Secure access to the GUI

PASS::

    - id: req.sec.sys.016
      kind: rm-requirement
      title: Secure access to the GUI
"""

from __future__ import annotations

from ra2docs.findings import Finding

CODE = "RA302"
NAME = "missing-id"
SEVERITY = "error"
SUMMARY = "An item or table row has no ID."


def missing_id() -> Finding:
    return Finding(CODE, "entry has no 'id'", suggestion="give the entry its ID as the spec writes it")


def row_without_id() -> Finding:
    """``ra2docs import``: a table row with content but no ID, imported without one."""
    return Finding(CODE, f"row without an ID: imported without 'id' (check reports it as {CODE})")
