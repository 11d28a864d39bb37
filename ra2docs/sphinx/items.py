"""Directives that show catalogue items: definitions, one item, filtered tables."""

from __future__ import annotations

import fnmatch
from typing import ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from ra2docs.model import Item, natural_key
from ra2docs.sphinx.render import paragraph, xref
from ra2docs.sphinx.state import note_usage, state
from ra2docs.sphinx.views import Cell as ViewCell
from ra2docs.sphinx.views import entry_nodes, make_view, refs, search_text, text
from ra2docs.suggest import suggest_id

logger = logging.getLogger(__name__)


def entry(directive: SphinxDirective, item: Item, define: bool) -> nodes.Element:
    """An item's full entry as docutils nodes; with ``define`` it becomes the item's link target."""
    st = state(directive.env)
    desc = entry_nodes(st, item)
    sig = desc.children[0]
    if define:
        directive.env.get_domain("ra2").note_object(item.id, item.kind, item.title, item.id, location=directive)  # type: ignore[attr-defined]
    else:
        # Not the definition: the ID links to the entry that is.
        sig["ids"] = []
        sig.children[0].replace_self(xref(item.id))
    return desc


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
        items = [
            i
            for i in (st.catalogue.by_kind(kind) if kind else st.catalogue.sorted_items())
            if not section or i.section == section
        ]
        # An item's fingerprint covers its incoming links, so its ID is enough.
        tokens = [f"kind:{kind}"] if kind else [f"kind:{k}" for k in st.catalogue.kinds]
        note_usage(self.env, *tokens, "profiles", *(i.id for i in items))
        domain = self.env.get_domain("ra2")
        graphs = set(self.env.config.ra2docs_entry_graphs)
        for item in items:
            domain.note_object(item.id, item.kind, item.title, item.id, location=self)  # type: ignore[attr-defined]
            if item.kind in graphs:  # its graph shows the neighbours' titles
                note_usage(self.env, *st.graph.neighbourhood(item.id, 1))
        ids = [i.id for i in items]
        return [make_view("entries", {"ids": ids}, search_text(st, ids))]


class ItemDirective(SphinxDirective):
    """``.. ra2:item:: ID`` — one item's entry, linked to its definition."""

    required_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        st = state(self.env)
        item_id = self.arguments[0]
        if item_id not in st.catalogue.items:
            hint = suggest_id(item_id, st.catalogue.items.keys())
            logger.warning(
                f"ra2:item: unknown catalogue ID {item_id!r}" + (f"; did you mean {hint!r}?" if hint else ""),
                location=self.get_location(),
            )
            return []
        note_usage(self.env, item_id, "profiles")
        return [entry(self, st.catalogue.items[item_id], define=False)]


COLUMNS = {
    "id": "ID",
    "title": "Title",
    "text": "Description",
    "kind": "Kind",
    "priority": "Priority",
    "category": "Category",
    "subcategory": "Sub-category",
    "section": "Section",
    "component": "Component",
    "status": "Status",
    "links": "Traces to",
    "incoming": "Traced by",
}


def _split(value: str) -> list[str]:
    return [v for v in value.replace(",", " ").split() if v]


class TableDirective(SphinxDirective):
    """``.. ra2:table::`` — items chosen by kind, section, category, profile or ID pattern.

    Options: ``:kind:`` (one or more), ``:section:`` (prefix: ``2.2`` takes
    2.2.x), ``:category:``, ``:subcategory:``, ``:ids:`` (glob patterns),
    ``:profile:`` (items with a value for it), ``:columns:`` (id, title, text,
    kind, priority, category, subcategory, section, component, status, values,
    links, incoming), ``:caption:``.
    """

    has_content = False
    option_spec: ClassVar = {
        "kind": directives.unchanged,
        "section": directives.unchanged,
        "category": directives.unchanged,
        "subcategory": directives.unchanged,
        "ids": directives.unchanged,
        "profile": directives.unchanged,
        "columns": directives.unchanged,
        "caption": directives.unchanged,
    }

    def select(self) -> list[Item]:
        st = state(self.env)
        kinds = _split(self.options.get("kind", "")) or list(st.catalogue.kinds)
        for kind in kinds:
            if kind not in st.catalogue.kinds:
                raise self.error(f"ra2:table: unknown kind {kind!r}; kinds: {', '.join(st.catalogue.kinds)}")
        patterns = _split(self.options.get("ids", ""))
        section = self.options.get("section", "").strip()
        category = self.options.get("category", "").strip()
        subcategory = self.options.get("subcategory", "").strip()
        profile = self.options.get("profile", "").strip()
        chosen = []
        for item in st.catalogue.items.values():
            if item.kind not in kinds:
                continue
            if patterns and not any(fnmatch.fnmatchcase(item.id, p) for p in patterns):
                continue
            if section and not (item.section == section or item.section.startswith(section + ".")):
                continue
            if category and item.data.get("category") != category:
                continue
            if subcategory and item.data.get("subcategory") != subcategory:
                continue
            if profile and profile not in item.values:
                continue
            chosen.append(item)
        note_usage(self.env, *(f"kind:{k}" for k in kinds))
        return sorted(chosen, key=lambda i: (natural_key(i.section), natural_key(i.id)))

    def run(self) -> list[nodes.Node]:
        st = state(self.env)
        items = self.select()
        columns = _split(self.options.get("columns", "")) or ["id", "title", "text"]
        for column in columns:
            if column not in COLUMNS and column != "values":
                raise self.error(f"ra2:table: unknown column {column!r}; columns: {', '.join([*COLUMNS, 'values'])}")
        profiles = list(st.catalogue.profiles.values())
        headers: list[str] = []
        for column in columns:
            if column == "values":
                headers.extend(f"{p.title} profile" for p in profiles)
            else:
                headers.append(COLUMNS[column])
        rows: list[list[ViewCell]] = []
        note_usage(self.env, *(item.id for item in items))
        if "values" in columns:
            note_usage(self.env, "profiles")
        for item in items:
            row: list[ViewCell] = []
            for column in columns:
                if column == "id":
                    row.append(refs([item.id]))
                elif column == "title":
                    row.append(text(item.title))
                elif column == "text":
                    row.append(text(item.text))
                elif column == "kind":
                    row.append(text(st.catalogue.kinds[item.kind].label))
                elif column == "values":
                    row.extend(text(item.values.get(p.id, "")) for p in profiles)
                elif column == "status":
                    row.append(text(item.status))
                elif column == "links":
                    row.append(refs(st.graph.targets_of(item.id)))
                elif column == "incoming":
                    row.append(refs(sorted({s for _, s in st.graph.incoming(item.id)}, key=natural_key)))
                else:
                    row.append(text(item.data.get(column, "")))
            rows.append(row)
        if not rows:
            return [paragraph(nodes.emphasis("", "No catalogue items match this table's filter."))]
        payload = {"headers": headers, "rows": rows, "caption": self.options.get("caption"), "classes": ["ra2-items"]}
        return [make_view("table", payload)]
