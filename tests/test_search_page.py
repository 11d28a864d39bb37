"""The search page shows catalogue titles as text, under RA2's Sphinx 7.2.6 and the newest Sphinx, in Chromium.

Sphinx before 9.0 assigns search-index titles to ``innerHTML``; a caption that
a contributor writes as ``Caps<img onerror=...>`` would run script there, so
ra2docs mends that file. Sphinx 9.0 escapes them itself: its file is left alone.
"""

from __future__ import annotations

import shutil
import urllib.parse
from pathlib import Path

import pytest
import sphinx
import yaml
from conftest import EDITION_2020, run, sh, write
from selenium.webdriver.support.ui import WebDriverWait
from test_browser import browser  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.build]

ATTACK = "Caps<img src=x onerror=document.body.dataset.pwned=1>"


def _project(tmp_path: Path) -> Path:
    catalogue = tmp_path / "catalogue"
    shutil.copytree(EDITION_2020 / "catalogue", catalogue)
    path = catalogue / "comparisons.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["comparisons"][0]["title"] = ATTACK
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    comparison = data["comparisons"][0]["id"]
    return write(
        tmp_path / "source",
        {
            "conf.py": 'extensions = ["ra2docs.sphinx"]\nra2docs_catalogue = "../catalogue"\n',
            "index.rst": f"Search\n======\n\n.. ra2:comparison:: {comparison}\n   :number: 3-1\n",
        },
    )


def _search(browser, out: Path) -> tuple[list[str], str | None]:  # noqa: F811
    # Sphinx lists a title when the query is at least half of it
    query = urllib.parse.quote("Table 3-1: " + ATTACK[: len(ATTACK) - 10])
    browser.get((out / "search.html").as_uri() + "?q=" + query)
    WebDriverWait(browser, 20).until(
        # the results are listed one by one; the heading reads "Search Results" once the last is in
        lambda b: b.execute_script("return Search.title && Search.title.innerText === 'Search Results'")
    )
    titles = browser.execute_script(
        "return Array.from(document.querySelectorAll('#search-results li > a')).map(a => a.textContent)"
    )
    pwned = browser.execute_script("return document.body.dataset.pwned || null")
    images = browser.execute_script("return document.querySelectorAll('#search-results img').length")
    return titles, pwned if pwned is not None else ("img" if images else None)


def test_a_title_with_markup_is_text_on_the_newest_sphinx_search_page(browser, tmp_path: Path):  # noqa: F811
    source = _project(tmp_path)
    built = run("sphinx-build", "-q", "-b", "html", str(source), str(tmp_path / "out"))
    assert built.returncode == 0, built.stderr
    # Sphinx 9 escapes titles itself: its file is left as it wrote it
    assert sphinx.version_info >= (9, 0)
    shipped = Path(sphinx.__file__).parent / "themes" / "basic" / "static" / "searchtools.js"
    assert (tmp_path / "out" / "_static" / "searchtools.js").read_bytes() == shipped.read_bytes()
    titles, pwned = _search(browser, tmp_path / "out")
    assert pwned is None
    assert any(ATTACK in title for title in titles), titles


def test_a_title_with_markup_is_text_on_the_sphinx_7_2_search_page(
    browser,  # noqa: F811
    ra2_env: dict[str, str],
    tmp_path: Path,
):
    source = _project(tmp_path)
    built = sh("sphinx-build", "-q", "-b", "html", source, tmp_path / "out", cwd=tmp_path, env=ra2_env)
    assert built.returncode == 0, built.stderr
    script = (tmp_path / "out" / "_static" / "searchtools.js").read_text(encoding="utf-8")
    assert "linkEl.textContent = title;" in script  # the 7.2.6 file, mended
    titles, pwned = _search(browser, tmp_path / "out")
    assert pwned is None
    assert any(ATTACK in title for title in titles), titles
    # and the mend is what protects it: Sphinx 7.2.6's own file runs the script
    (tmp_path / "out" / "_static" / "searchtools.js").write_text(
        script.replace("linkEl.textContent = title;", "linkEl.innerHTML = title;"), encoding="utf-8"
    )
    _, pwned = _search(browser, tmp_path / "out")
    assert pwned in ("1", "img")


def _index_terms(out: Path) -> dict[str, list[str]]:
    import json

    text = (out / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(text[text.index("(") + 1 : text.rindex(")")])
    docs = index["docnames"]
    return {
        term: [docs[d] for d in ([found] if isinstance(found, int) else found)]
        for term, found in index["terms"].items()
    }


NO_SEARCH = {
    "conf.py": "extensions = ['ra2docs.sphinx']\nra2docs_catalogue = '../catalogue'\nra2docs_downloads = False\n",
    "index.rst": "Index\n=====\n\n.. toctree::\n\n   rules\n\nReaders find zebrafinch here.\n",
    "rules.rst": "Rules\n=====\n\nRules about quokka.\n\n.. container:: no-search\n\n   An example: zebrafinch.\n",
}


def test_the_search_index_leaves_out_no_search_elements_on_the_newest_sphinx(tmp_path: Path):
    shutil.copytree(EDITION_2020 / "catalogue", tmp_path / "catalogue")
    source = write(tmp_path / "source", NO_SEARCH)
    built = run("sphinx-build", "-q", "-b", "html", str(source), str(tmp_path / "out"))
    assert built.returncode == 0, built.stderr
    terms = _index_terms(tmp_path / "out")
    assert terms["zebrafinch"] == ["index"] and terms["quokka"] == ["rules"]
    assert "zebrafinch" in (tmp_path / "out" / "rules.html").read_text(encoding="utf-8")  # shown, not searched


def test_the_search_index_leaves_out_no_search_elements_on_sphinx_7_2(ra2_env: dict[str, str], tmp_path: Path):
    shutil.copytree(EDITION_2020 / "catalogue", tmp_path / "catalogue")
    source = write(tmp_path / "source", NO_SEARCH)
    built = sh("sphinx-build", "-q", "-b", "html", source, tmp_path / "out", cwd=tmp_path, env=ra2_env)
    assert built.returncode == 0, built.stderr
    terms = _index_terms(tmp_path / "out")
    assert terms["zebrafinch"] == ["index"] and terms["quokka"] == ["rules"]  # Sphinx 7.2 knows no no-search itself
