"""``row-with`` names an item that does not exist (or the item itself).

A row of several IDs (upstream's "n1, n2, n3, n4, n5, n6") is one item with
``row-with`` naming the others: their fields fill the row and each gets its
anchor there. An ID there that no item defines would show in the row as text
with nothing behind it.

FAIL::

    - {id: n1, kind: rm-capability, description: 1 Gbps, row-with: [n2, n3]}
    - {id: n2, kind: rm-capability, description: 2 Gbps}

PASS::

    - {id: n1, kind: rm-capability, description: 1 Gbps, row-with: [n2, n3]}
    - {id: n2, kind: rm-capability, description: 2 Gbps}
    - {id: n3, kind: rm-capability, description: 3 Gbps}
"""

from __future__ import annotations

from collections.abc import Iterator

from ra2docs.context import CheckContext
from ra2docs.findings import Finding

CODE = "RA408"
NAME = "row-with-unknown"
SEVERITY = "error"
SUMMARY = "row-with names an ID that no item defines, or the item itself."


def check(ctx: CheckContext) -> Iterator[Finding]:
    items = ctx.catalogue.items
    for item in items.values():
        for member in item.data.get("row-with") or []:
            if member == item.id:
                yield Finding.at_item(CODE, "row-with names the item itself", item)
            elif member not in items:
                hint = ctx.ids.suggest(member)
                yield Finding.at_item(
                    CODE,
                    f"row-with {member!r}: no such item",
                    item,
                    suggestion=f"did you mean {hint!r}?" if hint else "add the item, or remove it from row-with",
                )
