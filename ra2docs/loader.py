"""Load a catalogue folder: read every YAML file safely, validate it, build the model.

All problems are collected (never only the first) as findings with
``file:line:column``, the item and a hint. Nothing here imports Sphinx.
"""

from __future__ import annotations

import copy
import gc
import multiprocessing
import os
import pickle
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ra2docs.findings import Finding
from ra2docs.kinds import KindSpec, builtin_kinds
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
from ra2docs.rules import ra101_unreadable_file as ra101
from ra2docs.rules import ra105_not_a_catalogue_file as ra105
from ra2docs.rules import ra201_invalid_value as ra201
from ra2docs.rules import ra202_unknown_key as ra202
from ra2docs.rules import ra203_missing_key as ra203
from ra2docs.rules import ra301_duplicate_id as ra301
from ra2docs.rules import ra302_missing_id as ra302
from ra2docs.schema import quickly_valid, validator
from ra2docs.yamlsource import YamlDocument, read_yaml

CATALOGUE_SUFFIXES = (".yaml", ".yml")


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector.

    Loading and checking allocate hundreds of thousands of small objects and
    create no cycles; the collector would rescan the growing heap again and
    again (half the time of a 10,000-item check), so it waits until the end.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass
class LoadResult:
    catalogue: Catalogue
    findings: list[Finding] = field(default_factory=list)
    fatal: bool = False  # some input could not be read at all


def catalogue_files(root: Path) -> list[Path]:
    """Every catalogue file under ``root``, in a stable order."""
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "_")))
        found.extend(Path(dirpath) / f for f in sorted(filenames) if f.endswith(CATALOGUE_SUFFIXES))
    return found


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
            self._item(entry, ("items", index))
        self._attribute_to_items(_as_list(section("items")))
        for index, entry in enumerate(_as_list(section("comparisons"))):
            self._comparison(entry, ("comparisons", index))

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
        for finding in orphans:
            for first, last, ident in spans:
                if first <= finding.line <= max(first, last):
                    finding.item = ident
                    break

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
        if errors:
            # Keep the item (its findings are reported), but only with the fields
            # that are valid, so that no later step trips over a wrong type.
            entry = _valid_fields(kind, entry)
        data = {k: _normalise(v) for k, v in entry.items()}
        line = item_node.start_mark.line + 1 if item_node is not None else self.doc.position(where)[0]
        self.cat.items[ident] = Item(ident, kind, data, self.display, line)
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
    by default the built-in ones.
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
    if not root.is_dir():
        result.findings.append(ra101.folder_missing(root.exists()).placed(_display(root, base_path)))
        result.fatal = True
        return result
    files = catalogue_files(root)
    if not files:
        result.findings.append(ra101.no_files().placed(_display(root, base_path)))
        result.fatal = True
        return result
    jobs = [(path, _display(path, base_path)) for path in files]
    stamps = {display: _stamp(path) for path, display in jobs}
    fresh = _read_cache(cache, stamps) if cache is not None else {}
    todo = [(path, display) for path, display in jobs if display not in fresh]
    split = _split_point([path for path, _ in todo])
    if split:
        # A large catalogue: the second half of the files is read by a forked
        # worker while this process reads the first half.
        with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork")) as pool:
            later = pool.submit(_load_files, todo[split:])
            parsed = _load_files(todo[:split]) + later.result()
    else:
        parsed = _load_files(todo)
    fresh.update({display: part for (_, display), part in zip(todo, parsed, strict=True)})
    # Merged in file order, so findings are the same however the files were read.
    for _, display in jobs:
        part_cat, part_findings, part_fatal = fresh[display]
        _merge(cat, part_cat, result.findings)
        result.findings.extend(copy.copy(f) for f in part_findings)
        result.fatal = result.fatal or part_fatal
    if cache is not None:
        _write_cache(cache, stamps, {d: fresh[d] for _, d in todo})
    return result


def _stamp(path: Path) -> tuple[int, int, str]:
    info = path.stat()
    return (info.st_size, info.st_mtime_ns, str(path.resolve()))


def _cache_key() -> str:
    """Cached parts are only valid for this version of ra2docs and its kinds."""
    import hashlib
    from importlib import resources

    from ra2docs import __version__

    kinds = resources.files("ra2docs").joinpath("kinds.yaml").read_bytes()
    return f"{__version__}-{hashlib.blake2b(kinds, digest_size=8).hexdigest()}"


def _cache_file(folder: Path, display: str) -> Path:
    import hashlib

    return folder / f"{hashlib.blake2b(display.encode(), digest_size=10).hexdigest()}.pickle"


def _read_cache(folder: Path, stamps: dict[str, tuple[int, int, str]]) -> dict[str, FilePart]:
    """The cached parts of files unchanged since they were cached (one pickle a file)."""
    key = _cache_key()
    parts: dict[str, FilePart] = {}
    for display, stamp in stamps.items():
        try:
            with _cache_file(folder, display).open("rb") as stream:
                cached_key, cached_stamp, part = pickle.load(stream)
        except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, ImportError):
            continue  # missing or unreadable: the file is read again
        if cached_key == key and cached_stamp == stamp:
            parts[display] = part
    return parts


def _write_cache(folder: Path, stamps: dict[str, tuple[int, int, str]], parts: dict[str, FilePart]) -> None:
    """Cache the parts just read; one pickle a file, so an edit rewrites one small file."""
    key = _cache_key()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for display, part in parts.items():
            target = _cache_file(folder, display)
            temporary = target.with_suffix(".tmp")
            with temporary.open("wb") as stream:
                pickle.dump((key, stamps[display], part), stream, protocol=pickle.HIGHEST_PROTOCOL)
            temporary.replace(target)
        wanted = {_cache_file(folder, display).name for display in stamps}
        for stale in folder.glob("*.pickle"):
            if stale.name not in wanted:
                stale.unlink()  # a catalogue file that was removed or renamed
    except OSError:
        pass  # a cache that cannot be written only costs time


PARALLEL_BYTES = 1_500_000  # below this, starting a worker costs more than it saves


def _split_point(files: list[Path]) -> int:
    """Where to split the files between two processes, or 0 to read them here."""
    if len(files) < 4 or (os.cpu_count() or 1) < 2 or "fork" not in multiprocessing.get_all_start_methods():
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


FilePart = tuple[Catalogue, list[Finding], bool]


def _load_files(jobs: list[tuple[Path, str]]) -> list[FilePart]:
    """Read each file into a catalogue of its own (also run in a worker process)."""
    parts: list[FilePart] = []
    with collector_paused():
        for path, display in jobs:
            cat = Catalogue(root=Path("."), kinds=builtin_kinds())
            findings: list[Finding] = []
            cat.files.append(display)
            doc = read_yaml(path, display)
            findings.extend(doc.findings)
            if not doc.fatal:
                _FileLoader(cat, doc, display, findings).load()
            parts.append((cat, findings, doc.fatal))
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
