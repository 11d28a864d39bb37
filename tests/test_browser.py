"""The generated pages in a real browser (Debian chromium, headless): long tables filter and sort.

The browser tests never skip: without Chromium they fail, saying what to install.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.build]


def _find(*names: str) -> str | None:
    return next((found for name in names if (found := shutil.which(name))), None)


def chromium_session() -> Iterator[Any]:
    """One headless Chromium, for a module's tests (its ``browser`` fixture)."""
    chromium = _find("chromium", "chromium-browser", "google-chrome")
    driver = _find("chromedriver") or (
        str(Path(os.environ["CHROMEWEBDRIVER"]) / "chromedriver") if os.environ.get("CHROMEWEBDRIVER") else None
    )
    if not chromium or not driver:
        # never a skip: a run without a browser would pass without having looked at the site
        pytest.fail(
            f"the browser tests need Chromium and its driver, and {'chromedriver' if chromium else 'chromium'} "
            "is not on the PATH: install Debian's chromium and chromium-driver (make test does, as root), "
            "or set CHROMEWEBDRIVER to the folder holding chromedriver",
            pytrace=False,
        )
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
    session.set_script_timeout(120)  # axe-core on the longest pages
    try:
        yield session
    finally:
        session.quit()


@pytest.fixture(scope="module")
def browser():
    yield from chromium_session()


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
    assert browser.execute_script("return Array.from(arguments[0].labels).map(l => l.textContent)", box) == [
        "Filter rows: "
    ]
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
    # the table scrolls in its own box, and its header stays at the top of that box
    box_top, header_top, scrolled = browser.execute_script(
        "const box = arguments[0].closest('.ra2-table-box'); box.scrollTop = box.scrollHeight / 2;"
        "return [box.getBoundingClientRect().top, arguments[1].getBoundingClientRect().top, box.scrollTop];",
        table,
        header,
    )
    assert scrolled > 500
    assert abs(header_top - box_top) <= 2
