"""The history on the shipped site (source/conf.py: ``ra2docs_history``, ``ra2docs_edition``; issue 23).

The site is the 2020-08-29 edition; its history is RA2 at Snezka, Baldy and Baldy.1, the releases
whose tables it already holds. Facts checked by hand in ``SHARED/upstream/releases``, evidence beside them.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from conftest import run, sphinx_project

EDITION = (
    "This site shows RA2 as of 2020-08-29 (anuket-specifications 84d0b207, between the Baldy and Baraque releases)."
)


def text_of(page: Path) -> str:
    """The page's body as a reader sees it, one block a line."""
    body = page.read_text(encoding="utf-8")
    body = body[body.index('role="main"') :]
    body = re.sub(r"<(script|style)\b.*?</\1>", "", body, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", body)).replace("¶", "")


def test_one_page_per_release_up_to_baldy_1(built_site: Path) -> None:
    pages = sorted(p.name for p in (built_site / "_history").glob("*.html"))
    assert pages == ["Baldy.1.html", "Baldy.html", "Snezka.html", "index.html"]
    index = text_of(built_site / "_history" / "index.html")
    assert "What changed, release by release" in index
    assert "from Snezka (2020-01-11) to Baldy.1 (2020-09-05)" in " ".join(index.split())


def test_what_changed_in_baldy(built_site: Path) -> None:
    page = built_site / "_history" / "Baldy.html"
    words = " ".join(text_of(page).split())
    assert "What changed in Baldy (2020-05-16)" in words
    assert (
        "against Snezka (2020-01-11): 220 items; 137 added, 0 back, 76 retired, 41 renamed, 76 changed, "
        "7 changed in markup or placement only."
    ) in words
    # Snezka/ra2/chapter02.md:208 `req.inf.ntw.14` ... integrating SDN controllers; Baldy/ra2/chapter02.md:301
    # `req.inf.ntw.05` ... integrating SDN controllers
    assert "req.inf.ntw.14 → req.inf.ntw.05 (similar text 1.00)" in words
    # Baldy renumbered chapter 2: Snezka/ra2/chapter02.md:169 `req.gen.cnt.03` '**must** support immutable
    # infrastructure' is Baldy/ra2/chapter02.md:286 `req.gen.cnt.02`; Snezka's req.gen.cnt.02 (line 168) is
    # Baldy's req.gen.cnt.01 (line 285): renames, not a change of wording or priority
    assert "req.gen.cnt.03 → req.gen.cnt.02 (similar text 1.00)" in words
    assert "req.gen.cnt.02 → req.gen.cnt.01 (similar text 1.00)" in words
    reused = words[words.index("IDs given to another item (6)") :]
    assert "req.gen.cnt.02" in reused[: reused.index("Changed: text, values, priority or links")]
    assert not re.search(r"req\.gen\.cnt\.02: [^\n]*priority", text_of(page))
    # not in Snezka/ra2/chapter02.md; Baldy/ra2/chapter02.md:288 | `req.gen.cnt.04` | ... abstraction layers:
    # added, and linked to its entry on this site
    added = words[words.index("Added (137)") : words.index("Retired (76)")]
    assert "req.gen.cnt.04" in added
    assert re.search(r'href="[^"]*#req\.gen\.cnt\.04"', page.read_text(encoding="utf-8"))
    # Baldy/ra2/chapter02.md:223 sec.wl.007: the 2020-08 catalogue defines it as req.sec.wl.007, so no link
    assert "sec.wl.007" in added and not re.search(r'href="[^"]*#sec\.wl\.007"', page.read_text(encoding="utf-8"))


def test_an_entry_tells_its_items_life(built_site: Path) -> None:
    words = text_of(built_site / "_generated" / "reference" / "ra-requirement.html")
    entry = words[words.index("req.gen.cnt.02 Immutable infrastructure") :]
    entry = entry[: entry.index("req.gen.cnt.03 Conformant Kubernetes")]
    lines = [line.strip() for line in entry.splitlines() if line.strip()]
    # Snezka/ra2/chapter02.md:169 `req.gen.cnt.03`, Baldy/ra2/chapter02.md:286 `req.gen.cnt.02`, the same words
    flat = " ".join(lines)
    assert "introduced in: Snezka (2020-01-11) as req.gen.cnt.03 " in flat
    changed = flat[flat.index("changed in Baldy (2020-05-16):") :]
    changed = changed[: changed.index(" former IDs:")]
    assert "renamed req.gen.cnt.03 -> req.gen.cnt.02 (inferred: similar text 1.00)" in changed
    assert "priority" not in changed and "statement" not in changed
    assert "former IDs: req.gen.cnt.03 " in flat
    # Snezka/ra2/chapter02.md:208 req.inf.ntw.14 became req.inf.ntw.05 in Baldy/ra2/chapter02.md:301
    words = " ".join(words.split())
    after = words[words.index("req.inf.ntw.05 ") :]
    assert "former IDs: req.inf.ntw.14" in after[: after.index("req.inf.ntw.06")]


def test_every_page_names_the_edition(built_site: Path) -> None:
    pages = sorted(p for p in built_site.rglob("*.html") if p.name not in ("genindex.html", "search.html"))
    assert len(pages) > 20
    missing = [str(p.relative_to(built_site)) for p in pages if EDITION not in p.read_text(encoding="utf-8")]
    assert missing == []


@pytest.mark.slow
def test_a_missing_history_folder_is_one_clear_error(tmp_path: Path) -> None:
    project = sphinx_project(tmp_path)
    result = run(
        "sphinx-build",
        "-W",
        "-q",
        "-D",
        f"ra2docs_history={tmp_path / 'nowhere'}",
        "-b",
        "html",
        str(project / "source"),
        str(tmp_path / "html"),
    )
    assert result.returncode != 0
    assert (
        result.stderr.strip()
        .splitlines()[0]
        .endswith(
            f"ERROR: ra2docs_history: {tmp_path / 'nowhere'}: no such history folder "
            f"(one folder per release: {tmp_path / 'nowhere'}/<release>/ra2/...) [ra2docs.history]"
        )
    )
    assert "Traceback" not in result.stderr
