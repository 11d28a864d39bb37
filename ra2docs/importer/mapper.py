"""Map upstream tables and gap sections to catalogue entries, with a report.

Columns are recognised by their headers (Markdown of 2020 and today's RST
use slightly different words); the kind of each row follows from its ID.
Everything that cannot be mapped is reported as ``file:line: why``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ra2docs.importer.clean import clean, ids_in, priority_of
from ra2docs.importer.tables import Table

ID_HEADERS = {"ref", "ref #", "reference", ".conf", "ref#"}
TITLE_HEADERS = {
    "specification",
    "feature",
    "cloud infrastructure capability",
    "cloud infrastructure measurement",
    "cloud infrastructure management capability",
    "cloud infrastructure management measurement",
    "platform service category",
}
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
# Cell text that is an editor's remark, not content: kept as a note.
EDITORIAL = re.compile(r"^(editor'?s? note|note|todo|tbd|tbc|place ?holder)\b\s*:?\s*", re.I)
NOTE_HEADERS = {"notes", "reference implementation trace", "rm reference"}
NOT_APPLICABLE = {"", "n/a", "na", "-", "none", "tbc", "tbd"}


@dataclass
class Note:
    """A line of the import report."""

    file: str
    line: int
    message: str
    level: str = "warning"  # warning: input not fully mapped; info: for the record
    rule: str = ""

    def format(self) -> str:
        rule = f" [{self.rule}]" if self.rule else ""
        return f"{self.file}:{self.line}: {self.level}: {self.message}{rule}"


@dataclass
class Entry:
    """One imported item (an ID may have several entries: a real duplicate)."""

    id: str
    kind: str
    data: dict[str, Any]
    file: str
    line: int
    role: str
    ra2: bool  # listed by an RA2 chapter (decides which output file holds it)
    listed_at: tuple[str, int] | None = None  # where RA2 lists it: the item's place in the output

    def __post_init__(self) -> None:
        if self.ra2 and self.listed_at is None:
            self.listed_at = (self.file, self.line)


@dataclass
class Citation:
    """A chapter 2 'Specification Reference': requirement -> specification."""

    requirement: str
    specification: str
    file: str
    line: int


@dataclass
class FileStats:
    rows: int = 0
    items: int = 0
    links: int = 0
    tables: int = 0


@dataclass
class Collected:
    entries: list[Entry] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    stats: dict[str, FileStats] = field(default_factory=dict)
    profiles: dict[str, str] = field(default_factory=dict)  # id -> title
    cited_columns: set[str] = field(default_factory=set)  # files whose ch2 column holds IDs
    sections: dict[str, dict[str, str]] = field(default_factory=dict)  # RA2 section number -> title, caption


def kind_for(item_id: str, headers: set[str]) -> str:
    if item_id.startswith("ra2."):
        return "specification"
    if item_id.startswith(("req.sec.", "sec.")):
        return "rm-requirement"
    if "category" in headers or item_id.startswith("req."):
        return "ra-requirement"
    if re.match(r"^[ei]\.", item_id) or re.match(r"^n+\d+$", item_id):
        return "rm-capability"
    if "requirement trace" in headers:
        return "specification"
    return "rm-requirement"


def _profile_of(header: str) -> tuple[str, str] | None:
    text = header.lower()
    match = re.match(r"^requirement for (.+?) profile$", text)
    key = match.group(1).strip() if match else text
    if key in PROFILE_HEADERS:
        pid = PROFILE_HEADERS[key]
        return pid, PROFILE_TITLES[pid]
    return None


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@dataclass
class _Columns:
    id: int = -1
    title: int = -1
    text: int = -1
    unit: int = -1
    category: int = -1
    subcategory: int = -1
    specref: int = -1
    trace: int = -1
    rm_section: int = -1
    common: int = -1
    values: dict[int, str] = field(default_factory=dict)
    notes: dict[int, str] = field(default_factory=dict)
    unmapped: list[str] = field(default_factory=list)


def _columns(headers: list[str], collected: Collected) -> _Columns:
    cols = _Columns()
    names = [clean(h).lower().strip() for h in headers]
    has_text = any(n in TEXT_HEADERS for n in names)
    for index, name in enumerate(names):
        profile = _profile_of(name)
        if name in ID_HEADERS and cols.id < 0:
            cols.id = index
        elif name in TITLE_HEADERS and cols.title < 0:
            cols.title = index
        elif name in TEXT_HEADERS and cols.text < 0:
            cols.text = index
        elif name in TEXT_HEADERS:
            cols.notes[index] = headers[index]
        elif name == "requirement" and cols.text < 0:
            cols.text = index
        elif name == COMMON_VALUE:
            if has_text:
                cols.common = index
            else:
                cols.text = index
        elif profile:
            cols.values[index] = profile[0]
            collected.profiles.setdefault(*profile)
        elif name in ("unit", "type"):
            cols.unit = index
        elif name == "category":
            cols.category = index
        elif name in ("sub-category", "subcategory"):
            cols.subcategory = index
        elif name == "specification reference":
            cols.specref = index
        elif name == "requirement trace":
            cols.trace = index
        elif name == "reference model section":
            cols.rm_section = index
        elif name in NOTE_HEADERS:
            cols.notes[index] = headers[index]
        else:
            cols.unmapped.append(clean(headers[index]) or f"column {index + 1}")
    return cols


def _cell(cells: list[str], index: int) -> str:
    return cells[index] if 0 <= index < len(cells) else ""


def map_table(table: Table, source: str, ra2: bool, collected: Collected) -> None:
    stats = collected.stats.setdefault(table.file, FileStats())
    if table.in_comment:
        collected.notes.append(Note(table.file, table.line, "table inside an HTML comment: skipped", "info"))
        return
    cols = _columns(table.headers, collected)
    names = {clean(h).lower() for h in table.headers}
    if cols.id < 0:
        collected.notes.append(
            Note(
                table.file,
                table.line,
                f"table {table.caption or table.section_title!r} has no ID column "
                f"(headers: {', '.join(clean(h) for h in table.headers)}): not a catalogue table, skipped",
                "info",
            )
        )
        return
    first_cells = [clean(_cell(r.cells, cols.id)) for r in table.rows]
    if first_cells and all(c.startswith(".") or not c for c in first_cells):
        collected.notes.append(
            Note(
                table.file,
                table.line,
                f"table {table.caption or table.section_title!r} lists configurations "
                f"({', '.join(c for c in first_cells[:3] if c)}, ...), not catalogue items: skipped",
                "info",
            )
        )
        return
    if cols.unmapped and (cols.title >= 0 or cols.text >= 0 or cols.values):
        collected.notes.append(
            Note(table.file, table.line, f"columns not mapped, kept in notes: {', '.join(cols.unmapped)}", "info")
        )
    elif cols.unmapped:
        collected.notes.append(
            Note(
                table.file,
                table.line,
                f"table {table.caption or table.section_title!r}: columns {', '.join(cols.unmapped)} "
                "not recognised; not imported",
                "warning",
            )
        )
        return
    stats.tables += 1
    if ra2 and table.section and table.section not in collected.sections:
        entry = {"id": table.section, "title": table.section_title}
        if table.caption:
            entry["caption"] = table.caption
        collected.sections[table.section] = entry
    width = len(table.headers)
    for row in table.rows:
        stats.rows += 1
        cells = row.cells
        extra_notes: list[str] = []
        if len(cells) < width:
            collected.notes.append(
                Note(
                    table.file,
                    row.line,
                    f"row has {len(cells)} cells, the header has {width}; missing cells left empty",
                )
            )
        elif len(cells) > width:
            extra = [clean(c) for c in cells[width:] if clean(c)]
            if extra:
                extra_notes.extend(extra)
                collected.notes.append(
                    Note(
                        table.file,
                        row.line,
                        f"row has {len(cells)} cells, the header has {width}; extra text kept in notes",
                    )
                )
        raw_id = _cell(cells, cols.id)
        id_text = clean(raw_id)
        if re.fullmatch(r"\*+.*\*+", raw_id.strip()) and id_text:
            extra_notes.append("Shown in italics upstream.")
        labelled = re.match(r"^(\S+)\s*\((.+)\)$", id_text)
        if labelled and "." in labelled.group(1) and cols.title < 0:
            # RM 4.2.5 writes '`e.cap.001`<br />(#vCPU cores)': the ID, then its label.
            id_text = labelled.group(1)
            extra_notes.append(f"Labelled upstream as: {labelled.group(2)}.")
        if id_text.endswith("*"):
            id_text = id_text.rstrip("*").strip()
            extra_notes.append("Marked with * upstream (see the table's footnote).")
        ids = [i.strip() for i in id_text.split(",")] if "," in id_text else [id_text]
        for position, item_id in enumerate(ids):
            row_cells = cells
            if len(ids) > 1 and cols.text >= 0:
                # 'n25, n50, n75' with '25, 50, 75 Gbps': give each ID its own part.
                parts = [p.strip() for p in clean(_cell(cells, cols.text)).split(",")]
                if len(parts) == len(ids):
                    unit = parts[-1].split()[-1] if " " in parts[-1] else ""
                    part = parts[position].split()[0] if parts[position] else ""
                    row_cells = list(cells)
                    row_cells[cols.text] = f"{part} {unit}".strip()
            _map_row(table, row.line, row_cells, cols, names, item_id, source, ra2, collected, extra_notes)


def _map_row(
    table: Table,
    line: int,
    cells: list[str],
    cols: _Columns,
    names: set[str],
    item_id: str,
    source: str,
    ra2: bool,
    collected: Collected,
    extra_notes: list[str],
) -> None:
    stats = collected.stats[table.file]
    kind = kind_for(item_id, names) if item_id else kind_for("", names)
    data: dict[str, Any] = {}
    if item_id:
        data["id"] = item_id
    data["kind"] = kind
    section = table.section
    if ra2 and section:
        data["section"] = section
    elif section:
        data["rm-section"] = section
    if cols.rm_section >= 0 and clean(_cell(cells, cols.rm_section)):
        data["rm-section"] = clean(_cell(cells, cols.rm_section))
    data["source"] = source
    title = clean(_cell(cells, cols.title)) if cols.title >= 0 else ""
    text = clean(_cell(cells, cols.text)) if cols.text >= 0 else ""
    notes = list(extra_notes)
    for label in ("title", "text"):
        value = title if label == "title" else text
        if value and EDITORIAL.match(value):
            notes.append(value)
            if label == "title":
                title = ""
            else:
                text = ""
    if title:
        data["title"] = title
    if text:
        field_name = {"ra-requirement": "statement", "specification": "details"}.get(kind, "description")
        data[field_name] = text
        # Only requirements stated as sentences carry an RFC 2119 priority.
        if kind == "ra-requirement" or item_id.startswith(("sec.", "req.sec.")):
            priority = priority_of(_cell(cells, cols.text))
            if priority:
                data["priority"] = priority
    if kind == "specification" and table.section_title:
        data["component"] = table.section_title
    if cols.unit >= 0 and clean(_cell(cells, cols.unit)) and kind.startswith("rm-"):
        data["unit"] = clean(_cell(cells, cols.unit))
    if cols.category >= 0 and clean(_cell(cells, cols.category)):
        data["category"] = clean(_cell(cells, cols.category))
    if cols.subcategory >= 0 and clean(_cell(cells, cols.subcategory)):
        data["subcategory"] = clean(_cell(cells, cols.subcategory))
    values: dict[str, str] = {}
    for index, profile in cols.values.items():
        value = clean(_cell(cells, index))
        if value:
            values[profile] = value
    if cols.common >= 0 and clean(_cell(cells, cols.common)):
        common = clean(_cell(cells, cols.common))
        for profile in collected.profiles or {"basic": "Basic", "network-intensive": "Network Intensive"}:
            values.setdefault(profile, common)
        collected.profiles.setdefault("basic", "Basic")
    if values and kind.startswith("rm-"):
        data["values"] = values
    for index, header in cols.notes.items():
        value = clean(_cell(cells, index))
        if value and value.lower() not in NOT_APPLICABLE:
            notes.append(f"{clean(header)}: {value}")
    for header in cols.unmapped:
        index = [clean(h) or f"column {i + 1}" for i, h in enumerate(table.headers)].index(header)
        value = clean(_cell(cells, index))
        if value:
            notes.append(f"{header}: {value}")
    if cols.trace >= 0:
        trace_cell = _cell(cells, cols.trace)
        traces = [t for t in ids_in(trace_cell) if t != item_id]
        if traces:
            data["traces"] = traces
            stats.links += len(traces)
        leftover = clean(trace_cell)
        for t in traces:
            leftover = leftover.replace(t, "")
        leftover = re.sub(r"\b(in|and|e\.g\.?|various)\b", " ", leftover, flags=re.I).strip(" ,.;:")
        unresolved = leftover and not traces and leftover.lower() not in NOT_APPLICABLE
        if unresolved or clean(trace_cell).lower() in ("tbc", "tbd"):
            notes.append(f"Requirement trace upstream: {clean(trace_cell)}")
    if cols.specref >= 0:
        ref_cell = _cell(cells, cols.specref)
        refs = [r for r in ids_in(ref_cell) if r.startswith("ra2.")]
        for ref in refs:
            collected.citations.append(Citation(item_id, ref, table.file, line))
            collected.cited_columns.add(table.file)
        if not refs and clean(ref_cell).lower() not in NOT_APPLICABLE:
            notes.append(f"Specification reference upstream: {clean(ref_cell)}")
    if notes:
        data["notes"] = " ".join(n if n.endswith(".") else n + "." for n in notes)
    role = {
        "specification": "ra2-specification",
        "ra-requirement": "ra2-requirement",
    }.get(kind, "ra2-listing" if ra2 else ("rm-values" if cols.values or cols.common >= 0 else "rm-definition"))
    collected.entries.append(Entry(item_id, kind, data, table.file, line, role, ra2))
    stats.items += 1
    if not item_id:
        collected.notes.append(
            Note(table.file, line, "row without an ID: imported without 'id' (check reports it as RA302)", rule="RA302")
        )


_GAP_FIELD = re.compile(r"^\s*>?\s*\*\*(Related requirements|Baseline project|Gap description):?\*\*:?\s*(.*)$", re.I)


def map_gaps(
    text: str,
    file: str,
    source: str,
    headings: list[tuple[int, str, str]],
    collected: Collected,
    every_heading: list[tuple[int, str, str]] | None = None,
) -> None:
    """Chapter 6 gaps: each heading with 'Related requirements' / 'Baseline project' / 'Gap description'.

    ``headings`` are (line, number, title) of the gap sections, in order; a
    gap's text ends at the next heading of any level (``every_heading``).
    """
    lines = text.splitlines()
    stats = collected.stats.setdefault(file, FileStats())
    starts = sorted(h[0] for h in (every_heading or headings))
    for line, number, title in headings:
        end = next((s for s in starts if s > line), len(lines) + 1)
        body = lines[line : end - 1]
        fields: dict[str, list[str]] = {}
        current = ""
        for raw in body:
            match = _GAP_FIELD.match(raw)
            if match:
                current = match.group(1).lower()
                fields[current] = [match.group(2)]
            elif current and raw.strip():
                fields[current].append(raw.lstrip("> ").strip())
            elif not raw.strip() and current == "gap description":
                fields[current].append("")
        if "template" in title.lower():
            collected.notes.append(Note(file, line, f"gap {number} {title!r} is the template: skipped", "info"))
            continue
        stats.rows += 1
        gap_id = "gap." + _slug(title)
        data: dict[str, Any] = {"id": gap_id, "kind": "gap", "title": title}
        if number:
            data["section"] = number
        data["source"] = source
        baseline = clean(" ".join(fields.get("baseline project", [])))
        if baseline:
            data["baseline"] = baseline
        description = " ".join(clean(p) for p in fields.get("gap description", []) if p.strip()).strip()
        if not fields:
            # A gap named but not yet written up: keep its text, say so.
            description = " ".join(clean(b.lstrip("> ")) for b in body if b.strip() and not b.startswith("<a "))
            collected.notes.append(
                Note(
                    file,
                    line,
                    f"gap {number} {title!r} has no 'Related requirements' / 'Baseline project' / "
                    "'Gap description' fields; imported with its text",
                    "info",
                )
            )
        if description:
            data["description"] = description
        related_text = " ".join(fields.get("related requirements", []))
        related = ids_in(related_text)
        if related:
            data["related"] = related
            stats.links += len(related)
        elif clean(related_text).strip(" .").lower() not in NOT_APPLICABLE:
            data["notes"] = f"Related requirements upstream: {clean(related_text)}"
            collected.notes.append(
                Note(
                    file,
                    line,
                    f"gap {number}: related requirements are not given as IDs ({clean(related_text)!r}); kept in notes",
                )
            )
        collected.entries.append(Entry(gap_id, "gap", data, file, line, "gap", True))
        stats.items += 1
