"""A specification that traces to no requirement.

Every specification should say which requirements it satisfies; one that
traces to nothing cannot be justified or checked. Placeholders are exempt.

FAIL::

    - {id: ra2.ntw.005, kind: specification, title: SR-IOV}

PASS::

    - {id: ra2.ntw.005, kind: specification, title: SR-IOV, traces: [e.cap.013]}
"""

from __future__ import annotations

from collections.abc import Iterator

from ra2docs.context import CheckContext
from ra2docs.findings import Finding

CODE = "RA502"
NAME = "specification-traces-nothing"
SEVERITY = "warning"
SUMMARY = "A specification traces to no requirement."


def check(ctx: CheckContext) -> Iterator[Finding]:
    items = ctx.catalogue.items
    for item_id in ctx.gaps.specification_tracing_nothing:
        item = items[item_id]
        yield Finding.at_item(
            CODE,
            "traces to no requirement",
            item,
            suggestion="add 'traces:' with the requirements it satisfies",
        )
