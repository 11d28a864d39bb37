"""``ra2docs import``: upstream spec chapters (Markdown or reStructuredText) into catalogue YAML.

Reads every table whose first or second column holds IDs (RA2 chapters 1-4,
Reference Model chapters 4, 5, 7: every form they have taken since 2019),
comparison tables, and gap sections (chapter 6 of 2020, chapter 7 today), with
the chapters' own parsers (``ra2docs.documents``). Upstream wording is kept as
reStructuredText. An ID met in several places becomes one item: the Reference
Model's definition, RA2's listing (RA2's wording wins), and further tables
that list it again (``listings``). An ID written twice in one table stays
twice, for ``ra2docs check`` to report. Whatever cannot be mapped is in the
report; nothing is dropped silently.

What a table's column shows for an item is kept exactly: where a column's
text is not what the item's fields would show (upstream's own wording of a
Requirement Trace, a column no field holds), the item's ``cells`` keep it.
The same sources give the same bytes wherever they are and whatever their
folder is called.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ra2docs.cells import derived_ids, named_ids
from ra2docs.documents.document import Document
from ra2docs.documents.markdown import read_markdown
from ra2docs.documents.rst import read_rst
from ra2docs.graph import TraceGraph
from ra2docs.importer.ids import ids_in
from ra2docs.importer.mapper import (
    Collected,
    Entry,
    Note,
    TableMapper,
    catalogue_rst,
    map_comparison,
    map_gaps,
)
from ra2docs.importer.rc2 import Rc2Import, is_rc2, map_rc2
from ra2docs.kinds import builtin_kinds
from ra2docs.markup import plain_text
from ra2docs.model import Catalogue, Item, Link, Profile, natural_key
from ra2docs.outputs import write_file_no_follow
from ra2docs.rules import ra109_unreadable_source as ra109
from ra2docs.rules import ra110_upstream_read_as as ra110
from ra2docs.rules import ra301_duplicate_id as ra301
from ra2docs.rules import ra401_dangling_link as ra401
from ra2docs.rules import ra404_asymmetric_link as ra404
from ra2docs.views.items import Listed, column_cell
from ra2docs.views.table import Cell, PartKind

SCHEMA_COMMENT = "# yaml-language-server: $schema={schema}"
SCHEMA_FILE = "catalogue.schema.json"  # written beside the catalogue: editors find it wherever the folder goes
MAX_SOURCE_BYTES = 8 * 1024 * 1024  # a spec chapter is a few hundred KB; anything larger is not one
RM_FOLDERS = {"rm", "ref_model", "reference-model", "reference_model"}
DERIVED_KEYS = {"id", "traces", "specified-by", "related", "verifies", "refines"}
NARRATIVE = ("title", "description", "statement", "details")


@dataclass
class TableRow:
    """Where a row of an upstream table went: an item, or one of its listings."""

    item: str
    listing: int = -1  # index into the item's listings, -1 for the item's own row


@dataclass
class ImportResult:
    files: dict[str, dict[str, Any]] = field(default_factory=dict)  # output name -> YAML data
    origins: dict[str, list[str]] = field(default_factory=dict)  # output name -> origin comment per item
    # where upstream's own tables disagree (a cell names fewer links than another table gives): kept, listed
    disagreements: list[str] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    collected: Collected = field(default_factory=Collected)
    documents: list[Document] = field(default_factory=list)
    read: list[str] = field(default_factory=list)
    unreadable: bool = False
    rows: dict[int, list[TableRow | None]] = field(default_factory=dict)  # mapped table index -> its rows
    catalogue: Catalogue | None = None
    rc2: Rc2Import = field(default_factory=Rc2Import)  # RC2's traceability: tests and row outcomes
    exact: bool = False  # adoption's import: cells kept wherever their markup differs (see build)

    @property
    def item_count(self) -> int:
        return sum(len(f.get("items", [])) for f in self.files.values())


def document_of(relative: Path) -> str:
    """'rm' for Reference Model chapters (a folder named rm, ref_model, ...), else 'ra2'."""
    return "rm" if {p.lower() for p in relative.parts[:-1]} & RM_FOLDERS else "ra2"


def source_files(root: Path, fmt: str) -> list[Path]:
    """Spec chapters under ``root``, in a stable order; links leading out of the tree are not followed."""
    suffixes = {"md": (".md",), "rst": (".rst",), "auto": (".md", ".rst")}[fmt]
    if root.is_file():
        return [root] if root.suffix in suffixes else []
    base = root.resolve()
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and not (Path(dirpath) / d).is_symlink())
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if name.endswith(suffixes) and path.resolve().is_relative_to(base):
                found.append(path)
    return found


def _relative(path: Path, root: Path) -> str:
    if root.is_file():
        return path.name
    return path.relative_to(root).as_posix()


def read_document(path: Path, display: str, notes: list[Note]) -> Document | None:
    try:
        size = path.stat().st_size
        if size > MAX_SOURCE_BYTES:
            notes.append(Note.of(ra109.too_large(size, MAX_SOURCE_BYTES), display, 1, "error"))
            return None
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        notes.append(Note.of(ra109.not_utf8(exc.start), display, 1, "error"))
        return None
    except OSError as exc:
        notes.append(Note.of(ra109.cannot_read(str(exc.strerror)), display, 1, "error"))
        return None
    try:
        if path.suffix == ".rst":
            return read_rst(text, display)
        return read_markdown(text, display)
    except (RecursionError, ValueError, IndexError, AttributeError) as exc:  # docutils on malformed input
        notes.append(Note.of(ra109.cannot_parse(exc), display, 1, "error"))
        return None


def collect(root: Path, fmt: str = "auto", files: list[Path] | None = None, exact: bool = False) -> ImportResult:
    result = ImportResult()
    collected = result.collected
    paths = source_files(root, fmt) if files is None else list(files)
    # Reference Model first: its definitions are the items RA2 then lists.
    paths.sort(key=lambda p: (document_of(Path(_relative(p, root))) != "rm", _relative(p, root)))
    for path in paths:
        display = _relative(path, root)
        doc = read_document(path, display, collected.notes)
        if doc is None:
            result.unreadable = True
            continue
        result.read.append(display)
        result.documents.append(doc)
        for line, message in doc.problems:
            collected.notes.append(Note.of(ra110.reader_problem(message), display, line))
        document = document_of(Path(display))
        before = len(collected.entries) + len(collected.comparisons)
        mapper = TableMapper(doc, document, collected, exact)
        rc2 = is_rc2(doc, path.resolve().as_posix())
        rc2_tables = map_rc2(doc, collected, result.rc2) if rc2 else set()  # RC2's tests: never requirements
        for index, table in enumerate(doc.tables):
            if index in rc2_tables or map_comparison(table, doc, collected):
                continue
            mapper.map(table)
        if document == "ra2":
            map_gaps(doc, collected, exact)
        if len(collected.entries) + len(collected.comparisons) == before:
            collected.notes.append(Note.of(ra110.no_catalogue_content(), display, 1, "info"))
    return result


# -- one item per ID ----------------------------------------------------------------------


def _merge_fields(primary: Entry, other: Entry, notes: list[Note]) -> None:
    """Fill what the primary entry lacks from another place that defines the same ID."""
    for key, value in other.data.items():
        if key in ("id", "kind", "source", "section"):
            continue
        if key not in primary.data:
            primary.data[key] = value
            continue
        old = primary.data[key]
        if old == value:
            continue
        if key == "values":
            merged = dict(value)
            merged.update(old)
            differ = [
                p for p in value if p in old and plain_text(str(old[p])).lower() != plain_text(str(value[p])).lower()
            ]
            if differ:
                differences = [f"{p}: {old[p]!r} there, {value[p]!r} here" for p in differ]
                first_at = f"{primary.file}:{primary.line}"
                differing = ra110.profile_values_differ(primary.id, first_at, differences)
                notes.append(Note.of(differing, other.file, other.line, "info"))
            primary.data["values"] = merged
        elif key in ("traces", "related"):
            primary.data[key] = list(dict.fromkeys([*old, *value]))
        elif key == "cells":
            primary.data[key] = {**value, **old}
        elif key in NARRATIVE and other.document != primary.document:
            text = (
                f"Reference Model text: {plain_text(str(value))}" if other.document == "rm" else plain_text(str(value))
            )
            if text not in str(primary.data.get("notes", "")):
                primary.data["notes"] = f"{primary.data['notes']} {text}" if "notes" in primary.data else text


def reconcile(result: ImportResult) -> list[Entry]:
    """One entry per ID (real duplicates within one table excepted), listings for repeated rows."""
    collected = result.collected
    by_id: dict[str, list[Entry]] = {}
    order: list[Entry] = []
    for entry in collected.entries:
        if not entry.id:
            order.append(entry)
            continue
        by_id.setdefault(entry.id, []).append(entry)
    kept: dict[int, Entry] = {}  # id(entry) -> the entry kept for it
    listings: dict[int, tuple[Entry, dict[str, Any]]] = {}  # id(entry) -> (primary, its listing)
    for item_id, entries in by_id.items():
        rows = [e for e in entries if e.role in ("row", "gap")]
        ra2_rows = [e for e in rows if e.document == "ra2"]
        primary = (ra2_rows or rows or entries)[0]
        kept[id(primary)] = primary
        for other in entries:
            if other is primary:
                continue
            if other.role == "member" or primary.role == "member" or other.document != primary.document:
                _merge_fields(primary, other, collected.notes)
                kept[id(other)] = primary
            elif other.table == primary.table and _content(other) == _content(primary):
                kept[id(other)] = primary
                repeated = ra110.row_repeated(item_id, primary.line)
                collected.notes.append(Note.of(repeated, other.file, other.line, "info"))
            else:
                where = other.data.get("section") or other.data.get("rm-section") or ""
                listing: dict[str, Any] = {"section": str(where)}
                primary.data.setdefault("listings", []).append(listing)
                listings[id(other)] = (primary, listing)
                kept[id(other)] = primary
                if other.table == primary.table:
                    twice = ra301.given_to_two_rows(item_id, primary.line)
                    collected.notes.append(Note.of(twice, other.file, other.line))
                elif other.document == "rm" and primary.document == "rm":
                    again = ra110.listed_again(item_id, f"{primary.file}:{primary.line}")
                    collected.notes.append(Note.of(again, other.file, other.line, "info"))
    merged = [e for e in collected.entries if not e.id or kept.get(id(e)) is e]
    _apply_citations(result, {e.id: e for e in merged if e.kind == "specification" and e.id})
    result.catalogue = _catalogue(merged, collected)
    graph = TraceGraph(result.catalogue)
    _keep_upstream_cells(result, graph, kept, listings)
    for entry in merged:
        if "listings" in entry.data and not entry.data["listings"]:
            del entry.data["listings"]
    return merged


def _rows_of_several(result: ImportResult) -> None:
    """A row of several IDs ('n1, n2, n3') is its first item, with ``row-with`` naming the others.

    Each of them is an item of its own (its value, its links); the row shows them
    together, and its ID cell text is kept only where the IDs alone would not give it.
    """
    assert result.catalogue is not None
    catalogue = result.catalogue
    for item in catalogue.items.values():
        cells = item.data.get("cells") or {}
        named = named_ids(str(cells["id"]), catalogue.items) if cells.get("id") else []
        if len(named) > 1 and named[0] == item.id and all(n in catalogue.items for n in named):
            item.data["row-with"] = named[1:]
            if plain_text(cells["id"]).split() == ", ".join(named).split():
                del cells["id"]
            if not cells:
                del item.data["cells"]


def _derive_cells(result: ImportResult) -> list[str]:
    """Cells that only repeat what the links and fields give are dropped: the page derives them.

    A link column's cell that words its IDs as upstream did stays, and
    each link it does not name is listed in ``omitted-links`` (upstream's tables
    disagree there): the returned notes say where, for the maintainer to review.
    """
    assert result.catalogue is not None
    catalogue = result.catalogue
    graph = TraceGraph(catalogue)
    notes: list[str] = []
    for item in catalogue.items.values():
        holders = [(item.data, None), *((listing, listing) for listing in item.data.get("listings") or [])]
        for holder, listing in holders:
            cells = holder.get("cells") or {}
            for key in list(cells):
                text = cells.pop(key)
                derived = column_cell(key, Listed(item, listing, listing is None), graph)
                if same_cell(text, derived, key, exact=result.exact):
                    continue  # the page derives it
                cells[key] = text
                links = derived_ids(key, item, graph)
                if links is None:
                    continue
                left_out = [i for i in links if i not in named_ids(text, {*catalogue.items, *links})]
                if left_out:
                    holder.setdefault("omitted-links", {})[key] = left_out
                    where = f" (listing in {listing.get('section')})" if listing is not None else ""
                    notes.append(
                        f"{item.file}:{item.line}: {item.id}{where}: its {key} cell does not name "
                        f"{', '.join(left_out)}, which the links (another table) give; kept as upstream shows it "
                        f"(omitted-links.{key})"
                    )
            if not cells:
                holder.pop("cells", None)
    return notes


def _content(entry: Entry) -> dict[str, Any]:
    return {k: v for k, v in entry.data.items() if k not in ("id", "source")}


def _apply_citations(result: ImportResult, specs: dict[str, Entry]) -> None:
    """Chapter 2's Specification Reference column: the cited specification traces the requirement."""
    collected = result.collected
    for requirement, spec_id, file, line in collected.citations:
        spec = specs.get(spec_id)
        if spec is None:
            collected.notes.append(Note.of(ra401.cites_undefined_specification(requirement, spec_id), file, line))
            continue
        traces = spec.data.setdefault("traces", [])
        if requirement not in traces:
            traces.append(requirement)
            if spec.raw.get("traces") is not None:
                asymmetric = ra404.asymmetric(requirement, spec_id, f"{spec.file}:{spec.line}")
                collected.notes.append(Note.of(asymmetric, file, line))
        if not traces:
            del spec.data["traces"]
    # The other direction: a Requirement Trace naming a requirement whose Specification Reference does not
    # name the specification. The link stands (chapter 4 wrote it); chapter 2 showed less, and is told so.
    cited = {(requirement, spec_id) for requirement, spec_id, _, _ in collected.citations}
    columns: dict[str, Entry] = {}
    for entry in collected.entries:
        if entry.id and entry.document == "ra2" and "specified-by" in entry.raw:
            columns.setdefault(entry.id, entry)
    for spec in specs.values():
        for target in ids_in(spec.raw.get("traces", "")):
            row = columns.get(target)
            if row is not None and (target, spec.id) not in cited:
                asymmetric = ra404.asymmetric_trace(spec.id, target, f"{row.file}:{row.line}")
                collected.notes.append(Note.of(asymmetric, spec.file, spec.line))


def _catalogue(entries: list[Entry], collected: Collected) -> Catalogue:
    kinds = builtin_kinds()
    cat = Catalogue(root=Path("."), kinds=kinds)
    for entry in entries:
        if not entry.id or entry.id in cat.items or entry.kind not in kinds:
            continue
        cat.items[entry.id] = Item(entry.id, entry.kind, entry.data, entry.file, entry.line)
        for name in kinds[entry.kind].links:
            for target in entry.data.get(name, []):
                cat.links.append(Link(entry.id, name, target, entry.file, entry.line, 0))
    for pid, title in collected.profiles.items():
        cat.profiles[pid] = Profile(pid, title)
    return cat


def shown(cell: Cell) -> str:
    """What a view cell would show, as reStructuredText-ish text to compare with upstream's cell."""
    out = []
    for part in cell:
        out.append(f"**{part.value}**" if part.kind is PartKind.BOLD else part.value)
    return "".join(out)


def same_cell(upstream: str, cell: Cell, key: str, exact: bool, carried: Iterable[str] = ()) -> bool:
    """Whether rendering ``cell`` shows what upstream's cell shows.

    ``carried``: IDs the item's own links hold for this column (shown or not:
    a link to an unknown ID is the checker's to report, not the view's to show).
    """
    rendered = shown(cell)
    if "\n".join(line.rstrip() for line in upstream.strip().splitlines()) == rendered.strip():
        return True
    if exact and not (key in DERIVED_KEYS and cell and all(p.kind in (PartKind.REF, PartKind.TEXT) for p in cell)):
        return False
    if key in DERIVED_KEYS:
        # A link column shows the IDs; upstream's plain text must be exactly those IDs, in order.
        if plain_text(upstream) == plain_text(rendered) and (not exact or upstream.strip() == rendered.strip()):
            return True
        # Outside adoption, a cell that is only IDs (or empty) is carried by the links when they hold every ID
        # it names. What the column shows also depends on other rows (a Requirement Trace of chapter 4 feeds
        # chapter 2's Specification Reference): keeping such a cell would make an item change when only another
        # row did (2021-11, where renaming chapter 2's IDs left chapter 4's traces dangling). What upstream's
        # column showed less than the links is reported at import (asymmetric-upstream-link, both directions).
        return not exact and only_ids(upstream) and set(ids_in(upstream)) <= {*ids_in(rendered), *carried}
    return not exact and plain_text(upstream) == plain_text(rendered)


def only_ids(text: str) -> bool:
    """Whether a cell names IDs and nothing else ('ra2.ch.004, ra2.ch.005', 'a and b', ''): no wording of its own."""
    rest = plain_text(text)
    for item_id in sorted(ids_in(text), key=len, reverse=True):
        rest = rest.replace(item_id, " ")
    return re.fullmatch(r"(?:[\s,;/&]|\band\b)*", rest) is not None


def _keep_upstream_cells(
    result: ImportResult,
    graph: TraceGraph,
    kept: dict[int, Entry],
    listings: dict[int, tuple[Entry, dict[str, Any]]],
) -> None:
    """Where a column would not show upstream's text, the item (or listing) keeps that text in ``cells``."""
    exact = result.exact
    cat = result.catalogue
    assert cat is not None
    for index, mapped in enumerate(result.collected.tables):
        rows: list[TableRow | None] = []
        for mapped_row in mapped.rows:
            entry = mapped_row.entry
            if entry is None or not entry.id:
                rows.append(None)
                continue
            if id(entry) in listings:
                primary, listing = listings[id(entry)]
                item = cat.items.get(primary.id)
                if item is None:
                    rows.append(None)
                    continue
                listed = Listed(item, listing)
                target: dict[str, Any] = listing
                position = item.data["listings"].index(listing)
            else:
                owner = kept.get(id(entry))
                item = cat.items.get(entry.id)
                if owner is not entry or item is None or item.data is not entry.data:
                    rows.append(None)  # a duplicate: it has no item of its own
                    continue
                listed = Listed(item, None, True)
                target = entry.data
                position = -1
            for key, upstream in mapped_row.raw.items():
                if not upstream.strip() and key not in DERIVED_KEYS and target is entry.data:
                    continue
                cell = column_cell(key, listed, graph)
                own = item.data.get(key)
                carried = [str(i) for i in own] if key in DERIVED_KEYS and isinstance(own, list) else []
                if not same_cell(upstream, cell, key, exact, carried):
                    target.setdefault("cells", {})[key] = upstream if exact else catalogue_rst(upstream)
            rows.append(TableRow(item.id, position))
        result.rows[index] = rows


# -- output ---------------------------------------------------------------------------------


def build(root: Path, fmt: str = "auto", exact: bool = False, files: list[Path] | None = None) -> ImportResult:
    """Collect, reconcile and lay out the catalogue files.

    ``exact``: keep every cell whose markup is not what the item's fields would
    render (adoption needs the very same text); otherwise only cells whose words
    differ are kept.
    """
    result = collect(root, fmt, files, exact)
    result.exact = exact
    entries = reconcile(result)
    _rows_of_several(result)
    result.disagreements = _derive_cells(result)
    result.notes = result.collected.notes
    by_file: dict[str, list[Entry]] = {}
    for entry in entries:
        name = f"{entry.document}-{Path(entry.file).stem}.yaml"
        by_file.setdefault(name, []).append(entry)
    for name, chosen in by_file.items():
        result.files[name] = {"title": f"Imported from {chosen[0].file}", "items": [e.data for e in chosen]}
        result.origins[name] = [f"{e.file}:{e.line}" for e in chosen]
    profiles = [{"id": pid, "title": title} for pid, title in result.collected.profiles.items()]
    sources = sorted({str(e.data.get("source")) for e in entries if e.data.get("source")})
    meta: dict[str, Any] = {"title": "Profiles and sources found by the importer"}
    if profiles:
        meta["profiles"] = profiles
    if sources:
        titles = {"ra2": "RA2 chapters", "rc2": "RC2 (Reference Conformance) chapters"}
        meta["sources"] = [{"id": s, "title": titles.get(s, "Reference Model chapters")} for s in sources]
    if result.collected.sections:
        meta["sections"] = sorted(result.collected.sections.values(), key=lambda s: natural_key(s["id"]))
    if result.collected.comparisons:
        meta["comparisons"] = [c.data for c in result.collected.comparisons]
    result.files["profiles.yaml"] = meta
    result.origins["profiles.yaml"] = []
    return result


class _Dumper(yaml.SafeDumper):
    """Block style for multi-line text, so cells read as they did upstream."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if (
        "\n" in value.strip("\n")
        and not value.endswith("\n")
        and all(line == line.rstrip() for line in value.split("\n"))
    ):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _str)


def _yaml(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=110)


def dump(data: dict[str, Any], origins: list[str] | None, schema: str) -> str:
    """YAML text of one catalogue file: the schema line, then each item with its origin (when given)."""
    out = [SCHEMA_COMMENT.format(schema=schema)] if schema else []
    for key, value in data.items():
        if key != "items":
            out.append(_yaml({key: value}).rstrip())
    if "items" in data:
        out.append("items:")
        for index, item in enumerate(data["items"]):
            if origins is not None and index < len(origins):
                out.append(f"  # {origins[index]}")
            text = _yaml([item])
            out.extend("  " + line if line else line for line in text.rstrip().splitlines())
    return "\n".join(out) + "\n"


@dataclass
class FileStats:
    tables: int = 0
    rows: int = 0
    items: int = 0
    links: int = 0


def statistics(result: ImportResult) -> dict[str, FileStats]:
    """Per file read: catalogue tables, their rows, the items they gave and the links those write."""
    stats = {name: FileStats() for name in result.read}
    for mapped in result.collected.tables:
        entry = stats.setdefault(mapped.table.file, FileStats())
        entry.tables += 1
        entry.rows += len(mapped.rows)
    for item_entry in result.collected.entries:
        entry = stats.setdefault(item_entry.file, FileStats())
        entry.items += 1
        entry.links += sum(len(item_entry.data.get(k, [])) for k in ("traces", "related"))
    return stats


def write(result: ImportResult, out_dir: Path, schema: str) -> list[Path]:
    """The catalogue files, and the schema they name when it is the default one beside them."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    if schema == SCHEMA_FILE:
        from ra2docs.schema import schema_text

        write_file_no_follow(out_dir / SCHEMA_FILE, schema_text().encode("utf-8"))
    for name, data in sorted(result.files.items()):
        path = out_dir / name
        write_file_no_follow(path, dump(data, result.origins[name], schema).encode("utf-8"))  # never through a link
        written.append(path)
    return written
