"""A YAML file in the catalogue folder that holds no catalogue content.

An empty file is a warning; a file whose top level is a list or a single
value instead of a mapping (``items:``, ``profiles:``, ``sources:``,
``comparisons:``) is an error. So is a file with more than 10,000 problems:
its first 10,000 are reported, and the rest of it is not checked (exit code 2);
past 100,000 problems in all, the files left are not read.

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


def too_many_findings(limit: int) -> Finding:
    return Finding(
        CODE,
        f"more than {limit:,} problems in this file; the rest of it was not checked",
        suggestion="is this a catalogue file? Fix the problems above and check again",
    )


def too_many_findings_in_catalogue(limit: int, files_left: int) -> Finding:
    after = f" and the {files_left:,} after it" if files_left else ""
    return Finding(
        CODE,
        f"more than {limit:,} problems found while reading the catalogue; this file{after} were not read",
        suggestion="is this the catalogue folder? Fix the problems above and check again",
    )
