"""Items' entries (object descriptions, as Sphinx's own domains render them), built at write time."""

from __future__ import annotations

import itertools
import re
from typing import Any

from ra2docs.sphinx.deferred import DeferredCells
from ra2docs.sphinx.nodes import ra2_deferred
from ra2docs.sphinx.tables import CellRenderer
from ra2docs.views.entries import EntryView

_WORD = re.compile(r"[^\W_]+")


def compounds(title: str) -> list[str]:
    """Each two neighbouring words of a title written as one ("Huge Pages" -> "HugePages")."""
    words = _WORD.findall(title)
    return [first + second for first, second in itertools.pairwise(words) if first.isalpha() and second.isalpha()]


def entries_node(directive: Any, entries: list[tuple[EntryView, bool, tuple[str, int]]]) -> ra2_deferred:
    """Entries (view, define, source) as one deferred node; with ``define`` an entry is its item's link target."""
    cells = DeferredCells(CellRenderer(directive))
    payload = []
    for view, define, source in entries:
        payload.append(
            {
                "item": view.item,
                "kind": view.kind,
                "define": define,
                "title": cells.markup(view.title, source, block=False) if view.title else None,
                "text": cells.markup(view.text, source) if view.text else None,
                "placeholder": view.placeholder,
                # a reader searches an entry by its ID, title and text, not by every field's value;
                # tuples, not lists: see ra2docs.sphinx.deferred (the garbage collector)
                "fields": tuple((name, cells.cell(cell, source, searched=False)) for name, cell in view.fields),
                "notes": cells.markup(view.notes, source) if view.notes else None,
                "graph": tuple(view.neighbours) or None,
            }
        )
    cells.words.extend(view.item for view, _, _ in entries)
    # a title's words also as one: a search for "hugepages" finds "Huge Pages" (and "huge pages" finds it anyway)
    cells.words.extend(compound for view, _, _ in entries for compound in compounds(view.title))
    return cells.finish("entries", payload)
