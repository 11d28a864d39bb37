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
_ROLE_BEFORE = re.compile(r"(?<![\w\\]):([A-Za-z0-9][\w.+:-]*?):`")
_ROLE_AFTER = re.compile(r"`:([A-Za-z0-9][\w.+:-]*?):(?![\w`])")
_EXPLICIT = re.compile(r"^[ \t]*\.\.(?:[ \t]+(.*))?$")
_DIRECTIVE = re.compile(r"^([\w.+:-]+)\s?::(?:\s|$)")
_LINK_TARGET = re.compile(r"`[^`]*?<([^<>`]+)>`__?")
_SCHEME = re.compile(r"(?<![\w.+-])([A-Za-z][A-Za-z0-9+.-]{1,20}):(?=\S)")
_UNDERLINE = re.compile(r"^[ \t]*([=\-~^\"'`#*+<>_:.!$%&,/;?@\\|])\1{3,}[ \t]*$")
_NOT_PLAIN = re.compile(r"[\\`*_|\[\]<>:@\n]|^\s*(?:[-+•‣⁃#]|\(?[A-Za-z0-9]{1,6}[.)](?:\s|$)|\.\.)|\s$")

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
        for match in _SCHEME.finditer(line):
            scheme = match.group(1).lower()
            if scheme in _KNOWN_SCHEMES and scheme not in ALLOWED_SCHEMES:
                found.append(MarkupProblem(number, f"links to {scheme}: are not allowed"))
    return found


def _scheme_of(target: str) -> str:
    match = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*):", target)
    return match.group(1).lower() if match else ""


# -- plain text ---------------------------------------------------------------------

_ROLE_TEXT = re.compile(r"(?<![\w\\]):([A-Za-z0-9][\w.+:-]*?):`((?:[^`\\]|\\.)*)`")
_EXPLICIT_TITLE = re.compile(r"^(.*?)\s*<([^<>]*)>$", re.DOTALL)
_REFERENCE = re.compile(r"`((?:[^`\\]|\\.)+?)`__?")
_STRONG = re.compile(r"(?<![\w*])\*\*(?=\S)(.+?)(?<=\S)\*\*(?![\w*])", re.DOTALL)
_EMPHASIS = re.compile(r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])", re.DOTALL)
_INTERPRETED = re.compile(r"(?<![\w`])`(?=\S)([^`]+?)(?<=\S)`(?![\w`_])")
_FOOTNOTE_REF = re.compile(r"\s?\[(?:#[\w.-]*|\d+|\*|[\w.-]+)\]_")
_SUBSTITUTION = re.compile(r"\|([^|\s][^|]*?)\|_{0,2}")
_NAMED_REF = re.compile(r"(?<![\w`])([\w.-]+)__?(?![\w])")
_EXPLICIT_LINE = re.compile(r"^[ \t]*\.\.[ \t]+[\w.+:-]+[ \t]?::[^\n]*$", re.MULTILINE)


def _role_text(match: re.Match[str]) -> str:
    role, body = match.group(1), match.group(2)
    if CITE_ROLE.match(role):
        return f"[{body}]"
    explicit = _EXPLICIT_TITLE.match(body)
    if explicit and role in ("ref", "doc", "numref", "term", "ra2:item"):
        return explicit.group(1)
    if role == "abbr":
        return re.sub(r"\s*\(.*\)$", "", body)
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
    out = _REFERENCE.sub(lambda m: (_EXPLICIT_TITLE.match(m.group(1)) or m).group(1), out)
    out = _FOOTNOTE_REF.sub("", out)
    out = _STRONG.sub(r"\1", out)
    out = _EMPHASIS.sub(r"\1", out)
    out = _INTERPRETED.sub(r"\1", out)
    out = _SUBSTITUTION.sub(r"\1", out)
    out = _NAMED_REF.sub(r"\1", out)
    out = re.sub(r"\\(.)", r"\1", out)
    out = re.sub(r"\x00(\d+)\x00", lambda m: literals[int(m.group(1))], out)
    return " ".join(out.split())


# -- escaping -------------------------------------------------------------------------

_INLINE = re.compile(r"([\\`*_|\[\]<>:])")
_LEADING = re.compile(r"^([-+#=.•‣⁃]|\d+[.)]\s|[a-zA-Z]{1,6}[.)]\s|\(\w+\)\s)")


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
    return "\\" + escaped if _LEADING.match(escaped) else escaped
