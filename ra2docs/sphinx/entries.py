"""Items' entries (object descriptions, as Sphinx's own domains render them), built at write time."""

from __future__ import annotations

from typing import Any

from ra2docs.sphinx.deferred import Collector
from ra2docs.sphinx.nodes import ra2_deferred
from ra2docs.sphinx.tables import CellRenderer
from ra2docs.views.entries import EntryView


def entries_node(directive: Any, entries: list[tuple[EntryView, bool, tuple[str, int]]]) -> ra2_deferred:
    """Entries (view, define, source) as one deferred node; with ``define`` an entry is its item's link target."""
    collector = Collector(CellRenderer(directive))
    payload = []
    for view, define, source in entries:
        payload.append(
            {
                "item": view.item,
                "kind": view.kind,
                "define": define,
                "title": collector.markup(view.title, source, block=False) if view.title else None,
                "text": collector.markup(view.text, source) if view.text else None,
                "placeholder": view.placeholder,
                # a reader searches an entry by its ID, title and text, not by every field's value;
                # tuples, not lists: see ra2docs.sphinx.deferred (the garbage collector)
                "fields": tuple((name, collector.cell(cell, source, searched=False)) for name, cell in view.fields),
                "notes": collector.markup(view.notes, source) if view.notes else None,
                "graph": tuple(view.neighbours) or None,
            }
        )
    collector.words.extend(view.item for view, _, _ in entries)
    return collector.finish("entries", payload)
