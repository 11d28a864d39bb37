"""Render view cells and tables as docutils nodes: the one renderer for every Sphinx builder.

Catalogue text (``("m", rst)`` parts) is parsed with the document's own
parser, in place, exactly as a hand-written ``list-table`` cell would be:
citations, references, footnotes and notes work and are numbered in
document order. Text without any markup skips the parser (most cells), and
text holding markup that is not allowed (``ra2docs.markup``, judged on the
tree docutils parses from the same text) is shown escaped, with a warning:
the page's parser never sees it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util import logging

from ra2docs.markup import inline_problems, is_plain, problems
from ra2docs.markup import lines as markup_lines
from ra2docs.sphinx.deferred import DeferredCells
from ra2docs.sphinx.nodes import xref
from ra2docs.sphinx.state import referenced
from ra2docs.views.parts import cell_nodes
from ra2docs.views.table import Cell, TableView, ViewRow

logger = logging.getLogger(__name__)


class CellRenderer:
    """Turns view cells into docutils nodes inside one directive (its parser state, its location)."""

    def __init__(self, directive: Any) -> None:
        self.directive = directive
        self.state = directive.state
        # Every ID a cell shows as a link: the page is written again when its target moves.
        self.references = referenced(directive.env)

    def warn_markup(self, text: str, source: tuple[str, int], reasons: list[str]) -> None:
        logger.warning(
            f"catalogue text shown escaped: {'; '.join(reasons)}",
            location=f"{source[0]}:{source[1]}",  # a catalogue file: not a (docname, line) pair
            type="ra2docs",
            subtype="markup",
        )

    @contextmanager
    def located(self, source: tuple[str, int]) -> Iterator[None]:
        """While catalogue text is parsed, roles and messages name the catalogue file and line.

        Roles ask the document's reporter where they are, and the reporter knows
        only the page's lines, so an unknown label in a cell would be reported
        at line 1 of the page rather than where the text is written.
        """
        reporter = self.state.document.reporter
        saved = reporter.get_source_and_line
        reporter.get_source_and_line = lambda lineno=None: source
        try:
            yield
        finally:
            reporter.get_source_and_line = saved

    def markup_nodes(self, text: str, source: tuple[str, int]) -> list[nodes.Node]:
        """Body elements for catalogue markup, as a list-table cell holding it would give."""
        if is_plain(text):
            return [nodes.paragraph(text, text)]
        found = problems(text)
        if found:
            self.warn_markup(text, source, sorted({p.message for p in found}))
            return [nodes.paragraph(text, "", nodes.literal(text, text, classes=["ra2-escaped"]))]
        holder = nodes.Element()
        lines = StringList(markup_lines(text), source=source[0])  # the lines the check judged
        lines.items = [(source[0], source[1] - 1 + index) for index in range(len(lines))]
        with self.located(source):
            self.state.nested_parse(lines, 0, holder)
        return list(holder.children)

    def inline_nodes(self, text: str, source: tuple[str, int]) -> list[nodes.Node]:
        """Inline nodes for catalogue markup inside a paragraph of computed parts."""
        if is_plain(text):
            return [nodes.Text(text)]
        found = inline_problems(text)
        if found:
            self.warn_markup(text, source, sorted({p.message for p in found}))
            return [nodes.literal(text, text, classes=["ra2-escaped"])]
        with self.located(source):
            parsed, messages = self.state.inline_text(" ".join(text.split()), source[1])
        return [*parsed, *messages]

    def link(self, item_id: str, literal: nodes.literal) -> nodes.Node:
        self.references.add(item_id)
        return xref(item_id, literal)

    def cell(self, cell: Cell, source: tuple[str, int]) -> list[nodes.Node]:
        """The children of a table entry (ra2docs.views.parts builds them; catalogue markup is parsed here)."""
        return cell_nodes(
            cell,
            link=self.link,
            inline_markup=lambda text: self.inline_nodes(text, source),
            block_markup=lambda text: self.markup_nodes(text, source),
        )


def deferred_rows(
    renderer: CellRenderer,
    rows: list[ViewRow],
    sources: list[list[tuple[str, int]]] | None,
    default: tuple[str, int],
) -> nodes.Element:
    """A table body's rows as one node built at write time (ra2docs.sphinx.deferred).

    ``sources`` places each cell of each row (its catalogue file and line).
    """
    cells = DeferredCells(renderer)
    payload = []
    for index, row in enumerate(rows):
        places = sources[index] if sources and index < len(sources) else []
        payload.append(
            {
                # tuples, not lists: see ra2docs.sphinx.deferred (the garbage collector)
                "cells": tuple(
                    cells.cell(cell, places[column] if column < len(places) else default)
                    for column, cell in enumerate(row.cells)
                ),
                "classes": tuple(row.classes),
                "ids": (row.item, *row.also) if row.anchor and row.item else (),
            }
        )
    return cells.finish("rows", payload)


def table_from_view(
    directive: Any,
    view: TableView,
    caption: str | None = None,
    name: str | None = None,
    classes: list[str] | None = None,
    sources: list[list[tuple[str, int]]] | None = None,
) -> nodes.table:
    """A real docutils table (numbered when captioned, like any Sphinx table) from a table view.

    Rows about an item can carry the item's anchor (``ViewRow.anchor``); totals
    rows (``view.footer``) come last with their own class, so sorting in the
    browser leaves them in place.
    """
    renderer = CellRenderer(directive)
    where = directive.get_source_info()
    default = (str(where[0] or ""), int(where[1] or 0))
    table = nodes.table(classes=["ra2-table", *view.classes, *(classes or [])])
    if caption:  # it may come from the catalogue (a comparison's title): the allowlist applies
        table += nodes.title(caption, "", *renderer.inline_nodes(caption, default))
    columns = len(view.headers)
    group = nodes.tgroup(cols=columns)
    table += group
    for width in view.widths or [1] * columns:
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    header_row = nodes.row()
    for cell in view.headers:
        entry = nodes.entry()
        entry.extend(renderer.cell(cell, default))
        header_row += entry
    head += header_row
    group += head
    body = nodes.tbody()
    rows = [*view.rows, *view.footer]
    body += deferred_rows(renderer, rows, sources, default)
    group += body
    if len(rows) > 30:
        table["classes"].append("longtable")  # LaTeX: breaks across pages
    if name:
        directive.add_name(table) if hasattr(directive, "add_name") else table["names"].append(name)
    return table
