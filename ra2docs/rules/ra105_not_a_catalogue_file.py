"""A YAML file in the catalogue folder that holds no catalogue content.

An empty file is a warning; a file whose top level is a list or a single
value instead of a mapping (``items:``, ``profiles:``, ``sources:``,
``comparisons:``) is an error.

FAIL::

    - id: req.inf.ntw.01

PASS::

    items:
      - id: req.inf.ntw.01
        kind: ra-requirement
"""

from __future__ import annotations

from typing import Any

from ra2docs.findings import Finding
from ra2docs.rules import describe

CODE = "RA105"
NAME = "not-a-catalogue-file"
SEVERITY = "error"
SUMMARY = "A file is empty or its top level is not a mapping of catalogue sections."


def empty_file() -> Finding:
    return Finding(CODE, "file is empty", suggestion="add items, or delete the file", severity="warning")


def not_a_mapping(data: Any) -> Finding:
    return Finding(
        CODE,
        f"file holds {describe(data)}, not a mapping with 'items:', 'profiles:', 'sections:', ...",
        suggestion="start the file with 'items:' followed by a list of items",
    )
