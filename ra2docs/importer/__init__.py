"""``ra2docs import``: upstream spec chapters (Markdown or RST) into catalogue YAML.

Reads RA2 chapters 2, 4 and 6 and Reference Model chapters (4, 5, 7): their
tables and the gap sections of chapter 6. Keeps upstream wording. An ID met
in several documents (the RM defines it, RA2 lists it) becomes one item whose
facts are merged; an ID defined twice in the same place stays twice, for
``ra2docs check`` to report. Nothing is dropped silently: whatever cannot be
mapped is in the report.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ra2docs.importer.mapper import Collected, Entry, Note, map_gaps, map_table
from ra2docs.importer.tables import markdown_tables, rst_headings, rst_tables, split_heading
from ra2docs.model import natural_key

SCHEMA_COMMENT = "# yaml-language-server: $schema={schema}"
DEFINING_ROLES = {"ra2-specification", "ra2-requirement", "ra2-listing", "rm-definition", "gap"}
NARRATIVE = ("title", "description", "statement", "details")


@dataclass
class ImportResult:
    files: dict[str, dict[str, Any]] = field(default_factory=dict)  # output name -> YAML data
    origins: dict[str, list[str]] = field(default_factory=dict)  # output name -> origin comment per item
    notes: list[Note] = field(default_factory=list)
    collected: Collected = field(default_factory=Collected)
    read: list[str] = field(default_factory=list)
    unreadable: bool = False

    @property
    def item_count(self) -> int:
        return sum(len(f.get("items", [])) for f in self.files.values())


def _document(path: Path) -> str:
    """'rm' for Reference Model chapters, else 'ra2'."""
    parts = {p.lower() for p in path.parts}
    return "rm" if parts & {"rm", "ref_model", "reference-model"} else "ra2"


def _chapter(path: Path) -> str:
    match = re.search(r"chapter0*(\d+)", path.stem)
    return match.group(1) if match else ""


def _numbered_rst(text: str, chapter: str) -> tuple[str, list[tuple[int, str, str]]]:
    """RST headings get the numbers Sphinx would give them (chapter.section...)."""
    lines = text.splitlines()
    counters: list[int] = []
    numbered: list[tuple[int, str, str]] = []
    for heading in rst_headings(lines):
        depth = heading.level - 1  # level 1 is the chapter title
        if depth == 0:
            numbered.append((heading.line, chapter, heading.title))
            continue
        counters = counters[:depth] + [0] * max(0, depth - len(counters))
        counters[depth - 1] += 1
        number = ".".join([chapter, *map(str, counters[:depth])]) if chapter else ""
        numbered.append((heading.line, number, heading.title))
    return text, numbered


def _md_headings(text: str) -> list[tuple[int, str, str]]:
    found = []
    for index, line in enumerate(text.splitlines(), start=1):
        match = re.match(r"^(#{1,6})\s+(.*?)\s*$", line)
        if match:
            number, title = split_heading(match.group(2))
            found.append((index, number, title))
    return found


def _gap_headings(headings: list[tuple[int, str, str]]) -> list[tuple[int, str, str]]:
    """Sub-sections of the 'Gap analysis' section (6.2.x)."""
    parent = next((h for h in headings if h[2].lower().startswith("gap analysis")), None)
    if parent is None:
        return []
    prefix = parent[1] + "." if parent[1] else None
    inside = [h for h in headings if h[0] > parent[0]]
    result = []
    for heading in inside:
        if prefix is not None and not heading[1].startswith(prefix):
            break
        result.append(heading)
    return result


def source_files(root: Path, fmt: str) -> list[Path]:
    suffixes = {"md": (".md",), "rst": (".rst",), "auto": (".md", ".rst")}[fmt]
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        found.extend(Path(dirpath) / f for f in sorted(filenames) if f.endswith(suffixes))
    return found


def collect(root: Path, fmt: str = "auto", base: Path | None = None) -> ImportResult:
    result = ImportResult()
    collected = result.collected
    base = base or Path.cwd()
    paths = source_files(root, fmt)
    # Reference Model first: its definitions are the items; RA2 lists them.
    paths.sort(key=lambda p: (_document(p) != "rm", str(p)))
    for path in paths:
        display = os.path.relpath(path, base)
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            collected.notes.append(
                Note(display, 1, f"not UTF-8 (byte at offset {exc.start}); file skipped, save it as UTF-8", "error")
            )
            result.unreadable = True
            continue
        except OSError as exc:
            collected.notes.append(Note(display, 1, f"cannot read: {exc.strerror}", "error"))
            result.unreadable = True
            continue
        result.read.append(display)
        document = _document(path)
        source = f"{document}-{root.name}" if root.name else document
        before = len(collected.entries)
        if path.suffix == ".rst":
            _, headings = _numbered_rst(text, _chapter(path))
            tables = rst_tables(text, display)
            for table in tables:
                heading = next((h for h in reversed(headings) if h[0] < table.line), None)
                if heading:
                    table.section, table.section_title = heading[1], heading[2]
        else:
            headings = _md_headings(text)
            tables = markdown_tables(text, display)
        for table in tables:
            map_table(table, source, document == "ra2", collected)
        if document == "ra2":
            map_gaps(text, display, source, _gap_headings(headings), collected, headings)
        if len(collected.entries) == before:
            collected.notes.append(Note(display, 1, "no catalogue tables or gaps found in this file", "info"))
    return result


def _norm_value(value: str) -> str:
    text = value.strip().lower()
    if text.startswith("must") or text in ("y", "yes"):
        return "yes"
    if text.startswith("not required") or text in ("n", "no"):
        return "no"
    if text.startswith("optional") or "if offered" in text or text in ("yes/no", "yes / no"):
        return "optional"
    return re.sub(r"\s+", "", text)


def _merge(prev: Entry, new: Entry, notes: list[Note]) -> None:
    for key, value in new.data.items():
        if key in ("id", "kind", "source"):
            continue
        if key not in prev.data:
            prev.data[key] = value
            continue
        old = prev.data[key]
        if old == value:
            continue
        if key == "values":
            merged = dict(old)
            differ = [p for p in value if p in old and _norm_value(old[p]) != _norm_value(value[p])]
            merged.update(value if new.ra2 else {p: v for p, v in value.items() if p not in old})
            if differ:
                kept = "RA2's" if new.ra2 else "the first"
                notes.append(
                    Note(
                        new.file,
                        new.line,
                        f"{new.id}: profile values differ from {prev.file}:{prev.line} "
                        + "; ".join(f"{p}: {old[p]!r} there, {value[p]!r} here" for p in differ)
                        + f"; kept {kept}",
                        "info",
                    )
                )
            prev.data["values"] = merged
        elif key == "traces":
            prev.data[key] = list(dict.fromkeys([*old, *value]))
        elif key == "notes":
            prev.data[key] = f"{old} {value}"
        elif key in NARRATIVE:
            if not any(str(value) == str(v) for v in prev.data.values()):
                extra = f"Also described in {new.file} as: {value}"
                prev.data["notes"] = f"{prev.data['notes']} {extra}" if "notes" in prev.data else extra
        elif key == "section" and new.ra2 and not prev.ra2:
            prev.data[key] = value
    prev.ra2 = prev.ra2 or new.ra2
    if prev.listed_at is None and new.listed_at is not None:
        prev.listed_at = new.listed_at


def reconcile(result: ImportResult) -> list[Entry]:
    """Merge repeated IDs across documents and put chapter 2's citations on the specifications."""
    collected = result.collected
    merged: list[Entry] = []
    first: dict[str, Entry] = {}
    for entry in collected.entries:
        if not entry.id:
            merged.append(entry)
            continue
        prev = first.get(entry.id)
        if prev is None:
            first[entry.id] = entry
            merged.append(entry)
        elif (
            entry.role == prev.role
            and entry.file == prev.file
            and entry.role in DEFINING_ROLES
            and any(entry.data.get(k) != prev.data.get(k) for k in NARRATIVE)
        ):
            merged.append(entry)  # a real duplicate: both kept, check reports RA301
            collected.notes.append(
                Note(entry.file, entry.line, f"ID {entry.id!r} also defined at line {prev.line}; both imported", "info")
            )
        else:
            _merge(prev, entry, collected.notes)
    specs = {e.id: e for e in merged if e.kind == "specification" and e.id}
    cited: set[tuple[str, str]] = set()
    for citation in collected.citations:
        cited.add((citation.requirement, citation.specification))
        spec = specs.get(citation.specification)
        if spec is None:
            collected.notes.append(
                Note(
                    citation.file,
                    citation.line,
                    f"{citation.requirement or 'row'} cites specification {citation.specification!r}, "
                    "which no table defines; kept in its notes",
                    rule="RA401",
                )
            )
            owner = first.get(citation.requirement)
            if owner is not None:
                text = f"Specification reference upstream: {citation.specification}."
                owner.data["notes"] = f"{owner.data['notes']} {text}" if "notes" in owner.data else text
            continue
        traces = spec.data.setdefault("traces", [])
        if citation.requirement and citation.requirement not in traces:
            traces.append(citation.requirement)
            collected.notes.append(
                Note(
                    citation.file,
                    citation.line,
                    f"asymmetric upstream link: {citation.requirement} cites {spec.id}, but the Requirement Trace of "
                    f"{spec.id} ({spec.file}:{spec.line}) does not list it; added to its traces",
                    rule="RA404",
                )
            )
    if collected.cited_columns:
        for spec in specs.values():
            for target in spec.data.get("traces", []):
                owner = first.get(target)
                if owner is not None and owner.file in collected.cited_columns and (target, spec.id) not in cited:
                    collected.notes.append(
                        Note(
                            spec.file,
                            spec.line,
                            f"asymmetric upstream link: {spec.id} traces {target}, but the Specification Reference "
                            f"of {target} ({owner.file}:{owner.line}) does not cite it",
                            rule="RA404",
                        )
                    )
    return merged


def build(root: Path, fmt: str = "auto", base: Path | None = None, schema: str = "") -> ImportResult:
    result = collect(root, fmt, base)
    entries = reconcile(result)
    result.notes = result.collected.notes
    placed = sorted(entries, key=lambda e: e.listed_at or (e.file, e.line))
    for entry in placed:
        where_file, where_line = entry.listed_at or (entry.file, entry.line)
        name = f"{_document(Path(where_file))}-{Path(where_file).stem}.yaml"
        file_data = result.files.setdefault(name, {"title": f"Imported from {where_file}", "items": []})
        file_data["items"].append(entry.data)
        origin = f"{where_file}:{where_line}"
        if (entry.file, entry.line) != (where_file, where_line):
            origin += f" (defined at {entry.file}:{entry.line})"
        result.origins.setdefault(name, []).append(origin)
    profiles = [{"id": pid, "title": title} for pid, title in result.collected.profiles.items()]
    sources = sorted({str(e.data.get("source")) for e in entries if e.data.get("source")})
    result.files["profiles.yaml"] = {
        "title": "Profiles and sources found by the importer",
        "profiles": profiles,
        "sources": [{"id": s, "title": f"Imported from {root.name}/{s.split('-')[0]}"} for s in sources],
    }
    result.origins["profiles.yaml"] = []
    if result.collected.sections:
        result.files["sections.yaml"] = {
            "title": "Sections of the RA2 chapters that hold the imported tables",
            "sections": sorted(result.collected.sections.values(), key=lambda s: natural_key(s["id"])),
        }
        result.origins["sections.yaml"] = []
    return result


def dump(data: dict[str, Any], origins: list[str], schema: str) -> str:
    """YAML text of one catalogue file: the schema line, then each item with its origin."""
    out = [SCHEMA_COMMENT.format(schema=schema)] if schema else []
    for key, value in data.items():
        if key != "items":
            out.append(yaml.safe_dump({key: value}, sort_keys=False, allow_unicode=True, width=100).rstrip())
    if "items" in data:
        out.append("items:")
        for item, origin in zip(data["items"], origins, strict=False):
            out.append(f"  # {origin}")
            text = yaml.safe_dump([item], sort_keys=False, allow_unicode=True, width=100)
            out.extend("  " + line if line else line for line in text.rstrip().splitlines())
    return "\n".join(out) + "\n"


def write(result: ImportResult, out_dir: Path, schema: str) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in sorted(result.files.items()):
        path = out_dir / name
        path.write_text(dump(data, result.origins[name], schema), encoding="utf-8")
        written.append(path)
    return written
