"""Read a Markdown chapter (the spec's form until 2022) with markdown-it-py.

Tables are GitHub pipe tables; HTML comments hide what they enclose, as on
GitHub. Rows that GitHub shows as plain text because a comment or a blank
line broke a table are reported, with the table they were meant for, so
that no requirement is lost without a word.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from ra2docs.documents.document import Block, Cell, Document, Row, Section, Table
from ra2docs.documents.rst import chapter_of

_NUMBERED = re.compile(r"^((?:\d+\.)*\d+)\.?\s+(.*)$")
_CAPTION = re.compile(r"<b>\s*(Table\s+[\w.-]+)\s*:?\s*</b>\s*:?\s*(.*?)\s*</p>", re.IGNORECASE | re.DOTALL)
_CAPTION_TEXT = re.compile(r"^\s*\*{0,2}(Table\s+[\w.-]+)\s*:?\*{0,2}\s*:?\s*(.+?)\s*$", re.IGNORECASE)
_PIPE_ROW = re.compile(r"^\s*\|.*\|.*$")
_DELIMITER = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_TAGS = re.compile(r"<[^>]{0,200}>")


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True}).enable("table")


def split_number(title: str) -> tuple[str, str]:
    """'2.2.1 Cloud ...' -> ('2.2.1', 'Cloud ...'); unnumbered titles give ''."""
    match = _NUMBERED.match(title.strip())
    return (match.group(1), match.group(2).strip()) if match else ("", title.strip())


def _heading_text(inline: Token) -> str:
    text = inline.content
    text = re.sub(r"<!--.*?-->", "", text)
    text = _TAGS.sub("", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return " ".join(text.replace("`", "").replace("*", "").split())


def _span(lines: list[str], token: Token) -> tuple[int, int]:
    start, end = token.map or (0, 0)
    return start + 1, end  # 1-based first line, inclusive last line


def _cells(tokens: list[Token], start: int, line: int) -> tuple[list[Cell], int]:
    """The cells of one row (from tr_open at ``start``) and the index after tr_close."""
    cells: list[Cell] = []
    index = start + 1
    while index < len(tokens) and tokens[index].type != "tr_close":
        token = tokens[index]
        if token.type == "inline":
            cells.append(Cell(token.content.strip(), line))
        index += 1
    return cells, index + 1


def _table(tokens: list[Token], start: int, doc: Document, section: Section | None) -> tuple[Table, int]:
    first, last = _span(doc.lines, tokens[start])
    header: list[Row] = []
    body: list[Row] = []
    index = start + 1
    in_head = False
    while index < len(tokens) and tokens[index].type != "table_close":
        token = tokens[index]
        if token.type == "thead_open":
            in_head = True
        elif token.type == "thead_close":
            in_head = False
        if token.type == "tr_open":
            line = (token.map[0] + 1) if token.map else first
            cells, index = _cells(tokens, index, line)
            written = _split_pipes(doc.lines[line - 1]) if 0 < line <= len(doc.lines) else []
            if not in_head and header and len(written) > len(cells):
                # GitHub drops cells beyond the header's; they are kept here, and reported.
                cells += [Cell(text.strip(), line) for text in written[len(cells) :]]
            (header if in_head else body).append(Row(cells, line))
            continue
        index += 1
    table = Table(
        file=doc.file,
        form="pipe",
        line=first,
        end_line=last,
        indent=0,
        caption="",
        options=[],
        header=header,
        body=body,
        section=section,
        nested=tokens[start].level > 0,
        markup="md",
    )
    return table, index + 1


def _caption_after(tokens: list[Token], index: int) -> str:
    """The '<b>Table 2-1:</b> ...' line that follows a table in the 2020 chapters."""
    looked = 0
    while index < len(tokens) and looked < 6:
        token = tokens[index]
        if token.type == "heading_open" or token.type == "table_open":
            return ""
        if token.type == "html_block":
            found = _CAPTION.search(token.content)
            if found:
                return f"{found.group(1)}: {_TAGS.sub('', found.group(2)).strip()}".strip().rstrip(":")
        if token.type == "inline":
            found = _CAPTION_TEXT.match(_TAGS.sub("", token.content).replace("*", "").strip())
            if found:
                return f"{found.group(1)}: {found.group(2)}".strip().rstrip(":")
        if token.level == 0 and token.type.endswith("_open"):
            looked += 1
        index += 1
    return ""


def _stray_rows(tokens: list[Token], index: int, doc: Document, table: Table) -> None:
    """Pipe rows that follow a table but are not part of it (the table was broken upstream)."""
    while index < len(tokens):
        token = tokens[index]
        if token.type == "html_block" and token.content.lstrip().startswith("<!--"):
            index += 1
            continue
        if token.type != "paragraph_open":
            return
        inline = tokens[index + 1]
        lines = inline.content.splitlines()
        rows = [ln for ln in lines if _PIPE_ROW.match(ln) and not _DELIMITER.match(ln)]
        if not rows:
            return
        first = (token.map[0] + 1) if token.map else table.end_line
        for offset, raw in enumerate(lines):
            if raw in rows:
                cells = [c.strip() for c in _split_pipes(raw)]
                table.body.append(Row([Cell(c, first + offset) for c in cells], first + offset))
        doc.problems.append(
            (
                first,
                f"{len(rows)} table row(s) after the table of line {table.line} are not part of it upstream "
                "(a blank line, an HTML comment or a stray delimiter row broke the table; GitHub shows them as "
                "text): read as rows of that table",
            )
        )
        index += 3


def _split_pipes(line: str) -> list[str]:
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    cells, current, in_code, i = [], [], False, 0
    while i < len(body):
        char = body[i]
        if char == "\\" and i + 1 < len(body) and body[i + 1] == "|":
            current.append("\\|")
            i += 2
            continue
        if char == "`":
            in_code = not in_code
        if char == "|" and not in_code:
            cells.append("".join(current))
            current = []
        else:
            current.append(char)
        i += 1
    cells.append("".join(current))
    return cells


def read_markdown(text: str, file: str, chapter: str | None = None) -> Document:
    lines = text.splitlines()
    doc = Document(file, "md", lines, chapter or chapter_of(file.rsplit("/", 1)[-1].rsplit(".", 1)[0]))
    tokens = parser().parse(text)
    counters: list[int] = []
    top = min((int(t.tag[1]) for t in tokens if t.type == "heading_open"), default=1)
    current: Section | None = None
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == "heading_open":
            level = int(token.tag[1]) - top + 1
            title_text = _heading_text(tokens[index + 1])
            number, title = split_number(title_text)
            if level == 1:
                counters = []
                computed = doc.chapter
            else:
                depth = level - 1
                counters = counters[:depth] + [0] * max(0, depth - len(counters))
                counters[depth - 1] += 1
                computed = ".".join([doc.chapter, *map(str, counters[:depth])])
            current = Section(number or computed, title, (token.map[0] + 1) if token.map else 1, level)
            doc.sections.append(current)
            index += 3
            continue
        if token.type == "table_open":
            table, after = _table(tokens, index, doc, current)
            table.caption = _caption_after(tokens, after)
            _stray_rows(tokens, after, doc, table)
            doc.tables.append(table)
            if current is not None:
                current.blocks.append(Block("table", "\n".join(lines[table.line - 1 : table.end_line]), table.line))
            index = after
            continue
        if token.level == 0 and token.nesting in (0, 1) and token.map and current is not None:
            first, last = _span(lines, token)
            kind = "paragraph" if token.type == "paragraph_open" else token.type.replace("_open", "")
            current.blocks.append(Block(kind, "\n".join(lines[first - 1 : last]).strip("\n"), first))
            index = _close_of(tokens, index)
            continue
        index += 1
    return doc


def _close_of(tokens: list[Token], index: int) -> int:
    """The index after the block that opens at ``index``."""
    token = tokens[index]
    if token.nesting == 0:
        return index + 1
    depth = 0
    while index < len(tokens):
        depth += tokens[index].nesting
        index += 1
        if depth == 0:
            return index
    return index


def inline_tokens(text: str) -> list[Any]:
    """The inline tokens of a cell's Markdown (for conversion to reStructuredText)."""
    parsed = parser().parseInline(text)
    return parsed[0].children or [] if parsed else []
