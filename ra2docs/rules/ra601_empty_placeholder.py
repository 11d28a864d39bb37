"""An item with no title and no text: a reserved ID with nothing in it.

Upstream RA2 of August 2020 reserves ``ra2.ch.017``-``021``,
``ra2.k8s.011``-``015``, ``ra2.crt.*`` and ``ra2.app.*`` as empty table rows.
Mark such an item ``status: placeholder`` if it is kept on purpose; it is
then shown as a placeholder and not reported.

FAIL::

    - {id: ra2.ch.017, kind: specification}

PASS::

    - {id: ra2.ch.017, kind: specification, status: placeholder}
"""

from __future__ import annotations

from collections.abc import Iterator

from ra2docs.context import CheckContext
from ra2docs.findings import Finding

CODE = "RA601"
NAME = "empty-placeholder"
SEVERITY = "warning"
SUMMARY = "An item has neither a title nor any text (an empty placeholder row)."


def check(ctx: CheckContext) -> Iterator[Finding]:
    for item in ctx.catalogue.items.values():
        if item.title or item.text or item.status == "placeholder":
            continue
        yield Finding.at_item(
            CODE,
            "empty placeholder: no title and no text",
            item,
            suggestion="write its content, remove it, or mark it 'status: placeholder'",
        )
