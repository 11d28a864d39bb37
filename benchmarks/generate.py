"""Write two equivalent projects of N items, one for ra2docs and one for sphinx-needs.

    python benchmarks/generate.py --items 10000 --out /tmp/bench

writes ``DIR/ra2docs/source`` (Sphinx source with conf.py) beside ``DIR/ra2docs/catalogue``,
and ``DIR/needs/source``. Both hold the same items (IDs adapted for sphinx-needs, which
takes no dots: ``req.gen.aab.01`` becomes ``REQ_GEN_AAB_01``), the same links, the same
pages of about 250 items, one page with a full requirements table with incoming links,
and one traceability page. Items are shaped like RA2: 10% Reference Model items, 30%
requirements refining 1-3 of them, 50% specifications tracing to 1-3 requirements, 10%
test cases verifying 1-2 specifications; each with a title and a two-sentence statement.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import string
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

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


def write_ra2docs(items: list[Item], out: Path) -> None:
    catalogue = out / "catalogue"
    source = out / "source"
    catalogue.mkdir(parents=True)
    source.mkdir(parents=True)
    (catalogue / "profiles.yaml").write_text(
        yaml.safe_dump(
            {"profiles": [{"id": "basic", "title": "Basic"}, {"id": "network-intensive", "title": "Network Intensive"}]}
        )
    )
    pages = sorted({i.page for i in items})
    for page in pages:
        records = []
        for item in (i for i in items if i.page == page):
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
    toc = "\n".join(f"   page{p:03d}" for p in pages)
    (source / "index.rst").write_text(
        f"Benchmark\n=========\n\n.. toctree::\n   :maxdepth: 1\n\n{toc}\n   requirements\n   matrix\n"
    )
    (source / "conf.py").write_text(
        'project = "bench"\nextensions = ["ra2docs.sphinx"]\nra2docs_catalogue = "../catalogue"\n'
        'ra2docs_pages = []\nra2docs_entry_graphs = []\nhtml_theme = "alabaster"\n'
        "# the sphinx-needs project offers no downloads either\nra2docs_downloads = False\n"
    )


NEED_TYPE = {"rm-requirement": "rm", "ra-requirement": "req", "specification": "spec", "test-case": "test"}


def needs_id(item_id: str) -> str:
    """sphinx-needs takes no dots in IDs."""
    return item_id.replace(".", "_").replace("-", "_").upper()


def write_needs(items: list[Item], out: Path) -> None:
    source = out / "source"
    source.mkdir(parents=True)
    pages = sorted({i.page for i in items})
    for page in pages:
        lines = [f"Items, part {page + 1}", "=" * 40, ""]
        for item in (i for i in items if i.page == page):
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
    toc = "\n".join(f"   page{p:03d}" for p in pages)
    (source / "index.rst").write_text(
        f"Benchmark\n=========\n\n.. toctree::\n   :maxdepth: 1\n\n{toc}\n   requirements\n   matrix\n"
    )
    types = [
        {"directive": "rm", "title": "Reference Model item", "prefix": "RM_", "color": "#BFD8D2", "style": "node"},
        {"directive": "req", "title": "Requirement", "prefix": "R_", "color": "#BFD8D2", "style": "node"},
        {"directive": "spec", "title": "Specification", "prefix": "S_", "color": "#FEDCD2", "style": "node"},
        {"directive": "test", "title": "Test Case", "prefix": "T_", "color": "#DCB239", "style": "node"},
    ]
    (source / "conf.py").write_text(
        'project = "bench"\nextensions = ["sphinx_needs"]\nhtml_theme = "alabaster"\n'
        f"needs_types = {json.dumps(types)}\n"
        'needs_id_regex = r"^[A-Z0-9_]{3,}"\nneeds_id_required = True\n'
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, required=True, help="number of items (N)")
    parser.add_argument("--out", type=Path, required=True, help="folder to write DIR/ra2docs and DIR/needs into")
    parser.add_argument("--seed", type=int, default=20201, help="random seed (default 20201)")
    args = parser.parse_args(argv)
    if args.items < 10:
        parser.error("--items must be at least 10")
    if args.out.exists():
        shutil.rmtree(args.out)
    items = make_items(args.items, args.seed)
    write_ra2docs(items, args.out / "ra2docs")
    write_needs(items, args.out / "needs")
    print(
        f"wrote {len(items)} items in {len({i.page for i in items})} pages to {args.out}/ra2docs and {args.out}/needs"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
