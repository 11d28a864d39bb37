"""Directives for traceability: matrices, coverage (table and chart), gap reports, trace graphs.

All figures come from ``ra2docs.trace``; this module only turns them into nodes.
"""

from __future__ import annotations

import html
import posixpath
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.ext.graphviz import graphviz
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from ra2docs import trace
from ra2docs.model import natural_key
from ra2docs.sphinx.entries import pending_graph
from ra2docs.sphinx.state import note_usage, state
from ra2docs.sphinx.tables import table_from_view, xref
from ra2docs.suggest import suggest_id
from ra2docs.views.trace import backward_view, coverage_view, forward_view, gaps_view, grid_view

logger = logging.getLogger(__name__)


def _kinds(directive: SphinxDirective, value: str, default: tuple[str, ...]) -> list[str]:
    st = state(directive.env)
    kinds = [k for k in value.replace(",", " ").split() if k] or list(default)
    for kind in kinds:
        if kind not in st.catalogue.kinds:
            raise directive.error(f"unknown kind {kind!r}; kinds: {', '.join(st.catalogue.kinds)}")
    return kinds


def _in_section(item_section: str, wanted: str) -> bool:
    return not wanted or item_section == wanted or item_section.startswith(wanted + ".")


# -- coverage ---------------------------------------------------------------------


class chart(nodes.General, nodes.Element):
    """A bar chart of coverage rows; drawn as inline SVG in HTML, left out elsewhere."""


def _pct(value: float) -> str:
    return f"{value:.0f}%"


def visit_chart_html(self: Any, node: chart) -> None:
    rows = node["rows"]
    bar_width, label_width, row_height = 360, 170, 34
    height = row_height * len(rows) + 30
    parts = [
        f'<svg class="ra2-chart" role="img" viewBox="0 0 {label_width + bar_width + 90} {height}" '
        f'width="{label_width + bar_width + 90}" height="{height}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{html.escape(node['title'])}</title>",
    ]
    for index, (label, total, specified, verified) in enumerate(rows):
        y = 10 + index * row_height
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 15}" text-anchor="end" class="ra2-chart-label">'
            f"{html.escape(label)} ({total})</text>"
        )
        for offset, (value, css) in enumerate(((specified, "specified"), (verified, "verified"))):
            width = bar_width * value / 100.0
            parts.append(
                f'<rect x="{label_width}" y="{y + offset * 12}" width="{bar_width}" height="10" class="ra2-bar-bg"/>'
                f'<rect x="{label_width}" y="{y + offset * 12}" width="{width:.1f}" height="10" class="ra2-bar-{css}">'
                f"<title>{html.escape(label)}: {css} {_pct(value)}</title></rect>"
                f'<text x="{label_width + bar_width + 6}" y="{y + offset * 12 + 9}" class="ra2-chart-value">'
                f"{_pct(value)}</text>"
            )
    legend_y = height - 8
    parts.append(
        f'<rect x="{label_width}" y="{legend_y - 9}" width="10" height="10" class="ra2-bar-specified"/>'
        f'<text x="{label_width + 14}" y="{legend_y}" class="ra2-chart-value">specified</text>'
        f'<rect x="{label_width + 100}" y="{legend_y - 9}" width="10" height="10" class="ra2-bar-verified"/>'
        f'<text x="{label_width + 114}" y="{legend_y}" class="ra2-chart-value">verified</text>'
    )
    parts.append("</svg>")
    self.body.append('<div class="ra2-chart-box">' + "".join(parts) + "</div>")
    raise nodes.SkipNode


def skip_chart(self: Any, node: chart) -> None:
    raise nodes.SkipNode


class CoverageDirective(SphinxDirective):
    """``.. ra2:coverage::`` with ``:by: section|profile`` and ``:kind:`` — a table and a chart."""

    option_spec: ClassVar = {"by": directives.unchanged, "kind": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        st = state(self.env)
        by = self.options.get("by", "section").strip()
        if by not in ("section", "profile"):
            raise self.error(f"ra2:coverage: :by: must be 'section' or 'profile', not {by!r}")
        kinds = _kinds(self, self.options.get("kind", ""), trace.REQUIREMENT_KINDS)
        view = coverage_view(st.graph, by, tuple(kinds))
        note_usage(self.env, "profiles", *(f"kind:{k}" for k in kinds), *view.items)
        picture = chart()
        picture["title"] = f"Coverage by {by}"
        picture["rows"] = view.chart
        return [table_from_view(self, view.table), picture]


# -- matrices ---------------------------------------------------------------------


class MatrixDirective(SphinxDirective):
    """``.. ra2:matrix::`` — ``:type: forward|backward|grid``.

    forward: requirement -> specifications -> tests (``:kind:``, ``:section:`` filter the rows).
    backward: ``:kind: specification`` (-> requirements) or ``test-case`` (-> items -> requirements).
    grid: ``:rows: KIND`` against ``:columns: KIND``, a mark where the two are linked
    (``:transitive:`` follows whole trace paths); columns with no mark are left out unless
    ``:all-columns:`` is given.
    """

    option_spec: ClassVar = {
        "type": directives.unchanged_required,
        "kind": directives.unchanged,
        "section": directives.unchanged,
        "rows": directives.unchanged,
        "columns": directives.unchanged,
        "transitive": directives.flag,
        "all-columns": directives.flag,
        "caption": directives.unchanged,
    }

    def run(self) -> list[nodes.Node]:
        kind = self.options.get("type", "forward").strip()
        if kind == "forward":
            return self.forward()
        if kind == "backward":
            return self.backward()
        if kind == "grid":
            return self.grid()
        raise self.error(f"ra2:matrix: :type: must be forward, backward or grid, not {kind!r}")

    def forward(self) -> list[nodes.Node]:
        st = state(self.env)
        kinds = _kinds(self, self.options.get("kind", ""), trace.REQUIREMENT_KINDS)
        section = self.options.get("section", "").strip()
        note_usage(self.env, *(f"kind:{k}" for k in kinds), "kind:specification", "kind:test-case")
        if st.verdicts is not None:
            note_usage(self.env, "results")
        view = forward_view(st.graph, tuple(kinds), section, st.verdicts)
        for row in view.rows:
            note_usage(self.env, row.item, *st.graph.sources_of(row.item, field="traces"))
        return [table_from_view(self, view, caption=self.options.get("caption"))]

    def backward(self) -> list[nodes.Node]:
        st = state(self.env)
        (kind,) = _kinds(self, self.options.get("kind", ""), ("specification",))[:1]
        note_usage(self.env, f"kind:{kind}")
        view = backward_view(st.graph, kind)
        for row in view.rows:
            note_usage(self.env, row.item, *st.graph.targets_of(row.item))
        return [table_from_view(self, view, caption=self.options.get("caption"))]

    def grid(self) -> list[nodes.Node]:
        st = state(self.env)
        (row_kind,) = _kinds(self, self.options.get("rows", ""), ("ra-requirement",))[:1]
        (col_kind,) = _kinds(self, self.options.get("columns", ""), ("specification",))[:1]
        section = self.options.get("section", "").strip()
        view = grid_view(
            st.graph,
            row_kind,
            col_kind,
            section,
            transitive="transitive" in self.options,
            all_columns="all-columns" in self.options,
        )
        note_usage(self.env, f"kind:{row_kind}", f"kind:{col_kind}", *(r.item for r in view.rows))
        note_usage(self.env, *(i.id for i in st.catalogue.by_kind(col_kind)))
        return [table_from_view(self, view, caption=self.options.get("caption"))]


# -- gap report -------------------------------------------------------------------


class GapsDirective(SphinxDirective):
    """``.. ra2:gaps::`` — declared gaps with their related items, then the computed gaps."""

    option_spec: ClassVar = {"declared-only": directives.flag, "computed-only": directives.flag}

    def run(self) -> list[nodes.Node]:
        st = state(self.env)
        note_usage(self.env, "kind:gap", *(f"kind:{k}" for k in trace.REQUIREMENT_KINDS))
        note_usage(self.env, "kind:specification", "kind:test-case")
        view = gaps_view(st.graph)
        result: list[nodes.Node] = []
        if "computed-only" not in self.options:
            note_usage(self.env, *(r.item for r in view.declared.rows))
            result.append(nodes.paragraph("", "", nodes.strong("", "Declared gaps")))
            result.append(table_from_view(self, view.declared))
        if "declared-only" not in self.options:
            note_usage(self.env, *trace.total(st.graph, trace.coverage(st.graph)).items)
            note_usage(self.env, *(s.id for s in st.catalogue.by_kind("specification")))
            for title, ids in view.computed:
                result.append(nodes.paragraph("", "", nodes.strong("", f"{title} ({len(ids)})")))
                container = nodes.container(classes=["ra2-computed-gaps"])
                container += nodes.paragraph("", "", *id_list(ids, " ")) if ids else nodes.paragraph("None.", "None.")
                result.append(container)
        return result


# -- trace graph ------------------------------------------------------------------


KIND_COLOURS = {
    "rm-capability": "#e8eef7",
    "rm-requirement": "#e8eef7",
    "ra-requirement": "#fff4d6",
    "specification": "#e3f4e1",
    "gap": "#fbe3e3",
    "test-case": "#efe6f7",
}


def graph_node(st: Any, item_id: str, depth: int = 1) -> pending_graph:
    node = pending_graph()
    node["item"] = item_id
    node["members"] = sorted(st.graph.neighbourhood(item_id, depth), key=natural_key)
    return node


def id_list(ids: list[str], separator: str = ", ") -> list[nodes.Node]:
    out: list[nodes.Node] = []
    for index, item_id in enumerate(ids):
        if index:
            out.append(nodes.Text(separator))
        out.append(xref(item_id))
    return out


class GraphDirective(SphinxDirective):
    """``.. ra2:graph:: ID`` with ``:depth: N`` (default 1) — the item's neighbourhood, drawn by graphviz."""

    required_arguments = 1
    option_spec: ClassVar = {"depth": directives.positive_int}

    def run(self) -> list[nodes.Node]:
        st = state(self.env)
        item_id = self.arguments[0]
        if item_id not in st.catalogue.items:
            hint = suggest_id(item_id, st.catalogue.items.keys())
            raise self.error(
                f"ra2:graph: unknown catalogue ID {item_id!r}" + (f"; did you mean {hint!r}?" if hint else "")
            )
        depth = self.options.get("depth", 1)
        members = sorted(st.graph.neighbourhood(item_id, depth), key=natural_key)
        note_usage(self.env, *members)
        return [graph_node(st, item_id, depth)]


def _dot_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def dot_code(app: Sphinx, item_id: str, members: list[str], docname: str) -> str:
    """Graphviz source of an item's neighbourhood, nodes linking to the items' entries."""
    st = state(app)
    domain = app.env.get_domain("ra2")
    member_set = set(members)
    lines = [
        "digraph trace {",
        '  graph [rankdir=LR, fontname="Helvetica", bgcolor="transparent"];',
        '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=10];',
        '  edge [fontname="Helvetica", fontsize=9, color="#666666"];',
    ]
    for member in sorted(member_set, key=natural_key):
        item = st.catalogue.items[member]
        attrs = {
            "label": _dot_string(f"{member}\n{item.title[:40]}"),
            "fillcolor": _dot_string(KIND_COLOURS.get(item.kind, "#ffffff")),
            "tooltip": _dot_string(f"{st.catalogue.kinds[item.kind].label}: {item.title}"),
        }
        if member == item_id:
            attrs["penwidth"] = "2"
        target = domain.target_of(member)  # type: ignore[attr-defined]
        if target is not None and app.builder.format == "html":
            page = app.builder.get_relative_uri(docname, target[0])
            if not page:  # the same page: name it, since the SVG's links are relative to the image, not the page
                page = posixpath.basename(app.builder.get_target_uri(docname)) or "index.html"
            uri = page + "#" + target[1]
            attrs["URL"] = _dot_string(uri)
            attrs["target"] = '"_top"'
        lines.append(f"  {_dot_string(member)} [{', '.join(f'{k}={v}' for k, v in attrs.items())}];")
    for member in sorted(member_set, key=natural_key):
        for name, target in st.graph.outgoing(member):
            if target in member_set:
                lines.append(f"  {_dot_string(member)} -> {_dot_string(target)} [label={_dot_string(name)}];")
    lines.append("}")
    return "\n".join(lines)


def resolve_graphs(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Turn pending graphs into graphviz nodes, with links relative to the page."""
    for node in list(doctree.findall(pending_graph)):
        graph_node = graphviz()
        graph_node["code"] = dot_code(app, node["item"], node["members"], docname)
        graph_node["options"] = {"docname": docname}
        graph_node["alt"] = f"Trace graph of {node['item']}"
        graph_node["classes"] = ["ra2-graph"]
        node.replace_self(graph_node)


def setup_tracing(app: Sphinx) -> None:
    app.setup_extension("sphinx.ext.graphviz")
    app.add_node(
        chart,
        html=(visit_chart_html, None),
        latex=(skip_chart, None),
        text=(skip_chart, None),
        man=(skip_chart, None),
        texinfo=(skip_chart, None),
    )
    app.add_node(pending_graph)  # replaced at doctree-resolved, for every builder
    app.add_directive_to_domain("ra2", "coverage", CoverageDirective)
    app.add_directive_to_domain("ra2", "matrix", MatrixDirective)
    app.add_directive_to_domain("ra2", "gaps", GapsDirective)
    app.add_directive_to_domain("ra2", "graph", GraphDirective)
    app.connect("doctree-resolved", resolve_graphs)
