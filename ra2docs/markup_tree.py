"""Catalogue text judged on the tree docutils parses (``ra2docs.markup`` asks here, only for text with markup).

The text is parsed by docutils alone: roles and directives are looked up in
the allowlist only (an allowed role or directive builds a placeholder, any
other is refused unrun, its content never parsed), raw and file insertion
are off, and parsing stops at the first warning. The tree is walked against
the node types in ``_BLOCK_NODES`` and ``_INLINE_NODES``; links are judged on
the address docutils made. Kept apart from ``ra2docs.markup`` so that a
catalogue of plain text never imports the parser.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from functools import lru_cache
from types import FrameType
from typing import Any

from docutils import nodes
from docutils.parsers.rst import Directive, Parser
from docutils.parsers.rst.directives import admonitions
from docutils.utils import new_document, unescape

from ra2docs.docutils_alone import lookups, safe_settings
from ra2docs.markup import ALLOWED_DIRECTIVES, ALLOWED_ROLES, ALLOWED_SCHEMES, CITE_ROLE, MarkupProblem, scheme_of

_DIRECTIVES = {
    "note": admonitions.Note,
    "warning": admonitions.Warning,
    "tip": admonitions.Tip,
    "important": admonitions.Important,
    "caution": admonitions.Caution,
    "attention": admonitions.Attention,
    "hint": admonitions.Hint,
    "danger": admonitions.Danger,
    "error": admonitions.Error,
    "seealso": admonitions.Note,  # Sphinx's; only its shape matters here
}
MAX_PROBLEMS = 20  # per text: past these, more would say nothing new
PARSE_FRAMES = 400  # of Python's stack a text may need (Sphinx has more left where it parses a cell)
MAX_DEPTH = 16  # nodes inside nodes: a cell's text is parsed again deep inside a page, where Python's stack is shorter

# Block and inline node types catalogue text may hold (after the checks below on each).
_BLOCK_NODES = (
    nodes.paragraph,
    nodes.bullet_list,
    nodes.enumerated_list,
    nodes.list_item,
    nodes.definition_list,
    nodes.definition_list_item,
    nodes.term,
    nodes.definition,
    nodes.literal_block,
    nodes.block_quote,
    nodes.line_block,
    nodes.line,
    nodes.comment,
    nodes.Admonition,  # note, warning, ... (only the allowed directives make them)
)
_INLINE_NODES = (
    nodes.Text,
    nodes.emphasis,
    nodes.strong,
    nodes.literal,
    nodes.reference,
    nodes.footnote_reference,
    nodes.citation_reference,
    nodes.substitution_reference,
    nodes.title_reference,
)
_DEFINITIONS = (nodes.target, nodes.footnote, nodes.citation, nodes.substitution_definition)

# docutils' words for unclosed markup, said the way a catalogue author reads them
_MESSAGES = {
    "Inline emphasis start-string without end-string.": "emphasis started by '*' is not closed",
    "Inline strong start-string without end-string.": "strong emphasis started by '**' is not closed",
    "Inline literal start-string without end-string.": "inline literal started by '``' is not closed",
    "Inline interpreted text or phrase reference start-string without end-string.": (
        "interpreted text or reference started by '`' is not closed"
    ),
    "Inline substitution_reference start-string without end-string.": (
        "substitution reference started by '|' is not closed"
    ),
    "Literal block expected; none found.": "'::' announces a literal block, but none follows",
}


class allowed_role(nodes.Inline, nodes.TextElement):
    """An allowed role (``:ref:``, ``:cite:``...) as the check sees it: its name and text, nothing resolved."""


class refused(nodes.Element):
    """A role or directive outside the allowlist: never run, its content never parsed."""


def _allowed_role(
    name: str, rawtext: str, text: str, lineno: int, inliner: Any, options: Any = None, content: Any = None
) -> tuple[list[nodes.Node], list[nodes.Node]]:
    return [allowed_role(rawtext, unescape(text), role=name)], []


def _refused_role(
    name: str, rawtext: str, text: str, lineno: int, inliner: Any, options: Any = None, content: Any = None
) -> tuple[list[nodes.Node], list[nodes.Node]]:
    return [refused(rawtext, what=f"role :{name}:", line=lineno)], []


def _role(role_name: str, language_module: Any, lineno: int, reporter: Any) -> tuple[Any, list[Any]]:
    name = role_name.lower()
    if not name:  # `text` with the default role (title-reference)
        return _default_role, []
    if name in ALLOWED_ROLES or CITE_ROLE.match(name):
        return _allowed_role, []
    return _refused_role, []


def _default_role(
    name: str, rawtext: str, text: str, lineno: int, inliner: Any, options: Any = None, content: Any = None
) -> tuple[list[nodes.Node], list[nodes.Node]]:
    return [nodes.title_reference(rawtext, unescape(text))], []


class _RefusedDirective(Directive):
    """Takes any argument, option and content, and runs nothing: the check names it."""

    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True

    def run(self) -> list[nodes.Node]:
        return [refused(self.block_text, what=f"directive '{self.name}'", line=self.lineno)]


def _directive(directive_name: str, language_module: Any, document: Any) -> tuple[Any, list[Any]]:
    name = directive_name.lower()
    return (_DIRECTIVES[name] if name in ALLOWED_DIRECTIVES else _RefusedDirective), []


def _allowlist_lookups() -> AbstractContextManager[None]:
    """Roles and directives are looked up in the allowlist only, while a catalogue text is parsed."""
    return lookups(_role, _directive)


# raw is refused by name before it is reached; SAFE_SETTINGS' raw_enabled is a second lock
_SETTINGS = safe_settings(character_level_inline_markup=False, pep_references=False, rfc_references=False)


@contextmanager
def _stack_budget(frames: int) -> Iterator[None]:
    """Python's recursion limit set ``frames`` above the current depth, while a text is parsed.

    docutils recurses for each nested block and for each address in a paragraph.
    Sphinx parses a cell's text again deep inside a page: text that needs more
    frames here than it would have there fails here, never in the build.
    """
    depth = 0
    frame: FrameType | None = sys._getframe()
    while frame is not None:
        depth, frame = depth + 1, frame.f_back
    saved = sys.getrecursionlimit()
    sys.setrecursionlimit(depth + frames)
    try:
        yield
    finally:
        sys.setrecursionlimit(saved)


class _Halt(Exception):
    """The first warning docutils gives: the text fails, and parsing stops there."""

    def __init__(self, message: nodes.system_message) -> None:
        super().__init__(message.astext())
        self.message = message


def _halt_on_warning(message: nodes.system_message) -> None:
    # Unclosed inline markup makes docutils scan to the end of the paragraph at each
    # start-string: thousands of them in 64 kB took half a minute. The first is enough.
    if message["level"] >= 2:
        raise _Halt(message)


def parse(text: str) -> nodes.document:
    """The tree docutils gives ``text``, up to its first warning (which ends it).

    Bounded: docutils refuses lines longer than 10,000 characters, parsing stops
    at the first warning, and nesting deeper than Python's stack ends in one.
    """
    document = new_document("<catalogue text>", _SETTINGS)
    document.reporter.attach_observer(_halt_on_warning)
    with _allowlist_lookups(), _stack_budget(PARSE_FRAMES):
        try:
            Parser().parse(text, document)
        except _Halt as halt:
            document += halt.message
        except RecursionError:
            document += nodes.system_message("markup nested too deep", level=3, type="ERROR", line=1)
    return document


def judge(text: str, inline: bool) -> tuple[MarkupProblem, ...]:
    # The check and the renderers judge the same texts: short ones are remembered (a long
    # one would cost its length again as a key, and is parsed in proportion to it anyway).
    return _remembered(text, inline) if len(text) <= 2048 else _judged(text, inline)


@lru_cache(maxsize=8192)
def _remembered(text: str, inline: bool) -> tuple[MarkupProblem, ...]:
    return _judged(text, inline)


def _judged(text: str, inline: bool) -> tuple[MarkupProblem, ...]:
    document = parse(text)
    found: list[MarkupProblem] = []
    one_paragraph = len(document.children) == 1 and isinstance(document.children[0], nodes.paragraph)
    if inline and not one_paragraph and not any(isinstance(c, nodes.system_message) for c in document.children):
        found.append(MarkupProblem(0, "one-line text must stay one paragraph"))
    # Inline, the one paragraph only holds what the text shows; its children are judged as inline markup.
    for child in document.children[0].children if inline and one_paragraph else document.children:
        _walk(child, inline and one_paragraph, 1, found)
        if len(found) >= MAX_PROBLEMS:
            break
    return tuple(found[:MAX_PROBLEMS])


def _line(node: nodes.Node, default: int) -> int:
    """The line of a node: its own, its first descendant's (a table has none) or its parent's."""
    line = node.get("line") if isinstance(node, nodes.Element) else None
    for inner in node.findall(include_self=True) if not line else ():
        line = getattr(inner, "line", None) or (inner.get("line") if isinstance(inner, nodes.Element) else None)
        if line:
            break
    return int(line or default)


def _walk(node: nodes.Node, inline: bool, line: int, found: list[MarkupProblem], depth: int = 0) -> None:
    line = _line(node, line) if not isinstance(node, nodes.Text) else line

    def problem(message: str) -> None:
        found.append(MarkupProblem(line, message))

    if depth > MAX_DEPTH:
        problem(f"markup nested more than {MAX_DEPTH} levels deep")
        return

    if isinstance(node, nodes.system_message):
        if node["level"] >= 2:  # a warning: the build run with -W would fail
            said = node.children[0].astext() if node.children else node.astext()
            problem(_MESSAGES.get(said, said[:1].lower() + said[1:].rstrip(".")))
        return
    if isinstance(node, refused):
        problem(f"{node['what']} is not allowed in catalogue text")
        return
    if isinstance(node, nodes.problematic):
        return  # its system message says what
    if isinstance(node, nodes.section):
        problem("a section title (a line underlined) cannot be part of catalogue text")
        return
    if isinstance(node, nodes.transition):
        problem("a transition (a line of punctuation) cannot be part of catalogue text")
        return
    if isinstance(node, nodes.target) and "refuri" in node and node.get("names"):
        problem(
            f"a link with a name (`{node['names'][0]} <...>`_) defines the target {node['names'][0]!r} in the page: "
            "write it with two underscores (`text <https://...>`__)"
        )
        return
    if isinstance(node, _DEFINITIONS):
        problem("targets, footnote and substitution definitions belong in the chapter")
        return
    if isinstance(node, nodes.Element) and node.get("names"):
        # ':name: x' on a note: a label the document's own references would reach
        problem(f"a label ({node['names'][0]!r}) cannot be defined in catalogue text")
        return
    if isinstance(node, allowed_role):
        return  # its text is the role's to read (a label, a key), never markup
    if isinstance(node, nodes.reference) and not _reference_allowed(node, problem):
        return
    # text is an inline node: what is refused here is an element
    if (
        isinstance(node, nodes.Element)
        and not isinstance(node, _INLINE_NODES)
        and (inline or not isinstance(node, _BLOCK_NODES))
    ):
        problem(f"{node.tagname.replace('_', ' ')} is not allowed in catalogue text")
        return
    for child in node.children:
        _walk(child, inline, line, found, depth + 1)
        if len(found) >= MAX_PROBLEMS:
            return


def _reference_allowed(node: nodes.reference, problem: Any) -> bool:
    if "refuri" not in node:
        problem(
            f"a reference by name ({node.astext()!r}_) needs a target that catalogue text cannot define: "
            "write the link with its address (`text <https://...>`__) or use :ref:"
        )
        return False
    scheme = scheme_of(node["refuri"])
    if scheme and scheme not in ALLOWED_SCHEMES:
        problem(f"links to {scheme}: are not allowed (only http, https, mailto, relative, in-page)")
        return False
    return True
