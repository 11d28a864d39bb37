"""Find the tables of a spec chapter: Markdown pipe tables and RST list-tables.

Each table keeps the line of every row and cell, the section it sits in
(number and title where the chapter numbers its headings) and its caption.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass
class Row:
    line: int
    cells: list[str]
    cell_lines: list[int] = field(default_factory=list)


@dataclass
class Table:
    file: str
    line: int
    section: str  # "2.2.1" where headings are numbered, else ""
    section_title: str
    caption: str
    headers: list[str]
    rows: list[Row]
    in_comment: bool = False


@dataclass
class Heading:
    line: int
    level: int
    number: str
    title: str


_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_NUMBERED = re.compile(r"^((?:\d+\.)*\d+)\.?\s+(.*)$")
_MD_CAPTION = re.compile(r"<b>\s*(Table\s+[\w.-]+)\s*:?\s*</b>\s*:?\s*(.*?)</p>", re.IGNORECASE)
_DELIMITER = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")


def split_heading(text: str) -> tuple[str, str]:
    match = _NUMBERED.match(text.strip())
    return (match.group(1), match.group(2).strip()) if match else ("", text.strip())


def _split_pipe_row(line: str) -> list[str]:
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    # '|' inside `code` or escaped as '\|' does not split a cell.
    cells, current, in_code = [], [], False
    i = 0
    while i < len(body):
        char = body[i]
        if char == "\\" and i + 1 < len(body) and body[i + 1] == "|":
            current.append("|")
            i += 2
            continue
        if char == "`":
            in_code = not in_code
        if char == "|" and not in_code:
            cells.append("".join(current).strip())
            current = []
        else:
            current.append(char)
        i += 1
    cells.append("".join(current).strip())
    return cells


def markdown_tables(text: str, file: str) -> list[Table]:
    lines = text.splitlines()
    tables: list[Table] = []
    section, title = "", ""
    in_comment = False
    i = 0
    while i < len(lines):
        line = lines[i]
        if "<!--" in line and "-->" not in line.split("<!--", 1)[1]:
            in_comment = True
        elif in_comment and "-->" in line:
            in_comment = False
        heading = _MD_HEADING.match(line)
        if heading and not in_comment:
            section, title = split_heading(heading.group(2))
        # GitHub tables may leave out the outer pipes; the delimiter row decides.
        is_start = "|" in line and i + 1 < len(lines) and _DELIMITER.match(lines[i + 1]) is not None
        if not is_start:
            i += 1
            continue
        headers = _split_pipe_row(line)
        start = i + 1
        rows: list[Row] = []
        j = i + 2
        while j < len(lines) and "|" in lines[j] and lines[j].strip():
            cells = _split_pipe_row(lines[j])
            rows.append(Row(j + 1, cells, [j + 1] * len(cells)))
            j += 1
        caption = ""
        for k in range(j, min(j + 12, len(lines))):
            if lines[k].lstrip().startswith("#"):
                break
            found = _MD_CAPTION.search(lines[k])
            if found:
                caption = f"{found.group(1)}: {found.group(2)}".strip().rstrip(":")
                break
        tables.append(Table(file, start, section, title, caption, headers, rows, in_comment))
        i = j
    return tables


_RST_ADORNMENT = re.compile(r"^([=\-~^\"'`#*+<>_:.])\1{3,}\s*$")
_LIST_TABLE = re.compile(r"^(\s*)\.\.\s+list-table::\s*(.*)$")


def rst_headings(lines: list[str]) -> list[Heading]:
    found: list[Heading] = []
    levels: list[str] = []
    for i in range(1, len(lines)):
        match = _RST_ADORNMENT.match(lines[i])
        prev = lines[i - 1].strip()
        if not match or not prev or _RST_ADORNMENT.match(lines[i - 1]) or lines[i - 1].startswith(" "):
            continue
        char = match.group(1)
        if char not in levels:
            levels.append(char)
        number, title = split_heading(prev)
        found.append(Heading(i, levels.index(char) + 1, number, title))
    return found


def rst_tables(text: str, file: str) -> list[Table]:
    lines = text.splitlines()
    headings = rst_headings(lines)
    tables: list[Table] = []
    i = 0
    while i < len(lines):
        match = _LIST_TABLE.match(lines[i])
        if not match:
            i += 1
            continue
        indent = len(match.group(1))
        caption = match.group(2).strip()
        start = i + 1
        header_rows = 0
        j = i + 1
        while j < len(lines) and re.match(r"^\s+:[\w-]+:", lines[j]):
            option = re.match(r"^\s+:header-rows:\s*(\d+)", lines[j])
            if option:
                header_rows = int(option.group(1))
            j += 1
        raw_rows: list[Row] = []
        row_indent = None
        while j < len(lines):
            line = lines[j]
            if not line.strip():
                j += 1
                continue
            lead = len(line) - len(line.lstrip())
            if lead <= indent:
                break
            stripped = line.strip()
            if stripped.startswith("* -") or stripped == "*":
                row_indent = lead
                first = stripped[3:].strip() if stripped.startswith("* -") else ""
                raw_rows.append(Row(j + 1, [first], [j + 1]))
            elif stripped.startswith("-") and row_indent is not None and lead == row_indent + 2 and raw_rows:
                raw_rows[-1].cells.append(stripped[1:].strip())
                raw_rows[-1].cell_lines.append(j + 1)
            elif raw_rows:
                cells = raw_rows[-1].cells
                cells[-1] = f"{cells[-1]} {stripped}".strip()
            j += 1
        section = next((h for h in reversed(headings) if h.line < i), None)
        headers = raw_rows[0].cells if header_rows and raw_rows else []
        body = raw_rows[header_rows:] if header_rows else raw_rows
        tables.append(
            Table(
                file,
                start,
                section.number if section else "",
                section.title if section else "",
                caption,
                headers,
                body,
            )
        )
        i = j
    return tables
