"""Catalogue text is reStructuredText from an allowlist, judged on the tree docutils parses.

Upstream cells carry citations, references, literals, notes: adoption keeps
them as written. But the catalogue is untrusted input, so a text is first
parsed by docutils alone (no raw, no file insertion, roles and directives
looked up in the allowlist only, nothing run), and the tree it gives is
walked (``ra2docs.markup_tree``, imported only for text with markup): only
the roles in ``ALLOWED_ROLES``, the admonitions in ``ALLOWED_DIRECTIVES``,
plain blocks and inline markup, and links to ``ALLOWED_SCHEMES`` (or relative
and in-page ones) pass. Anything else (``raw``, ``include``, ``:download:``,
unknown roles, tables, targets, labels, definitions, section titles, a
warning docutils gives) is a problem, and the text is then shown escaped,
never parsed by Sphinx or written by ``expand``.

Checking the text with patterns before the parser sees it failed wherever the
two read it differently (a directive inside a list item, a table cell, after
a literal spanning lines): the tree is what Sphinx would build.

This module only reads text; rendering happens in the Sphinx extension and
in ``expand``. Plain text, escaping and headings are here too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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
ALLOWED_DIRECTIVES = frozenset(
    {"note", "warning", "tip", "important", "caution", "attention", "hint", "danger", "error", "seealso"}
)
ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})


@dataclass(frozen=True)
class MarkupProblem:
    line: int  # 1-based line within the text (0: the text as a whole)
    message: str


_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")


def scheme_of(uri: str) -> str:
    """The scheme of an address, lower case ('' for a relative or in-page one)."""
    found = _SCHEME.match(uri)
    return found.group(1).lower() if found else ""


def lines(text: str) -> list[str]:
    """The lines of ``text`` as docutils reads them (tabs expanded to 8 columns, form feeds as spaces).

    The check judges these lines, so these lines are what the site parses and
    ``expand`` writes: a tab indents by 8 columns here but by one character in a
    list Sphinx is handed as it is, or by a few after a cell's indentation.
    """
    from docutils.statemachine import string2lines

    return string2lines(text, tab_width=8, convert_whitespace=True)


def problems(text: str) -> list[MarkupProblem]:
    """What in ``text`` is not allowed in catalogue text (an empty list: it may be rendered as markup)."""
    from ra2docs.markup_tree import judge  # the parser, only for text with markup

    return list(judge(text, False))


def inline_problems(text: str) -> list[MarkupProblem]:
    """The same for text shown inline, as its words on one line (``inline_text``): one paragraph only.

    The text is judged as ``inline_rst`` writes it: after an escaped space, so
    that no list, directive or block can start it.
    """
    from ra2docs.markup_tree import judge

    return list(judge("\\ " + " ".join(text.split()), True))


def inline_rst(text: str) -> str:
    """Catalogue text to place inline in reStructuredText: its markup when allowed, else escaped."""
    flat = " ".join(text.split())
    if is_plain(flat) and not block_start(flat):
        return flat
    return escape(text) if inline_problems(text) else "\\ " + flat


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
