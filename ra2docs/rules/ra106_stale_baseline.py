"""A baseline entry that matches no finding any more.

The baseline (``ra2docs-baseline.json`` beside the catalogue, written by
``ra2docs adopt`` or ``ra2docs check --update-baseline``) lists findings that
are known and never fail a run. Once a known defect is fixed, its entry
matches nothing: shrink the baseline, so that the defect cannot come back
unnoticed.

FAIL (the dangling link of ra2.ch.019 was fixed, its entry is still there)::

    {"findings": [{"fingerprint": "5d0c…", "rule": "RA401", "item": "ra2.ch.019", ...}]}

PASS::

    ra2docs check --update-baseline   # rewrites the file with the findings that are left
"""

from __future__ import annotations

from ra2docs.findings import Finding

CODE = "RA106"
NAME = "stale-baseline"
SEVERITY = "info"
SUMMARY = "A baseline entry matches no finding: the defect it held was fixed."


def unused(count: int) -> Finding:
    """``count`` baseline entries matched nothing (the caller places it on the baseline file)."""
    return Finding(
        CODE,
        f"{count} baseline entr{'y' if count == 1 else 'ies'} match no finding: the defects they held were fixed",
        suggestion="run 'ra2docs check --update-baseline' to shrink the baseline",
    )
