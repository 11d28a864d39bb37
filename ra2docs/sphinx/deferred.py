"""Large views (table rows, entries) built at write time instead of read time.

A catalogue of 10,000 items shown as ordinary docutils nodes is hundreds of
thousands of nodes that every transform of every page walks; that is where the
time of a large build went. So a view's rows (or entries) are kept as plain
data in one ``ra2_deferred`` node, and built as real nodes only when the page
is written:

* for HTML, the nodes are built and walked by the builder's own translator
  right there (whatever the theme or the Sphinx version, the markup is
  Sphinx's, with its permalinks, labels and classes), after the references in
  them are resolved by the ra2 domain;
* for every other builder, and for HTML when ``ra2docs_fast_html`` is off, a
  post-transform builds them before references are resolved, as any node.

The two give the same pages (a test builds the site both ways). Cells whose
text the parser or a transform must see (markup, footnotes, quotes that
smartquotes would change) are parsed at read time as usual and kept as the
deferred node's children, so transforms and reference resolution reach them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.nodes import make_refnode

from ra2docs.markup import is_plain
from ra2docs.sphinx.graphs import graphviz_node
from ra2docs.sphinx.nodes import pending_graph, ra2_deferred, xref
from ra2docs.views.model import Cell

# Characters a read-time transform (smartquotes) would change: such text is parsed as usual.
_TRANSFORMED = re.compile(r"['\"]|--|\.\.\.")

Encoded = tuple[str, Any]  # ("p", parts) built at write time | ("n", index of a child holding parsed nodes)

# Payloads are tuples of strings (and dicts of them), never lists: every doctree stays in memory
# from reading to writing, and the cyclic garbage collector rescans each tracked container at every
# full collection. Tuples and dicts that hold only strings are untracked after their first
# collection; lists never are. At 10,000 items lists made 290,000 of the 626,000 objects
# the collector tracked, and full collections grew faster than the catalogue.


def simple(cell: Cell) -> bool:
    """Whether a cell can be built at write time (no parser, no transform needed)."""
    for kind, value in cell:
        if kind in ("t", "m", "b", "s", "v") and _TRANSFORMED.search(value):
            return False
        if kind == "m" and not is_plain(value):
            return False
    return True


class Collector:
    """Gathers the encoded cells of one deferred node, and the nodes of those parsed now."""

    def __init__(self, renderer: Any) -> None:
        self.renderer = renderer
        self.node = ra2_deferred()
        self.words: list[str] = []

    def cell(self, cell: Cell, source: tuple[str, int], searched: bool = True) -> Encoded:
        if simple(cell):
            self.renderer.references.update(value for kind, value in cell if kind == "r")
            if searched:
                self.words.extend(value for _, value in cell)
            return ("p", tuple(cell))  # a view's cell is already a tuple of (kind, text) tuples
        holder = nodes.container(classes=["ra2-parsed"])
        holder.extend(self.renderer.cell(cell, source))
        self.node += holder
        return ("n", len(self.node.children) - 1)

    def markup(self, text: str, source: tuple[str, int], block: bool = True) -> Encoded:
        cell: Cell = (("m", text),)
        if simple(cell):
            self.words.append(text)
            return ("p", (("m", text),))
        holder = nodes.container(classes=["ra2-parsed"])
        if block:
            holder.extend(self.renderer.markup_nodes(text, source))
        else:
            holder += nodes.inline("", "", *self.renderer.inline_nodes(text, source))
        self.node += holder
        return ("n", len(self.node.children) - 1)

    def finish(self, view: str, payload: list[dict[str, Any]]) -> ra2_deferred:
        self.node["view"] = view
        self.node["payload"] = tuple(payload)
        # The words of the cells built at write time, for the search index (never written out).
        words = " ".join(self.words)
        self.node += nodes.inline(words, words, classes=["ra2-search-words"])
        return self.node


# -- building the nodes (both paths) ----------------------------------------------------


class Builder:
    """Builds the real nodes of a deferred node; ``ref`` makes an item link, ``graph`` a trace graph."""

    def __init__(self, node: ra2_deferred, ref: Any, graph: Any) -> None:
        self.node = node
        self.ref = ref
        self.graph = graph

    def parsed(self, index: int) -> list[nodes.Node]:
        holder = self.node.children[index]
        children = list(holder.children)
        for child in children:
            child.parent = None
        return children

    def cell(self, encoded: Encoded) -> list[nodes.Node]:
        """The body elements of a cell (a paragraph), as CellRenderer.cell gives them."""
        how, value = encoded
        if how == "n":
            return self.parsed(value)
        if not value:
            return []
        if len(value) == 1 and value[0][0] == "m":
            text = value[0][1]
            return [nodes.paragraph(text, text)]
        return [nodes.paragraph("", "", *self.inline(value))]

    def inline(self, parts: Cell) -> list[nodes.Node]:
        out: list[nodes.Node] = []
        for kind, value in parts:
            if kind == "r":
                out.append(self.ref(value))
            elif kind == "b":
                out.append(nodes.strong(value, value))
            elif kind == "s":
                out.append(nodes.superscript(value, value))
            elif kind == "v":
                css = "ra2-verdict ra2-verdict-" + value.replace(" ", "-")
                out.append(nodes.inline(value, value, classes=css.split()))
            else:
                out.append(nodes.Text(value))
        return out

    def inline_cell(self, encoded: Encoded) -> list[nodes.Node]:
        how, value = encoded
        if how == "n":
            built = self.parsed(value)
            return list(built[0].children) if built and isinstance(built[0], nodes.inline) else built
        return self.inline(value)

    def rows(self) -> list[nodes.row]:
        return self.rows_of(self.node["payload"])

    def rows_of(self, payload: Sequence[dict[str, Any]]) -> list[nodes.row]:
        built = []
        for row in payload:
            row_node = nodes.row(classes=list(row["classes"]))
            row_node["ids"] = list(row["ids"])
            for encoded in row["cells"]:
                entry = nodes.entry()
                entry.extend(self.cell(encoded))
                row_node += entry
            built.append(row_node)
        return built

    def signature(self, entry: dict[str, Any]) -> addnodes.desc_signature:
        sig = addnodes.desc_signature("", "")
        if entry["define"]:
            sig["ids"].append(entry["item"])
            sig += addnodes.desc_name(entry["item"], entry["item"])
        else:
            sig += self.ref(entry["item"])
        if entry["title"] is not None:
            annotation = addnodes.desc_annotation(" ", " ")
            annotation.extend(self.inline_cell(entry["title"]))
            sig += annotation
        return sig

    def entries(self) -> list[nodes.Node]:
        return self.entries_of(self.node["payload"])

    def entries_of(self, payload: Sequence[dict[str, Any]]) -> list[nodes.Node]:
        built: list[nodes.Node] = []
        for entry in payload:
            desc = addnodes.desc(
                domain="ra2", objtype=entry["kind"], desctype=entry["kind"], classes=["ra2", entry["kind"]]
            )
            desc["noindex"] = desc["no-index"] = True  # the ra2 domain indexes the items itself
            desc += self.signature(entry)
            content = addnodes.desc_content()
            if entry["text"] is not None:
                content.extend(self.cell(entry["text"]))
            elif entry["placeholder"]:
                content += nodes.paragraph("", "", nodes.emphasis("", "Placeholder: no content yet."))
            fields = nodes.field_list(classes=["ra2-fields"])
            for name, encoded in entry["fields"]:
                field = nodes.field()
                field += nodes.field_name(name, name)
                body = nodes.field_body()
                body.extend(self.cell(encoded))
                field += body
                fields += field
            content += fields
            if entry["notes"] is not None:
                note = nodes.note()
                note.extend(self.cell(entry["notes"]))
                content += note
            if entry["graph"]:
                content += self.graph(entry["item"], list(entry["graph"]))
            desc += content
            built.append(desc)
        return built

    def build(self) -> list[nodes.Node]:
        return list(self.rows()) if self.node["view"] == "rows" else self.entries()


def _pending_graph(item_id: str, members: list[str]) -> nodes.Node:
    node = pending_graph()
    node["item"] = item_id
    node["members"] = members
    return node


class RealizeDeferred(SphinxPostTransform):
    """Every builder but the fast HTML path: build the nodes before references are resolved."""

    default_priority = 5  # before ReferencesResolver (10)

    def run(self, **kwargs: Any) -> None:
        fast = self.app.builder.format == "html" and self.app.config.ra2docs_fast_html
        if fast:
            return
        for node in list(self.document.findall(ra2_deferred)):
            node.replace_self(Builder(node, xref, _pending_graph).build())


_SLOT = re.compile("\x02(\\d+)\x03")


class FastHtml:
    """Writes deferred rows and entries with the markup the page's own translator gives them.

    The markup of each *shape* (a row of N cells, some empty; an entry with such
    fields) is learnt once per node by letting the translator write a sample
    with slot markers in place of the texts; every row or entry of that shape
    is then its template with the texts filled in (encoded as the translator
    encodes text). Cells, entries or IDs that do not fit a template (parsed
    markup, graphs, an ID with a space) are built as nodes and walked by the
    translator as usual. A test builds the site both ways and compares pages.
    """

    def __init__(self, translator: Any, node: ra2_deferred) -> None:
        self.t = translator
        self.node = node
        self.builder = translator.builder
        self.docname = self.builder.current_docname
        self.domain = self.builder.env.get_domain("ra2")
        self.templates: dict[Any, list[str]] = {}
        self.fallback = Builder(node, self.resolved_ref, self.graph)
        # Page -> its URI relative to this page: asked for every link (hundreds of thousands on
        # a large catalogue's pages), always the same answer for the same page.
        self.uris: dict[str, str] = {}

    # -- learning ------------------------------------------------------------

    def render(self, sample: nodes.Node, parent: nodes.Node) -> str:
        t = self.t
        body, rows, fields = t.body, list(t._table_row_indices), list(t._fieldlist_row_indices)
        t.body = []
        try:
            sample.parent = parent
            sample.document = self.node.document
            sample.walkabout(t)
            return "".join(t.body)
        finally:
            t.body = body
            t._table_row_indices[:] = rows
            t._fieldlist_row_indices[:] = fields

    @staticmethod
    def slots(rendered: str) -> list[str]:
        """Template pieces: text, slot number, text, slot number, ... (slot numbers as strings)."""
        return _SLOT.split(rendered)

    @staticmethod
    def marker(number: int) -> str:
        return f"\x02{number}\x03"

    def part_template(self, kind: str, value: str) -> list[str]:
        key = ("part", kind, value if kind == "v" else "")
        if key not in self.templates:
            marker = self.marker(0)
            literal = nodes.literal(marker, marker, classes=["ra2-id"])
            sample: nodes.Node
            if kind == "b":
                sample = nodes.strong(marker, marker)
            elif kind == "s":
                sample = nodes.superscript(marker, marker)
            elif kind == "v":
                css = "ra2-verdict ra2-verdict-" + value.replace(" ", "-")
                sample = nodes.inline(marker, marker, classes=css.split())
            elif kind == "same-page":
                sample = make_refnode(self.builder, self.docname, self.docname, self.marker(1), literal)
            elif kind == "other-page":
                sample = nodes.reference("", "", literal, internal=True, refuri=self.marker(1))
            else:
                sample = literal
            # inline markup, written inside a paragraph of a table cell as the real one is
            paragraph = nodes.paragraph()
            paragraph.parent = nodes.entry()
            self.templates[key] = self.slots(self.render(sample, paragraph))
        return self.templates[key]

    def fill(self, template: list[str], values: dict[int, str]) -> str:
        out = []
        for index, piece in enumerate(template):
            out.append(values.get(int(piece), "") if index % 2 else piece)
        return "".join(out)

    # -- parts ---------------------------------------------------------------------

    def resolved_ref(self, item_id: str) -> nodes.Node:
        contnode = nodes.literal(item_id, item_id, classes=["ra2-id"])
        target = self.domain.target_of(item_id)  # type: ignore[attr-defined]
        if target is None:
            return contnode
        return make_refnode(self.builder, self.docname, target[0], target[1], contnode)

    def graph(self, item_id: str, members: list[str]) -> nodes.Node:
        return graphviz_node(self.builder.app, item_id, members, self.docname)

    def inline_html(self, parts: Cell) -> str | None:
        """The markup of a cell's parts, or None when one of them needs nodes."""
        out = []
        encode = self.t.encode
        for kind, value in parts:
            if kind in ("t", "m"):
                out.append(encode(value))
            elif kind in ("b", "s", "v"):
                out.append(self.fill(self.part_template(kind, value), {0: encode(value)}))
            elif kind == "r":
                if value != "".join(value.split()):
                    return None  # an ID with a space: the translator splits it into words
                target = self.domain.target_of(value)  # type: ignore[attr-defined]
                if target is None:
                    out.append(self.fill(self.part_template("literal", ""), {0: encode(value)}))
                elif target[0] == self.docname:
                    anchor = self.t.attval(target[1])
                    out.append(self.fill(self.part_template("same-page", ""), {0: encode(value), 1: anchor}))
                else:
                    page = self.uris.get(target[0])
                    if page is None:
                        page = self.uris[target[0]] = self.builder.get_relative_uri(self.docname, target[0])
                    uri = page + "#" + target[1]
                    out.append(
                        self.fill(self.part_template("other-page", ""), {0: encode(value), 1: self.t.attval(uri)})
                    )
            else:
                return None
        return "".join(out)

    def cell_html(self, encoded: Encoded) -> str | None:
        how, value = encoded
        return self.inline_html(value) if how == "p" else None

    # -- rows ------------------------------------------------------------------------

    def rows(self) -> None:
        t = self.t
        tbody = self.node.parent
        for row in self.node["payload"]:
            contents = [self.cell_html(encoded) for encoded in row["cells"]]
            if any(c is None for c in contents) or row["classes"] or len(row["ids"]) > 1:
                built = self.fallback.rows_of([row])[0]
                built.parent, built.document = tbody, self.node.document
                built.walkabout(t)
                continue
            odd = (t._table_row_indices[-1] + 1) % 2 == 1
            shape = ("row", odd, bool(row["ids"]), tuple(not c for c in contents))
            if shape not in self.templates:
                sample = nodes.row()
                if row["ids"]:
                    sample["ids"] = [self.marker(999)]
                for index, content in enumerate(contents):
                    entry = nodes.entry()
                    if content:
                        entry += nodes.paragraph("", self.marker(index))
                    sample += entry
                self.templates[shape] = self.slots(self.render(sample, tbody))
            values = {index: content for index, content in enumerate(contents) if content}
            if row["ids"]:
                values[999] = t.attval(row["ids"][0])
            t.body.append(self.fill(self.templates[shape], values))
            t._table_row_indices[-1] += 1

    # -- entries -----------------------------------------------------------------------

    def entries(self) -> None:
        t = self.t
        parent = self.node.parent
        for entry in self.node["payload"]:
            fields = [(name, self.cell_html(encoded)) for name, encoded in entry["fields"]]
            text = self.cell_html(entry["text"]) if entry["text"] is not None else ""
            notes = self.cell_html(entry["notes"]) if entry["notes"] is not None else ""
            if entry["graph"] or text is None or notes is None or any(html is None for _, html in fields):
                built = self.fallback.entries_of([entry])[0]
                built.parent, built.document = parent, self.node.document
                _propagate_domain(built)
                built.walkabout(t)
                continue
            shape = (
                "entry",
                entry["kind"],
                entry["text"] is not None,
                entry["placeholder"],
                entry["notes"] is not None,
                tuple(not html for _, html in fields),
            )
            if shape not in self.templates:
                sample = self.fallback.entries_of([_sample_entry(entry, fields)])[0]
                sample.remove(sample.children[0])  # the signature is written live, in this slot
                sample.insert(0, nodes.raw("", self.marker(998), format="html"))
                _propagate_domain(sample)
                self.templates[shape] = self.slots(self.render(sample, parent))
            signature = self.fallback.signature(entry)
            _propagate_domain_signature(signature)
            values = {998: self.render(signature, parent)}
            if text:
                values[997] = text
            if notes:
                values[996] = notes
            for index, (name, html) in enumerate(fields):
                values[2 * index] = t.encode(name)
                if html:
                    values[2 * index + 1] = html
            t.body.append(self.fill(self.templates[shape], values))

    def write(self) -> None:
        if self.node["view"] == "rows":
            self.rows()
        else:
            self.entries()


def _sample_entry(entry: dict[str, Any], fields: list[tuple[str, str | None]]) -> dict[str, Any]:
    """An entry of the same shape with slot markers for its texts (field k: name 2k, value 2k+1)."""
    marker = FastHtml.marker
    return {
        **entry,
        "title": None,
        "text": ("p", (("t", marker(997)),)) if entry["text"] is not None else None,
        "notes": ("p", (("t", marker(996)),)) if entry["notes"] is not None else None,
        "fields": [
            (marker(2 * index), ("p", (("t", marker(2 * index + 1)),) if html else ()))
            for index, (_, html) in enumerate(fields)
        ],
        "graph": None,
    }


def _propagate_domain_signature(signature: nodes.Element) -> None:
    # what Sphinx's post-transform PropagateDescDomain does to every object description's signature
    signature["classes"].append("ra2")


def _propagate_domain(desc: nodes.Element) -> None:
    for signature in desc.findall(addnodes.desc_signature):
        _propagate_domain_signature(signature)


def visit_deferred_html(translator: Any, node: ra2_deferred) -> None:
    """The fast HTML path: the rows or entries written by the page's translator, from learnt templates."""
    FastHtml(translator, node).write()
    raise nodes.SkipNode


def skip(translator: Any, node: nodes.Node) -> None:
    raise nodes.SkipNode


def setup_deferred(app: Sphinx) -> None:
    # Build large views at write time for HTML (see the module's docstring); off: as every other builder.
    app.add_config_value("ra2docs_fast_html", True, "html", [bool])
    app.add_node(ra2_deferred, html=(visit_deferred_html, None))
    app.add_post_transform(RealizeDeferred)
