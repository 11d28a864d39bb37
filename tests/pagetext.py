"""What a reader sees on a built page: captions, every table cell, and the text around the tables.

Markup is ignored (a cell that became a link reads the same); permalink marks
('¶', '#') are not text. Used to compare a page before and after adoption.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from html.parser import HTMLParser

_VOID = {"br", "hr", "img", "input", "meta", "link", "col", "area", "base", "wbr", "source"}


@dataclass
class PageText:
    captions: list[str] = field(default_factory=list)
    tables: list[list[list[str]]] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)  # text blocks outside tables, in order


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = PageText()
        self.depth_main = 0  # inside the page body
        self.skip = 0  # inside a headerlink, script or style
        self.tables: list[list[list[str]]] = []
        self.cell: list[str] | None = None
        self.caption: list[str] | None = None
        self.block: list[str] = []
        self.stack: list[str] = []

    def _flush(self) -> None:
        text = " ".join("".join(self.block).split())
        if text:
            self.page.outside.append(text)
        self.block = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        classes = (attr.get("class") or "").split()
        if tag in _VOID:
            if tag == "br" and self.depth_main:
                (self.cell if self.cell is not None else self.block).append(" ")
            return
        self.stack.append(tag)
        if self.depth_main:
            self.depth_main += 1
        elif attr.get("role") == "main":
            self.depth_main = 1
            return
        if not self.depth_main:
            return
        if self.skip or "headerlink" in classes or tag in ("script", "style"):
            self.skip += 1
            return
        if tag == "table":
            self._flush()
            self.tables.append([])
        elif tag == "caption":
            self.caption = []
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th") and self.tables:
            self.cell = []
        elif (
            tag in ("p", "div", "li", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "section")
            and not self.tables
        ):
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()
        if not self.depth_main:
            return
        self.depth_main -= 1
        if self.depth_main == 0:
            self._flush()
            return
        if self.skip:
            self.skip -= 1
            return
        if tag == "caption" and self.caption is not None:
            self.page.captions.append(" ".join("".join(self.caption).split()))
            self.caption = None
        elif tag in ("td", "th") and self.cell is not None and self.tables:
            self.tables[-1][-1].append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "table" and self.tables:
            self.page.tables.append(self.tables.pop())

    def handle_data(self, data: str) -> None:
        if not self.depth_main or self.skip:
            return
        if self.caption is not None:
            self.caption.append(data)
        elif self.cell is not None:
            self.cell.append(data)
        elif not self.tables:
            self.block.append(data)


def page_text(html: str) -> PageText:
    reader = _Reader()
    reader.feed(html)
    return reader.page


def differences(before: PageText, after: PageText, limit: int = 12) -> list[str]:
    """What a reader would see differently, as short human-readable lines (empty: nothing)."""
    found: list[str] = []
    if before.captions != after.captions:
        found += [f"caption: {d}" for d in _diff(before.captions, after.captions)]
    if len(before.tables) != len(after.tables):
        found.append(f"tables: {len(before.tables)} before, {len(after.tables)} after")
    for number, (old, new) in enumerate(zip(before.tables, after.tables, strict=False), start=1):
        if old != new:
            rows_old = [" | ".join(r) for r in old]
            rows_new = [" | ".join(r) for r in new]
            found += [f"table {number}: {d}" for d in _diff(rows_old, rows_new)]
    if before.outside != after.outside:
        found += [f"text: {d}" for d in _diff(before.outside, after.outside)]
    return found[:limit]


def _diff(old: list[str], new: list[str]) -> list[str]:
    return [
        line[:300]
        for line in difflib.unified_diff(old, new, lineterm="", n=0)
        if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))
    ]
