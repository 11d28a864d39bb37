"""Traceability in the built site: chapters, matrices, coverage, gaps, graphs, incremental builds."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import EDITION_2020, ROOT, require, run, sphinx_project, write
from htmlparse import parse

pytestmark = pytest.mark.build

REQUIREMENT_KINDS = {"rm-capability", "rm-requirement", "ra-requirement"}


def catalogue() -> dict[str, dict]:
    items = {}
    for path in sorted((EDITION_2020 / "catalogue").glob("*.yaml")):
        items.update({i["id"]: i for i in (yaml.safe_load(path.read_text()) or {}).get("items", [])})
    return items


def specs_of(items: dict[str, dict], item_id: str) -> set[str]:
    return {s for s, i in items.items() if i["kind"] == "specification" and item_id in i.get("traces", [])}


def verifiers_of(items: dict[str, dict], item_id: str) -> set[str]:
    targets = {item_id} | specs_of(items, item_id)
    return {t for t, i in items.items() if i["kind"] == "test-case" and targets & set(i.get("verifies", []))}


def mandatory(item: dict) -> bool:
    if item.get("priority") in ("MUST", "MUST NOT"):
        return True
    return any(
        (str(v).lower().startswith(("must", "required", "at least")) and not str(v).lower().startswith("must not"))
        or str(v)[:1].isdigit()
        for v in (item.get("values") or {}).values()
    )


def table_after(html: str, marker: str) -> list[list[str]]:
    start = html.index(marker)
    return next(iter(parse(html[start:]).tables.values()))


def test_forward_matrix_matches_the_catalogue(built_site: Path):
    items = catalogue()
    html = (built_site / "_generated" / "traceability.html").read_text()
    header, *rows = table_after(html, 'id="forward-traceability"')
    assert header[:4] == ["Requirement", "Title", "Specifications", "Tests"]  # then the Verdict, with results
    requirements = {i for i, item in items.items() if item["kind"] in REQUIREMENT_KINDS}
    assert {r[0] for r in rows} == requirements
    for item_id, _title, specs, tests, *_verdict in rows:
        expected_specs = specs_of(items, item_id)
        assert (set(specs.split(", ")) if specs != "—" else set()) == expected_specs, item_id
        expected_tests = verifiers_of(items, item_id)
        assert (set(tests.split(", ")) if tests != "—" else set()) == expected_tests, item_id


def test_coverage_figures_match_the_catalogue(built_site: Path):
    items = catalogue()
    html = (built_site / "_generated" / "traceability.html").read_text()
    header, *rows = table_after(html, 'id="coverage-by-section"')
    assert header == ["Section", "Items", "Specified", "Verified"]
    by_section: dict[str, list[str]] = {}
    for item_id, item in items.items():
        if item["kind"] in REQUIREMENT_KINDS:
            by_section.setdefault(item["section"], []).append(item_id)
    expected = {}
    for section, ids in by_section.items():
        specified = sum(1 for i in ids if specs_of(items, i))
        verified = sum(1 for i in ids if verifiers_of(items, i))
        expected[section] = (len(ids), specified, verified)
    shown = {}
    for label, count, specified, verified in rows[:-1]:
        shown[label.split(" ")[0]] = (int(count), int(specified.split(" ")[0]), int(verified.split(" ")[0]))
    assert shown == expected
    total = rows[-1]
    assert total[0] == "All" and int(total[1]) == sum(v[0] for v in expected.values())
    pct = round(100 * sum(v[1] for v in expected.values()) / sum(v[0] for v in expected.values()))
    assert total[2].endswith(f"({pct}%)")
    assert '<svg class="ra2-chart"' in html  # and the picture


def test_mandatory_item_without_specification_is_bold_na_and_a_computed_gap(built_site: Path):
    items = catalogue()
    chapter2 = (built_site / "chapters" / "chapter02.html").read_text()
    tables = parse(chapter2).tables
    # the Specification Reference column, wherever each table has it
    rows = {
        cell: r[t[0].index("Specification Reference")]
        for t in tables.values()
        for r in t[1:]
        for cell in r[:2]
        if cell in items
    }
    unspecified = [i for i, it in items.items() if it["kind"] in REQUIREMENT_KINDS and not specs_of(items, i)]
    must = [i for i in unspecified if mandatory(items[i])]
    may = [i for i in unspecified if not mandatory(items[i])]
    assert "e.cap.004" in must and "e.cap.005" in may
    for item_id in must:
        assert rows[item_id] == "N/A"
    # bold for mandatory ones only: look at the markup of two rows
    row_html = chapter2[chapter2.index(">e.cap.004<") :].split("</tr>")[0]
    assert "<strong>N/A</strong>" in row_html
    row_html = chapter2[chapter2.index(">e.cap.005<") :].split("</tr>")[0]
    assert "N/A" in row_html and "<strong>N/A</strong>" not in row_html
    report = (built_site / "_generated" / "traceability.html").read_text()
    section = report[report.index("Mandatory requirements with no specification") :]
    section = section[: section.index("Specifications that trace to nothing")]
    assert f"({len(must)})" in section
    for item_id in must:
        assert f">{item_id}<" in section


def test_gap_628_lists_its_related_items_as_links(built_site: Path):
    html = (built_site / "chapters" / "chapter06.html").read_text()
    gap = html[html.index("<h3>6.2.8 HW topology aware hugepages") :][:6000]
    links = parse(gap).links
    assert ("../_generated/reference/rm-requirement.html#infra.com.cfg.004", "infra.com.cfg.004") in links
    assert ("../_generated/reference/rm-requirement.html#infra.com.cfg.002", "infra.com.cfg.002") in links
    assert "Kubernetes v1.17" in gap


def test_chapter_four_lists_specifications_by_component(built_site: Path):
    items = catalogue()
    html = (built_site / "chapters" / "chapter04.html").read_text()
    tables = [t for name, t in parse(html).tables.items() if not name.startswith("comparison-")]
    ids_shown = {row[0] for t in tables for row in t[1:]}
    assert ids_shown == {i for i, it in items.items() if it["kind"] == "specification"}
    assert "4.2 Kubernetes Node" in html and "Table 4-1: Host OS Specifications" in html


def test_the_trace_graph_of_req_inf_ntw_03_is_an_svg_with_links(built_site: Path):
    page = (built_site / "_generated" / "reference" / "ra-requirement.html").read_text()
    entry = page[page.index('id="req.inf.ntw.03"') :]
    entry = entry[: entry.index('<dl class="ra2 ra-requirement', 10)]
    start = entry.index('<object data="') + len('<object data="')
    svg_path = (built_site / "_generated" / "reference" / entry[start : entry.index('"', start)]).resolve()
    import xml.etree.ElementTree as ET  # our own build output, not untrusted input

    root = ET.parse(svg_path).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    texts = {t.text for t in root.iter("{http://www.w3.org/2000/svg}text")}
    assert {"req.inf.ntw.03", "ra2.ntw.001"} <= texts
    hrefs = {a.get("{http://www.w3.org/1999/xlink}href") for a in root.iter("{http://www.w3.org/2000/svg}a")}
    # links are relative to _images/, where Sphinx puts the SVG
    assert "../_generated/reference/specification.html#ra2.ntw.001" in hrefs


def _build(project: Path, out: Path, *extra: str) -> None:
    result = run("sphinx-build", "-W", "--keep-going", "-q", *extra, "-b", "html", str(project / "source"), str(out))
    assert result.returncode == 0, result.stderr


def _pages(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*.html"))}


@pytest.mark.slow
def test_incremental_build_rewrites_only_the_pages_that_show_the_edited_item(tmp_path: Path):
    project = sphinx_project(tmp_path)
    out = tmp_path / "html"
    _build(project, out)
    before = {p: out.joinpath(p).stat().st_mtime_ns for p in _pages(out)}
    specs = project / "catalogue" / "ch04-specifications.yaml"
    specs.write_text(specs.read_text().replace("title: Physical Storage\n", "title: Physical SSD storage\n"))
    _build(project, out)
    after = {p: out.joinpath(p).stat().st_mtime_ns for p in _pages(out)}
    changed = {p for p in after if after[p] != before.get(p)}
    # ra2.ch.009 is shown by its entry, chapter 4, and the backward matrix of the traceability page
    assert {
        "_generated/reference/specification.html",
        "chapters/chapter04.html",
        "_generated/traceability.html",
    } <= changed
    # pages linking to ra2.ch.009 show its title as the link's tooltip, so they are rewritten too;
    # Sphinx itself rewrites the index pages and the toctree parent of a changed page.
    assert changed <= {
        "_generated/reference/specification.html",
        "chapters/chapter04.html",
        "_generated/traceability.html",
        "chapters/chapter02.html",
        "_generated/reference/rm-requirement.html",
        "_generated/reference/index.html",
        "_generated/downloads.html",  # the exported catalogue changed
        "genindex.html",
        "search.html",
        "index.html",
    }, changed
    assert "Physical SSD storage" in (out / "chapters/chapter04.html").read_text()
    for untouched in (
        "chapters/chapter03.html",
        "about.html",
        "chapters/chapter06.html",
        "_generated/reference/gap.html",
        "_generated/reference/ra-requirement.html",
    ):
        assert untouched not in changed, untouched


@pytest.mark.slow
def test_parallel_build_gives_the_same_pages(tmp_path: Path, built_site: Path):
    project = sphinx_project(tmp_path)
    _build(project, tmp_path / "j2", "-j", "2")
    serial, parallel = _pages(built_site), _pages(tmp_path / "j2")
    assert serial.keys() == parallel.keys()
    different = [p for p in serial if serial[p] != parallel[p]]
    assert different == []


def test_generated_sources_are_not_committed():
    result = run_git("ls-files", "source/_generated")
    assert result == ""


def run_git(*args: str) -> str:
    import subprocess

    git = require("git", "the test asks git what the checkout commits (sudo apt-get install git)")
    assert (ROOT / ".git").exists(), f"{ROOT} is not a git checkout: run the tests in a clone of ra2docs"
    return subprocess.run([git, *args], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True).stdout.strip()


def _graph_project(tmp_path: Path, conf_extra: str) -> Path:
    source = tmp_path / "source"
    write(
        source,
        {
            "conf.py": f'extensions = ["ra2docs.sphinx"]\nra2docs_catalogue = {str(EDITION_2020 / "catalogue")!r}\n{conf_extra}',
            "index.rst": "Graph\n=====\n\n.. ra2:graph:: req.inf.ntw.03\n\n.. ra2:graph:: ra2.ntw.001\n",
        },
    )
    return source


def test_a_missing_dot_is_one_clear_error_and_graphs_can_be_turned_off(tmp_path: Path):
    source = _graph_project(tmp_path, 'graphviz_dot = "/nowhere/dot"\n')
    result = run("sphinx-build", "-q", "-b", "html", str(source), str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr  # an error is logged, and without -W the build goes on to the end
    errors = [line for line in result.stderr.splitlines() if "ERROR" in line or "WARNING" in line]
    assert len(errors) == 1, result.stderr  # one error for the build, not one per graph
    assert "graphviz" in errors[0] and "apt install graphviz" in errors[0] and "ra2docs_graphs = False" in errors[0]
    strict = run("sphinx-build", "-W", "-q", "-b", "html", str(source), str(tmp_path / "strict"))
    assert strict.returncode != 0
    off = _graph_project(tmp_path / "off", 'graphviz_dot = "/nowhere/dot"\nra2docs_graphs = False\n')
    result = run("sphinx-build", "-W", "-q", "-b", "html", str(off), str(tmp_path / "off-out"))
    assert result.returncode == 0, result.stderr
    assert "<object" not in (tmp_path / "off-out" / "index.html").read_text()
    # a text build prints the graph's alt text and needs no dot
    text = run("sphinx-build", "-W", "-q", "-b", "text", str(source), str(tmp_path / "text"))
    assert text.returncode == 0, text.stderr
