"""A Markdown document of the project (``catalogue/CHANGES.md``) as reStructuredText, for a page of the site.

The file is read with markdown-it-py (CommonMark and tables) and written out as
reStructuredText: headings, paragraphs, lists, tables (as list-tables) and code
blocks; inline markup goes through the importer's ``md_to_rst``. HTML blocks
are dropped, never passed on. The Sphinx directive ``ra2:markdown`` and
``ra2docs expand`` both use it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from markdown_it.token import Token

from ra2docs.documents.markdown import parser
from ra2docs.findings import Ra2docsError
from ra2docs.importer.md2rst import md_to_rst

UNDERLINES = "=-~^\"'"  # h1 .. h6: the site's chapters use = - ~ in this order


def _inline(token: Token) -> str:
    return md_to_rst(token.content)


def markdown_to_rst(text: str) -> list[str]:
    """The reStructuredText lines of a Markdown document (the block structure; inline by ``md_to_rst``)."""
    tokens = parser().parse(text)
    out: list[str] = []
    indent: list[str] = []  # the indentation of the list items we are in
    markers: list[str] = []  # '-' or '#.' of the lists we are in
    pending_marker: str | None = None  # the marker of a list item whose first block is next
    index = 0

    def emit(lines: list[str]) -> None:
        nonlocal pending_marker
        prefix = "".join(indent)
        if pending_marker is not None:
            first, *rest = lines
            out.append(prefix[: -len(pending_marker) - 1] + pending_marker + " " + first if prefix else first)
            out.extend(prefix + line if line else "" for line in rest)
            pending_marker = None
        else:
            out.extend(prefix + line if line else "" for line in lines)
        out.append("")

    while index < len(tokens):
        token = tokens[index]
        kind = token.type
        if kind == "heading_open":
            title = _inline(tokens[index + 1])
            level = int(token.tag[1])
            emit([title, UNDERLINES[level - 1] * max(len(title), 4)])
            index += 3
            continue
        if kind == "paragraph_open":
            emit([_inline(tokens[index + 1])])
            index += 3
            continue
        if kind in ("bullet_list_open", "ordered_list_open"):
            markers.append("-" if kind == "bullet_list_open" else "#.")
        elif kind in ("bullet_list_close", "ordered_list_close"):
            markers.pop()
        elif kind == "list_item_open":
            marker = markers[-1]
            indent.append(" " * (len(marker) + 1))
            pending_marker = marker
        elif kind == "list_item_close":
            indent.pop()
        elif kind in ("fence", "code_block"):
            emit(["::", "", *("   " + line for line in token.content.rstrip("\n").splitlines())])
        elif kind == "table_open":
            index = _table(tokens, index, emit)
        index += 1
    return out


def _table(tokens: list[Token], index: int, emit: Callable[[list[str]], None]) -> int:
    """A Markdown table as a list-table; the index of its closing token."""
    rows: list[list[str]] = []
    while tokens[index].type != "table_close":
        token = tokens[index]
        if token.type == "tr_open":
            rows.append([])
        elif token.type == "inline":
            rows[-1].append(_inline(token))
        index += 1
    lines = [".. list-table::", "   :header-rows: 1", ""]
    for row in rows:
        for position, cell in enumerate(row):
            lines.append(("   * - " if position == 0 else "     - ") + (cell or "\\ "))
    emit(lines)
    return index


def read_markdown(srcdir: Path, page_folder: Path, written: str) -> tuple[str, list[str]]:
    """The file ``ra2:markdown`` names, as reStructuredText lines, and its path relative to ``srcdir``.

    ``written`` is relative to the page's folder, or to ``srcdir`` when it starts with ``/``
    (as Sphinx reads paths). The path is taken as written: a link is refused, never followed.
    """
    source = srcdir / written.lstrip("/") if written.startswith("/") else page_folder / written
    source = Path(os.path.normpath(source))
    relative = os.path.relpath(source, srcdir)
    if source.is_symlink():
        raise Ra2docsError(f"ra2:markdown: {relative} is a symbolic link; name the file itself")
    try:
        text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise Ra2docsError(f"ra2:markdown: cannot read {relative}: {exc}") from None
    return relative, markdown_to_rst(text)
