"""Directives that show catalogue items: definitions, one item, filtered tables."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.parsers.rst.directives.tables import ListTable
from docutils.utils import SystemMessagePropagation
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from ra2docs.model import Item
from ra2docs.sphinx.conformance import mark_sample_verdicts
from ra2docs.sphinx.domain import ra2_domain
from ra2docs.sphinx.entries import entries_node
from ra2docs.sphinx.history import history_of
from ra2docs.sphinx.state import known_item, note_query, note_usage, state
from ra2docs.sphinx.tables import CellRenderer, deferred_rows
from ra2docs.views.conformance import history_cell
from ra2docs.views.entries import entry_view
from ra2docs.views.items import (
    ItemQuery,
    TableOptionError,
    columns_from_option,
    item_table,
    query_from_options,
    select,
)

logger = logging.getLogger(__name__)


def entries(directive: SphinxDirective, items: list[Item], define: bool) -> nodes.Element:
    """The items' full entries; with ``define`` they become their items' link targets."""
    st = state(directive.env)
    graphs = set(directive.env.config.ra2docs_entry_graphs)
    domain = ra2_domain(directive.env)
    shown = []
    history = history_of(directive.env.app)
    if items:
        # an entry names the tables and comparisons that show its item, and says which kinds link to it
        # and none do: their captions, rows and members are what it depends on, beside the item itself
        cat = st.catalogue
        note_usage(
            directive.env, "sections", *(f"comparison:{c}" for c in cat.comparisons), *(f"kind:{k}" for k in cat.kinds)
        )
    for item in items:
        view = entry_view(st.graph, item, with_graph=item.kind in graphs, history=history)
        if define:
            domain.note_object(item.id, item.kind, item.title, item.id, location=directive.get_location())
        if view.neighbours:  # its graph shows the neighbours' titles
            note_usage(directive.env, *view.neighbours)
        by_run = history_cell(st.verdicts, item.id) if st.verdicts is not None else ()
        if by_run:  # its verdict run by run
            view.fields.append(("verdicts (sample results)" if st.samples else "verdicts by run", by_run))
            note_usage(directive.env, "results")
        shown.append((view, define, (item.file, item.line)))
    return entries_node(directive, shown)


class DefinitionsDirective(SphinxDirective):
    """``.. ra2:definitions::`` — the defining entries of every item of a ``:kind:`` and/or ``:section:``."""

    has_content = False
    option_spec: ClassVar = {"kind": directives.unchanged, "section": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        st = state(self.env)
        kind = self.options.get("kind", "").strip()
        section = self.options.get("section", "").strip()
        if not kind and not section:
            raise self.error("ra2:definitions: give :kind: or :section: (or both)")
        if kind and kind not in st.catalogue.kinds:
            raise self.error(f"ra2:definitions: unknown kind {kind!r}; kinds: {', '.join(st.catalogue.kinds)}")
        query = ItemQuery(kinds=(kind,) if kind else (), section=section, sort="id")
        note_query(self.env, query)
        items = [row.item for row in select(st.catalogue, query) if row.listing is None]
        # An item's fingerprint covers its incoming links, so its ID is enough.
        note_usage(self.env, *(i.id for i in items))
        return [entries(self, items, define=True)] if items else []


class ItemDirective(SphinxDirective):
    """``.. ra2:item:: ID`` — one item's entry, linked to its definition."""

    required_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        st = state(self.env)
        item_id = self.arguments[0]
        if not known_item(self.env, item_id, self.get_location()):
            return []
        note_usage(self.env, item_id, "profiles")
        return [entries(self, [st.catalogue.items[item_id]], define=False)]


def _split(value: str) -> list[str]:
    return [v for v in value.replace(",", " ").split() if v]


class TableDirective(ListTable, SphinxDirective):
    """``.. ra2:table:: [caption]`` — a numbered table of the items a query chooses.

    Query: ``:kind:`` (one or more), ``:section:`` (exact, or a glob such as
    ``2.2.*``), ``:category:``, ``:subcategory:``, ``:ids:`` (exact IDs, shown
    in that order, or globs), ``:profile:``; rows follow the catalogue's order
    unless ``:sort: id`` or ``:sort: section``. ``:columns:`` names what each
    column shows (see ``ra2docs.views.items``). The directive's content, when
    given, is the header row(s) in list-table form, kept as written; the
    list-table options (``:name:``, ``:widths:``, ``:header-rows:``,
    ``:class:``, ``:align:``, ``:width:``, ``:stub-columns:``) work as they do
    for a list-table, so the table is numbered and ``:numref:``-able.
    """

    required_arguments = 0
    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {
        **ListTable.option_spec,
        "kind": directives.unchanged,
        "section": directives.unchanged,
        "category": directives.unchanged,
        "subcategory": directives.unchanged,
        "ids": directives.unchanged,
        "profile": directives.unchanged,
        "columns": directives.unchanged,
        "sort": directives.unchanged,
        "caption": directives.unchanged,
        "interactive": directives.flag,  # sorting, a filter box, ra2docs' table style (else the project's default)
        "plain": directives.flag,  # the page's own table look, IDs as the theme's links
    }

    def query(self) -> ItemQuery:
        try:
            return query_from_options(self.options, state(self.env).catalogue)
        except TableOptionError as exc:
            raise self.error(f"ra2:table: {exc}") from None

    def columns(self) -> list[str]:
        try:
            return columns_from_option(self.options.get("columns", ""), state(self.env).catalogue)
        except TableOptionError as exc:
            raise self.error(f"ra2:table: {exc}") from None

    def header_rows(self, width: int) -> list[list[list[nodes.Node]]]:
        """The header rows written in the directive's content, parsed as a list-table's would be."""
        if not self.content:
            return []
        holder = nodes.Element()
        self.state.nested_parse(self.content, self.content_offset, holder)
        try:
            count, _widths = self.check_list_content(holder)
        except SystemMessagePropagation as detail:
            raise self.error(
                f"ra2:table: the header rows in the content are not a list-table: {detail.args[0].astext()}"
            ) from None
        if count != width:
            raise self.error(f"ra2:table: the header rows have {count} columns, :columns: names {width}")
        # check_list_content made sure: a list of items, each one holding the list of its cells
        rows = [[list(cell.children) for cell in row.children[0].children] for row in holder[0].children]
        wanted = self.options.get("header-rows")
        if wanted is not None and len(rows) != wanted:
            raise self.error(
                f"ra2:table: the content has {len(rows)} rows, and :header-rows: is {wanted}: only header rows are "
                "written here; the table's rows come from the catalogue (add the item there, with this section)"
            )
        return rows

    # a list-table's helpers build it, but a table no item matches is a paragraph (the stubs allow only tables)
    def run(self) -> list[nodes.Node]:  # type: ignore[override]
        st = state(self.env)
        query = self.query()
        columns = self.columns()
        if "caption" in self.options and not self.arguments:
            self.arguments = [self.options["caption"]]
        renderer = CellRenderer(self)
        written_headers = self.header_rows(len(columns))
        table = item_table(st.catalogue, st.graph, query, columns, st.verdicts)
        note_query(self.env, query, columns)
        if "verdict" in columns:
            note_usage(self.env, "results")
        if not table.rows:
            logger.warning(
                "ra2:table shows no item: no catalogue item matches its query "
                f"({', '.join(f'{k}={v}' for k, v in self.options.items() if k in QUERY_OPTIONS) or 'no filter'})",
                location=self.get_location(),
                type="ra2docs",
                subtype="empty-table",
            )
            return [nodes.paragraph("", "", nodes.emphasis("", "No catalogue items match this table's query."))]
        where = (self.get_source_info()[0] or "", self.lineno)
        if written_headers or self.options.get("header-rows") == 0:
            headers = written_headers
        else:
            headers = [[renderer.cell(cell, where) for cell in table.view.headers]]
        # each cell's text placed at its own line, so a message about its markup names it
        sources = [[(listed.item.file, listed.item.line_of(key)) for key in columns] for listed in table.rows]
        if "header-rows" not in self.options:
            self.options["header-rows"] = len(headers)
        title, messages = self.make_title()
        stub_columns = self.options.get("stub-columns", 0)
        try:
            widths = self.get_column_widths(len(columns))
            if isinstance(widths, tuple):  # docutils < 0.21 returns (widths, ...)
                widths = widths[0]
            if stub_columns > len(columns):
                raise self.error(f"ra2:table: {stub_columns} stub columns, but only {len(columns)} columns")
        except SystemMessagePropagation as detail:
            return [detail.args[0]]
        # The header rows as a list-table builds them; the body as one node built when the page is written.
        table_node = self.build_table_from_list(headers, widths, len(headers), stub_columns)
        tbody = next(table_node.findall(nodes.tbody))
        tbody += deferred_rows(renderer, table.view.rows, sources, where)
        for row in table.view.rows:
            if row.anchor:
                for item_id in (row.item, *row.also):
                    item = st.catalogue.items[item_id]
                    ra2_domain(self.env).note_object(
                        item_id, item.kind, item.title, item_id, location=self.get_location(), priority=1
                    )
        if "align" in self.options:
            table_node["align"] = self.options.get("align")
        interactive = self.env.config.ra2docs_interactive_tables
        if "interactive" in self.options or "plain" in self.options:
            interactive = "interactive" in self.options
        # an adopted page keeps its own look (ra2docs_interactive_tables = False): no sorting, no filter box
        look = ["ra2-table", "ra2-items"] if interactive else ["ra2-plain"]
        table_node["classes"] += [*look, *self.options.get("class", [])]
        if len(table.view.rows) > 30:
            table_node["classes"].append("longtable")
        self.set_table_width(table_node)
        self.add_name(table_node)
        if title:
            table_node.insert(0, title)
        if "verdict" in columns:
            mark_sample_verdicts(self.env, table_node)
        return [table_node, *messages]


QUERY_OPTIONS = ("kind", "section", "category", "subcategory", "ids", "profile")
