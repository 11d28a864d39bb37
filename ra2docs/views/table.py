"""The view model: what a table shows, computed once in the core and rendered per output.

A cell is a tuple of parts (``ra2docs.views.parts``: catalogue markup, computed
text, item references, bold text, note marks, verdict badges); the one factory
there turns parts into docutils nodes for every renderer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ra2docs.views.parts import Cell, Part, PartKind

__all__ = ["EMPTY", "Cell", "Part", "PartKind", "TableView", "ViewRow", "markup", "plain", "refs", "text"]

EMPTY: Cell = ()


def text(value: object) -> Cell:
    return (Part.text(str(value)),) if value not in (None, "") else EMPTY


def markup(value: object) -> Cell:
    return (Part.markup(str(value)),) if value not in (None, "") else EMPTY


def refs(ids: list[str] | tuple[str, ...], separator: str = ", ") -> Cell:
    parts: list[Part] = []
    for index, item_id in enumerate(ids):
        if index:
            parts.append(Part.text(separator))
        parts.append(Part.ref(item_id))
    return tuple(parts)


def plain(cell: Cell) -> str:
    """The words of a cell (markup reduced to its text)."""
    from ra2docs.markup import plain_text

    return "".join(plain_text(p.value) if p.kind is PartKind.MARKUP else p.value for p in cell)


@dataclass
class ViewRow:
    cells: list[Cell]
    item: str = ""  # the catalogue item the row is about ('' for totals and the like)
    anchor: bool = False  # the row is where the item is listed in its own section: an anchor for links
    also: tuple[str, ...] = ()  # more items anchored on this row (a row of several IDs, ``row-with``)
    classes: tuple[str, ...] = ()


@dataclass
class TableView:
    headers: list[Cell]
    rows: list[ViewRow]
    widths: list[int] | None = None
    classes: list[str] = field(default_factory=list)
    footer: list[ViewRow] = field(default_factory=list)  # totals: they stay below when the table is sorted
