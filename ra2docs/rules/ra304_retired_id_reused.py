"""An item uses an ID that the catalogue lists as retired.

IDs are stable: once withdrawn, an ID is listed under ``retired:`` and never
given to anything else, so old links and documents cannot silently point at
new content.

FAIL::

    retired:
      - {id: ra2.ch.015, note: split into ra2.ch.015 and ra2.ch.022}
    items:
      - {id: ra2.ch.015, kind: specification, title: Something new}

PASS: give the new item a fresh ID.
"""

from __future__ import annotations

from collections.abc import Iterator

from ra2docs.context import CheckContext
from ra2docs.findings import Finding

CODE = "RA304"
NAME = "retired-id-reused"
SEVERITY = "error"
SUMMARY = "An item is defined with an ID listed under 'retired:'."


def check(ctx: CheckContext) -> Iterator[Finding]:
    retired = ctx.catalogue.retired
    for item in ctx.catalogue.items.values():
        if item.id in retired:
            where = retired[item.id]
            yield Finding.at_item(
                CODE,
                f"ID {item.id!r} was retired ({where.file}:{where.line}) and must not be reused",
                item,
                suggestion="give the item a new ID",
            )
