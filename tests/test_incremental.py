"""Incremental builds equal fresh builds, page by page, after random edits of the catalogue and the results.

Hypothesis draws a few edits (retitle, move to another section, add, remove,
relink, change a priority or a profile value, flip a test's verdict), applies
them to a built project, rebuilds it in place, builds the same sources afresh
and compares every HTML page. The project uses every view that selects items:
tables by section and by kind, definitions, items, matrices, coverage, gaps,
results, a comparison and a graph.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import run, write
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.build

SECTIONS = {
    "rm-requirement": ["2.2.1", "2.2.2"],
    "ra-requirement": ["2.3", "2.4"],
    "specification": ["4.2", "4.3"],
    "gap": ["6.2.1", "6.2.2"],
}
LINK_FIELD = {"ra-requirement": "refines", "specification": "traces", "test-case": "verifies", "gap": "related"}
LINK_TARGET = {
    "ra-requirement": "rm-requirement",
    "specification": "ra-requirement",
    "test-case": "specification",
    "gap": "ra-requirement",
}
NEW_ID = {  # an ID of the kind's form (the 2020 preset) for a new item number 10..99
    "rm-requirement": "infra.com.cfg.{:03d}",
    "ra-requirement": "req.gen.new.{:02d}",
    "specification": "ra2.k8s.{:03d}",
    "test-case": "tc.{}",
    "gap": "gap.g{}",
}
COMPARED = ["infra.com.cfg.001", "infra.com.cfg.002"]  # rows of the comparison: never removed

PAGES = {
    "index.rst": """\
        Project
        =======

        .. toctree::

           sections
           kinds
           trace
           results
           prose
        """,
    "sections.rst": """\
        Sections
        ========

        .. ra2:table:: Table 2-1: Section 2.2.1
           :section: 2.2.1
           :columns: id text values.basic values.network-intensive spec-ref verdict

        .. ra2:table:: Table 2-2: Section 2.2.2
           :section: 2.2.2
           :columns: id text values.basic spec-ref

        .. ra2:table:: Table 2-3: Section 2.3
           :section: 2.3
           :columns: id category text priority incoming verdict

        .. ra2:table:: Table 4-1: Section 4.2
           :section: 4.2
           :columns: id title text traces

        .. ra2:definitions::
           :section: 4.3
        """,
    "kinds.rst": """\
        Kinds
        =====

        .. ra2:table:: Every requirement
           :kind: ra-requirement
           :columns: id, title, text, incoming

        .. ra2:definitions::
           :kind: test-case

        .. ra2:definitions::
           :kind: gap
        """,
    "trace.rst": """\
        Trace
        =====

        .. ra2:coverage::
           :by: section

        .. ra2:matrix::
           :type: forward

        .. ra2:matrix::
           :type: backward

        .. ra2:gaps::
        """,
    "results.rst": """\
        Results
        =======

        .. ra2:results::
        """,
    "prose.rst": """\
        Prose
        =====

        See :ra2:item:`req.gen.cnt.01` and :ra2:item:`ra2.k8s.001`.

        .. ra2:item:: ra2.k8s.002

        .. ra2:comparison:: multiplexers
           :number: 3-1

        .. ra2:graph:: req.gen.cnt.02
        """,
}


def _base_items() -> dict[str, dict]:
    items: dict[str, dict] = {}
    for number in range(1, 7):
        item_id = f"infra.com.cfg.{number:03d}"
        items[item_id] = {
            "kind": "rm-requirement",
            "title": f"Capability {number}",
            "section": SECTIONS["rm-requirement"][number % 2],
            "values": {"basic": "Must support", "network-intensive": "Optional" if number % 3 else "Must support"},
        }
    for number in range(1, 7):
        items[f"req.gen.cnt.{number:02d}"] = {
            "kind": "ra-requirement",
            "title": f"Requirement {number}",
            "section": SECTIONS["ra-requirement"][number % 2],
            "category": "General",
            "subcategory": "Cloud nativeness",
            "priority": "MUST" if number % 2 else "SHOULD",
            "statement": f"The platform must do thing {number}.",
            "refines": [f"infra.com.cfg.{number:03d}"],
        }
    for number in range(1, 7):
        items[f"ra2.k8s.{number:03d}"] = {
            "kind": "specification",
            "title": f"Specification {number}",
            "section": SECTIONS["specification"][number % 2],
            "details": f"Details of specification {number}.",
            "traces": [f"req.gen.cnt.{number:02d}"] if number < 6 else [],
        }
    for number in range(1, 4):
        items[f"tc.{number}"] = {
            "kind": "test-case",
            "title": f"Test {number}",
            "match": {"name": f"test-{number}"},
            "verifies": [f"ra2.k8s.{number:03d}"],
        }
    items["gap.g1"] = {
        "kind": "gap",
        "title": "A gap",
        "section": "6.2.1",
        "status": "open",
        "description": "Something is missing.",
        "related": ["req.gen.cnt.01"],
    }
    return items


SECTION_TITLES = {
    "2.2.1": "Capabilities",
    "2.2.2": "Interfaces",
    "2.3": "Architecture",
    "4.2": "Node",
    "4.3": "Kubernetes",
}


def _write_catalogue(folder: Path, items: dict[str, dict], verdicts: dict[str, bool], titles: dict[str, str]) -> None:
    catalogue = folder / "catalogue"
    shutil.rmtree(catalogue, ignore_errors=True)
    catalogue.mkdir(parents=True)
    records = [{"id": item_id, **fields} for item_id, fields in items.items()]
    for record in records:
        link = LINK_FIELD.get(record["kind"])
        if link and not record.get(link):
            record.pop(link, None)
    (catalogue / "items.yaml").write_text(yaml.safe_dump({"items": records}, sort_keys=False), encoding="utf-8")
    sections = [{"id": number, "title": title} for number, title in titles.items()]
    (catalogue / "sections.yaml").write_text(yaml.safe_dump({"sections": sections}), encoding="utf-8")
    (catalogue / "profiles.yaml").write_text(
        yaml.safe_dump(
            {"profiles": [{"id": "basic", "title": "Basic"}, {"id": "network-intensive", "title": "Network Intensive"}]}
        ),
        encoding="utf-8",
    )
    comparison = {
        "id": "multiplexers",
        "title": "A comparison",
        "row-header": "Requirement",
        "solutions": [{"id": "a", "title": "A"}, {"id": "b", "title": "B"}],
        "levels": [{"id": "yes", "label": "Supported"}, {"id": "no", "label": "Not supported"}],
        "rows": [{"item": item_id, "cells": {"a": "yes", "b": "no"}} for item_id in COMPARED],
    }
    (catalogue / "comparisons.yaml").write_text(yaml.safe_dump({"comparisons": [comparison]}), encoding="utf-8")
    cases = "".join(
        f'<testcase name="{name}" classname="s" time="1">{"" if passed else "<failure>no</failure>"}</testcase>'
        for name, passed in sorted(verdicts.items())
    )
    results = folder / "results"
    results.mkdir(exist_ok=True)
    (results / "junit_01.xml").write_text(
        f'<?xml version="1.0"?><testsuite name="s" tests="{len(verdicts)}" timestamp="2026-11-20T09:15:00">'
        f"{cases}</testsuite>",
        encoding="utf-8",
    )


def _new_project(folder: Path) -> tuple[dict[str, dict], dict[str, bool], dict[str, str]]:
    import textwrap

    write(folder / "source", {name: textwrap.dedent(text) for name, text in PAGES.items()})
    (folder / "source" / "conf.py").write_text(
        'extensions = ["ra2docs.sphinx"]\nra2docs_catalogue = "../catalogue"\n'
        'ra2docs_results = ["../results/*.xml"]\nra2docs_downloads = False\nhtml_theme = "alabaster"\n',
        encoding="utf-8",
    )
    items, verdicts, titles = _base_items(), {"test-1": True, "test-2": False, "test-3": True}, dict(SECTION_TITLES)
    _write_catalogue(folder, items, verdicts, titles)
    return items, verdicts, titles


def _build(folder: Path, out: Path) -> dict[str, bytes]:
    result = run("sphinx-build", "-q", "-b", "html", str(folder / "source"), str(out))
    assert result.returncode == 0, result.stderr
    assert "ERROR" not in result.stderr, result.stderr
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*.html"))}


# -- edits --------------------------------------------------------------------

OPERATIONS = ["retitle", "move", "add", "remove", "relink", "priority", "value", "verdict", "section-title"]


def _pick(choices: list[str], seed: int) -> str | None:
    return sorted(choices)[seed % len(choices)] if choices else None


def apply(edit: tuple[str, int, int], items: dict[str, dict], verdicts: dict[str, bool], titles: dict[str, str]) -> str:
    """Apply one edit in place; returns what was done (for the failure report)."""
    operation, first, second = edit
    item_id = sorted(items)[first % len(items)]  # never empty: removals keep the referenced items
    item = items[item_id]
    kind = item["kind"]
    if operation == "retitle":
        item["title"] = f"{item['title']} (edited {second})"
    elif operation == "move" and kind in SECTIONS:
        item["section"] = _pick(SECTIONS[kind], second)
    elif operation == "add":
        new_kind = _pick(list(NEW_ID), second) or "specification"
        number = 10 + (first + second) % 90
        new_id = NEW_ID[new_kind].format(number)
        if new_id in items:
            return "add: exists"
        template = (
            next(dict(v) for v in items.values() if v["kind"] == new_kind)
            if any(v["kind"] == new_kind for v in items.values())
            else _base_items()[next(i for i, v in _base_items().items() if v["kind"] == new_kind)]
        )
        template = yaml.safe_load(yaml.safe_dump(template))  # a deep copy
        template["title"] = f"New {new_kind} {number}"
        if new_kind == "test-case":
            template["match"] = {"name": f"test-{number}"}
            verdicts[f"test-{number}"] = bool(second % 2)
        link = LINK_FIELD.get(new_kind)
        if link:
            targets = [i for i, v in items.items() if v["kind"] == LINK_TARGET[new_kind]]
            template[link] = [t for t in [_pick(targets, second)] if t]
        items[new_id] = template
        return f"add {new_id}"
    elif operation == "remove" and item_id not in COMPARED and item_id != "req.gen.cnt.02":
        del items[item_id]
        for other in items.values():  # no dangling links: a removal takes its links with it
            link = LINK_FIELD.get(other["kind"])
            if link and item_id in other.get(link, []):
                other[link] = [t for t in other[link] if t != item_id]
        for ref in ("req.gen.cnt.01", "ra2.k8s.001", "ra2.k8s.002"):  # referenced from prose: put back
            if ref not in items:
                items[ref] = _base_items()[ref]
    elif operation == "relink" and kind in LINK_FIELD:
        targets = [i for i, v in items.items() if v["kind"] == LINK_TARGET[kind]]
        target = _pick(targets, second)
        links = item.setdefault(LINK_FIELD[kind], [])
        if target in links:
            links.remove(target)
        elif target:
            links.append(target)
    elif operation == "priority" and kind == "ra-requirement":
        item["priority"] = _pick(["MUST", "SHOULD", "MAY"], second)
    elif operation == "value" and kind == "rm-requirement":
        item["values"]["basic"] = _pick(["Must support", "Optional", "N/A", "4"], second)
    elif operation == "verdict":
        name = _pick(list(verdicts), second)
        if name:
            verdicts[name] = not verdicts[name]
    elif operation == "section-title":
        number = _pick(list(titles), second) or "2.3"
        titles[number] = f"{titles[number]} (edited {first})"
        return f"section-title {number}"
    else:
        return f"{operation} {item_id}: not applicable"
    return f"{operation} {item_id}"


EDITS = st.lists(
    st.tuples(st.sampled_from(OPERATIONS), st.integers(0, 10_000), st.integers(0, 10_000)), min_size=1, max_size=4
)


@settings(
    max_examples=int(os.environ.get("RA2DOCS_PROPERTY_EXAMPLES", "5")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    database=None,
)
@given(rounds=st.lists(EDITS, min_size=1, max_size=2))
# Found by this test: moving a requirement left the conformance page's counts by section stale.
@example(rounds=[[("move", 26, 1)]])
@example(rounds=[[("section-title", 0, 2)], [("add", 3, 1), ("remove", 5, 0)]])
def test_an_incremental_build_equals_a_fresh_build_page_by_page(
    tmp_path_factory: pytest.TempPathFactory, rounds: list[list[tuple[str, int, int]]]
):
    project = tmp_path_factory.mktemp("incremental")
    items, verdicts, titles = _new_project(project)
    _build(project, project / "out")  # built in place: Sphinx reads a copied environment as new
    done: list[str] = []
    for number, edits in enumerate(rounds):
        done += [apply(edit, items, verdicts, titles) for edit in edits]
        _write_catalogue(project, items, verdicts, titles)
        incremental = _build(project, project / "out")
        fresh = _build(project, project / f"fresh{number}")
        assert incremental.keys() == fresh.keys(), done
        stale = [page for page in fresh if fresh[page] != incremental[page]]
        assert stale == [], f"pages differ after {done}"


def _read_pages(stdout: str) -> list[str]:
    """The pages a (non-quiet) sphinx-build says it read (Sphinx 7.2 starts its progress lines with an escape code)."""
    lines = (re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", line) for line in stdout.splitlines())
    return sorted(line.rsplit("] ", 1)[1].strip() for line in lines if line.startswith("reading sources... ["))


def test_a_title_edit_reads_the_pages_that_show_the_title_not_those_that_only_link_to_it(
    tmp_path_factory: pytest.TempPathFactory,
):
    project = tmp_path_factory.mktemp("title")
    items, verdicts, titles = _new_project(project)
    _build(project, project / "out")
    # ra2.k8s.001: its entry (sections), a row of the backward matrix (trace); a link in prose, in the
    # forward matrix and in the incoming column of the requirements table (kinds)
    items["ra2.k8s.001"]["title"] = "A new title"
    _write_catalogue(project, items, verdicts, titles)
    result = run("sphinx-build", "-b", "html", str(project / "source"), str(project / "out"))
    assert result.returncode == 0, result.stderr
    assert _read_pages(result.stdout) == ["sections", "trace"], result.stdout
    incremental = {str(p.relative_to(project / "out")): p.read_bytes() for p in (project / "out").rglob("*.html")}
    fresh = _build(project, project / "fresh")
    assert [page for page in fresh if fresh[page] != incremental[page]] == []


def test_links_follow_an_item_whose_entry_moves_to_another_page(tmp_path_factory: pytest.TempPathFactory):
    project = tmp_path_factory.mktemp("moved")
    _new_project(project)
    _build(project, project / "out")
    # The entries of section 4.3 (ra2.k8s.001 among them) move from sections to a new page; the pages
    # that only link to ra2.k8s.001 (prose, kinds, trace) show nothing new, but their links must follow.
    source = project / "source"
    sections = (source / "sections.rst").read_text(encoding="utf-8")
    block = ".. ra2:definitions::\n   :section: 4.3\n"
    assert block in sections
    (source / "sections.rst").write_text(sections.replace(block, ""), encoding="utf-8")
    (source / "more.rst").write_text(f"More\n====\n\n{block}", encoding="utf-8")
    index = (source / "index.rst").read_text(encoding="utf-8")
    (source / "index.rst").write_text(index.replace("   prose\n", "   prose\n   more\n"), encoding="utf-8")
    incremental = _build(project, project / "out")
    fresh = _build(project, project / "fresh")
    assert 'href="more.html#ra2.k8s.001"' in fresh["prose.html"].decode()
    assert [page for page in fresh if fresh[page] != incremental[page]] == []
