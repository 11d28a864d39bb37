"""Map the tables and gap sections of upstream chapters to catalogue entries.

A table is a catalogue table when its first or second column holds IDs.
Each column becomes a *key*: a field of the kind (title, text, category,
values per profile, ...), a link column (Requirement Trace, Specification
Reference), or, for any other column, a key of the item's ``cells``. Cell
text is kept as upstream wrote it (reStructuredText; Markdown is converted).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from ra2docs.documents.document import Block, Cell, Document, Row, Section, Table
from ra2docs.findings import Finding
from ra2docs.importer.ids import (
    first_id,
    ids_in,
    is_id,
    kind_for,
    looks_like_malformed_id,
    priority_of,
    unwrap,
)
from ra2docs.importer.md2rst import md_to_rst
from ra2docs.kinds import COMMON_FIELDS, builtin_kinds
from ra2docs.markup import plain_text
from ra2docs.rules import ra110_upstream_read_as as ra110
from ra2docs.rules import ra302_missing_id as ra302

TITLE_HEADERS = {
    "specification",
    "feature",
    "name",
    "cloud infrastructure capability",
    "cloud infrastructure measurement",
    "cloud infrastructure management capability",
    "cloud infrastructure management measurement",
    "platform service category",
    "cloud infrastructure software",
    "cloud infrastructure resource",
}
# The Reference Model names its title column by what the rows are: 'NFVI capability' (2020), 'VIM Measurement',
# 'Cloud Infrastructure Management Capability', 'Acceleration/Offload API Capability', 'Capability'.
TITLE_WORDS = re.compile(r"(?:^|\s)(?:capability|measurement)$")
TEXT_HEADERS = {"description", "details", "definition/notes", "definition/note", "definition / notes"}
COMMON_VALUE = "requirement (common to all profiles)"
PROFILE_HEADERS = {
    "basic": "basic",
    "basic type": "basic",
    "b instance": "basic",
    "network intensive": "network-intensive",
    "network intensive type": "network-intensive",
    "n instance": "network-intensive",
    "compute intensive": "compute-intensive",
    "compute intensive type": "compute-intensive",
    "c instance": "compute-intensive",
    "high-performance": "high-performance",
    "high performance": "high-performance",
}
PROFILE_TITLES = {
    "basic": "Basic",
    "network-intensive": "Network Intensive",
    "compute-intensive": "Compute Intensive",
    "high-performance": "High-Performance",
}
TEXT_FIELD = {"ra-requirement": "statement", "specification": "details"}
FIELD_KEYS = {"title", "category", "subcategory", "unit", "rm-section"}
KNOWN_KEYS = {
    "id",
    "title",
    "text",
    "values",
    "category",
    "subcategory",
    "unit",
    "rm-section",
    "traces",
    "specified-by",
}
LINK_KEYS = {"traces", "specified-by"}
# Cell text that is an editor's remark, not content: kept as a note.
EDITORIAL = re.compile(r"^(editor'?s? note|note|todo|tbd|tbc|place ?holder)\b\s*:?", re.I)
GAP_FIELDS = {"related requirements": "related", "baseline project": "baseline", "gap description": "description"}
# '**Related requirements:** ...' or '**Related requirements**: ...', but not the colon of a role that follows
# ('**Related requirements:** :ref:`inf.ntw.03 <...>`').
GAP_LABEL = re.compile(r"^\s*(?:>\s*)?\*\*([^*]{2,60}?)\s*:?\s*\*\*\s*(?::(?![\w.+-]+:`))?\s*", re.S)
_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    return _SLUG.sub("-", text.lower()).strip("-")


def header_words(text: str) -> str:
    """A header's plain words, citations dropped: 'Reference Model Section :cite:p:`x`' -> 'reference model section'."""
    text = re.sub(r"<[^<>]*>", " ", text)  # a Markdown header's tags ('Capabilities Reference <sup>1</sup>')
    words = plain_text(re.sub(r":(?:foot)?cite(?::\w+)?:`[^`]*`", "", text))
    return " ".join(words.lower().split())


@dataclass
class Note:
    """A line of the import report."""

    file: str
    line: int
    message: str
    level: str = "warning"  # error: a file could not be read; warning: input not fully mapped; info: for the record
    rule: str = ""

    @classmethod
    def of(cls, finding: Finding, file: str, line: int, level: str = "warning") -> Note:
        """A rule's finding (worded in its rule module) as a line of the import report."""
        return cls(file, line, finding.message, level, finding.rule)

    def format(self) -> str:
        rule = f" [{self.rule}]" if self.rule else ""
        return f"{self.file}:{self.line}: {self.level}: {self.message}{rule}"


@dataclass
class Entry:
    """One item as a table row (or a gap section) gives it."""

    id: str
    kind: str
    data: dict[str, Any]
    file: str
    line: int
    document: str  # 'ra2' or 'rm'
    table: int = -1  # index of the mapped table (-1 for gaps and group members)
    role: str = "row"  # 'row', 'member' (named in another row's ID cell), 'gap'
    raw: dict[str, str] = field(default_factory=dict)  # column key -> upstream cell text


@dataclass
class MappedRow:
    row: Row
    ids: list[str]  # the IDs its ID cell names; the first is the row's item
    entry: Entry | None = None  # None: the row has no ID
    raw: dict[str, str] = field(default_factory=dict)  # column key -> cell text (reStructuredText)


@dataclass
class MappedTable:
    table: Table
    document: str
    columns: list[str]  # a key per upstream column
    rows: list[MappedRow]
    caption: str  # reStructuredText


@dataclass
class Comparison:
    data: dict[str, Any]
    file: str
    line: int


@dataclass
class Collected:
    entries: list[Entry] = field(default_factory=list)
    tables: list[MappedTable] = field(default_factory=list)
    comparisons: list[Comparison] = field(default_factory=list)
    citations: list[tuple[str, str, str, int]] = field(default_factory=list)  # (requirement, spec, file, line)
    notes: list[Note] = field(default_factory=list)
    profiles: dict[str, str] = field(default_factory=dict)
    sections: dict[str, dict[str, str]] = field(default_factory=dict)


def cell_rst(text: str, markup: str) -> str:
    return md_to_rst(text) if markup == "md" else text


# A line that starts a block of its own rather than continuing a paragraph: a list item, an explicit
# markup block ('.. note::'), a line block, a field, a table border, a doctest.
_BLOCK_START = re.compile(
    r"^(?:[-*+\u2022]\s|#\.\s|\(?[0-9a-zA-Z]{1,3}[.)]\s|\.\.(?:\s|$)|\|\s|:[\w -]+:(?:\s|$)|[+=]{2}|>>>)"
)


_OPEN_TARGET = re.compile(r"<[^<>`\s]+$")
# A hyperlink reference ('`4.1.2 <../../../ref_model/chapters/chapter04.md#412-...>`__'), not a role's target.
_LINK = re.compile(r"(?<![:\w])`([^`<]*?)\s*<([^<>`]+)>`__?")
_KEPT_SCHEMES = re.compile(r"^(?:https?|mailto):")


def unlink(text: str) -> str:
    """Links into the spec's own files ('chapter04.md#...', '#2.3') reduced to their text, as Markdown's are.

    They lead to the chapter files of the upstream tree, which the catalogue's
    pages are not next to; links to the web stay.
    """

    def keep(match: re.Match[str]) -> str:
        label, target = match.group(1), match.group(2).strip()
        return match.group(0) if _KEPT_SCHEMES.match(target) else (label or target)

    return _LINK.sub(keep, text)


def catalogue_rst(text: str) -> str:
    """Upstream reStructuredText as the catalogue keeps it outside adoption: reflowed, links into the chapters gone."""
    return unlink(reflow(text))


def reflow(text: str) -> str:
    """reStructuredText with each paragraph's lines joined: a line break inside a paragraph shows as a blank.

    Upstream rewrapped its chapters (to 120 columns in 2022): the words stay,
    the breaks move. Without this, every rewrapped cell would be a change to
    review. Paragraph breaks, lists, literal blocks and indented blocks keep
    their lines.
    """
    lines = text.split("\n")
    out = [lines[0]]
    literal = lines[0].rstrip().endswith("::")
    for line in lines[1:]:
        previous = out[-1]
        indent = len(line) - len(line.lstrip())
        joinable = (
            not literal
            and previous.strip()
            and line.strip()
            and indent == len(previous) - len(previous.lstrip())
            and not _BLOCK_START.match(line.lstrip())
            and not _BLOCK_START.match(previous.lstrip())
        )
        if joinable:
            # inside a link's target ('<https://...publi' / 'shed>`__') the break was never a blank
            glue = "" if _OPEN_TARGET.search(previous.rstrip()) else " "
            out[-1] = f"{previous.rstrip()}{glue}{line.strip()}"
        else:
            out.append(line)
        if line.strip():
            literal = line.rstrip().endswith("::") or (literal and indent > 0)
    return "\n".join(out)


def _header_cells(table: Table) -> list[str]:
    if table.header:
        return [c.text for c in table.header[-1].cells]
    return []


ID_HEADERS = {"ref", "ref #", "ref#", "reference", ".conf", "id", "attribute"}


def id_column(table: Table, markup: str) -> int:
    """The column (0 or 1) that holds the rows' IDs, or -1.

    A column holds IDs when at least half of its cells start with one; under
    an ID header ('Ref', 'Reference', '.conf' ...) IDs that are not well formed
    count too (a table of template rows such as 'e.pm.xxx' is still an ID table).
    """
    headers = [header_words(h) for h in _header_cells(table)]
    for column in (0, 1):
        values = []
        for row in table.body:
            if column < len(row.cells):
                text = plain_text(unwrap(cell_rst(row.cells[column].text, markup)))
                if text:
                    values.append(text)
        if not values:
            continue
        id_header = column < len(headers) and headers[column] in ID_HEADERS
        named = sum(1 for v in values if first_id(v) or (id_header and looks_like_malformed_id(v)))
        if named >= max(1, math.ceil(len(values) / 2)):
            return column
    return -1


def profile_of(header: str) -> str:
    match = re.match(r"^requirement for (.+?) profile$", header)
    key = match.group(1).strip() if match else header
    return PROFILE_HEADERS.get(key, "")


def column_keys(headers: list[str], id_col: int, collected: Collected) -> list[str]:
    words = [header_words(h) for h in headers]
    has_text = any(w in TEXT_HEADERS for w in words)
    # The item's text is the first column that words it: 'Requirement' before a 'Definition/Note'.
    text_column = next((i for i, w in enumerate(words) if w in TEXT_HEADERS or w == "requirement"), -1)
    keys: list[str] = []
    used: set[str] = set()
    for index, name in enumerate(words):
        profile = profile_of(name)
        key = ""
        if index == id_col:
            key = "id"
        elif name in TITLE_HEADERS or TITLE_WORDS.search(name):
            key = "title"
        elif index == text_column:
            key = "text"
        elif name == COMMON_VALUE:
            key = "values" if has_text else "text"
        elif profile:
            key = f"values.{profile}"
            collected.profiles.setdefault(profile, PROFILE_TITLES.get(profile, profile))
        elif name in ("unit", "type"):
            key = "unit"
        elif name == "category":
            key = "category"
        elif name in ("sub-category", "subcategory"):
            key = "subcategory"
        elif name == "reference model section":
            key = "rm-section"
        elif name == "requirement trace":
            key = "traces"
        elif name == "specification reference":
            key = "specified-by"
        if not key or key in used:
            key = slug(name) or f"column-{index + 1}"
            while key in used or key in ("id", "text", "title", "values"):
                key += "-2"
        used.add(key)
        keys.append(key)
    if "text" not in keys and "title" not in keys:
        # A table with no description column ('Virtual interface option | Interface bandwidth'):
        # its first free-text column describes the item.
        free = next((i for i, k in enumerate(keys) if k not in KNOWN_KEYS and not k.startswith("values")), -1)
        if free >= 0:
            keys[free] = "text"
    return keys


class TableMapper:
    """Maps one document's tables; results go into a shared ``Collected``."""

    def __init__(self, doc: Document, document: str, collected: Collected, exact: bool = False) -> None:
        self.doc = doc
        self.document = document
        self.collected = collected
        self.kinds = builtin_kinds()
        self.exact = exact  # adoption: field values keep upstream's line breaks too

    def flow(self, text: str) -> str:
        return text if self.exact or self.doc.markup != "rst" else catalogue_rst(text)

    def note(self, line: int, finding: Finding, level: str = "warning") -> None:
        """A rule's finding about this chapter, at ``line``, in the import report."""
        self.collected.notes.append(Note.of(finding, self.doc.file, line, level))

    def describe(self, table: Table) -> str:
        caption = plain_text(cell_rst(table.caption, self.doc.markup)) if table.caption else ""
        name = caption or (table.section.label() if table.section else "")
        return f"table {name!r} ({table.first_line_text(self.doc.lines)[:60]!r})"

    def map(self, table: Table) -> None:
        markup = self.doc.markup
        headers = _header_cells(table)
        if not table.body:
            return
        if any(len(r.cells) != len(table.body[0].cells) for r in table.body) and table.form in ("grid", "simple"):
            pass  # spanning cells: the mapping below reports short rows
        column = id_column(table, markup)
        if column < 0:
            mentioned = any(
                ids_in(cell_rst(c.text, markup)) and any(is_id(i) for i in ids_in(cell_rst(c.text, markup)))
                for r in table.body
                for c in r.cells[:2]
            )
            if mentioned:
                self.note(table.line, ra110.ids_without_id_column(self.describe(table)))
            else:
                self.note(table.line, ra110.not_a_catalogue_table(self.describe(table)), "info")
            return
        if _is_comparison(headers):
            self.note(table.line, ra110.comparison_imported_as_items(self.describe(table)))
        keys = column_keys(headers or [f"column {i + 1}" for i in range(table.width)], column, self.collected)
        mapped = MappedTable(table, self.document, keys, [], cell_rst(table.caption, markup))
        index = len(self.collected.tables)
        self.collected.tables.append(mapped)
        section = table.section
        if self.document == "ra2" and section is not None:
            entry = self.collected.sections.setdefault(section.number, {"id": section.number, "title": section.title})
            if mapped.caption and "caption" not in entry:
                entry["caption"] = mapped.caption
        names = {header_words(h) for h in headers}
        width = len(keys)
        for row in self._unbroken([self._spread(r) for r in table.body], width, column):
            cells = [cell_rst(c.text, markup) for c in row.cells]
            if len(cells) < width:
                self.note(row.line, ra110.fewer_cells(len(cells), width))
                cells += [""] * (width - len(cells))
            elif len(cells) > width:
                extra = [plain_text(c) for c in cells[width:] if plain_text(c)]
                if extra:
                    self.note(row.line, ra110.more_cells(len(cells), width))
                for position in range(width, len(cells)):
                    if position >= len(mapped.columns):
                        mapped.columns.append(f"column-{position + 1}")
            raw = {key: text for key, text in zip(mapped.columns, cells, strict=False) if text or key in keys}
            mapped.rows.append(self._row(mapped, index, row, raw, names))

    def plain(self, text: str) -> str:
        return plain_text(cell_rst(text, self.doc.markup))

    def _spread(self, row: Row) -> Row:
        """A row with one cell per column: a merged cell of a grid table gives way to the cells it covers.

        When the merged text holds one '|' per column it swallowed, the row's
        column separators were out of line upstream (Sphinx shows one merged
        cell, 'pas.lb.0156 | The L7 Load Balancer may support HTTP2'): read as
        the cells meant, and said so. Otherwise the text stays in the first
        column and the others are empty, so later cells keep their columns.
        """
        if all(cell.span == 1 for cell in row.cells):
            return row
        cells: list[Cell] = []
        for cell in row.cells:
            parts = [cell.text]
            if cell.span > 1 and "\n" not in cell.text.strip() and cell.text.count("|") == cell.span - 1:
                parts = [part.strip() for part in cell.text.split("|")]
                self.note(cell.line, ra110.merged_cell_out_of_line(cell.span))
            cells += [Cell(part, cell.line) for part in parts]
            cells += [Cell("", cell.line) for _ in range(cell.span - len(parts))]
        return Row(cells, row.line)

    def _unbroken(self, rows: list[Row], width: int, id_col: int) -> list[Row]:
        """Rows as meant: a row line that runs on into a second row ('... || | e.cap.017 | ...') is split."""
        out: list[Row] = []
        for row in rows:
            cells = row.cells
            while len(cells) > width:
                start = next(
                    (i for i in range(width, len(cells) - id_col) if first_id(self.plain(cells[i + id_col].text))),
                    -1,
                )
                if start < 0:
                    break
                self.note(row.line, ra110.row_runs_on(start + 1))
                out.append(Row(cells[:start], row.line))
                cells = cells[start:]
            out.append(Row(cells, row.line) if cells is not row.cells else row)
        return out

    def _row(self, mapped: MappedTable, index: int, row: Row, raw: dict[str, str], names: set[str]) -> MappedRow:
        ids = row_ids(raw.get("id", ""))
        result = MappedRow(row, ids, raw=raw)
        if not ids:
            if any(plain_text(v) for k, v in raw.items() if k != "id"):
                self.note(row.line, ra302.row_without_id())
                entry = self._entry("", kind_for("", names), mapped, index, row, raw, names, None)
                result.entry = entry
            return result
        parts = self._split_text(ids, raw)
        for position, item_id in enumerate(ids):
            kind = kind_for(item_id, names)
            entry = self._entry(item_id, kind, mapped, index, row, raw, names, parts[position] if parts else None)
            if position == 0:
                result.entry = entry
            else:
                entry.role = "member"
                entry.table = -1
                entry.data.pop("section", None)
        return result

    def _split_text(self, ids: list[str], raw: dict[str, str]) -> list[str] | None:
        """'n25, n50, n75' described as '25, 50, 75 Gbps': each ID gets its own part."""
        if len(ids) < 2 or "text" not in raw:
            return None
        parts = [p.strip() for p in plain_text(raw["text"]).split(",")]
        if len(parts) != len(ids):
            return None
        unit = parts[-1].split()[-1] if " " in parts[-1] else ""
        return [f"{(p.split() or [''])[0]} {unit}".strip() for p in parts]

    def _entry(
        self,
        item_id: str,
        kind: str,
        mapped: MappedTable,
        index: int,
        row: Row,
        raw: dict[str, str],
        names: set[str],
        text_part: str | None,
    ) -> Entry:
        spec = self.kinds[kind]
        allowed = {*COMMON_FIELDS, *spec.fields}
        data: dict[str, Any] = {}
        if item_id:
            data["id"] = item_id
        data["kind"] = kind
        section = mapped.table.section
        if section is not None:
            if self.document == "ra2":
                data["section"] = section.number
            elif "rm-section" in allowed:
                data["rm-section"] = section.number
        data["source"] = self.document
        cells: dict[str, str] = {}
        values: dict[str, str] = {}
        notes: list[str] = []
        for key, value in raw.items():
            if key == "id" or not value.strip():
                continue
            value = self.flow(value)
            if key in ("title", "text") and EDITORIAL.match(plain_text(value)):
                notes.append(plain_text(value))  # an editor's remark, not the item's content: kept as a note
                continue
            if key == "text":
                name = TEXT_FIELD.get(kind, "description")
                if name in allowed:
                    data[name] = text_part if text_part is not None else value
                    # adoption invents no field: a priority only where the table has a priority column
                    if (
                        kind in ("ra-requirement", "rm-requirement", "specification")
                        and text_part is None
                        and not self.exact
                    ):
                        priority = priority_of(value)
                        if priority and "priority" in allowed and (kind != "rm-requirement" or _sentence(value)):
                            data["priority"] = priority
                else:
                    cells["text"] = value
            elif key.startswith("values."):
                if "values" in allowed:
                    values[key[7:]] = value
                else:
                    cells[key] = value
            elif key == "values":
                profiles = self.collected.profiles or {"basic": "Basic"}
                if "values" in allowed:
                    for profile in profiles:
                        values.setdefault(profile, value)
                else:
                    cells[key] = value
            elif key in FIELD_KEYS and key in allowed:
                data[key] = value
            elif key == "traces":
                if "traces" in spec.links:
                    targets = [t for t in ids_in(value) if t != item_id]
                    if targets:
                        data["traces"] = targets
                else:
                    cells[key] = value
            elif key == "specified-by":
                for target in ids_in(value):
                    if target.startswith("ra2.") and item_id:
                        self.collected.citations.append((item_id, target, mapped.table.file, row.line))
            else:
                cells[key] = value
        if values:
            data["values"] = values
        if notes:
            data["notes"] = " ".join(notes)
        if cells:
            data["cells"] = cells
        entry = Entry(item_id, kind, data, mapped.table.file, row.line, self.document, index, raw=raw)
        self.collected.entries.append(entry)
        return entry


def row_ids(cell: str) -> list[str]:
    """The IDs a row's ID cell names: several when it lists them ('n1, n2, n3'), the first as the row's.

    What stands in the cell is the row's ID even when it is not well formed
    ('nn10', 'e.pm.xxx', 'infra.hw.pci.cfg. 001', '<Testing>'): check reports it.
    A cell that holds more than an ID ('pas.lb.0156 | The L7 Load Balancer
    ...', a grid row whose separator is out of line) gives its first word.
    """
    plain = plain_text(unwrap(cell)).strip()
    if not plain:
        return []
    parts = [p.strip() for p in re.split(r"[,;]", plain)] if "," in plain or ";" in plain else [plain]
    ids: list[str] = []
    for part in parts:
        word = part.strip("*").strip()
        if not word:
            continue
        head = first_id(word)
        if head:
            ids.append(head)
        elif looks_like_malformed_id(word):
            ids.append(" ".join(word.rstrip(".").split()))
        elif len(parts) == 1 and looks_like_malformed_id(word.split()[0]):
            ids.append(word.split()[0].rstrip("."))
        elif len(parts) == 1:
            ids.append(" ".join(word.split()))
    return list(dict.fromkeys(ids))


def _sentence(text: str) -> bool:
    return len(plain_text(text).split()) > 4


def _is_comparison(headers: list[str]) -> bool:
    words = [header_words(h) for h in headers]
    solutions = [w for w in words[1:] if re.match(r"^(networking solution with|support in)\b", w)]
    return bool(solutions) and len(solutions) == len(words) - 1


# -- comparisons ------------------------------------------------------------------------


def map_comparison(table: Table, doc: Document, collected: Collected) -> bool:
    """A 'Requirement | Solution with A | Solution with B' table as a comparison (rows by the IDs they cite)."""
    headers = _header_cells(table)
    if not _is_comparison(headers) or not table.body:
        return False
    markup = doc.markup
    words = [header_words(h) for h in headers]
    solutions: list[dict[str, str]] = []
    for header, plain in zip(headers[1:], words[1:], strict=True):
        name = re.sub(r"^(networking solution with|support in)\s+", "", plain).strip() or plain
        solutions.append(
            {"id": slug(name) or f"solution-{len(solutions) + 1}", "title": plain_text(cell_rst(header, markup))}
        )
    levels: dict[str, str] = {}
    notes: dict[str, str] = {}
    rows = []
    for row in table.body:
        cells = [cell_rst(c.text, markup) for c in row.cells]
        first = plain_text(cells[0]) if cells else ""
        named = ids_in(cells[0] if cells else "")  # an ID with stray blanks too: check names it (bad-comparison)
        label = re.sub(r"\s*\(\s*" + re.escape(named[0]) + r"\s*\)\s*", " ", first).strip() if named else first
        row_data: dict[str, Any] = {}
        if named:
            row_data["item"] = named[0]
        if label:
            row_data["label"] = label
        row_cells: dict[str, Any] = {}
        for solution, cell in zip(solutions, cells[1:], strict=False):
            text = plain_text(cell)
            mark = re.search(r"\(?(\d{1,2})\)?\s*$", text) if re.search(r"sup:|\(\d{1,2}\)\s*$", cell) else None
            if mark:
                text = text[: mark.start()].strip()
            if not text:
                continue
            level = slug(text)[:60] or "blank"
            levels.setdefault(level, text)
            row_cells[solution["id"]] = {"level": level, "note": mark.group(1)} if mark else level
        if row_cells and (label or named):
            row_data["cells"] = row_cells
            rows.append(row_data)
    if not rows:
        return False
    caption = plain_text(cell_rst(table.caption, markup)) if table.caption else ""
    title = re.sub(r"^Table\s+[\w.-]+:?\s*", "", caption) or (table.section.title if table.section else "Comparison")
    after = "\n".join(doc.lines[table.end_line : table.end_line + 12])
    for match in re.finditer(r"^\s*\**\(?(\d{1,2})\)\**:?\s*(.+)$", after, re.M):
        notes.setdefault(match.group(1), plain_text(cell_rst(match.group(2), markup)))
    data: dict[str, Any] = {
        "id": slug(title)[:60] or f"comparison-{table.line}",
        "title": title,
        "solutions": solutions,
        "levels": [{"id": k, "label": v} for k, v in levels.items()],
        "rows": rows,
    }
    if notes:
        data["notes"] = [{"id": k, "text": v} for k, v in notes.items()]
    collected.comparisons.append(Comparison(data, doc.file, table.line))
    return True


# -- gaps ------------------------------------------------------------------------------


QUOTES = ("blockquote", "block_quote")  # markdown-it's name and docutils' name


def _gap_fields(blocks: list[Block], markup: str, exact: bool = False) -> tuple[dict[str, list[str]], list[str]]:
    """Labelled paragraphs ('**Related requirements:** ...') and the text before any label.

    A quoted block is read paragraph by paragraph: the RST chapters of 2022
    quote the three labelled paragraphs of a gap together, and separate
    quotes by an empty comment ('..'), which is no content.
    """
    fields: dict[str, list[str]] = {}
    loose: list[str] = []
    current = ""
    for block in blocks:
        if block.kind == "comment":
            continue
        text = block.text
        if block.kind == "table" and current:
            # A table under a label ('Related requirements:' then Reference | Requirement) is mapped as a
            # table of its own; the label's field gets the IDs it names, in either markup.
            named = ids_in(text, markup=False)
            if named:
                fields[current].append(", ".join(named))
            continue
        if markup == "md":
            text = "\n".join(line[1:].lstrip() if line.lstrip().startswith(">") else line for line in text.splitlines())
        quoted = block.kind in QUOTES
        paragraphs = [p for p in re.split(r"\n[ \t]*\n", text) if p.strip()] if quoted else [text]
        for paragraph in paragraphs:
            paragraph = paragraph if exact or markup != "rst" else catalogue_rst(paragraph)
            match = GAP_LABEL.match(paragraph)
            if match and (quoted or block.kind == "paragraph"):
                current = " ".join(match.group(1).lower().split()).rstrip(":")
                body = paragraph[match.end() :].strip()
                fields.setdefault(current, [])
                if body:
                    fields[current].append(cell_rst(body, markup))
            elif current:
                fields[current].append(cell_rst(paragraph, markup))
            elif quoted or block.kind == "paragraph":
                loose.append(cell_rst(paragraph, markup))
    return fields, loose


def gap_sections(doc: Document) -> list[Section]:
    """The sections of a chapter that are gaps: those below 'Gap analysis', or in a chapter on gaps."""
    sections = doc.sections
    found: list[Section] = []
    container = next((s for s in sections if s.title.lower().startswith("gap analysis")), None)
    chapter = sections[0] if sections else None
    if container is None and chapter is not None and chapter.title.lower().startswith("gaps"):
        container = chapter
    if container is not None:
        start = sections.index(container)
        introduction: Section | None = None  # today's chapter 7 puts its gaps below "Introduction to Gaps, ..."
        for section in sections[start + 1 :]:
            if section.level <= container.level:
                break
            if section.level == container.level + 1:
                found.append(section)
                introduction = section if section.title.lower().startswith("introduction") else None
            elif introduction is not None and section.level == introduction.level + 1:
                found.append(section)
    for section in sections:
        labels = {
            label.group(1).lower().strip(": ")
            for b in section.blocks
            if (label := GAP_LABEL.match(b.text.lstrip("> ")))
        }
        if section not in found and len(labels & set(GAP_FIELDS)) >= 2:
            found.append(section)
    return [s for s in found if not s.title.lower().startswith("introduction")]


def map_gaps(doc: Document, collected: Collected, exact: bool = False) -> None:
    for section in gap_sections(doc):
        if "template" in section.title.lower():
            template = ra110.gap_template(section.number, section.title)
            collected.notes.append(Note.of(template, doc.file, section.line, "info"))
            continue
        fields, loose = _gap_fields(section.blocks, doc.markup, exact)
        gap_id = "gap." + (slug(section.title) or f"section-{section.number}")
        data: dict[str, Any] = {"id": gap_id, "kind": "gap", "title": section.title, "section": section.number}
        data["source"] = "ra2"
        cells: dict[str, str] = {}
        raw: dict[str, str] = {}
        for label, parts in fields.items():
            text = "\n\n".join(p.strip() for p in parts if p.strip())
            key = GAP_FIELDS.get(label, slug(label))
            raw[key] = text
            if key == "related":
                related = ids_in(text)
                if related:
                    data["related"] = related
                if not related or plain_text(text).rstrip(".") != ", ".join(related):
                    cells["related"] = text
            elif key == "baseline" and text:
                data["baseline"] = text
            elif key == "description" and text:
                data["description"] = text
            elif text:
                cells[key] = text
        if not fields:
            text = "\n\n".join(p.strip() for p in loose if p.strip())
            if text:
                data["description"] = text
            without = ra110.gap_without_fields(section.number, section.title)
            collected.notes.append(Note.of(without, doc.file, section.line, "info"))
        if cells:
            data["cells"] = cells
        entry = Entry(gap_id, "gap", data, doc.file, section.line, "ra2", role="gap", raw=raw)
        collected.entries.append(entry)
