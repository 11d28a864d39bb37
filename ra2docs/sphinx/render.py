"""Docutils node builders shared by the directives. All text goes in as Text nodes (escaped)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from docutils import nodes
from sphinx import addnodes

Cell = nodes.Node | str | Sequence[nodes.Node] | None


def xref(item_id: str, text: str | None = None) -> addnodes.pending_xref:
    """A link to an item's definition, resolved by the ra2 domain."""
    ref = addnodes.pending_xref(
        "", refdomain="ra2", reftype="item", reftarget=item_id, refexplicit=text is not None, refwarn=False
    )
    ref += nodes.literal(text or item_id, text or item_id, classes=["ra2-id"])
    return ref


def id_list(ids: Iterable[str], separator: str = ", ") -> list[nodes.Node]:
    out: list[nodes.Node] = []
    for index, item_id in enumerate(ids):
        if index:
            out.append(nodes.Text(separator))
        out.append(xref(item_id))
    return out


def paragraph(*content: nodes.Node | str) -> nodes.paragraph:
    para = nodes.paragraph()
    for part in content:
        para += nodes.Text(part) if isinstance(part, str) else part
    return para


def _cell(content: Cell) -> nodes.entry:
    entry = nodes.entry()
    if content is None or content == "":
        return entry
    if isinstance(content, str):
        entry += nodes.paragraph(content, content)
    elif isinstance(content, nodes.Element) and isinstance(content, (nodes.paragraph, nodes.bullet_list, nodes.table)):
        entry += content
    elif isinstance(content, nodes.Node):
        entry += paragraph(content)
    else:
        entry += paragraph(*content)
    return entry


def table(
    headers: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    widths: Sequence[int] | None = None,
    caption: str | None = None,
    classes: Sequence[str] = (),
) -> nodes.table:
    """A plain docutils table."""
    tbl = nodes.table(classes=["ra2-table", *classes])
    if caption:
        tbl += nodes.title(caption, caption)
    group = nodes.tgroup(cols=len(headers))
    tbl += group
    for width in widths or [1] * len(headers):
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    header_row = nodes.row()
    for text in headers:
        header_row += _cell(text)
    head += header_row
    group += head
    body = nodes.tbody()
    for cells in rows:
        row = nodes.row()
        for cell in cells:
            row += _cell(cell)
        body += row
    group += body
    return tbl


def field_list(fields: Iterable[tuple[str, Cell]]) -> nodes.field_list:
    flist = nodes.field_list(classes=["ra2-fields"])
    for name, value in fields:
        if value is None or value == "" or value == []:
            continue
        field = nodes.field()
        field += nodes.field_name(name, name)
        body = nodes.field_body()
        body += (
            value
            if isinstance(value, nodes.paragraph)
            else (paragraph(value) if isinstance(value, (str, nodes.Node)) else paragraph(*value))
        )
        field += body
        flist += field
    return flist
