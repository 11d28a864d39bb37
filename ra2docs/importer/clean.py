"""Turn a table cell's markup into plain text, and find the IDs in it."""

from __future__ import annotations

import html
import re

_FOOTNOTE = re.compile(r"\s*<sup>\s*\(?\s*(\w{1,3})\s*\)?\s*</sup>|\s*<sub>\s*\(?\s*(\w{1,3})\s*\)?\s*<sub>", re.I)
# Only real HTML tags: '<I Opt>' or '<Flavour>' in a cell is text, not markup.
_TAG = re.compile(r"</?(?:sup|sub|br|b|i|em|strong|a|p|img|span|code|u|div|font|center)\b[^>]*>")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_RST_LINK = re.compile(r"`([^`<]*?)\s*<[^>]*>`__?")
_RST_ROLE = re.compile(r":(?:cite|ref|doc|term|numref)(?::\w+)?:`([^`]*)`")
_EMPHASIS = re.compile(
    r"(\*\*|__)(.+?)\1|(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])|(?<![\w_])_(?!\s)(.+?)(?<!\s)_(?![\w_])"
)
_CODE = re.compile(r"``?([^`]+)``?")
_BREAK = re.compile(r"<br\s*/?>", re.I)
# A trailing footnote mark written as '(1)' after a value: 'Up to 16TB (1)'.
_TRAILING_MARK = re.compile(r"\s+\((\d)\)$")

ID_TOKEN = re.compile(r"(?<![\w.-])((?:[a-z][a-z0-9-]*)(?:\.[a-z0-9][a-z0-9-]*)+)(?![\w-])")


def footnote_marks(cell: str) -> list[str]:
    marks = [a or b for a, b in _FOOTNOTE.findall(cell)]
    trailing = _TRAILING_MARK.search(_TAG.sub("", cell).strip())
    if trailing:
        marks.append(trailing.group(1))
    return marks


def clean(cell: str, keep_marks: bool = False) -> str:
    """Plain text of a cell: footnote marks, bold, code quotes, links and tags removed."""
    text = _BREAK.sub(" ", cell).replace("\\<", "&lt;").replace("\\>", "&gt;")
    if not keep_marks:
        text = _FOOTNOTE.sub("", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _RST_LINK.sub(r"\1", text)
    text = _RST_ROLE.sub("", text)
    text = _TAG.sub("", text)
    text = _CODE.sub(r"\1", text)
    for _ in range(2):
        text = _EMPHASIS.sub(lambda m: m.group(2) or m.group(3) or m.group(4) or "", text)
    text = html.unescape(text)
    text = " ".join(text.split())
    if not keep_marks:
        text = _TRAILING_MARK.sub("", text)
    return text.strip()


def ids_in(cell: str) -> list[str]:
    """Catalogue-looking IDs in a cell (link texts, code quotes, plain words), in order."""
    text = _MD_LINK.sub(r" \1 ", cell)
    text = _RST_ROLE.sub(" ", text)
    text = _TAG.sub(" ", text).replace("`", " ").replace("*", " ")
    found: list[str] = []
    for token in ID_TOKEN.findall(text):
        token = token.rstrip(".")
        if token.count(".") >= 1 and not _looks_like_prose(token) and token not in found:
            found.append(token)
    return found


_NOT_IDS = re.compile(r"^(e\.g|i\.e|etc|vs|chapter\d*|[a-z]+\.(md|rst|html|com|org|io|net)|.*\.(md|rst|png|html))$")


def _looks_like_prose(token: str) -> bool:
    return bool(_NOT_IDS.match(token)) or not any(ch.isdigit() for ch in token)


def priority_of(text: str) -> str:
    """The RFC 2119 keyword of a statement: bold one first, else the first plain one."""
    bold = re.findall(
        r"\*\*\s*(must not|must|shall not|shall|should not|should|may|required|recommended|optional)\s*\*\*", text, re.I
    )
    words = bold or re.findall(r"\b(must not|must|shall not|shall|should not|should|may)\b", text, re.I)
    if not words:
        return ""
    word = words[0].upper()
    return {
        "SHALL": "MUST",
        "SHALL NOT": "MUST NOT",
        "REQUIRED": "MUST",
        "RECOMMENDED": "SHOULD",
        "OPTIONAL": "MAY",
    }.get(word, word)
