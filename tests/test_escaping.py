"""Hostile text in every catalogue and result field reaches the reader's browser as text, never as code."""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

import pytest
import yaml
from conftest import EDITION_2020, run, sphinx_project

pytestmark = [pytest.mark.build, pytest.mark.browser]

PAYLOAD = (
    "<script>window.__xss=1;alert(1)</script>"
    '"><img src=x onerror="window.__xss=1;alert(1)">'
    " javascript:window.__xss=1;alert(1)"
    " `x <javascript:alert(1)>`_ :raw:`<b>` *a* |sub| [1]_"
)
# references and enumerations must stay valid for the site to build; everything else is hostile
NOT_TEXT = {
    "id",
    "kind",
    "status",
    "priority",
    "changed",
    "traces",
    "related",
    "verifies",
    "refines",
    "section",
    "source",
}


def hostile(value, key=""):
    if isinstance(value, str):
        return value if key in NOT_TEXT else f"{value} {PAYLOAD}"
    if isinstance(value, list):
        return value if key in NOT_TEXT else [hostile(v, key) for v in value]
    if isinstance(value, dict):
        return {k: hostile(v, k) for k, v in value.items()}
    return value


def hostile_catalogue(folder: Path) -> None:
    folder.mkdir(parents=True)
    for path in sorted((EDITION_2020 / "catalogue").glob("*.yaml")):
        data = yaml.safe_load(path.read_text())
        for section in ("items", "profiles", "sections", "sources"):
            if section in data:
                data[section] = [
                    {k: hostile(v, k) if k != "id" else v for k, v in entry.items()} for entry in data[section]
                ]
        for comp in data.get("comparisons", []):
            comp["title"] += " " + PAYLOAD
            for solution in comp["solutions"]:
                solution["title"] += " " + PAYLOAD
            for level in comp["levels"]:
                level["label"] += " " + PAYLOAD
            for note in comp.get("notes", []):
                note["text"] += " " + PAYLOAD
            for row in comp["rows"]:
                row["label"] = "Row " + PAYLOAD
        (folder / path.name).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("hostile")
    hostile_catalogue(tmp / "cat")
    project = sphinx_project(tmp, tmp / "cat")
    junit = project / "results" / "sample" / "e2e" / "junit_01.xml"
    from xml.sax.saxutils import escape, quoteattr

    text = junit.read_text()
    text = text.replace('name="Kubernetes e2e suite"', f"name={quoteattr('Kubernetes e2e suite ' + PAYLOAD)}")
    text = text.replace("sample failure:", escape("sample failure: " + PAYLOAD))
    junit.write_text(text)
    out = tmp / "html"
    result = run("sphinx-build", "-q", "-b", "html", str(project / "source"), str(out))
    assert result.returncode == 0, result.stderr
    return out


def test_no_page_carries_live_markup_from_the_catalogue(hostile_site: Path):
    pages = sorted(hostile_site.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        html = page.read_text()
        assert "<script>window.__xss" not in html, page
        assert 'onerror="window.__xss' not in html, page
        assert not re.search(r"""href=["']\s*javascript:""", html, re.I), page
    chapter2 = (hostile_site / "chapters" / "chapter02.html").read_text()
    assert "&lt;script&gt;window.__xss=1;alert(1)&lt;/script&gt;" in chapter2  # shown, as text
    for svg in hostile_site.rglob("*.svg"):
        assert "<script" not in svg.read_text().lower()


def test_no_script_runs_and_no_dialog_opens_in_a_real_browser(hostile_site: Path, browser):
    from selenium.common.exceptions import NoAlertPresentException

    for page in sorted(hostile_site.rglob("*.html")):
        browser.get(page.as_uri())
        try:
            alert = browser.switch_to.alert
            text = alert.text
            alert.dismiss()
            pytest.fail(f"{page.relative_to(hostile_site)} opened a dialog: {text!r}")
        except NoAlertPresentException:
            pass
        assert browser.execute_script("return window.__xss === undefined"), page
        assert browser.execute_script("return document.readyState") == "complete"


@pytest.fixture(scope="module")
def browser():
    from test_browser import browser as make_browser  # the same headless Chromium set-up

    generator = make_browser.__wrapped__()
    session = next(generator)
    yield session
    with contextlib.suppress(StopIteration):
        next(generator)
