"""Publishing: plain RST (render), LaTeX, Word, piccolo-theme, and ra2docs in an RA2 checkout."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import EDITION_2020, ROOT, SHARED, ra2docs, require, run, sphinx_project

pytestmark = pytest.mark.build

RA2_RST = SHARED / "upstream" / "ra2-rst"


def test_expand_writes_the_sources_without_any_ra2docs_directive(tmp_path: Path):
    result = ra2docs(
        "expand",
        str(EDITION_2020 / "source"),
        str(tmp_path / "rst"),
        "--catalogue",
        str(EDITION_2020 / "catalogue"),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ra2:table" in result.stdout and "ra2:comparison" in result.stdout
    chapters = sorted(p.name for p in (tmp_path / "rst" / "chapters").glob("*.rst"))
    assert chapters == ["appendix-a.rst", *(f"chapter0{n}.rst" for n in range(1, 7))]
    for path in (tmp_path / "rst").rglob("*.rst"):
        text = path.read_text()
        assert ":ra2:" not in text and ".. ra2:" not in text, path.name
    # the source tree is untouched, and an existing output folder is refused
    again = ra2docs(
        "expand",
        str(EDITION_2020 / "source"),
        str(tmp_path / "rst"),
        "--catalogue",
        str(EDITION_2020 / "catalogue"),
    )
    assert again.returncode == 2 and "not empty" in again.stderr


def test_expand_and_the_sphinx_site_never_disagree(tmp_path: Path, built_site: Path):
    """The expanded sources, built by Sphinx, show every chapter as the site does: captions, cells, text."""
    from pagetext import differences, page_text

    out = tmp_path / "rst"
    result = ra2docs("expand", str(EDITION_2020 / "source"), str(out), "--catalogue", str(EDITION_2020 / "catalogue"))
    assert result.returncode == 0, result.stderr
    shutil.copytree(EDITION_2020 / "catalogue", tmp_path / "catalogue")
    shutil.copytree(ROOT / "results", tmp_path / "results")
    html = tmp_path / "html"
    built = run("sphinx-build", "-q", "-b", "html", str(out), str(html))
    assert built.returncode == 0, built.stderr
    for page in sorted((built_site / "chapters").glob("*.html")):
        site = page_text(page.read_text(encoding="utf-8"))
        plain = page_text((html / "chapters" / page.name).read_text(encoding="utf-8"))
        assert differences(site, plain) == [], page.name


@pytest.mark.slow
def test_latex_build_succeeds_with_warnings_as_errors(tmp_path: Path):
    project = sphinx_project(tmp_path)
    result = run(
        "sphinx-build", "-W", "--keep-going", "-q", "-b", "latex", str(project / "source"), str(tmp_path / "latex")
    )
    assert result.returncode == 0, result.stderr
    tex = next((tmp_path / "latex").glob("*.tex")).read_text()
    assert "req.inf.ntw.03" in tex and "Comparison of CNI multiplexers" in tex
    assert "longtable" in tex  # long tables break across pages
    # a wide matrix is split into parts that fit the page, each repeating its first column
    grid = tex[tex.index("Specifications against RA2 requirements") :]
    assert grid.count("RA2 requirement") >= 2


def test_docx_has_the_chapters_rows_from_the_catalogue(tmp_path: Path):
    require("pandoc", "make test installs Debian's pandoc as root (sudo apt-get install pandoc)")
    result = subprocess.run(
        ["make", "docx", f"BUILDDIR={tmp_path}"], cwd=ROOT, capture_output=True, text=True, timeout=600, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    docx = tmp_path / "docx" / "ra2.docx"
    with zipfile.ZipFile(docx) as archive:
        document = archive.read("word/document.xml").decode("utf-8")
    text = re.sub(r"<[^>]+>", "", document)
    for needle in ("inf.ntw.03", "e.cap.001", "ra2.ntw.001", "Cloud Infrastructure Software Profile Capabilities"):
        assert needle in text
    # a restated catalogue text, and a gap of chapter 7 written out from its fields directive
    assert "Architecture must support limited backward compatibility in its APIs" not in text
    assert "Multitenancy and Workload Isolation with Kubernetes" in text
    assert document.count("<w:tbl>") >= 20


@pytest.mark.slow
def test_the_site_builds_with_piccolo_theme(tmp_path: Path):
    project = sphinx_project(tmp_path)
    result = run(
        "sphinx-build", "-W", "--keep-going", "-q", "-b", "html", "-D", "html_theme=piccolo_theme",
        str(project / "source"), str(tmp_path / "html"),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "piccolo" in (tmp_path / "html" / "index.html").read_text()
