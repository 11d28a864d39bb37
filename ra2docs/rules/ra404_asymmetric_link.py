"""Upstream cites a link in one direction only (reported by ``ra2docs import``).

RA2 writes each trace twice: chapter 2's "Specification Reference" column
(requirement -> specification) and chapter 4's "Requirement Trace" column
(specification -> requirement). The importer keeps the link once, on the
specification, and reports every pair that only one side names, so that the
upstream tables can be corrected. A catalogue cannot have this problem: its
reverse links are derived.

FAIL (upstream)::

    chapter02: | e.cap.004 | ... | ra2.ntw.003 |
    chapter04: | ra2.ntw.003 | ... | (no e.cap.004 in the trace) |

PASS: both tables name the pair, or the catalogue holds ``traces: [e.cap.004]``
on ``ra2.ntw.003``.
"""

from __future__ import annotations

from ra2docs.findings import Finding, Severity

CODE = "RA404"
NAME = "asymmetric-upstream-link"
SEVERITY: Severity = "warning"
SUMMARY = "Upstream chapters cite a requirement-specification link in one direction only (import report)."


def asymmetric(requirement: str, specification: str, trace_at: str) -> Finding:
    """Chapter 2 cites the pair; the specification's Requirement Trace (at ``trace_at``) does not."""
    return Finding(
        CODE,
        f"asymmetric upstream link: {requirement} cites {specification}, but the Requirement Trace of "
        f"{specification} ({trace_at}) does not name it; added to its traces",
        severity=SEVERITY,
    )


def asymmetric_trace(specification: str, requirement: str, reference_at: str) -> Finding:
    """The Requirement Trace names the pair; the Specification Reference (at ``reference_at``) does not."""
    return Finding(
        CODE,
        f"asymmetric upstream link: the Requirement Trace of {specification} names {requirement}, but the "
        f"Specification Reference of {requirement} ({reference_at}) does not name {specification}",
        severity=SEVERITY,
    )
