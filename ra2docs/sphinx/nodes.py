"""The ra2docs node types and the small nodes every renderer makes (item links, verdict badges)."""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes


class pending_graph(nodes.General, nodes.Element):
    """An item's trace graph; replaced by a graphviz node once every item's page is known (doctree-resolved)."""


class ra2_deferred(nodes.General, nodes.Element):
    """Rows (``view='rows'``) or entries (``view='entries'``) as data, built at write time (ra2docs.sphinx.deferred)."""


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
