"""What an item's entry and the release pages say of the spec's history (no Sphinx: the site and expand share it)."""

from __future__ import annotations

from typing import Any

from ra2docs.history import Change, Event, History, Life, Release
from ra2docs.model import natural_key
from ra2docs.views.model import Cell, text

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


def describe_change(change: Change) -> str:
    """'priority SHOULD -> MUST', 'statement (wording)', 'traces +gen.cnt.02 -req.gen.cnt.02'."""
    if change.aspect == "priority":
        return f"priority {change.before or '(none)'} -> {change.after or '(none)'}"
    if change.aspect == "links":
        before = set(change.before or []) if isinstance(change.before, list) else set()
        after = set(change.after or []) if isinstance(change.after, list) else set()
        parts = [f"+{i}" for i in sorted(after - before, key=natural_key)]
        parts += [f"-{i}" for i in sorted(before - after, key=natural_key)]
        return f"{change.field} {' '.join(parts)}".strip()
    if change.aspect == "values" and isinstance(change.before, dict | None) and isinstance(change.after, dict | None):
        old, new = change.before or {}, change.after or {}
        profiles = sorted(p for p in {*old, *new} if old.get(p) != new.get(p))
        return f"{change.field} " + "; ".join(
            f"{p}: {old.get(p, '(none)')} -> {new.get(p, '(none)')}" for p in profiles
        )
    if change.aspect == "markup":
        return f"{change.field} (markup only)"
    if change.aspect == "text":
        return f"{change.field} (wording)"
    return f"{change.field}: {short(change.before, 30)} -> {short(change.after, 30)}"


def life_of(found: History, item_id: str) -> Life | None:
    """The life an item of the catalogue continues: the one that ends under its ID, else the latest with it."""
    lives = found.lives_of(item_id)
    current = [life for life in lives if life.id == item_id]
    chosen = current or lives
    return chosen[-1] if chosen else None


def _when(event: Event, releases: dict[str, Release]) -> str:
    release = releases.get(event.release)
    return release.label() if release else event.release


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
    if life.retired is not None:
        fields.append(("retired in", text(_when(life.retired, releases))))
    return fields
