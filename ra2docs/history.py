"""Each item's life across the spec's releases: introduced, changed, renamed, retired.

A history folder holds one folder per release (``FOLDER/<release>/ra2/...``,
the chapters as they were at the release's tag). Each release is imported
with the importer (:mod:`ra2docs.importer`) and compared with the one before
it as ``ra2docs diff`` compares two revisions (:mod:`ra2docs.changes`): IDs
that appear, IDs that disappear, an item whose content reappears under a new
ID (a rename: inferred, never declared upstream) and the fields that changed.

The releases, their order and dates come from ``releases.yaml`` in the folder,
else from the list of Anuket releases that ships with ra2docs. The result is
computed once per set of source bytes and kept as JSON (never code) in a cache
folder; a cache entry that does not decode exactly is ignored and recomputed.
No Sphinx here: the CLI and the Sphinx extension both read the same facts.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ra2docs.changes import Renames, field_changes, renames_by_content
from ra2docs.findings import Ra2docsError
from ra2docs.kinds import builtin_kinds
from ra2docs.markup import plain_text
from ra2docs.model import Item, natural_key
from ra2docs.yamlsource import read_yaml

FORMAT = "ra2docs-history"
VERSION = 2
MANIFEST = "releases.yaml"
# A rename between two releases is also inferred when the main text is nearly the same (an ID
# renamed and its wording touched in the same release): the share of matching characters.
SIMILAR_TEXT = 0.9
# An ID whose title and main text are both less alike than this to the release before may have been
# given to another item (a table renumbered: Kali's ra2.ch.016 is Elbrus' second ra2.ch.015 row, and
# Elbrus' ra2.ch.016 became ra2.ch.017). Taken so only when the content is found under another ID.
REUSED_TEXT = 0.5
TEXT_FIELDS = ("title", "statement", "details", "description")
LINK_FIELDS = frozenset(name for kind in builtin_kinds().values() for name in kind.links)
# Where a row is listed (its section, the other tables that list it, the IDs sharing its row):
# a renumbered section moves every item of it without changing what any of them says.
PLACEMENT_FIELDS = frozenset({"section", "rm-section", "listings", "row-with"})
# What the importer notes of a link column's wording (the links it leaves out): the change of the
# cell itself is reported as a change of ``cells``, the links as a change of the link field.
BOOKKEEPING_FIELDS = frozenset({"omitted-links"})
# Aspects that change what an item says; markup and placement alone do not.
SUBSTANTIVE = frozenset({"text", "priority", "values", "links", "status", "other"})
# The code whose output the history depends on: a change to it makes a new cache entry.
_CODE = ("history.py", "changes.py", "diff.py", "importer", "documents", "markup.py")


@dataclass(frozen=True)
class Release:
    name: str
    date: str  # ISO date of the release's tag
    commit: str = ""
    repository: str = ""

    def label(self) -> str:
        """'Lakelse (2022-01-31)'."""
        return f"{self.name} ({self.date})" if self.date else self.name


@dataclass(frozen=True)
class Change:
    """One field of an item that differs from the release before."""

    field: str
    aspect: str  # text, markup (the same words), priority, values, links, renamed-links, status, placement, other
    before: Any
    after: Any
    # a link field: the links that differ only because their target was renamed (old ID, new ID)
    renamed: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Event:
    """Something that happened to an item in a release."""

    release: str
    action: str  # introduced, changed, renamed, retired, reintroduced
    id: str  # the item's ID in this release (its last ID when retired)
    origin: str = ""  # file:line of the item's row in the release ('' when retired)
    former_id: str = ""  # renamed: the ID it had before
    inferred: str = ""  # renamed: why the two IDs are taken for one item ('same content', 'similar text 0.93')
    changes: tuple[Change, ...] = ()

    def aspects(self) -> list[str]:
        return sorted({c.aspect for c in self.changes})

    @property
    def substantive(self) -> bool:
        """It changed what the item says (text, values, priority, links, ...), not only its markup or place."""
        return any(c.aspect in SUBSTANTIVE for c in self.changes)


@dataclass
class Life:
    """One item across releases, under each ID it had."""

    ids: list[str]  # oldest first; the last is its current (or last) ID
    kind: str
    title: str
    events: list[Event] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.ids[-1]

    @property
    def former_ids(self) -> list[str]:
        """Earlier IDs, each once, oldest first (an ID written with blanks and back again is not former)."""
        return [i for i in dict.fromkeys(self.ids) if i != self.id]

    @property
    def introduced(self) -> Event:
        return self.events[0]

    @property
    def retired(self) -> Event | None:
        return self.events[-1] if self.events[-1].action == "retired" else None

    def in_release(self, release: str) -> list[Event]:
        return [e for e in self.events if e.release == release]


@dataclass
class ReleaseNotes:
    """What changed in one release, against the one before it."""

    release: str
    previous: str  # '' for the first release
    items: int = 0  # items in the release
    added: list[str] = field(default_factory=list)
    reintroduced: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    renamed: list[tuple[str, str, str]] = field(default_factory=list)  # (old, new, why)
    changed: list[str] = field(default_factory=list)  # IDs whose text, values, priority or links changed
    reused: list[str] = field(default_factory=list)  # IDs given to another item (the one before is renamed or retired)
    reformatted: list[str] = field(default_factory=list)  # IDs whose markup or placement only changed
    # IDs given to more than one row of one table in this release, with the file:line of each row
    duplicates: list[tuple[str, list[str]]] = field(default_factory=list)


@dataclass
class History:
    releases: list[Release]
    lives: list[Life]
    notes: dict[str, ReleaseNotes]
    titles: dict[str, str] = field(default_factory=dict)  # ID -> last title seen
    _by_id: dict[str, list[int]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for index, life in enumerate(self.lives):
            for item_id in dict.fromkeys(key for life_id in life.ids for key in (life_id, id_of(life_id))):
                self._by_id.setdefault(item_id, []).append(index)

    def release(self, name: str) -> Release:
        for release in self.releases:
            if release.name.lower() == name.lower():
                return release
        known = ", ".join(r.name for r in self.releases)
        raise Ra2docsError(f"unknown release '{name}' (the history holds: {known})")

    def lives_of(self, item_id: str) -> list[Life]:
        """Every life an ID took part in (one, unless an ID was given to another item later)."""
        return [self.lives[i] for i in self._by_id.get(item_id, [])]

    def ids(self) -> list[str]:
        return sorted(self._by_id, key=natural_key)

    def as_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": VERSION,
            "releases": [asdict(r) for r in self.releases],
            "lives": [asdict(life) for life in self.lives],
            "notes": [asdict(n) for n in self.notes.values()],
            "titles": self.titles,
        }


# -- the releases --------------------------------------------------------------------------------


def _manifest(folder: Path) -> tuple[list[Release], str]:
    own = folder / MANIFEST
    if own.is_file() and not own.is_symlink():
        display = str(own)
        doc = read_yaml(own, display)
        if doc.fatal:
            raise Ra2docsError(f"{display}: not readable YAML", doc.findings)
        data, text = doc.data, own.read_text(encoding="utf-8")
    else:
        display = "ra2docs/anuket-releases.yaml"
        text = resources.files("ra2docs").joinpath("anuket-releases.yaml").read_text(encoding="utf-8")
        data = yaml.safe_load(text)
    entries = data.get("releases") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        raise Ra2docsError(f"{display}: expected 'releases:', a list of {{name, date}} oldest first")
    releases = []
    for number, entry in enumerate(entries, 1):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str) or not entry["name"].strip():
            raise Ra2docsError(f"{display}: release {number}: needs a 'name' (the name of its folder)")
        name = entry["name"].strip()
        if "/" in name or name in (".", ".."):
            raise Ra2docsError(f"{display}: release '{name}': a name is one folder name")
        releases.append(
            Release(name, str(entry.get("date", "")), str(entry.get("commit", "")), str(entry.get("repository", "")))
        )
    return releases, text


def cache_folder() -> Path:
    """Where computed histories are kept between runs (the CLI and site builds share it)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ra2docs"


def releases_in(folder: Path, until: str = "") -> list[Release]:
    """The releases a history folder holds, oldest first, up to ``until`` (a release name) when given."""
    if not folder.is_dir():
        raise Ra2docsError(f"{folder}: no such history folder (one folder per release: {folder}/<release>/ra2/...)")
    listed, _ = _manifest(folder)
    names = {r.name for r in listed}
    present = {p.name for p in folder.iterdir() if p.is_dir() and not p.is_symlink() and not p.name.startswith(".")}
    unknown = sorted(present - names)
    if unknown:
        raise Ra2docsError(
            f"{folder}: folder(s) {', '.join(unknown)} are no known release; "
            f"list them with their date in {folder / MANIFEST}"
        )
    releases = [r for r in listed if r.name in present]
    if not releases:
        raise Ra2docsError(f"{folder}: holds no release folder (expected one of {', '.join(sorted(names))})")
    if until:
        matching = [i for i, r in enumerate(releases) if r.name.lower() == until.lower()]
        if not matching:
            raise Ra2docsError(f"{folder}: no release '{until}' (it holds {', '.join(r.name for r in releases)})")
        releases = releases[: matching[0] + 1]
    return releases


# -- computing -------------------------------------------------------------------------------------


def _words(value: Any) -> Any:
    """A value with its markup taken off (a cell's text, each cell of a dict of columns)."""
    if isinstance(value, str):
        return " ".join(plain_text(value).split())
    if isinstance(value, dict):
        return {key: _words(text) for key, text in value.items()}
    return value


def _aspect(name: str, before: Any, after: Any) -> str:
    if name in TEXT_FIELDS or name == "cells":
        # the same words in other markup (the move to reStructuredText dropped the bold of must/should);
        # ``cells``: upstream's own wording of a column (a Reference Implementation trace, say)
        if _words(before) == _words(after):
            return "markup"
        if name == "cells" and isinstance(before, dict) and isinstance(after, dict):
            # the same cells under other column names (a column that got a heading): the table changed, not the item
            same_cells = sorted(map(str, _words(before).values())) == sorted(map(str, _words(after).values()))
            return "placement" if same_cells else "text"
        return "text"
    if name == "priority":
        return "priority"
    if name in ("values", "unit", "baseline"):
        return "values"
    if name in LINK_FIELDS:
        return "links"
    if name == "status":
        return "status"
    if name in PLACEMENT_FIELDS:
        return "placement"
    return "other"  # category, subcategory ...


def _change(name: str, before: Any, after: Any, current_ids: dict[str, str]) -> Change:
    aspect = _aspect(name, before, after)
    if aspect != "links" or not isinstance(before, list) or not isinstance(after, list):
        return Change(name, aspect, before, after)
    # a link to an item renamed since (in this release or before): the same link, not a new one
    gone, came = [i for i in before if i not in after], [i for i in after if i not in before]
    renamed = tuple((i, current_ids[i]) for i in gone if current_ids.get(i, i) != i and current_ids[i] in came)
    if renamed and len(renamed) == len(gone) == len(came):
        aspect = "renamed-links"
    return Change(name, aspect, before, after, renamed)


def _changes(old: dict[str, Any], new: dict[str, Any], current_ids: dict[str, str]) -> tuple[Change, ...]:
    """The fields that differ; ``current_ids``: each ID renamed so far -> the item's ID now."""
    return tuple(
        _change(c.field, c.before, c.after, current_ids)
        for c in field_changes(old, new)
        if c.field not in BOOKKEEPING_FIELDS
    )


@dataclass
class _Snapshot:
    items: dict[str, Item]
    origins: dict[str, str]
    duplicates: dict[str, list[str]] = field(default_factory=dict)  # ID -> file:line of each of its rows


def row_key(item_id: str, row: int) -> str:
    """How the history names the n-th row (from 2) of an ID given to several rows of one table."""
    return f"{item_id} (row {row})"


def id_of(key: str) -> str:
    """The ID a history key stands for: 'sec.wl.007 (row 2)' -> 'sec.wl.007'."""
    base, marker, rest = key.rpartition(" (row ")
    return base if marker and rest.endswith(")") and rest[:-1].isdigit() else key


def _duplicates(entries: list[Any]) -> tuple[dict[str, list[str]], list[tuple[str, Any]]]:
    """IDs given to two different rows of one table (RA301): each row's file:line, and the rows after the first.

    The importer keeps such a second row as a listing of the first; the history follows it as a row of
    its own (``row_key``), so that neither row's content is lost and a later release that gives it an
    ID of its own renames it.
    """
    rows: dict[tuple[str, str, int], list[Any]] = {}
    for entry in entries:
        if entry.id and entry.role == "row" and entry.table >= 0:
            rows.setdefault((entry.id, entry.file, entry.table), []).append(entry)
    found: dict[str, list[str]] = {}
    extra: list[tuple[str, Any]] = []
    for (item_id, _, _), same in rows.items():
        # upstream's cells as written (the reconciled data of the first row has taken the second as a listing);
        # a row written twice word for word is kept once: no duplicate
        distinct: dict[str, Any] = {}
        for entry in same:
            distinct.setdefault(json.dumps({k: v for k, v in entry.raw.items() if k != "id"}, sort_keys=True), entry)
        if len(distinct) > 1:
            found.setdefault(item_id, []).extend(f"{e.file}:{e.line}" for e in same)
            extra += [(row_key(item_id, number), e) for number, e in enumerate(list(distinct.values())[1:], 2)]
    return found, extra


def _read_release(path: Path) -> _Snapshot:
    """The items of one release; the second row of an ID given to two rows is followed as its own row."""
    from ra2docs.importer import build  # the importer reads docutils and Markdown: only when computing

    result = build(path)
    duplicates, extra_rows = _duplicates(result.collected.entries)
    items: dict[str, Item] = {}
    origins: dict[str, str] = {}
    for name in sorted(result.files):
        for data, origin in zip(result.files[name].get("items") or [], result.origins.get(name, []), strict=False):
            item_id = str(data.get("id", ""))
            if item_id and item_id not in items:
                file, _, line = origin.rpartition(":")
                items[item_id] = Item(
                    item_id, str(data.get("kind", "")), data, file, int(line) if line.isdigit() else 0
                )
                origins[item_id] = origin
    for key, entry in extra_rows:
        data = {k: v for k, v in entry.data.items() if k != "listings"}
        items[key] = Item(key, entry.kind, data, entry.file, entry.line)
        origins[key] = f"{entry.file}:{entry.line}"
    return _Snapshot(items, origins, duplicates)


def _similar_renames(
    old: dict[str, Item], new: dict[str, Item], removed: list[str], added: list[str], renames: Renames
) -> list[tuple[str, str, float]]:
    """Pairs of a removed and an added item of one kind whose main text is nearly the same, best first, each once."""
    scored = []
    for old_id in removed:
        before = renames.text(old[old_id].text or old[old_id].title)
        for new_id in added:
            if new[new_id].kind != old[old_id].kind:
                continue
            after = new[new_id].text or new[new_id].title
            if not before or not after:
                continue
            matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
            if matcher.real_quick_ratio() >= SIMILAR_TEXT and matcher.quick_ratio() >= SIMILAR_TEXT:
                ratio = matcher.ratio()
                if ratio >= SIMILAR_TEXT:
                    scored.append((ratio, old_id, new_id))
    pairs, used_old, used_new = [], set(), set()  # apart: an ID given to another item is on both sides
    for ratio, old_id, new_id in sorted(scored, key=lambda s: (-s[0], natural_key(s[2]))):
        if old_id not in used_old and new_id not in used_new:
            used_old.add(old_id)
            used_new.add(new_id)
            pairs.append((old_id, new_id, ratio))
    return pairs


def _short_title(item: Item) -> str:
    """An item's title, else the start of its text (Reference Model rows have a description only)."""
    words = " ".join(plain_text(item.title or item.text).split())
    return words if len(words) <= 80 else words[:77].rsplit(" ", 1)[0] + " ..."


def _respelled(removed: list[str], added: list[str]) -> list[tuple[str, str, str]]:
    """One ID written with and without stray blanks ('infra.com. cfg.001', RA2 2022-2024): the same ID."""
    squeezed = {"".join(i.split()): i for i in added}
    return [
        (old, squeezed["".join(old.split())], "same ID without blanks")
        for old in removed
        if squeezed.get("".join(old.split()), old) != old
    ]


def _alike(before: str, after: str) -> float:
    """The share of words two texts have in common, in order (characters would find 'The Architecture must'
    alike in any two requirements)."""
    return difflib.SequenceMatcher(None, before.lower().split(), after.lower().split(), autojunk=False).ratio()


def _maybe_reused(old: Item, new: Item) -> bool:
    """The same ID whose title (when both have one) and main text are both unlike the release before."""
    old_text, new_text = plain_text(old.text), plain_text(new.text)
    if not old_text.strip() or not new_text.strip():
        return False  # a placeholder filled in is the item written, not another item
    if old.title and new.title and _alike(plain_text(old.title), plain_text(new.title)) >= REUSED_TEXT:
        return False
    return _alike(old_text, new_text) < REUSED_TEXT


def _pairs(before: _Snapshot, after: _Snapshot, removed: list[str], added: list[str]) -> list[tuple[str, str, str]]:
    """(old, new, why) for each item found under another ID: same ID without blanks, same content, similar text."""
    pairs = _respelled(removed, added)
    pairs += [
        (o, n, "same content")
        for o, n in renames_by_content(
            before.items, after.items, _without(removed, pairs, 0), _without(added, pairs, 1)
        )
        if o != n
    ]
    renames = Renames((o, n) for o, n, _ in pairs)
    rest_removed, rest_added = _without(removed, pairs, 0), _without(added, pairs, 1)
    similar = _similar_renames(before.items, after.items, rest_removed, rest_added, renames)
    return pairs + [(o, n, f"similar text {ratio:.2f}") for o, n, ratio in similar if o != n]


def _without(ids: list[str], pairs: list[tuple[str, str, str]], side: int) -> list[str]:
    taken = {pair[side] for pair in pairs}
    return [i for i in ids if i not in taken]


def _note_changes(note: ReleaseNotes, event: Event) -> None:
    """A change of what the item says is 'changed'; one of its markup or placement only is 'reformatted'."""
    if event.substantive:
        note.changed.append(event.id)
    elif event.changes:
        note.reformatted.append(event.id)


def compute(folder: Path, until: str = "") -> History:
    """Import every release of ``folder`` (up to ``until``) and follow each item through them."""
    releases = releases_in(folder, until)
    lives: list[Life] = []
    current: dict[str, int] = {}  # ID in the previous release -> its life
    retired: dict[str, int] = {}  # ID retired earlier -> its life (an ID that comes back is the same item)
    notes: dict[str, ReleaseNotes] = {}
    titles: dict[str, str] = {}
    current_ids: dict[str, str] = {}  # every ID renamed so far -> the item's ID now
    before = _Snapshot({}, {})
    previous = ""
    for release in releases:
        after = _read_release(folder / release.name)
        note = ReleaseNotes(release.name, previous, len({id_of(key) for key in after.items}))
        titles.update((i, _short_title(item)) for i, item in after.items.items() if item.title or item.text)
        removed = sorted(set(before.items) - set(after.items), key=natural_key)
        added = sorted(set(after.items) - set(before.items), key=natural_key)
        kept = sorted(set(before.items) & set(after.items), key=natural_key)
        maybe = [i for i in kept if _maybe_reused(before.items[i], after.items[i])]
        pairs = _pairs(
            before, after, sorted([*removed, *maybe], key=natural_key), sorted([*added, *maybe], key=natural_key)
        )
        # an ID given to another item: its content before, or its content now, is found under another ID
        reused = {i for pair in pairs for i in pair[:2]} & set(maybe)
        note.reused = sorted(reused, key=natural_key)
        renamed_from = {new: (old, why) for old, new, why in pairs}
        for old_id, new_id, _ in pairs:
            current_ids.update({i: new_id for i, now in current_ids.items() if now == old_id})
            current_ids[old_id] = new_id
        next_current: dict[str, int] = {}
        for item_id in sorted(after.items, key=natural_key):
            item = after.items[item_id]
            origin = after.origins[item_id]
            if item_id in renamed_from:
                old_id, why = renamed_from[item_id]
                index = current[old_id]
                lives[index].ids.append(item_id)
                changes = _changes(before.items[old_id].data, item.data, current_ids)
                event = Event(release.name, "renamed", item_id, origin, old_id, why, changes)
                lives[index].events.append(event)
                note.renamed.append((old_id, item_id, why))
                _note_changes(note, event)
            elif item_id in before.items and item_id not in reused:
                index = current[item_id]
                changes = _changes(before.items[item_id].data, item.data, current_ids)
                if changes:
                    event = Event(release.name, "changed", item_id, origin, changes=changes)
                    lives[index].events.append(event)
                    _note_changes(note, event)
            elif item_id in retired:
                index = retired.pop(item_id)
                lives[index].events.append(Event(release.name, "reintroduced", item_id, origin))
                note.reintroduced.append(item_id)
            else:
                index = len(lives)
                lives.append(Life([item_id], item.kind, item.title))
                lives[index].events.append(Event(release.name, "introduced", item_id, origin))
                note.added.append(item_id)
            lives[index].kind, lives[index].title = item.kind, item.title or lives[index].title
            next_current[item_id] = index
        for old_id in _without(sorted([*removed, *reused], key=natural_key), pairs, 0):
            index = current[old_id]
            lives[index].events.append(Event(release.name, "retired", old_id))
            if old_id not in after.items:  # a reused ID that comes back later is the item that has it now
                retired[old_id] = index
            note.retired.append(old_id)
        note.renamed.sort(key=lambda r: natural_key(r[1]))
        note.duplicates = [(i, after.duplicates[i]) for i in sorted(after.duplicates, key=natural_key)]
        notes[release.name] = note
        current, before, previous = next_current, after, release.name
    return History(releases, lives, notes, titles)


# -- the cache -------------------------------------------------------------------------------------


@cache
def _code_digest() -> str:
    sha = hashlib.sha256(f"{FORMAT}/{VERSION}".encode())
    package = Path(__file__).parent
    for name in _CODE:
        path = package / name
        for source in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            sha.update(source.relative_to(package).as_posix().encode() + b"\0" + source.read_bytes())
    return sha.hexdigest()


def digest(folder: Path, until: str = "") -> str:
    """What the history of ``folder`` depends on: the releases' files (names and bytes), their list, ra2docs' code."""
    from ra2docs.importer import source_files

    releases = releases_in(folder, until)
    _, manifest_text = _manifest(folder)
    sha = hashlib.sha256(_code_digest().encode() + manifest_text.encode() + until.lower().encode())
    for release in releases:
        root = folder / release.name
        for path in source_files(root, "auto"):
            sha.update(f"\0{release.name}/{path.relative_to(root).as_posix()}\0".encode() + path.read_bytes())
    return sha.hexdigest()


def _tuple_changes(raw: list[dict[str, Any]]) -> tuple[Change, ...]:
    return tuple(
        Change(
            str(c["field"]), str(c["aspect"]), c["before"], c["after"], tuple((str(o), str(n)) for o, n in c["renamed"])
        )
        for c in raw
    )


def from_dict(data: dict[str, Any]) -> History:
    """A history read back from its JSON; KeyError, TypeError or ValueError when it is not one."""
    if data.get("format") != FORMAT or data.get("version") != VERSION:
        raise ValueError("not a history of this version")
    releases = [Release(**{k: str(v) for k, v in r.items()}) for r in data["releases"]]
    lives = []
    for raw in data["lives"]:
        events = [
            Event(**{k: str(v) for k, v in e.items() if k != "changes"}, changes=_tuple_changes(e["changes"]))
            for e in raw["events"]
        ]
        lives.append(Life([str(i) for i in raw["ids"]], str(raw["kind"]), str(raw["title"]), events))
    notes = {}
    for raw in data["notes"]:
        note = ReleaseNotes(**{k: v for k, v in raw.items() if k not in ("renamed", "duplicates")})
        note.renamed = [(str(o), str(n), str(w)) for o, n, w in raw["renamed"]]
        note.duplicates = [(str(i), [str(r) for r in rows]) for i, rows in raw["duplicates"]]
        notes[note.release] = note
    titles = {str(k): str(v) for k, v in data["titles"].items()}
    return History(releases, lives, notes, titles)


_computed: dict[str, History] = {}


def load(folder: Path, until: str = "", cache_dir: Path | None = None) -> History:
    """The history of ``folder``: from this process, else from ``cache_dir``, else computed (and kept there)."""
    key = digest(folder, until)
    if key in _computed:
        return _computed[key]
    entry = cache_dir / f"history-{key[:32]}.json" if cache_dir is not None else None
    history = None
    if entry is not None and entry.is_file() and not entry.is_symlink():
        try:
            history = from_dict(json.loads(entry.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            history = None  # not one of ours, or of another version: computed again
    if history is None:
        history = compute(folder, until)
        if entry is not None:
            try:
                entry.parent.mkdir(parents=True, exist_ok=True)
                temporary = entry.with_suffix(".tmp")
                temporary.write_text(json.dumps(history.as_dict(), ensure_ascii=True, default=str), encoding="utf-8")
                temporary.replace(entry)
            except OSError:
                pass  # a cache that cannot be written costs time, not facts
    _computed[key] = history
    return history
