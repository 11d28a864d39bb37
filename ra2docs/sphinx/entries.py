"""An item's entry as docutils nodes: an object description (``desc``) as Sphinx's own domains render them."""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx import addnodes

from ra2docs.sphinx.tables import CellRenderer, xref
from ra2docs.views.entries import EntryView


class pending_graph(nodes.General, nodes.Element):
    """Replaced by a graphviz node once every item's page is known (doctree-resolved)."""


def entry_nodes(directive: Any, view: EntryView, define: bool, source: tuple[str, int]) -> addnodes.desc:
    """The entry; with ``define`` it is the item's link target (its anchor is the ID)."""
    renderer = CellRenderer(directive)
    desc = addnodes.desc(domain="ra2", objtype=view.kind, desctype=view.kind, classes=["ra2", view.kind])
    desc["noindex"] = desc["no-index"] = True  # the ra2 domain indexes the items itself
    sig = addnodes.desc_signature("", "")
    if define:
        sig["ids"].append(view.item)
        sig += addnodes.desc_name(view.item, view.item)
    else:
        sig += xref(view.item)
    if view.title:
        annotation = addnodes.desc_annotation(" ", " ")
        annotation.extend(renderer.inline_nodes(view.title, source))
        sig += annotation
    desc += sig
    content = addnodes.desc_content()
    if view.text:
        content.extend(renderer.markup_nodes(view.text, source))
    elif view.placeholder:
        content += nodes.paragraph("", "", nodes.emphasis("", "Placeholder: no content yet."))
    fields = nodes.field_list(classes=["ra2-fields"])
    for name, cell in view.fields:
        field = nodes.field()
        field += nodes.field_name(name, name)
        body = nodes.field_body()
        body.extend(renderer.cell(cell, source))
        field += body
        fields += field
    content += fields
    if view.notes:
        note = nodes.note()
        note.extend(renderer.markup_nodes(view.notes, source))
        content += note
    if view.neighbours:
        graph = pending_graph()
        graph["item"] = view.item
        graph["members"] = view.neighbours
        content += graph
    desc += content
    return desc
