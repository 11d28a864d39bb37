"""A mandatory requirement that no test case verifies, directly or through a specification.

FAIL::

    - {id: req.inf.ntw.04, kind: ra-requirement, priority: MUST}     # no test reaches it

PASS::

    - {id: e2e.dual-stack, kind: test-case, verifies: [ra2.k8s.010]}  # ra2.k8s.010 traces to it
"""

from __future__ import annotations

from collections.abc import Iterator

from ra2docs.context import CheckContext
from ra2docs.findings import Finding

CODE = "RA503"
NAME = "not-verified"
SEVERITY = "info"
SUMMARY = "A mandatory requirement is verified by no test case."


def check(ctx: CheckContext) -> Iterator[Finding]:
    items = ctx.catalogue.items
    for item_id in ctx.gaps.mandatory_without_test:
        item = items[item_id]
        yield Finding.at_item(
            CODE,
            "mandatory, but no test case verifies it",
            item,
            suggestion="add a test case that 'verifies' it or a specification of it",
        )
