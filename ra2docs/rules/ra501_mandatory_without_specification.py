"""A mandatory requirement that no specification satisfies.

Mandatory: priority MUST / MUST NOT, or a profile value starting with "Must",
"Required", "At least" or a figure. Chapter 2 prints "**N/A**" in its
Specification Reference column for these; the gap report lists them.

FAIL::

    - {id: e.cap.004, kind: rm-capability, values: {basic: '6'}}     # nothing traces to it

PASS::

    - {id: ra2.ntw.003, kind: specification, traces: [e.cap.004]}
"""

from __future__ import annotations

from collections.abc import Iterator

from ra2docs.context import CheckContext
from ra2docs.findings import Finding

CODE = "RA501"
NAME = "mandatory-without-specification"
SEVERITY = "info"
SUMMARY = "A mandatory requirement has no specification tracing to it."


def check(ctx: CheckContext) -> Iterator[Finding]:
    items = ctx.catalogue.items
    for item_id in ctx.gaps.mandatory_without_specification:
        item = items[item_id]
        yield Finding.at_item(
            CODE,
            "mandatory, but no specification traces to it",
            item,
            suggestion="add its ID to the 'traces' of the specification that satisfies it",
        )
