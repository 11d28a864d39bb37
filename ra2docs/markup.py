"""Catalogue text is reStructuredText inline markup from an allowlist.

Upstream cells carry citations, references, literals, notes: adoption keeps
them as written. But the catalogue is untrusted input, so only harmless
markup is accepted: the roles in ``ALLOWED_ROLES``, emphasis, strong,
literals, hyperlinks to http(s)/mailto or relative targets, footnote
references, substitutions, and admonitions such as ``.. note::``. Anything
else (``raw``, ``include``, ``:download:``, unknown roles, targets or
substitution definitions, section titles) is reported, and the text is then
shown escaped, never interpreted.

This module only reads text; rendering happens in the Sphinx extension and
in ``expand``.
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

_LITERAL = re.compile(r"``.+?``", re.DOTALL)
# A role name: word characters, '+' and '-', with single '.' or ':' between them
# ('ra2:item', 'footcite:p'). Each character can be matched one way only and a
# role cannot start inside another's name, so matching is linear in the text
# (the lazy ``[\w.+:-]*?`` this replaces took quadratic time on '.:a.:a...').
_ROLE_NAME = r"[A-Za-z0-9](?:[\w+-]|[.:](?=[\w+-]))*"
_ROLE_BEFORE = re.compile(rf"(?<![\w\\+-]):({_ROLE_NAME}):`")
_ROLE_AFTER = re.compile(rf"`:({_ROLE_NAME}):(?![\w`])")
_EXPLICIT = re.compile(r"^[ \t]*\.\.(?:[ \t]+(.*))?$")
_DIRECTIVE = re.compile(r"^([\w.+:-]+)\s?::(?:\s|$)")
_LINK_TARGET = re.compile(r"`[^`]*?<([^<>`]+)>`__?")
_SCHEME = re.compile(r"(?<![\w.+-])([A-Za-z][A-Za-z0-9+.-]{1,20}):(?=\S)")
_UNDERLINE = re.compile(r"^[ \t]*([=\-~^\"'`#*+<>_:.!$%&,/;?@\\|])\1{3,}[ \t]*$")
_NOT_PLAIN = re.compile(r"[\\`*_|\[\]<>:@\n]|^\s*(?:[-+•‣⁃#]|\(?[A-Za-z0-9]{1,6}[.)](?:\s|$)|\.\.)|\s$")

# A target defined inline (_`name`), and references by name that need a target
# ('name_', '`a phrase`_', anonymous '__'): catalogue text cannot define targets,
# and docutils fails the build on a reference whose target is not there.
_INLINE_TARGET = re.compile(r"(?<![\w\\])_`")
_NAMED_REFERENCE = re.compile(r"(?<![\w\\./:-])([A-Za-z0-9]+(?:[-.+][A-Za-z0-9]+)*__?)(?=$|[\s.,;!?)\]}'\"])")
_PHRASE_REFERENCE = re.compile(r"`([^`<>]+)`__?(?![\w`])")

_KNOWN_SCHEMES = frozenset({"javascript", "vbscript", "data", "file", "ftp", "http", "https", "mailto", "about"})


@dataclass(frozen=True)
class MarkupProblem:
    line: int  # 1-based line within the text
    message: str


def is_plain(text: str) -> bool:
    """True when ``text`` holds no reStructuredText markup at all (it reads the same as plain text)."""
    return not _NOT_PLAIN.search(text)


def problems(text: str) -> list[MarkupProblem]:
    """What in ``text`` is not allowed in catalogue text (an empty list: it may be rendered as markup)."""
    found: list[MarkupProblem] = []
    lines = _LITERAL.sub(lambda m: "x" * len(m.group(0)), text).split("\n")
    for number, line in enumerate(lines, start=1):
        for pattern in (_ROLE_BEFORE, _ROLE_AFTER):
            for match in pattern.finditer(line):
                role = match.group(1)
                if role not in ALLOWED_ROLES and not CITE_ROLE.match(role):
                    found.append(MarkupProblem(number, f"role :{role}: is not allowed in catalogue text"))
        explicit = _EXPLICIT.match(line)
        if explicit:
            rest = explicit.group(1) or ""
            directive = _DIRECTIVE.match(rest)
            if directive:
                name = directive.group(1).lower()
                if name not in ALLOWED_DIRECTIVES:
                    found.append(MarkupProblem(number, f"directive '{name}' is not allowed in catalogue text"))
            elif rest.startswith(("[", "_", "|")):
                found.append(
                    MarkupProblem(number, "targets, footnote and substitution definitions belong in the chapter")
                )
        if _UNDERLINE.match(line) and number > 1 and lines[number - 2].strip():
            found.append(MarkupProblem(number, "a section title (a line underlined) cannot be part of catalogue text"))
        elif _UNDERLINE.match(line):
            found.append(MarkupProblem(number, "a transition (a line of punctuation) cannot be part of catalogue text"))
        for match in _LINK_TARGET.finditer(line):
            scheme = _scheme_of(match.group(1).strip())
            if scheme and scheme not in ALLOWED_SCHEMES:
                found.append(MarkupProblem(number, f"links to {scheme}: are not allowed"))
        if _INLINE_TARGET.search(line):
            found.append(MarkupProblem(number, "targets, footnote and substitution definitions belong in the chapter"))
        for match in (*_NAMED_REFERENCE.finditer(line), *_PHRASE_REFERENCE.finditer(line)):
            found.append(
                MarkupProblem(
                    number,
                    f"a reference by name ({match.group(0)!r}) needs a target that catalogue text cannot define: "
                    "write the link with its address (`text <https://...>`_) or use :ref:",
                )
            )
        for match in _SCHEME.finditer(line):
            scheme = match.group(1).lower()
            if scheme in _KNOWN_SCHEMES and scheme not in ALLOWED_SCHEMES:
                found.append(MarkupProblem(number, f"links to {scheme}: are not allowed"))
    found.extend(_build_warnings(text))
    return found


# -- what docutils would warn about (a warning fails a build run with -W) -----------

# Inline markup recognition rules (docutils' reStructuredText spec): a start-string
# begins the text or follows whitespace or an opening punctuation mark, and is
# followed by non-whitespace; an end-string follows non-whitespace and ends the
# text or precedes whitespace or a closing punctuation mark.
_BEFORE_START = r"(?:(?<=^)|(?<=[\s\-:/'\"<(\[{\u2018\u201c\u00ab]))"
_AFTER_END = r"(?=$|[\s\-.,:;!?\\/'\")\]}>\u2019\u201d\u00bb])"
_START = re.compile(_BEFORE_START + r"(``|\*\*|\*|`|\|)(?=\S)")
_END = {
    "``": re.compile(r"(?<=\S)``" + _AFTER_END),
    "**": re.compile(r"(?<=[^\s\\])\*\*" + _AFTER_END),
    "*": re.compile(r"(?<=[^\s\\*])\*" + _AFTER_END),
    "`": re.compile(r"(?<=[^\s\\])`(?:__?)?" + _AFTER_END),
    "|": re.compile(r"(?<=[^\s\\])\|(?:__?)?" + _AFTER_END),
}
_START_NAMES = {
    "``": "inline literal",
    "**": "strong emphasis",
    "*": "emphasis",
    "`": "interpreted text or reference",
    "|": "substitution reference",
}
_PAIRS = {"'": "'", '"': '"', "<": ">", "(": ")", "[": "]", "{": "}"}


def _build_warnings(text: str) -> list[MarkupProblem]:
    """Unclosed inline markup and a '::' with no literal block after it, paragraph by paragraph.

    Linear in the text: each start-string is matched with the first end-string
    after it, scanning on from there; a kind of markup found unclosed once is not
    searched for again (no end-string follows any later start of it either).
    """
    found: list[MarkupProblem] = []
    lines = text.split("\n")
    first = 0
    while first < len(lines):
        if not lines[first].strip():
            first += 1
            continue
        last = first
        while last + 1 < len(lines) and lines[last + 1].strip():
            last += 1
        paragraph = "\n".join(lines[first : last + 1])
        found.extend(MarkupProblem(first + 1 + line, message) for line, message in _unclosed(paragraph))
        if paragraph.rstrip().endswith("::") and not paragraph.rstrip().endswith("\\::"):
            following = next((ln for ln in lines[last + 1 :] if ln.strip()), None)
            indent = len(lines[first]) - len(lines[first].lstrip())
            if following is None or len(following) - len(following.lstrip()) <= indent:
                found.append(MarkupProblem(last + 1, "'::' announces a literal block, but none follows"))
        first = last + 1
    return found


def _unclosed(paragraph: str) -> list[tuple[int, str]]:
    unclosed: list[tuple[int, str]] = []
    hopeless: set[str] = set()  # kinds with no end-string left in the paragraph
    position = 0
    while True:
        start = _START.search(paragraph, position)
        if start is None:
            return unclosed
        kind = start.group(1)
        before = paragraph[start.start() - 1] if start.start() else ""
        after = paragraph[start.end()]
        escaped = _escaped(paragraph, start.start())
        if escaped or (before in _PAIRS and after == _PAIRS[before]) or kind in hopeless:
            position = start.end()
            continue
        end = _END[kind].search(paragraph, start.end() + (0 if kind == "``" else 1))
        if end is None:
            hopeless.add(kind)
            unclosed.append(
                (paragraph.count("\n", 0, start.start()), f"{_START_NAMES[kind]} started by {kind!r} is not closed")
            )
            position = start.end()
        else:
            position = end.end()


def _escaped(text: str, index: int) -> bool:
    """Whether the character at ``index`` follows an odd number of backslashes."""
    count = 0
    while index > count and text[index - count - 1] == "\\":
        count += 1
    return count % 2 == 1


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


def _scheme_of(target: str) -> str:
    match = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*):", target)
    return match.group(1).lower() if match else ""


# -- plain text ---------------------------------------------------------------------

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
