"""The shipped site is today's RA2 (issue 23): its chapters as ``ra2docs adopt`` makes them of
anuket-project/RA2 (August 2025), a catalogue that restates upstream's sentences and keeps every
fact, the Reference Model items RA2 cites and RC2's tests as catalogues too; the 2020-08 edition
is built beside it.

Upstream is read here as a user would: ``ra2docs adopt`` on a copy of the real RA2 tree and
``ra2docs import`` of the RM and RC2 chapters. The shipped catalogue must equal what they give,
except that every sentence is restated (``restating.py`` judges each one) and the Reference
Model's items carry their own source and sections.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import EDITION_2020, ROOT, SHARED, ra2docs, run
from restating import catalogue_problems, is_sentence

CATALOGUE = ROOT / "catalogue"
UPSTREAM_RA2 = SHARED / "upstream" / "ra2-repo-2025-08"
RA2_CHAPTER_FILES = ("chapter01", "chapter02", "chapter04", "chapter07")
RM_CHAPTER_FILES = ("chapter04", "chapter05", "chapter07")


def _items(path: Path) -> list[dict[str, Any]]:
    return yaml.safe_load(path.read_text(encoding="utf-8")).get("items") or []


@pytest.fixture(scope="module")
def upstream(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Today's RA2 adopted, and the RM and RC2 chapters imported, as a user would (upstream wording)."""
    work = tmp_path_factory.mktemp("upstream-today")
    tree = work / "ra2"
    shutil.copytree(UPSTREAM_RA2, tree, symlinks=True)
    adopted = ra2docs("adopt", "doc/ref_arch/kubernetes", cwd=tree)
    assert adopted.returncode == 0, adopted.stdout + adopted.stderr
    rm = ra2docs("import", str(SHARED / "upstream" / "rm-rst"), "--catalogue", str(work / "rm"))
    rc2 = ra2docs(
        "import",
        str(SHARED / "upstream" / "rc2-2024-04" / "doc" / "ref_cert" / "RC2"),
        "--catalogue",
        str(work / "rc2"),
    )
    # RC2's rows that name no test (N/A, TBD, documentation links) are reported, exit 1
    assert rm.returncode == 0 and rc2.returncode == 1 and "19 warnings" in rc2.stdout, rm.stderr + rc2.stdout
    return work


def _ra2_ids(upstream: Path) -> set[str]:
    folder = upstream / "ra2" / "doc" / "ref_arch" / "kubernetes" / "catalogue"
    return {item["id"] for name in RA2_CHAPTER_FILES for item in _items(folder / f"{name}.yaml")}


@pytest.mark.slow
def test_the_chapters_are_ra2_s_as_adopt_makes_them(upstream: Path):
    adopted = upstream / "ra2" / "doc" / "ref_arch" / "kubernetes"
    names = sorted(p.name for p in (adopted / "chapters").glob("*.rst"))
    assert names == sorted(p.name for p in (ROOT / "source" / "chapters").glob("*.rst")) and len(names) == 8
    for name in names:
        shipped = (ROOT / "source" / "chapters" / name).read_text(encoding="utf-8")
        assert shipped == (adopted / "chapters" / name).read_text(encoding="utf-8"), name
    assert (ROOT / "source" / "refs.bib").read_bytes() == (adopted / "refs.bib").read_bytes()
    figures = {p.name for p in (adopted / "figures").glob("*.png")}
    assert figures == {p.name for p in (ROOT / "source" / "figures").glob("*.png")}
    # the catalogue drives the chapters: every table of IDs is a directive, every gap a fields directive
    chapters = "".join((ROOT / "source" / "chapters" / name).read_text(encoding="utf-8") for name in names)
    assert chapters.count(".. ra2:table::") == 21 and chapters.count(".. ra2:fields:: gap.") == 9


@pytest.mark.slow
def test_ra2_s_items_keep_every_fact_and_restate_every_sentence(upstream: Path):
    folder = upstream / "ra2" / "doc" / "ref_arch" / "kubernetes" / "catalogue"
    problems: list[str] = []
    sentences = 0
    for name in RA2_CHAPTER_FILES:
        before, after = _items(folder / f"{name}.yaml"), _items(CATALOGUE / f"ra2-{name}.yaml")
        problems += catalogue_problems(before, after, f"ra2-{name}.yaml")
        sentences += sum(1 for item in before for text in _texts(item) if is_sentence(text))
    assert sentences > 380
    assert not problems, f"{len(problems)} problem(s):\n\n" + "\n\n".join(problems[:20])


@pytest.mark.slow
def test_the_reference_model_items_ra2_does_not_list_are_there_restated(upstream: Path):
    listed = _ra2_ids(upstream)
    problems: list[str] = []
    count = 0
    for name in RM_CHAPTER_FILES:
        before = [_as_rm(item) for item in _items(upstream / "rm" / f"ra2-{name}.yaml") if item["id"] not in listed]
        after = _items(CATALOGUE / f"rm-{name}.yaml")
        count += len(after)
        problems += catalogue_problems(before, after, f"rm-{name}.yaml")
    assert count > 230
    assert not problems, f"{len(problems)} problem(s):\n\n" + "\n\n".join(problems[:20])


@pytest.mark.slow
def test_rc2_s_tests_are_imported_as_they_are(upstream: Path):
    for name in ("chapter02", "chapter04"):
        assert _items(CATALOGUE / f"rc2-{name}.yaml") == _items(upstream / "rc2" / f"rc2-{name}.yaml"), name


def test_the_links_ra2_and_rc2_write_resolve():
    """RA2's link to e.cap.025 (an RM item RA2 does not list) resolves; RC2's tests reach RA2's requirements."""
    result = ra2docs("check", "--format", "json", cwd=ROOT)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr
    assert "'e.cap.025': no such item" not in result.stdout
    tests = _items(CATALOGUE / "rc2-chapter04.yaml")
    assert len(tests) >= 20 and all(t["verifies"] for t in tests)


def _texts(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for key, inner in value.items() if key != "id" for text in _texts(inner)]
    if isinstance(value, list):
        return [text for inner in value for text in _texts(inner)]
    return []


def _as_rm(item: dict[str, Any]) -> dict[str, Any]:
    """An imported RM item as the shipped catalogue holds it: its own source, its sections named apart from RA2's."""
    item = dict(item)
    item["source"] = "rm"
    if "section" in item:
        item["section"] = f"rm-{item['section']}"
    return item


# -- the site -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Both editions built as ``make html`` builds them: today's at html/, 2020-08 at html/2020-08/."""
    out = tmp_path_factory.mktemp("both") / "html"
    for source, target in ((ROOT / "source", out), (EDITION_2020 / "source", out / "2020-08")):
        result = run("sphinx-build", "-W", "--keep-going", "-q", "-b", "html", str(source), str(target), timeout=300)
        assert result.returncode == 0, result.stderr
    return out


def test_the_index_is_today_s_ra2_and_links_the_2020_edition(site: Path):
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "Reference Architecture for Kubernetes based cloud infrastructure (RA2)" in index
    target = re.search(r'href="(2020-08/index\.html)"', index)
    assert target and (site / target.group(1)).is_file()
    assert "Table 3-1" in (site / "2020-08" / "chapters" / "chapter03.html").read_text(encoding="utf-8")


def test_every_page_names_its_edition(site: Path):
    for page, edition in (
        (site / "chapters" / "chapter02.html", "2025-08"),
        (site / "2020-08" / "index.html", "2020-08-29"),
    ):
        text = page.read_text(encoding="utf-8")
        assert re.search(rf'class="[^"]*ra2docs-edition[^"]*"[^>]*>[^<]*{edition}', text), page


def test_a_what_changed_page_per_release_and_an_item_s_life_on_its_entry(site: Path):
    releases = {p.stem for p in (site / "_history").glob("*.html")} - {"index"}
    assert {"Snezka", "Baldy", "Kali", "Lakelse", "Nile", "Orinoco", "Quinnipiac"} <= releases and len(releases) == 11
    entry = (site / "_generated" / "reference" / "ra-requirement.html").read_text(encoding="utf-8")
    assert "introduced in" in entry.lower()


# -- readers: today's pages in a browser, on a phone and with a screen reader's eyes -------------


@pytest.fixture(scope="module")
def browser():
    from test_browser import chromium_session

    yield from chromium_session()


def test_today_s_pages_fit_a_phone_and_axe_finds_no_serious_violation(browser, site: Path):
    """The 2020-08 edition's pages are all checked by test_reader.py; today's differ by RA2's own chapters
    (figures, citations, its theme settings and logo) and their sizes: each chapter, and a page of each
    generated kind (a reference page with graphs, a release's changes), on a phone and with axe."""
    from test_reader import PHONE, axe, name, viewport

    checked = sorted((site / "chapters").glob("*.html")) + [
        site / "index.html",
        site / "_generated" / "reference" / "gap.html",  # entries with trace graphs (image maps)
        site / "_history" / "Quinnipiac.html",
    ]
    too_wide: dict[str, int] = {}
    violations: dict[str, list[str]] = {}
    with viewport(browser, *PHONE):
        for page in checked:
            browser.get(page.as_uri())
            width, screen = browser.execute_script(
                "return [document.documentElement.scrollWidth, document.documentElement.clientWidth];"
            )
            if width > screen:
                too_wide[name(site, page)] = width
            found = axe(browser, {"resultTypes": ["violations"]})
            if found:
                violations[name(site, page)] = found
    assert len(checked) == 11
    assert too_wide == {}
    assert violations == {}


def test_the_pages_sphinx_makes_from_templates_name_the_edition_too(browser, site: Path):
    """genindex and search have no body at build time: the edition comes from a meta tag (a new-user trial)."""
    for page, edition in ((site / "genindex.html", "2025-08"), (site / "2020-08" / "search.html", "2020-08-29")):
        browser.get(page.as_uri())
        shown = browser.execute_script(
            "const e = document.querySelector('.ra2docs-edition'); return e ? e.textContent : '';"
        )
        assert edition in shown and shown.count("This site shows") == 1, (page, shown)
