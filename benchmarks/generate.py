"""Write three equivalent projects of N items: ra2docs, sphinx-needs, and the floor (plain Sphinx).

    python benchmarks/generate.py --items 10000 --out /tmp/bench

writes ``DIR/ra2docs/source`` (Sphinx source with conf.py) beside ``DIR/ra2docs/catalogue``,
``DIR/needs/source`` and ``DIR/floor/source``. All hold the same items (IDs adapted for
sphinx-needs, which takes no dots: ``req.gen.aab.01`` becomes ``REQ_GEN_AAB_01``), the same
links, the same pages of about 250 items, one page with a full requirements table with incoming
links, and one traceability page. Items are shaped like RA2: 10% Reference Model items, 30%
requirements refining 1-3 of them, 50% specifications tracing to 1-3 requirements, 10% test
cases verifying 1-2 specifications; each with a title and a two-sentence statement.

All three use the alabaster theme without its global navigation sidebar (``--navigation`` keeps
it): that sidebar lists every page on every page, so its HTML, and the time Sphinx takes to
resolve it (the whole toctree, for each page), grow with the square of the number of pages,
whatever builds the pages. At 100,000 items (400 pages) it took 40% of a build.

The floor is what ra2docs builds, written by hand: the same entries (a definition list per
page, each item's fields as a field list), the same tables (list-tables) with the same texts
and the same links (``:ref:`` roles to the entries' targets), built by plain Sphinx with no
extension. Its texts come from ra2docs' own views of the generated catalogue, so both sites
show the same words; ra2docs' time over the floor's is what ra2docs costs beyond Sphinx.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import string
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

if TYPE_CHECKING:
    from ra2docs.views.parts import Cell

PER_PAGE = 250
WORDS = [
    "cluster",
    "node",
    "pod",
    "network",
    "storage",
    "policy",
    "interface",
    "resource",
    "runtime",
    "kernel",
    "driver",
    "tenant",
    "service",
    "address",
    "volume",
    "plugin",
    "profile",
    "latency",
    "throughput",
    "isolation",
    "topology",
    "memory",
    "cpu",
    "controller",
    "scheduler",
    "image",
    "registry",
    "certificate",
    "secret",
    "metric",
    "alarm",
    "log",
    "trace",
]
VERBS = [
    "supports",
    "provides",
    "exposes",
    "isolates",
    "schedules",
    "monitors",
    "reserves",
    "configures",
    "allocates",
    "enforces",
]
CATEGORIES = ["gen", "inf", "kcm", "int", "sec", "ops"]


@dataclass
class Item:
    id: str
    kind: str
    title: str
    statement: str
    page: int
    links: list[str] = field(default_factory=list)


def _letters(n: int) -> str:
    """0 -> 'aaa', 1 -> 'aab', ... (three lowercase letters)."""
    out = ""
    for _ in range(3):
        n, r = divmod(n, 26)
        out = string.ascii_lowercase[r] + out
    return out


def _sentence(rng: random.Random) -> str:
    words = rng.sample(WORDS, 6)
    return f"The {words[0]} {rng.choice(VERBS)} the {words[1]} {words[2]} for every {words[3]} {words[4]} {words[5]}."


def make_items(n: int, seed: int = 20201) -> list[Item]:
    rng = random.Random(seed)
    n_rm, n_req = max(1, n // 10), max(1, n * 3 // 10)
    n_test = max(1, n // 10)
    n_spec = max(1, n - n_rm - n_req - n_test)
    items: list[Item] = []

    def title() -> str:
        return " ".join(rng.sample(WORDS, 3)).capitalize()

    for i in range(n_rm):
        items.append(Item(f"infra.g{i // 1000}.cfg.{i % 1000:03d}", "rm-requirement", title(), "", 0))
    rm_ids = [i.id for i in items]
    for i in range(n_req):
        rest = i // len(CATEGORIES)
        item_id = f"req.{CATEGORIES[i % len(CATEGORIES)]}.{_letters(rest // 100)}.{rest % 100:02d}"
        items.append(
            Item(item_id, "ra-requirement", title(), "", 0, rng.sample(rm_ids, min(len(rm_ids), rng.randint(1, 3))))
        )
    req_ids = [i.id for i in items if i.kind == "ra-requirement"]
    for i in range(n_spec):
        items.append(
            Item(
                f"ra2.c{i // 1000}.{i % 1000:03d}",
                "specification",
                title(),
                "",
                0,
                rng.sample(req_ids, min(len(req_ids), rng.randint(1, 3))),
            )
        )
    spec_ids = [i.id for i in items if i.kind == "specification"]
    for i in range(n_test):
        items.append(
            Item(
                f"tc.{i:05d}", "test-case", title(), "", 0, rng.sample(spec_ids, min(len(spec_ids), rng.randint(1, 2)))
            )
        )
    for index, item in enumerate(items):
        item.statement = f"{_sentence(rng)} {_sentence(rng)}"
        item.page = index // PER_PAGE
    return items


LINK_FIELD = {"ra-requirement": "refines", "specification": "traces", "test-case": "verifies"}


def theme_conf(navigation: bool) -> str:
    """conf.py lines for the theme: alabaster's sidebars, without its global navigation unless asked."""
    conf = 'html_theme = "alabaster"\n'
    if not navigation:
        conf += 'html_sidebars = {"**": ["about.html", "searchfield.html", "relations.html", "donate.html"]}\n'
    return conf


def by_page(items: list[Item]) -> dict[int, list[Item]]:
    """The items of each page, pages in order (one pass: a scan of every item per page is quadratic)."""
    pages: dict[int, list[Item]] = {}
    for item in items:
        pages.setdefault(item.page, []).append(item)
    return dict(sorted(pages.items()))


def index_page(pages: Iterable[int]) -> str:
    toc = "\n".join(f"   page{p:03d}" for p in pages)
    return f"Benchmark\n=========\n\n.. toctree::\n   :maxdepth: 1\n\n{toc}\n   requirements\n   matrix\n"


def write_ra2docs(items: list[Item], out: Path, theme: str) -> None:
    catalogue = out / "catalogue"
    source = out / "source"
    catalogue.mkdir(parents=True)
    source.mkdir(parents=True)
    (catalogue / "profiles.yaml").write_text(
        yaml.safe_dump(
            {"profiles": [{"id": "basic", "title": "Basic"}, {"id": "network-intensive", "title": "Network Intensive"}]}
        )
    )
    pages = by_page(items)
    for page, members in pages.items():
        records = []
        for item in members:
            record = {"id": item.id, "kind": item.kind, "title": item.title, "section": f"9.{page}"}
            text_field = {"ra-requirement": "statement", "specification": "details"}.get(item.kind, "description")
            record[text_field] = item.statement
            if item.kind == "ra-requirement":
                record.update(category="General", subcategory="Bench", priority="MUST")
            if item.kind == "rm-requirement":
                record["values"] = {"basic": "Must support", "network-intensive": "Must support"}
            if item.links:
                record[LINK_FIELD[item.kind]] = item.links
            records.append(record)
        (catalogue / f"page{page:03d}.yaml").write_text(
            yaml.safe_dump({"items": records}, sort_keys=False, width=200, allow_unicode=True)
        )
        (source / f"page{page:03d}.rst").write_text(
            f"Items, part {page + 1}\n{'=' * 40}\n\n.. ra2:definitions::\n   :section: 9.{page}\n"
        )
    (source / "requirements.rst").write_text(
        "All requirements\n================\n\n"
        ".. ra2:table::\n   :kind: ra-requirement\n   :columns: id, title, text, incoming\n"
    )
    (source / "matrix.rst").write_text("Traceability\n============\n\n.. ra2:matrix::\n   :type: forward\n")
    (source / "index.rst").write_text(index_page(pages))
    (source / "conf.py").write_text(
        'project = "bench"\nextensions = ["ra2docs.sphinx"]\nra2docs_catalogue = "../catalogue"\n'
        "ra2docs_pages = []\nra2docs_entry_graphs = []\n"
        "# the sphinx-needs project offers no downloads either\nra2docs_downloads = False\n" + theme
    )


NEED_TYPE = {"rm-requirement": "rm", "ra-requirement": "req", "specification": "spec", "test-case": "test"}


def needs_id(item_id: str) -> str:
    """sphinx-needs takes no dots in IDs."""
    return item_id.replace(".", "_").replace("-", "_").upper()


def write_needs(items: list[Item], out: Path, theme: str) -> None:
    source = out / "source"
    source.mkdir(parents=True)
    pages = by_page(items)
    for page, members in pages.items():
        lines = [f"Items, part {page + 1}", "=" * 40, ""]
        for item in members:
            lines.append(f".. {NEED_TYPE[item.kind]}:: {item.title}")
            lines.append(f"   :id: {needs_id(item.id)}")
            if item.links:
                lines.append(f"   :links: {', '.join(needs_id(link) for link in item.links)}")
            lines += ["", f"   {item.statement}", ""]
        (source / f"page{page:03d}.rst").write_text("\n".join(lines))
    (source / "requirements.rst").write_text(
        "All requirements\n================\n\n"
        ".. needtable::\n   :types: req\n   :columns: id;title;content;incoming\n   :style: table\n"
    )
    (source / "matrix.rst").write_text(
        "Traceability\n============\n\n"
        ".. needtable::\n   :types: rm;req\n   :columns: id;title;incoming\n   :style: table\n"
    )
    (source / "index.rst").write_text(index_page(pages))
    types = [
        {"directive": "rm", "title": "Reference Model item", "prefix": "RM_", "color": "#BFD8D2", "style": "node"},
        {"directive": "req", "title": "Requirement", "prefix": "R_", "color": "#BFD8D2", "style": "node"},
        {"directive": "spec", "title": "Specification", "prefix": "S_", "color": "#FEDCD2", "style": "node"},
        {"directive": "test", "title": "Test Case", "prefix": "T_", "color": "#DCB239", "style": "node"},
    ]
    (source / "conf.py").write_text(
        'project = "bench"\nextensions = ["sphinx_needs"]\n'
        f"needs_types = {json.dumps(types)}\n"
        'needs_id_regex = r"^[A-Z0-9_]{3,}"\nneeds_id_required = True\n' + theme
    )


def _floor_cell(cell: Cell) -> str:
    """A view's cell as one line of reStructuredText: items become ``:ref:`` links to their entries."""
    from ra2docs.markup import escape

    out = []
    for part in cell:
        kind, value = part.code
        if kind == "r":
            out.append(f":ref:`{value} <{value}>`")
        elif kind == "m":
            out.append(" ".join(value.split()))  # catalogue text: reStructuredText already
        elif kind == "b":
            out.append(f"**{escape(value)}**")
        else:
            out.append(escape(value))
    return "".join(out)


def _list_table(headers: list[str], rows: list[list[str]], widths: list[int] | None = None) -> list[str]:
    lines = [".. list-table::", "   :header-rows: 1"]
    if widths:
        lines.append(f"   :widths: {' '.join(map(str, widths))}")
    lines.append("")
    for row in [headers, *rows]:
        for index, cell in enumerate(row):
            lines.append(f"   {'* -' if index == 0 else '  -'} {cell}".rstrip())
    return lines


def write_floor(catalogue: Path, out: Path, theme: str) -> None:
    """The ra2docs project's pages written by hand as reStructuredText, for plain Sphinx.

    Each page is a definition list of its items' entries (the term holds the ID as a link
    target and the title; the definition the text and a field list of the entry's fields),
    the requirements page and the traceability page are list-tables. The texts and links are
    those of ra2docs' views of ``catalogue``, so the two sites show the same words.
    """
    from ra2docs.graph import TraceGraph
    from ra2docs.loader import load_catalogue
    from ra2docs.views.entries import entry_view
    from ra2docs.views.items import ItemQuery, item_table, select
    from ra2docs.views.traceability import forward_view

    cat = load_catalogue(catalogue).catalogue
    graph = TraceGraph(cat)
    source = out / "source"
    source.mkdir(parents=True)
    sections = sorted({item.section for item in cat.items.values()}, key=lambda s: int(s.split(".")[1]))
    pages = [int(section.split(".")[1]) for section in sections]  # section 9.N is on page N
    for page, section in zip(pages, sections, strict=True):
        lines = [f"Items, part {page + 1}", "=" * 40, ""]
        for row in select(cat, ItemQuery(section=section, sort="id")):
            view = entry_view(graph, row.item)
            lines.append(f"_`{view.item}` {view.title}")
            lines += [f"   {' '.join(view.text.split())}", ""]
            lines += [f"   :{name}: {_floor_cell(cell)}".rstrip() for name, cell in view.fields]
            lines.append("")
        (source / f"page{page:03d}.rst").write_text("\n".join(lines), encoding="utf-8")
    columns = ["id", "title", "text", "incoming"]
    table = item_table(cat, graph, ItemQuery(kinds=("ra-requirement",)), columns)
    requirements = _list_table(
        [_floor_cell(h) for h in table.view.headers], [[_floor_cell(c) for c in r.cells] for r in table.view.rows]
    )
    (source / "requirements.rst").write_text(
        "All requirements\n================\n\n" + "\n".join(requirements) + "\n", encoding="utf-8"
    )
    view = forward_view(graph)
    matrix = _list_table(
        [_floor_cell(h) for h in view.headers], [[_floor_cell(c) for c in r.cells] for r in view.rows], view.widths
    )
    (source / "matrix.rst").write_text("Traceability\n============\n\n" + "\n".join(matrix) + "\n", encoding="utf-8")
    (source / "index.rst").write_text(index_page(pages))
    (source / "conf.py").write_text('project = "bench"\nextensions = []\n' + theme)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, required=True, help="number of items (N)")
    parser.add_argument(
        "--out", type=Path, required=True, help="folder to write DIR/ra2docs, DIR/needs and DIR/floor into"
    )
    parser.add_argument("--seed", type=int, default=20201, help="random seed (default 20201)")
    parser.add_argument(
        "--navigation",
        action="store_true",
        help="keep the theme's global navigation sidebar (every page listed on every page: quadratic)",
    )
    args = parser.parse_args(argv)
    if args.items < 10:
        parser.error("--items must be at least 10")
    if args.out.exists():
        shutil.rmtree(args.out)
    items = make_items(args.items, args.seed)
    theme = theme_conf(args.navigation)
    write_ra2docs(items, args.out / "ra2docs", theme)
    write_needs(items, args.out / "needs", theme)
    write_floor(args.out / "ra2docs" / "catalogue", args.out / "floor", theme)
    print(f"wrote {len(items)} items in {len(by_page(items))} pages to {args.out}/ra2docs, needs and floor")
    return 0


if __name__ == "__main__":
    sys.exit(main())
