"""Trace graphs: an item's neighbourhood drawn by graphviz, every node a link to its item."""

from __future__ import annotations

import posixpath
import re
import shutil
import unicodedata
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.ext.graphviz import graphviz
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from ra2docs.sphinx.domain import ra2_domain
from ra2docs.sphinx.nodes import pending_graph
from ra2docs.sphinx.state import known_item, note_usage, state

logger = logging.getLogger(__name__)

# Builders whose graphviz output runs the dot program; the others print the graph's alt text.
DOT_FORMATS = frozenset({"html", "latex", "texinfo"})

KIND_COLOURS = {
    "rm-capability": "#e8eef7",
    "rm-requirement": "#e8eef7",
    "ra-requirement": "#fff4d6",
    "specification": "#e3f4e1",
    "gap": "#fbe3e3",
    "test-case": "#efe6f7",
}


LABEL_CHARS = 40  # a node's title is cut here: the whole title is its tooltip


def shorten(title: str, limit: int = LABEL_CHARS) -> str:
    """The title, or its first words up to ``limit`` characters and an ellipsis, so that a cut shows."""
    title = " ".join(title.split())
    if len(title) <= limit:
        return title
    cut = title[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:-") + "\u2026"


def graph_node(st: Any, item_id: str, depth: int = 1) -> pending_graph:
    node = pending_graph()
    node["item"] = item_id
    node["members"] = st.graph.sort_ids(st.graph.neighbourhood(item_id, depth))
    return node


class GraphDirective(SphinxDirective):
    """``.. ra2:graph:: ID`` with ``:depth: N`` (default 1) — the item's neighbourhood, drawn by graphviz."""

    required_arguments = 1
    option_spec: ClassVar = {"depth": directives.positive_int}

    def run(self) -> list[nodes.Node]:
        st = state(self.env)
        item_id = self.arguments[0]
        if not known_item(self.env, item_id, self.get_location()):
            return []
        depth = self.options.get("depth", 1)
        members = st.graph.sort_ids(st.graph.neighbourhood(item_id, depth))
        note_usage(self.env, *members)
        return [graph_node(st, item_id, depth)]


def _dot_string(text: str) -> str:
    """A DOT string literal; control characters (NUL, which dot cannot take, and the others) become U+FFFD."""
    clean = "".join("\ufffd" if unicodedata.category(c) in ("Cc", "Cs") and c != "\n" else c for c in text)
    return '"' + clean.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def dot_code(app: Sphinx, item_id: str, members: list[str], docname: str) -> str:
    """Graphviz source of an item's neighbourhood, nodes linking to the items' entries."""
    st = state(app)
    domain = ra2_domain(app.env)
    member_set = set(members)
    # ids of their own: graphviz numbers a graph's nodes node1, node2 ... and an image map (PNG output)
    # puts those ids in the page, where two graphs would repeat them
    prefix = "trace-" + re.sub(r"[^\w.-]", "_", item_id)
    lines = [
        "digraph trace {",
        f'  graph [rankdir=LR, fontname="Helvetica", bgcolor="transparent", id={_dot_string(prefix)}];',
        '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=10];',
        '  edge [fontname="Helvetica", fontsize=9, color="#666666"];',
    ]
    for index, member in enumerate(st.graph.sort_ids(member_set), 1):
        item = st.catalogue.items[member]
        attrs = {
            "id": _dot_string(f"{prefix}-node{index}"),
            "label": _dot_string(f"{member}\n{shorten(item.title)}"),
            "fillcolor": _dot_string(KIND_COLOURS.get(item.kind, "#ffffff")),
            "tooltip": _dot_string(f"{st.catalogue.kinds[item.kind].label}: {item.title}"),
        }
        if member == item_id:
            attrs["penwidth"] = "2"
        entry = domain.target_of(member)  # (docname, anchor, kind, title) of the item's link target
        if entry is not None and app.builder.format == "html":
            page = app.builder.get_relative_uri(docname, entry[0])
            if not page:  # the same page: name it, since the SVG's links are relative to the image, not the page
                page = posixpath.basename(app.builder.get_target_uri(docname)) or "index.html"
            uri = page + "#" + entry[1]
            attrs["URL"] = _dot_string(uri)
            attrs["target"] = '"_top"'
        lines.append(f"  {_dot_string(member)} [{', '.join(f'{k}={v}' for k, v in attrs.items())}];")
    edges = 0
    for member in st.graph.sort_ids(member_set):
        for name, target in st.graph.outgoing(member):
            if target in member_set:
                edges += 1
                edge_id = _dot_string(f"{prefix}-edge{edges}")
                lines.append(
                    f"  {_dot_string(member)} -> {_dot_string(target)} [label={_dot_string(name)}, id={edge_id}];"
                )
    lines.append("}")
    return "\n".join(lines)


def can_draw(app: Sphinx) -> bool:
    """Whether this build draws graphs: they are wanted, and ``dot`` runs where it is needed.

    A missing ``dot`` is one error for the whole build (naming the package and
    the setting that leaves graphs out), not a warning per graph.
    """
    if not app.config.ra2docs_graphs:
        return False
    if app.builder.format not in DOT_FORMATS or shutil.which(app.config.graphviz_dot):
        return True
    if not getattr(app, "_ra2docs_no_dot_reported", False):
        app._ra2docs_no_dot_reported = True  # type: ignore[attr-defined]  # ra2docs's own, on the app
        logger.error(
            "ra2docs: trace graphs need graphviz's %r program, which is not on PATH. Install graphviz "
            "(Debian/Ubuntu: apt install graphviz; macOS: brew install graphviz), set graphviz_dot to its path, "
            "or set ra2docs_graphs = False in conf.py to build without graphs.",
            app.config.graphviz_dot,
            type="ra2docs",
            subtype="graphviz",
        )
    return False


def graphviz_node(app: Sphinx, item_id: str, members: list[str], docname: str) -> list[nodes.Node]:
    """The graphviz node that draws an item's neighbourhood on page ``docname`` (none if graphs are off)."""
    if not can_draw(app):
        return []
    built = graphviz()
    built["code"] = dot_code(app, item_id, members, docname)
    built["options"] = {"docname": docname}
    built["alt"] = f"Trace graph of {item_id}"
    built["classes"] = ["ra2-graph"]
    return [built]


def resolve_graphs(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Turn pending graphs into graphviz nodes, with links relative to the page."""
    for node in list(doctree.findall(pending_graph)):
        node.replace_self(graphviz_node(app, node["item"], node["members"], docname))


def setup_graphs(app: Sphinx) -> None:
    app.setup_extension("sphinx.ext.graphviz")
    # False leaves every trace graph out (a machine without graphviz, a quicker draft build).
    app.add_config_value("ra2docs_graphs", True, "env", [bool])
    app.add_node(pending_graph)  # replaced at doctree-resolved, for every builder
    app.add_directive_to_domain("ra2", "graph", GraphDirective)
    app.connect("doctree-resolved", resolve_graphs)
