"""A mapping has the same key twice.

YAML readers silently keep the last of two equal keys, so the first value
would be lost without a word. ra2docs reports both lines instead.

FAIL::

    - id: req.inf.ntw.03
      priority: SHOULD
      priority: MUST

PASS::

    - id: req.inf.ntw.03
      priority: SHOULD
"""

from __future__ import annotations

from typing import Any

from ra2docs.findings import Finding

CODE = "RA103"
NAME = "duplicate-key"
SEVERITY = "error"
SUMMARY = "A YAML mapping repeats a key; the first value would be silently lost."


def duplicate_key(key: Any, first_line: int) -> Finding:
    return Finding(
        CODE,
        f"duplicate key {key!r} (first at line {first_line})",
        suggestion="remove one of the two; YAML readers keep only the last, losing the first",
    )
