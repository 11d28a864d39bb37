"""Directives for traceability: matrices, coverage (table and chart), gap reports, trace graphs.

All figures come from ``ra2docs.coverage``; this module only turns them into nodes.
"""

from __future__ import annotations

import html
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from ra2docs import coverage
from ra2docs.sphinx.conformance import mark_sample_verdicts
from ra2docs.sphinx.nodes import xref
from ra2docs.sphinx.state import note_usage, state
from ra2docs.sphinx.tables import table_from_view
from ra2docs.views.traceability import backward_view, coverage_view, forward_view, gaps_view, grid_view


def _kinds(directive: SphinxDirective, value: str, default: tuple[str, ...]) -> list[str]:
    st = state(directive.env)
    kinds = [k for k in value.replace(",", " ").split() if k] or list(default)
    for kind in kinds:
        if kind not in st.catalogue.kinds:
            raise directive.error(f"unknown kind {kind!r}; kinds: {', '.join(st.catalogue.kinds)}")
    return kinds


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
        kinds = _kinds(self, self.options.get("kind", ""), coverage.REQUIREMENT_KINDS)
        view = coverage_view(st.graph, by, tuple(kinds))
        note_usage(self.env, "profiles", "sections", *(f"kind:{k}" for k in kinds), *view.items)
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
        kinds = _kinds(self, self.options.get("kind", ""), coverage.REQUIREMENT_KINDS)
        section = self.options.get("section", "").strip()
        note_usage(self.env, *(f"kind:{k}" for k in kinds), "kind:specification", "kind:test-case")
        if st.verdicts is not None:
            note_usage(self.env, "results")
        view = forward_view(st.graph, tuple(kinds), section, st.verdicts)
        # Each row shows its requirement's title; the specifications and tests only as links
        # (noted as such by the cells), so editing a specification's text leaves the page alone.
        note_usage(self.env, *(row.item for row in view.rows))
        table = table_from_view(self, view, caption=self.options.get("caption"))
        if st.verdicts is not None:
            mark_sample_verdicts(self.env, table)
        return [table]

    def backward(self) -> list[nodes.Node]:
        st = state(self.env)
        (kind,) = _kinds(self, self.options.get("kind", ""), ("specification",))[:1]
        note_usage(self.env, f"kind:{kind}")
        view = backward_view(st.graph, kind)
        note_usage(self.env, *(row.item for row in view.rows))  # what they trace to: links only
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
        note_usage(self.env, "kind:gap", *(f"kind:{k}" for k in coverage.REQUIREMENT_KINDS))
        note_usage(self.env, "kind:specification", "kind:test-case")
        view = gaps_view(st.graph)
        result: list[nodes.Node] = []
        if "computed-only" not in self.options:
            note_usage(self.env, *(r.item for r in view.declared.rows))
            result.append(nodes.paragraph("", "", nodes.strong("", "Declared gaps")))
            items = st.catalogue.items
            # each row's markup is judged (and reported) at its gap's line in the catalogue
            sources = [
                [(items[r.item].file, items[r.item].line)] * len(r.cells) for r in view.declared.rows if r.item in items
            ]
            result.append(table_from_view(self, view.declared, sources=sources))
        if "declared-only" not in self.options:
            note_usage(self.env, *coverage.total(st.graph, coverage.coverage(st.graph)).items)
            note_usage(self.env, *(s.id for s in st.catalogue.by_kind("specification")))
            for title, ids in view.computed:
                result.append(nodes.paragraph("", "", nodes.strong("", f"{title} ({len(ids)})")))
                container = nodes.container(classes=["ra2-computed-gaps"])
                container += nodes.paragraph("", "", *id_list(ids, " ")) if ids else nodes.paragraph("None.", "None.")
                result.append(container)
        return result


def id_list(ids: list[str], separator: str = ", ") -> list[nodes.Node]:
    out: list[nodes.Node] = []
    for index, item_id in enumerate(ids):
        if index:
            out.append(nodes.Text(separator))
        out.append(xref(item_id))
    return out


def setup_tracing(app: Sphinx) -> None:
    app.add_node(
        chart,
        html=(visit_chart_html, None),
        latex=(skip_chart, None),
        text=(skip_chart, None),
        man=(skip_chart, None),
        texinfo=(skip_chart, None),
    )
    app.add_directive_to_domain("ra2", "coverage", CoverageDirective)
    app.add_directive_to_domain("ra2", "matrix", MatrixDirective)
    app.add_directive_to_domain("ra2", "gaps", GapsDirective)
