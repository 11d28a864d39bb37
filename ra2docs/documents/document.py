"""What a spec chapter holds, as read from its source: sections, tables, cells.

Cells keep the markup their author wrote (reStructuredText, or Markdown for
the early chapters), with the line each starts on, so that an importer can
keep upstream wording and ``adopt`` can rewrite a table in place.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Cell:
    text: str  # the cell's source markup, dedented, without trailing blank lines
    line: int  # 1-based line of the file where the cell starts
    span: int = 1  # columns the cell covers (a grid table's merged cell covers more than one)


@dataclass
class Row:
    cells: list[Cell]
    line: int


@dataclass
class Section:
    number: str  # '2.3.4': the chapter's number, then the position of each heading below it
    title: str  # plain text
    line: int  # line of the title text
    level: int  # 1 for the chapter title
    blocks: list[Block] = field(default_factory=list)  # the body elements directly below the title

    def label(self) -> str:
        return f"{self.number} {self.title}".strip()


@dataclass
class Block:
    """A body element directly inside a section (a paragraph, a list, a note...)."""

    kind: str  # 'paragraph' or the element's node name
    text: str  # source markup
    line: int


@dataclass
class Table:
    file: str
    form: str  # 'list-table', 'csv-table', 'table' (a grid or simple table in a directive), 'grid', 'simple', 'pipe'
    line: int  # first line of the table's markup: the directive, or the top border
    end_line: int  # last line of its markup, inclusive
    indent: int  # columns of indentation of its first line in the file
    caption: str  # source markup of the caption ('' when none)
    options: list[tuple[str, str]]  # the directive's options as written, in order
    header: list[Row]
    body: list[Row]
    section: Section | None
    nested: bool = False  # inside a list, a note or another directive
    markup: str = "rst"  # 'rst' or 'md'

    @property
    def width(self) -> int:
        rows = self.header or self.body
        return max((len(r.cells) for r in rows), default=0)

    def first_line_text(self, lines: list[str]) -> str:
        return lines[self.line - 1].strip() if 0 < self.line <= len(lines) else ""


@dataclass
class DirectiveBlock:
    """A directive docutils does not know (Sphinx's or an extension's), where it stands in the file."""

    name: str
    line: int  # the '.. name::' line
    end_line: int  # its last non-blank line
    indent: int


@dataclass
class Document:
    file: str  # as shown in reports
    markup: str  # 'rst' or 'md'
    lines: list[str]
    chapter: str  # '2' for chapter02, else the file's stem
    sections: list[Section] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    directives: list[DirectiveBlock] = field(default_factory=list)  # unknown to docutils: ra2:table, toctree...
    problems: list[tuple[int, str]] = field(default_factory=list)  # (line, message): what the reader could not read
