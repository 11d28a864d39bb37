"""Live check results: readers, mapping tests to items, verdicts, the CLI gate, safety."""

from __future__ import annotations

import json
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
from conftest import PROFILES, ROOT, SHARED, ra2docs, run, tar_gz, write

from ra2docs.graph import TraceGraph
from ra2docs.loader import load_catalogue
from ra2docs.results import read_file
from ra2docs.results.result import ResultsError
from ra2docs.results.verdicts import compute, gate

FIXTURES = SHARED / "fixtures" / "check-results"


def test_junit_fixture_is_normalised():
    results = read_file(FIXTURES / "junit_01.xml", "junit_01.xml")
    assert [(r.name, r.status) for r in results] == [
        ("[SynchronizedBeforeSuite]", "pass"),
        ("[It] [sig-network] Networking should recreate its iptables rules if they are deleted [Disruptive]", "skip"),
        ("[It] [sig-auth] ServiceAccounts should mount projected service account token [Conformance]", "pass"),
        ("[It] [sig-network] Services should serve a basic endpoint from pods [Conformance]", "fail"),
    ]
    failed = results[3]
    assert failed.time == pytest.approx(312.4)
    assert failed.date == datetime(2024, 9, 9, 16, 8, 29)
    assert failed.run == "Kubernetes e2e suite 2024-09-09T16:08:29"
    assert failed.tags == ["[It]", "[sig-network]", "[Conformance]"]
    assert "[FAILED]" in failed.message and failed.source == "junit_01.xml"


def test_sonobuoy_yaml_fixture_is_normalised():
    results = read_file(FIXTURES / "sonobuoy_results_e2e.yaml", "s.yaml")
    assert [(r.name[:40], r.status, r.suite) for r in results] == [
        ("[It] [sig-auth] ServiceAccounts should m", "pass", "Kubernetes e2e suite"),
        ("[It] [sig-network] Networking should rec", "skip", "Kubernetes e2e suite"),
        ("[It] [sig-network] Services should serve", "fail", "Kubernetes e2e suite"),
    ]
    assert results[2].message.startswith("[FAILED]") and results[0].run == "e2e"


def test_xtesting_record_list_and_dump(tmp_path):
    (record,) = read_file(FIXTURES / "xtesting_result_record.json", "x.json")
    assert (record.name, record.case_name, record.status, record.run) == (
        "k8s_conformance",
        "k8s_conformance",
        "pass",
        "671YK0WH9PRK",
    )
    assert record.date == datetime(2024, 5, 2, 11, 5, 2) and record.time == pytest.approx(3151)
    data = json.loads((FIXTURES / "xtesting_result_record.json").read_text())
    failing = dict(data, case_name="xrally_kubernetes", criteria="FAIL")
    (tmp_path / "list.json").write_text(json.dumps([data, failing]))
    (tmp_path / "dump.json").write_text(json.dumps(data) + "\n" + json.dumps(failing) + "\n")
    for name in ("list.json", "dump.json"):
        assert [(r.name, r.status) for r in read_file(tmp_path / name)] == [
            ("k8s_conformance", "pass"),
            ("xrally_kubernetes", "fail"),
        ]


def test_cnf_fixture_is_normalised(tmp_path):
    results = read_file(FIXTURES / "cnf-testsuite-results.yml", "c.yml")
    assert [(r.name, r.status) for r in results] == [
        ("liveness", "pass"),
        ("helm_chart_published", "fail"),
        ("node_drain", "skip"),
    ]
    dated = tmp_path / "cnf-testsuite-results-20240910-101500-123.yml"
    dated.write_bytes((FIXTURES / "cnf-testsuite-results.yml").read_bytes())
    assert read_file(dated)[0].date == datetime(2024, 9, 10, 10, 15, 0)


def _tarball(path: Path, members: dict[str, bytes], symlink: str | None = None) -> Path:
    path.write_bytes(tar_gz(members, symlink))
    return path


def test_sonobuoy_tarball_is_read_without_extracting(tmp_path):
    junit = (FIXTURES / "junit_01.xml").read_bytes()
    summary = (FIXTURES / "sonobuoy_results_e2e.yaml").read_bytes()
    tarball = _tarball(
        tmp_path / "202409091608_sonobuoy_x.tar.gz",
        {
            "plugins/e2e/results/global/junit_01.xml": junit,
            "plugins/e2e/sonobuoy_results.yaml": summary,
            "meta/info.json": b"{}",
        },
    )
    results = read_file(tarball, "sb.tar.gz")
    assert len(results) == 4 and all(r.source == "sb.tar.gz:plugins/e2e/results/global/junit_01.xml" for r in results)
    assert sorted(p.name for p in tmp_path.iterdir()) == [tarball.name]  # nothing was extracted
    escaping = _tarball(
        tmp_path / "evil.tar.gz", {"../../etc/cron.d/x": b"boom", "plugins/e2e/results/global/junit_01.xml": junit}
    )
    with pytest.raises(ResultsError, match="leaving the archive"):
        read_file(escaping, "evil.tar.gz")
    linked = _tarball(
        tmp_path / "link.tar.gz", {"plugins/e2e/results/global/junit_01.xml": junit}, symlink="plugins/e2e/x"
    )
    with pytest.raises(ResultsError, match="a link"):
        read_file(linked, "link.tar.gz")


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<testsuites><testsuite name="&lol3;"><testcase name="x"/></testsuite></testsuites>"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE t [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<testsuites><testsuite name="s"><testcase name="&xxe;"/></testsuite></testsuites>"""


@pytest.mark.parametrize("payload", [BOMB, EXTERNAL], ids=["xml-bomb", "external-entity"])
def test_xml_bombs_and_external_entities_are_refused(tmp_path, payload):
    path = tmp_path / "junit_evil.xml"
    path.write_bytes(payload)
    with pytest.raises(ResultsError) as raised:
        read_file(path, "junit_evil.xml")
    assert "refused" in str(raised.value) and "DTD" in str(raised.value)
    cli = ra2docs("results", str(path), cwd=ROOT)
    assert cli.returncode == 2 and "junit_evil.xml" in cli.stderr and "Traceback" not in cli.stderr


def test_truncated_xml_names_the_line(tmp_path):
    path = tmp_path / "junit_cut.xml"
    path.write_bytes((FIXTURES / "junit_01.xml").read_bytes()[:1500])
    with pytest.raises(ResultsError) as raised:
        read_file(path, "junit_cut.xml")
    assert raised.value.finding.line > 0 and "not well-formed" in raised.value.finding.message


CATALOGUE = {
    "profiles.yaml": PROFILES,
    "items.yaml": """\
    items:
      - {id: infra.com.cfg.004, kind: rm-requirement, title: Huge Pages, values: {basic: Must support}}
      - {id: req.inf.ntw.08, kind: ra-requirement, title: Network model, priority: MUST, refines: [infra.com.cfg.004]}
      - {id: req.inf.ntw.04, kind: ra-requirement, title: Dual stack, priority: MUST}
      - {id: req.gen.cnt.03, kind: ra-requirement, title: Conformance, priority: MUST, changed: '2030-01-01'}
      - {id: ra2.ntw.002, kind: specification, title: Default network, traces: [req.inf.ntw.08]}
      - {id: ra2.k8s.001, kind: specification, title: Conformance, traces: [req.gen.cnt.03]}
      - {id: e2e.network, kind: test-case, title: Network, match: {tag: '[sig-network]', pattern: '\\[Conformance\\]'}, verifies: [ra2.ntw.002]}
      - {id: e2e.dual, kind: test-case, title: Dual stack, match: {tag: '[Feature:IPv6DualStack]'}, verifies: [req.inf.ntw.04]}
      - {id: k8s_conformance, kind: test-case, title: Conformance, match: {case-name: k8s_conformance}, verifies: [ra2.k8s.001]}
    """,
}


def verdicts_for(tmp_path, *files):
    cat = load_catalogue(write(tmp_path / "cat", CATALOGUE)).catalogue
    graph = TraceGraph(cat)
    results = [r for f in files for r in read_file(f, f.name)]
    return graph, compute(graph, results)


def test_tags_and_patterns_map_results_to_test_cases_and_a_failure_climbs_the_graph(tmp_path):
    graph, verdicts = verdicts_for(tmp_path, FIXTURES / "junit_01.xml", FIXTURES / "xtesting_result_record.json")
    # [sig-network] + [Conformance]: the failing Services test; the skipped [Disruptive] one has no [Conformance]
    network = verdicts.tests["e2e.network"]
    assert [r.name for r in network.results] == [
        "[It] [sig-network] Services should serve a basic endpoint from pods [Conformance]"
    ]
    assert network.verdict == "fail"
    # the failure turns the specification, its requirement, and the RM item above it to fail
    assert [verdicts.of(i) for i in ("ra2.ntw.002", "req.inf.ntw.08", "infra.com.cfg.004")] == ["fail"] * 3
    # no result matched the dual-stack test: not run, never a pass
    assert verdicts.tests["e2e.dual"].verdict == "not run" and verdicts.of("req.inf.ntw.04") == "not run"
    # the Xtesting case passed, but req.gen.cnt.03 changed after the run: stale
    assert verdicts.tests["k8s_conformance"].verdict == "pass" and verdicts.of("ra2.k8s.001") == "pass"
    assert verdicts.of("req.gen.cnt.03") == "stale"
    assert gate(graph, verdicts, {"fail", "not run"}) == ["infra.com.cfg.004", "req.inf.ntw.04", "req.inf.ntw.08"]
    counts = verdicts.counts_by_section(graph, ("rm-requirement", "ra-requirement"))
    assert counts["(none)"]["fail"] == 2


def test_a_junit_verifies_property_attaches_a_result_to_items(tmp_path):
    path = tmp_path / "junit_props.xml"
    path.write_text(
        '<testsuite name="s" timestamp="2026-01-01T00:00:00"><testcase name="custom check">'
        '<properties><property name="verifies" value="req.inf.ntw.04, ra2.ntw.002"/></properties>'
        "</testcase></testsuite>"
    )
    _, verdicts = verdicts_for(tmp_path, path)
    assert verdicts.of("req.inf.ntw.04") == "not run"  # e2e.dual still has no result: the worst wins
    assert verdicts.of("ra2.ntw.002") == "not run"
    assert verdicts.items["req.inf.ntw.08"].verdict == "not run"
    assert not verdicts.unmatched


def test_results_cli_gates_on_mandatory_items(tmp_path):
    folder = write(tmp_path / "cat", CATALOGUE)

    def results(*options: str):
        junit = str(FIXTURES / "junit_01.xml")
        return ra2docs("results", junit, "--catalogue", str(folder), *options, cwd=tmp_path)

    result = results()
    assert result.returncode == 1
    assert "mandatory items failing the gate" in result.stdout and "req.inf.ntw.08" in result.stdout
    relaxed = results("--fail-on", "never")
    assert relaxed.returncode == 0
    as_json = results("--format", "json")
    assert as_json.returncode == 1, as_json.stderr  # the gate does not depend on the format
    data = json.loads(as_json.stdout)
    assert data["items"]["req.inf.ntw.08"]["verdict"] == "fail" and data["tests"]["e2e.dual"]["verdict"] == "not run"
    as_junit = results("--format", "junit")
    assert as_junit.returncode == 1, as_junit.stderr
    junit = as_junit.stdout
    import defusedxml.ElementTree as SafeET

    suite = SafeET.fromstring(junit.encode())
    assert int(suite.get("failures")) == sum(1 for v in data["items"].values() if v["verdict"] in ("fail", "stale"))


def test_a_7200_case_e2e_file_is_read_in_bounded_time(tmp_path):
    """A real e2e run's size: read in a child process under a generous timeout (figures in benchmarks/).

    A pathological (quadratic) reader fails by running out of time; no wall-clock
    comparison that a busy CI machine could trip.
    """
    cases = "".join(
        f'<testcase name="[It] [sig-network] case {i} [Conformance]" classname="Kubernetes e2e suite" status="skipped" time="0"><skipped message="skipped"></skipped></testcase>'
        for i in range(7200)
    )
    path = tmp_path / "junit_01.xml"
    path.write_text(
        f'<testsuites><testsuite name="Kubernetes e2e suite" timestamp="2024-09-09T16:08:29">{cases}</testsuite></testsuites>'
    )
    assert path.stat().st_size > 1_000_000
    code = (
        "import sys; from pathlib import Path; from ra2docs.results import read_file; "
        "print(len(read_file(Path(sys.argv[1]), 'junit_01.xml')))"
    )
    try:
        result = run("python", "-c", code, str(path), timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail("reading a 7,200-case junit_01.xml took more than 60 s: the reader is pathologically slow")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "7200"


def test_a_plugin_reader_registered_by_entry_point_is_used(tmp_path, monkeypatch):
    from importlib import metadata

    import ra2docs.results as results_module

    class CsvReader:
        name = "csv"
        description = "name,status lines"

        def sniff(self, path, head):
            return path.suffix == ".csv"

        def read(self, path, display):
            from ra2docs.results.result import Result

            return [Result(n, s, display) for n, s in (line.split(",") for line in path.read_text().split())]

    entry = metadata.EntryPoint(name="csv", value="x:CsvReader", group=results_module.ENTRY_POINT_GROUP)
    monkeypatch.setattr(metadata.EntryPoint, "load", lambda self: CsvReader)
    monkeypatch.setattr(
        results_module, "entry_points", lambda group: [entry] if group == results_module.ENTRY_POINT_GROUP else []
    )
    path = tmp_path / "r.csv"
    path.write_text("k8s_conformance,pass\n")
    assert [(r.name, r.status) for r in read_file(path)] == [("k8s_conformance", "pass")]
    assert results_module.readers()[0].name == "csv"


@pytest.mark.build
def test_the_site_shows_verdicts_on_the_conformance_page_and_in_chapter_2(built_site: Path):
    from htmlparse import parse

    page = (built_site / "_generated" / "conformance.html").read_text()
    tables = {table[0][0]: table for table in parse(page).tables.values()}
    tests = {row[0]: row[1] for row in tables["Test case"][1:]}
    assert tests == {
        "cnf.helm-chart-published": "fail",
        "e2e.dual-stack": "fail",
        "e2e.hugepages": "skipped",
        "e2e.sctp": "not run",
        "e2e.sig-network.conformance": "pass",
        "k8s_conformance": "pass",
    }
    # the runs with their dates and labels, the requirement x run matrix (MUST first), MUST coverage
    assert [row[:2] for row in tables["Date"][1:]] == [
        ["2026-11-20 09:15", "(no label)"],
        ["2026-11-20 09:40", "sample-pod"],
        ["2026-11-20 10:15", "(no label)"],
    ]
    # the requirement x run matrix (the not-passing view's first column is "Requirement" too)
    matrix = next(t for t in parse(page).tables.values() if t[0][0] == "Requirement" and t[0][-1] == "Now")
    assert matrix[0][2:] == [
        "(no label) 2026-11-20 09:15",
        "sample-pod 2026-11-20 09:40",
        "(no label) 2026-11-20 10:15",
        "Now",
    ]
    priorities = [row[1] for row in matrix[1:]]
    assert priorities == sorted(priorities, key=lambda p: p != "MUST") and "MUST" in priorities
    assert ["req.gen.cnt.03", "MUST", "", "1 pass", "", "pass"] in matrix
    assert (
        "170 MUST requirements: 5 mapped to a test, 5 whose tests resolve to results, 4 run by the latest runs" in page
    )
    assert tables["Item"][0][-1] == "History" and tables["Test case"][0][-1] == "History"
    # every table of sample verdicts says so on the table itself
    caveat = "Verdicts from sample result files, not from a real run."
    assert page.count(caveat) == len(tables)
    chapter2 = (built_site / "chapters" / "chapter02.html").read_text()
    assert chapter2.count(caveat) == chapter2.count("<table") == 7
    row = chapter2[chapter2.index(">req.inf.ntw.04<") :].split("</tr>")[0]
    assert '<span class="ra2-verdict ra2-verdict-fail">fail</span>' in row
    row = chapter2[chapter2.index(">req.gen.cnt.03<") :].split("</tr>")[0]
    assert '<span class="ra2-verdict ra2-verdict-pass">pass</span>' in row
    trace = (built_site / "_generated" / "traceability.html").read_text()
    assert "ra2-verdict-not-run" in trace  # req.inf.ntw.08: the SCTP test has no result
    assert caveat in trace


@pytest.mark.build
@pytest.mark.slow
def test_changing_a_result_file_rebuilds_the_pages_that_show_it(tmp_path: Path):
    from conftest import sphinx_project

    project = sphinx_project(tmp_path)
    out = tmp_path / "html"
    build = ["sphinx-build", "-W", "-q", "-b", "html", str(project / "source"), str(out)]
    assert run(*build).returncode == 0
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*.html")}
    junit = project / "results" / "sample" / "e2e" / "junit_01.xml"
    junit.write_text(
        junit.read_text()
        .replace('status="failed" time="64.0"', 'status="passed" time="64.0"')
        .replace(
            '<failure message="" type="failed">[FAILED] sample failure: the node reported no IPv6 internal address</failure>',
            "",
        )
    )
    assert run(*build).returncode == 0
    changed = {str(p.relative_to(out)) for p in out.rglob("*.html") if p.stat().st_mtime_ns != before.get(p)}
    assert {"_generated/conformance.html", "chapters/chapter02.html", "_generated/traceability.html"} <= changed
    assert "chapters/chapter03.html" not in changed and "about.html" not in changed
    row = (out / "chapters" / "chapter02.html").read_text()
    row = row[row.index(">req.inf.ntw.04<") :].split("</tr>")[0]
    assert "ra2-verdict-pass" in row


def test_nested_testsuites_count_each_testcase_once(tmp_path):
    path = tmp_path / "junit_nested.xml"
    path.write_text(
        '<testsuites><testsuite name="outer"><testsuite name="middle" timestamp="2026-01-01T00:00:00+02:00">'
        '<testsuite name="inner"><testcase name="a"/><testcase name="b" status="failed"/></testsuite>'
        '<testcase name="c"/></testsuite></testsuite><testcase name="loose"/></testsuites>'
    )
    results = read_file(path, "n.xml")
    assert [(r.name, r.status, r.suite) for r in results] == [
        ("a", "pass", "inner"),
        ("b", "fail", "inner"),
        ("c", "pass", "middle"),
        ("loose", "pass", ""),  # outside any suite: still counted, never dropped
    ]
    assert results[2].date == datetime(2025, 12, 31, 22, 0, 0)  # offsets are converted to UTC


def test_tarballs_are_read_by_their_real_compression_not_their_name(tmp_path):
    import bz2
    import gzip
    import lzma

    plain = tar_gz({"plugins/e2e/results/global/junit_01.xml": (FIXTURES / "junit_01.xml").read_bytes()})
    tar = gzip.decompress(plain)
    for compress in (bz2.compress, lzma.compress, lambda data: data):
        path = tmp_path / "sb.tar.gz"  # the name says gzip, whatever it holds
        path.write_bytes(compress(tar))
        assert len(read_file(path, "sb.tar.gz")) == 4


def test_the_glob_never_follows_a_folder_link(tmp_path):
    import os

    from ra2docs.results import expand

    write(tmp_path / "r", {"a/junit_01.xml": "<testsuite/>", ".hidden/x.xml": "<testsuite/>"})
    os.symlink("..", tmp_path / "r" / "a" / "up")
    os.symlink(tmp_path, tmp_path / "r" / "root")
    found = expand(["r/**/*.xml"], tmp_path)
    assert found == [tmp_path / "r" / "a" / "junit_01.xml"]
    assert expand(["r/a/*.xml", "r/**/junit_01.xml"], tmp_path) == found
