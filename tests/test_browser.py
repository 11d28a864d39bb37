"""The generated pages in a real browser (Debian chromium, headless): long tables filter and sort."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.build]


def _find(*names: str) -> str | None:
    return next((found for name in names if (found := shutil.which(name))), None)


@pytest.fixture(scope="module")
def browser():
    chromium = _find("chromium", "chromium-browser", "google-chrome")
    driver = _find("chromedriver") or (
        str(Path(os.environ["CHROMEWEBDRIVER"]) / "chromedriver") if os.environ.get("CHROMEWEBDRIVER") else None
    )
    if not chromium or not driver:
        message = "Debian's chromium and chromium-driver are needed (make test installs them as root)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1300,900",
    ):
        options.add_argument(flag)
    session = webdriver.Chrome(service=Service(driver), options=options)
    session.set_page_load_timeout(30)
    yield session
    session.quit()


def visible_rows(browser, table, column: int = 0) -> list[str]:
    """Text of the given cell of every row the browser lays out (one round trip)."""
    return browser.execute_script(
        "return Array.from(arguments[0].tBodies[0].rows)"
        ".filter(r => r.getClientRects().length > 0)"
        ".map(r => r.cells[arguments[1]].textContent.trim());",
        table,
        column,
    )


def all_rows_text(browser, table) -> list[tuple[str, str]]:
    return browser.execute_script(
        "return Array.from(arguments[0].tBodies[0].rows).map(r => [r.cells[0].textContent.trim(), r.textContent]);",
        table,
    )


def test_filter_box_hides_and_shows_the_right_rows(browser, built_site: Path):
    browser.get((built_site / "_generated" / "traceability.html").as_uri())
    table = browser.find_element("css selector", "table.ra2-forward")
    all_rows = visible_rows(browser, table)
    assert len(all_rows) > 50  # a long table: it has a filter box
    box = browser.find_element("css selector", ".ra2-filter-input")
    # rows whose text holds 'ra2.ch.011', counted independently from the table's own cells
    expected = [first for first, text in all_rows_text(browser, table) if "ra2.ch.011" in text]
    box.send_keys("ra2.ch.011")
    assert visible_rows(browser, table) == expected == ["e.cap.001"]
    count = browser.find_element("css selector", ".ra2-filter-count").text
    assert count == f"1 of {len(all_rows)} rows"
    box.clear()
    box.send_keys("no-such-word")
    assert visible_rows(browser, table) == []
    for _ in range(len("no-such-word")):
        box.send_keys("\b")
    assert visible_rows(browser, table) == all_rows


def test_headers_sort_and_stay_in_view(browser, built_site: Path):
    browser.get((built_site / "chapters" / "chapter02.html").as_uri())
    table = browser.find_elements("css selector", "table.ra2-chapter-table")[5]  # 2.2.6, 89 rows
    header = table.find_elements("css selector", "thead th")[1]
    header.click()
    ascending = visible_rows(browser, table, 1)
    header.click()
    descending = visible_rows(browser, table, 1)
    assert descending == list(reversed(ascending))
    assert ascending.index("req.sec.gen.002") < ascending.index("req.sec.gen.010")  # natural order
    position = browser.execute_script("return getComputedStyle(arguments[0]).position", header)
    assert position == "sticky"
