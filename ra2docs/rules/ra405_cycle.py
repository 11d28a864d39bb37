"""Links that go round in a circle (an item tracing, through others, to itself).

Traces run one way: tests verify specifications, specifications trace to
requirements. A cycle (including an item linking to itself) means a link is
written in the wrong direction. Items whose links knot them together (each
reaches every other) are reported once, by one of their cycles and their
number, however many cycles run through them.

FAIL::

    - {id: ra2.ch.001, kind: specification, traces: [ra2.ch.001]}

PASS::

    - {id: ra2.ch.001, kind: specification, traces: [infra.com.cfg.004]}
"""

from __future__ import annotations

from collections.abc import Iterator

from ra2docs.context import CheckContext
from ra2docs.findings import Finding

CODE = "RA405"
NAME = "cycle"
SEVERITY = "error"
SUMMARY = "Links form a cycle (an item reaches itself through its links)."


def check(ctx: CheckContext) -> Iterator[Finding]:
    cat = ctx.catalogue
    for cycle, size in ctx.graph.knots():
        first = cat.items[cycle[0]]
        path = " -> ".join([*cycle, cycle[0]])
        more = f" ({size} items are linked in a knot of cycles with it)" if size > len(cycle) else ""
        yield Finding(
            CODE,
            f"links form a cycle: {path}{more}",
            first.file,
            first.line,
            item=first.id,
            suggestion="remove the link written in the wrong direction",
        )
