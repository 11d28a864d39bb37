"""Tables of catalogue items: which items (a query) and what each column shows.

Rows follow the catalogue's own order (the order of its files, then of the
items in each file: upstream's row order for an imported chapter) unless a
sort is asked for. An item may also be listed in another section's table
(``listings``), with the cells that table shows for it.

A column is a key: a field (``title``, ``text``, ``category``,
``values.basic`` ...), a link field (``traces``) or its derived reverse
(``specified-by``), ``verdict``, ``text-or-title`` (the text, else the title: what a
"Description" column of RA2 chapter 2 shows), or any key of the items' ``cells``.

The IDs a link column shows are derived from the links, never typed twice.
An item's ``cells`` hold what no field holds (a column of upstream's own),
and may word a link column as upstream did ("infra.com.cfg.004 from the
Reference Model, chapter 5"): such a cell text is checked on every run
against the links it stands for (``derived_ids``; rule RA407), so that it
can never silently disagree with them. ``omitted-links`` names the links a
cell text deliberately leaves out, where upstream's own tables disagree.

A row may stand for several items (``row-with``: upstream's rows of several
IDs): their IDs, texts, values and links fill the row with the first item's.
"""

from __future__ import annotations

import fnmatch
import hashlib
from dataclasses import dataclass, field
from typing import Any

from ra2docs.cells import derived_ids, row_items
from ra2docs.graph import TraceGraph, id_rank
from ra2docs.model import Catalogue, Item, is_mandatory, natural_key
from ra2docs.views.table import EMPTY, Cell, Part, TableView, ViewRow, markup, refs, text

# Default headers of the columns that are not profile values or cells.
COLUMN_LABELS = {
    "id": "ID",
    "title": "Title",
    "text": "Description",
    "text-or-title": "Description",
    "statement": "Statement",
    "details": "Details",
    "description": "Description",
    "kind": "Kind",
    "priority": "Priority",
    "category": "Category",
    "subcategory": "Sub-category",
    "section": "Section",
    "rm-section": "Reference Model Section",
    "component": "Component",
    "unit": "Unit",
    "baseline": "Baseline project",
    "status": "Status",
    "links": "Traces to",
    "incoming": "Traced by",
    "spec-ref": "Specification Reference",
    "verdict": "Verdict",
    "values": "Requirement (common to all profiles)",
}
PLAIN_FIELDS = {"kind", "priority", "status", "section"}
SORTS = ("catalogue", "id", "section")


@dataclass(frozen=True)
class ItemQuery:
    """Which items a table shows. Every filter given must hold."""

    kinds: tuple[str, ...] = ()
    section: str = ""  # exact section, or a glob ('2.2.*')
    ids: tuple[str, ...] = ()  # exact IDs (shown in this order) or globs
    category: str = ""
    subcategory: str = ""
    profile: str = ""  # items with a value for this profile
    sort: str = "catalogue"

    def key(self) -> str:
        """A stable name for the query (incremental builds remember which queries a page ran)."""
        return "query:" + hashlib.blake2b(repr(self).encode(), digest_size=10).hexdigest()


@dataclass
class Listed:
    item: Item
    listing: dict[str, Any] | None = None  # the item's listing in this table's section, when not its own
    own_section: bool = False  # the table is in the item's own section


def _section_matches(pattern: str, section: str) -> bool:
    if not pattern:
        return True
    if any(ch in pattern for ch in "*?["):
        return fnmatch.fnmatchcase(section, pattern)
    return section == pattern


def _exact_ids(ids: tuple[str, ...]) -> bool:
    return bool(ids) and not any(ch in i for i in ids for ch in "*?[")


class _Index:
    """Items by section (their own, and their listings'), by kind, in catalogue order: built once per catalogue."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.position = {item_id: index for index, item_id in enumerate(catalogue.items)}
        self.by_section: dict[str, list[Item]] = {}
        self.by_kind: dict[str, list[Item]] = {}
        for item in catalogue.items.values():
            sections = {item.section}
            for listing in item.data.get("listings") or []:
                if isinstance(listing, dict):
                    sections.add(str(listing.get("section", "")))
            for section in sections:
                self.by_section.setdefault(section, []).append(item)
            self.by_kind.setdefault(item.kind, []).append(item)


def _index(catalogue: Catalogue) -> _Index:
    return catalogue.memo(
        "selection-index", lambda: _Index(catalogue), lambda index: len(index.position) == len(catalogue.items)
    )


def _candidates(catalogue: Catalogue, query: ItemQuery, wanted: set[str]) -> list[Item]:
    """The items a query may choose, in catalogue order, without looking at every item when it need not."""
    if wanted:
        order = _index(catalogue).position
        return [catalogue.items[i] for i in sorted(wanted & catalogue.items.keys(), key=order.__getitem__)]
    if query.section and not any(ch in query.section for ch in "*?["):
        return _index(catalogue).by_section.get(query.section, [])
    if len(query.kinds) == 1:
        return _index(catalogue).by_kind.get(query.kinds[0], [])
    return list(catalogue.items.values())


def select(catalogue: Catalogue, query: ItemQuery) -> list[Listed]:
    """The rows of a table: items (and listings of items) that match the query, in order.

    An item gives its own row where its section matches, then a row for each of
    its listings whose section matches (a table may list an item twice: upstream
    did, and check reports it). With exact ``ids`` the rows follow that list; an
    ID named twice takes the item's next row.
    """
    kinds = set(query.kinds)
    exact = _exact_ids(query.ids)
    wanted = set(query.ids) if exact else set()
    by_item: dict[str, list[Listed]] = {}
    chosen: list[Listed] = []
    for item in _candidates(catalogue, query, wanted):
        if kinds and item.kind not in kinds:
            continue
        if exact:
            if item.id not in wanted:
                continue
        elif query.ids and not any(fnmatch.fnmatchcase(item.id, p) for p in query.ids):
            continue
        if query.category and item.data.get("category") != query.category:
            continue
        if query.subcategory and item.data.get("subcategory") != query.subcategory:
            continue
        if query.profile and query.profile not in item.values:
            continue
        rows = []
        if _section_matches(query.section, item.section):
            rows.append(Listed(item, None, bool(query.section)))
        if query.section:
            for listing in item.data.get("listings") or []:
                if isinstance(listing, dict) and _section_matches(query.section, str(listing.get("section", ""))):
                    rows.append(Listed(item, listing))
        by_item[item.id] = rows
        chosen.extend(rows)
    if exact:
        taken: dict[str, int] = {}
        ordered: list[Listed] = []
        for item_id in query.ids:
            rows = by_item.get(item_id, [])
            position = taken.get(item_id, 0)
            if position < len(rows):
                ordered.append(rows[position])
                taken[item_id] = position + 1
        return ordered
    if query.sort == "id":
        rank = id_rank(catalogue)  # not natural_key per row: its cache is smaller than a large catalogue
        chosen.sort(key=lambda row: rank[row.item.id])
    elif query.sort == "section":
        order = _index(catalogue).position  # catalogue order, kept once per catalogue
        chosen.sort(key=lambda row: (natural_key(row.item.section), order[row.item.id]))
    return chosen


def known_columns(catalogue: Catalogue) -> set[str]:
    """Every column key a table may name (cells keys excepted: any key is allowed there)."""
    keys = set(COLUMN_LABELS)
    for kind in catalogue.kinds.values():
        keys.update(kind.fields)
        keys.update(kind.links)
        keys.update(link.reverse for link in kind.links.values())
    keys.update(f"values.{p}" for p in catalogue.profiles)
    return keys


def column_cell(
    key: str,
    row: Listed,
    graph: TraceGraph,
    verdicts: Any = None,
) -> Cell:
    """What column ``key`` shows for one row."""
    item = row.item
    if item.data.get("row-with"):
        grouped = _group_cell(key, row, graph)
        if grouped is not None:
            return grouped
    name = key[6:] if key.startswith("cells.") else key
    if row.listing is not None:
        overrides = row.listing.get("cells") or {}
        if name in overrides:
            return markup(overrides[name])
    cells = item.data.get("cells") or {}
    if name in cells:
        return markup(cells[name])
    if key.startswith("cells."):
        return EMPTY
    if key == "id":
        return refs([item.id])
    if key == "text":
        return markup(item.text)
    if key == "text-or-title":  # upstream's Description column: the RM's label where it gives no definition
        return markup(item.text or item.title)
    if key == "kind":
        kind = graph.catalogue.kinds.get(item.kind)
        return text(kind.label if kind else item.kind)
    if key == "verdict":
        word = verdicts.of(item.id) if verdicts is not None else "no test"
        return (Part.verdict(word),)
    if key == "values":
        values = [str(v) for v in item.values.values()]
        if values and all(v == values[0] for v in values):
            return markup(values[0])
        profiles = graph.catalogue.profiles
        return markup("; ".join(f"{profiles[p].title if p in profiles else p}: {v}" for p, v in item.values.items()))
    if key.startswith("values."):
        return markup(item.values.get(key[7:], ""))
    if key == "links":
        return refs([t for _, t in graph.outgoing(item.id)])
    if key == "incoming":
        return refs(graph.sort_ids({s for _, s in graph.incoming(item.id)}))
    if key == "spec-ref":
        specs = graph.sources_of(item.id, field="traces", kind="specification")
        if specs:
            return refs(specs)
        return (Part.bold("N/A"),) if is_mandatory(item) else text("N/A")
    kinds = graph.catalogue.kinds
    spec = kinds.get(item.kind)
    if spec is not None and key in spec.links:
        return refs(graph.sort_ids({t for name, t in graph.outgoing(item.id) if name == key}))
    reverse = {link.reverse: link.name for kind in kinds.values() for link in kind.links.values()}
    if key in reverse:
        return refs(graph.sources_of(item.id, field=reverse[key]))
    value = item.data.get(key, "")
    if isinstance(value, list):
        value = ", ".join(map(str, value))
    if isinstance(value, dict):
        return EMPTY
    return text(value) if key in PLAIN_FIELDS else markup(value)


def row_anchors(item: Item, catalogue: Catalogue) -> tuple[str, ...]:
    """The items of a row of several that have no row of their own: their anchor is on the first such row."""

    def row_homes() -> dict[str, str]:
        homes: dict[str, str] = {}
        for owner in catalogue.items.values():
            for member in owner.data.get("row-with") or []:
                if member in catalogue.items and not catalogue.items[member].section:
                    homes.setdefault(member, owner.id)
        return homes

    homes = catalogue.memo("row-homes", row_homes)
    return tuple(m for m in item.data.get("row-with") or [] if homes.get(m) == item.id)


def _joined(texts: list[str]) -> str:
    """Texts of a row's items as upstream writes them: '1, 2, 3 Gbps' for '1 Gbps', '2 Gbps', '3 Gbps'."""
    if len(texts) > 1 and all(len(t.split()) == 2 for t in texts) and len({t.split()[1] for t in texts}) == 1:
        return ", ".join(t.split()[0] for t in texts) + " " + texts[0].split()[1]
    return ", ".join(texts)


def _group_cell(key: str, row: Listed, graph: TraceGraph) -> Cell | None:
    """What a column shows for a row of several items, where it differs from the first item's own."""
    group = row_items(row.item, graph.catalogue)
    if len(group) == 1 or (row.listing is not None and key in (row.listing.get("cells") or {})):
        return None
    if key in (row.item.data.get("cells") or {}):
        return None
    ids = derived_ids(key, row.item, graph)
    if ids is not None:
        return refs(ids)
    if key == "text":
        return markup(_joined([member.text for member in group]))
    if key.startswith("values."):
        found = [str(member.values.get(key[7:], "")) for member in group]
        if len(set(found)) == 1:
            return markup(found[0])
        return markup("; ".join(f"{member.id}: {value}" for member, value in zip(group, found, strict=True)))
    return None


def default_headers(columns: list[str], catalogue: Catalogue) -> list[Cell]:
    headers: list[Cell] = []
    for key in columns:
        if key.startswith("values."):
            profile = catalogue.profiles.get(key[7:])
            headers.append(text(f"{profile.title if profile else key[7:]} profile"))
        elif key in COLUMN_LABELS:
            headers.append(text(COLUMN_LABELS[key]))
        else:
            name = key[6:] if key.startswith("cells.") else key
            headers.append(text(name.replace("-", " ").capitalize()))
    return headers


def expand_columns(columns: list[str], catalogue: Catalogue) -> list[str]:
    """``values`` in a column list stands for one column per profile unless a common value is meant."""
    out: list[str] = []
    for key in columns:
        if key == "values*":
            out.extend(f"values.{p}" for p in catalogue.profiles)
        else:
            out.append(key)
    return out


def _split(value: str) -> list[str]:
    return [v for v in value.replace(",", " ").split() if v]


class TableOptionError(ValueError):
    """An ``ra2:table`` option that cannot be read (the message says why)."""


def query_from_options(options: dict[str, str], catalogue: Catalogue) -> ItemQuery:
    """The query an ``ra2:table`` directive's options ask for (Sphinx and ``expand`` read them alike)."""
    kinds = _split(options.get("kind", ""))
    for kind in kinds:
        if kind not in catalogue.kinds:
            raise TableOptionError(f"unknown kind {kind!r}; kinds: {', '.join(catalogue.kinds)}")
    sort = options.get("sort", "catalogue").strip() or "catalogue"
    if sort not in SORTS:
        raise TableOptionError(f":sort: must be one of {', '.join(SORTS)}, not {sort!r}")
    return ItemQuery(
        kinds=tuple(kinds),
        section=options.get("section", "").strip(),
        ids=tuple(_split(options.get("ids", ""))),
        category=options.get("category", "").strip(),
        subcategory=options.get("subcategory", "").strip(),
        profile=options.get("profile", "").strip(),
        sort=sort,
    )


def columns_from_option(value: str, catalogue: Catalogue) -> list[str]:
    from ra2docs.schema import did_you_mean

    columns = expand_columns(_split(value) or ["id", "title", "text"], catalogue)
    known = known_columns(catalogue)
    cell_keys = {k for item in catalogue.items.values() for k in (item.data.get("cells") or {})}
    for key in columns:
        if key not in known and key not in cell_keys and not key.startswith("cells."):
            hint = did_you_mean(key, sorted(known | cell_keys))
            raise TableOptionError(
                f"unknown column {key!r}"
                + (f"; did you mean {hint!r}?" if hint else f"; columns: {', '.join(sorted(known))}")
            )
    return columns


@dataclass
class ItemTable:
    view: TableView
    rows: list[Listed] = field(default_factory=list)


def item_table(
    catalogue: Catalogue,
    graph: TraceGraph,
    query: ItemQuery,
    columns: list[str],
    verdicts: Any = None,
    headers: list[Cell] | None = None,
) -> ItemTable:
    """The view of an item table: its rows, one cell per column."""
    listed = select(catalogue, query)
    rows = [
        ViewRow(
            [column_cell(key, row, graph, verdicts) for key in columns],
            item=row.item.id,
            anchor=row.listing is None and row.own_section,
            also=row_anchors(row.item, catalogue) if row.listing is None and row.own_section else (),
        )
        for row in listed
    ]
    return ItemTable(TableView(headers if headers is not None else default_headers(columns, catalogue), rows), listed)


def field_lines(lines: list[str], catalogue: Catalogue) -> list[tuple[str, str]]:
    """The body of ``ra2:fields``: one ``Label: key`` line per paragraph (a bare ``key`` has no label)."""
    fields: list[tuple[str, str]] = []
    for line in lines:
        if not line.strip():
            continue
        label, _, key = line.strip().rpartition(": ")
        key = key.strip()
        if not key or " " in key:
            raise TableOptionError(f"{line.strip()!r}: write 'Label: key', the key after the last ': '")
        columns_from_option(key, catalogue)  # an unknown key is an error with a did-you-mean
        fields.append((label.strip(), key))
    if not fields:
        raise TableOptionError("no field lines: write one 'Label: key' line per paragraph (e.g. 'Status: status')")
    return fields


def field_paragraphs(item: Item, fields: list[tuple[str, str]], graph: TraceGraph) -> list[tuple[str, str, Cell]]:
    """What ``ra2:fields`` shows of an item: (label, key, cell) of each field with something to show, in order."""
    row = Listed(item, None, True)
    shown = [(label, key, column_cell(key, row, graph)) for label, key in fields]
    return [(label, key, cell) for label, key, cell in shown if cell]
