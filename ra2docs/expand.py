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
from typing import Any

from docutils import nodes

from ra2docs import coverage
from ra2docs.documents.rst import read_rst
from ra2docs.findings import Ra2docsError
from ra2docs.graph import TraceGraph
from ra2docs.history import History
from ra2docs.markup import escape, inline_rst, problems
from ra2docs.markup import lines as markup_lines
from ra2docs.model import Catalogue
from ra2docs.outputs import OutputFolder
from ra2docs.views.conformance import SAMPLE_CAVEAT, conformance_tables
from ra2docs.views.entries import entry_view
from ra2docs.views.items import (
    ItemQuery,
    TableOptionError,
    columns_from_option,
    default_headers,
    field_lines,
    field_paragraphs,
    item_table,
    query_from_options,
    select,
)
from ra2docs.views.parts import alone_markup, cell_nodes, rst_lines
from ra2docs.views.table import Cell, TableView
from ra2docs.views.traceability import (
    backward_view,
    comparison_view,
    coverage_view,
    forward_view,
    gaps_view,
    grid_view,
)

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


def conf_value(confdir: Path, name: str) -> Any:
    """A literal value conf.py assigns to ``name``, read without running conf.py (None when there is none)."""
    conf = confdir / "conf.py"
    if not conf.is_file():
        return None
    try:
        tree = ast.parse(conf.read_text(encoding="utf-8"))
    except (SyntaxError, UnicodeDecodeError, OSError):
        return None
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            try:
                return ast.literal_eval(node.value)
            except ValueError:
                return None
    return None


def conf_catalogue(confdir: Path) -> Path | None:
    """The catalogue folder conf.py names (``ra2docs_catalogue = "..."``)."""
    value = conf_value(confdir, "ra2docs_catalogue")
    return (confdir / value).resolve() if isinstance(value, str) else None


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


def _markup(text: str) -> list[str]:
    """Catalogue markup as lines of RST (a block); text holding what is not allowed is written escaped.

    The lines written are the text that passed the check, unchanged: the same
    tree the site's parser builds from it.
    """
    return [escape(text)] if problems(text) else markup_lines(text) or [""]


def _rst_markup(text: str) -> list[nodes.Node]:
    return [nodes.raw("", inline_rst(text), format="rst")]


def _rst_block(text: str) -> list[nodes.Node]:
    return [nodes.raw("", "\n".join(_markup(text)), format="rst")]


def _cell_lines(cell: Cell) -> list[str]:
    """A cell as lines of RST: the nodes every renderer builds (ra2docs.views.parts), written back.

    Catalogue markup is written as it is (it is reStructuredText already); IDs and
    verdicts as their words.
    """
    return rst_lines(cell_nodes(cell, inline_markup=_rst_markup, block_markup=_rst_block)) or [""]


def _bullet_rows(rows: list[list[list[str]]]) -> list[str]:
    out: list[str] = []
    for row in rows:
        for index, lines in enumerate(row):
            marker = "* - " if index == 0 else "  - "
            first, rest = (lines[0], lines[1:]) if lines else ("", [])
            out.append((marker + first).rstrip())
            out.extend(("    " + line).rstrip() if line.strip() else "" for line in rest)
    return out


def expand_table(
    directive: Directive, catalogue: Catalogue, graph: TraceGraph, verdicts: Any = None, samples: bool = False
) -> list[str]:
    options = dict(directive.options)
    try:
        query = query_from_options(options, catalogue)
        columns = columns_from_option(options.get("columns", ""), catalogue)
    except TableOptionError as exc:
        raise Ra2docsError(f"ra2:table: {exc}") from None
    table = item_table(catalogue, graph, query, columns, verdicts)
    caption = directive.argument or options.get("caption", "")
    if samples and "verdict" in columns:  # as the site: a table of sample verdicts says so in its title
        caption = f"{caption} {escape(SAMPLE_CAVEAT)}".strip()
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


def view_table(view: TableView, caption: str = "", options: dict[str, str] | None = None) -> list[str]:
    """A table view as a plain list-table (totals rows last)."""
    out = [f".. list-table:: {escape(caption)}".rstrip(), "   :header-rows: 1"]
    if view.widths:
        out.append(f"   :widths: {' '.join(str(w) for w in view.widths)}")
    for name in ("name", "class"):
        if options and name in options:
            out.append(f"   :{name}: {options[name]}")
    out.append("")
    rows = [[_cell_lines(cell) for cell in view.headers]]
    rows += [[_cell_lines(cell) for cell in row.cells] for row in [*view.rows, *view.footer]]
    out.extend(("   " + line).rstrip() if line.strip() else "" for line in _bullet_rows(rows))
    return out


def expand_fields(directive: Directive, catalogue: Catalogue, graph: TraceGraph) -> list[str]:
    """``ra2:fields`` as the labelled paragraphs it shows."""
    item_id = directive.argument.strip()
    if item_id not in catalogue.items:
        raise Ra2docsError(f"ra2:fields: unknown catalogue ID {item_id!r}")
    try:
        fields = field_lines(directive.content, catalogue)
    except TableOptionError as exc:
        raise Ra2docsError(f"ra2:fields: {exc}") from None
    out: list[str] = []
    for label, _key, cell in field_paragraphs(catalogue.items[item_id], fields, graph):
        lines = _cell_lines(cell)
        if label:
            lines[0] = f"**{escape(label)}:** {lines[0]}".rstrip()
        out.extend([*lines, ""])
    return out[:-1]


def expand_comparison(directive: Directive, graph: TraceGraph) -> list[str]:
    name = directive.argument.strip()
    if name not in graph.catalogue.comparisons:
        raise Ra2docsError(f"ra2:comparison: unknown comparison {name!r}")
    view = comparison_view(graph, name)
    caption = directive.options.get("caption", view.caption)
    if directive.options.get("number"):
        caption = f"Table {directive.options['number']}: {caption}"
    out = view_table(view.table, caption, directive.options)
    out += ["", f"**Support levels:** {escape('; '.join(view.legend))}."]
    for note_id, text in view.notes:
        out += ["", f"({escape(note_id)}): {inline_rst(text)}"]
    return out


def _entry_lines(graph: TraceGraph, item_id: str, history: History | None = None) -> list[str]:
    item = graph.catalogue.items.get(item_id)
    if item is None:
        raise Ra2docsError(f"unknown catalogue ID {item_id!r}")
    view = entry_view(graph, item, history=history)
    title = f" {inline_rst(view.title)}" if view.title else ""
    out = [f"**{escape(view.item)}**{title}", ""]
    if view.text:
        out += [*_markup(view.text), ""]
    elif view.placeholder:
        out += ["*Placeholder: no content yet.*", ""]
    for name, cell in view.fields:
        text = alone_markup(cell)
        value = inline_rst(text) if text is not None else " ".join(_cell_lines(cell))
        out.append(f":{escape(name)}: {value}".rstrip())
    if view.notes:
        out += ["", ".. note::", "", *("   " + line if line.strip() else "" for line in _markup(view.notes))]
    return out


def expand_entries(directive: Directive, graph: TraceGraph, history: History | None = None) -> list[str]:
    cat = graph.catalogue
    if directive.name == "ra2:item":
        return _entry_lines(graph, directive.argument.strip(), history)
    kind = directive.options.get("kind", "").strip()
    section = directive.options.get("section", "").strip()
    query = ItemQuery(kinds=(kind,) if kind else (), section=section, sort="id")
    out: list[str] = []
    for row in select(cat, query):
        if row.listing is None:
            out += [*_entry_lines(graph, row.item.id, history), ""]
    return out


def expand_trace(directive: Directive, graph: TraceGraph, verdicts: Any) -> list[str]:
    options = directive.options
    kinds = tuple(k for k in options.get("kind", "").replace(",", " ").split() if k)
    caption = options.get("caption", "")
    if directive.name == "ra2:coverage":
        by = options.get("by", "section").strip()
        return view_table(coverage_view(graph, by, kinds or coverage.REQUIREMENT_KINDS).table, f"Coverage by {by}")
    if directive.name == "ra2:matrix":
        kind = options.get("type", "forward").strip()
        if kind == "backward":
            return view_table(backward_view(graph, kinds[0] if kinds else "specification"), caption)
        if kind == "grid":
            view = grid_view(
                graph,
                options.get("rows", "ra-requirement").strip() or "ra-requirement",
                options.get("columns", "specification").strip() or "specification",
                options.get("section", "").strip(),
                transitive="transitive" in options,
                all_columns="all-columns" in options,
            )
            return view_table(view, caption)
        view = forward_view(graph, kinds or coverage.REQUIREMENT_KINDS, options.get("section", "").strip(), verdicts)
        return view_table(view, caption)
    if directive.name == "ra2:gaps":
        gaps = gaps_view(graph)
        out = ["**Declared gaps**", "", *view_table(gaps.declared)]
        for title, ids in gaps.computed:
            out += ["", f"**{escape(title)} ({len(ids)})**", "", " ".join(escape(i) for i in ids) or "None."]
        return out
    raise Ra2docsError(f"{directive.name} is not expanded")


def expand_text(
    text: str,
    file: str,
    catalogue: Catalogue,
    graph: TraceGraph,
    report: ExpandReport,
    verdicts: Any = None,
    results: list[Any] | None = None,
    history: History | None = None,
    folder: Path | None = None,
    srcdir: Path | None = None,
) -> str:
    """The text of one RST file with every ra2docs directive and role written out.

    ``folder`` is where the file's own relative paths start (for ``ra2:markdown``), ``srcdir`` where
    those starting with ``/`` do (the source tree's top).
    """
    if ".. ra2:" not in text and ":ra2:" not in text:
        return text
    doc = read_rst(text, file)
    lines = text.split("\n")
    from ra2docs.results import in_sample_folders

    samples = bool(results) and in_sample_folders(r.source for r in results or [])
    for block in sorted((d for d in doc.directives if d.name.startswith("ra2:")), key=lambda d: -d.line):
        indent = " " * block.indent
        raw = [
            line[block.indent :] if line.startswith(indent) else line.lstrip()
            for line in lines[block.line - 1 : block.end_line]
        ]
        directive = parse_block(raw)
        try:
            if directive.name == "ra2:table":
                new = expand_table(directive, catalogue, graph, verdicts, samples)
            elif directive.name == "ra2:fields":
                new = expand_fields(directive, catalogue, graph)
            elif directive.name == "ra2:comparison":
                new = expand_comparison(directive, graph)
            elif directive.name in ("ra2:item", "ra2:definitions"):
                new = expand_entries(directive, graph, history)
            elif directive.name in ("ra2:coverage", "ra2:matrix", "ra2:gaps"):
                new = expand_trace(directive, graph, verdicts)
            elif directive.name == "ra2:results":
                new = expand_results(directive, graph, verdicts, results or [])
            elif directive.name == "ra2:not-passing":
                from ra2docs.views.unmet import not_passing_view

                new = view_table(not_passing_view(graph, verdicts))
            elif directive.name == "ra2:markdown":
                new = expand_markdown(directive, folder, srcdir)
            elif directive.name == "ra2:graph":
                new = [f"*The trace graph of {escape(directive.argument.strip())} is drawn in the published site.*"]
            else:
                report.problems.append(f"{file}:{block.line}: {directive.name} is not written out by expand")
                new = [f".. {directive.name} (generated by ra2docs: see the published site)"]
        except Ra2docsError as exc:
            raise Ra2docsError(f"{file}:{block.line}: {exc}") from None
        report.expanded[directive.name] = report.expanded.get(directive.name, 0) + 1
        lines[block.line - 1 : block.end_line] = [(indent + line).rstrip() if line.strip() else "" for line in new]
    return _ROLE.sub(lambda m: m.group(2), "\n".join(lines))


def expand_markdown(directive: Directive, folder: Path | None, srcdir: Path | None) -> list[str]:
    from ra2docs.mdpage import read_markdown

    page_folder = folder or Path.cwd()
    return read_markdown(srcdir or page_folder, page_folder, directive.argument.strip())[1]


def _generated_by_ra2docs(folder: Path) -> bool:
    """ra2docs' own generated pages (build output, not sources): left out of the copy.

    Such a folder ignores everything in git (a ``.gitignore`` of ``*``) and
    every page in it is listed in its manifest. A folder that ignores
    everything but holds pages of its own (chapters) is sources all the same.
    """
    marker = folder / ".gitignore"
    if not folder.is_dir() or folder.is_symlink() or not marker.is_file() or marker.is_symlink():
        return False
    try:
        if "*" not in {line.strip() for line in marker.read_text(encoding="utf-8").splitlines()}:
            return False
    except (OSError, UnicodeDecodeError):
        return False
    written = OutputFolder(folder).files
    pages = [p.relative_to(folder).as_posix() for p in folder.rglob("*.rst")]
    return bool(written) and all(page in written for page in pages)


def expand_results(directive: Directive, graph: TraceGraph, verdicts: Any, results: list[Any]) -> list[str]:
    if verdicts is None:
        return ["*No result files are configured (ra2docs_results in conf.py): there are no verdicts to show.*"]
    scope = directive.options.get("items", "mandatory").strip() or "mandatory"
    opening, tables = conformance_tables(graph, verdicts, results, scope)
    # as in the site: result files that all sit in a sample/ folder are samples, and each table says so
    from ra2docs.results import in_sample_folders

    samples = in_sample_folders(r.source for r in results)
    out = [escape(opening)]
    for heading, table in tables:
        out += ["", f"**{escape(heading)}**", ""]
        out += view_table(table, SAMPLE_CAVEAT if samples else "") if table.rows else ["*None.*"]
    return out


def expand_tree(
    src: Path,
    out: Path,
    catalogue: Catalogue,
    graph: TraceGraph,
    exclude: list[str] | None = None,
    verdicts: Any = None,
    results: list[Any] | None = None,
    history: History | None = None,
) -> ExpandReport:
    """Copy ``src`` to ``out`` (which must not exist yet, or be empty), expanding every .rst file."""
    src = src.resolve()
    if out.is_symlink():  # nothing is written through a link
        raise Ra2docsError(f"{out} is a symbolic link: give a new folder")
    out_resolved = out.resolve()
    if out.exists() and any(out.iterdir()):
        raise Ra2docsError(f"{out} already exists and is not empty: give a new folder")
    skipped = SKIPPED | set(exclude or [])
    report = ExpandReport()

    def leads_out(path: Path) -> bool:
        """A link to a place outside the source tree: left out of the copy, and said (one inside is kept)."""
        if not path.is_symlink() or path.resolve().is_relative_to(src):
            return False
        report.problems.append(f"{path.relative_to(src).as_posix()}: a link out of the source tree; not copied")
        return True

    def ignore(folder: str, names: list[str]) -> set[str]:
        here = Path(folder)
        return {
            n
            for n in names
            if n in skipped
            or (n.startswith(".") and (here / n).is_dir())
            or (here / n).resolve() == out_resolved
            or _generated_by_ra2docs(here / n)
            or leads_out(here / n)
        }

    shutil.copytree(src, out, symlinks=True, ignore=ignore, dirs_exist_ok=True)
    for path in sorted(out.rglob("*.rst")):
        if path.is_symlink():
            continue
        text = path.read_text(encoding="utf-8")
        rel = path.relative_to(out).as_posix()
        expanded = expand_text(
            text, rel, catalogue, graph, report, verdicts, results or [], history, folder=(src / rel).parent, srcdir=src
        )
        report.files += 1
        if expanded != text:
            path.write_text(expanded, encoding="utf-8")
    return report
