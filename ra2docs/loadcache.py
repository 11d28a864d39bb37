"""The build cache of catalogue files: what each file held, as checked JSON, never code.

The Sphinx build keeps, beside its doctrees, one JSON file per catalogue
file: what the loader made of it (items, links, profiles, ..., findings),
the SHA-256 of the file's bytes and the cache's format version. A rebuild
after editing one file reads that one file again and takes the others from
here.

Nothing here can run code (it replaced ``pickle``, which runs whatever a
planted file says): an entry is JSON, and it is decoded field by field with
the type every field must have, its strings free of the characters the loader never keeps (RA604),
its size bounded. Anything that does not decode exactly, or whose digest,
version or file name does not match, is ignored, and the catalogue file is
read again. A planted entry that does decode can only stand for the content
of a catalogue file whose exact bytes it names; ``ra2docs check`` never
reads the cache.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ra2docs.findings import Finding
from ra2docs.kinds import builtin_kinds
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

FORMAT = "ra2docs-catalogue-cache"
VERSION = 4  # 2: findings without 'related'; 3: RA107 (line endings) found while reading; 4: the lines of item texts
SUFFIX = ".json"
# An entry holds what its file held, in a few times its bytes; a bigger one was not written by us.
MAX_ENTRY_BYTES = 128 * 1024 * 1024
# Entries are ASCII (json.dumps(ensure_ascii=True)): every character the loader never
# keeps (RA604) would be a JSON escape, found here in one pass over the entry. An
# escaped backslash before 'u0000' would match too: a needless re-read, never a miss.
_UNSAFE_ESCAPE = re.compile(
    r"\\(?:[bfr]"
    r"|u(?:00[01][0-9a-fA-F]|007[fF]|00[89][0-9a-fA-F]|200[eEfF]|202[89a-eA-E]|206[6-9]|[fF]{3}[eEfF])"
    r"|u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"  # a high surrogate alone
    r"|u[dD][c-fC-F][0-9a-fA-F]{2}(?<!\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}))"  # a low one
)


@dataclass
class FilePart:
    """What one catalogue file holds, as the loader read it."""

    catalogue: Catalogue
    findings: list[Finding] = field(default_factory=list)
    fatal: bool = False
    values: int = 0  # YAML values read, counted against the catalogue's limit
    digest: str = ""  # SHA-256 of the file's bytes ('' when it could not be read)


def digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def entry_name(display: str) -> str:
    return hashlib.blake2b(display.encode("utf-8", "surrogatepass"), digest_size=10).hexdigest() + SUFFIX


def key() -> str:
    """What else an entry depends on: this version of ra2docs and the kinds it ships."""
    from importlib import resources

    from ra2docs import __version__

    kinds = resources.files("ra2docs").joinpath("kinds.yaml").read_bytes()
    return f"{__version__}-{hashlib.blake2b(kinds, digest_size=8).hexdigest()}"


# -- writing ---------------------------------------------------------------------------


def encode(display: str, part: FilePart, cache_key: str) -> str:
    cat = part.catalogue
    payload = {
        "format": FORMAT,
        "version": VERSION,
        "key": cache_key,
        "file": display,
        "sha256": part.digest,
        "fatal": part.fatal,
        "values": part.values,
        "items": [[i.id, i.kind, i.data, i.file, i.line, i.lines] for i in cat.items.values()],
        "links": [[k.source, k.field, k.target, k.file, k.line, k.column] for k in cat.links],
        "profiles": [[p.id, p.title, p.description] for p in cat.profiles.values()],
        "sections": [[s.id, s.title, s.caption] for s in cat.sections.values()],
        "sources": [[s.id, s.title, s.version, s.url, s.license, s.attribution] for s in cat.sources.values()],
        "comparisons": [_encode_comparison(c) for c in cat.comparisons.values()],
        "retired": [[ident, d.file, d.line, d.column] for ident, d in cat.retired.items()],
        "definitions": [[ident, d.file, d.line, d.column] for ident, ds in cat.definitions.items() for d in ds],
        "findings": [
            [f.rule, f.message, f.file, f.line, f.column, f.item, f.suggestion, f.severity, f.name]
            for f in part.findings
        ],
    }
    # Lone surrogates cannot be written as UTF-8; the loader never keeps one (RA604), but stay safe.
    return json.dumps(payload, ensure_ascii=True, separators=(",", ":"))


def _encode_comparison(c: Comparison) -> list[Any]:
    rows = [[r.item, r.label, {s: [cell.level, cell.note] for s, cell in r.cells.items()}, r.line] for r in c.rows]
    return [
        c.id,
        c.title,
        c.row_header,
        [list(s) for s in c.solutions],
        [list(lv) for lv in c.levels],
        [list(n) for n in c.notes],
        rows,
        c.file,
        c.line,
    ]


# -- reading ---------------------------------------------------------------------------


class Invalid(ValueError):
    """An entry that is not exactly what ``encode`` writes."""


def decode(text: str | bytes, display: str, sha256: str, cache_key: str) -> FilePart:
    """The part an entry holds, if it is valid for the file ``display`` whose bytes have ``sha256``."""
    if isinstance(text, bytes):
        if not text.isascii():
            raise Invalid("not ASCII")  # entries are written in ASCII
        text = text.decode("ascii")
    # Raw controls: JSON refuses them in strings, but not DEL.
    if not text.isascii() or "\x7f" in text or _UNSAFE_ESCAPE.search(text):
        raise Invalid("control character")
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise Invalid(f"not JSON: {exc}") from None
    top = _fields(
        data,
        {
            "format": str,
            "version": int,
            "key": str,
            "file": str,
            "sha256": str,
            "fatal": bool,
            "values": int,
            "items": list,
            "links": list,
            "profiles": list,
            "sections": list,
            "sources": list,
            "comparisons": list,
            "retired": list,
            "definitions": list,
            "findings": list,
        },
    )
    if (top["format"], top["version"], top["key"], top["file"], top["sha256"]) != (
        FORMAT,
        VERSION,
        cache_key,
        display,
        sha256,
    ):
        raise Invalid("written for another file, content or version")
    cat = Catalogue(root=Path("."), kinds=builtin_kinds())
    cat.files.append(display)
    for ident, kind, data_, file, line, lines in _rows(top["items"], (str, str, dict, str, int, dict)):
        if kind not in cat.kinds or ident in cat.items:
            raise Invalid(f"item {ident!r}")
        if not all(isinstance(k, str) and type(v) is int for k, v in lines.items()):
            raise Invalid(f"item {ident!r}: lines")
        cat.items[ident] = Item(ident, kind, _data(data_), file, line, lines)
    cat.links = [Link(*row) for row in _rows(top["links"], (str, str, str, str, int, int))]
    for ident, title, description in _rows(top["profiles"], (str, str, str)):
        cat.profiles[ident] = Profile(ident, title, description)
    for ident, title, caption in _rows(top["sections"], (str, str, str)):
        cat.sections[ident] = Section(ident, title, caption)
    for row in _rows(top["sources"], (str, str, str, str, str, str)):
        cat.sources[row[0]] = Source(*row)
    for row in top["comparisons"]:
        comparison = _comparison(row)
        cat.comparisons[comparison.id] = comparison
    for ident, file, line, column in _rows(top["retired"], (str, str, int, int)):
        cat.retired[ident] = Definition(file, line, column)
    for ident, file, line, column in _rows(top["definitions"], (str, str, int, int)):
        cat.definitions.setdefault(ident, []).append(Definition(file, line, column))
    findings = []
    for row in _rows(top["findings"], (str, str, str, int, int, str, str, str, str)):
        findings.append(Finding(*row))
    return FilePart(cat, findings, top["fatal"], top["values"], sha256)


def _fields(value: Any, types: dict[str, type]) -> dict[str, Any]:
    if not isinstance(value, dict) or set(value) != set(types):
        raise Invalid("fields")
    for name, wanted in types.items():
        _typed(value[name], wanted)
    return value


def _typed(value: Any, wanted: type) -> Any:
    # bool is an int to Python; neither may stand for the other here
    if type(value) is not wanted:
        raise Invalid(f"expected {wanted.__name__}")
    return value


def _rows(rows: Any, types: tuple[type, ...]) -> list[list[Any]]:
    _typed(rows, list)
    width = len(types)
    for row in rows:
        if type(row) is not list or len(row) != width or any(type(v) is not t for v, t in zip(row, types, strict=True)):
            raise Invalid("row")
    return rows


def _data(value: Any) -> Any:
    """Item data: text, booleans, nulls, lists and mappings with text keys (numbers were made text)."""
    kind = type(value)
    if kind is str or kind is bool or value is None:
        return value
    if kind is dict:
        for key, inner in value.items():
            if type(key) is not str:
                raise Invalid("item data")
            _data(inner)
        return value
    if kind is list:
        for inner in value:
            _data(inner)
        return value
    raise Invalid("item data")


def _comparison(row: Any) -> Comparison:
    ident, title, header, solutions, levels, notes, rows, file, line = _rows(
        [row], (str, str, str, list, list, list, list, str, int)
    )[0]
    parsed_rows = []
    for item, label, cells, row_line in _rows(rows, (str, str, dict, int)):
        parsed_cells = {}
        for solution, cell in cells.items():
            level, note = _rows([cell], (str, str))[0]
            parsed_cells[solution] = ComparisonCell(level, note)
        parsed_rows.append(ComparisonRow(item, label, parsed_cells, row_line))
    return Comparison(
        id=ident,
        title=title,
        row_header=header,
        solutions=[(a, b) for a, b in _rows(solutions, (str, str))],
        levels=[(a, b) for a, b in _rows(levels, (str, str))],
        notes=[(a, b) for a, b in _rows(notes, (str, str))],
        rows=parsed_rows,
        file=file,
        line=line,
    )
