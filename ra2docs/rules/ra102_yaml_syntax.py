"""A file is not valid YAML.

Reported with the line and column where the parser stopped. Tabs used for
indentation are the most common cause. The file is skipped (exit code 2).

FAIL::

    items:
      - id: req.inf.ntw.01
        title: Network resiliency   # a tab

PASS::

    items:
      - id: req.inf.ntw.01
        title: Network resiliency
"""

from __future__ import annotations

from ra2docs.findings import Finding

CODE = "RA102"
NAME = "yaml-syntax"
SEVERITY = "error"
SUMMARY = "A catalogue file is not valid YAML (or holds more than one document)."


def syntax_error(problem: str, tabs: bool = False, located: bool = True) -> Finding:
    """``located``: the parser said where it stopped (else there is no line to look at)."""
    if not located:
        return Finding(CODE, f"YAML syntax error: {problem}")
    hint = (
        "YAML does not allow tabs for indentation; use spaces"
        if tabs
        else "check the indentation and quoting on this line and the one before it"
    )
    return Finding(CODE, f"YAML syntax error: {problem}", suggestion=hint)


def several_documents() -> Finding:
    return Finding(
        CODE,
        "file holds more than one YAML document ('---' separator)",
        suggestion="keep one document per catalogue file",
    )
