"""Load a catalogue folder: read every YAML file safely, validate it, build the model.

All problems are collected (never only the first) as findings with
``file:line:column``, the item and a hint. Nothing here imports Sphinx.
"""

from __future__ import annotations

import bisect
import copy
import datetime
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from ra2docs import loadcache
from ra2docs.findings import Finding
from ra2docs.kinds import COMMON_FIELDS, KindSpec, builtin_kinds
from ra2docs.loadcache import FilePart, digest
from ra2docs.model import (
    Catalogue,
    Comparison,
    ComparisonCell,
    ComparisonRow,
    Definition,
    Item,
    Link,
    Profile,
    Section,
    Source,
)
from ra2docs.patterns import PatternError, compile_pattern
from ra2docs.process import collector_paused, is_owned
from ra2docs.rules import ra101_unreadable_file as ra101
from ra2docs.rules import ra105_not_a_catalogue_file as ra105
from ra2docs.rules import ra108_unsafe_yaml as ra108
from ra2docs.rules import ra201_invalid_value as ra201
from ra2docs.rules import ra202_unknown_key as ra202
from ra2docs.rules import ra203_missing_key as ra203
from ra2docs.rules import ra301_duplicate_id as ra301
from ra2docs.rules import ra302_missing_id as ra302
from ra2docs.rules import ra303_malformed_id as ra303
from ra2docs.schema import quickly_valid, validator
from ra2docs.yamlsource import MAX_FINDINGS, YamlDocument, read_regular_file, read_yaml

CATALOGUE_SUFFIXES = (".yaml", ".yml")
# Limits on the whole catalogue (README, "What input is trusted"; a file's own are in
# ra2docs.yamlsource). The benchmark's catalogue of 100,000 items holds 32 MB in 400
# files and 1,700,000 YAML values, and takes about 400 MB to check.
MAX_CATALOGUE_BYTES = 64 * 1024 * 1024
MAX_CATALOGUE_VALUES = 3_000_000
MAX_ITEMS = 200_000  # about 600 MB to check when each is a bare ID and kind with two findings
MAX_CATALOGUE_FINDINGS = 100_000  # found while reading, all files together (one file: yamlsource.MAX_FINDINGS)


@dataclass
class LoadResult:
    catalogue: Catalogue
    findings: list[Finding] = field(default_factory=list)
    fatal: bool = False  # some input could not be read at all


def catalogue_files(root: Path) -> tuple[list[Path], list[tuple[Path, bool]]]:
    """Every catalogue file under ``root``, in a stable order, and the symbolic links not followed.

    A link (to a file or a folder, inside the tree or not) is never followed:
    it is returned as ``(path, is_folder)`` for the caller to report by its own
    name. Following links inside the tree only would gain nothing (a link to a
    catalogue file defines its items twice) and cost a check of every target.
    """
    found: list[Path] = []
    links: list[tuple[Path, bool]] = []
    for dirpath, dirnames, filenames in os.walk(root):  # never descends into a linked folder
        here = Path(dirpath)
        kept = []
        for name in sorted(d for d in dirnames if not d.startswith((".", "_"))):
            if (here / name).is_symlink():
                links.append((here / name, True))
            else:
                kept.append(name)
        dirnames[:] = kept
        for name in sorted(f for f in filenames if f.endswith(CATALOGUE_SUFFIXES)):
            (links.append((here / name, False)) if (here / name).is_symlink() else found.append(here / name))
    return found, links


def _linked_folder(root: Path, base: Path) -> Path | None:
    """The first folder on the way from ``base`` to ``root`` (``root`` included) that is a symbolic link.

    Folders above ``base`` (the project's own, e.g. /tmp on macOS) are not
    looked at; when ``root`` is not under ``base``, only ``root`` itself is.
    """
    try:
        parts = root.absolute().relative_to(base.absolute()).parts
        steps = [base.absolute().joinpath(*parts[: n + 1]) for n in range(len(parts))]
    except ValueError:
        steps = [root]
    return next((step for step in steps if step.is_symlink()), None)


def _text_lines(item_node: Any) -> dict[str, int]:
    """The line each text value of an item starts on (a block scalar's text: the line below its '|')."""
    lines: dict[str, int] = {}
    if item_node is None or not isinstance(getattr(item_node, "value", None), list):
        return lines

    def start(node: Any) -> int:
        return node.start_mark.line + (2 if getattr(node, "style", None) in ("|", ">") else 1)

    for key_node, value_node in item_node.value:
        key = getattr(key_node, "value", None)
        if not isinstance(key, str):
            continue
        if isinstance(value_node.value, str):
            lines[key] = start(value_node)
        elif key == "cells" and isinstance(value_node.value, list):
            for cell_key, cell_value in value_node.value:
                if isinstance(getattr(cell_key, "value", None), str) and isinstance(cell_value.value, str):
                    lines[f"cells.{cell_key.value}"] = start(cell_value)
    return lines


def _display(path: Path, base: Path) -> str:
    try:
        return os.path.relpath(path, base)
    except ValueError:  # another drive on Windows
        return str(path)


class _FileLoader:
    """Validates one parsed file and adds its content to the catalogue."""

    def __init__(self, cat: Catalogue, doc: YamlDocument, display: str, findings: list[Finding]) -> None:
        self.cat = cat
        self.doc = doc
        self.display = display
        self.findings = findings

    def add(self, finding: Finding, where: tuple[Any, ...], item: str = "", key: bool = False) -> None:
        """Place a rule's finding at the value (or, with ``key``, the key) at ``where``."""
        line, col = self.doc.key_position(where) if key else self.doc.position(where)
        self.findings.append(finding.placed(self.display, line, col, item))

    def schema_errors(self, errors: list[Any], base: tuple[Any, ...], item: str) -> bool:
        for error in sorted(errors, key=lambda e: [str(p) for p in e.absolute_path]):
            self._schema_error(error, base + tuple(error.absolute_path), item)
        return bool(errors)

    def _schema_error(self, error: Any, where: tuple[Any, ...], item: str) -> None:
        """Hand a JSON Schema error to the rule it belongs to."""
        kind = error.validator
        instance = error.instance
        if kind == "additionalProperties" and isinstance(instance, dict):
            allowed = set(error.schema.get("properties", {}))
            for key in sorted(set(instance) - allowed, key=str):
                self.add(ra202.unknown_key(key, allowed), where + (key,), item, key=True)
        elif kind == "required" and isinstance(instance, dict):
            for name in error.validator_value:
                if name not in instance:
                    self.add(ra302.missing_id() if name == "id" else ra203.missing_key(name), where, item)
        elif kind in ("enum", "const"):
            choices = error.validator_value if kind == "enum" else [error.validator_value]
            self.add(ra201.not_allowed(instance, choices), where, item)
        elif kind == "type":
            self.add(ra201.wrong_type(error.validator_value, instance), where, item)
        elif kind == "uniqueItems":
            self.add(ra201.repeated(), where, item)
        elif kind == "pattern":
            self.add(ra201.wrong_form(instance, error.validator_value), where, item)
        elif kind == "minLength":
            self.add(ra201.empty(), where, item)
        else:
            self.add(ra201.invalid(error.message), where, item)

    def load(self) -> None:
        data = self.doc.data
        if data is None:
            self.findings.append(ra105.empty_file().placed(self.display, 1, 1))
            return
        if not isinstance(data, dict):
            self.add(ra105.not_a_mapping(data), ())
            self.doc.fatal = True
            return
        if not quickly_valid("file", data):
            self.schema_errors(list(validator("file").iter_errors(data)), (), "")
        section = data.get
        for index, entry in enumerate(_as_list(section("profiles"))):
            self._profile(entry, ("profiles", index))
        for index, entry in enumerate(_as_list(section("sections"))):
            self._section(entry, ("sections", index))
        for index, entry in enumerate(_as_list(section("retired"))):
            ident = self._named(entry, ("retired", index), "retired")
            if ident is not None:
                line, col = self.doc.position(("retired", index, "id"))
                self.cat.retired.setdefault(ident, Definition(self.display, line, col))
        for index, entry in enumerate(_as_list(section("sources"))):
            self._source(entry, ("sources", index))
        for index, entry in enumerate(_as_list(section("items"))):
            if self._too_many():
                return
            self._item(entry, ("items", index))
        self._attribute_to_items(_as_list(section("items")))
        for index, entry in enumerate(_as_list(section("comparisons"))):
            if self._too_many():
                return
            self._comparison(entry, ("comparisons", index))

    def _too_many(self) -> bool:
        """Whether this file has more findings than anyone will read (then the rest is not checked)."""
        if len(self.findings) <= MAX_FINDINGS:
            return False
        if not self.doc.fatal:
            last = self.findings[-1]
            self.findings.append(ra105.too_many_findings(MAX_FINDINGS).placed(self.display, last.line, last.column))
            self.doc.fatal = True
        return True

    def _attribute_to_items(self, entries: list[Any]) -> None:
        """Name the enclosing item on findings the YAML reader made without knowing it."""
        orphans = [f for f in self.doc.findings + self.findings if f.file == self.display and not f.item]
        if not orphans:
            return
        spans = [
            (self.doc.position(("items", i))[0], self.doc.end_line(("items", i)), str(e.get("id", "")))
            for i, e in enumerate(entries)
            if isinstance(e, dict)
        ]
        firsts = [first for first, _, _ in spans]  # items follow each other: their first lines ascend
        for finding in orphans:
            index = bisect.bisect_right(firsts, finding.line) - 1
            if index >= 0:
                first, last, ident = spans[index]
                if first <= finding.line <= max(first, last):
                    finding.item = ident

    def _define(self, ident: str, where: tuple[Any, ...], node: Any = None) -> None:
        line, col = self.doc.position(("id",), node) if node is not None else self.doc.position((*where, "id"))
        self.cat.definitions.setdefault(ident, []).append(Definition(self.display, line, col))

    def _named(self, entry: Any, where: tuple[Any, ...], schema: str) -> str | None:
        ident = entry.get("id") if isinstance(entry, dict) else None
        label = str(ident) if isinstance(ident, (str, int)) else ""
        if not quickly_valid(schema, entry) and self.schema_errors(
            list(validator(schema).iter_errors(entry)), where, label
        ):
            return None
        return str(ident)

    def _profile(self, entry: Any, where: tuple[Any, ...]) -> None:
        ident = self._named(entry, where, "profile")
        if ident is None:
            return
        if ident in self.cat.profiles:
            self.add(ra301.defined_twice("profile", ident), (*where, "id"), ident)
            return
        self.cat.profiles[ident] = Profile(ident, entry["title"], entry.get("description", ""))

    def _section(self, entry: Any, where: tuple[Any, ...]) -> None:
        ident = self._named(entry, where, "section")
        if ident is None:
            return
        if ident in self.cat.sections:
            self.add(ra301.defined_twice("section", ident), (*where, "id"), ident)
            return
        self.cat.sections[ident] = Section(ident, entry["title"], entry.get("caption", ""))

    def _source(self, entry: Any, where: tuple[Any, ...]) -> None:
        ident = self._named(entry, where, "source")
        if ident is None:
            return
        if ident in self.cat.sources:
            self.add(ra301.defined_twice("source", ident), (*where, "id"), ident)
            return
        fields = {k.replace("-", "_"): v for k, v in entry.items()}
        self.cat.sources[ident] = Source(**fields)

    def _item(self, entry: Any, where: tuple[Any, ...]) -> None:
        if not isinstance(entry, dict):
            self.add(ra201.not_an_item(entry), where)
            return
        ident = entry.get("id")
        label = str(ident) if ident is not None else ""
        kind = entry.get("kind")
        if not isinstance(kind, str) or kind not in self.cat.kinds:
            if kind is None:
                self.add(ra203.missing_key("kind", list(self.cat.kinds)), where, label)
            else:
                self.add(ra201.unknown_kind(kind, list(self.cat.kinds)), (*where, "kind"), label)
            if not isinstance(ident, str):
                self.add(ra302.missing_id(), where)
            return
        errors = [] if quickly_valid(f"item-{kind}", entry) else list(validator(f"item-{kind}").iter_errors(entry))
        if errors:
            self.schema_errors(errors, where, label)
            if not isinstance(ident, str) or not ident:
                return
        if not isinstance(ident, str) or not ident:
            return
        character = ra303.unprintable(ident)
        if character:  # never loaded, so never written anywhere, whatever the rule's severity
            self.add(ra303.unprintable_id(ident, character), (*where, "id"), repr(ident)[1:-1])
            return
        item_node = self.doc.node(where)  # positions below the item, without walking from the root
        self._define(ident, where, item_node)
        if ident in self.cat.items:
            self.add(ra301.already_defined(ident, self.cat.definitions[ident][0]), (*where, "id"), ident)
            return
        pattern = (entry.get("match") or {}).get("pattern") if isinstance(entry.get("match"), dict) else None
        if isinstance(pattern, str):
            try:
                compile_pattern(pattern)  # the engine ``results`` runs it on (RE2)
            except PatternError as exc:
                self.add(ra201.bad_pattern(exc), (*where, "match", "pattern"), label)
                errors = [*errors, exc]
                entry = {k: v for k, v in entry.items() if k != "match"}
        for name in _date_fields(kind):
            value = entry.get(name)
            reason = _not_a_date(value) if isinstance(value, str) else ""
            if reason:
                # Results are compared with it: an impossible date would make a stale result look current.
                self.add(ra201.impossible_date(str(value), reason), (*where, name), label)
                entry = {k: v for k, v in entry.items() if k != name}
        if errors:
            # Keep the item (its findings are reported), but only with the fields
            # that are valid, so that no later step trips over a wrong type.
            entry = _valid_fields(kind, entry)
        data = {k: _normalise(v) for k, v in entry.items()}
        line = item_node.start_mark.line + 1 if item_node is not None else self.doc.position(where)[0]
        self.cat.items[ident] = Item(ident, kind, data, self.display, line, _text_lines(item_node))
        for link_name in self.cat.kinds[kind].links:
            for index, target in enumerate(_as_list(entry.get(link_name))):
                if isinstance(target, str):
                    tline, tcol = self.doc.position((link_name, index), item_node)
                    self.cat.links.append(Link(ident, link_name, target, self.display, tline, tcol))

    def _comparison(self, entry: Any, where: tuple[Any, ...]) -> None:
        ident = self._named(entry, where, "comparison")
        if ident is None:
            return
        if ident in self.cat.comparisons:
            self.add(ra301.defined_twice("comparison", ident), (*where, "id"), ident)
            return
        rows: list[ComparisonRow] = []
        for index, row in enumerate(entry["rows"]):
            cells = {}
            for solution, cell in row["cells"].items():
                if isinstance(cell, dict):
                    cells[str(solution)] = ComparisonCell(cell["level"], str(cell.get("note", "")))
                else:
                    cells[str(solution)] = ComparisonCell(str(cell))
            rows.append(
                ComparisonRow(
                    row.get("item", ""), row.get("label", ""), cells, self.doc.position(where + ("rows", index))[0]
                )
            )
        self.cat.comparisons[ident] = Comparison(
            id=ident,
            title=entry["title"],
            row_header=entry.get("row-header", "Requirement"),
            solutions=[(s["id"], s["title"]) for s in entry["solutions"]],
            levels=[(lv["id"], lv["label"]) for lv in entry["levels"]],
            notes=[(str(n["id"]), n["text"]) for n in entry.get("notes", [])],
            rows=rows,
            file=self.display,
            line=self.doc.position(where)[0],
        )


def _valid_fields(kind: str, entry: dict[str, Any]) -> dict[str, Any]:
    """The fields of an item that are valid on their own (only used for items with errors)."""
    import jsonschema

    from ra2docs.schema import build_schema

    properties = build_schema()["$defs"][f"item-{kind}"]["properties"]
    return {
        key: value
        for key, value in entry.items()
        if isinstance(key, str)
        and key in properties
        and jsonschema.Draft202012Validator(properties[key]).is_valid(value)
    }


@cache
def _date_fields(kind: str) -> tuple[str, ...]:
    spec = builtin_kinds()[kind]
    fields = {**COMMON_FIELDS, **spec.fields}
    return tuple(name for name, definition in fields.items() if definition.get("type") == "date")


def _not_a_date(value: str) -> str:
    """Why ``value``, of the form YYYY-MM-DD, names no day ('' when it does)."""
    try:
        datetime.date.fromisoformat(value)
    except ValueError as exc:
        return str(exc)
    return ""


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _normalise(value: Any) -> Any:
    """Numbers in profile values become text, so '2' and 2 mean the same."""
    if isinstance(value, dict):
        return {k: _normalise(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_normalise(v) for v in value]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value


def load_catalogue(
    root: Path | str,
    base: Path | str | None = None,
    cache: Path | None = None,
    kinds: dict[str, KindSpec] | None = None,
) -> LoadResult:
    """Read, validate and assemble the catalogue under ``root`` (see ``_load``).

    With ``cache`` (a folder), what each catalogue file holds is kept there and
    only files changed since are read again: a rebuild after editing one file
    reads one file. ``kinds`` carry the project's ID patterns (its settings);
    by default the built-in ones. In a process ra2docs owns (``ra2docs.process``),
    the garbage collector waits meanwhile and a large catalogue is read by two processes.
    """
    with collector_paused():
        result = _load(root, base, cache)
    if kinds is not None:
        result.catalogue.kinds = kinds
    return result


def _load(root: Path | str, base: Path | str | None = None, cache: Path | None = None) -> LoadResult:
    """Read, validate and assemble the catalogue under ``root``.

    File names in findings are relative to ``base`` (default: the current
    folder), so that they can be clicked in an editor or a CI log.
    """
    root = Path(root)
    base_path = Path(base) if base is not None else Path.cwd()
    cat = Catalogue(root=root, kinds=builtin_kinds())
    result = LoadResult(cat)
    linked = _linked_folder(root, base_path)
    if linked is not None:
        result.findings.append(ra101.symbolic_link(folder=True).placed(_display(linked, base_path)))
        result.fatal = True
        return result
    if not root.is_dir():
        result.findings.append(ra101.folder_missing(root.exists()).placed(_display(root, base_path)))
        result.fatal = True
        return result
    files, links = catalogue_files(root)
    for link, folder in links:
        line = 0 if folder else 1  # a file's annotation goes on its first line; a folder has none
        result.findings.append(ra101.symbolic_link(folder).placed(_display(link, base_path), line, line))
        result.fatal = True
    if not files:
        if not links:
            result.findings.append(ra101.no_files().placed(_display(root, base_path)))
            result.fatal = True
        return result
    total = sum(_size(path) for path in files)
    if total > MAX_CATALOGUE_BYTES:
        # Refused before anything is read: reading would cost about 30 times this in memory.
        result.findings.append(ra101.catalogue_too_large(total, MAX_CATALOGUE_BYTES).placed(_display(root, base_path)))
        result.fatal = True
        return result
    jobs = [(path, _display(path, base_path)) for path in files]
    fresh = _read_cache(cache, jobs) if cache is not None else {}
    todo = [(path, display) for path, display in jobs if display not in fresh]
    split = _split_point([path for path, _ in todo])
    if split:
        # A large catalogue, in a process ra2docs owns (ra2docs.process): the second
        # half of the files is read by a forked worker while this process reads the first half.
        with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork")) as pool:
            later = pool.submit(_load_files, todo[split:])
            parsed = _load_files(todo[:split]) + later.result()
    else:
        parsed = _load_files(todo)
    fresh.update({display: part for (_, display), part in zip(todo, parsed, strict=True)})
    # Merged in file order, so findings are the same however the files were read.
    values = reported = items = 0
    for index, (_, display) in enumerate(jobs):
        part = fresh[display]
        values += part.values
        reported += len(part.findings)
        items += len(part.catalogue.items)
        # Each process stops reading past these limits too, so that memory stays bounded.
        refused = None
        if items > MAX_ITEMS:
            refused = ra101.too_many_items(MAX_ITEMS, len(jobs) - index - 1)
        elif values > MAX_CATALOGUE_VALUES:
            refused = ra108.too_many_values_in_catalogue(MAX_CATALOGUE_VALUES, len(jobs) - index - 1)
        elif reported > MAX_CATALOGUE_FINDINGS:
            refused = ra105.too_many_findings_in_catalogue(MAX_CATALOGUE_FINDINGS, len(jobs) - index - 1)
        if refused is not None:
            result.findings.append(refused.placed(display, 1, 1))
            result.fatal = True
            break
        _merge(cat, part.catalogue, result.findings)
        result.findings.extend(copy.copy(f) for f in part.findings)
        result.fatal = result.fatal or part.fatal
    if cache is not None:
        _write_cache(cache, [d for _, d in jobs], {d: fresh[d] for _, d in todo})
    return result


def _size(path: Path) -> int:
    try:
        return path.lstat().st_size
    except OSError:
        return 0  # gone since it was listed: reading it will say so


def _read_cache(folder: Path, jobs: list[tuple[Path, str]]) -> dict[str, FilePart]:
    """The cached parts of the catalogue files whose bytes are those they were cached from."""
    if folder.is_symlink():
        return {}
    cache_key = loadcache.key()
    parts: dict[str, FilePart] = {}
    for path, display in jobs:
        raw = read_regular_file(path)
        entry = folder / loadcache.entry_name(display)
        text = read_regular_file(entry, loadcache.MAX_ENTRY_BYTES) if entry.exists() else None
        if isinstance(raw, Finding) or not isinstance(text, bytes):
            continue  # the file is read (and any problem reported) as if there were no cache
        try:
            parts[display] = loadcache.decode(text, display, loadcache.digest(raw), cache_key)
        except loadcache.Invalid:
            continue  # not ours, damaged, or of another content or version: the file is read again
    return parts


def _write_cache(folder: Path, displays: list[str], parts: dict[str, FilePart]) -> None:
    """Cache the parts just read, one JSON file each, so that an edit rewrites one small file."""
    cache_key = loadcache.key()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if folder.is_symlink():
            return  # never written through a link
        for display, part in parts.items():
            if not part.digest:
                continue  # not read: nothing to keep
            target = folder / loadcache.entry_name(display)
            temporary = target.with_name(f"{target.name}.{os.getpid()}.tmp")
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
            with os.fdopen(os.open(temporary, flags, 0o644), "w", encoding="ascii") as stream:
                stream.write(loadcache.encode(display, part, cache_key))
            temporary.replace(target)  # replaces a link in its place, never writes through it
        wanted = {loadcache.entry_name(display) for display in displays}
        for stale in folder.iterdir():
            # Entries of files removed or renamed, and pickles of earlier versions (never loaded).
            if stale.suffix in (loadcache.SUFFIX, ".pickle") and stale.name not in wanted and not stale.is_dir():
                stale.unlink()
    except OSError:
        pass  # a cache that cannot be written only costs time


PARALLEL_BYTES = 1_500_000  # below this, starting a worker costs more than it saves


def _split_point(files: list[Path]) -> int:
    """Where to split the files between two processes, or 0 to read them here."""
    if (
        not is_owned()
        or len(files) < 4
        or (os.cpu_count() or 1) < 2
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        return 0
    sizes = [f.stat().st_size for f in files]
    total = sum(sizes)
    if total < PARALLEL_BYTES:
        return 0
    running = 0
    for index, size in enumerate(sizes):
        running += size
        if running >= total / 2:
            return max(1, min(index + 1, len(files) - 1))
    return len(files) // 2


def _load_files(jobs: list[tuple[Path, str]]) -> list[FilePart]:
    """Read each file into a catalogue of its own (also run in a worker process).

    Past the catalogue's limit of items, YAML values or findings, the files
    left are not read (``_load`` reports it): memory stays bounded in each process.
    """
    parts: list[FilePart] = []
    values = reported = items = 0
    with collector_paused():
        for path, display in jobs:
            cat = Catalogue(root=Path("."), kinds=builtin_kinds())
            cat.files.append(display)
            if values > MAX_CATALOGUE_VALUES or reported > MAX_CATALOGUE_FINDINGS or items > MAX_ITEMS:
                parts.append(FilePart(cat, [], True, 0))
                continue
            findings: list[Finding] = []
            raw = read_regular_file(path)
            doc = read_yaml(path, display, raw=raw)
            findings.extend(doc.findings)
            if not doc.fatal:
                _FileLoader(cat, doc, display, findings).load()
            values += doc.values
            reported += len(findings)
            items += len(cat.items)
            sha256 = "" if isinstance(raw, Finding) else digest(raw)
            parts.append(FilePart(cat, findings, doc.fatal, doc.values, sha256))
    return parts


def _merge(cat: Catalogue, part: Catalogue, findings: list[Finding]) -> None:
    """Add what one group of files holds; IDs defined in an earlier group win."""
    cat.files.extend(part.files)
    duplicates: set[str] = set()
    for ident, item in part.items.items():
        if ident in cat.items:
            duplicates.add(ident)
            again = part.definitions[ident][0]
            findings.append(
                ra301.already_defined(ident, cat.definitions[ident][0]).placed(again.file, again.line, again.column)
            )
        else:
            cat.items[ident] = item
    for ident, definitions in part.definitions.items():
        cat.definitions.setdefault(ident, []).extend(definitions)
    cat.links.extend(link for link in part.links if link.source not in duplicates)
    for name in ("profiles", "sections", "sources", "comparisons"):
        mine, theirs = getattr(cat, name), getattr(part, name)
        for ident, value in theirs.items():
            if ident in mine:
                where = (getattr(value, "file", ""), getattr(value, "line", 0))
                findings.append(ra301.defined_twice(name[:-1], ident).placed(*where))
            else:
                mine[ident] = value
    for ident, definition in part.retired.items():
        cat.retired.setdefault(ident, definition)
