"""The view model: what a table shows, computed once in the core and rendered per output.

A cell is a tuple of parts, each ``(kind, value)``:

``("m", rst)``
    catalogue text: reStructuredText from the allowlist (see ``ra2docs.markup``),
    rendered as markup, or escaped when it holds something not allowed;
``("t", text)``
    plain text computed by ra2docs (labels, counts), always escaped;
``("r", item_id)``
    a reference to a catalogue item;
``("b", text)``
    plain text in bold;
``("s", text)``
    plain text in superscript (a note mark);
``("v", verdict)``
    a verdict badge.

Renderers: ``ra2docs.sphinx.tables`` (docutils nodes, every builder) and
``ra2docs.expand`` (plain reStructuredText for tools that do not run Sphinx).
"""

from __future__ import annotations

from dataclasses import dataclass, field

Part = tuple[str, str]
Cell = tuple[Part, ...]

EMPTY: Cell = ()


def text(value: object) -> Cell:
    return (("t", str(value)),) if value not in (None, "") else EMPTY


def markup(value: object) -> Cell:
    return (("m", str(value)),) if value not in (None, "") else EMPTY


def refs(ids: list[str] | tuple[str, ...], separator: str = ", ") -> Cell:
    parts: list[Part] = []
    for index, item_id in enumerate(ids):
        if index:
            parts.append(("t", separator))
        parts.append(("r", item_id))
    return tuple(parts)


def plain(cell: Cell) -> str:
    """The words of a cell (markup reduced to its text)."""
    from ra2docs.markup import plain_text

    return "".join(plain_text(v) if k == "m" else v for k, v in cell)


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
