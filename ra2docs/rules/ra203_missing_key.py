"""A required key is missing (an item's ``kind``, a comparison's ``rows``...).

FAIL::

    - id: req.inf.ntw.03
      title: Centrally administrated and configured

PASS::

    - id: req.inf.ntw.03
      kind: ra-requirement
      title: Centrally administrated and configured
"""

from __future__ import annotations

from collections.abc import Collection

from ra2docs.findings import Finding

CODE = "RA203"
NAME = "missing-key"
SEVERITY = "error"
SUMMARY = "A key the schema requires is missing."


def missing_key(name: str, choices: Collection[str] = ()) -> Finding:
    hint = f"add '{name}:' with one of: " + ", ".join(choices) if choices else f"add '{name}:'"
    return Finding(CODE, f"required key {name!r} is missing", suggestion=hint)
