"""Large views (table rows, entries) built at write time instead of read time.

A catalogue of 10,000 items shown as ordinary docutils nodes is hundreds of
thousands of nodes that every transform of every page walks; that is where the
time of a large build went. So a view's rows (or entries) are kept as plain
data in one ``ra2_deferred`` node, and built as real nodes only when the page
is written:

* for every builder but HTML, and for HTML when ``ra2docs_fast_html`` is off,
  a post-transform builds them before references are resolved, as any node;
* for HTML (the fast path), the same post-transform builds one *sample* of
  each shape (a row of N cells, some empty; a part of each kind; an entry
  with such fields) from the same factory (``ra2docs.views.parts``), with slot
  markers for the texts, and the rows or entries that fit no shape. Every
  post-transform (Sphinx's, other extensions') sees them. At write time the
  page's own translator writes each sample once, and every row or entry of
  that shape is its markup with the texts filled in.

Once per build, the first page with such views of at most ``CHECK_PAGE_SIZE``
rows and entries is built as nodes while one of its rows is also written the
fast way; when the two differ (an extension's post-transform that changes rows
by their content), every later page is built as nodes. Pages of larger views
written before that page are written the fast way unchecked, and so is a site
whose every page has larger views: in the 10,000-item benchmark, checking on one
of its pages of 250 entries added one to two seconds to a build of about eight,
more than the check is worth. Under parallel
writing (``-j``) the verdict is made in a writer process: the main process
then builds every later page as nodes, correct and slower.

Cells whose text the parser or a transform must see (markup, footnotes,
quotes that smartquotes would change) are parsed at read time as usual and
kept as the deferred node's children, so transforms and reference resolution
reach them.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterator, Sequence
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.nodes import make_refnode

from ra2docs.markup import is_plain
from ra2docs.sphinx.domain import ra2_domain
from ra2docs.sphinx.nodes import pending_graph, ra2_deferred, xref
from ra2docs.views.parts import Cell, Link, Part, PartKind, cell_nodes, part_nodes

logger = logging.getLogger(__name__)

# Characters a read-time transform (smartquotes) would change: such text is parsed as usual.
_TRANSFORMED = re.compile(r"['\"]|--|\.\.\.")

# ("p", part codes) built at write time | ("n", index of a child holding parsed nodes)
Encoded = tuple[str, Any]

# Payloads are tuples of strings (and dicts of them), never lists, and parts are kept as their codes
# (Part.code), never as Part objects: every doctree stays in memory
# from reading to writing, and the cyclic garbage collector rescans each tracked container at every
# full collection. Tuples and dicts that hold only strings are untracked after their first
# collection; lists never are. At 10,000 items lists made 290,000 of the 626,000 objects
# the collector tracked, and full collections grew faster than the catalogue.


def simple(cell: Cell) -> bool:
    """Whether a cell can be built at write time (no parser, no transform needed)."""
    for part in cell:
        if part.kind is not PartKind.REF and _TRANSFORMED.search(part.value):
            return False
        if part.kind is PartKind.MARKUP and not is_plain(part.value):
            return False
    return True


def decoded(codes: Sequence[tuple[str, str]]) -> Cell:
    return tuple(Part.from_code(code) for code in codes)


class DeferredCells:
    """Gathers the encoded cells of one deferred node, and the nodes of those parsed now."""

    def __init__(self, renderer: Any) -> None:
        self.renderer = renderer
        self.node = ra2_deferred()
        self.words: list[str] = []

    def cell(self, cell: Cell, source: tuple[str, int], searched: bool = True) -> Encoded:
        if simple(cell):
            self.renderer.references.update(part.value for part in cell if part.kind is PartKind.REF)
            if searched:
                self.words.extend(part.value for part in cell)
            return ("p", tuple(part.code for part in cell))
        holder = nodes.container(classes=["ra2-parsed"])
        holder.extend(self.renderer.cell(cell, source))
        self.node += holder
        return ("n", len(self.node.children) - 1)

    def markup(self, text: str, source: tuple[str, int], block: bool = True) -> Encoded:
        part = Part.markup(text)
        if simple((part,)):
            self.words.append(text)
            return ("p", (part.code,))
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


# -- building the nodes (every path) ----------------------------------------------------


def _pending_graph(item_id: str, members: list[str]) -> nodes.Node:
    node = pending_graph()
    node["item"] = item_id
    node["members"] = members
    return node


class Builder:
    """Builds the real nodes of a deferred node's rows or entries; ``link`` links an ID, ``graph`` draws a graph."""

    def __init__(self, node: ra2_deferred, link: Link = xref, graph: Any = _pending_graph) -> None:
        self.node = node
        self.link = link
        self.graph = graph

    def parsed(self, index: int) -> list[nodes.Node]:
        holder = self.node.children[index]
        children = list(holder.children)
        for child in children:
            child.parent = None
        return children

    def cell(self, encoded: Encoded) -> list[nodes.Node]:
        """The body elements of a cell, as CellRenderer.cell gives them."""
        how, value = encoded
        if how == "n":
            return self.parsed(value)
        return cell_nodes(decoded(value), link=self.link)

    def inline(self, codes: Sequence[tuple[str, str]]) -> list[nodes.Node]:
        return [built for part in decoded(codes) for built in part_nodes(part, link=self.link)]

    def inline_cell(self, encoded: Encoded) -> list[nodes.Node]:
        how, value = encoded
        if how == "n":
            built = self.parsed(value)
            return list(built[0].children) if built and isinstance(built[0], nodes.inline) else built
        return self.inline(value)

    def row(self, row: dict[str, Any]) -> nodes.row:
        row_node = nodes.row(classes=list(row["classes"]))
        row_node["ids"] = list(row["ids"])
        for encoded in row["cells"]:
            entry = nodes.entry()
            entry.extend(self.cell(encoded))
            row_node += entry
        return row_node

    def signature(self, entry: dict[str, Any]) -> addnodes.desc_signature:
        sig = addnodes.desc_signature("", "")
        if entry["define"]:
            sig["ids"].append(entry["item"])
            sig += addnodes.desc_name(entry["item"], entry["item"])
        else:
            sig.extend(part_nodes(Part.ref(entry["item"]), link=self.link))
        if entry["title"] is not None:
            annotation = addnodes.desc_annotation(" ", " ")
            annotation.extend(self.inline_cell(entry["title"]))
            sig += annotation
        return sig

    def entry(self, entry: dict[str, Any]) -> addnodes.desc:
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
            field_node = nodes.field()
            field_node += nodes.field_name(name, name)
            body = nodes.field_body()
            body.extend(self.cell(encoded))
            field_node += body
            fields += field_node
        content += fields
        if entry["notes"] is not None:
            note = nodes.note()
            note.extend(self.cell(entry["notes"]))
            content += note
        if entry["graph"]:
            content += self.graph(entry["item"], list(entry["graph"]))
        desc += content
        return desc

    def build(self) -> list[nodes.Node]:
        if self.node["view"] == "rows":
            return [self.row(row) for row in self.node["payload"]]
        return [self.entry(entry) for entry in self.node["payload"]]


# -- the fast HTML path: which rows and entries fit a template -------------------------------

# What HTML escapes, or a translator splits into words: an ID holding one is written from nodes.
_NOT_VERBATIM = re.compile(r"[\s&<>\"'@]")


def _verbatim_id(item_id: str) -> bool:
    return bool(item_id) and not _NOT_VERBATIM.search(item_id)


def _fits_title(encoded: Encoded | None) -> bool:
    return encoded is None or (encoded[0] == "p" and all(kind != PartKind.REF.value for kind, _ in encoded[1]))


_REF = PartKind.REF.value


def _fits_cell(encoded: Encoded | None) -> bool:
    if encoded is None:
        return True
    if encoded[0] != "p":
        return False
    for kind, value in encoded[1]:  # noqa: SIM110 (a loop: every row's every part passes here)
        if kind == _REF and not _verbatim_id(value):
            return False
    return True


def fits(view: str, data: dict[str, Any]) -> bool:
    """Whether a row or an entry is written from templates (else it is built as nodes before post-transforms)."""
    if view == "rows":
        return all(_fits_cell(encoded) for encoded in data["cells"])
    return (
        data["define"]  # its signature is its anchor (a link to another entry: nodes)
        and not data["graph"]
        and _fits_title(data["title"])
        and all(_fits_cell(data[key]) for key in ("text", "notes"))
        and all(_fits_cell(encoded) for _, encoded in data["fields"])
    )


# A slot marker: no word character in it, so the search index finds no word in a sample.
_SLOT_BASE = 0xE000  # Unicode's private use area


def _marker(number: int) -> str:
    return f"\x02{chr(_SLOT_BASE + number)}\x03"


_SLOT = re.compile("\x02([\ue000-\uf8ff])\x03")
SIGNATURE, TEXT, NOTES = 998, 997, 996  # an entry's slots; field k: its name 2k, its value 2k+1
_OWN = ("ids", "names", "dupnames", "backrefs")  # a signature's own attributes (not learnt from the sample's)
REF_VARIANTS = ("none", "same", "other")  # an ID that links nowhere, to this page, to another page


def _row_key(data: dict[str, Any]) -> str:
    return "row " + "".join("1" if encoded[1] else "0" for encoded in data["cells"])


def _entry_key(data: dict[str, Any]) -> str:
    shape = [data["kind"], data["text"] is not None, data["placeholder"]]
    shape += [data["notes"] is not None, "".join("1" if encoded[1] else "0" for _, encoded in data["fields"])]
    return "entry " + " ".join(map(str, shape))


def _part_key(kind: str, variant: str = "") -> str:
    return f"part {kind} {variant}".rstrip()


def _sample_entry(data: dict[str, Any]) -> dict[str, Any]:
    """An entry of the same shape with slot markers for its texts (its signature is the nodes' own)."""

    def slot(number: int) -> Encoded:
        return ("p", (Part.text(_marker(number)).code,))

    return {
        **data,
        "item": _marker(SIGNATURE),  # never the item's own ID: the page has it once
        "title": None,
        "text": slot(TEXT) if data["text"] is not None else None,
        "notes": slot(NOTES) if data["notes"] is not None else None,
        "fields": tuple(
            (_marker(2 * index), slot(2 * index + 1) if encoded[1] else ("p", ()))
            for index, (_, encoded) in enumerate(data["fields"])
        ),
    }


def samples(
    builder: Any, docname: str, view: str, payload: Sequence[dict[str, Any]], fitting: Sequence[bool]
) -> nodes.container:
    """One sample of each shape in ``payload``, built by the factory with slot markers, for post-transforms to see.

    The fast path writes them once each, never as such; they hold no word for the search index.
    """
    holder = nodes.container(classes=["ra2-samples"])
    verdicts = {
        value
        for data in payload
        for encoded in (
            data["cells"]
            if view == "rows"
            else [data["text"], data["notes"], *(encoded for _, encoded in data["fields"])]
        )
        if encoded is not None and encoded[0] == "p"
        for kind, value in encoded[1]
        if kind == PartKind.VERDICT.value
    }
    text = _marker(0)
    for kind in (PartKind.TEXT, PartKind.MARKUP, PartKind.BOLD, PartKind.NOTE_MARK):
        holder += nodes.paragraph("", "", *part_nodes(Part(kind, text)), ra2_sample=_part_key(kind.value))
    for verdict in sorted(verdicts):  # a badge's classes name its verdict: one sample each, with no slot
        holder += nodes.paragraph("", "", *part_nodes(Part.verdict(verdict)), ra2_sample=_part_key("v", verdict))

    def same_page(item_id: str, literal: nodes.literal) -> nodes.Node:
        return make_refnode(builder, docname, docname, _marker(1), literal)

    def other_page(item_id: str, literal: nodes.literal) -> nodes.Node:
        return nodes.reference("", "", literal, internal=True, refuri=_marker(1))  # as make_refnode to another page

    for variant, link in zip(REF_VARIANTS, (None, same_page, other_page), strict=True):
        holder += nodes.paragraph("", "", *part_nodes(Part.ref(text), link=link), ra2_sample=_part_key("r", variant))
    shapes: dict[str, nodes.Element] = {}
    for data, fit in zip(payload, fitting, strict=True):
        if not fit:
            continue
        if view == "rows":
            key = _row_key(data)
            if key not in shapes:
                shape_row = nodes.row(ra2_sample=key)
                for index, encoded in enumerate(data["cells"]):
                    shape_row += nodes.entry("", *(cell_nodes((Part.text(_marker(index)),)) if encoded[1] else []))
                shapes[key] = shape_row
        else:
            key = _entry_key(data)
            if key not in shapes:
                sample = Builder(ra2_deferred()).entry(_sample_entry(data))
                sample["ra2_sample"] = key  # its signature: what post-transforms do to every signature
                shapes[key] = sample
    holder.extend(shapes.values())
    return holder


# The check page is built as nodes: the first page with views of at most this many rows and entries in all
# (pages of larger views are written the fast way before it, unchecked, rather than slowly).
CHECK_PAGE_SIZE = 100


class FastCheck:
    """Whether this build writes deferred views the fast way: ``pending`` until one row is compared with nodes."""

    def __init__(self) -> None:
        self.state = "pending"  # pending -> checking -> fast | nodes


_checks: weakref.WeakKeyDictionary[Any, FastCheck] = weakref.WeakKeyDictionary()


def fast_check(app: Sphinx) -> FastCheck:
    return _checks.setdefault(app, FastCheck())


def new_build(app: Sphinx, env: Any) -> list[str]:
    """env-updated: every build checks the fast path once (extensions and settings may have changed)."""
    _checks[app] = FastCheck()
    return []


class RealizeDeferred(SphinxPostTransform):
    """Build the nodes before references are resolved; for the fast path, its samples and the rows that fit none."""

    default_priority = 5  # before ReferencesResolver (10)

    def run(self, **kwargs: Any) -> None:
        found = list(self.document.findall(ra2_deferred))
        if not found:
            return
        fast = self.app.builder.format == "html" and self.app.config.ra2docs_fast_html
        check = fast_check(self.app)
        size = sum(len(node["payload"]) for node in found)
        if fast and check.state in ("pending", "fast") and not (check.state == "pending" and size <= CHECK_PAGE_SIZE):
            for node in found:
                self.prepare_fast(node)
            return
        if fast and check.state == "pending":
            self.prepare_check(found, check)
        for node in found:
            node.replace_self(Builder(node).build())

    def prepare_fast(self, node: ra2_deferred) -> None:
        view, payload = node["view"], node["payload"]
        built = Builder(node)
        realized = nodes.container(classes=["ra2-realized"])
        fitting = tuple(fits(view, data) for data in payload)
        node["fits"] = fitting  # a tuple of booleans: the garbage collector leaves it alone
        for data, fit in zip(payload, fitting, strict=True):
            if not fit:
                realized += built.row(data) if view == "rows" else built.entry(data)

        node += samples(self.app.builder, self.env.docname, view, payload, fitting)
        node += realized

    def prepare_check(self, found: list[ra2_deferred], check: FastCheck) -> None:
        """This page is built as nodes; one of its rows (or entries) is also written the fast way, and compared."""
        for node in found:
            view = node["view"]
            for index, data in enumerate(node["payload"]):
                if fits(view, data):
                    probe = ra2_deferred(view="check " + view, payload=(data,), index=index)
                    probe += samples(self.app.builder, self.env.docname, view, (data,), (True,))
                    node.parent.insert(node.parent.index(node), probe)  # written just before the rows it checks
                    check.state = "checking"
                    return


# -- the fast HTML path: writing ---------------------------------------------------------------


class FastHtml:
    """Writes deferred rows and entries with the markup the page's own translator gave their samples.

    Each sample (``samples``) is written once by the translator with slot markers
    in place of its texts; every row, entry or part of its shape is then that
    markup with the texts filled in (encoded as the translator encodes text).
    A row itself (``<tr>``, its classes and IDs) is written by the translator
    from a row node. Rows and entries that fit no template were built as nodes
    before post-transforms (``ra2-realized``) and are walked as usual.
    """

    def __init__(self, translator: Any, node: ra2_deferred, holder: nodes.Element) -> None:
        self.t = translator
        self.node = node
        self.builder = translator.builder
        self.docname = self.builder.current_docname
        self.domain = ra2_domain(self.builder.env)
        self.samples = {child["ra2_sample"]: child for child in holder.children if isinstance(child, nodes.Element)}
        self.templates: dict[str, list[str]] = {}
        self.signatures: dict[str, tuple[nodes.Element, dict[str, Any]]] = {}  # entry shape -> its sample, attributes
        self.nodes = Builder(node)
        # Page -> its URI relative to this page: asked for every link (hundreds of thousands on
        # a large catalogue's pages), always the same answer for the same page.
        self.uris: dict[str, str] = {}

    # -- learning ------------------------------------------------------------

    def render(self, sample: nodes.Node) -> str:
        body = self.t.body
        self.t.body = []
        try:
            sample.walkabout(self.t)
            return "".join(self.t.body)
        finally:
            self.t.body = body

    def template(self, key: str) -> list[str]:
        """Template pieces: text, slot number, text, slot number, ... (slot numbers as strings)."""
        if key not in self.templates:
            sample = self.samples[key]
            if isinstance(sample, nodes.row):
                sample.parent = self.node.parent  # the table's body: an entry asks its table for stub columns
                sample.column = 0  # type: ignore[attr-defined]  # what visiting the row itself would set
                children: list[nodes.Node] = list(sample.children)
            elif isinstance(sample, nodes.paragraph):
                children = list(sample.children)  # inline markup, written inside its paragraph
            else:  # an entry: its signature is built for each entry, with what post-transforms gave the sample's
                sample.parent = self.node.parent
                signature = sample[0]
                assert isinstance(signature, addnodes.desc_signature)  # Builder.entry puts it first
                self.signatures[key] = (sample, {k: v for k, v in signature.attributes.items() if k not in _OWN})
                sample[0] = nodes.raw("", _marker(SIGNATURE), format="html")
                children = [sample]
            self.templates[key] = _SLOT.split("".join(self.render(child) for child in children))
        return self.templates[key]

    def fill(self, key: str, values: dict[int, str]) -> str:
        out = []
        for index, piece in enumerate(self.template(key)):
            out.append(values.get(ord(piece) - _SLOT_BASE, "") if index % 2 else piece)
        return "".join(out)

    # -- parts ---------------------------------------------------------------------

    def inline_html(self, codes: Sequence[tuple[str, str]]) -> str:
        out = []
        encode = self.t.encode
        for kind, value in codes:
            if kind != PartKind.REF.value:
                variant = value if kind == PartKind.VERDICT.value else ""  # a badge's classes name its verdict
                out.append(self.fill(_part_key(kind, variant), {0: encode(value)}))
                continue
            target = self.domain.target_of(value)
            if target is None:
                out.append(self.fill(_part_key(kind, "none"), {0: encode(value)}))
            elif target[0] == self.docname:
                out.append(self.fill(_part_key(kind, "same"), {0: encode(value), 1: self.t.attval(target[1])}))
            else:
                page = self.uris.get(target[0])
                if page is None:
                    page = self.uris[target[0]] = self.builder.get_relative_uri(self.docname, target[0])
                uri = self.t.attval(page + "#" + target[1])
                out.append(self.fill(_part_key(kind, "other"), {0: encode(value), 1: uri}))
        return "".join(out)

    # -- rows and entries ----------------------------------------------------------

    def row_cells(self, data: dict[str, Any]) -> str:
        values = {index: self.inline_html(encoded[1]) for index, encoded in enumerate(data["cells"]) if encoded[1]}
        return self.fill(_row_key(data), values)

    def signature_html(self, data: dict[str, Any], key: str) -> str:
        """The signature (ID, title) as nodes, walked: in a signature the translator writes each word on its own."""
        self.template(key)
        sample, attributes = self.signatures[key]
        signature = self.nodes.signature(data)
        for name, value in attributes.items():
            signature[name] = value.copy() if isinstance(value, list) else value
        signature.parent = sample
        return self.render(signature)

    def entry_html(self, data: dict[str, Any]) -> str:
        key = _entry_key(data)
        values = {SIGNATURE: self.signature_html(data, key)}
        for slot, which in ((TEXT, "text"), (NOTES, "notes")):
            if data[which] is not None:
                values[slot] = self.inline_html(data[which][1])
        for index, (name, encoded) in enumerate(data["fields"]):
            values[2 * index] = self.t.encode(name)
            if encoded[1]:
                values[2 * index + 1] = self.inline_html(encoded[1])
        return self.fill(key, values)

    def write(self, realized: Iterator[nodes.Node]) -> None:
        t = self.t
        view, parent = self.node["view"], self.node.parent
        for data, fit in zip(self.node["payload"], self.node["fits"], strict=True):
            if not fit:
                built = next(realized)
                built.parent = parent
                built.walkabout(t)
            elif view == "entries":
                t.body.append(self.entry_html(data))
            elif view == "rows":
                row = nodes.row(classes=list(data["classes"]), ids=list(data["ids"]))
                t.dispatch_visit(row)  # the translator counts its rows (odd, even) and writes <tr>
                t.body.append(self.row_cells(data))
                t.dispatch_departure(row)


def _same_markup(fast: FastHtml, data: dict[str, Any], built: nodes.Element) -> bool:
    """Whether the fast path writes ``data`` as the translator writes ``built`` (its nodes, post-transformed)."""
    page_nodes, built = built, built.deepcopy()  # a translator marks what it visits (field-odd...): a copy
    built.parent = page_nodes.parent
    if isinstance(built, nodes.row):
        if built["classes"] != list(data["classes"]) or built["ids"] != list(data["ids"]):
            return False
        built.column = 0  # type: ignore[attr-defined]  # what visiting the row itself would set
        node_html = "".join(fast.render(entry) for entry in built.children)
        return node_html == fast.row_cells(data)
    return fast.render(built) == fast.entry_html(data)


def visit_deferred_html(translator: Any, node: ra2_deferred) -> None:
    """The fast HTML path: rows or entries written from the templates learnt from their samples."""
    holders = {
        cls: child
        for child in node.children
        if isinstance(child, nodes.container)
        for cls in child["classes"]
        if cls in ("ra2-samples", "ra2-realized")
    }
    if node["view"].startswith("check "):
        check = fast_check(translator.builder.app)
        fast = FastHtml(translator, node, holders["ra2-samples"])
        rows = node.parent.children
        built = rows[rows.index(node) + 1 + node["index"]]  # this page is built as nodes: they follow
        same = _same_markup(fast, node["payload"][0], built)
        check.state = "fast" if same else "nodes"
        if not same:
            logger.info(
                "ra2docs: the fast HTML path writes a row unlike its nodes (another extension's "
                "post-transform?): this build writes every view from nodes"
            )
    else:
        FastHtml(translator, node, holders["ra2-samples"]).write(iter(holders["ra2-realized"].children))
    raise nodes.SkipNode


def setup_deferred(app: Sphinx) -> None:
    # Build large views at write time for HTML (see the module's docstring); off: as every other builder.
    app.add_config_value("ra2docs_fast_html", True, "html", [bool])
    app.add_node(ra2_deferred, html=(visit_deferred_html, None))
    app.add_post_transform(RealizeDeferred)
    app.connect("env-updated", new_build)
