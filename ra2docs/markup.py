"""Catalogue text is reStructuredText from an allowlist, judged on the tree docutils parses.

Upstream cells carry citations, references, literals, notes: adoption keeps
them as written. But the catalogue is untrusted input, so a text is first
parsed by docutils alone (no raw, no file insertion, roles and directives
looked up in the allowlist only, nothing run), and the tree it gives is
walked: only the node types in ``_BLOCK_NODES`` and ``_INLINE_NODES``, the roles in
``ALLOWED_ROLES``, the admonitions in ``ALLOWED_DIRECTIVES`` and links to
``ALLOWED_SCHEMES`` (or relative and in-page ones) pass. Anything else
(``raw``, ``include``, ``:download:``, unknown roles, targets, labels,
definitions, section titles, a warning docutils gives) is a problem, and the
text is then shown escaped, never parsed by Sphinx or written by ``expand``.

Checking the text with patterns before the parser sees it failed wherever the
two read it differently (a directive inside a list item, a table cell, after
a literal spanning lines): the tree is what Sphinx would build.

This module only reads text; rendering happens in the Sphinx extension and
in ``expand``.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from docutils import nodes
from docutils.parsers.rst import Directive, Parser, directives, roles
from docutils.parsers.rst.directives import admonitions
from docutils.statemachine import string2lines
from docutils.utils import new_document, unescape

try:
    from docutils.frontend import get_default_settings
except ImportError:  # docutils 0.18 (Sphinx 7.2 allows it)
    from docutils.frontend import OptionParser

    def get_default_settings(*components: Any) -> Any:
        return OptionParser(components=components).get_default_values()


ALLOWED_ROLES = frozenset(
    {
        "ref",
        "numref",
        "doc",
        "term",
        "abbr",
        "ra2:item",
        "ra2:verdict",
        "emphasis",
        "strong",
        "literal",
        "code",
        "sup",
        "sub",
        "superscript",
        "subscript",
    }
)
CITE_ROLE = re.compile(r"^(foot)?cite(:[a-z]+)?$")
ALLOWED_DIRECTIVES = {
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
ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})
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
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")

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


@dataclass(frozen=True)
class MarkupProblem:
    line: int  # 1-based line within the text (0: the text as a whole)
    message: str


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
    return ALLOWED_DIRECTIVES.get(directive_name.lower(), _RefusedDirective), []


@contextmanager
def _allowlist_lookups() -> Iterator[None]:
    """Roles and directives are looked up in the allowlist only, while a catalogue text is parsed.

    docutils (and Sphinx, which replaces these two functions the same way during
    a build) finds them through these module functions; whatever was there is
    put back.
    """
    saved = roles.role, directives.directive
    roles.role, directives.directive = _role, _directive
    try:
        yield
    finally:
        roles.role, directives.directive = saved


def _settings() -> Any:
    settings = get_default_settings(Parser)
    settings.report_level = 5  # nothing printed: the messages stay in the tree, where the walk finds them
    settings.halt_level = 5
    settings.warning_stream = False
    settings.raw_enabled = False  # never reached (raw is refused by name), but a second lock
    settings.file_insertion_enabled = False
    settings.character_level_inline_markup = False
    settings.pep_references = settings.rfc_references = False
    return settings


_SETTINGS = _settings()


@contextmanager
def _stack_budget(frames: int) -> Iterator[None]:
    """Python's recursion limit set ``frames`` above the current depth, while a text is parsed.

    docutils recurses for each nested block and for each address in a paragraph.
    Sphinx parses a cell's text again deep inside a page: text that needs more
    frames here than it would have there fails here, never in the build.
    """
    depth, frame = 0, sys._getframe()
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


def lines(text: str) -> list[str]:
    """The lines of ``text`` as docutils reads them (tabs expanded to 8 columns, form feeds as spaces).

    The check judges these lines, so these lines are what the site parses and
    ``expand`` writes: a tab indents by 8 columns here but by one character in a
    list Sphinx is handed as it is, or by a few after a cell's indentation.
    """
    return string2lines(text, tab_width=8, convert_whitespace=True)


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


def _problems(text: str, inline: bool) -> tuple[MarkupProblem, ...]:
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


def problems(text: str) -> list[MarkupProblem]:
    """What in ``text`` is not allowed in catalogue text (an empty list: it may be rendered as markup)."""
    return list(_problems(text, False))


def inline_problems(text: str) -> list[MarkupProblem]:
    """The same for text shown inline, as its words on one line (``inline_text``): one paragraph only.

    The text is judged as ``inline_rst`` writes it: after an escaped space, so
    that no list, directive or block can start it.
    """
    return list(_problems("\\ " + " ".join(text.split()), True))


def inline_rst(text: str) -> str:
    """Catalogue text to place inline in reStructuredText: its markup when allowed, else escaped."""
    flat = " ".join(text.split())
    if is_plain(flat) and not block_start(flat):
        return flat
    return escape(text) if inline_problems(text) else "\\ " + flat


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
    if not isinstance(node, _INLINE_NODES) and (inline or not isinstance(node, _BLOCK_NODES)):
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
    scheme = _SCHEME.match(node["refuri"])
    if scheme and scheme.group(1).lower() not in ALLOWED_SCHEMES:
        problem(f"links to {scheme.group(1).lower()}: are not allowed (only http, https, mailto, relative, in-page)")
        return False
    return True


# -- one-line fields ---------------------------------------------------------------------

_BLOCK_START = re.compile(
    r"(?P<bullet>[*+\-\u2022\u2023\u2043](?:\s|$))"
    r"|(?P<enumerated>\(?(?:[0-9]+|#|[A-Za-z]|[ivxlcdmIVXLCDM]+)[.)](?:\s|$)|\((?:[0-9]+|#|[A-Za-z]+)\)(?:\s|$))"
    r"|(?P<field>:[^:\s][^:]*:(?:\s|$))"
    r"|(?P<line>\|(?:\s|$))"
    r"|(?P<doctest>>>>(?:\s|$))"
    r"|(?P<explicit>\.\.(?:\s|$))"
    r"|(?P<transition>(?P<mark>[!-/:-@\[-`{-~])(?P=mark){3,}\s*$)"
)
_BLOCK_REASONS = {
    "bullet": "starts a bullet list",
    "enumerated": "starts an enumerated list",
    "field": "starts a field list",
    "line": "starts a line block",
    "doctest": "starts a doctest block",
    "explicit": "starts a comment or a directive",
    "transition": "is a transition (a line of punctuation)",
}


def block_start(text: str) -> str:
    """Why a one-line text would not stay one paragraph when parsed (a list, a block, ...), or ''.

    Titles and other one-line fields sit in table cells and headings; parsed as
    reStructuredText, '• Basic', 'iv. Storage' or '~~~~' become a list or a
    transition instead of words. (``escape`` makes any such text safe.)
    """
    found = _BLOCK_START.match(text)
    return _BLOCK_REASONS[found.lastgroup or ""] if found else ""


# -- plain text ---------------------------------------------------------------------

_NOT_PLAIN = re.compile(r"[\\`*_|\[\]<>:@\n]|^\s*(?:[-+\u2022\u2023\u2043#]|\(?[A-Za-z0-9]{1,6}[.)](?:\s|$)|\.\.)|\s$")
_LITERAL = re.compile(r"``.+?``", re.DOTALL)
# A role name: word characters, '+' and '-', with single '.' or ':' between them
# ('ra2:item', 'footcite:p'). Each character can be matched one way only and a
# role cannot start inside another's name, so matching is linear in the text.
_ROLE_NAME = r"[A-Za-z0-9](?:[\w+-]|[.:](?=[\w+-]))*"


def is_plain(text: str) -> bool:
    """True when ``text`` holds no reStructuredText markup at all (it reads the same as plain text)."""
    return not _NOT_PLAIN.search(text)


# Every pattern here matches in time linear in the text (catalogue text is untrusted):
# no two quantifiers can share characters, and the pairs of '*' and '**' are found by
# ``_strip_pairs``, which never rescans.
_ROLE_TEXT = re.compile(rf"(?<![\w\\+-]):({_ROLE_NAME}):`((?:[^`\\]|\\.)*)`")
_REFERENCE = re.compile(r"`((?:[^`\\]|\\.)+?)`__?")
_STRONG_OPEN = re.compile(r"(?<![\w*])\*\*(?=\S)")
_STRONG_CLOSE = re.compile(r"(?<=\S)\*\*(?![\w*])")
_EMPHASIS_OPEN = re.compile(r"(?<![\w*])\*(?=[^\s*])")
_EMPHASIS_CLOSE = re.compile(r"(?<=[^\s*])\*(?![\w*])")
_INTERPRETED = re.compile(r"(?<![\w`])`(?=\S)([^`]+?)(?<=\S)`(?![\w`_])")
_FOOTNOTE_REF = re.compile(r"\s?\[(?:#[\w.-]*|\d+|\*|[\w.-]+)\]_")
_SUBSTITUTION = re.compile(r"\|([^|\s][^|]*?)\|_{0,2}")
_NAMED_REF = re.compile(r"(?<![\w`.-])([\w.-]*?[^\W_])__?(?![\w.-])")
_EXPLICIT_LINE = re.compile(r"^[ \t]*\.\.[ \t]+[\w.+:-]+[ \t]?::[^\n]*$", re.MULTILINE)


def _explicit_title(body: str) -> str | None:
    """The title of ``title <target>`` (without regular expressions: a lazy one was quadratic)."""
    if not body.endswith(">"):
        return None
    opening = body.rfind("<")
    if opening < 0 or ">" in body[opening + 1 : -1]:
        return None
    return body[:opening].rstrip()


def _strip_pairs(text: str, opening: re.Pattern[str], closing: re.Pattern[str], width: int) -> str:
    """Remove the markers of each opening-closing pair (the first closing after each opening)."""
    out: list[str] = []
    position = 0
    while True:
        start = opening.search(text, position)
        if start is None:
            break
        end = closing.search(text, start.end() + 1)
        if end is None:
            break  # a later opening has no closing after it either
        out.append(text[position : start.start()])
        out.append(text[start.end() : end.start()])
        position = end.start() + width
    out.append(text[position:])
    return "".join(out)


def _role_text(match: re.Match[str]) -> str:
    role, body = match.group(1), match.group(2)
    if CITE_ROLE.match(role):
        return f"[{body}]"
    title = _explicit_title(body)
    if title is not None and role in ("ref", "doc", "numref", "term", "ra2:item"):
        return title
    if role == "abbr":
        opening = body.rfind("(")
        return body[:opening].rstrip() if opening >= 0 and body.endswith(")") else body
    return body


def plain_text(text: str) -> str:
    """The words a reader sees, without markup: for search, exports, matching and comparison."""
    literals: list[str] = []

    def keep(match: re.Match[str]) -> str:
        literals.append(match.group(0)[2:-2])
        return f"\x00{len(literals) - 1}\x00"

    out = _LITERAL.sub(keep, text)
    out = _EXPLICIT_LINE.sub("", out)
    out = _ROLE_TEXT.sub(_role_text, out)
    out = _REFERENCE.sub(lambda m: _explicit_title(m.group(1)) or m.group(1), out)
    out = _FOOTNOTE_REF.sub("", out)
    out = _strip_pairs(out, _STRONG_OPEN, _STRONG_CLOSE, 2)
    out = _strip_pairs(out, _EMPHASIS_OPEN, _EMPHASIS_CLOSE, 1)
    out = _INTERPRETED.sub(r"\1", out)
    out = _SUBSTITUTION.sub(r"\1", out)
    out = _NAMED_REF.sub(r"\1", out)
    out = re.sub(r"\\(.)", r"\1", out)
    out = re.sub(r"\x00(\d+)\x00", lambda m: literals[int(m.group(1))], out)
    return " ".join(out.split())


# -- escaping -------------------------------------------------------------------------

_INLINE = re.compile(r"([\\`*_|\[\]<>:])")
# What would make a line more than words: any ASCII punctuation first (bullets '-',
# '+', '*'; '#.' enumerators; '..' explicit markup; '|' line blocks; a run of it a
# transition or a section underline), the other bullets, and enumerators ('2. ',
# 'iv. ', 'b) ', '(3) '). A backslash before the first character is harmless for
# any text and disarms all of them.
_LEADING = re.compile(r"^(?:[!-/:-@\[-`{-~\u2022\u2023\u2043]|(?:[0-9]+|[A-Za-z]{1,6})[.)](?:\s|$)|\(\w+\)(?:\s|$))")


_REPEATED = re.compile(r"^([!-/:-@\[-`{-~])\1{3,}$")


def escape(text: object) -> str:
    """Plain text made safe to place inline in reStructuredText: no markup, no lists, one line.

    Runs of whitespace become one space (a leading or trailing one is kept: ', ' stays ', ').
    """
    raw = str(text)
    if raw and not raw.strip():
        return " "
    flat = " ".join(raw.split())
    if flat and raw[:1].isspace():
        flat = " " + flat
    if flat and raw[-1:].isspace():
        flat += " "
    escaped = _INLINE.sub(r"\\\1", flat)
    if _REPEATED.match(escaped):
        # A line of one punctuation mark repeated is a transition, escaped or not (two
        # backslashes escape to four): an escaped space, which docutils drops, breaks it up.
        return "\\ " + escaped
    return "\\" + escaped if _LEADING.match(escaped) and not escaped.startswith("\\") else escaped


def heading(text: object, char: str = "=") -> str:
    """A section title and its underline, escaped, the underline as wide as the title is on screen.

    docutils measures a title by columns, East Asian wide characters counting two
    ('日本語' needs six), and fails a build run with -W on a shorter underline.
    """
    from docutils.utils import column_width

    title = escape(text)
    return f"{title}\n{char * max(column_width(title), 4)}"
