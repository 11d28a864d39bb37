"""Questions a reader of the built site answers in one place (issue 24), read from the real site's HTML.

"Which RA2 items trace to infra.net.cfg.002?" (its entry says: none, and names the tables that show it);
"which mandatory requirements are not passing?" (one table on the conformance page); "what does this
site change from upstream?" (the catalogue's record of changes, published); where Tables 3-1 and 4-5
disagree (a note under each); and no Description cell of chapter 2 is empty.
"""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest
from htmlparse import parse

pytestmark = pytest.mark.build


def text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def entry_fields(site: Path, page: str, item_id: str) -> dict[str, str]:
    html = (site / page).read_text(encoding="utf-8")
    start = html.index(f'id="{item_id}"')
    entry = html[start : html.index("</dl>\n</dd></dl>", start)]
    names = re.findall(r"<dt[^>]*>(.*?)</dt>\s*<dd[^>]*>(.*?)</dd>", entry, re.S)
    return {text_of(k).rstrip(":").strip(): text_of(v) for k, v in names}


def test_an_entry_says_what_it_lacks_and_which_tables_show_it(built_site: Path):
    fields = entry_fields(built_site, "_generated/reference/rm-requirement.html", "infra.net.cfg.002")
    assert fields["specified-by"] == "none: no specification traces to this item"
    assert fields["verified-by"] == "none: no test case verifies this item"
    shown = fields["shown in"]
    assert "Table 2-3: Reference Model Requirements: Cloud Infrastructure Software Profile Requirements" in shown
    assert "(comparison cni-multiplexers)" in shown and "(comparison cni-multiplexers-ch04)" in shown
    # a specification whose trace upstream left open says so in upstream's words
    spec = entry_fields(built_site, "_generated/reference/specification.html", "ra2.k8s.005")
    assert spec["traces"] == "none (upstream: TBC)"


def test_one_table_answers_which_mandatory_requirements_are_not_passing(built_site: Path):
    html = (built_site / "_generated" / "conformance.html").read_text(encoding="utf-8")
    table = html[html.index('class="ra2-table ra2-results ra2-not-passing') :]
    table = table[: table.index("</table>")]
    rows = next(iter(parse("<table " + table + "</table>").tables.values()))
    assert rows[0] == ["Requirement", "Title", "Priority", "Section", "Tests", "Verdict"]
    assert len(rows) > 100 and not any(row[5] == "pass" for row in rows[1:])
    assert rows[1][5] == "fail"
    assert ["req.inf.ntw.04", "Dual stack IPv4 and IPv6 for Kubernetes workloads", "MUST"] in [r[:3] for r in rows]


def test_the_record_of_changes_is_published_and_in_the_navigation(built_site: Path):
    html = (built_site / "changes.html").read_text(encoding="utf-8")
    page = text_of(html)
    assert "What the site shows differently from upstream" in page and "Fixes" in page
    assert "ra2.ch.015" in page and "<table" in html
    assert 'href="changes.html"' in (built_site / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(("page", "other"), [("chapters/chapter03.html", "4-5"), ("chapters/chapter04.html", "3-1")])
def test_both_comparison_tables_note_where_they_disagree(built_site: Path, page: str, other: str):
    html = (built_site / page).read_text(encoding="utf-8")
    notes = [text_of(n) for n in re.findall(r'<div class="admonition note">(.*?)</div>', html, re.S)]
    note = next(n for n in notes if "req.inf.ntw.03" in n)
    assert f"Table {other}" in note
    target = {
        "4-5": "chapter04.html#comparison-cni-multiplexers-ch04",
        "3-1": "chapter03.html#comparison-cni-multiplexers",
    }
    assert f'<a class="reference internal" href="{target[other]}"' in html  # the note links to the other table


def test_no_description_cell_of_chapter_2_is_empty(built_site: Path):
    tables = parse((built_site / "chapters" / "chapter02.html").read_text(encoding="utf-8")).tables
    checked = 0
    for rows in tables.values():
        if not rows or "Description" not in rows[0]:
            continue
        column = rows[0].index("Description")
        empty = [row[1] for row in rows[1:] if not row[column].strip()]
        assert empty == []  # once: e.cap.010 "Transcoding Acceleration" and 17 more
        checked += len(rows) - 1
    assert checked > 80
    assert "Transcoding Acceleration" in text_of((built_site / "chapters" / "chapter02.html").read_text("utf-8"))
