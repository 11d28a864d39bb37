"""After adoption the catalogue is the one truth: maintainer edits replayed on the real RA2 repository.

The whole RA2 repository of 2025-08 is copied into a git repository and
adopted. Each test then makes one edit a maintainer would make to the
catalogue, and runs the commands as RA2's workflow does, from the repository
root and without ``--catalogue``: either every page showing the edited fact
shows the new one (the pages are the chapters written out by ``ra2docs
expand``, the same views the Sphinx build renders), or ``ra2docs check``
fails naming the cell text that would go stale. The edit is undone after
each test, so that they are independent.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import RA2_TREE

from ra2docs.cli import main

pytestmark = pytest.mark.slow  # every test edits a copy of the whole RA2 repository, adopted once

DOCS = "doc/ref_arch/kubernetes"
CATALOGUE = f"{DOCS}/catalogue"


def git(top: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(top), *args], check=True, capture_output=True)


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    top = tmp_path_factory.mktemp("edits") / "RA2"
    shutil.copytree(RA2_TREE.parents[2], top)
    for path in [top, *top.rglob("*")]:
        path.chmod(path.stat().st_mode | 0o200)
    git(top, "init", "-q")
    git(top, "-c", "user.email=t@example.org", "-c", "user.name=t", "commit", "-qm", "RA2", "--allow-empty")
    git(top, "add", "-A")
    git(top, "-c", "user.email=t@example.org", "-c", "user.name=t", "commit", "-qm", "RA2 as it is")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(top)
        assert main(["adopt", DOCS]) == 0
    git(top, "add", "-A")
    git(top, "-c", "user.email=t@example.org", "-c", "user.name=t", "commit", "-qm", "ra2docs adopt")
    yield top


@dataclass
class Run:
    check: int
    report: str
    pages: dict[str, str]  # chapter file name -> the chapter written out


@pytest.fixture
def at_root(repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path):
    """Edit the catalogue, then check and write the chapters out, from the repository root; undone afterwards."""
    monkeypatch.chdir(repo)

    def edit(file: str, old: str, new: str) -> Run:
        path = repo / CATALOGUE / file
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"the edit's anchor text is not once in {file}: {old!r}"
        path.write_text(text.replace(old, new), encoding="utf-8")
        return run()

    def run() -> Run:
        capsys.readouterr()
        code = main(["check"])
        report = capsys.readouterr().out
        out = tmp_path / f"expanded-{len(list(tmp_path.iterdir()))}"
        expanded = main(["expand", DOCS, str(out)]) if code == 0 else None
        capsys.readouterr()
        pages = (
            {p.name: p.read_text(encoding="utf-8") for p in (out / "chapters").glob("*.rst")} if expanded == 0 else {}
        )
        return Run(code, report, pages)

    yield edit, run
    git(repo, "checkout", "-q", "--", ".")
    git(repo, "clean", "-qfd")


def row(page: str, item_id: str) -> str:
    """The list-table row of a written-out chapter that names ``item_id`` (rows start with '* - ')."""
    rows = re.split(r"\n\s*\* - ", page)
    found = [r for r in rows if re.search(rf"(?<![\w.]){re.escape(item_id)}(?![\w])", r)]
    assert found, f"no row names {item_id}: {page[page.find(item_id) - 300 : page.find(item_id) + 300]!r}"
    return min(found, key=len)


def paragraph_block(page: str, start: str) -> str:
    at = page.index(start)
    return page[at : page.find("\n~~~", at) if page.find("\n~~~", at) > 0 else len(page)]


def test_right_after_adoption_check_passes_from_the_root(at_root):
    _, run = at_root
    result = run()
    assert result.check == 0, result.report
    assert "known from the baseline" in result.report
    assert "ra2.ch.001" in row(result.pages["chapter04.rst"], "ra2.ch.001")


# -- edits every page follows -------------------------------------------------------------


def test_a_trace_added_shows_in_both_directions(at_root):
    edit, _ = at_root
    result = edit("chapter04.yaml", "    traces:\n    - e.man.007\n", "    traces:\n    - e.man.007\n    - e.cap.001\n")
    assert result.check == 0, result.report
    assert "e.cap.001" in row(result.pages["chapter04.rst"], "ra2.mon.003")
    assert "ra2.mon.003" in row(result.pages["chapter02.rst"], "e.cap.001")


def test_a_value_changed_shows(at_root):
    edit, _ = at_root
    old = "description: Hardware coprocessor support (GPU/NPU)\n    values:\n      basic: Optional\n"
    result = edit("chapter02.yaml", old, old.replace("basic: Optional", "basic: Must support"))
    assert result.check == 0, result.report
    assert "Must support" in row(result.pages["chapter02.rst"], "e.cap.014")


def test_a_citation_in_a_cell_changed_shows(at_root):
    edit, _ = at_root
    old = "reference-implementation-trace: :cite:t:`anuket-ri2` Chapter 3, section Introduction"
    result = edit("chapter04.yaml", old, old.replace("anuket-ri2", "refmodel"))
    assert result.check == 0, result.report
    shown = row(result.pages["chapter04.rst"], "ra2.ch.001")
    assert ":cite:t:`refmodel` Chapter 3, section Introduction" in shown and "anuket-ri2" not in shown


def test_rows_reordered_in_the_catalogue_are_reordered_on_the_page(at_root, repo):
    _, run = at_root
    path = repo / CATALOGUE / "chapter04.yaml"
    text = path.read_text(encoding="utf-8")
    first = text.index("  - id: ra2.ch.001\n")
    second = text.index("  - id: ra2.ch.002\n")
    third = text.index("  - id: ra2.ch.003\n")
    path.write_text(text[:first] + text[second:third] + text[first:second] + text[third:], encoding="utf-8")
    result = run()
    assert result.check == 0, result.report
    page = result.pages["chapter04.rst"]
    assert page.index("* - ra2.ch.002") < page.index("* - ra2.ch.001")


def test_a_title_and_a_text_changed_show(at_root):
    edit, _ = at_root
    edit("chapter04.yaml", "    title: Huge pages\n", "    title: Huge pages (2 MiB and 1 GiB)\n")
    result = edit(
        "chapter04.yaml", "then it must be enabled in the BIOS", "then it must be enabled and verified in the BIOS"
    )
    assert result.check == 0, result.report
    assert "Huge pages (2 MiB and 1 GiB)" in row(result.pages["chapter04.rst"], "ra2.ch.001")
    assert "must be enabled and verified in the BIOS" in row(result.pages["chapter04.rst"], "ra2.ch.004")


def test_a_new_item_of_a_section_shows_in_its_table_and_in_the_reverse_column(at_root):
    edit, _ = at_root
    new = (
        "  - id: ra2.ch.099\n    kind: specification\n    section: '4.2'\n    title: Huge page sizes\n"
        "    details: Nodes offer 2 MiB and 1 GiB huge pages.\n    traces:\n    - i.cap.018\n"
    )
    result = edit("chapter04.yaml", "  - id: ra2.ch.002\n", new + "  - id: ra2.ch.002\n")
    assert result.check == 0, result.report
    assert "Huge page sizes" in row(result.pages["chapter04.rst"], "ra2.ch.099")
    assert "ra2.ch.099" in row(result.pages["chapter02.rst"], "i.cap.018")


def test_a_gap_s_description_and_links_changed_show_in_chapter_7(at_root):
    edit, _ = at_root
    edit(
        "chapter07.yaml",
        "    related:\n    - e.man.004\n    - sec.ci.008\n",
        "    related:\n    - e.man.004\n    - inf.ntw.03\n    - sec.ci.008\n",
    )
    result = edit("chapter07.yaml", "Kubernetes currently lacks robust", "Kubernetes still lacks robust")
    assert result.check == 0, result.report
    gap = paragraph_block(result.pages["chapter07.rst"], "**Related requirements:** e.man.004")
    assert "inf.ntw.03" in gap and "Kubernetes still lacks robust" in gap


def test_the_second_id_of_a_row_of_several_drives_the_row(at_root):
    edit, _ = at_root
    edit("chapter02.yaml", "    description: 2 Gbps\n", "    description: 2.5 Gbps\n")
    old = "  - id: n3\n    kind: rm-capability\n    source: ra2\n    rm-section: Virtual Network Interface Specifications\n    description: 3 Gbps\n    values:\n      basic: Must support\n"
    result = edit("chapter02.yaml", old, old.replace("basic: Must support", "basic: Optional"))
    assert result.check == 0, result.report
    shown = row(result.pages["chapter02.rst"], "n1")
    assert "1, 2.5, 3, 4, 5, 6 Gbps" in shown and "n3: Optional" in shown


# -- edits the check stops -----------------------------------------------------------------


def stopped(result: Run, rule: str, item: str, words: str) -> None:
    assert result.check == 1, result.report
    assert re.search(rf"{re.escape(item)}: [^\n]*{re.escape(words)}[^\n]*\[{rule} ", result.report), result.report


def test_a_trace_added_to_a_row_whose_cell_words_its_traces_fails_naming_the_cell(at_root):
    edit, _ = at_root
    result = edit(
        "chapter04.yaml",
        "    traces:\n    - infra.com.cfg.004\n    - i.cap.018\n",
        "    traces:\n    - infra.com.cfg.004\n    - i.cap.018\n    - infra.com.cfg.001\n",
    )
    stopped(result, "RA407", "ra2.ch.001", "cells.traces does not show infra.com.cfg.001")


def test_a_trace_dropped_that_a_cell_names_fails(at_root):
    edit, _ = at_root
    old = "    title: SR-IOV capable NICs\n"
    result = edit("chapter04.yaml", old + "    details: |-", old + "    details: |-")
    text = (Path.cwd() / CATALOGUE / "chapter04.yaml").read_text(encoding="utf-8")
    block = text[text.index("  - id: ra2.ch.002\n") : text.index("  - id: ra2.ch.003\n")]
    (Path.cwd() / CATALOGUE / "chapter04.yaml").write_text(
        text.replace(block, block.replace("    traces:\n    - e.cap.013\n", "")), encoding="utf-8"
    )
    _, run = at_root
    result = run()
    stopped(result, "RA407", "ra2.ch.002", "cells.traces names e.cap.013, which is not one of its links")
    stopped(result, "RA407", "e.cap.013", "cells.specified-by names ra2.ch.002, which is not one of its links")


def test_a_link_dropped_that_an_omission_names_fails(at_root):
    edit, _ = at_root
    result = edit("chapter04.yaml", "    traces:\n    - e.man.007\n", "")
    stopped(result, "RA407", "e.man.007", "omitted-links.specified-by names ra2.mon.003, which is no longer")


def test_a_specification_renamed_fails_where_a_cell_names_its_old_id(at_root):
    edit, _ = at_root
    result = edit("chapter04.yaml", "  - id: ra2.ch.003\n", "  - id: ra2.ch.103\n")
    stopped(result, "RA407", "e.cap.013", "names ra2.ch.003, which is not one of its links")
    stopped(result, "RA407", "e.cap.013", "does not show ra2.ch.103")


def test_a_requirement_deleted_fails_on_every_link_to_it(at_root, repo):
    _, run = at_root
    path = repo / CATALOGUE / "chapter02.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  - id: inf.ntw.03\n")
    end = text.index("\n  - id: ", start + 1) + 1
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    result = run()
    stopped(result, "RA401", "ra2.ntw.001", "traces 'inf.ntw.03': no such item")


def test_a_new_dangling_link_fails_though_upstream_had_one_of_the_same_rule(at_root):
    edit, _ = at_root
    result = edit("chapter04.yaml", "    traces:\n    - e.man.007\n", "    traces:\n    - e.man.007\n    - e.cap.999\n")
    stopped(result, "RA401", "ra2.mon.003", "traces 'e.cap.999': no such item")
    assert "known from the baseline" in result.report  # upstream's own dangling links: known, not failing


@pytest.mark.build
def test_the_build_names_an_item_no_table_shows_and_a_cell_s_bad_citation_at_its_line(at_root, repo, tmp_path):
    """Table 4.4 lists its IDs (:ids:): a new item of section 4.4 would change no page, and the build says so.

    A citation key that refs.bib lacks, in a cell's text, is reported at that cell's own line, relative to
    where the build runs (RA2's tox runs in the documentation folder), not with its folder doubled.
    """
    from sphinx.cmd.build import build_main

    edit, _ = at_root
    new = "  - id: ra2.k8s.099\n    kind: specification\n    section: '4.4'\n    title: New\n    traces:\n    - gen.cnt.02\n"
    edit("chapter04.yaml", "  - id: ra2.k8s.010\n", new + "  - id: ra2.k8s.010\n")
    cell = "reference-implementation-trace: :cite:t:`anuket-ri2` Chapter 3, section Introduction"
    result = edit("chapter04.yaml", cell, cell.replace("anuket-ri2", "no-such-key"))
    assert result.check == 0, result.report  # no rule sees pages or refs.bib: the build does
    line = next(
        n
        for n, text in enumerate((repo / CATALOGUE / "chapter04.yaml").read_text().splitlines(), 1)
        if "no-such-key" in text
    )
    warnings = tmp_path / "warnings.txt"
    os.chdir(repo / DOCS)
    code = build_main(["-q", "-b", "html", "-w", str(warnings), ".", str(tmp_path / "html")])
    text = warnings.read_text(encoding="utf-8")
    assert code == 0 and "1 catalogue item(s) are shown on no page" in text and "ra2.k8s.099" in text, text
    bad = next(entry for entry in text.splitlines() if "no-such-key" in entry)
    assert f"{repo / CATALOGUE}/chapter04.yaml:{line}: WARNING" in bad, bad
