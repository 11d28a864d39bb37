"""What an item's entry and the release pages say of the spec's history (no Sphinx: the site and expand share it)."""

from __future__ import annotations

from typing import Any

from ra2docs import wordchanges
from ra2docs.history import Change, Event, History, Life, Release
from ra2docs.markup import plain_text
from ra2docs.model import natural_key
from ra2docs.views.table import Cell, text

VERBS = {
    "introduced": "introduced in",
    "changed": "changed in",
    "renamed": "renamed in",
    "retired": "retired in",
    "reintroduced": "back in",
}


def short(value: Any, width: int = 60) -> str:
    text = " ".join(str(value).split()) if value is not None else "(none)"
    return text if len(text) <= width else text[: width - 3] + "..."


def _plain(value: Any, width: int = 40) -> str:
    return short(plain_text(value) if isinstance(value, str) else value, width)


def _columns(before: Any, after: Any) -> str:
    """'column reference-implementation-trace: "3.3" -> "RI2 Infrastructure Requirements"', one per column."""
    old = before if isinstance(before, dict) else {}
    new = after if isinstance(after, dict) else {}
    parts = []
    # a column that got a heading (or another one) with the same cell: one move, not a removal and an addition
    moved: dict[str, str] = {}
    for gone in sorted(set(old) - set(new)):
        came = [c for c in sorted(set(new) - set(old)) if c not in moved.values() and new[c] == old[gone]]
        if came:
            moved[gone] = came[0]
            parts.append(f"column {gone} now headed {came[0]}")
    for column in sorted({*old, *new} - set(moved) - set(moved.values())):
        if old.get(column) == new.get(column):
            continue
        if column not in old:
            parts.append(f'column {column} added: "{_plain(new[column])}"')
        elif column not in new:
            parts.append(f'column {column} removed (was "{_plain(old[column])}")')
        elif plain_text(str(old[column])).split() == plain_text(str(new[column])).split():
            parts.append(f"column {column} (markup only)")
        else:  # the words that changed, a few around them: 'column x: … section [-Installation-] {+Setup+} …'
            pieces = wordchanges.compare(plain_text(str(old[column])), plain_text(str(new[column])))
            parts.append(f"column {column}: {wordchanges.as_plain(wordchanges.in_context(pieces, 3, 100)[0])}")
    return "; ".join(parts)


def _listings(before: Any, after: Any) -> str:
    """'listed again in 4.2'; 'no longer listed in 4.3'; 'its listing in 4.4 reworded'."""
    old = [x for x in before or [] if isinstance(x, dict)] if isinstance(before, list) else []
    new = [x for x in after or [] if isinstance(x, dict)] if isinstance(after, list) else []
    old_sections = [str(x.get("section", "")) for x in old]
    new_sections = [str(x.get("section", "")) for x in new]
    parts = [f"listed again in {s or '(no section)'}" for s in new_sections if s not in old_sections]
    parts += [f"no longer listed in {s or '(no section)'}" for s in old_sections if s not in new_sections]
    parts += [
        f"its listing in {s or '(no section)'} reworded"
        for s in dict.fromkeys(new_sections)
        if s in old_sections
        and [x for x in old if str(x.get("section", "")) == s] != [x for x in new if str(x.get("section", "")) == s]
    ]
    return "; ".join(parts) or "listings reordered"


def describe_change(change: Change) -> str:
    """'priority SHOULD -> MUST', 'statement (wording)', 'traces +gen.cnt.02 -req.gen.cnt.02'."""
    if change.field == "cells":
        return _columns(change.before, change.after)
    if change.field == "listings":
        return _listings(change.before, change.after)
    if change.aspect == "priority":
        return f"priority {change.before or '(none)'} -> {change.after or '(none)'}"
    if change.aspect in ("links", "renamed-links"):
        renamed = dict(change.renamed)
        before = set(change.before or []) if isinstance(change.before, list) else set()
        after = set(change.after or []) if isinstance(change.after, list) else set()
        parts = [f"+{i}" for i in sorted(after - before - set(renamed.values()), key=natural_key)]
        parts += [f"-{i}" for i in sorted(before - after - set(renamed), key=natural_key)]
        if renamed:
            pairs = sorted(renamed.items(), key=lambda r: natural_key(r[1]))
            parts.append(", ".join(f"{old} -> {new}" for old, new in pairs) + " (targets renamed)")
        return f"{change.field} {' '.join(parts)}".strip()
    if change.aspect == "values" and isinstance(change.before, dict | None) and isinstance(change.after, dict | None):
        old, new = change.before or {}, change.after or {}
        profiles = sorted(p for p in {*old, *new} if old.get(p) != new.get(p))
        return f"{change.field} " + "; ".join(
            f"{p}: {_plain(old.get(p, '(none)'))} -> {_plain(new.get(p, '(none)'))}" for p in profiles
        )
    if change.aspect == "markup":
        return f"{change.field} (markup only)"
    if change.aspect == "text":
        return f"{change.field} (wording)"
    if isinstance(change.before, dict | list) or isinstance(change.after, dict | list):
        return f"{change.field} changed"  # no structure is printed as a Python repr
    return f"{change.field}: {_plain(change.before, 30)} -> {_plain(change.after, 30)}"


def life_of(found: History, item_id: str) -> Life | None:
    """The life an item of the catalogue continues: the one that ends under its ID, else the latest with it."""
    lives = found.lives_of(item_id)
    current = [life for life in lives if life.id == item_id]
    chosen = current or lives
    return chosen[-1] if chosen else None


def _when(event: Event, releases: dict[str, Release]) -> str:
    release = releases.get(event.release)
    return release.label() if release else event.release


def duplicated(found: History, item_id: str) -> str:
    """'Kali (2021-06-28) .. Quinnipiac (2024-11-18), first ra2/chapter04.md:79, ra2/chapter04.md:88': the
    releases that give the ID to more than one row of a table, said once for all of them ('' when none)."""
    spans = [
        (release, rows)
        for release in found.releases
        for listed, rows in found.notes[release.name].duplicates
        if listed == item_id
    ]
    if not spans:
        return ""
    (first, rows), last = spans[0], spans[-1][0]
    when = first.label() if first is last else f"{first.label()} .. {last.label()}"
    return f"{when}, first {', '.join(rows)}"


def entry_fields(found: History, item_id: str) -> list[tuple[str, Cell]]:
    """What an entry shows of its item's life: introduced, changes by release, former IDs, retired."""
    life = life_of(found, item_id)
    if life is None:
        return []  # the releases' chapters do not list it (the Reference Model's own items, say)
    releases = {r.name: r for r in found.releases}
    fields: list[tuple[str, Cell]] = []
    first = life.introduced
    introduced = _when(first, releases) + (f" as {first.id}" if first.id != item_id else "")
    fields.append(("introduced in", text(introduced)))
    for event in life.events[1:]:
        if event.action == "retired" and event is life.retired:
            continue
        words = [] if event.action == "changed" else [VERBS.get(event.action, event.action).removesuffix(" in")]
        if event.action == "renamed":
            words = [f"renamed {event.former_id} -> {event.id} (inferred: {event.inferred})"]
        words += [describe_change(c) for c in event.changes]
        fields.append((f"changed in {_when(event, releases)}", text("; ".join(words))))
    if life.former_ids:
        fields.append(("former IDs", text(", ".join(life.former_ids))))
    if rows := duplicated(found, item_id):
        fields.append(("given to several rows", text(rows)))
    if life.retired is not None:
        fields.append(("retired in", text(_when(life.retired, releases))))
    return fields
