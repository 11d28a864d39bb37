"""Read a reStructuredText chapter with docutils' own parser, keeping each table's source.

docutils parses the chapter as Sphinx would (every table form: list-table,
csv-table, the ``table`` directive, bare grid and simple tables, nested
anywhere), and a recording layer over its states notes, for each table, where
its markup starts and ends and the source markup of every cell. Nothing is
executed: ``include``, ``raw`` and file or URL options of ``csv-table`` are
switched off, and roles and directives docutils does not know (Sphinx's) are
left as they are.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from docutils import nodes
from docutils.parsers.rst import Parser, states
from docutils.parsers.rst.directives.tables import CSVTable, ListTable, RSTTable
from docutils.utils import new_document

from ra2docs.documents.document import Block, Cell, DirectiveBlock, Document, Row, Section, Table
from ra2docs.docutils_alone import docutils_alone, safe_settings

_OPTION = re.compile(r"^\s*:([\w][\w.+-]*):(?:\s+(.*?))?\s*$")
_TABLE_DIRECTIVES = (ListTable, CSVTable, RSTTable)


class _Recorder:
    """What the recording states collect during one parse."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.tables: list[tuple[Table, Any]] = []  # (table, the node that holds it)
        self.open: list[Table] = []  # directives whose content is being parsed
        self.directive_lines: dict[int, int] = {}  # id(node) -> line of the directive that made it
        self.unknown: list[DirectiveBlock] = []  # directives docutils does not know, as written


def _indent_of(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _trimmed(lines: list[str]) -> list[str]:
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    while lines and not lines[0].strip():
        lines = lines[1:]
    return lines


def _cell_text(lines: list[str]) -> str:
    kept = _trimmed([line.rstrip() for line in lines])
    indents = [_indent_of(line) for line in kept if line.strip()]
    cut = min(indents, default=0)
    return "\n".join(line[cut:] for line in kept)


def _line_of(block: Any, default: int) -> int:
    items = getattr(block, "items", None)
    if items and isinstance(items[0][1], int):
        return int(items[0][1]) + 1
    return default


def _header_and_options(block_text: str) -> list[tuple[str, str]]:
    """The options of a directive, as written (``:widths: 10 20``), up to its content."""
    options: list[tuple[str, str]] = []
    for line in block_text.splitlines()[1:]:
        if not line.strip():
            break
        match = _OPTION.match(line)
        if match:
            options.append((match.group(1), match.group(2) or ""))
        elif options:
            name, value = options[-1]
            options[-1] = (name, f"{value} {line.strip()}".strip())
    return options


def _caption(block_text: str) -> str:
    """The directive's argument as written (a caption may run over several lines)."""
    lines = block_text.splitlines()
    first = lines[0].split("::", 1)[1].strip() if lines and "::" in lines[0] else ""
    parts = [first] if first else []
    for line in lines[1:]:
        if not line.strip() or _OPTION.match(line):
            break
        parts.append(line.strip())
    return " ".join(parts)


def _recording_directive(directive: type, recorder: _Recorder) -> type:
    """A subclass of a docutils table directive that notes what it reads."""

    class Recording(directive):
        def run(self) -> list[nodes.Node]:
            first = self.lineno
            items = getattr(self.content, "items", None) or []
            if items and all(isinstance(item[1], int) for item in items):
                last = max(int(item[1]) for item in items) + 1
            else:
                last = first + len(self.block_text.splitlines()) - 1
            last = min(max(last, first), len(recorder.lines))
            while last > first and not recorder.lines[last - 1].strip():
                last -= 1
            form = "list-table" if issubclass(directive, ListTable) else "csv-table"
            if issubclass(directive, RSTTable) and not issubclass(directive, (ListTable, CSVTable)):
                form = "table"
            table = Table(
                file=str(self.state.document["source"]),
                form=form,
                line=first,
                end_line=last,
                indent=_indent_of(recorder.lines[first - 1]) if 0 < first <= len(recorder.lines) else 0,
                caption=_caption(self.block_text),
                options=_header_and_options(self.block_text),
                header=[],
                body=[],
                section=None,
                nested=not isinstance(self.state.parent, (nodes.section, nodes.document)),
            )
            captured: list[tuple[nodes.Element, Any]] = []
            if form == "list-table":
                original = self.state.nested_parse

                def capture(block: Any, input_offset: int, node: nodes.Element, *args: Any, **kwargs: Any) -> Any:
                    result = original(block, input_offset, node, *args, **kwargs)
                    captured.append((node, block))
                    return result

                self.state.nested_parse = capture
            recorder.open.append(table)
            try:
                result = super().run()
            finally:
                recorder.open.pop()
                if form == "list-table":
                    del self.state.nested_parse
            made = next((n for n in result if isinstance(n, nodes.table)), None)
            if made is None:
                return result  # docutils reported the table as malformed; it stays out of the record
            if form == "list-table" and captured:
                rows = _list_rows(captured[0][0], captured[0][1], first)
                count = int(self.options.get("header-rows", 0) or 0)
                table.header, table.body = rows[:count], rows[count:]
            recorder.tables.append((table, self.state.parent))
            return result

    Recording.__name__ = directive.__name__
    return Recording


_BULLET = re.compile(r"^([-*+\u2022\u2023\u2043])(?: +|$)")


def _bullet_lines(block: Any) -> list[tuple[int, list[int]]]:
    """(row line, [cell lines]) of a list-table's content, from the content itself (any docutils version)."""
    lines = list(block)
    offsets = [int(item[1]) + 1 for item in block.items]
    rows: list[tuple[int, list[int]]] = []
    bullets = {i: bullet for i, line in enumerate(lines) if (bullet := _BULLET.match(line))}  # line -> its bullet
    starts = list(bullets)
    for position, start in enumerate(starts):
        stop = starts[position + 1] if position + 1 < len(starts) else len(lines)
        first = lines[start]
        rest = first[bullets[start].end() :]
        column = len(first) - len(rest)
        cells = [offsets[start]] if _BULLET.match(rest) else []
        for index in range(start + 1, stop):
            line = lines[index]
            if line[:column].strip() == "" and _BULLET.match(line[column:]):
                cells.append(offsets[index])
        rows.append((offsets[start], cells))
    return rows


def _list_rows(container: nodes.Element, block: Any, default_line: int) -> list[Row]:
    rows: list[Row] = []
    bullet = next((c for c in container.children if isinstance(c, nodes.bullet_list)), None)
    if bullet is None:
        return rows
    positions = _bullet_lines(block) if block is not None else []
    for number, row_item in enumerate(bullet.children):
        inner = next((c for c in row_item.children if isinstance(c, nodes.bullet_list)), None)
        if inner is None:
            continue
        row_line, cell_lines = positions[number] if number < len(positions) else (default_line, [])
        cells = [
            Cell(
                str(cell.rawsource or "").strip("\n"),
                cell_lines[index] if index < len(cell_lines) else int(cell.line or row_line),
            )
            for index, cell in enumerate(c for c in inner.children if isinstance(c, nodes.list_item))
        ]
        rows.append(Row(cells, row_line))
    return rows


if TYPE_CHECKING:  # what the mixin sees of the state classes it is placed before (their calls are Body's)
    _StateBase = states.Body
else:
    _StateBase = object


class _RecordingMixin(_StateBase):
    """Placed before each docutils state class; nested parses keep using the recording classes."""

    recorder: _Recorder
    classes: tuple[type, ...] = ()

    def __init__(self, state_machine: Any, debug: bool = False) -> None:
        super().__init__(state_machine, debug)
        self.nested_sm_kwargs = {"state_classes": self.classes, "initial_state": "Body"}

    def run_directive(self, directive: Any, match: Any, type_name: str, option_presets: Any) -> Any:
        if isinstance(directive, type) and issubclass(directive, _TABLE_DIRECTIVES):
            directive = _recording_directive(directive, self.recorder)
        lineno = self.state_machine.abs_line_number()
        result, blank_finish = super().run_directive(directive, match, type_name, option_presets)
        for node in result:
            if isinstance(node, nodes.Element) and not isinstance(node, nodes.system_message):
                self.recorder.directive_lines[id(node)] = lineno
        return result, blank_finish

    def unknown_directive(self, type_name: str) -> Any:
        """As docutils does (an error node holding the block), noting where the block is."""
        lineno = self.state_machine.abs_line_number()
        # (the stubs give a state the base StateMachine; reStructuredText's machines are all StateMachineWS)
        machine = self.state_machine
        indented, _indent, _offset, blank_finish = machine.get_first_known_indented(  # type: ignore[attr-defined]
            0, strip_indent=False
        )
        text = "\n".join(indented)
        lines = self.recorder.lines
        items = getattr(indented, "items", None) or []
        if items and all(isinstance(item[1], int) for item in items):
            first, last = int(items[0][1]) + 1, int(items[-1][1]) + 1
        else:
            first, last = lineno, lineno + len(indented) - 1
        first, last = max(1, min(first, len(lines))), max(1, min(last, len(lines)))
        while last > first and not lines[last - 1].strip():
            last -= 1
        lineno = first
        first_line = lines[lineno - 1] if 0 < lineno <= len(lines) else ""
        self.recorder.unknown.append(DirectiveBlock(type_name, lineno, last, _indent_of(first_line)))
        error = self.reporter.error(
            f'Unknown directive type "{type_name}".', nodes.literal_block(text, text), line=lineno
        )
        return [error], blank_finish

    def build_table(self, tabledata: Any, tableline: int, stub_columns: int = 0, widths: Any = None) -> Any:
        table_node = super().build_table(tabledata, tableline, stub_columns, widths)
        _, headrows, bodyrows = tabledata
        header = [_block_row(row, tableline) for row in headrows]
        body = [_block_row(row, tableline) for row in bodyrows]
        recorder = self.recorder
        if recorder.open:  # the content of a table or csv-table directive
            recorder.open[-1].header, recorder.open[-1].body = header, body
            return table_node
        # docutils gives a bare table the line of its first row; its markup starts at the border above
        recorder.directive_lines[id(table_node)] = tableline
        last = self.state_machine.abs_line_number()
        first_line = recorder.lines[tableline - 1] if 0 < tableline <= len(recorder.lines) else ""
        parent = self.parent
        table = Table(
            file=str(self.document["source"]),
            form="grid" if first_line.lstrip().startswith("+") else "simple",
            line=tableline,
            end_line=last,
            indent=_indent_of(first_line),
            caption="",
            options=[],
            header=header,
            body=body,
            section=None,
            nested=not isinstance(parent, (nodes.section, nodes.document)),
        )
        recorder.tables.append((table, parent))
        return table_node


def _block_row(row: list[Any], tableline: int) -> Row:
    cells = []
    for cell in row:
        if cell is None:  # spanned by a cell above or to the left
            continue
        _morerows, morecols, offset, block = cell
        line = _line_of(block, tableline + offset)
        cells.append(Cell(_cell_text(list(block)), line, 1 + int(morecols or 0)))
    return Row(cells, cells[0].line if cells else tableline)


def _state_classes(recorder: _Recorder) -> tuple[type, ...]:
    # docutils (< 0.21) keeps spare nested state machines in a class-level cache; ours get a cache
    # of their own, so that no machine of an earlier parse (and its recorder) is reused.
    cache: list[Any] = []
    made: list[type] = []
    for base in states.state_classes:
        made.append(type(base.__name__, (_RecordingMixin, base), {"recorder": recorder, "nested_sm_cache": cache}))
    classes = tuple(made)
    for cls in classes:
        cls.classes = classes  # type: ignore[attr-defined]  # made by type(): mypy sees only a type
    return classes


class _RecordingParser(Parser):
    def __init__(self, recorder: _Recorder) -> None:
        super().__init__()
        self.state_classes = _state_classes(recorder)


def _settings() -> Any:
    # unknown (Sphinx) roles and directives are not our business here; no include, no csv-table :file: or :url:
    return safe_settings(line_length_limit=20_000)


def _walk_sections(node: nodes.Element, level: int, numbers: list[int], chapter: str) -> Iterator[tuple[Any, Section]]:
    index = 0
    for child in node.children:
        if not isinstance(child, nodes.section):
            continue
        index += 1
        path = [*numbers, index]
        if level == 1:
            number = chapter if index == 1 else f"{chapter}-{index}"
        else:
            number = ".".join([chapter, *map(str, path[1:])])
        title = child.next_node(nodes.title)
        line = int(title.line or 1) - 1 if title is not None else int(child.line or 1)
        section = Section(number, title.astext() if title is not None else "", max(line, 1), level)
        yield child, section
        yield from _walk_sections(child, level + 1, path, chapter)


def _first_line(node: nodes.Node, recorder: _Recorder) -> int:
    lines = [recorder.directive_lines[id(node)]] if id(node) in recorder.directive_lines else []
    if node.line:
        lines.append(node.line)
    if not lines and isinstance(node, nodes.Element):
        for inner in node.findall(nodes.Element):
            if id(inner) in recorder.directive_lines:
                lines.append(recorder.directive_lines[id(inner)])
            if inner.line:
                lines.append(inner.line)
                break
    return min(lines, default=0)


def _blocks(section_node: nodes.section, recorder: _Recorder, end: int) -> list[Block]:
    """The body elements of a section with their source text (from their first line to the next's)."""
    members = [
        c
        for c in section_node.children
        if isinstance(c, nodes.Element)
        and not isinstance(c, (nodes.title, nodes.section, nodes.system_message, nodes.target))
    ]
    starts = [_first_line(m, recorder) for m in members]
    # A target ('.. _label:') is no block of its own, but a block ends where it starts.
    targets = [_first_line(c, recorder) for c in section_node.children if isinstance(c, nodes.target)]
    bounds = sorted({*starts, *targets})
    next_section = next((c for c in section_node.children if isinstance(c, nodes.section)), None)
    if next_section is not None:
        title = next_section.next_node(nodes.title)
        end = min(end, int(title.line or end) - 1 if title is not None else end)
    blocks: list[Block] = []
    for index, member in enumerate(members):
        start = starts[index]
        if not start:
            continue
        stop = next((s for s in bounds if s > start), end + 1)
        text = _cell_text(recorder.lines[start - 1 : stop - 1])
        kind = "paragraph" if isinstance(member, nodes.paragraph) else member.tagname
        blocks.append(Block(kind, text, start))
    return blocks


def chapter_of(stem: str) -> str:
    match = re.search(r"chapter[-_ ]?0*(\d+)", stem, re.IGNORECASE)
    return match.group(1) if match else stem


def read_rst(text: str, file: str, chapter: str | None = None) -> Document:
    """Parse one chapter; ``file`` is how the file is named in reports."""
    lines = text.splitlines()
    recorder = _Recorder(lines)
    document = new_document(file, _settings())
    with docutils_alone():  # the tree docutils gives, whatever an in-process Sphinx left registered
        _RecordingParser(recorder).parse(text, document)
    doc = Document(file, "rst", lines, chapter or chapter_of(file.rsplit("/", 1)[-1].rsplit(".", 1)[0]))
    by_node: dict[int, Section] = {}
    for node, section in _walk_sections(document, 1, [], doc.chapter):
        by_node[id(node)] = section
        doc.sections.append(section)
    for index, (node, section) in enumerate(zip(_section_nodes(document), doc.sections, strict=True)):
        following = doc.sections[index + 1].line - 1 if index + 1 < len(doc.sections) else len(lines)
        section.blocks = _blocks(node, recorder, following)
    for table, parent in recorder.tables:
        holder = parent
        while holder is not None and not isinstance(holder, nodes.section):
            holder = holder.parent
        table.section = by_node.get(id(holder)) if holder is not None else None
        doc.tables.append(table)
    doc.tables.sort(key=lambda t: t.line)
    doc.directives = sorted(recorder.unknown, key=lambda d: d.line)
    for message in document.findall(nodes.system_message):
        if message["level"] >= 3 and "Unknown interpreted text role" not in message.astext():
            if "Unknown directive type" in message.astext():
                continue
            doc.problems.append(
                (int(message.get("line") or 0), message.children[0].astext() if message.children else "")
            )
    return doc


def _section_nodes(document: nodes.document) -> Iterator[nodes.section]:
    def walk(node: nodes.Element) -> Iterator[nodes.section]:
        for child in node.children:
            if isinstance(child, nodes.section):
                yield child
                yield from walk(child)

    yield from walk(document)
