"""Render view cells and tables as docutils nodes: the one renderer for every Sphinx builder.

Catalogue text (``("m", rst)`` parts) is parsed with the document's own
parser, in place, exactly as a hand-written ``list-table`` cell would be:
citations, references, footnotes and notes work and are numbered in
document order. Text without any markup skips the parser (most cells), and
text holding markup that is not allowed (``ra2docs.markup``) is shown
escaped, with a warning.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from docutils.statemachine import StringList
from sphinx import addnodes
from sphinx.util import logging

from ra2docs.markup import is_plain, problems
from ra2docs.views.model import Cell, TableView

logger = logging.getLogger(__name__)


def xref(item_id: str, text: str | None = None) -> addnodes.pending_xref:
    """A link to an item's definition, resolved by the ra2 domain."""
    ref = addnodes.pending_xref(
        "", refdomain="ra2", reftype="item", reftarget=item_id, refexplicit=text is not None, refwarn=False
    )
    ref += nodes.literal(text or item_id, text or item_id, classes=["ra2-id"])
    return ref


def badge(verdict: str) -> nodes.inline:
    css = "ra2-verdict ra2-verdict-" + verdict.replace(" ", "-")
    return nodes.inline(verdict, verdict, classes=css.split())


class CellRenderer:
    """Turns view cells into docutils nodes inside one directive (its parser state, its location)."""

    def __init__(self, directive: Any) -> None:
        self.directive = directive
        self.state = directive.state

    def warn_markup(self, text: str, source: tuple[str, int], reasons: list[str]) -> None:
        logger.warning(
            f"catalogue text shown escaped: {'; '.join(reasons)}",
            location=source,
            type="ra2docs",
            subtype="markup",
        )

    def markup_nodes(self, text: str, source: tuple[str, int]) -> list[nodes.Node]:
        """Body elements for catalogue markup, as a list-table cell holding it would give."""
        if is_plain(text):
            return [nodes.paragraph(text, text)]
        found = problems(text)
        if found:
            self.warn_markup(text, source, sorted({p.message for p in found}))
            return [nodes.paragraph(text, "", nodes.literal(text, text, classes=["ra2-escaped"]))]
        holder = nodes.Element()
        lines = StringList(text.splitlines(), source=source[0])
        lines.items = [(source[0], source[1] - 1 + index) for index in range(len(lines))]
        self.state.nested_parse(lines, 0, holder)
        return list(holder.children)

    def inline_nodes(self, text: str, source: tuple[str, int]) -> list[nodes.Node]:
        """Inline nodes for catalogue markup inside a paragraph of computed parts."""
        if is_plain(text):
            return [nodes.Text(text)]
        found = problems(text)
        if found:
            self.warn_markup(text, source, sorted({p.message for p in found}))
            return [nodes.literal(text, text, classes=["ra2-escaped"])]
        parsed, messages = self.state.inline_text(" ".join(text.split()), source[1])
        return [*parsed, *messages]

    def cell(self, cell: Cell, source: tuple[str, int]) -> list[nodes.Node]:
        """The children of a table entry."""
        if not cell:
            return []
        if len(cell) == 1 and cell[0][0] == "m":
            return self.markup_nodes(cell[0][1], source)
        paragraph = nodes.paragraph()
        for kind, value in cell:
            if kind == "m":
                paragraph.extend(self.inline_nodes(value, source))
            elif kind == "r":
                paragraph += xref(value)
            elif kind == "b":
                paragraph += nodes.strong(value, value)
            elif kind == "v":
                paragraph += badge(value)
            elif kind == "s":
                paragraph += nodes.superscript(value, value)
            else:
                paragraph += nodes.Text(value)
        return [paragraph]


def table_from_view(
    directive: Any,
    view: TableView,
    caption: str | None = None,
    name: str | None = None,
    classes: list[str] | None = None,
    sources: list[tuple[str, int]] | None = None,
) -> nodes.table:
    """A real docutils table (numbered when captioned, like any Sphinx table) from a table view.

    Rows about an item can carry the item's anchor (``ViewRow.anchor``); totals
    rows (``view.footer``) come last with their own class, so sorting in the
    browser leaves them in place.
    """
    renderer = CellRenderer(directive)
    where = directive.get_source_info()
    default = (str(where[0] or ""), int(where[1] or 0))
    table = nodes.table(classes=["ra2-table", *view.classes, *(classes or [])])
    if caption:  # it may come from the catalogue (a comparison's title): the allowlist applies
        table += nodes.title(caption, "", *renderer.inline_nodes(caption, default))
    columns = len(view.headers)
    group = nodes.tgroup(cols=columns)
    table += group
    for width in view.widths or [1] * columns:
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    header_row = nodes.row()
    for cell in view.headers:
        entry = nodes.entry()
        entry.extend(renderer.cell(cell, default))
        header_row += entry
    head += header_row
    group += head
    body = nodes.tbody()
    rows = [*view.rows, *view.footer]
    for index, row in enumerate(rows):
        row_node = nodes.row(classes=list(row.classes))
        if row.anchor and row.item:
            row_node["ids"].append(row.item)
        where_row = sources[index] if sources and index < len(sources) else default
        for cell in row.cells:
            entry = nodes.entry()
            entry.extend(renderer.cell(cell, where_row))
            row_node += entry
        body += row_node
    group += body
    if len(rows) > 30:
        table["classes"].append("longtable")  # LaTeX: breaks across pages
    if name:
        directive.add_name(table) if hasattr(directive, "add_name") else table["names"].append(name)
    return table
