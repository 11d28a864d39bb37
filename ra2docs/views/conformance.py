"""Conformance over runs: the runs read, MUST coverage, the requirement x run matrix, regressions.

Computed from ``ra2docs.results.verdicts`` only; rendered by the Sphinx extension and ``expand``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from typing import Any

from ra2docs.coverage import REQUIREMENT_KINDS
from ra2docs.graph import TraceGraph
from ra2docs.model import Item, is_mandatory, natural_key
from ra2docs.results.verdicts import NO_TEST, NOT_RUN, ORDER, PASS, Run, RunKey, Verdicts
from ra2docs.views.table import Cell, Part, TableView, ViewRow, refs, text

SAMPLE_CAVEAT = "Verdicts from sample result files, not from a real run."


def _when(run: Run) -> str:
    return f"{run.date:%Y-%m-%d %H:%M}" if run.date else "undated"


def run_heading(run: Run) -> str:
    return f"{run.label or '(no label)'} {_when(run)}"


@dataclass
class Coverage:
    must: int  # MUST requirements (mandatory items of the requirement kinds)
    mapped: int  # with at least one test that reaches them
    resolving: int  # ... whose tests found results in some run
    run: int  # ... run by the current runs (a verdict other than 'not run')
    passing: int  # ... passing now

    def sentence(self) -> str:
        return (
            f"{self.must} MUST requirements: {self.mapped} mapped to a test, {self.resolving} whose tests "
            f"resolve to results, {self.run} run by the latest runs, {self.passing} passing."
        )


def _requirements(graph: TraceGraph) -> list[Item]:
    """Requirements, MUST first (then by ID)."""
    items = [i for i in graph.catalogue.items.values() if i.kind in REQUIREMENT_KINDS]
    return sorted(items, key=lambda i: (not is_mandatory(i), natural_key(i.id)))


def coverage(graph: TraceGraph, verdicts: Verdicts) -> Coverage:
    must = [i for i in _requirements(graph) if is_mandatory(i)]
    mapped = [i for i in must if i.id in verdicts.items]
    resolving = [i for i in mapped if verdicts.items[i.id].history]
    ran = [i for i in resolving if verdicts.of(i.id) not in (NOT_RUN, NO_TEST)]
    passing = [i for i in ran if verdicts.of(i.id) == PASS]
    return Coverage(len(must), len(mapped), len(resolving), len(ran), len(passing))


def runs_view(verdicts: Verdicts) -> TableView:
    rows = [
        ViewRow(
            [
                text(_when(run)),
                text(run.label or "(no label)"),
                text(run.tool),
                text(run.id),
                text(", ".join(run.files)),
                text("complete" if run.complete else "incomplete (written while running)"),
            ]
        )
        for run in verdicts.runs
    ]
    return TableView(
        [text(h) for h in ("Date", "Label", "Tool", "Run", "Files", "State")],
        rows,
        widths=[14, 14, 12, 20, 30, 10],
        classes=["ra2-results", "ra2-runs"],
    )


def _cell_counts(found: Counter[str]) -> Cell:
    return text(", ".join(f"{found[v]} {v}" for v in ORDER if found[v]))


def matrix_view(graph: TraceGraph, verdicts: Verdicts) -> TableView:
    """Requirement x run: in each cell, how many of the tests reaching the requirement had each verdict there."""
    by_test_run: dict[str, dict[RunKey, str]] = {
        t: {h.run.key: h.verdict for h in tv.history} for t, tv in verdicts.tests.items()
    }
    rows: list[ViewRow] = []
    for item in _requirements(graph):
        found = verdicts.items.get(item.id)
        if found is None or not found.history:
            continue
        cells: list[Cell] = [refs([item.id]), text("MUST" if is_mandatory(item) else (item.priority or ""))]
        for run in verdicts.runs:
            counts = Counter(by_test_run[t][run.key] for t in found.tests if run.key in by_test_run.get(t, {}))
            if not counts and run.key in found.history:  # results that name the item directly
                counts[found.history[run.key]] += 1
            cells.append(_cell_counts(counts))
        cells.append((Part.verdict(found.verdict),))
        rows.append(ViewRow(cells, item=item.id))
    headers = [text("Requirement"), text("Priority"), *(text(run_heading(r)) for r in verdicts.runs), text("Now")]
    return TableView(headers, rows, classes=["ra2-results", "ra2-run-matrix"])


@dataclass
class Regression:
    test: str
    label: str
    before: str
    after: str
    before_run: Run
    after_run: Run


def regressions(verdicts: Verdicts) -> list[Regression]:
    """Tests whose verdict got worse between the last two runs of a label that could have run them."""
    found: list[Regression] = []
    for test_id, tv in sorted(verdicts.tests.items(), key=lambda kv: natural_key(kv[0])):
        for label in sorted({h.run.label for h in tv.history}):
            mine = [h for h in tv.history if h.run.label == label]
            if len(mine) < 2:
                continue
            before, after = mine[-2], mine[-1]
            if ORDER.index(after.verdict) < ORDER.index(before.verdict):
                found.append(Regression(test_id, label, before.verdict, after.verdict, before.run, after.run))
    return found


def regressions_view(verdicts: Verdicts) -> TableView:
    rows = [
        ViewRow(
            [
                refs([r.test]),
                text(r.label or "(no label)"),
                ((Part.verdict(r.before),)),
                text(f"{r.before_run.id} ({_when(r.before_run)})"),
                ((Part.verdict(r.after),)),
                text(f"{r.after_run.id} ({_when(r.after_run)})"),
            ],
            item=r.test,
        )
        for r in regressions(verdicts)
    ]
    return TableView(
        [text(h) for h in ("Test case", "Label", "Before", "Run", "Now", "Run")],
        rows,
        classes=["ra2-results", "ra2-regressions"],
    )


def history_cell(verdicts: Verdicts, item_id: str) -> Cell:
    """An entry's verdicts run by run, oldest first: 'lab-a 2024-05-01 fail → lab-a 2024-05-02 pass'."""
    runs = {run.key: run for run in verdicts.runs}
    if item_id in verdicts.tests:
        steps = [(h.run, h.verdict) for h in verdicts.tests[item_id].history]
    elif item_id in verdicts.items:
        steps = [(runs[k], v) for k, v in verdicts.items[item_id].history.items() if k in runs]
        steps.sort(key=lambda step: step[0].order)
    else:
        return ()
    parts: list[Part] = []
    for index, (run, verdict) in enumerate(steps):
        if index:
            parts.append(Part.text(" → "))
        parts += [Part.text(f"{run_heading(run)} "), Part.verdict(verdict)]
    return tuple(parts)


def with_history(view: TableView, verdicts: Verdicts) -> TableView:
    """The table with a last column showing each row's verdict run by run."""
    rows = [replace(row, cells=[*row.cells, history_cell(verdicts, row.item)]) for row in view.rows]
    widths = [*view.widths, 30] if view.widths else None
    footer = [replace(row, cells=[*row.cells, ()]) for row in view.footer]
    return TableView([*view.headers, text("History")], rows, widths, view.classes, footer)


def conformance_tables(
    graph: TraceGraph, verdicts: Verdicts, results: list[Any], scope: str
) -> tuple[str, list[tuple[str, TableView]]]:
    """The conformance report: its opening sentences and its tables, each with its heading."""
    from ra2docs.views.traceability import results_view

    view = results_view(graph, verdicts, results, scope)
    title = "Mandatory requirements with a test" if scope == "mandatory" else "Requirements with a test"
    opening = f"{view.summary} {coverage(graph, verdicts).sentence()}"
    return opening, [
        (f"Runs ({len(verdicts.runs)}, oldest first)", runs_view(verdicts)),
        ("Requirements by run (MUST first; how many tests had each verdict in each run)", matrix_view(graph, verdicts)),
        ("Regressions between the last two runs of each label", regressions_view(verdicts)),
        ("Test cases", with_history(view.tests, verdicts)),
        ("Requirements by section", view.sections),
        (title, with_history(view.items, verdicts)),
    ]
