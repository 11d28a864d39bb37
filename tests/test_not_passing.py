"""The view that answers "which mandatory requirements are not passing?" (ra2:not-passing, conformance page)."""

from __future__ import annotations

from conftest import EDITION_2020, ROOT

from ra2docs.coverage import REQUIREMENT_KINDS
from ra2docs.graph import TraceGraph
from ra2docs.loader import load_catalogue
from ra2docs.model import is_mandatory
from ra2docs.results import read_file
from ra2docs.results.verdicts import ALL_VERDICTS, NO_TEST, PASS, compute
from ra2docs.views.table import plain
from ra2docs.views.unmet import HEADERS, not_passing_view


def shipped() -> TraceGraph:
    return TraceGraph(load_catalogue(EDITION_2020 / "catalogue", base=ROOT).catalogue)


def sample_verdicts(graph: TraceGraph):
    files = sorted(
        p for p in (ROOT / "results" / "sample").rglob("*") if p.is_file() and p.suffix in {".xml", ".json", ".yml"}
    )
    results = [r for path in files for r in read_file(path)]
    return compute(graph, results)


def test_every_mandatory_requirement_not_passing_is_listed_worst_first_with_its_facts():
    graph = shipped()
    verdicts = sample_verdicts(graph)
    view = not_passing_view(graph, verdicts)
    assert [plain(h) for h in view.headers] == list(HEADERS)
    listed = [row.item for row in view.rows]
    expected = {
        i.id
        for i in graph.catalogue.items.values()
        if i.kind in REQUIREMENT_KINDS and is_mandatory(i) and verdicts.of(i.id) != PASS
    }
    assert set(listed) == expected and len(listed) == len(expected) > 100
    shown = [row.cells[5][0].value for row in view.rows]
    assert PASS not in shown and "fail" in shown
    assert [ALL_VERDICTS.index(v) for v in shown] == sorted(ALL_VERDICTS.index(v) for v in shown)  # worst first
    by_id = {row.item: [plain(c) for c in row.cells] for row in view.rows}
    assert by_id["req.inf.ntw.04"][2:5] == ["MUST", "2.3 Kubernetes Architecture Requirements", "e2e.dual-stack"]
    # an RM item's priority is the profile value that obliges
    assert by_id["infra.com.cfg.004"][2] == "Must support (Basic); Must support (Network Intensive)"
    assert by_id[next(i for i, v in zip(listed, shown, strict=True) if v == NO_TEST)][4] == "none"


def test_without_results_every_mandatory_requirement_has_no_test():
    graph = shipped()
    view = not_passing_view(graph, None)
    mandatory = [i for i in graph.catalogue.items.values() if i.kind in REQUIREMENT_KINDS and is_mandatory(i)]
    assert len(view.rows) == len(mandatory)
    assert {row.cells[5][0].value for row in view.rows} == {NO_TEST}
