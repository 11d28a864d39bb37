"""``ra2docs history``: an item's life across releases, or what changed in one release (text or JSON)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from ra2docs.commands.common import Console, add_command
from ra2docs.escaping import for_terminal, json_dumps
from ra2docs.findings import ExitCode, Ra2docsError
from ra2docs.history import Change, Event, History, Life, Release, cache_folder, id_of, load
from ra2docs.kinds import builtin_kinds
from ra2docs.suggest import suggest_id
from ra2docs.views.history import VERBS, describe_change, duplicated, short

RELEASES_ENV = "RA2DOCS_RELEASES"


def describe_event(event: Event, releases: dict[str, Release]) -> str:
    where = releases[event.release].label() if event.release in releases else event.release
    line = f"{VERBS.get(event.action, event.action)} {where}"
    if event.action == "renamed":
        line += f": {event.former_id} -> {event.id} (inferred: {event.inferred})"
    elif event.action in ("introduced", "reintroduced") and event.origin:
        line += f" as {event.id}"
    if event.changes:
        line += ("; " if event.action == "renamed" else ": ") + "; ".join(describe_change(c) for c in event.changes)
    if event.origin:
        line += f"  [{event.origin}]"
    return line


def _kind_label(kind: str) -> str:
    spec = builtin_kinds().get(kind)
    return spec.label if spec else kind


def life_text(history: History, life: Life) -> list[str]:
    releases = {r.name: r for r in history.releases}
    head = f"{life.id} ({_kind_label(life.kind)})"
    if life.title:
        head += f": {short(life.title, 70)}"
    lines = [head]
    if life.former_ids:
        lines.append(f"  former IDs: {', '.join(life.former_ids)}")
    lines += [f"  {describe_event(e, releases)}" for e in life.events]
    if life.id == id_of(life.id) and (rows := duplicated(history, life.id)):
        lines.append(f"  given to several rows of one table: {rows}")
    if life.retired is None:
        lines.append(f"  still in {history.releases[-1].label()}, the last release of the history")
    return lines


def event_dict(event: Event, releases: dict[str, Release]) -> dict[str, Any]:
    release = releases.get(event.release)
    return {
        "release": event.release,
        "date": release.date if release else "",
        "action": event.action,
        "id": event.id,
        "origin": event.origin,
        "former_id": event.former_id,
        "inferred": event.inferred,
        "changes": [
            {
                "field": c.field,
                "aspect": c.aspect,
                "before": c.before,
                "after": c.after,
                "renamed": [list(pair) for pair in c.renamed],
            }
            for c in event.changes
        ],
    }


def life_dict(history: History, life: Life) -> dict[str, Any]:
    releases = {r.name: r for r in history.releases}
    return {
        "id": life.id,
        "kind": life.kind,
        "title": life.title,
        "former_ids": life.former_ids,
        "introduced": life.introduced.release,
        "retired": life.retired.release if life.retired else None,
        "events": [event_dict(e, releases) for e in life.events],
    }


def _changes_of(history: History, release: Release, ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    changed = {}
    for item_id in ids:
        for life in history.lives_of(item_id):
            for event in life.in_release(release.name):
                if event.id == item_id and event.changes:
                    changed[item_id] = event_dict(event, {release.name: release})["changes"]
    return changed


def release_dict(history: History, release: Release) -> dict[str, Any]:
    note = history.notes[release.name]
    return {
        "release": release.name,
        "date": release.date,
        "commit": release.commit,
        "repository": release.repository,
        "previous": note.previous,
        "items": note.items,
        "added": note.added,
        "reintroduced": note.reintroduced,
        "retired": note.retired,
        "renamed": [{"from": o, "to": n, "inferred": w} for o, n, w in note.renamed],
        "reused": note.reused,
        "changed": _changes_of(history, release, note.changed),
        "reformatted": _changes_of(history, release, note.reformatted),
        "duplicates": [{"id": i, "rows": rows} for i, rows in note.duplicates],
    }


def _change_lines(changes: dict[str, list[dict[str, Any]]]) -> list[str]:
    lines = []
    for item_id, listed in changes.items():
        text = "; ".join(
            describe_change(Change(c["field"], c["aspect"], c["before"], c["after"], tuple(map(tuple, c["renamed"]))))
            for c in listed
        )
        lines.append(f"    {item_id}: {text}")
    return lines


def release_text(history: History, release: Release) -> list[str]:
    data = release_dict(history, release)
    releases = {r.name: r for r in history.releases}
    against = f", against {releases[data['previous']].label()}" if data["previous"] else " (the first release)"
    lines = [f"{release.label()}{against}: {data['items']} items"]
    for key in ("added", "reintroduced", "retired"):
        ids = data[key]
        lines.append(f"  {key} ({len(ids)})" + (f": {', '.join(ids)}" if ids else ""))
    lines.append(f"  renamed ({len(data['renamed'])}, each inferred)" + (":" if data["renamed"] else ""))
    lines += [f"    {r['from']} -> {r['to']} ({r['inferred']})" for r in data["renamed"]]
    if data["reused"]:
        lines.append(f"  IDs given to another item ({len(data['reused'])}): {', '.join(data['reused'])}")
    changed = data["changed"]
    lines.append(f"  changed ({len(changed)}: text, values, priority or links)" + (":" if changed else ""))
    lines += _change_lines(data["changed"])
    reformatted = data["reformatted"]
    lines.append(
        f"  markup or placement only ({len(reformatted)})" + (f": {', '.join(reformatted)}" if reformatted else "")
    )
    if data["duplicates"]:
        lines.append(f"  IDs given to more than one row ({len(data['duplicates'])}):")
        lines += [f"    {d['id']}: {', '.join(d['rows'])}" for d in data["duplicates"]]
    return lines


def run(args: argparse.Namespace, console: Console) -> int:
    folder_text = args.releases or os.environ.get(RELEASES_ENV, "")
    if not folder_text:
        raise Ra2docsError(
            f"name the folder of releases: --releases FOLDER (or {RELEASES_ENV}); it holds FOLDER/<release>/ra2/..."
        )
    if bool(args.id) == bool(args.release):
        raise Ra2docsError("give an ID (ra2docs history gen.cnt.02) or --release NAME, one of them")
    history = load(Path(folder_text), args.until or "", None if args.no_cache else cache_folder())
    if args.release:
        release = history.release(args.release)
        payload: Any = release_dict(history, release)
        lines = release_text(history, release)
    else:
        lives = history.lives_of(args.id)
        if not lives:
            hint = suggest_id(args.id, history.ids())
            more = f"; did you mean '{hint}'?" if hint else ""
            names = f"{history.releases[0].name} .. {history.releases[-1].name}"
            raise Ra2docsError(f"no item '{args.id}' in any release of the history ({names}){more}")
        payload = {"id": args.id, "lives": [life_dict(history, life) for life in lives]}
        lines = [line for life in lives for line in life_text(history, life)]
    if args.format == "json":
        console.document(json_dumps(payload) + "\n")
    else:
        console.out("".join(for_terminal(line) + "\n" for line in lines))  # a line's own line ends shown
    return ExitCode.CLEAN


def add_parser(sub: Any) -> None:
    parser = add_command(
        sub,
        "history",
        "an item's life across the spec's releases, or what changed in one release",
        "Import every release of a history folder (FOLDER/<release>/ra2/..., releases and dates from "
        "FOLDER/releases.yaml or the Anuket releases ra2docs knows) and print when an item was introduced, "
        "changed (which fields), renamed (inferred from content) and retired, or what one release added, "
        "retired, renamed and changed. Computed once per set of sources and cached.",
    )
    parser.add_argument("id", nargs="?", metavar="ID", help="an item's ID, current or former")
    parser.add_argument("--release", metavar="NAME", help="what changed in this release")
    parser.add_argument("--releases", metavar="FOLDER", help=f"the folder of releases (default: ${RELEASES_ENV})")
    parser.add_argument("--until", metavar="NAME", help="the last release to consider")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--no-cache", action="store_true", help="compute again, do not read or write the cache")
    parser.set_defaults(handler=run)
