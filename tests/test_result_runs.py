"""Runs: each result belongs to a run; verdicts per run, the current one per label, whatever the order."""

from __future__ import annotations

import json
import random
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

from conftest import PROFILES, SHARED, ra2docs, run, write
from hypothesis import given, settings
from hypothesis import strategies as st

from ra2docs.graph import TraceGraph
from ra2docs.loader import load_catalogue
from ra2docs.results import expand_runs, read_all
from ra2docs.results.result import Result
from ra2docs.results.verdicts import compute, gate

RECORD = json.loads((SHARED / "fixtures" / "check-results" / "xtesting_result_record.json").read_text())
RECORD.pop("_comment")

CATALOGUE = {
    "profiles.yaml": PROFILES,
    "items.yaml": """\
    items:
      - {id: req.gen.cnt.03, kind: ra-requirement, title: Conformance, priority: MUST}
      - {id: req.inf.ntw.04, kind: ra-requirement, title: Dual stack, priority: MUST}
      - {id: k8s_conformance, kind: test-case, title: Conformance, match: {case-name: k8s_conformance}, verifies: [req.gen.cnt.03]}
      - {id: xrally_kubernetes, kind: test-case, title: Rally, match: {case-name: xrally_kubernetes}, verifies: [req.inf.ntw.04]}
      - id: e2e.network
        kind: test-case
        title: Network conformance, not the slow ones
        match: {tag: '[sig-network]', exclude: ['\\[Slow\\]', '\\[Disruptive\\]']}
        verifies: [req.inf.ntw.04]
    """,
}


def graph_of(tmp_path: Path) -> TraceGraph:
    return TraceGraph(load_catalogue(write(tmp_path / "cat", CATALOGUE)).catalogue)


def record(case: str, criteria: str, build_tag: str, stop: str, pod: str = "pod1") -> dict:
    return dict(RECORD, case_name=case, criteria=criteria, build_tag=build_tag, stop_date=stop, pod_name=pod)


def write_records(path: Path, *records: dict) -> Path:
    path.write_text(json.dumps(list(records)))
    return path


def test_the_latest_run_of_a_label_decides_whatever_the_order_of_the_files(tmp_path):
    graph = graph_of(tmp_path)
    yesterday = write_records(tmp_path / "a.json", record("k8s_conformance", "FAIL", "BT1", "2024-05-01 10:00:00"))
    today = write_records(tmp_path / "b.json", record("k8s_conformance", "PASS", "BT2", "2024-05-02 10:00:00"))
    for order in ([yesterday, today], [today, yesterday]):
        results, errors = read_all(order)
        assert not errors
        verdicts = compute(graph, results)
        test = verdicts.tests["k8s_conformance"]
        assert test.verdict == "pass" and [h.verdict for h in test.history] == ["fail", "pass"]
        assert [r.id for r in verdicts.runs] == ["BT1", "BT2"]
        assert verdicts.of("req.gen.cnt.03") == "pass"
        assert list(verdicts.items["req.gen.cnt.03"].history.values()) == ["fail", "pass"]


def test_a_test_the_latest_run_left_out_is_not_run_with_its_last_result(tmp_path):
    graph = graph_of(tmp_path)
    first = write_records(
        tmp_path / "a.json",
        record("k8s_conformance", "PASS", "BT1", "2024-05-01 10:00:00"),
        record("xrally_kubernetes", "PASS", "BT1", "2024-05-01 10:30:00"),
    )
    second = write_records(tmp_path / "b.json", record("k8s_conformance", "PASS", "BT2", "2024-05-02 10:00:00"))
    results, _ = read_all([second, first])
    verdicts = compute(graph, results)
    rally = verdicts.tests["xrally_kubernetes"]
    assert rally.verdict == "not run" and not rally.results
    assert rally.last["pod1"].verdict == "pass" and rally.last["pod1"].run.id == "BT1"
    assert rally.date == datetime(2024, 5, 1, 10, 30)
    assert [(h.run.id, h.verdict) for h in rally.history] == [("BT1", "pass"), ("BT2", "not run")]
    # the mandatory requirement it verifies is not run, never a pass
    assert verdicts.of("req.inf.ntw.04") == "not run"
    assert gate(graph, verdicts, {"fail", "not run"}) == ["req.inf.ntw.04"]


def test_labels_keep_environments_apart_and_the_worst_current_one_counts(tmp_path):
    graph = graph_of(tmp_path)
    (tmp_path / "lab-a").mkdir()
    (tmp_path / "lab-b").mkdir()
    write_records(tmp_path / "lab-a" / "r.json", record("k8s_conformance", "PASS", "BT", "2024-05-03 10:00:00"))
    write_records(tmp_path / "lab-b" / "r.json", record("k8s_conformance", "FAIL", "BT", "2024-05-01 10:00:00"))
    sources = [{"label": "lab-a", "files": ["lab-a/*.json"]}, {"label": "vendor B", "files": ["lab-b/*.json"]}]
    results, _ = read_all(expand_runs(sources, tmp_path))
    verdicts = compute(graph, results)
    assert [(r.label, r.id) for r in verdicts.runs] == [("vendor B", "BT"), ("lab-a", "BT")]
    assert verdicts.tests["k8s_conformance"].verdict == "fail"  # vendor B's latest run failed it


def test_exclude_rules_leave_skip_list_cases_out(tmp_path):
    graph = graph_of(tmp_path)
    junit = tmp_path / "junit.xml"
    junit.write_text(
        '<testsuite name="e2e" timestamp="2024-05-01T10:00:00">'
        '<testcase name="[sig-network] Services should serve [Conformance]"/>'
        '<testcase name="[sig-network] Networking should survive [Slow]"><failure message="x"/></testcase>'
        "</testsuite>"
    )
    results, _ = read_all([junit])
    test = compute(graph, results).tests["e2e.network"]
    assert test.verdict == "pass" and [r.name for r in test.results] == [
        "[sig-network] Services should serve [Conformance]"
    ]


def test_the_cli_takes_runs_with_labels(tmp_path):
    folder = write(tmp_path / "cat", CATALOGUE)
    (tmp_path / "a").mkdir()
    write_records(tmp_path / "a" / "r.json", record("k8s_conformance", "PASS", "BT1", "2024-05-01 10:00:00"))
    write_records(tmp_path / "b.json", record("k8s_conformance", "FAIL", "BT2", "2024-05-02 10:00:00"))
    done = ra2docs(
        "results", "--run", "lab-a=a/*.json", "--run", "lab-b=b.json", "--catalogue", str(folder),
        "--format", "json", cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    data = json.loads(done.stdout)
    assert [(r["label"], r["id"]) for r in data["runs"]] == [("lab-a", "BT1"), ("lab-b", "BT2")]
    assert data["tests"]["k8s_conformance"]["verdict"] == "fail"
    bad = ra2docs("results", "--run", "nolabel", "--catalogue", str(folder), cwd=tmp_path)
    assert bad.returncode == 2 and "--run LABEL=FILES" in bad.stderr and "Traceback" not in bad.stderr
    text = ra2docs("results", "b.json", "--label", "lab-x", "--catalogue", str(folder), cwd=tmp_path)
    assert "lab-x  xtesting BT2" in text.stdout


BASE = datetime(2024, 1, 1)
result_strategy = st.builds(
    lambda case, status, label, run_id, hours, dated: Result(
        name=case,
        status=status,
        source=f"{label}-{run_id}.json",
        run=run_id,
        date=BASE + timedelta(hours=hours) if dated else None,
        case_name=case,
        environment=label,
        tool="xtesting",
    ),
    st.sampled_from(["k8s_conformance", "xrally_kubernetes", "other_case"]),
    st.sampled_from(["pass", "fail", "skip", "error", "other"]),
    st.sampled_from(["", "lab-a", "lab-b"]),
    st.sampled_from(["R1", "R2", "R3"]),
    st.integers(0, 48),
    st.booleans(),
)


def _summary(verdicts):
    tests = {
        t: (v.verdict, v.date, [(h.run.key, h.verdict) for h in v.history], sorted(v.last))
        for t, v in verdicts.tests.items()
    }
    items = {i: (v.verdict, v.date, sorted(v.history.items())) for i, v in verdicts.items.items()}
    return tests, items, [r.key for r in verdicts.runs], [(r.source, r.name) for r in verdicts.unmatched]


@settings(max_examples=150, deadline=None)
@given(st.lists(result_strategy, max_size=25), st.randoms(use_true_random=False))
def test_argument_order_never_changes_a_verdict(tmp_path_factory, results, shuffler: random.Random):
    graph = _GRAPH.get("graph") or _GRAPH.setdefault("graph", graph_of(tmp_path_factory.mktemp("cat")))
    shuffled = [replace(r) for r in results]
    shuffler.shuffle(shuffled)
    assert _summary(compute(graph, results)) == _summary(compute(graph, shuffled))


_GRAPH: dict[str, TraceGraph] = {}


def test_regressions_coverage_matrix_and_history(tmp_path):
    from ra2docs.views.conformance import coverage, history_cell, matrix_view, regressions

    graph = graph_of(tmp_path)
    first = write_records(
        tmp_path / "a.json",
        record("k8s_conformance", "PASS", "BT1", "2024-05-01 10:00:00"),
        record("xrally_kubernetes", "PASS", "BT1", "2024-05-01 10:00:00"),
    )
    second = write_records(
        tmp_path / "b.json",
        record("k8s_conformance", "FAIL", "BT2", "2024-05-02 10:00:00"),
        record("xrally_kubernetes", "PASS", "BT2", "2024-05-02 10:00:00"),
    )
    verdicts = compute(graph, read_all([second, first])[0])
    found = regressions(verdicts)
    assert [(r.test, r.label, r.before, r.after, r.after_run.id) for r in found] == [
        ("k8s_conformance", "pod1", "pass", "fail", "BT2")
    ]
    figures = coverage(graph, verdicts)
    # req.inf.ntw.04: its e2e test never ran, so it is not run (not passing) although rally passed
    assert (figures.must, figures.mapped, figures.resolving, figures.run, figures.passing) == (2, 2, 2, 1, 0)
    matrix = matrix_view(graph, verdicts)
    rows = {row.item: [tuple(part.code for part in c) for c in row.cells] for row in matrix.rows}
    assert rows["req.gen.cnt.03"][2:] == [(("t", "1 pass"),), (("t", "1 fail"),), (("v", "fail"),)]
    # e2e.network has no result anywhere: only the Xtesting case counts for req.inf.ntw.04
    assert rows["req.inf.ntw.04"][2:4] == [(("t", "1 pass"),), (("t", "1 pass"),)]
    history = history_cell(verdicts, "k8s_conformance")
    assert tuple(part.code for part in history) == (
        ("t", "pod1 2024-05-01 10:00 "),
        ("v", "pass"),
        ("t", " → "),
        ("t", "pod1 2024-05-02 10:00 "),
        ("v", "fail"),
    )


def test_diff_reports_verdict_regressions_when_result_files_change(tmp_path):
    import subprocess

    def git(*args: str) -> None:
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
            cwd=tmp_path, check=True, capture_output=True,
        )  # fmt: skip

    write(tmp_path / "catalogue", CATALOGUE)
    (tmp_path / "results").mkdir()
    write_records(tmp_path / "results" / "r.json", record("k8s_conformance", "PASS", "BT1", "2024-05-01 10:00:00"))
    git("init", "-q", "-b", "main")
    git("add", "-A")
    git("commit", "-q", "-m", "base")
    write_records(tmp_path / "results" / "r.json", record("k8s_conformance", "FAIL", "BT2", "2024-05-02 10:00:00"))
    git("commit", "-q", "-am", "a failing run")
    done = ra2docs("diff", "HEAD~1", "HEAD", "--results", "results", cwd=tmp_path)
    assert "Traceback" not in done.stderr, done.stderr
    assert "verdict regressions (result files in results): 2" in done.stdout
    assert "pass -> fail  k8s_conformance (test-case)" in done.stdout
    assert "pass -> fail  req.gen.cnt.03 (item)" in done.stdout
    # the working tree, back to a pass: no regression against HEAD
    write_records(tmp_path / "results" / "r.json", record("k8s_conformance", "PASS", "BT3", "2024-05-03 10:00:00"))
    done = ra2docs("diff", "HEAD", "--results", "results", cwd=tmp_path)
    assert "verdict regressions (result files in results): none" in done.stdout
    refused = ra2docs("diff", "HEAD", "--results", "results", "--format", "json", cwd=tmp_path)
    assert refused.returncode == 2 and "text and markdown" in refused.stderr


def test_the_site_takes_labelled_runs_and_says_when_verdicts_are_samples(tmp_path):
    """A small real Sphinx build: runs from conf.py, the conformance page, the caveat on every verdict table."""
    from htmlparse import parse

    write(tmp_path / "catalogue", CATALOGUE)
    (tmp_path / "results" / "lab-a").mkdir(parents=True)
    write_records(
        tmp_path / "results" / "lab-a" / "1.json", record("k8s_conformance", "PASS", "A1", "2024-05-01 10:00:00")
    )
    write_records(
        tmp_path / "results" / "lab-a" / "2.json", record("k8s_conformance", "FAIL", "A2", "2024-05-02 10:00:00")
    )
    write_records(tmp_path / "results" / "vendor.json", record("k8s_conformance", "PASS", "V1", "2024-05-03 10:00:00"))
    conf = """\
        extensions = ["ra2docs.sphinx"]
        ra2docs_catalogue = "../catalogue"
        ra2docs_results = [{"label": "lab-a", "files": ["../results/lab-a/*.json"]},
                           {"label": "vendor X", "files": ["../results/vendor.json"]}]
        ra2docs_results_samples = True
        ra2docs_downloads = False
        html_theme = "alabaster"
        """
    page = """\
        Conformance
        ===========

        .. ra2:results::
           :items: all

        .. ra2:table::
           :kind: ra-requirement
           :columns: id text verdict
        """
    write(tmp_path / "source", {"conf.py": conf, "index.rst": page})
    done = run("sphinx-build", "-W", "-q", "-b", "html", str(tmp_path / "source"), str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    html = (tmp_path / "out" / "index.html").read_text()
    tables = [t for t in parse(html).tables.values() if t]
    runs = next(t for t in tables if t[0][0] == "Date")
    assert [row[1:4] for row in runs[1:]] == [
        ["lab-a", "xtesting", "A1"], ["lab-a", "xtesting", "A2"], ["vendor X", "xtesting", "V1"],
    ]  # fmt: skip
    tests = next(t for t in tables if t[0][:2] == ["Test case", "Verdict"])
    # lab-a's latest run failed the test: the worst label counts
    assert ["k8s_conformance", "fail"] in [row[:2] for row in tests]
    regressions = next(t for t in tables if "Before" in t[0])
    assert [row[:3] for row in regressions[1:]] == [["k8s_conformance", "lab-a", "pass"]]
    caveat = "Verdicts from sample result files, not from a real run."
    assert html.count(caveat) == html.count("<table")  # every table on the page shows verdicts


def test_a_later_run_of_another_functest_container_says_nothing_of_the_smoke_cases(tmp_path):
    graph = graph_of(tmp_path)
    smoke = write_records(
        tmp_path / "smoke.json",
        record("k8s_conformance", "PASS", "SMOKE", "2024-05-01 10:00:00"),
        record("xrally_kubernetes", "PASS", "SMOKE", "2024-05-01 10:00:00"),
    )
    security = write_records(tmp_path / "security.json", record("kube_hunter", "PASS", "SEC", "2024-05-02 10:00:00"))
    smoke_again = write_records(
        tmp_path / "smoke2.json", record("k8s_conformance", "PASS", "SMOKE2", "2024-05-03 10:00:00")
    )
    verdicts = compute(graph, read_all([smoke, security])[0])
    assert verdicts.tests["k8s_conformance"].verdict == "pass"  # the security run never held a smoke case
    assert [h.run.id for h in verdicts.tests["k8s_conformance"].history] == ["SMOKE"]
    # a later smoke run that left xrally_kubernetes out: that one is not run now
    verdicts = compute(graph, read_all([smoke, security, smoke_again])[0])
    rally = verdicts.tests["xrally_kubernetes"]
    assert rally.verdict == "not run" and [(h.run.id, h.verdict) for h in rally.history] == [
        ("SMOKE", "pass"),
        ("SMOKE2", "not run"),
    ]


def test_expand_writes_the_conformance_tables_and_the_sample_caveat(tmp_path):
    from ra2docs.expand import Directive, expand_results

    graph = graph_of(tmp_path)
    (tmp_path / "sample").mkdir()
    path = write_records(
        tmp_path / "sample" / "r.json", record("k8s_conformance", "PASS", "BT1", "2024-05-01 10:00:00")
    )
    results, _ = read_all([path], tmp_path)
    lines = expand_results(Directive("ra2:results", "", {"items": "all"}, []), graph, compute(graph, results), results)
    text = "\n".join(lines)
    assert "**Runs (1, oldest first)**" in text and "2 MUST requirements\\: 2 mapped to a test" in text
    assert text.count(".. list-table:: Verdicts from sample result files, not from a real run.") == 5
    real = write_records(tmp_path / "r.json", record("k8s_conformance", "PASS", "BT1", "2024-05-01 10:00:00"))
    results, _ = read_all([real], tmp_path)
    lines = expand_results(Directive("ra2:results", "", {}, []), graph, compute(graph, results), results)
    assert "Verdicts from sample" not in "\n".join(lines)
