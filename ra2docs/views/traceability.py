"""Traceability views: coverage, matrices, the gap report and the conformance tables, computed once.

The figures come from ``ra2docs.coverage`` and ``ra2docs.results.verdicts``;
this module lays them out as table views that the Sphinx extension and
``expand`` render alike.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ra2docs import coverage
from ra2docs.graph import TraceGraph
from ra2docs.model import is_mandatory, natural_key
from ra2docs.views.table import Cell, Part, TableView, ViewRow, markup, refs, text


def _pct(value: float) -> str:
    return f"{value:.0f}%"


def _in_section(item_section: str, wanted: str) -> bool:
    return not wanted or item_section == wanted or item_section.startswith(wanted + ".")


@dataclass
class CoverageView:
    table: TableView
    chart: list[tuple[str, int, float, float]]  # label, total, specified %, verified %
    items: list[str] = field(default_factory=list)  # every item counted


def coverage_view(graph: TraceGraph, by: str, kinds: tuple[str, ...] = coverage.REQUIREMENT_KINDS) -> CoverageView:
    rows = coverage.coverage(graph, by, kinds)
    all_row = coverage.total(graph, rows)
    body: list[ViewRow] = []
    for row in rows:
        label = f"{row.group} {row.title}".strip() if by == "section" else row.title
        body.append(
            ViewRow(
                [
                    text(label),
                    text(row.total),
                    text(f"{row.specified} ({_pct(row.specified_pct)})"),
                    text(f"{row.verified} ({_pct(row.verified_pct)})"),
                ]
            )
        )
    footer = [
        ViewRow(
            [
                (Part.bold(all_row.title),),
                text(all_row.total),
                text(f"{all_row.specified} ({_pct(all_row.specified_pct)})"),
                text(f"{all_row.verified} ({_pct(all_row.verified_pct)})"),
            ],
            classes=("ra2-total",),
        )
    ]
    headers = [
        text("Section" if by == "section" else "Profile"),
        text("Items" if by == "section" else "Mandatory items"),
        text("Specified"),
        text("Verified"),
    ]
    chart = [
        (r.group if by == "section" and r.group != "total" else r.title, r.total, r.specified_pct, r.verified_pct)
        for r in [*rows, all_row]
    ]
    table = TableView(headers, body, widths=[40, 12, 24, 24], classes=["ra2-coverage"], footer=footer)
    return CoverageView(table, chart, all_row.items)


def forward_view(
    graph: TraceGraph, kinds: tuple[str, ...] = coverage.REQUIREMENT_KINDS, section: str = "", verdicts: Any = None
) -> TableView:
    """Requirement -> specifications -> tests, with the verdict when results are read."""
    cat = graph.catalogue
    body: list[ViewRow] = []
    for row in coverage.forward(graph, kinds):
        item = cat.items[row.item]
        if not _in_section(item.section, section):
            continue
        tests = graph.sort_ids({t for _, ts in row.specifications for t in ts} | set(row.direct_tests))
        cells: list[Cell] = [
            refs([row.item]),
            markup(item.title),
            refs([s for s, _ in row.specifications]) or text("—"),
            refs(tests) or text("—"),
        ]
        if verdicts is not None:
            cells.append((Part.verdict(verdicts.of(row.item)),))
        body.append(ViewRow(cells, item=row.item))
    headers = [text("Requirement"), text("Title"), text("Specifications"), text("Tests")]
    widths = [20, 40, 20, 20]
    if verdicts is not None:
        headers.append(text("Verdict"))
        widths = [18, 36, 18, 18, 10]
    return TableView(headers, body, widths=widths, classes=["ra2-matrix", "ra2-forward"])


def backward_view(graph: TraceGraph, kind: str = "specification") -> TableView:
    cat = graph.catalogue
    body: list[ViewRow] = []
    for row in coverage.backward(graph, kind):
        item = cat.items[row.item]
        verifiers = graph.sources_of(row.item, field="verifies")
        last = row.upstream if kind == "test-case" else verifiers
        body.append(
            ViewRow(
                [refs([row.item]), markup(item.title), refs(row.targets) or text("—"), refs(last) or text("—")],
                item=row.item,
            )
        )
    first = "Test case" if kind == "test-case" else cat.kinds[kind].label
    headers = [
        text(first),
        text("Title"),
        text("Verifies" if kind == "test-case" else "Traces to"),
        text("Requirements" if kind == "test-case" else "Verified by"),
    ]
    return TableView(headers, body, widths=[20, 40, 20, 20], classes=["ra2-matrix", "ra2-backward"])


def grid_view(
    graph: TraceGraph,
    row_kind: str,
    column_kind: str,
    section: str = "",
    transitive: bool = False,
    all_columns: bool = False,
) -> TableView:
    cat = graph.catalogue
    row_ids = [i.id for i in cat.by_kind(row_kind) if _in_section(i.section, section)]
    column_ids = [i.id for i in cat.by_kind(column_kind)]
    cells = coverage.matrix(graph, row_ids, column_ids, transitive=transitive)
    if not all_columns:
        keep = [c for c, _ in enumerate(column_ids) if any(row[c] for row in cells)]
        column_ids = [column_ids[c] for c in keep]
        cells = [[row[c] for c in keep] for row in cells]
    body = [
        ViewRow([refs([r]), *(text("✓") if mark else () for mark in row)], item=r)
        for r, row in zip(row_ids, cells, strict=True)
    ]
    headers = [text(cat.kinds[row_kind].label), *(text(c) for c in column_ids)]
    return TableView(headers, body, widths=[16] + [4] * len(column_ids), classes=["ra2-matrix", "ra2-grid"])


@dataclass
class GapsView:
    declared: TableView
    computed: list[tuple[str, list[str]]]  # title, item IDs


def gaps_view(graph: TraceGraph) -> GapsView:
    cat = graph.catalogue
    gaps = sorted(cat.by_kind("gap"), key=lambda g: natural_key(g.section))
    # a status only where the catalogue states one (upstream RA2 gives its gaps none)
    with_status = any("status" in gap.data for gap in gaps)
    body = [
        ViewRow(
            [
                refs([gap.id]),
                markup(f"{gap.section} {gap.title}".strip()),
                refs(graph.targets_of(gap.id, "related")) or text("—"),
                markup(gap.data.get("baseline", "")),
                *([text(gap.data.get("status", "not stated"))] if with_status else []),
            ],
            item=gap.id,
        )
        for gap in gaps
    ]
    headers = [text("Gap"), text("Title"), text("Related items"), text("Baseline")]
    widths = [22, 30, 26, 12]
    if with_status:
        headers.append(text("Status"))
        widths.append(10)
    declared = TableView(headers, body, widths=widths, classes=["ra2-gaps"])
    computed_gaps = coverage.computed_gaps(graph)
    computed = [
        ("Mandatory requirements with no specification", computed_gaps.mandatory_without_specification),
        ("Specifications that trace to nothing", computed_gaps.specification_tracing_nothing),
        ("Mandatory requirements that no test verifies", computed_gaps.mandatory_without_test),
    ]
    return GapsView(declared, computed)


# -- conformance --------------------------------------------------------------------------


@dataclass
class ResultsView:
    summary: str
    tests: TableView
    sections: TableView
    items: TableView
    scope: str


def results_view(graph: TraceGraph, verdicts: Any, results: list[Any], scope: str = "mandatory") -> ResultsView:
    from ra2docs.results.verdicts import ALL_VERDICTS, NO_TEST

    cat = graph.catalogue
    files = ", ".join(sorted({r.source.split(":")[0] for r in results})) or "none"
    summary = (
        f"{len(results)} results read from {files}; {len(verdicts.unmatched)} of them verify no catalogue item. "
        "An item's verdict is the worst of the tests that reach it: fail, stale, not run, skipped, pass."
    )
    rows: list[ViewRow] = []
    for test_id, tv in sorted(verdicts.tests.items(), key=lambda kv: natural_key(kv[0])):
        counts = ", ".join(f"{n} {s}" for s, n in sorted(tv.counts.items())) or "no result"
        sources = ", ".join(sorted({r.source for r in tv.results})) or "—"
        rows.append(
            ViewRow(
                [
                    refs([test_id]),
                    (Part.verdict(tv.verdict),),
                    text(counts),
                    text(f"{tv.date:%Y-%m-%d %H:%M}" if tv.date else "—"),
                    text(sources),
                    refs(graph.targets_of(test_id, "verifies")),
                ],
                item=test_id,
            )
        )
    tests = TableView(
        [text(h) for h in ("Test case", "Verdict", "Results", "Date", "Result file", "Verifies")],
        rows,
        widths=[20, 10, 16, 14, 20, 20],
        classes=["ra2-results", "ra2-test-verdicts"],
    )
    by_section = verdicts.counts_by_section(graph, coverage.REQUIREMENT_KINDS)
    section_rows: list[ViewRow] = []
    totals: Counter[str] = Counter()
    for section, counts in by_section.items():
        title = cat.sections[section].title if section in cat.sections else ""
        section_rows.append(ViewRow([text(f"{section} {title}".strip()), *(text(counts[v]) for v in ALL_VERDICTS)]))
        totals.update(counts)
    footer = [ViewRow([(Part.bold("All"),), *(text(totals[v]) for v in ALL_VERDICTS)], classes=("ra2-total",))]
    sections = TableView(
        [text("Section"), *(text(v) for v in ALL_VERDICTS)],
        section_rows,
        widths=[40, *([10] * len(ALL_VERDICTS))],
        classes=["ra2-results", "ra2-section-verdicts"],
        footer=footer,
    )
    items = [
        i
        for i in cat.sorted_items()
        if i.kind in coverage.REQUIREMENT_KINDS and (scope == "all" or is_mandatory(i)) and verdicts.of(i.id) != NO_TEST
    ]
    item_rows = [
        ViewRow(
            [refs([i.id]), markup(i.title), (Part.verdict(verdicts.of(i.id)),), refs(verdicts.items[i.id].tests)],
            item=i.id,
        )
        for i in items
    ]
    items_view = TableView(
        [text("Item"), text("Title"), text("Verdict"), text("Tests")],
        item_rows,
        widths=[20, 40, 10, 30],
        classes=["ra2-results", "ra2-item-verdicts"],
    )
    return ResultsView(summary, tests, sections, items_view, scope)


# -- comparisons ------------------------------------------------------------------------


@dataclass
class ComparisonView:
    caption: str
    table: TableView
    legend: list[str]  # the support levels
    notes: list[tuple[str, str]]  # (id, text)


def comparison_view(graph: TraceGraph, comparison_id: str) -> ComparisonView:
    cat = graph.catalogue
    comp = cat.comparisons[comparison_id]
    rows: list[ViewRow] = []
    for row in comp.rows:
        item = cat.items.get(row.item) if row.item else None
        label = row.label or (item.title if item else "")
        first: Cell = ((Part.markup(label),) if label else ()) + (
            (Part.text(" ("), Part.ref(row.item), Part.text(")")) if row.item else ()
        )
        cells: list[Cell] = [first]
        for solution, _title in comp.solutions:
            cell = row.cells.get(solution)
            if cell is None:
                cells.append(())
                continue
            level: Cell = (Part.text(comp.level_label(cell.level)),)
            cells.append(level + ((Part.text(" "), Part.note_mark(f"({cell.note})")) if cell.note else ()))
        rows.append(ViewRow(cells, item=row.item))
    headers = [text(comp.row_header), *(text(title) for _, title in comp.solutions)]
    table = TableView(headers, rows, widths=[2] + [1] * len(comp.solutions), classes=["ra2-comparison"])
    return ComparisonView(comp.title, table, [label for _, label in comp.levels], list(comp.notes))
