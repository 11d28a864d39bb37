"""A small HTML reader for tests: tables as lists of cell texts, and links."""

from __future__ import annotations

from html.parser import HTMLParser


class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, list[list[str]]] = {}
        self.stack: list[tuple[str, list[list[str]]]] = []
        self.cell: list[str] | None = None
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._link_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        if tag == "table":
            rows: list[list[str]] = []
            self.stack.append((attr.get("id") or f"table-{len(self.tables) + len(self.stack)}", rows))
        elif tag == "tr" and self.stack:
            self.stack[-1][1].append([])
        elif tag in ("td", "th") and self.stack:
            self.cell = []
        elif tag == "a":
            self._href = attr.get("href") or ""
            self._link_text = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self.stack:
            name, rows = self.stack.pop()
            self.tables[name] = rows
        elif tag in ("td", "th") and self.stack and self.cell is not None:
            self.stack[-1][1][-1].append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "a" and self._href is not None:
            self.links.append((self._href, "".join(self._link_text).strip()))
            self._href = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)
        if self._href is not None:
            self._link_text.append(data)


def parse(html: str) -> _Tables:
    reader = _Tables()
    reader.feed(html)
    return reader
