"""An item's entry: what the catalogue reference (and ``ra2:item``) shows of one item.

Its title and text, every field the item writes, its profile values, the links
it writes and the ones other items write to it, its notes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ra2docs.graph import TraceGraph
from ra2docs.history import History
from ra2docs.model import Catalogue, Item
from ra2docs.views.history import entry_fields
from ra2docs.views.table import Cell, Part, markup, refs, text

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


# How an entry says that no item links to it, by link: "no specification traces to this item".
_VERBS = {"traces": "traces to", "verifies": "verifies", "related": "relates to", "refines": "refines"}


def _noun(name: str, label: str) -> str:
    """What to call a kind in a sentence: "specification" (its name) for "RA2 specification", else its label."""
    words = name.replace("-", " ")
    if label.lower().endswith(words):
        return words
    return label if label[:2].isupper() else label[:1].lower() + label[1:]


class _Mentions:
    """What every entry asks of the whole catalogue, worked out once per catalogue (not once per entry)."""

    def __init__(self, cat: Catalogue) -> None:
        self.size = len(cat.items)
        self.kinds = {item.kind for item in cat.items.values()}
        self.comparisons: dict[str, list[str]] = {}
        for comparison in cat.comparisons.values():
            for row in comparison.rows:
                shown = self.comparisons.setdefault(row.item, [])
                if comparison.id not in shown:
                    shown.append(comparison.id)


def _mentions(cat: Catalogue) -> _Mentions:
    return cat.memo("entry-mentions", lambda: _Mentions(cat), lambda found: found.size == len(cat.items))


def _possible_incoming(cat: Catalogue, kind: str) -> list[tuple[str, str]]:
    """(reverse link, sentence) for each link that some kind present in the catalogue may write to ``kind``."""
    found = []
    present = _mentions(cat).kinds
    for source in cat.kinds.values():
        if source.name not in present:
            continue
        for link in source.links.values():
            if kind in link.targets:
                verb = _VERBS.get(link.name, f"links ({link.name}) to")
                found.append((link.reverse, f"none: no {_noun(source.name, source.label)} {verb} this item"))
    return found


def _tables_showing(cat: Catalogue, item: Item) -> list[str]:
    """The captions of the section tables that list the item, and the titles of the comparisons with a row on it."""
    sections = [item.section] + [
        str(listing.get("section", "")) for listing in item.data.get("listings") or [] if isinstance(listing, dict)
    ]
    captions = []
    for number in dict.fromkeys(sections):
        section = cat.sections.get(number)
        if section is not None and section.caption:
            captions.append(f"{section.caption} (section {number})")
    for comparison_id in _mentions(cat).comparisons.get(item.id, []):
        comparison = cat.comparisons[comparison_id]
        captions.append(f"{comparison.title} (comparison {comparison.id})")
    return captions


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
    upstream_cells = item.data.get("cells") or {}
    for name in kind.links:
        written = [t for t in item.data.get(name, []) if isinstance(t, str)]
        if written:
            fields.append((name, refs(graph.sort_ids(set(written) | set(outgoing.get(name, []))))))
        elif name in upstream_cells:  # upstream's own words for a link it left open ("TBC")
            fields.append((name, (Part.text("none (upstream: "), *markup(upstream_cells[name]), Part.text(")"))))
        else:
            fields.append((name, text("none")))
    incoming: dict[str, list[str]] = {}
    for name, source_id in graph.incoming(item.id):
        incoming.setdefault(name, []).append(source_id)
    for name, sources in incoming.items():
        fields.append((name, refs(sources)))
    # what no item says of this one: an entry answers "which ... trace to it?" also when none do
    for reverse, sentence in _possible_incoming(cat, item.kind):
        if reverse not in incoming:
            fields.append((reverse, text(sentence)))
    tables = _tables_showing(cat, item)
    if tables:
        fields.append(("shown in", text("; ".join(tables))))
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
