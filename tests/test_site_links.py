"""Every link of the built site resolves: pages, their anchors, and the links inside trace graphs."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

pytestmark = pytest.mark.build

XLINK = "{http://www.w3.org/1999/xlink}href"
# what each element refers to: a page, a file, an image
REFERENCES = {"a": ("href",), "link": ("href",), "img": ("src",), "script": ("src",), "object": ("data",)}


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.refs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        if attr.get("id"):
            self.ids.add(attr["id"] or "")
        if tag == "a" and attr.get("name"):
            self.ids.add(attr["name"] or "")
        for key in REFERENCES.get(tag, ()):
            if attr.get(key) is not None:
                self.refs.append(attr[key] or "")


class Site:
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self._ids: dict[Path, set[str]] = {}

    def ids(self, path: Path) -> set[str]:
        if path not in self._ids:
            if path.suffix == ".svg":
                self._ids[path] = {e.get("id") or "" for e in ET.parse(path).iter() if e.get("id")}
            else:
                page = Page()
                page.feed(path.read_text(encoding="utf-8"))
                self._ids[path] = page.ids
        return self._ids[path]

    def broken(self, source: Path, ref: str) -> str | None:
        """Why a reference from ``source`` (a page or an SVG) leads nowhere, or None."""
        parts = urlsplit(ref)
        if parts.scheme or parts.netloc:  # http:, mailto:, javascript: (none is written by ra2docs)
            return None
        target = (source.parent / unquote(parts.path)).resolve() if parts.path else source
        if not target.is_relative_to(self.root):
            return "outside the site"
        if not target.is_file():
            return "no such file"
        fragment = unquote(parts.fragment)
        if fragment and target.suffix in (".html", ".svg") and fragment not in self.ids(target):
            return f"no element with id {fragment!r} in {target.relative_to(self.root)}"
        return None


def html_pages(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.html") if "_static" not in p.relative_to(root).parts)


def refs_of(path: Path) -> list[str]:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page.refs


def test_every_link_and_anchor_of_every_page_resolves(built_site: Path):
    site = Site(built_site)
    checked = 0
    broken = []
    for path in html_pages(built_site):
        page = Page()
        page.feed(path.read_text(encoding="utf-8"))
        site._ids[path.resolve()] = page.ids
        for ref in page.refs:
            checked += 1
            if why := site.broken(path.resolve(), ref):
                broken.append(f"{path.relative_to(built_site)}: {ref} ({why})")
    assert checked > 2000
    assert broken == []


def test_every_link_in_every_graph_resolves_from_where_the_graph_is(built_site: Path):
    """An SVG's links are relative to the SVG, not to the page that shows it; each names an existing entry."""
    site = Site(built_site)
    graphs = sorted((built_site / "_images").glob("*.svg"))
    assert len(graphs) >= 15
    shown = {
        (path.parent / ref).resolve()
        for path in html_pages(built_site)
        for ref in refs_of(path)
        if ref.endswith(".svg")
    }
    assert {g.resolve() for g in graphs} <= shown  # every graph is on a page
    links = 0
    broken = []
    for svg in graphs:
        tree = ET.parse(svg)
        local = {e: e.tag.rpartition("}")[2] for e in tree.iter()}
        if any(tag == "title" and e.text == "trace" for e, tag in local.items()):  # a trace graph (ra2docs')
            for node in (e for e, tag in local.items() if tag == "g" and e.get("class") == "node"):
                if not any(local[e] == "a" for e in node.iter()):
                    broken.append(f"{svg.name}: its node {node.findtext('{*}title')!r} links nowhere")
        for element in tree.iter():
            if element.tag.rpartition("}")[2] != "a":
                continue
            ref = element.get(XLINK) or element.get("href")
            if ref is None:
                continue
            links += 1
            if not urlsplit(ref).fragment:
                broken.append(f"{svg.name}: {ref} (no anchor: it opens the top of a page)")
            elif why := site.broken(svg.resolve(), ref):
                broken.append(f"{svg.name}: {ref} ({why})")
    assert links >= 30
    assert broken == []
