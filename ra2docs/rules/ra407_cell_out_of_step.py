"""A cell text of a link column that no longer agrees with the links.

The IDs a link column shows (``traces``, ``specified-by``, ``related``, ...)
come from the links. Where upstream wrote more than IDs in such a column
("infra.com.cfg.004 from the Reference Model, chapter 5"), the item keeps that
text in ``cells``; it must name exactly the links of its row, except those
``omitted-links`` lists (where upstream's own tables disagree). This rule
checks that on every run, so an edit of the links can never leave a page
showing the old ones: a link added, removed or renamed fails here, naming
the cell to update (or delete, to show the links as they are).

FAIL (the trace to i.cap.018 is neither shown nor declared omitted)::

    - id: ra2.ch.001
      kind: specification
      traces: [infra.com.cfg.004, i.cap.018]
      cells: {traces: "infra.com.cfg.004 :cite:t:`refmodel` Chapter 5"}

PASS::

    - id: ra2.ch.001
      kind: specification
      traces: [infra.com.cfg.004, i.cap.018]
      cells: {traces: "infra.com.cfg.004 :cite:t:`refmodel` Chapter 5"}
      omitted-links: {traces: [i.cap.018]}   # chapter 4's row of ra2.ch.001 does not name it
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ra2docs.cells import derived_ids, named_ids
from ra2docs.context import CheckContext
from ra2docs.findings import Finding
from ra2docs.model import Item

CODE = "RA407"
NAME = "cell-out-of-step"
SEVERITY = "error"
SUMMARY = "A cell text of a link column names other IDs than the links it stands for."


def _views(item: Item) -> Iterator[tuple[str, Mapping[str, Any], Mapping[str, Any]]]:
    """(where, cells, omitted-links) of the item's own row and of each of its listings."""
    yield "", item.data.get("cells") or {}, item.data.get("omitted-links") or {}
    for listing in item.data.get("listings") or []:
        if isinstance(listing, dict):
            where = f" (its listing in section {listing.get('section', '?')})"
            yield where, listing.get("cells") or {}, listing.get("omitted-links") or {}


def check(ctx: CheckContext) -> Iterator[Finding]:
    graph, items = ctx.graph, ctx.catalogue.items
    for item in items.values():
        if not (item.data.get("cells") or item.data.get("omitted-links") or item.data.get("listings")):
            continue
        for where, cells, omitted in _views(item):
            for column in omitted:
                if column not in cells:
                    yield Finding.at_item(
                        CODE,
                        f"omitted-links.{column}{where}: no cell text of {column!r} to leave links out of",
                        item,
                        suggestion=f"delete omitted-links.{column}: the column shows every link",
                    )
            for column, text in cells.items():
                links = derived_ids(column, item, graph)
                if links is None:
                    continue
                yield from _compare(item, column, where, str(text), links, list(omitted.get(column) or []), items)


def _compare(
    item: Item, column: str, where: str, text: str, links: list[str], omitted: list[str], items: Mapping[str, Item]
) -> Iterator[Finding]:
    shown = named_ids(text, {*items, *links, *omitted})
    fix = f"update cells.{column}{where} (or delete it, to show the links as they are)"
    for name in shown:
        if name not in links:
            yield Finding.at_item(
                CODE, f"cells.{column}{where} names {name}, which is not one of its links", item, suggestion=fix
            )
        elif name in omitted:
            yield Finding.at_item(
                CODE, f"cells.{column}{where} names {name}, which omitted-links says it leaves out", item
            )
    for name in links:
        if name not in shown and name not in omitted:
            # the ID cell of a row of several items shows the row's IDs (row-with), not links to leave out
            missing = (
                "name it in the cell text, or take it out of row-with"
                if column == "id"
                else f"name it in the cell text, or add it to omitted-links.{column} if the table must not"
            )
            yield Finding.at_item(
                CODE, f"cells.{column}{where} does not show {name}, one of its links", item, suggestion=missing
            )
    for name in omitted:
        if name not in links:
            yield Finding.at_item(
                CODE,
                f"omitted-links.{column}{where} names {name}, which is no longer one of its links",
                item,
                suggestion=f"delete it from omitted-links.{column}",
            )
