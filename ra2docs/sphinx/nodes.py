"""The ra2docs node types, and the links to items the ra2 domain resolves."""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes

from ra2docs.views.parts import id_literal


class pending_graph(nodes.General, nodes.Element):
    """An item's trace graph; replaced by a graphviz node once every item's page is known (doctree-resolved)."""


class ra2_deferred(nodes.General, nodes.Element):
    """Rows (``view='rows'``) or entries (``view='entries'``) as data, built at write time (ra2docs.sphinx.deferred)."""


def xref(item_id: str, literal: nodes.literal | None = None) -> addnodes.pending_xref:
    """A link to an item's definition (showing ``literal``, by default its ID), resolved by the ra2 domain."""
    ref = addnodes.pending_xref(
        "", refdomain="ra2", reftype="item", reftarget=item_id, refexplicit=False, refwarn=False
    )
    ref += literal if literal is not None else id_literal(item_id)
    return ref
