"""Large catalogue views (entries, tables, matrices) rendered straight to HTML.

A page of 250 entries as ordinary docutils nodes is tens of thousands of
nodes that every Sphinx transform walks; that is where the time of a big
build goes. So the directives emit one ``ra2_view`` node holding the view's
content as plain data ("parts": text, links by ID, bold, superscript), which
the HTML writer turns into markup in one pass, resolving links itself. Other
builders (LaTeX, text, ...) get the same content as ordinary docutils nodes,
converted before references are resolved, so the two never disagree.
"""

from __future__ import annotations

import contextlib
import html
from typing import Any
from urllib.parse import quote

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.ext.graphviz import graphviz, render_dot_html
from sphinx.transforms.post_transforms import SphinxPostTransform

from ra2docs.model import Item, natural_key
from ra2docs.sphinx.render import paragraph, table, xref
from ra2docs.sphinx.state import state

# ("t", text) | ("r", item ID) | ("b", bold) | ("s", superscript) | ("e", emphasis) | ("v", verdict badge)
Part = tuple[str, str]
Cell = list[Part]

_SKIP_FIELDS = {"id", "kind", "title", "statement", "details", "description", "values", "notes"}


class ra2_view(nodes.General, nodes.Element):
    """A catalogue view: ``view`` is 'entries' or 'table', ``payload`` its content as plain data."""


def text(value: Any) -> Cell:
    return [("t", str(value))] if value not in (None, "") else []


def refs(ids: list[str], separator: str = ", ") -> Cell:
    cell: Cell = []
    for index, item_id in enumerate(ids):
        if index:
            cell.append(("t", separator))
        cell.append(("r", item_id))
    return cell


# -- what an entry shows (one place for both renderers) ---------------------------


def entry_fields(st: Any, item: Item) -> list[tuple[str, Cell]]:
    cat, graph = st.catalogue, st.graph
    kind = cat.kinds[item.kind]
    fields: list[tuple[str, Cell]] = [("kind", text(kind.label))]
    for name in kind.fields:
        if name in _SKIP_FIELDS or name not in item.data:
            continue
        value = item.data[name]
        fields.append((name, text(", ".join(map(str, value)) if isinstance(value, list) else value)))
    for profile, value in item.values.items():
        title = cat.profiles[profile].title if profile in cat.profiles else profile
        fields.append((f"{title} profile", text(value)))
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
            fields.append((name, refs(sorted(set(written) | set(outgoing.get(name, [])), key=natural_key))))
    incoming: dict[str, list[str]] = {}
    for name, source_id in graph.incoming(item.id):
        incoming.setdefault(name, []).append(source_id)
    for name, sources in incoming.items():
        fields.append((name, refs(sources)))
    return fields


def search_text(st: Any, ids: list[str]) -> str:
    """The words of the entries, for Sphinx's search index."""
    items = st.catalogue.items
    return " ".join(f"{i} {items[i].title} {items[i].text}" for i in ids if i in items)


# -- HTML -------------------------------------------------------------------------


class _Links:
    """Item ID -> URL from the page being written, cached per page."""

    def __init__(self, translator: Any) -> None:
        self.builder = translator.builder
        self.docname = translator.builder.current_docname
        self.domain = translator.builder.env.get_domain("ra2")
        self.st = state(translator.builder.app)
        self.cache: dict[str, str] = {}
        self.page_cache: dict[str, str] = {}

    def href(self, item_id: str) -> str | None:
        if item_id in self.cache:
            return self.cache[item_id]
        target = self.domain.target_of(item_id)
        url = None
        if target is not None:
            docname, anchor = target[0], target[1]
            if docname not in self.page_cache:
                self.page_cache[docname] = (
                    "" if docname == self.docname else self.builder.get_relative_uri(self.docname, docname)
                )
            url = f"{self.page_cache[docname]}#{quote(anchor, safe='.-_~:')}"
        self.cache[item_id] = url
        return url


_CODE_CLASSES = "xref ra2 ra2-item docutils literal notranslate ra2-id"


def _cell_html(cell: Cell, links: _Links) -> str:
    out = []
    for kind, value in cell:
        escaped = html.escape(value)
        if kind == "t":
            out.append(escaped)
        elif kind == "b":
            out.append(f"<strong>{escaped}</strong>")
        elif kind == "e":
            out.append(f"<em>{escaped}</em>")
        elif kind == "s":
            out.append(f"<sup>{escaped}</sup>")
        elif kind == "v":
            css = "ra2-verdict-" + value.replace(" ", "-")
            out.append(f'<span class="ra2-verdict {html.escape(css)}">{escaped}</span>')
        elif kind == "r":
            code = f'<code class="{_CODE_CLASSES}"><span class="pre">{escaped}</span></code>'
            href = links.href(value)
            # No tooltip with the target's title: a page shows only what its own
            # items say, so editing one item rewrites only the pages that show it.
            out.append(code if href is None else f'<a class="reference internal" href="{html.escape(href)}">{code}</a>')
    return "".join(out)


def _entries_html(translator: Any, node: ra2_view, links: _Links) -> None:
    st = links.st
    graphs = set(translator.builder.config.ra2docs_entry_graphs)
    body = translator.body
    for item_id in node["payload"]["ids"]:
        item = st.catalogue.items.get(item_id)
        if item is None:
            continue
        anchor = html.escape(item_id)
        title = f'<em class="property"><span class="pre"> </span>{html.escape(item.title)}</em>' if item.title else ""
        body.append(
            f'<dl class="ra2 {html.escape(item.kind)}">\n'
            f'<dt class="sig sig-object ra2" id="{anchor}">'
            f'<span class="sig-name descname"><span class="pre">{anchor}</span></span>{title}'
            f'<a class="headerlink" href="#{quote(item_id, safe=".-_~:")}" title="Link to this definition">¶</a>'
            "</dt>\n<dd>"
        )
        if item.text:
            body.append(f"<p>{html.escape(item.text)}</p>")
        elif item.status == "placeholder" or not item.title:
            body.append("<p><em>Placeholder: no content yet.</em></p>")
        body.append('<dl class="field-list simple ra2-fields">')
        for index, (name, cell) in enumerate(entry_fields(st, item)):
            parity = "odd" if index % 2 == 0 else "even"
            body.append(
                f'<dt class="field-{parity}">{html.escape(name)}<span class="colon">:</span></dt>'
                f'<dd class="field-{parity}"><p>{_cell_html(cell, links)}</p></dd>'
            )
        body.append("</dl>")
        if item.data.get("notes"):
            body.append(
                '<div class="admonition note"><p class="admonition-title">Note</p>'
                f"<p>{html.escape(str(item.data['notes']))}</p></div>"
            )
        if item.kind in graphs and (st.graph.incoming(item_id) or st.graph.outgoing(item_id)):
            from ra2docs.sphinx.tracing import dot_code

            code = dot_code(translator.builder.app, item_id, sorted(st.graph.neighbourhood(item_id, 1)), links.docname)
            graph = graphviz()
            graph["code"] = code
            graph["options"] = {"docname": links.docname}
            graph["alt"] = f"Trace graph of {item_id}"
            graph["classes"] = ["ra2-graph"]
            with contextlib.suppress(nodes.SkipNode):
                render_dot_html(translator, graph, code, graph["options"], imgcls="ra2-graph")
        body.append("</dd></dl>\n")


def _table_html(translator: Any, node: ra2_view, links: _Links) -> None:
    payload = node["payload"]
    classes = " ".join(html.escape(c) for c in ["docutils", "align-default", "ra2-table", *payload.get("classes", [])])
    ident = f' id="{html.escape(payload["id"])}"' if payload.get("id") else ""
    out = [f'<table class="{classes}"{ident}>']
    if payload.get("caption"):
        out.append(f'<caption><span class="caption-text">{html.escape(payload["caption"])}</span></caption>')
    widths = payload.get("widths")
    if widths:
        total = sum(widths)
        cols = "".join(f'<col style="width: {100 * w / total:.0f}%" />' for w in widths)
        out.append(f"<colgroup>{cols}</colgroup>")
    out.append("<thead><tr>" + "".join(f'<th class="head"><p>{html.escape(h)}</p></th>' for h in payload["headers"]))
    out.append("</tr></thead><tbody>")
    for index, row in enumerate(payload["rows"]):
        parity = "row-odd" if index % 2 == 0 else "row-even"
        out.append(f'<tr class="{parity}">' + "".join(f"<td><p>{_cell_html(c, links)}</p></td>" for c in row) + "</tr>")
    out.append("</tbody></table>\n")
    translator.body.append("".join(out))


def visit_view_html(translator: Any, node: ra2_view) -> None:
    links = _Links(translator)
    if node["view"] == "entries":
        _entries_html(translator, node, links)
    else:
        _table_html(translator, node, links)
    raise nodes.SkipNode


# -- docutils nodes, for every other builder ------------------------------------------


def _cell_nodes(cell: Cell) -> list[nodes.Node]:
    out: list[nodes.Node] = []
    for kind, value in cell:
        if kind == "t":
            out.append(nodes.Text(value))
        elif kind == "b":
            out.append(nodes.strong(value, value))
        elif kind == "e":
            out.append(nodes.emphasis(value, value))
        elif kind == "s":
            out.append(nodes.superscript(value, value))
        elif kind == "v":
            out.append(nodes.inline(value, value, classes=["ra2-verdict", "ra2-verdict-" + value.replace(" ", "-")]))
        elif kind == "r":
            out.append(xref(value))
    return out


def entry_nodes(st: Any, item: Item) -> nodes.Element:
    desc = addnodes.desc(domain="ra2", objtype=item.kind, desctype=item.kind, classes=["ra2", item.kind], noindex=True)
    sig = addnodes.desc_signature("", "", ids=[item.id])
    sig += addnodes.desc_name(item.id, item.id)
    if item.title:
        sig += addnodes.desc_annotation(f" {item.title}", f" {item.title}")
    desc += sig
    content = addnodes.desc_content()
    if item.text:
        content += paragraph(item.text)
    elif item.status == "placeholder" or not item.title:
        content += paragraph(nodes.emphasis("", "Placeholder: no content yet."))
    flist = nodes.field_list(classes=["ra2-fields"])
    for name, cell in entry_fields(st, item):
        field = nodes.field()
        field += nodes.field_name(name, name)
        body = nodes.field_body()
        body += paragraph(*_cell_nodes(cell))
        field += body
        flist += field
    content += flist
    if item.data.get("notes"):
        note = nodes.note()
        note += paragraph(str(item.data["notes"]))
        content += note
    desc += content
    return desc


def view_nodes(app: Sphinx, node: ra2_view) -> list[nodes.Node]:
    st = state(app)
    payload = node["payload"]
    if node["view"] == "entries":
        return [entry_nodes(st, st.catalogue.items[i]) for i in payload["ids"] if i in st.catalogue.items]
    headers, widths = payload["headers"], payload.get("widths")
    classes = list(payload.get("classes", []))
    if len(payload["rows"]) > 30:
        classes.append("longtable")  # LaTeX: breaks across pages
    # A wide table does not fit a printed page: split it into parts of a few
    # columns each, every part repeating the first column.
    per_part = 8
    if len(headers) <= per_part + 1:
        parts = [list(range(1, len(headers)))]
    else:
        parts = [list(range(i, min(i + per_part, len(headers)))) for i in range(1, len(headers), per_part)]
    out: list[nodes.Node] = []
    for number, columns in enumerate(parts):
        chosen = [0, *columns]
        rows = [[_cell_nodes(row[c]) for c in chosen] for row in payload["rows"]]
        caption = payload.get("caption")
        if len(parts) > 1:
            caption = f"{caption or 'Table'} (part {number + 1} of {len(parts)})"
        tbl = table(
            [headers[c] for c in chosen],
            rows,
            widths=[widths[c] for c in chosen] if widths else None,
            caption=caption,
            classes=classes,
        )
        if payload.get("id") and number == 0:
            tbl["ids"].append(payload["id"])
        out.append(tbl)
    return out


class ExpandViews(SphinxPostTransform):
    """For builders other than HTML: ordinary nodes, before references are resolved."""

    default_priority = 5  # before ReferencesResolver (10)

    def run(self, **kwargs: Any) -> None:
        if self.app.builder.format == "html":
            return
        for node in list(self.document.findall(ra2_view)):
            node.replace_self(view_nodes(self.app, node))


def make_view(view: str, payload: dict[str, Any], words: str = "") -> ra2_view:
    node = ra2_view()
    node["view"] = view
    node["payload"] = payload
    if words:
        node += nodes.Text(words)  # indexed by search, never written
    return node


def setup_views(app: Sphinx) -> None:
    app.add_node(ra2_view, html=(visit_view_html, None))
    app.add_post_transform(ExpandViews)
