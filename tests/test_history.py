"""``ra2docs import``, ``check`` and ``diff`` on real snapshots of the RA2 spec's history (issue 14).

Seven commits of anuket-specifications (``SHARED/upstream/history``), from the
early-2020 capability tables to the reStructuredText of June 2022, are each
imported once per session through the real CLI (RA2 and Reference Model
chapters together). What a table row holds is counted here without the
importer (regular expressions for Markdown, docutils' own doctree for
reStructuredText), so that an importer bug cannot hide itself.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest
import yaml
from conftest import SHARED, ra2docs

HISTORY = SHARED / "upstream" / "history"
SNAPSHOTS = (
    "2020-01-10-b9efeafa",
    "2021-05-23-ee3a2807",
    "2021-05-23-44694d36",
    "2021-11-04-3c4c8883",
    "2021-11-09-1a2f3b59",
    "2022-06-10-78461e62",
    "2022-06-10-c2e630a4",
)


# -- counting row IDs without the importer -------------------------------------------------

# Any ID the spec has used: a dotted name ending in a number (e.cap.001, req.gen.cnt.02,
# gen.cnt.02, ra2.k8s.012, pas.lb.0156), or an interface option (n1 ... n600).
ID = re.compile(r"[a-z][a-z0-9-]*(?:\.[a-z0-9-]+)*\.[0-9]+|n[0-9]+")
DELIMITER = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")


@dataclass(frozen=True)
class RowId:
    file: str  # relative to the snapshot
    line: int
    table: int  # tables counted per file
    id: str  # as written, runs of blanks made one space

    def where(self) -> str:
        return f"{self.file}:{self.line}: {self.id}"


def _joined(words: list[str]) -> list[str]:
    """Words of an ID cell with the stray blanks of an ID taken back in ('cfg. 001', 'cfg.00 1', 'cpu .002')."""
    out: list[str] = []
    for word in words:
        if out and (out[-1].endswith(".") or word.startswith(".") or (out[-1][-1:].isdigit() and word.isdigit())):
            out[-1] = f"{out[-1]} {word}"
        else:
            out.append(word)
    return out


def leading_ids(text: str) -> list[str]:
    """The IDs a cell starts with: 'e.cap.001 (#vCPU cores)' -> one, 'n1, n2, n3' -> three, prose -> none."""
    found: list[str] = []
    for position, part in enumerate(re.split(r"[,;]", text)):
        words = _joined(re.split(r"[\s(|]+", part.strip()))
        word = words[0].rstrip(".:") if words else ""
        if not ID.fullmatch(word.replace(" ", "")):
            if position == 0:
                return []
            break
        found.append(word)
    return found


def _split_pipes(line: str) -> list[str]:
    body = line.strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") and not body.endswith("\\|") else body
    cells, current, code = [], "", False
    index = 0
    while index < len(body):
        char = body[index]
        if char == "\\" and body[index + 1 : index + 2] == "|":
            current += "|"
            index += 2
            continue
        code = not code if char == "`" else code
        if char == "|" and not code:
            cells.append(current)
            current = ""
        else:
            current += char
        index += 1
    return [*cells, current]


def _plain_markdown(cell: str) -> str:
    cell = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", cell)  # a link shows its label
    cell = re.sub(r"<[^<>]*>", " ", cell)  # tags show as nothing ('<br />', '<sup>')
    return " ".join(cell.replace("`", "").replace("*", "").split())


def _row_ids(file: str, line: int, table: int, cells: list[str]) -> list[RowId]:
    """A row's IDs: those its first cell starts with, else those its second cell starts with."""
    for cell in cells[:2]:
        ids = leading_ids(cell)
        if ids:
            return [RowId(file, line, table, i) for i in ids]
    return []


def markdown_rows(path: Path, name: str) -> tuple[list[RowId], set[str]]:
    """IDs starting the visible table rows of a Markdown chapter, and those of rows inside HTML comments.

    A row is a line of a table (a header line, then a delimiter line) or any
    line starting with '|' (rows that a comment or a stray delimiter broke off
    their table: the importer reads them, with a warning).
    """
    rows: list[RowId] = []
    hidden: set[str] = set()
    lines = path.read_text(encoding="utf-8").splitlines()
    in_comment = in_fence = in_table = False
    table = 0
    for number, text in enumerate(lines, 1):
        if text.lstrip().startswith("```"):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        visible, comment = "", ""
        rest = text
        while rest:
            if in_comment:
                inside, found, rest = rest.partition("-->")
                comment += inside + "\n"
                in_comment = not found
            else:
                before, found, rest = rest.partition("<!--")
                visible += before
                in_comment = bool(found)
        for hidden_line in comment.splitlines():
            if hidden_line.strip().startswith("|"):
                hidden.update(
                    i.id for i in _row_ids(name, number, -1, list(map(_plain_markdown, _split_pipes(hidden_line))))
                )
        following = lines[number] if number < len(lines) else ""
        if not visible.strip():
            in_table = False  # a blank line or an HTML block ends a table (later '|' lines are still counted)
            continue
        if "|" in visible and DELIMITER.match(following):
            in_table, table = True, table + 1
            continue
        if DELIMITER.match(visible) or not (in_table or visible.lstrip().startswith("|")):
            continue
        rows += _row_ids(name, number, table, [_plain_markdown(c) for c in _split_pipes(visible)])
    return rows, hidden


def _shown_ref(match: re.Match[str]) -> str:
    """What Sphinx shows for a :ref: (its title, else its target), keeping the line count."""
    title, target = match.group(1), match.group(2)
    shown = " ".join((title if title.strip() else target).split())
    return shown + "\n" * match.group(0).count("\n")


# A line break in a grid table's cell inside an ID is where the author wrapped a narrow column
# ('infra.com.acc.cfg' over '.001'); HTML shows it as a blank, the column meant none.
WRAPPED = re.compile(r"(?<=[a-z0-9]\.)\n(?=[a-z0-9])|(?<=[a-z0-9])\n(?=\.[a-z0-9])")


def rst_rows(path: Path, name: str) -> list[RowId]:
    """IDs starting the rows of every table of a reStructuredText chapter, from docutils' doctree."""
    from docutils import nodes
    from docutils.core import publish_doctree

    # docutils alone does not know Sphinx's :ref: role
    text = re.sub(r":ref:`([^`<]*?)\s*(?:<([^`>]*)>)?`", _shown_ref, path.read_text(encoding="utf-8"))
    settings = {"report_level": 5, "halt_level": 5, "file_insertion_enabled": False, "raw_enabled": False}
    doctree = publish_doctree(text, source_path=name, settings_overrides=settings)
    rows: list[RowId] = []
    for table, node in enumerate(doctree.findall(nodes.table), 1):
        for body in node.findall(nodes.tbody):
            for row in body.children:
                entries = [e for e in row.children if isinstance(e, nodes.entry)]
                cells = [" ".join(WRAPPED.sub("", e.astext()).split()) for e in entries]
                paragraph = entries[0].next_node(nodes.paragraph) if entries else None
                line = int(paragraph.line or 0) if paragraph is not None else 0
                rows += _row_ids(name, line, table, cells)
    return rows


@cache
def upstream_rows(snapshot: Path) -> tuple[list[RowId], set[str]]:
    rows: list[RowId] = []
    hidden: set[str] = set()
    for path in sorted(snapshot.glob("*/*")):
        name = path.relative_to(snapshot).as_posix()
        if path.suffix == ".md":
            found, comments = markdown_rows(path, name)
            rows += found
            hidden |= comments
        elif path.suffix == ".rst":
            rows += rst_rows(path, name)
    return rows, hidden


# -- the imports ------------------------------------------------------------------------------


@dataclass
class Imported:
    name: str
    out: Path
    report: str  # what import printed
    returncode: int
    findings: list[dict]  # ra2docs check --format json
    files: dict[str, dict] = field(default_factory=dict)  # catalogue file name -> its YAML

    def items(self) -> Iterator[tuple[str, dict]]:
        for name, data in self.files.items():
            for item in data.get("items") or []:
                yield name, item

    def ids(self) -> Counter[str]:
        return Counter(item["id"] for _, item in self.items() if "id" in item)

    def item(self, item_id: str) -> dict:
        return next(item for _, item in self.items() if item.get("id") == item_id)


def import_snapshot(source: Path, out: Path, cwd: Path) -> Imported:
    result = ra2docs("import", str(source), "--catalogue", str(out), cwd=cwd)
    assert result.returncode in (0, 1), result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    check = ra2docs("check", "--catalogue", str(out), "--format", "json", cwd=cwd)
    assert check.returncode in (0, 1), check.stderr
    files = {p.name: yaml.safe_load(p.read_text(encoding="utf-8")) or {} for p in sorted(out.glob("*.yaml"))}
    return Imported(source.name, out, result.stdout, result.returncode, json.loads(check.stdout)["findings"], files)


@pytest.fixture(scope="session")
def history(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Imported]:
    """Each snapshot imported and checked once per session, when a test first asks for it."""
    root = tmp_path_factory.mktemp("history")
    done: dict[str, Imported] = {}

    def get(name: str) -> Imported:
        if name not in done:
            done[name] = import_snapshot(HISTORY / name, root / name, root)
        return done[name]

    return get


# -- 1. every row ID arrives, the schema holds, no duplicate is invented -----------------------


@pytest.mark.parametrize("snapshot", SNAPSHOTS)
def test_every_id_starting_a_table_row_is_imported(history: Callable[[str], Imported], snapshot: str) -> None:
    imported = history(snapshot)
    rows, hidden = upstream_rows(HISTORY / snapshot)
    assert len(rows) > 350
    ids = set(imported.ids())
    missing = [row.where() for row in rows if row.id not in ids]
    assert not missing, "rows whose ID was not imported:\n" + "\n".join(missing)
    # GitHub does not show what an HTML comment holds: rows there are not part of the spec.
    assert sorted((hidden - {row.id for row in rows}) & ids) == []


@pytest.mark.parametrize("snapshot", SNAPSHOTS)
def test_the_import_passes_its_own_schema(history: Callable[[str], Imported], snapshot: str) -> None:
    schema = [f for f in history(snapshot).findings if f["rule"].startswith(("RA1", "RA2"))]
    assert [(f["rule"], f["item"], f["message"]) for f in schema] == []


@pytest.mark.parametrize("snapshot", SNAPSHOTS)
def test_the_import_invents_no_duplicates(history: Callable[[str], Imported], snapshot: str) -> None:
    imported = history(snapshot)
    assert [i for i, n in imported.ids().items() if n > 1] == []  # one item per ID, across all files
    rows, _ = upstream_rows(HISTORY / snapshot)
    in_one_table = Counter((row.file, row.table, row.id) for row in rows)
    twice = {item_id for (_, _, item_id), n in in_one_table.items() if n > 1}
    reported = {f["item"] for f in imported.findings if f["rule"] == "RA301"}
    assert reported - twice == set()  # only an ID that upstream gives two rows of one table is a duplicate
    # the import's own report names them too (also the Reference Model's, which check cannot see: see part 2)
    noted = set(re.findall(r"ID '([^']+)' is given to two different rows of one table", imported.report))
    assert reported <= noted and noted - twice == set()


# -- 2. every finding is a real upstream defect -------------------------------------------------
#
# The error and warning findings of `ra2docs check` on each import, by rule. An entry is an item, a
# run of items ('sec.gen.001..015': every number between) or, for dangling links (RA401) and
# comparison rows (RA701), 'item -> the ID it names'. Every entry says why upstream is wrong.

RM_SECURITY_2021_05 = [  # RA2 2.2.6 lists the RM's security requirements as sec.*; RM 7.9 defines them as req.sec.*
    "sec.ci.001..008",
    "sec.gen.001..015",
    "sec.img.001..007",
    "sec.lcm.001..012",
    "sec.mon.001..021",
    "sec.std.001..012",
    "sec.sys.001..019",
    "sec.wl.001..007",
]
RM_SECURITY_2021_11 = [  # the same, with the DevSecOps requirements the RM added in 2021 (7.9.9 - 7.9.13)
    "sec.arch.001",
    "sec.arch.002",
    "sec.bld.001..006",
    "sec.ci.001..009",
    "sec.code.001..005",
    "sec.del.001..004",
    "sec.gen.001..015",
    "sec.img.001..010",
    "sec.lcm.001..012",
    "sec.mon.001..021",
    "sec.oss.001..005",
    "sec.run.001..004",
    "sec.std.001..012",
    "sec.sys.001..020",
    "sec.wl.001..007",
]
TEMPLATES_AND_TYPOS_2021 = [
    "e.pm.xxx",  # RM 4.1.3.1: the table's template row 'Place Holder | Units | Concise description'
    "nn10",  # RA2 2.2.2: typo for n10 ('nn10, n20, n30, ...')
    "nn50",  # RA2 2.2.2: typo for n50
    "ra1.exc.req.001",  # RA2 1.3.2.2 Requirements Exceptions: the template row ('Requirement | xxx | xxxxxxxxxxxxx.')
]
# RA2 2.3 after the 2021-11 PR: IDs without 'req.', not the form the catalogue's settings expect (ids = "ra2-today"
# would accept them).
RA2_TODAY_IDS = [
    "gen.avl.01",
    "gen.cnt.02..05",
    "gen.ost.01",
    "gen.rsl.01",
    "gen.rsl.02",
    "gen.scl.01",
    "inf.com.01",
    "inf.ntw.01..10",
    "inf.ntw.13..18",
    "inf.phy.01",
    "inf.stg.01",
    "inf.vir.01",
    "int.api.01..04",
    "kcm.gen.01",
    "kcm.gen.02",
]
NO_TRACE_2021 = [  # RA2 chapter 4: specifications whose Requirement Trace is empty, 'TBD' or 'TBC'
    "ra2.app.001..005",
    "ra2.app.008..010",
    "ra2.ch.018",
    "ra2.k8s.005",
    "ra2.k8s.011",
    "ra2.stg.001..003",
    "ra2.stg.005..007",
]
# RA2 2022-06, chapter 2: IDs the conversion to RST left with blanks in them (list-table cells as written).
BLANKS_2022 = [
    "infra.com. cfg.001..004",
    "infra.hw.pci.cfg. 001",
    "infra.stg. acc.cfg.00 1",
    "infra.stg. acc.cfg.00 2",
    "infra.stg. cfg.002..004",
]
HUGEPAGES_GAP = [  # gap 'HW topology aware hugepages': the IDs exist only as infra.com.cfg.* since 2020
    "-> nfvi.com.cfg.004",
    "-> nfvi.com.cfg.002",
]
# RA2 chapter 4 after the 2021-11 PR: Requirement Traces still name the 'req.' IDs chapter 2 dropped.
STALE_TRACES_2021_11 = [
    "ra2.ch.007 -> req.inf.ntw.04",
    "ra2.ch.017 -> req.gen.cnt.02",
    "ra2.k8s.001 -> req.gen.cnt.03",
    "ra2.k8s.002 -> req.gen.rsl.02",
    "ra2.k8s.002 -> req.gen.avl.01",
    "ra2.k8s.003 -> req.gen.rsl.02",
    "ra2.k8s.003 -> req.gen.avl.01",
    "ra2.k8s.012 -> req.gen.rsl.02",
    "ra2.k8s.012 -> req.gen.avl.01",
    "ra2.k8s.004 -> req.gen.rsl.01",
    "ra2.k8s.004 -> req.gen.avl.01",
    "ra2.k8s.004 -> req.kcm.gen.02",
    "ra2.k8s.004 -> req.inf.com.01",
    "ra2.k8s.010 -> req.inf.ntw.04",
    "ra2.k8s.013 -> req.int.api.04",
    "ra2.k8s.015 -> req.inf.ntw.15",
    "ra2.k8s.016 -> req.inf.ntw.16",
    "ra2.k8s.017 -> req.inf.ntw.17",
    "ra2.k8s.018 -> req.inf.ntw.18",
    "ra2.crt.001 -> req.gen.ost.01",
    "ra2.crt.002 -> req.gen.ost.01",
    "ra2.ntw.001 -> req.inf.ntw.03",
    "ra2.ntw.002 -> req.gen.ost.01",
    "ra2.ntw.002 -> req.inf.ntw.08",
    "ra2.ntw.004 -> req.inf.ntw.03",
    "ra2.ntw.005 -> req.inf.ntw.06",
    "ra2.ntw.005 -> req.inf.ntw.07",
    "ra2.ntw.006 -> req.gen.ost.01",
    "ra2.ntw.007 -> req.gen.ost.01",
    "ra2.ntw.007 -> req.inf.ntw.06",
    "ra2.ntw.009 -> req.gen.ost.01",
    "ra2.ntw.011 -> req.inf.ntw.14",
    "ra2.ntw.013 -> req.inf.ntw.04",
    "ra2.ntw.015 -> req.inf.ntw.10",
    "ra2.stg.004 -> req.inf.stg.01",
    "ra2.pkg.001 -> req.int.api.02",
    "ra2.app.006 -> req.int.api.01",
    "ra2.app.007 -> req.kcm.gen.02",
    "gap.dynamic-network-management -> req.inf.ntw.03",  # chapter 7's gap too
]
GAP_HUGEPAGES_2021 = [f"gap.hw-topology-aware-hugepages {x}" for x in HUGEPAGES_GAP]
GAP_HUGEPAGES_2022 = [f"gap.hw-topology-aware-huge-pages {x}" for x in HUGEPAGES_GAP]

FINDINGS: dict[str, dict[str, list[str]]] = {
    "2020-01-10-b9efeafa": {
        "RA303": [
            "e.nfvi.pm.xxx",  # RM 4.1.3.1: template row 'Place Holder | Units | Concise description'
            "i.nfvi.pm.xxx",  # RM 4.1.5.1: the same template row
            "req.kcm.07",  # RA2 2.3.3: no sub-category (req.kcm.gen.NN from 2021)
        ],
        "RA601": [
            "nfvi.com.acc.cfg.001",  # RM 5.1.1 and 5.2.1: only '_**Editor Note:** To be worked on_'
        ],
    },
    "2021-05-23-ee3a2807": {
        "RA303": TEMPLATES_AND_TYPOS_2021,
        "RA305": RM_SECURITY_2021_05,
        "RA401": GAP_HUGEPAGES_2021,
        "RA502": NO_TRACE_2021,
    },
    "2021-05-23-44694d36": {
        "RA301": [
            "ra2.k8s.012",  # RA2 4.3: the PR gives 'Kubernetes APIs' the ID of 'Control plane services'
            "req.int.api.03",  # RA2 2.3: the PR adds two requirements, both numbered 03
        ],
        # the second row of ra2.k8s.012 ('Kubernetes APIs', kept as a listing) traces req.int.api.03,
        # which the first row, the item, does not: the duplicate ID's consequence, seen in the cell
        "RA407": ["ra2.k8s.012"],
        "RA303": TEMPLATES_AND_TYPOS_2021,
        "RA305": RM_SECURITY_2021_05,
        "RA401": [
            "ra2.k8s.013 -> req.int.api.04",  # RA2 4.3: the PR's new specification traces a requirement nobody wrote
            *GAP_HUGEPAGES_2021,
        ],
        "RA502": [*NO_TRACE_2021, "ra2.k8s.013"],  # ... so it traces to no requirement
    },
    "2021-11-04-3c4c8883": {
        "RA301": ["ra2.k8s.012"],  # still twice (the second req.int.api.03 became 04 in between)
        "RA303": TEMPLATES_AND_TYPOS_2021,
        "RA305": RM_SECURITY_2021_11,
        "RA401": GAP_HUGEPAGES_2021,
        "RA407": ["ra2.k8s.012"],  # its second row traces req.int.api.03, the item does not (see 2021-05)
        "RA502": NO_TRACE_2021,
    },
    "2021-11-09-1a2f3b59": {
        "RA301": ["ra2.k8s.012"],
        "RA407": ["ra2.k8s.012"],  # as before: its second row names req.int.api.03, now int.api.03
        "RA303": [*TEMPLATES_AND_TYPOS_2021, *RA2_TODAY_IDS],
        "RA305": RM_SECURITY_2021_11,
        "RA401": [*STALE_TRACES_2021_11, *GAP_HUGEPAGES_2021],
        "RA502": [  # the stale traces leave these tracing to no requirement
            *NO_TRACE_2021,
            "ra2.app.007",
            "ra2.k8s.012",
            "ra2.k8s.013",
            "ra2.k8s.015..018",
            "ra2.ntw.009",
            "ra2.ntw.013",
            "ra2.ntw.015",
        ],
        "RA701": [  # chapter 3's comparison still cites the old IDs (reported by nothing upstream in 2021)
            "comparison-of-example-networking-solutions -> req.inf.ntw.03",
            "comparison-of-example-networking-solutions -> req.inf.ntw.04",
            "comparison-of-example-networking-solutions -> req.inf.ntw.05",
            "comparison-of-example-networking-solutions -> req.inf.ntw.06",
            "comparison-of-example-networking-solutions -> req.inf.ntw.07",
            "comparison-of-example-networking-solutions -> req.inf.ntw.08",
            "comparison-of-example-networking-solutions -> req.inf.ntw.09",
            "comparison-of-example-networking-solutions -> req.inf.ntw.10",
        ],
    },
    "2022-06-10-78461e62": {
        "RA301": ["ra2.k8s.012"],
        "RA303": [
            *RA2_TODAY_IDS,
            *BLANKS_2022,
            "infra.hw.cac.cfg. 001",  # ... and more blanks, fixed by c2e630a4:
            "infra.hw.cpu.cfg. 001",
            "infra.hw.cpu.cfg. 002",
            "infra.hw.cpu.cfg. 003",
            "infra.hw.cpu.cfg. 004",
            "infra.hw.nac.cfg. 001",
            "infra.hw.nac.cfg. 002",
            "infra.hw.nac.cfg. 003",
            "infra.hw.nic.cfg. 001",
            "infra.hw.nic.cfg. 002",
            "infra.hw.pci.cfg. 002",
            "infra.hw.pci.cfg. 003",
            "infra.hw.stg.hdd. cfg.001",
            "infra.hw.stg.ssd. cfg.002",
            "infra.net.acc.cfg.00 1",
            "infra.net.acc.cfg.00 2",
            "infra.net.acc.cfg.00 3",
            "infra.net.acc.cfg.00 4",
            "pas.lb.0156",  # RM 5.1.5.1 load balancer: 4 digits (between 014 and 016), in a grid row out of line
            "ra1.exc.req.001",
        ],
        "RA305": RM_SECURITY_2021_11,
        "RA401": [
            # still stale since 2021-11:
            "ra2.ch.017 -> req.gen.cnt.02",
            "ra2.k8s.001 -> req.gen.cnt.03",
            "ra2.k8s.002 -> req.gen.rsl.02",
            "ra2.k8s.002 -> req.gen.avl.01",
            "ra2.k8s.012 -> req.gen.rsl.02",
            "ra2.k8s.012 -> req.gen.avl.01",
            "ra2.k8s.004 -> req.gen.rsl.01",
            "ra2.k8s.004 -> req.gen.avl.01",
            "ra2.k8s.004 -> req.kcm.gen.02",
            "ra2.k8s.004 -> req.inf.com.02",  # ... now pointing at 02, which never existed
            "ra2.app.006 -> req.int.api.01",
            "ra2.app.007 -> req.kcm.gen.02",
            "gap.dynamic-network-management -> req.inf.ntw.03",
            # stale and written with a blank by the conversion:
            "ra2.k8s.017 -> req.inf.ntw. 17",
            "ra2.k8s.019 -> req.int.api. 04",
            "ra2.crt.001 -> req.gen.ost. 01",
            "ra2.crt.002 -> req.gen.ost. 01",
            "ra2.ntw.001 -> req.inf.ntw. 03",
            "ra2.ntw.002 -> req.gen.ost. 01",
            "ra2.ntw.002 -> req.inf.ntw. 08",
            "ra2.ntw.004 -> req.inf.ntw. 03",
            "ra2.ntw.005 -> req.inf.ntw. 06",
            "ra2.ntw.005 -> req.inf.ntw. 07",
            "ra2.ntw.006 -> req.gen.ost. 01",
            "ra2.ntw.007 -> req.gen.ost. 01",
            "ra2.ntw.007 -> req.inf.ntw. 06",
            "ra2.ntw.009 -> req.gen.ost. 01",
            "ra2.ntw.011 -> req.inf.ntw. 14",
            "ra2.ntw.013 -> req.inf.ntw. 04",
            "ra2.ntw.015 -> req.inf.ntw. 10",
            "ra2.stg.004 -> req.inf.stg. 01",
            "ra2.pkg.001 -> req.int.api. 02",
            # written with a blank (the ID exists):
            "ra2.k8s.006 -> infra.com.cfg .002",
            "ra2.k8s.006 -> infra.hw.cpu. cfg.003",
            "ra2.ntw.010 -> infra.net.acc .cfg.001",
            "ra2.ntw.014 -> infra.net.cfg .004",
            "ra2.k8s.010 -> req.inf.ntw.004",  # three digits
            *GAP_HUGEPAGES_2022,
        ],
        "RA502": [  # no trace, or only dangling ones
            "ra2.app.001..005",
            "ra2.app.007",
            "ra2.app.008..010",
            "ra2.app.011..045",  # 2022's workload specifications trace to CNF test-suite pages, not requirements
            "ra2.ch.018",
            "ra2.k8s.005",
            "ra2.k8s.011..013",
            "ra2.k8s.015..019",  # 015, 016, 018 lost their traces upstream in 0371c086 (2022-03-28)
            "ra2.ntw.009",
            "ra2.ntw.013..015",
            "ra2.os.001..005",  # RA2 4.3 (new in 2022): 'tbd'
            "ra2.pkg.002",
            "ra2.stg.001..003",
            "ra2.stg.005..007",
        ],
        "RA701": [  # chapter 3's comparison: stale IDs, and blanks the conversion put in them
            "comparison-of-example-kubernetes-networking-solutions -> infra. net.cfg.002",
            "comparison-of-example-kubernetes-networking-solutions -> infra.net. cfg.003",
            "comparison-of-example-kubernetes-networking-solutions -> infra.net.cfg. 004",
            "comparison-of-example-kubernetes-networking-solutions -> infra. net.cfg.006",
            "comparison-of-example-kubernetes-networking-solutions -> req. inf.ntw.03",
            "comparison-of-example-kubernetes-networking-solutions -> req. inf.ntw.04",
            "comparison-of-example-kubernetes-networking-solutions -> req. inf.ntw.05",
            "comparison-of-example-kubernetes-networking-solutions -> req.inf.ntw.06",
            "comparison-of-example-kubernetes-networking-solutions -> req.inf .ntw.07",
            "comparison-of-example-kubernetes-networking-solutions -> req.inf. ntw.08",
            "comparison-of-example-kubernetes-networking-solutions -> req.inf.ntw.09",
            "comparison-of-example-kubernetes-networking-solutions -> req.inf.ntw.10",
        ],
    },
    "2022-06-10-c2e630a4": {
        "RA301": ["ra2.k8s.012"],
        "RA303": [*RA2_TODAY_IDS, *BLANKS_2022, "pas.lb.0156", "ra1.exc.req.001"],
        "RA305": RM_SECURITY_2021_11,
        "RA401": [
            "ra2.k8s.004 -> en.rsl.01",  # the PR's typo for gen.rsl.01
            "ra2.k8s.004 -> inf.com.02",  # never defined
            "ra2.k8s.010 -> req.inf.ntw.004",  # three digits, left as it was
        ],
        "RA502": [
            "ra2.app.001..005",
            "ra2.app.008..045",
            "ra2.ch.018",
            "ra2.k8s.005",
            "ra2.k8s.011",
            "ra2.k8s.013",
            "ra2.k8s.015",
            "ra2.k8s.016",
            "ra2.k8s.018",
            "ra2.os.001..005",
            "ra2.pkg.002",
            "ra2.stg.001..003",
            "ra2.stg.005..007",
        ],
    },
}

# A sample of the findings above, each with the upstream line that shows the defect (checked here).
EVIDENCE: dict[str, list[tuple[str, str, str, str]]] = {  # (rule, entry, file:line, text on that line)
    "2020-01-10-b9efeafa": [
        ("RA303", "req.kcm.07", "ra2/chapter02.md:232", "| `req.kcm.07` | General |"),
        ("RA303", "i.nfvi.pm.xxx", "rm/chapter04.md:260", "| i.nfvi.pm.xxx | Place Holder | Units |"),
        ("RA601", "nfvi.com.acc.cfg.001", "rm/chapter05.md:61", "| nfvi.com.acc.cfg.001 | _**Editor Note:**"),
    ],
    "2021-05-23-ee3a2807": [
        ("RA303", "nn10", "ra2/chapter02.md:88", "| nn10, n20, n30"),
        ("RA303", "ra1.exc.req.001", "ra2/chapter01.md:83", "| ra1.exc.req.001 |\tRequirement |\txxx"),
        ("RA305", "sec.gen.001", "ra2/chapter02.md:170", "| sec.gen.001 | The Platform **must**"),
        ("RA305", "sec.gen.001", "rm/chapter07.md:400", "| req.sec.gen.001 | The Platform **must**"),
        ("RA401", "gap.hw-topology-aware-hugepages -> nfvi.com.cfg.004", "ra2/chapter07.md:105", "`nfvi.com.cfg.004`"),
    ],
    "2021-05-23-44694d36": [
        ("RA301", "req.int.api.03", "ra2/chapter02.md:313", "| `req.int.api.03` | API | General |"),
        ("RA301", "req.int.api.03", "ra2/chapter02.md:314", "| `req.int.api.03` | API | General |"),
        ("RA301", "ra2.k8s.012", "ra2/chapter04.md:79", "|`ra2.k8s.012`|Control plane services|"),
        ("RA301", "ra2.k8s.012", "ra2/chapter04.md:88", "|`ra2.k8s.012`|Kubernetes APIs|"),
        ("RA401", "ra2.k8s.013 -> req.int.api.04", "ra2/chapter04.md:89", "[req.int.api.04]"),
    ],
    "2021-11-04-3c4c8883": [
        ("RA305", "sec.arch.001", "ra2/chapter02.md:270", "| sec.arch.001 | Threat Modelling"),
    ],
    "2021-11-09-1a2f3b59": [
        ("RA303", "gen.cnt.02", "ra2/chapter02.md:318", "| gen.cnt.02 | General | Cloud nativeness |"),
        ("RA401", "ra2.ch.017 -> req.gen.cnt.02", "ra2/chapter04.md:65", "|[req.gen.cnt.02]("),
        ("RA401", "gap.dynamic-network-management -> req.inf.ntw.03", "ra2/chapter07.md:73", "[req.inf.ntw.03]"),
        (
            "RA701",
            "comparison-of-example-networking-solutions -> req.inf.ntw.03",
            "ra2/chapter03.md:332",
            "| Centrally administrated and configured (`req.inf.ntw.03`) |",
        ),
        ("RA502", "ra2.k8s.015", "ra2/chapter04.md:91", "|[req.inf.ntw.15](chapter02.md"),
    ],
    "2022-06-10-78461e62": [
        ("RA303", "infra.net.acc.cfg.00 1", "ra2/chapter02.rst:387", "     - infra.net.acc.cfg.00 1"),
        ("RA303", "pas.lb.0156", "rm/chapter05.rst:306", "| pas.lb.0156 | The L7 Load Balancer may support HTTP2"),
        ("RA401", "ra2.k8s.006 -> infra.hw.cpu. cfg.003", "ra2/chapter04.rst:239", "infra.hw.cpu. cfg.003"),
        ("RA401", "ra2.k8s.017 -> req.inf.ntw. 17", "ra2/chapter04.rst:294", "     - req.inf.ntw. 17"),
        (
            "RA701",
            "comparison-of-example-kubernetes-networking-solutions -> infra. net.cfg.002",
            "ra2/chapter03.rst:408",
            "(infra. net.cfg.002)",
        ),
    ],
    "2022-06-10-c2e630a4": [
        ("RA303", "infra.hw.pci.cfg. 001", "ra2/chapter02.rst:493", "     - infra.hw.pci.cfg. 001"),
        ("RA303", "infra.com. cfg.001", "ra2/chapter02.rst:299", "     - infra.com. cfg.001"),
        ("RA303", "ra1.exc.req.001", "ra2/chapter01.rst:156", "   * - ra1.exc.req.001"),
        ("RA401", "ra2.k8s.004 -> en.rsl.01", "ra2/chapter04.rst:275", ":ref:`en.rsl.01 <"),
        ("RA401", "ra2.k8s.010 -> req.inf.ntw.004", "ra2/chapter04.rst:330", "     - req.inf.ntw.004"),
        ("RA502", "ra2.os.001", "ra2/chapter04.rst:179", "     - tbd"),
    ],
}


def expand(entry: str) -> list[str]:
    """'sec.gen.001..015' -> every ID between; any other entry as it is."""
    match = re.fullmatch(r"(.*?)(\d+)\.\.(\d+)", entry)
    if not match:
        return [entry]
    head, first, last = match.group(1), match.group(2), match.group(3)
    return [f"{head}{n:0{len(first)}d}" for n in range(int(first), int(last) + 1)]


def finding_entry(finding: dict) -> str:
    """How a finding is named above: its item, and for a dangling link or comparison row the ID named."""
    if finding["rule"] in ("RA401", "RA701"):
        named = re.search(r"'([^']*)'", finding["message"])
        return f"{finding['item']} -> {named.group(1) if named else '?'}"
    return str(finding["item"])


@pytest.mark.parametrize("snapshot", SNAPSHOTS)
def test_every_finding_is_a_known_upstream_defect(history: Callable[[str], Imported], snapshot: str) -> None:
    found = Counter(
        (f["rule"], finding_entry(f)) for f in history(snapshot).findings if f["severity"] in ("error", "warning")
    )
    expected = Counter(
        (rule, one) for rule, entries in FINDINGS[snapshot].items() for entry in entries for one in expand(entry)
    )
    assert [f"{r} {e}" for r, e in sorted((found - expected).elements())] == [], "findings not in the list"
    assert [f"{r} {e}" for r, e in sorted((expected - found).elements())] == [], "listed findings not found"


@pytest.mark.parametrize("snapshot", SNAPSHOTS)
def test_the_evidence_of_a_sample_of_findings_is_upstream(snapshot: str) -> None:
    listed = {(rule, one) for rule, entries in FINDINGS[snapshot].items() for e in entries for one in expand(e)}
    for rule, entry, where, text in EVIDENCE[snapshot]:
        assert (rule, entry) in listed, (rule, entry)
        name, line = where.rsplit(":", 1)
        lines = (HISTORY / snapshot / name).read_text(encoding="utf-8").splitlines()
        assert text in lines[int(line) - 1], (where, lines[int(line) - 1])


# -- 3. the same bytes from anywhere ------------------------------------------------------------


@pytest.mark.parametrize("snapshot", SNAPSHOTS)
def test_the_import_is_the_same_from_another_folder_and_another_name(
    history: Callable[[str], Imported], snapshot: str, tmp_path: Path
) -> None:
    imported = history(snapshot)
    elsewhere = tmp_path / "elsewhere" / "not-the-snapshot-name"
    shutil.copytree(HISTORY / snapshot, elsewhere)
    cwd = tmp_path / "somewhere" / "else"
    cwd.mkdir(parents=True)
    result = ra2docs("import", "../../elsewhere/not-the-snapshot-name", "--catalogue", "out", cwd=cwd)
    assert result.returncode == imported.returncode, result.stdout
    ours = {p.name: p.read_bytes() for p in sorted(imported.out.iterdir())}
    again = {p.name: p.read_bytes() for p in sorted((cwd / "out").iterdir())}
    assert sorted(again) == sorted(ours)
    assert [name for name in ours if again[name] != ours[name]] == []


# -- 4. Markdown and reStructuredText: the same content, the same catalogue ----------------------

# Real rows of anuket-specifications 1a2f3b59 (2021-11-09, Markdown), and the same by hand in the
# reStructuredText the chapters took in 2022 (list-tables; links as `text <target>`__; a gap's
# labelled paragraphs quoted). The gap is 7.2.5 upstream; alone here, it is 7.2.1 in both forms.
MD_CHAPTER02 = """\
# 2. Architecture Requirements

## 2.1 Introduction

This chapter will use the requirements defined in the overall Reference Model.

## 2.2 Reference Model Requirements

### 2.2.1 Cloud Infrastructure Software Profile Capabilities

| Reference Model Section | Reference  | Description | Requirement for Basic Profile | Requirement for High-Performance Profile| Specification Reference |
|---|---|---|---|---|---|
| [4.1.2](../../../ref_model/chapters/chapter04.md#412-exposed-infrastructure-capabilities) | e.cap.001 | Max number of vCPU that can be assigned to a single Pod by the Cloud Infrastructure | At least 16  | At least 16  | [ra2.ch.011](chapter04.md#42-kubernetes-node)|
| [4.1.2](../../../ref_model/chapters/chapter04.md#412-exposed-infrastructure-capabilities) | e.cap.002 | Max memory in MB that can be assigned to a single Pod by the Cloud Infrastructure | at least 32 GB | at least 32 GB | [ra2.ch.012](chapter04.md#42-kubernetes-node)|
| [4.1.2](../../../ref_model/chapters/chapter04.md#412-exposed-infrastructure-capabilities) | e.cap.004 | Max number of connection points that can be assigned to a single Pod by the Cloud Infrastructure | 6 | 6 | [ra2.ntw.003](chapter04.md#45-networking-solutions) |

<p align="center"><b>Table 2-1:</b> Reference Model Requirements: Cloud Infrastructure Software Profile Capabilities</p>

## 2.3 Kubernetes Architecture Requirements

| Reference | Category | Sub-category | Description | Specification Reference |
|---|---|---|---|---|
| gen.cnt.02 | General | Cloud nativeness | The Architecture **must** support immutable infrastructure. |[ra2.ch.017](chapter04.md#42-kubernetes-node)|
| gen.cnt.03 | General | Cloud nativeness | The Architecture **must** run conformant Kubernetes as defined by the [CNCF](https://github.com/cncf/k8s-conformance). |[ra2.k8s.001](chapter04.md#43-kubernetes)|
| gen.cnt.04 | General | Cloud nativeness | The Architecture **must** support clearly defined abstraction layers. | |
| gen.rsl.02 | General | Resiliency | The Architecture **should** support resilient Kubernetes service components that are not subject to gen.rsl.01. |[ra2.k8s.002](chapter04.md#43-kubernetes)<br>[ra2.k8s.003](chapter04.md#43-kubernetes)|
| gen.avl.01 | General | Availability | The Architecture **must** provide High Availability for Kubernetes components. |[ra2.k8s.002](chapter04.md#43-kubernetes)<br>[ra2.k8s.003](chapter04.md#43-kubernetes)<br>[ra2.k8s.004](chapter04.md#43-kubernetes)|
| inf.phy.01  | Infrastructure |  Physical Infrastructure | The Architecture **must** support the capability for Containers to consume infrastructure resources abstracted by Host Operating Systems that are running within a physical server.| ra2.ch.008 |

<p align="center"><b>Table 2-7:</b> Kubernetes Architecture Requirements</p>
"""
RST_CHAPTER02 = """\
Architecture Requirements
=========================

Introduction
------------

This chapter will use the requirements defined in the overall Reference Model.

Reference Model Requirements
----------------------------

Cloud Infrastructure Software Profile Capabilities
~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~

.. list-table:: Reference Model Requirements: Cloud Infrastructure Software Profile Capabilities
   :header-rows: 1

   * - Reference Model Section
     - Reference
     - Description
     - Requirement for Basic Profile
     - Requirement for High-Performance Profile
     - Specification Reference
   * - `4.1.2 <../../../ref_model/chapters/chapter04.md#412-exposed-infrastructure-capabilities>`__
     - e.cap.001
     - Max number of vCPU that can be assigned to a single Pod by the Cloud
       Infrastructure
     - At least 16
     - At least 16
     - `ra2.ch.011 <chapter04.md#42-kubernetes-node>`__
   * - `4.1.2 <../../../ref_model/chapters/chapter04.md#412-exposed-infrastructure-capabilities>`__
     - e.cap.002
     - Max memory in MB that can be assigned to a single Pod by the Cloud Infrastructure
     - at least 32 GB
     - at least 32 GB
     - `ra2.ch.012 <chapter04.md#42-kubernetes-node>`__
   * - `4.1.2 <../../../ref_model/chapters/chapter04.md#412-exposed-infrastructure-capabilities>`__
     - e.cap.004
     - Max number of connection points that can be assigned to a single Pod by the
       Cloud Infrastructure
     - 6
     - 6
     - `ra2.ntw.003 <chapter04.md#45-networking-solutions>`__

Kubernetes Architecture Requirements
------------------------------------

.. list-table:: Kubernetes Architecture Requirements
   :header-rows: 1

   * - Reference
     - Category
     - Sub-category
     - Description
     - Specification Reference
   * - gen.cnt.02
     - General
     - Cloud nativeness
     - The Architecture **must** support immutable infrastructure.
     - `ra2.ch.017 <chapter04.md#42-kubernetes-node>`__
   * - gen.cnt.03
     - General
     - Cloud nativeness
     - The Architecture **must** run conformant Kubernetes as defined by the
       `CNCF <https://github.com/cncf/k8s-conformance>`__.
     - `ra2.k8s.001 <chapter04.md#43-kubernetes>`__
   * - gen.cnt.04
     - General
     - Cloud nativeness
     - The Architecture **must** support clearly defined abstraction layers.
     -
   * - gen.rsl.02
     - General
     - Resiliency
     - The Architecture **should** support resilient Kubernetes service components that are not subject to
       gen.rsl.01.
     - `ra2.k8s.002 <chapter04.md#43-kubernetes>`__, `ra2.k8s.003 <chapter04.md#43-kubernetes>`__
   * - gen.avl.01
     - General
     - Availability
     - The Architecture **must** provide High Availability for Kubernetes components.
     - `ra2.k8s.002 <chapter04.md#43-kubernetes>`__, `ra2.k8s.003 <chapter04.md#43-kubernetes>`__,
       `ra2.k8s.004 <chapter04.md#43-kubernetes>`__
   * - inf.phy.01
     - Infrastructure
     - Physical Infrastructure
     - The Architecture **must** support the capability for Containers to consume infrastructure resources
       abstracted by Host Operating Systems that are running within a physical server.
     - ra2.ch.008
"""
MD_CHAPTER04 = """\
# 4. Component Level Architecture

## 4.1 Introduction

This chapter describes in detail the Kubernetes Reference Architecture.

## 4.2 Kubernetes Node

|Ref|Specification|Details|Requirement Trace|Reference Implementation Trace|
|---|---|---|---|---|
|`ra2.ch.001`|Huge Pages|When hosting workloads matching the Network Intensive profile, it must be possible to enable Huge Pages (2048KiB and 1048576KiB) within the Kubernetes Node OS, exposing schedulable resources `hugepages-2Mi` and `hugepages-1Gi`.|[infra.com.cfg.004](./chapter02.md#223-cloud-infrastructure-software-profile-requirements)|[4.3.1](../../../ref_impl/cntt-ri2/chapters/chapter04.md#431-installation-on-bare-metal-infratructure)|
|`ra2.ch.004`|CPU Simultaneous Multi-Threading (SMT)|SMT must be enabled in the BIOS on the physical machine on which the Kubernetes Node runs.|[infra.hw.cpu.cfg.004](./chapter02.md#224-cloud-infrastructure-hardware-profile-requirements)|[3.3](../../../ref_impl/cntt-ri2/chapters/chapter03.md#33-infrastructure-requirements)|

## 4.3 Kubernetes

|Ref|Specification|Details|Requirement Trace|Reference Implementation Trace|
|---|---|---|---|---|
|`ra2.k8s.001`|Kubernetes Conformance|The Kubernetes distribution, product, or installer used in the implementation **must** be listed in the [Kubernetes Distributions and Platforms document](https://docs.google.com/spreadsheets/d/1uF9BoDzzisHSQemXHIKegMhuythuq_GL3N1mlUUK2h0/edit#gid=0) and marked (X) as conformant for the Kubernetes version defined in [README](../README.md#required-versions-of-most-important-components) under "Required versions of most important components".|[req.gen.cnt.03](./chapter02.md#23-kubernetes-architecture-requirements)|[4.3.1](../../../ref_impl/cntt-ri2/chapters/chapter04.md#431-installation-on-bare-metal-infratructure)|
|`ra2.k8s.002`|Highly available etcd|An implementation must consist of either three, five or seven nodes running the etcd service (can be colocated on the master nodes, or can run on separate nodes, but not on worker nodes).|[req.gen.rsl.02 req.gen.avl.01](./chapter02.md#23-kubernetes-architecture-requirements)|[4.3.1](../../../ref_impl/cntt-ri2/chapters/chapter04.md#431-installation-on-bare-metal-infratructure)|
|`ra2.k8s.003`|Highly available control plane|An implementation must consist of at least one master node per availability zone or fault domain to ensure the high availability and resilience of the Kubernetes control plane services.|[req.gen.rsl.02](./chapter02.md#23-kubernetes-architecture-requirements)<br>[req.gen.avl.01](./chapter02.md#23-kubernetes-architecture-requirements)|
|`ra2.k8s.004`|Highly available worker nodes|An implementation must consist of at least one worker node per availability zone or fault domain to ensure the high availability and resilience of workloads managed by Kubernetes|[req.gen.rsl.01](./chapter02.md#23-kubernetes-architecture-requirements)<br>[req.gen.avl.01](./chapter02.md#23-kubernetes-architecture-requirements)<br>[req.kcm.gen.02](./chapter02.md#23-kubernetes-architecture-requirements)<br>[req.inf.com.01](./chapter02.md#23-kubernetes-architecture-requirements)|
|`ra2.k8s.005`|Kubernetes API Version|In alignment with the [Kubernetes version support policy](https://kubernetes.io/docs/setup/release/version-skew-policy/#supported-versions), an implementation **must** use Kubernetes version as per the subcomponent versions table in [README](../README.md#required-versions-of-most-important-components) under "Required versions of most important components".|TBC||
"""
RST_CHAPTER04 = """\
Component Level Architecture
============================

Introduction
------------

This chapter describes in detail the Kubernetes Reference Architecture.

Kubernetes Node
---------------

.. list-table:: Node Specifications
   :header-rows: 1

   * - Ref
     - Specification
     - Details
     - Requirement Trace
     - Reference Implementation Trace
   * - ra2.ch.001
     - Huge Pages
     - When hosting workloads matching the Network Intensive profile, it must be possible to enable Huge Pages
       (2048KiB and 1048576KiB) within the Kubernetes Node OS, exposing schedulable resources ``hugepages-2Mi`` and
       ``hugepages-1Gi``.
     - `infra.com.cfg.004 <./chapter02.md#223-cloud-infrastructure-software-profile-requirements>`__
     - `4.3.1 <../../../ref_impl/cntt-ri2/chapters/chapter04.md#431-installation-on-bare-metal-infratructure>`__
   * - ra2.ch.004
     - CPU Simultaneous Multi-Threading (SMT)
     - SMT must be enabled in the BIOS on the physical machine on which the Kubernetes Node runs.
     - `infra.hw.cpu.cfg.004 <./chapter02.md#224-cloud-infrastructure-hardware-profile-requirements>`__
     - `3.3 <../../../ref_impl/cntt-ri2/chapters/chapter03.md#33-infrastructure-requirements>`__

Kubernetes
----------

.. list-table:: Kubernetes Specifications
   :header-rows: 1

   * - Ref
     - Specification
     - Details
     - Requirement Trace
     - Reference Implementation Trace
   * - ra2.k8s.001
     - Kubernetes Conformance
     - The Kubernetes distribution, product, or installer used in the implementation **must** be listed in the
       `Kubernetes Distributions and Platforms document
       <https://docs.google.com/spreadsheets/d/1uF9BoDzzisHSQemXHIKegMhuythuq_GL3N1mlUUK2h0/edit#gid=0>`__ and
       marked (X) as conformant for the Kubernetes version defined in
       `README <../README.md#required-versions-of-most-important-components>`__ under "Required versions of most
       important components".
     - `req.gen.cnt.03 <./chapter02.md#23-kubernetes-architecture-requirements>`__
     - `4.3.1 <../../../ref_impl/cntt-ri2/chapters/chapter04.md#431-installation-on-bare-metal-infratructure>`__
   * - ra2.k8s.002
     - Highly available etcd
     - An implementation must consist of either three, five or seven nodes running the etcd service (can be
       colocated on the master nodes, or can run on separate nodes, but not on worker nodes).
     - `req.gen.rsl.02 req.gen.avl.01 <./chapter02.md#23-kubernetes-architecture-requirements>`__
     - `4.3.1 <../../../ref_impl/cntt-ri2/chapters/chapter04.md#431-installation-on-bare-metal-infratructure>`__
   * - ra2.k8s.003
     - Highly available control plane
     - An implementation must consist of at least one master node per availability zone or fault domain to ensure
       the high availability and resilience of the Kubernetes control plane services.
     - `req.gen.rsl.02 <./chapter02.md#23-kubernetes-architecture-requirements>`__,
       `req.gen.avl.01 <./chapter02.md#23-kubernetes-architecture-requirements>`__
     -
   * - ra2.k8s.004
     - Highly available worker nodes
     - An implementation must consist of at least one worker node per availability zone or fault domain to ensure
       the high availability and resilience of workloads managed by Kubernetes
     - `req.gen.rsl.01 <./chapter02.md#23-kubernetes-architecture-requirements>`__,
       `req.gen.avl.01 <./chapter02.md#23-kubernetes-architecture-requirements>`__,
       `req.kcm.gen.02 <./chapter02.md#23-kubernetes-architecture-requirements>`__,
       `req.inf.com.01 <./chapter02.md#23-kubernetes-architecture-requirements>`__
     -
   * - ra2.k8s.005
     - Kubernetes API Version
     - In alignment with the `Kubernetes version support policy
       <https://kubernetes.io/docs/setup/release/version-skew-policy/#supported-versions>`__, an implementation
       **must** use Kubernetes version as per the subcomponent versions table in
       `README <../README.md#required-versions-of-most-important-components>`__ under "Required versions of most
       important components".
     - TBC
     -
"""
MD_CHAPTER07 = """\
# 7. Gaps, Innovation, and Development

## 7.1 Introduction

While this Reference Architecture is being developed, Gaps will be identified that require addressing.

## 7.2 Gap analysis

### 7.2.1 Dynamic network management

> **Related requirements:** [req.inf.ntw.03](chapter02.md#23-kubernetes-architecture-requirements)

> **Baseline project:** _Kubernetes v1.18.6_

> **Gap description:** Kubernetes does not have an API for network management, therefore a different CNI plugin, like [DANM](https://github.com/nokia/danm) needs to be used to expose Kubernetes network services on an API. Alternatively this is done today with Netconf etc. integration with SDN controllers, for example connecting individual VPNs - e.g. L3VPN - onto the CNF, on demand.
"""
RST_CHAPTER07 = """\
Gaps, Innovation, and Development
=================================

Introduction
------------

While this Reference Architecture is being developed, Gaps will be identified that require addressing.

Gap analysis
------------

Dynamic network management
~~~~~~~~~~~~~~~~~~~~~~~~~~

   **Related requirements:** `req.inf.ntw.03 <chapter02.md#23-kubernetes-architecture-requirements>`__

..

   **Baseline project:** *Kubernetes v1.18.6*

   **Gap description:** Kubernetes does not have an API for network management, therefore a different CNI
   plugin, like `DANM <https://github.com/nokia/danm>`__ needs to be used to expose Kubernetes network services on
   an API. Alternatively this is done today with Netconf etc. integration with SDN controllers, for example
   connecting individual VPNs - e.g. L3VPN - onto the CNF, on demand.
"""


def _items_and_links(folder: Path) -> tuple[dict[str, dict], set[tuple[str, str, str]]]:
    items: dict[str, dict] = {}
    for path in sorted(folder.glob("*.yaml")):
        for item in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("items") or []:
            items[item["id"]] = item
    links = {(i, name, t) for i, item in items.items() for name in ("traces", "related") for t in item.get(name, [])}
    return items, links


def _sections(folder: Path) -> list[tuple[str, str]]:
    meta = yaml.safe_load((folder / "profiles.yaml").read_text(encoding="utf-8"))
    return [(s["id"], s["title"]) for s in meta.get("sections", [])]


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, timeout=60)


@dataclass
class Review:
    report: dict
    markdown: str


def review(tmp_path: Path, base: Path, head: Path) -> Review:
    """`ra2docs diff` between two imports, made two commits of a real git repository."""
    assert shutil.which("git"), "git is needed to review two commits"
    repo = tmp_path / "review"
    repo.mkdir()
    (repo / "pyproject.toml").write_text('[tool.ra2docs]\ncatalogue = "catalogue"\n', encoding="utf-8")
    git(repo, "init", "-q", "-b", "main")
    for number, side in enumerate((base, head)):
        shutil.rmtree(repo / "catalogue", ignore_errors=True)
        shutil.copytree(side, repo / "catalogue")
        git(repo, "add", "-A")
        git(repo, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-q", "-m", f"side {number}")
    as_json = ra2docs("diff", "HEAD~1", "HEAD", "--format", "json", cwd=repo)
    assert as_json.returncode in (0, 1), as_json.stderr
    as_markdown = ra2docs("diff", "HEAD~1", "HEAD", "--format", "markdown", cwd=repo)
    assert as_markdown.returncode in (0, 1), as_markdown.stderr
    return Review(json.loads(as_json.stdout), as_markdown.stdout)


def nothing_added_or_removed(report: dict) -> dict:
    return {key: report[key] for key in ("added", "removed", "renamed", "links_gained", "links_lost") if report[key]}


def test_the_same_tables_in_markdown_and_in_rst_import_to_the_same_catalogue(tmp_path: Path) -> None:
    forms = {
        "md": {"chapter02.md": MD_CHAPTER02, "chapter04.md": MD_CHAPTER04, "chapter07.md": MD_CHAPTER07},
        "rst": {"chapter02.rst": RST_CHAPTER02, "chapter04.rst": RST_CHAPTER04, "chapter07.rst": RST_CHAPTER07},
    }
    out: dict[str, Path] = {}
    for form, chapters in forms.items():
        source = tmp_path / form / "ra2"
        source.mkdir(parents=True)
        for name, text in chapters.items():
            (source / name).write_text(text, encoding="utf-8")
        out[form] = tmp_path / f"{form}-catalogue"
        result = ra2docs("import", str(tmp_path / form), "--catalogue", str(out[form]), cwd=tmp_path)
        assert result.returncode in (0, 1) and "Traceback" not in result.stdout + result.stderr, result.stdout
    md_items, md_links = _items_and_links(out["md"])
    rst_items, rst_links = _items_and_links(out["rst"])
    assert len(md_items) == 17 and len(md_links) > 15
    assert sorted(rst_items) == sorted(md_items)
    assert [i for i in md_items if md_items[i] != rst_items[i]] == []  # every field, byte for byte
    assert rst_links == md_links
    assert _sections(out["rst"]) == _sections(out["md"])
    # what a reviewer would see if the chapters changed form in one commit: nothing
    report = review(tmp_path, out["md"], out["rst"]).report
    assert nothing_added_or_removed(report) == {} and report["changed"] == {}


# the commit that added the RST chapters beside the Markdown ones (kept in tests/data: not in the shared history)
SWITCH = Path(__file__).parent / "data" / "history" / "2022-01-27-f0600be8"


def test_the_markdown_and_the_rst_of_the_switch_import_to_the_same_catalogue(tmp_path: Path) -> None:
    """anuket-specifications f0600be8 (2022-01-27, '[RA2] Convert to rst'): both forms of every chapter."""
    out: dict[str, Path] = {}
    for form in ("md", "rst"):
        source = tmp_path / form
        (source / "ra2").mkdir(parents=True)
        shutil.copytree(SWITCH / "rm", source / "rm")  # the Reference Model stayed Markdown
        for chapter in sorted((SWITCH / "ra2").glob(f"*.{form}")):
            shutil.copy(chapter, source / "ra2" / chapter.name)
        out[form] = tmp_path / f"{form}-catalogue"
        result = ra2docs("import", str(source), "--catalogue", str(out[form]), cwd=tmp_path)
        assert result.returncode in (0, 1) and "Traceback" not in result.stdout + result.stderr, result.stdout
    md_items, md_links = _items_and_links(out["md"])
    rst_items, rst_links = _items_and_links(out["rst"])
    assert len(md_items) > 500 and sorted(rst_items) == sorted(md_items)
    differ = {i for i in md_items if md_items[i] != rst_items[i]}
    # Markdown's `sec.wl.005``sec.wl.006` (two code spans run together) has no exact RST equivalent:
    # pandoc wrote :literal:`sec.wl.005``sec.wl.006`; the links read from it are the same.
    assert differ == {"gap.multi-tenancy-and-workload-isolation-with-kubernetes"}
    gap = "gap.multi-tenancy-and-workload-isolation-with-kubernetes"
    assert {k: v for k, v in md_items[gap].items() if k != "cells"} == {
        k: v for k, v in rst_items[gap].items() if k != "cells"
    }
    assert rst_links == md_links
    assert _sections(out["rst"]) == _sections(out["md"])
    report = review(tmp_path, out["md"], out["rst"]).report
    assert nothing_added_or_removed(report) == {} and list(report["changed"]) == [gap]


# -- 5. each pair gives the diff a reviewer should see -----------------------------------------


def listed(snapshot: str) -> set[tuple[str, str]]:
    return {(rule, one) for rule, entries in FINDINGS[snapshot].items() for e in entries for one in expand(e)}


def serious(findings: list[dict]) -> set[tuple[str, str]]:
    return {(f["rule"], finding_entry(f)) for f in findings if f["severity"] in ("error", "warning")}


def reviewed(
    history: Callable[[str], Imported], tmp_path: Path, base: str, head: str, stale: frozenset = frozenset()
) -> Review:
    result = review(tmp_path, history(base).out, history(head).out)
    report = result.report
    # What the change introduces and fixes is the difference of the two lists of upstream defects above,
    # plus the findings of both whose text names an ID the change renamed but left as it was (``stale``):
    # one such finding reads as fixed (about the old ID) and introduced (about the ID the text still names).
    assert serious(report["findings_introduced"]) == (listed(head) - listed(base)) | stale
    assert serious(report["findings_fixed"]) == (listed(base) - listed(head)) | stale
    assert len(result.markdown) < 60_000  # the pull-request comment fits GitHub's limit, with room to spare
    return result


def test_2021_05_the_api_requirements_come_with_a_duplicate_id(
    history: Callable[[str], Imported], tmp_path: Path
) -> None:
    """ee3a2807 -> 44694d36: two API requirements (both numbered req.int.api.03) and two specifications."""
    result = reviewed(history, tmp_path, "2021-05-23-ee3a2807", "2021-05-23-44694d36")
    report = result.report
    assert report["added"] == ["ra2.k8s.013", "req.int.api.03"]
    assert report["removed"] == [] and report["renamed"] == []
    # The second ra2.k8s.012 is no item of its own: it is the first one's listing, with all it holds.
    ((change,),) = report["changed"].values()
    assert list(report["changed"]) == ["ra2.k8s.012"] and change["field"] == "listings" and change["before"] is None
    (second,) = change["after"]
    assert second["cells"]["title"] == "Kubernetes APIs" and second["cells"]["traces"] == "req.int.api.03"
    assert "all Alpha APIs **must** be disabled" in second["cells"]["text"]
    # ... and so is the second req.int.api.03.
    (again,) = history("2021-05-23-44694d36").item("req.int.api.03")["listings"]
    assert "limited backward compatibility" in again["cells"]["text"]
    # One ID, one item: the second ra2.k8s.012's trace stays in its cells and makes no link (see the report).
    assert report["links_gained"] == [] and report["links_lost"] == []
    before, after = report["coverage"]["before"]["total"], report["coverage"]["after"]["total"]
    assert after == {**before, "items": before["items"] + 1}
    markdown = result.markdown
    assert "`ra2.k8s.012`" in markdown and "Kubernetes APIs" in markdown and "req.int.api.03" in markdown


def test_2021_11_dropping_the_req_prefix_is_34_renames_and_the_traces_it_left_dangling(
    history: Callable[[str], Imported], tmp_path: Path
) -> None:
    """3c4c8883 -> 1a2f3b59: chapter 2's 35 IDs lose 'req.'; chapters 3, 4 and 7 keep the old ones."""
    # the second row of ra2.k8s.012 still names req.int.api.03, which the change renamed: a stale ID it leaves
    stale = frozenset({("RA407", "ra2.k8s.012")})
    result = reviewed(history, tmp_path, "2021-11-04-3c4c8883", "2021-11-09-1a2f3b59", stale)
    report = result.report
    new_ids = [one for entry in RA2_TODAY_IDS for one in expand(entry)]
    renamed = {(r["from"], r["to"]) for r in report["renamed"]}
    assert len(new_ids) == 35 and len(renamed) == 35
    assert renamed == {(f"req.{i}", i) for i in new_ids}
    # 34 with the same content; gen.rsl.02 changed its words too (found by similarity, 95% of its words alike): its statement quoted
    # `req.gen.rsl.01`, and now names gen.rsl.01 unquoted. The change shows, word by word.
    assert [r for r in report["renamed"] if "similarity" in r] == [
        {"from": "req.gen.rsl.02", "to": "gen.rsl.02", "similarity": 0.95}
    ]
    assert report["added"] == [] and report["removed"] == []
    old = history("2021-11-04-3c4c8883").item("req.gen.rsl.02")["statement"]
    new = history("2021-11-09-1a2f3b59").item("gen.rsl.02")["statement"]
    assert old.replace("``req.gen.rsl.01``", "gen.rsl.01") == new
    (statement,) = report["changed"].pop("gen.rsl.02")
    assert (statement["field"], statement["before"], statement["after"]) == ("statement", old, new)
    assert statement["words"].endswith("not subject to [-``req.gen.rsl.01``.-] {+gen.rsl.01.+}")
    assert "| `req.gen.rsl.02` | `gen.rsl.02` | renamed and changed (95% alike) |" in result.markdown
    assert "not subject to <del>\\`\\`req.gen.rsl.01\\`\\`.</del> <ins>gen.rsl.01.</ins> |" in result.markdown
    # Nothing else changed but the specifications' traces: each keeps what it had (renamed) and gains the new
    # IDs that chapter 2's Specification Reference now cites, while chapter 4 still names the old ones.
    renames = dict(renamed)
    for item_id, changes in report["changed"].items():
        assert item_id.startswith("ra2.") and [c["field"] for c in changes] == ["traces"], (item_id, changes)
        assert {renames.get(t, t) for t in changes[0]["before"]} <= set(changes[0]["after"]), item_id
    # Findings about renamed items only moved with them: none is fixed, and none of the new ones is about a rename
    # (the RA303 findings are the new IDs' form, which this catalogue's settings do not accept).
    assert [(f["rule"], f["item"]) for f in report["findings_fixed"]] == sorted(stale)  # the one stale cell
    # The links that really break: chapter 4 (and 7) name an old ID, and chapter 2 does not cite them back.
    lost = {(link["source"], link["target"]) for link in report["links_lost"]}
    assert lost == {
        ("gap.dynamic-network-management", "req.inf.ntw.03"),
        ("ra2.app.007", "req.kcm.gen.02"),
        ("ra2.k8s.012", "req.gen.avl.01"),
        ("ra2.k8s.012", "req.gen.rsl.02"),
        ("ra2.k8s.013", "req.int.api.04"),
        ("ra2.k8s.015", "req.inf.ntw.15"),
        ("ra2.k8s.016", "req.inf.ntw.16"),
        ("ra2.k8s.017", "req.inf.ntw.17"),
        ("ra2.k8s.018", "req.inf.ntw.18"),
        ("ra2.ntw.009", "req.gen.ost.01"),
        ("ra2.ntw.013", "req.inf.ntw.04"),
        ("ra2.ntw.015", "req.inf.ntw.10"),
    }
    # ra2.k8s.002's and ra2.k8s.003's traces to req.gen.rsl.02 moved with its rename: neither lost nor gained.
    assert report["links_gained"] == []
    # Six requirements lose their only specification (the mandatory ones are info findings, RA501).
    before, after = report["coverage"]["before"]["total"], report["coverage"]["after"]["total"]
    assert (before["items"], before["specified"], after["items"], after["specified"]) == (440, 53, 440, 47)
    unspecified = {f["item"] for f in report["findings_introduced"] if f["rule"] == "RA501"}
    assert unspecified == {"inf.ntw.10", "inf.ntw.15", "inf.ntw.16", "int.api.04"}


def test_2020_01_to_2021_05_renamed_and_reworded_items_are_renames_with_their_edits(
    history: Callable[[str], Imported], tmp_path: Path
) -> None:
    """b9efeafa -> ee3a2807: the RM's nfvi.* became infra.*, e.vim.pm.* e.man-pm.*, req.kcm.07 req.kcm.gen.01."""
    result = review(tmp_path, history("2020-01-10-b9efeafa").out, history("2021-05-23-ee3a2807").out)
    report = result.report
    renamed = {r["from"]: (r["to"], r.get("similarity")) for r in report["renamed"]}
    assert renamed["e.nfvi.pm.xxx"] == ("e.pm.xxx", None)  # the same content
    similar = {old: new for old, (new, score) in renamed.items() if score is not None}
    assert len(similar) == 19 and all(0.8 <= score < 1 for _, score in renamed.values() if score is not None)
    assert {old: new for old, new in similar.items() if old.startswith("e.vim.pm.")} == {
        f"e.vim.pm.{n:03}": f"e.man-pm.{n:03}" for n in range(1, 13)
    }
    assert similar["req.kcm.07"] == "req.kcm.gen.01"
    assert {similar[f"nfvi.hw.{i}"] for i in ("cpu.cfg.001", "cpu.cfg.002", "nac.cfg.002", "pci.cfg.001")} == {
        "infra.hw.cpu.cfg.001",
        "infra.hw.cpu.cfg.002",
        "infra.hw.nac.cfg.002",
        "infra.hw.pci.cfg.001",
    }
    # Renamed items are neither added nor removed, and what else changed shows word by word.
    assert not set(similar) & set(report["removed"]) and not set(similar.values()) & set(report["added"])
    title = next(c for c in report["changed"]["infra.hw.cpu.cfg.002"] if c["field"] == "title")
    assert (title["before"], title["after"]) == ("Number of Cores per CPU", "Minimum number of cores per CPU")
    assert title["words"] == "[-Number-] {+Minimum number+} of [-Cores-] {+cores+} per CPU"
    assert "| `e.vim.pm.012` | `e.man-pm.012` | renamed and changed (87% alike) |" in result.markdown
    # e.vim.pm.006-011 changed only their RM section: one move, with the other items of that section.
    (move,) = [m for m in report["moved"] if "e.man-pm.006" in m["items"]]
    assert (move["field"], move["before"], move["after"], len(move["items"])) == (
        "rm-section",
        "4.1.7.1",
        "4.1.6.1",
        12,
    )
    assert not {f"e.man-pm.{n:03}" for n in range(6, 12)} & set(report["changed"])


def test_2021_11_to_2022_06_renumbered_sections_are_one_line_each(
    history: Callable[[str], Imported], tmp_path: Path
) -> None:
    """1a2f3b59 -> 78461e62: chapter 2 gained a section (2.2.x became 2.3.x), chapter 4 one (4.3 became 4.4)."""
    base, head = history("2021-11-09-1a2f3b59"), history("2022-06-10-78461e62")
    result = review(tmp_path, base.out, head.out)
    report = result.report
    # One gap renamed with its words edited, found by similarity (80% of its words alike): the edit shows.
    assert report["renamed"] == [
        {"from": "gap.hw-topology-aware-hugepages", "to": "gap.hw-topology-aware-huge-pages", "similarity": 0.8}
    ]
    title = next(c for c in report["changed"]["gap.hw-topology-aware-huge-pages"] if c["field"] == "title")
    assert title["words"] == "HW topology aware [-hugepages-] {+huge pages+}"
    # What moved, counted from the two imports without the diff: (field, before, after) -> items.
    renamed = {r["from"]: r["to"] for r in report["renamed"]}
    old_items = {renamed.get(item["id"], item["id"]): item for _, item in base.items()}
    expected: dict[tuple[str, object, object], list[str]] = {}
    for _, item in head.items():
        old = old_items.get(item["id"])
        for name in ("section", "rm-section") if old else ():
            if old.get(name) != item.get(name):
                expected.setdefault((name, old.get(name), item.get(name)), []).append(item["id"])
    moved = {(m["field"], m["before"], m["after"]): m["items"] for m in report["moved"]}
    assert {k: sorted(v) for k, v in moved.items()} == {k: sorted(v) for k, v in expected.items()}
    assert len(moved[("section", "2.2.6", "2.3.7")]) == 132 and len(moved[("section", "4.3", "4.4")]) == 18
    # No item lists a section change of its own; 204 items that only moved are not 'changed' at all.
    assert not {c["field"] for changes in report["changed"].values() for c in changes} & {"section", "rm-section"}
    only_moved = {i for items in moved.values() for i in items} - set(report["changed"])
    assert len(only_moved) == 204 and len(report["changed"]) == 286  # 285 and the renamed gap
    # The comment: one row per move, listing a few of its items.
    count = sum(len(items) for items in moved.values())
    assert (count, len(moved)) == (607, 63)
    assert "| items moved to another section | 607 |" in result.markdown
    assert "<details><summary>Items moved to another section (607 in 63 moves)</summary>" in result.markdown
    assert "| section | `4.3` | `4.4` | 18: `ra2.k8s.001`, `ra2.k8s.002`," in result.markdown
    assert result.markdown.count("| section | `2.2.6` | `2.3.7` | 132: ") == 1
    assert len(result.markdown) < 60_000


def test_2022_06_ids_moving_into_ref_roles_lose_no_link_and_no_coverage(
    history: Callable[[str], Imported], tmp_path: Path
) -> None:
    """78461e62 -> c2e630a4: 'fixing text references to section and typos' (IDs in :ref: roles, blanks gone)."""
    result = reviewed(history, tmp_path, "2022-06-10-78461e62", "2022-06-10-c2e630a4")
    report = result.report
    base, head = history("2022-06-10-78461e62"), history("2022-06-10-c2e630a4")
    # The IDs the conversion had broken with a blank are gone; the real ones (the RM's) stay.
    removed = report["removed"]
    assert len(removed) == 18 and all(" " in i and i.replace(" ", "") in head.ids() for i in removed)
    assert report["added"] == [] and report["renamed"] == []
    # No link to an item of both sides is lost: only the links to those broken IDs go.
    lost = {(link["source"], link["target"]) for link in report["links_lost"]}
    assert lost and all(target in removed for _, target in lost)
    # ... and each of them is replaced by a link to the real ID (cited in chapter 2 or traced in chapter 4).
    links = {(s, t) for s, _, t in _items_and_links(head.out)[1]}
    assert {(s, t.replace(" ", "")) for s, t in lost} <= links
    gained = {(link["source"], link["target"]) for link in report["links_gained"]}
    assert {("ra2.k8s.017", "inf.ntw.17"), ("ra2.ntw.010", "infra.net.acc.cfg.001")} <= gained  # via :ref:
    # Coverage: no requirement of both sides loses its last specification (the ratio moves only because
    # 18 broken IDs, 10 of them specified, are no longer counted twice).
    specified_before = {t for s, _, t in _items_and_links(base.out)[1] if s.startswith("ra2.")}
    specified_after = {t for s, _, t in _items_and_links(head.out)[1] if s.startswith("ra2.")}
    both = set(base.ids()) & set(head.ids())
    assert (specified_before & both) - specified_after == set()
    assert "**Findings this change introduces**" in result.markdown and "en.rsl.01" in result.markdown
