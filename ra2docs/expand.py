"""``ra2docs expand SRC OUT``: a copy of a Sphinx source tree without ra2docs directives.

Each ``ra2:table`` becomes the plain ``list-table`` it renders (its caption,
options and header rows as written, one row per item), each comparison a
``list-table`` with its legend, and ``:ra2:item:`` roles their IDs. Tools
that do not run Sphinx with ra2docs (pandoc for the GSMA Word document,
doc8, other converters) then see the same tables as the site.
"""

from __future__ import annotations

import ast
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from ra2docs.documents.rst import read_rst
from ra2docs.findings import Ra2docsError
from ra2docs.graph import TraceGraph
from ra2docs.markup import escape
from ra2docs.model import Catalogue
from ra2docs.views.items import TableOptionError, columns_from_option, default_headers, item_table, query_from_options
from ra2docs.views.model import Cell

LIST_TABLE_OPTIONS = ("header-rows", "stub-columns", "width", "widths", "class", "name", "align")
SKIPPED = {".git", ".tox", ".venv", "_build", "build", "node_modules", "__pycache__"}
_OPTION = re.compile(r"^:([\w][\w.+-]*):(?:\s+(.*))?$")
_ROLE = re.compile(r":ra2:(item|verdict):`([^`]*)`")


@dataclass
class Directive:
    name: str
    argument: str
    options: dict[str, str]
    content: list[str]


@dataclass
class ExpandReport:
    files: int = 0
    expanded: dict[str, int] = field(default_factory=dict)  # directive name -> how many
    problems: list[str] = field(default_factory=list)


def conf_catalogue(confdir: Path) -> Path | None:
    """The catalogue folder conf.py names (``ra2docs_catalogue = "..."``), read without running conf.py."""
    conf = confdir / "conf.py"
    if not conf.is_file():
        return None
    try:
        tree = ast.parse(conf.read_text(encoding="utf-8"))
    except (SyntaxError, UnicodeDecodeError, OSError):
        return None
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "ra2docs_catalogue" for t in node.targets)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            return (confdir / node.value.value).resolve()
    return None


def parse_block(lines: list[str]) -> Directive:
    """A directive block (its first line at column 0 after dedenting) as name, argument, options, content."""
    head = lines[0].strip()
    match = re.match(r"^\.\.\s+([\w:.+-]+)::\s*(.*)$", head)
    if not match:
        raise Ra2docsError(f"not a directive: {head!r}")
    name, argument = match.group(1), match.group(2).strip()
    body = lines[1:]
    indents = [len(line) - len(line.lstrip()) for line in body if line.strip()]
    cut = min(indents, default=0)
    body = [line[cut:] for line in body]
    options: dict[str, str] = {}
    index = 0
    last = ""
    while index < len(body) and body[index].strip():
        option = _OPTION.match(body[index])
        if option:
            last = option.group(1)
            options[last] = (option.group(2) or "").strip()
        elif last:
            options[last] = f"{options[last]} {body[index].strip()}".strip()
        elif not options:
            argument = f"{argument} {body[index].strip()}".strip()
        index += 1
    content = body[index:]
    while content and not content[0].strip():
        content = content[1:]
    while content and not content[-1].strip():
        content = content[:-1]
    return Directive(name, argument, options, content)


def _cell_lines(cell: Cell) -> list[str]:
    if len(cell) == 1 and cell[0][0] == "m":
        return cell[0][1].splitlines() or [""]
    text = []
    for kind, value in cell:
        if kind == "m":
            text.append(" ".join(value.split()))
        elif kind == "b":
            text.append(f"**{escape(value)}**")
        else:
            text.append(escape(value))
    return ["".join(text)]


def _bullet_rows(rows: list[list[list[str]]]) -> list[str]:
    out: list[str] = []
    for row in rows:
        for index, lines in enumerate(row):
            marker = "* - " if index == 0 else "  - "
            first, rest = (lines[0], lines[1:]) if lines else ("", [])
            out.append((marker + first).rstrip())
            out.extend(("    " + line).rstrip() if line.strip() else "" for line in rest)
    return out


def expand_table(directive: Directive, catalogue: Catalogue, graph: TraceGraph) -> list[str]:
    options = dict(directive.options)
    try:
        query = query_from_options(options, catalogue)
        columns = columns_from_option(options.get("columns", ""), catalogue)
    except TableOptionError as exc:
        raise Ra2docsError(f"ra2:table: {exc}") from None
    table = item_table(catalogue, graph, query, columns)
    caption = directive.argument or options.get("caption", "")
    out = [f".. list-table:: {caption}".rstrip()]
    header_rows = options.get("header-rows")
    if not directive.content and header_rows != "0":
        header = [_cell_lines(cell) for cell in default_headers(columns, catalogue)]
        head_lines = _bullet_rows([header])
        header_rows = "1"
    else:
        head_lines = directive.content
        header_rows = header_rows or ("1" if directive.content else "0")
    for name in LIST_TABLE_OPTIONS:
        if name == "header-rows":
            out.append(f"   :header-rows: {header_rows}")
        elif name in options:
            out.append(f"   :{name}: {options[name]}".rstrip())
    out.append("")
    body = _bullet_rows([[_cell_lines(cell) for cell in row.cells] for row in table.view.rows])
    if not table.view.rows:
        raise Ra2docsError("ra2:table shows no item: its query matches nothing in the catalogue")
    out.extend(("   " + line).rstrip() if line.strip() else "" for line in [*head_lines, *body])
    return out


def expand_comparison(directive: Directive, catalogue: Catalogue) -> list[str]:
    comp = catalogue.comparisons.get(directive.argument.strip())
    if comp is None:
        raise Ra2docsError(f"ra2:comparison: unknown comparison {directive.argument!r}")
    caption = directive.options.get("caption", comp.title)
    if directive.options.get("number"):
        caption = f"Table {directive.options['number']}: {caption}"
    rows: list[list[list[str]]] = [[[escape(comp.row_header)], *([escape(title)] for _, title in comp.solutions)]]
    for row in comp.rows:
        item = catalogue.items.get(row.item) if row.item else None
        label = row.label or (item.title if item else "")
        first = f"{escape(label)} ({row.item})" if row.item else escape(label)
        cells = [[first.strip()]]
        for solution, _title in comp.solutions:
            cell = row.cells.get(solution)
            if cell is None:
                cells.append([""])
                continue
            text = escape(comp.level_label(cell.level))
            cells.append([f"{text} ({escape(cell.note)})" if cell.note else text])
        rows.append(cells)
    out = [f".. list-table:: {escape(caption)}", "   :header-rows: 1", ""]
    out.extend(("   " + line).rstrip() if line.strip() else "" for line in _bullet_rows(rows))
    legend = "; ".join(label for _, label in comp.levels)
    out += ["", f"**Support levels:** {escape(legend)}."]
    for note_id, text in comp.notes:
        out += ["", f"({escape(note_id)}): {escape(text)}"]
    return out


def expand_text(text: str, file: str, catalogue: Catalogue, graph: TraceGraph, report: ExpandReport) -> str:
    """The text of one RST file with every ra2docs directive and role written out."""
    if ".. ra2:" not in text and ":ra2:" not in text:
        return text
    doc = read_rst(text, file)
    lines = text.split("\n")
    for block in sorted((d for d in doc.directives if d.name.startswith("ra2:")), key=lambda d: -d.line):
        indent = " " * block.indent
        raw = [
            line[block.indent :] if line.startswith(indent) else line.lstrip()
            for line in lines[block.line - 1 : block.end_line]
        ]
        directive = parse_block(raw)
        try:
            if directive.name == "ra2:table":
                new = expand_table(directive, catalogue, graph)
            elif directive.name == "ra2:comparison":
                new = expand_comparison(directive, catalogue)
            else:
                report.problems.append(
                    f"{file}:{block.line}: {directive.name} is not written out by expand (left as a comment)"
                )
                new = [f".. {directive.name} (generated by ra2docs: see the published site)"]
        except Ra2docsError as exc:
            raise Ra2docsError(f"{file}:{block.line}: {exc}") from None
        report.expanded[directive.name] = report.expanded.get(directive.name, 0) + 1
        lines[block.line - 1 : block.end_line] = [(indent + line).rstrip() if line.strip() else "" for line in new]
    return _ROLE.sub(lambda m: m.group(2), "\n".join(lines))


def expand_tree(
    src: Path, out: Path, catalogue: Catalogue, graph: TraceGraph, exclude: list[str] | None = None
) -> ExpandReport:
    """Copy ``src`` to ``out`` (which must not exist yet, or be empty), expanding every .rst file."""
    src = src.resolve()
    out_resolved = out.resolve()
    if out.exists() and any(out.iterdir()):
        raise Ra2docsError(f"{out} already exists and is not empty: give a new folder")
    skipped = SKIPPED | set(exclude or [])

    def ignore(folder: str, names: list[str]) -> set[str]:
        here = Path(folder)
        return {
            n
            for n in names
            if n in skipped or (n.startswith(".") and (here / n).is_dir()) or (here / n).resolve() == out_resolved
        }

    shutil.copytree(src, out, symlinks=True, ignore=ignore, dirs_exist_ok=True)
    report = ExpandReport()
    for path in sorted(out.rglob("*.rst")):
        if path.is_symlink():
            continue
        text = path.read_text(encoding="utf-8")
        rel = path.relative_to(out).as_posix()
        expanded = expand_text(text, rel, catalogue, graph, report)
        report.files += 1
        if expanded != text:
            path.write_text(expanded, encoding="utf-8")
    return report
