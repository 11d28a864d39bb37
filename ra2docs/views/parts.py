"""The parts of a view cell, and the one factory that turns them into docutils nodes.

A cell is a tuple of :class:`Part`. Every output derives from :func:`part_nodes`
and :func:`cell_nodes`: the Sphinx builders walk the nodes they give (the HTML
fast path learns its markup from them), and ``ra2docs expand`` writes them back
as reStructuredText (:func:`rst_lines`). No renderer decides on its own what a
kind of part looks like.

Only docutils is imported here (never Sphinx): links and catalogue markup, which
need a builder or a parser, are passed in by the caller.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum

from docutils import nodes

from ra2docs.markup import escape


class PartKind(Enum):
    """What a part holds; the value is the one-letter code kept in doctrees (``Part.code``)."""

    MARKUP = "m"  # catalogue text: reStructuredText from the allowlist (ra2docs.markup)
    TEXT = "t"  # plain text computed by ra2docs (labels, counts), always escaped
    REF = "r"  # a catalogue item's ID, shown as a link to its definition
    BOLD = "b"  # plain text in bold
    NOTE_MARK = "s"  # plain text in superscript (a note mark)
    VERDICT = "v"  # a verdict badge


@dataclass(frozen=True, slots=True)
class Part:
    kind: PartKind
    value: str

    @classmethod
    def text(cls, value: str) -> Part:
        return cls(PartKind.TEXT, value)

    @classmethod
    def markup(cls, value: str) -> Part:
        return cls(PartKind.MARKUP, value)

    @classmethod
    def ref(cls, item_id: str) -> Part:
        return cls(PartKind.REF, item_id)

    @classmethod
    def bold(cls, value: str) -> Part:
        return cls(PartKind.BOLD, value)

    @classmethod
    def note_mark(cls, value: str) -> Part:
        return cls(PartKind.NOTE_MARK, value)

    @classmethod
    def verdict(cls, value: str) -> Part:
        return cls(PartKind.VERDICT, value)

    @property
    def code(self) -> tuple[str, str]:
        """The part as a tuple of strings: what a doctree keeps (see ra2docs.sphinx.deferred)."""
        return (self.kind._value_, self.value)  # _value_: what .value reads, without its descriptor (hot)

    @classmethod
    def from_code(cls, code: tuple[str, str]) -> Part:
        return cls(PartKind(code[0]), code[1])


Cell = tuple[Part, ...]

# An item's ID (a literal) -> the node that links it (a pending_xref, a resolved reference...).
Link = Callable[[str, nodes.literal], nodes.Node]
# Catalogue markup -> its nodes (inline ones inside a paragraph; body elements for a cell of markup alone).
Markup = Callable[[str], list[nodes.Node]]


def verdict_classes(verdict: str) -> list[str]:
    """The classes of a verdict badge (ra2docs.css styles them; ra2docs.js sorts by them)."""
    return ["ra2-verdict", "ra2-verdict-" + verdict.replace(" ", "-")]


def id_literal(item_id: str) -> nodes.literal:
    return nodes.literal(item_id, item_id, classes=["ra2-id"])


def part_nodes(part: Part, link: Link | None = None, inline_markup: Markup | None = None) -> list[nodes.Node]:
    """The inline nodes of one part (without ``link``, an ID is its literal; without ``inline_markup``, text)."""
    kind, value = part.kind, part.value
    if kind is PartKind.MARKUP:
        return inline_markup(value) if inline_markup else [nodes.Text(value)]
    if kind is PartKind.REF:
        literal = id_literal(value)
        return [link(value, literal) if link else literal]
    if kind is PartKind.BOLD:
        return [nodes.strong(value, value)]
    if kind is PartKind.NOTE_MARK:
        return [nodes.superscript(value, value)]
    if kind is PartKind.VERDICT:
        return [nodes.inline(value, value, classes=verdict_classes(value))]
    return [nodes.Text(value)]


def alone_markup(cell: Cell) -> str | None:
    """The text of a cell that is catalogue markup alone (rendered as body elements), else None."""
    if len(cell) == 1 and cell[0].kind is PartKind.MARKUP:
        return cell[0].value
    return None


def cell_nodes(
    cell: Cell,
    link: Link | None = None,
    inline_markup: Markup | None = None,
    block_markup: Markup | None = None,
) -> list[nodes.Node]:
    """The body elements of a table entry (or a field, a note) showing ``cell``.

    A cell of catalogue markup alone is its body elements (paragraphs, lists),
    as a hand-written ``list-table`` cell; any other cell is one paragraph.
    """
    if not cell:
        return []
    text = alone_markup(cell)
    if text is not None:
        return block_markup(text) if block_markup else [nodes.paragraph(text, text)]
    paragraph = nodes.paragraph()
    for part in cell:
        paragraph.extend(part_nodes(part, link, inline_markup))
    return [paragraph]


# -- reStructuredText (ra2docs expand) ------------------------------------------------------


def _rst_role(template: str, text: str, before: str) -> tuple[str, bool]:
    """Inline markup around ``text`` where RST reads it as such; whether what follows needs a boundary.

    Its spaces go outside (markup cannot start or end with one); an escaped space
    (nothing in the output) parts it from a word before or after it.
    """
    core = text.strip()
    if not core:
        return escape(text), False
    lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
    joined = not lead and before and not before[-1].isspace()
    return escape(lead) + ("\\ " if joined else "") + template.format(escape(core)) + escape(trail), not trail


def rst_inline(children: Iterable[nodes.Node]) -> str:
    """The factory's inline nodes as reStructuredText (IDs and verdicts as their words)."""
    out: list[str] = []
    bounded = False  # the last piece was inline markup ending right there: a word after it needs a boundary
    for node in children:
        if isinstance(node, nodes.raw) and node.get("format") == "rst":
            piece, ends_in_markup = node.astext(), False  # catalogue markup, passed through as the checked text
        elif isinstance(node, (nodes.strong, nodes.superscript)):
            template = "**{}**" if isinstance(node, nodes.strong) else ":sup:`{}`"
            piece, ends_in_markup = _rst_role(template, node.astext(), "".join(out))
        elif isinstance(node, (nodes.Text, nodes.literal, nodes.inline)):
            piece, ends_in_markup = escape(node.astext()), False
        else:
            raise TypeError(f"no reStructuredText for a {node.__class__.__name__} node")
        if bounded and piece and not piece[0].isspace():
            piece = "\\ " + piece
        out.append(piece)
        bounded = ends_in_markup
    return "".join(out)


def rst_lines(body: Iterable[nodes.Node]) -> list[str]:
    """The body elements :func:`cell_nodes` gives, as lines of reStructuredText."""
    out: list[str] = []
    for node in body:
        if isinstance(node, nodes.raw) and node.get("format") == "rst":
            out.extend(node.astext().split("\n"))
        elif isinstance(node, nodes.paragraph):
            out.append(rst_inline(node.children))
        else:
            raise TypeError(f"no reStructuredText for a {node.__class__.__name__} node")
    return out
