"""Adopting today's RA2 repository loses nothing: every chapter page, the Word document, doc8, Python 3.10.

The RA2 tree is copied twice. The "before" copy is built as the RA2 repository
builds it; the "after" copy is adopted with ``ra2docs adopt`` and built the same
way. Both run in a virtual environment of Python 3.10 (RA2's Read the Docs)
holding the tree's own test-requirements.txt (Sphinx 7.2.6, piccolo-theme,
sphinxcontrib-bibtex) and ra2docs installed from a wheel, not editable.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path
from typing import NamedTuple

import pytest
from conftest import RA2_TREE as TREE
from conftest import ROOT, SHARED, sh
from pagetext import differences, page_text

pytestmark = [pytest.mark.build, pytest.mark.slow]


def copy_tree(target: Path) -> Path:
    """The RA2 documentation folder as a checkout has it (index.rst is a link to README.rst in git)."""
    shutil.copytree(TREE, target)
    for path in [target, *target.rglob("*")]:
        path.chmod(path.stat().st_mode | 0o200)
    index = target / "index.rst"
    if index.read_text(encoding="utf-8").strip() == "README.rst":
        index.unlink()
        index.symlink_to("README.rst")
    return target


def build(tree: Path, env: dict[str, str]) -> Path:
    result = sh("sphinx-build", "--keep-going", "-W", "-q", "-b", "html", ".", "build", cwd=tree, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    return tree / "build"


def gsma(tree: Path, env: dict[str, str]) -> Path:
    """The tox gsma job's commands (linkcheck aside: there is no network): togsma.py, Sphinx on gsma/, pandoc."""
    steps = [
        ["python", "togsma.py"],
        ["bash", "-c", "cd gsma && sphinx-build --keep-going -q -b html . build"],
        ["pandoc", "-s", "--reference-doc=template.docx", "-o", "gsma/ra2.docx", "-t", "docx", "gsma/index.rst"],
    ]
    for step in steps:
        result = sh(*step, cwd=tree, env=env)
        assert result.returncode == 0, f"{step}: {result.stdout[-2000:]}{result.stderr[-2000:]}"
    return tree / "gsma" / "ra2.docx"


def word_tables(docx: Path) -> int:
    with zipfile.ZipFile(docx) as archive:
        return archive.read("word/document.xml").decode("utf-8").count("<w:tbl>")


def tree_digest(tree: Path) -> dict[str, str]:
    return {
        p.relative_to(tree).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(tree.rglob("*"))
        if p.is_file() and not p.is_symlink() and "build" not in p.relative_to(tree).parts[:1]
    }


class Adopted(NamedTuple):
    before: Path  # the tree as RA2 has it
    after: Path  # the tree after ``ra2docs adopt``
    before_html: Path
    after_html: Path
    report: subprocess.CompletedProcess[str]  # what ``ra2docs adopt`` printed


@pytest.fixture(scope="module")
def adopted(ra2_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Adopted:
    work = tmp_path_factory.mktemp("ra2")
    before = copy_tree(work / "before")
    after = copy_tree(work / "after")
    before_html = build(before, ra2_env)
    result = sh("ra2docs", "adopt", ".", cwd=after, env=ra2_env)
    assert result.returncode == 0, result.stdout + result.stderr
    after_html = build(after, ra2_env)
    return Adopted(before, after, before_html, after_html, result)


def test_adopting_today_s_ra2_changes_no_rendered_character(adopted: Adopted):
    before_html, after_html = adopted.before_html, adopted.after_html
    pages = sorted(before_html.glob("chapters/*.html"))
    assert len(pages) == 8
    tables = cells = 0
    for page in pages:
        old = page_text(page.read_text(encoding="utf-8"))
        new = page_text((after_html / page.relative_to(before_html)).read_text(encoding="utf-8"))
        assert differences(old, new) == [], page.name
        tables += len(old.tables)
        cells += sum(len(row) for table in old.tables for row in table)
    assert tables == 47 and cells > 3000, (tables, cells)
    # the bibliography keeps its numbers (citations inside the adopted cells included)
    bibliography = page_text((before_html / "chapters" / "chapter04.html").read_text(encoding="utf-8"))
    assert any(re.search(r"\[\d+\]", cell) for table in bibliography.tables for row in table for cell in row)


def test_adoption_replaces_every_table_with_ids_and_reports_upstream_defects(adopted: Adopted):
    after, out = adopted.after, adopted.report.stdout
    assert "adopted 21 table(s) and 9 gap(s)" in out and "0 table(s) or gap(s) with IDs left as they are" in out
    chapter07 = (after / "chapters" / "chapter07.rst").read_text(encoding="utf-8")
    assert chapter07.count(".. ra2:fields:: gap.") == 9
    chapter04 = (after / "chapters" / "chapter04.rst").read_text(encoding="utf-8")
    assert ".. list-table:: Node Specifications" not in chapter04
    assert ".. ra2:table:: Node Specifications" in chapter04
    # the tables without IDs stay as they were
    assert ".. list-table:: Operating System versions" in chapter04
    # the defects RA2 really has, named with where they are
    for defect in ("infra.hw.pci.cfg. 001", "'e.cap.025': no such item", "'en.rsl.01': no such item"):
        assert defect in out
    # outside git the settings sit in DOCDIR (in a repository: at its top); no rule is lowered,
    # upstream's defects are known findings of the baseline instead
    settings = (after / "ra2docs.toml").read_text(encoding="utf-8")
    assert 'ids = "ra2-today"' in settings and 'catalogue = "catalogue"' in settings  # today's gen.cnt.02
    assert "[severity]" not in settings
    baseline = json.loads((after / "catalogue" / "ra2docs-baseline.json").read_text(encoding="utf-8"))
    known = {(e["rule"], e["item"]) for e in baseline["findings"]}
    assert {("RA303", "infra.hw.pci.cfg. 001"), ("RA401", "ra2.ch.019"), ("RA401", "ra2.k8s.004")} <= known
    # a small footprint: no schema copied, no origin comments that go stale, no requirement pip cannot resolve
    assert not (after / "catalogue" / "catalogue.schema.json").exists()
    chapter02 = (after / "catalogue" / "chapter02.yaml").read_text(encoding="utf-8")
    assert "# chapters/" not in chapter02 and "yaml-language-server" not in chapter02
    assert (after / "test-requirements.txt").read_text() == (adopted.before / "test-requirements.txt").read_text()
    assert "--requirement SPEC" in out


def test_adopting_again_changes_nothing(adopted: Adopted, ra2_env: dict[str, str]):
    after = adopted.after
    before = tree_digest(after)
    result = sh("ra2docs", "adopt", ".", cwd=after, env=ra2_env)
    assert result.returncode == 0 and "nothing to adopt" in result.stdout, result.stdout + result.stderr
    assert tree_digest(after) == before


def test_doc8_passes_on_the_adopted_tree_with_the_tree_s_own_options(adopted: Adopted, ra2_env: dict[str, str]):
    after = adopted.after
    options = ["--ignore-path", ".tox", "--ignore-path", "build", "--ignore", "D001", "--max-line-length", "120"]
    result = sh("doc8", ".", *options, cwd=after, env=ra2_env)
    assert result.returncode == 0, result.stdout[-3000:]


def test_the_gsma_word_document_keeps_every_table(adopted: Adopted, ra2_env: dict[str, str]):
    before, after = adopted.before, adopted.after
    tables_before = word_tables(gsma(before, ra2_env))
    copies = set(Path(tempfile.gettempdir()).glob("ra2docs-expanded-*"))
    tables_after = word_tables(gsma(after, ra2_env))
    assert tables_before >= 49 and tables_after == tables_before
    # togsma.py's expanded copy of the chapters is gone once it ends
    assert set(Path(tempfile.gettempdir()).glob("ra2docs-expanded-*")) == copies
    # the GSMA copy of conf.py has no catalogue beside it: a tree without ra2docs directives still builds
    assert "ra2docs.sphinx" in (after / "gsma" / "conf.py").read_text(encoding="utf-8")


def test_adopt_dry_run_prints_the_diff_and_writes_nothing(ra2_env: dict[str, str], tmp_path: Path):
    tree = copy_tree(tmp_path / "tree")
    before = tree_digest(tree)
    result = sh("ra2docs", "adopt", ".", "--dry-run", cwd=tree, env=ra2_env)
    assert result.returncode == 0, result.stderr
    assert "+++ b/chapters/chapter04.rst" in result.stdout and "+.. ra2:table:: Node Specifications" in result.stdout
    assert "+++ b/catalogue/chapter04.yaml" in result.stdout and "+++ b/conf.py" in result.stdout
    assert tree_digest(tree) == before


OTHER_CHAPTERS = {
    # RA2's chapters of 2022-06 (RST, IDs inside :ref: roles, grid tables) and of the 2022-01 conversion
    "2022-06-10": SHARED / "upstream" / "history" / "2022-06-10-c2e630a4" / "ra2",
    "2022-01-27": ROOT / "tests" / "data" / "history" / "2022-01-27-f0600be8" / "ra2",
}


def _warnings(stderr: str, tree: Path) -> list[str]:
    """Sphinx's warnings without their location, which moves into the catalogue with the text."""
    found = []
    for line in stderr.splitlines():
        if "WARNING:" in line or "ERROR:" in line:
            found.append(re.sub(r"^.*?(WARNING|ERROR):", r"\1:", line.replace(str(tree), "")))
    return sorted(found)


@pytest.mark.parametrize("era", sorted(OTHER_CHAPTERS))
def test_adopting_another_tree_of_the_rst_era_changes_no_rendered_character(
    era: str, ra2_env: dict[str, str], tmp_path: Path
):
    """Older chapters in today's tree: they have dangling labels (so no -W), but adoption adds nothing to them."""
    trees = {}
    for side in ("before", "after"):
        tree = copy_tree(tmp_path / side)
        for chapter in OTHER_CHAPTERS[era].glob("*.rst"):
            shutil.copy(chapter, tree / "chapters" / chapter.name)
        trees[side] = tree
    adopted = sh("ra2docs", "adopt", ".", cwd=trees["after"], env=ra2_env)
    assert adopted.returncode == 0, adopted.stdout + adopted.stderr
    replaced = int(re.search(r"adopted (\d+) table", adopted.stdout).group(1))  # type: ignore[union-attr]
    assert replaced >= 15, adopted.stdout
    built = {}
    for side, tree in trees.items():
        result = sh("sphinx-build", "--keep-going", "-q", "-b", "html", ".", "build", cwd=tree, env=ra2_env)
        assert result.returncode == 0, result.stderr[-3000:]
        built[side] = (tree / "build", _warnings(result.stderr, tree), result.stderr)
    (before_html, before_warnings, _), (after_html, after_warnings, after_log) = built["before"], built["after"]
    assert after_warnings == before_warnings
    # a warning about text now in the catalogue names the catalogue file, never line 1 of the page
    assert not re.search(r"\.rst:1: ", after_log), after_log[:2000]
    if era == "2022-06-10":  # its cells cite Reference Model labels this tree cannot resolve
        assert "/catalogue/chapter02.yaml:" in after_log, after_log[:2000]
    pages = sorted(before_html.glob("chapters/*.html"))
    assert len(pages) >= 7
    for page in pages:
        old = page_text(page.read_text(encoding="utf-8"))
        new = page_text((after_html / page.relative_to(before_html)).read_text(encoding="utf-8"))
        assert differences(old, new) == [], (era, page.name)
