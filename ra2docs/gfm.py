"""Catalogue text made inert for GitHub-flavoured Markdown (pull-request comments).

Anyone who opens a pull request writes catalogue text, and the ``diff``
comment is posted by a bot: nothing taken from the catalogue may become a
link, an image, HTML, a heading, a mention that notifies someone, a
reference that shows up in another issue's timeline, math, or a table-cell
boundary. Every catalogue-derived string in a Markdown report goes through
:func:`text` (prose) or :func:`code` (IDs, paths, revisions), here and
nowhere else.
"""

from __future__ import annotations

import json
import re
from typing import Any

# A zero-width joiner stops GitHub's text filters (mentions, issue references,
# autolinks) from seeing ``@user``, ``#12`` or ``http://`` while the reader
# still sees the same characters.
ZWJ = "\u200d"

# Control characters (C0, C1) and the bidirectional overrides that can make
# text read differently from what it is ("Trojan Source").
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# Backslash-escaped: inline markup (emphasis, code, links, images, footnotes,
# strikethrough), table pipes, headings and GitHub math. Parentheses and braces
# need nothing: without a '[' no link can start.
_PUNCTUATION = re.compile(r"([\\`*_\[\]!|#~$])")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_ENTITY = re.compile("[&<>]")
_SCHEME = re.compile(r":(?=//)")  # http://, ftp://: the GFM autolink extension needs '://' together
_WWW = re.compile(r"(?i)\b(www)\.")  # www.example.org is autolinked without a scheme
_MENTION = re.compile(r"([@#])")  # @user, @org/team, a@b.org, #12, owner/repo#12
_GH_REF = re.compile(r"(?i)\b(gh)-(?=\d)")  # GH-12 is an issue reference too


def flatten(value: Any) -> str:
    """One line of visible text: no line breaks, control characters or direction overrides."""
    raw = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return " ".join(_INVISIBLE.sub(" ", raw).split())


def shorten(value: Any, width: int | None) -> str:
    """:func:`flatten`, cut to ``width`` characters with an ellipsis (before escaping, so no escape is cut)."""
    flat = flatten(value)
    if width is None or len(flat) <= width:
        return flat
    return flat[: max(width - 1, 0)] + "…"


def text(value: Any, width: int | None = 90) -> str:
    """Catalogue text as inert GitHub Markdown prose, safe in a table cell and in a list item."""
    escaped = _ENTITY.sub(lambda m: _ENTITIES[m.group()], shorten(value, width))
    escaped = _PUNCTUATION.sub(r"\\\1", escaped)
    escaped = _SCHEME.sub(":" + ZWJ, escaped)
    escaped = _WWW.sub(r"\1" + ZWJ + ".", escaped)
    escaped = _GH_REF.sub(r"\1" + ZWJ + "-", escaped)
    return _MENTION.sub(r"\1" + ZWJ, escaped)


def code(value: Any, width: int | None = 90, table: bool = True) -> str:
    """Catalogue text as a code span: shown verbatim, never a link, a mention or HTML.

    The fence is longer than any run of backticks in the text. Inside a
    table, GFM splits cells at a pipe even in a code span unless it is
    escaped; the escape is removed again before the span is rendered.
    """
    body = shorten(value, width)
    if not body:
        return "(empty)"
    longest = max((len(run) for run in re.findall("`+", body)), default=0)
    fence = "`" * (longest + 1)
    if body.startswith("`") or body.endswith("`"):
        body = f" {body} "  # one space each side is stripped again by the renderer
    if table:
        body = body.replace("|", "\\|")
    return f"{fence}{body}{fence}"
