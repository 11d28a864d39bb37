"""An item's entry: what the catalogue reference (and ``ra2:item``) shows of one item.

Its title and text, every field the item writes, its profile values, the links
it writes and the ones other items write to it, its notes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ra2docs.graph import TraceGraph
from ra2docs.history import History
from ra2docs.model import Item
from ra2docs.views.history import entry_fields
from ra2docs.views.model import Cell, markup, refs, text

# Shown elsewhere in the entry, or not at all (cells and listings belong to tables).
_SKIP_FIELDS = {"id", "kind", "title", "statement", "details", "description", "values", "notes", "cells", "listings"}
MARKUP_TYPES = {"text", "string"}  # catalogue text: reStructuredText from the allowlist
# An entry is shown away from the chapter that defines a footnote: its references are dropped there.
_FOOTNOTE_REFERENCE = re.compile(r"\\?\s?\[(?:#[\w.-]*|\d+|\*)\]_")


def without_footnotes(rst: str) -> str:
    return _FOOTNOTE_REFERENCE.sub("", rst)


@dataclass
class EntryView:
    item: str
    kind: str
    title: str
    text: str  # reStructuredText
    placeholder: bool
    fields: list[tuple[str, Cell]] = field(default_factory=list)
    notes: str = ""  # reStructuredText
    neighbours: list[str] = field(default_factory=list)  # for the trace graph, when one is drawn


def entry_view(graph: TraceGraph, item: Item, with_graph: bool = False, history: History | None = None) -> EntryView:
    cat = graph.catalogue
    kind = cat.kinds[item.kind]
    fields: list[tuple[str, Cell]] = [("kind", text(kind.label))]
    for name in kind.fields:
        if name in _SKIP_FIELDS or name not in item.data:
            continue
        value = item.data[name]
        if isinstance(value, dict):
            fields.append((name, text(", ".join(f"{k}: {v}" for k, v in value.items()))))
        elif isinstance(value, list):
            fields.append((name, text(", ".join(map(str, value)))))
        elif kind.fields[name].get("type") in MARKUP_TYPES:
            fields.append((name, markup(without_footnotes(str(value)))))
        else:
            fields.append((name, text(value)))
    for profile, value in item.values.items():
        title = cat.profiles[profile].title if profile in cat.profiles else profile
        fields.append((f"{title} profile", markup(without_footnotes(str(value)))))
    for name in ("section", "source", "tags", "changed"):
        value = item.data.get(name)
        if value:
            if name == "source" and value in cat.sources:
                source = cat.sources[value]
                value = f"{source.title}, {source.version}".rstrip(", ")
            fields.append((name, text(", ".join(value) if isinstance(value, list) else value)))
    outgoing: dict[str, list[str]] = {}
    for name, target in graph.outgoing(item.id):
        outgoing.setdefault(name, []).append(target)
    for name in kind.links:
        written = [t for t in item.data.get(name, []) if isinstance(t, str)]
        if written:
            fields.append((name, refs(graph.sort_ids(set(written) | set(outgoing.get(name, []))))))
    incoming: dict[str, list[str]] = {}
    for name, source_id in graph.incoming(item.id):
        incoming.setdefault(name, []).append(source_id)
    for name, sources in incoming.items():
        fields.append((name, refs(sources)))
    if history is not None:  # its life across the spec's releases (ra2docs_history)
        fields += entry_fields(history, item.id)
    neighbours = []
    if with_graph and (graph.incoming(item.id) or graph.outgoing(item.id)):
        neighbours = graph.sort_ids(graph.neighbourhood(item.id, 1))
    return EntryView(
        item=item.id,
        kind=item.kind,
        title=item.title,
        text=without_footnotes(item.text),
        placeholder=not item.text and (item.status == "placeholder" or not item.title),
        fields=fields,
        notes=without_footnotes(str(item.data.get("notes", ""))),
        neighbours=neighbours,
    )
