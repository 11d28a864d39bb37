"""``ra2docs adopt DOCDIR``: convert a hand-written Sphinx spec tree to ra2docs, in place, losing nothing.

Every table whose first or second column holds IDs is imported into the
catalogue (``DOCDIR/catalogue`` by default) and replaced by the ``ra2:table``
directive that renders it: same caption, options and header rows as written,
same rows in the same order, every cell the very text it had. A table is
only replaced once the catalogue is shown to give back each of its cells
exactly; the others are left as they are, with the reason. conf.py gets the
extension, the catalogue its settings (ID preset, and the severity of the
upstream defects found, so that the build keeps passing until they are
fixed), and the GSMA Word job reads the chapters through ``ra2docs expand``.
Running it again changes nothing.
"""

from __future__ import annotations

import ast
import difflib
import json
import os
import re
import textwrap
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ra2docs import __version__
from ra2docs.check import analyse
from ra2docs.documents.model import Table
from ra2docs.findings import Finding, Ra2docsError
from ra2docs.importer import ImportResult, TableRow, build, dump, same_cell
from ra2docs.importer.mapper import MappedTable
from ra2docs.loader import load_catalogue
from ra2docs.markup import problems
from ra2docs.prose import review_workflow_change
from ra2docs.schema import schema_text
from ra2docs.settings import ID_PRESETS, SETTINGS_FILE, load_settings
from ra2docs.views.items import ItemQuery, Listed, column_cell, known_columns, select

SKIPPED_FOLDERS = {"build", "_build", "gsma", "node_modules", "__pycache__"}
SCHEMA_FILE = "catalogue.schema.json"
CONF_MARK = "ra2docs.sphinx"
TOGSMA_MARK = "ra2docs expand"


@dataclass
class Change:
    path: Path
    before: str  # '' for a new file
    after: str


@dataclass
class Plan:
    """What adopting a tree does: the changed files, the tables replaced and kept, the defects found."""

    docdir: Path
    catalogue_dir: Path
    changes: list[Change] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)  # 'chapters/chapter04.rst:35 Node Specifications'
    kept: list[str] = field(default_factory=list)  # tables left as they are, with the reason
    items: int = 0
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    nothing_to_do: bool = False

    def diff(self) -> str:
        out: list[str] = []
        for change in self.changes:
            name = os.path.relpath(change.path, self.docdir)
            out.extend(
                difflib.unified_diff(
                    change.before.splitlines(keepends=True),
                    change.after.splitlines(keepends=True),
                    fromfile="/dev/null" if not change.before else f"a/{name}",
                    tofile=f"b/{name}",
                )
            )
        return "".join(out)

    def apply(self) -> None:
        for change in self.changes:
            change.path.parent.mkdir(parents=True, exist_ok=True)
            change.path.write_text(change.after, encoding="utf-8")


def chapter_files(docdir: Path, catalogue_dir: Path) -> list[Path]:
    """The .rst files Sphinx would read, leaving out build output and hidden folders; no link is followed."""
    found: list[Path] = []
    base = docdir.resolve()
    for dirpath, dirnames, filenames in os.walk(docdir):
        here = Path(dirpath)
        dirnames[:] = sorted(
            d
            for d in dirnames
            if not d.startswith((".", "_"))
            and d not in SKIPPED_FOLDERS
            and not (here / d).is_symlink()
            and (here / d).resolve() != catalogue_dir.resolve()
        )
        for name in sorted(filenames):
            path = here / name
            if name.endswith(".rst") and not path.is_symlink() and path.resolve().is_relative_to(base):
                found.append(path)
    return found


def _cell_problems(mapped: MappedTable) -> list[str]:
    found = []
    for row in mapped.rows:
        for key, text in row.raw.items():
            for problem in problems(text):
                found.append(f"line {row.row.line} ({key}): {problem.message}")
    return found


def _rows_of(query: ItemQuery, result: ImportResult) -> list[TableRow]:
    assert result.catalogue is not None
    rows = []
    for listed in select(result.catalogue, query):
        listings = listed.item.data.get("listings") or []
        position = listings.index(listed.listing) if listed.listing is not None else -1
        rows.append(TableRow(listed.item.id, position))
    return rows


def _query_for(mapped: MappedTable, rows: list[TableRow], result: ImportResult) -> ItemQuery | None:
    """The simplest query that gives exactly the upstream rows, in order."""
    section = mapped.table.section.number if mapped.table.section else ""
    if section:
        query = ItemQuery(section=section)
        if _rows_of(query, result) == rows:
            return query
    query = ItemQuery(section=section, ids=tuple(r.item for r in rows))
    return query if _rows_of(query, result) == rows else None


def _verify(mapped: MappedTable, rows: list[TableRow], result: ImportResult, graph: object) -> list[str]:
    """Every cell the directive will render, compared with upstream's: the differences."""
    assert result.catalogue is not None
    differences = []
    for mapped_row, row in zip(mapped.rows, rows, strict=True):
        item = result.catalogue.items[row.item]
        listing = (item.data.get("listings") or [])[row.listing] if row.listing >= 0 else None
        listed = Listed(item, listing, listing is None)
        for key in mapped.columns:
            upstream = mapped_row.raw.get(key, "")
            cell = column_cell(key, listed, graph)  # type: ignore[arg-type]
            if not same_cell(upstream, cell, key, exact=True):
                differences.append(f"line {mapped_row.row.line}, column {key!r}")
    return differences


def _wrap_ids(ids: tuple[str, ...], option_pad: str) -> list[str]:
    lines = textwrap.wrap(" ".join(ids), width=100 - len(option_pad), break_on_hyphens=False, break_long_words=False)
    return [f"{option_pad}:ids: {lines[0]}", *(f"{option_pad}      {line}" for line in lines[1:])]


def directive_lines(table: Table, source_lines: list[str], query: ItemQuery, columns: list[str]) -> list[str]:
    """The ``ra2:table`` that replaces an upstream table, keeping its caption, options and header rows."""
    pad = " " * table.indent
    out: list[str] = []
    header_rows = len(table.header)
    if table.form == "list-table":
        first_body = table.body[0].line if table.body else table.end_line + 1
        head = source_lines[table.line - 1 : first_body - 1]
        while head and not head[-1].strip():
            head.pop()
        # the directive line, its argument and options: up to the first blank line
        end_of_options = next((i for i, line in enumerate(head) if not line.strip()), len(head))
        out.extend(head[:end_of_options])
        out[0] = re.sub(r"\blist-table::", "ra2:table::", out[0], count=1)
        rest = head[end_of_options:]
    else:
        caption = f" {table.caption}" if table.caption else ""
        out.append(f"{pad}.. ra2:table::{caption}")
        for name, value in table.options:
            if name in ("header-rows", "stub-columns", "width", "widths", "class", "name", "align"):
                out.append(f"{pad}   :{name}: {value}".rstrip())
        if not any(name == "header-rows" for name, _ in table.options):
            out.append(f"{pad}   :header-rows: {header_rows}")
        rest = []
        if table.header:
            rest.append("")
            for row in table.header:
                for index, cell in enumerate(row.cells):
                    lines = cell.text.splitlines() or [""]
                    marker = "* - " if index == 0 else "  - "
                    rest.append(f"{pad}   {marker}{lines[0]}".rstrip())
                    rest.extend(f"{pad}       {line}".rstrip() if line.strip() else "" for line in lines[1:])
    option_pad = " " * (table.indent + 3)
    for line in out[1:]:
        if line.lstrip().startswith(":"):
            option_pad = line[: len(line) - len(line.lstrip())]
            break
    if query.section:
        out.append(f"{option_pad}:section: {query.section}")
    if query.ids:
        out.extend(_wrap_ids(query.ids, option_pad))
    out.append(f"{option_pad}:columns: {' '.join(columns)}")
    if table.form != "list-table" and not table.header and not any(n == "header-rows" for n, _ in table.options):
        out.append(f"{option_pad}:header-rows: 0")
    out.extend(rest)
    return out


def _conf_text(conf: str) -> str | None:
    """conf.py with ra2docs added; None when it is there already."""
    if CONF_MARK in conf:
        return None
    tree = ast.parse(conf)
    has_extensions = any(
        isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "extensions" for t in node.targets)
        for node in tree.body
    )
    extend = 'extensions = [*extensions, "ra2docs.sphinx"]' if has_extensions else 'extensions = ["ra2docs.sphinx"]'
    block = f"""

# ra2docs (added by `ra2docs adopt`): the tables of catalogue items are rendered from
# catalogue/ (settings: catalogue/{SETTINGS_FILE}); `ra2docs check catalogue` checks it.
{extend}
ra2docs_catalogue = "catalogue"
ra2docs_downloads = False
"""
    return conf.rstrip("\n") + "\n" + block


def _togsma_text(text: str) -> str | None:
    """togsma.py reading the chapters through ``ra2docs expand`` (their tables written out)."""
    if TOGSMA_MARK in text:
        return None
    match = re.search(r"^filenames\s*=\s*\[(.*?)\]", text, re.M | re.S)
    if not match or "chapters/" not in match.group(1):
        return None
    listed = re.sub(r"(['\"])chapters/", r"EXPANDED + \1/chapters/", match.group(1))
    text = text[: match.start(1)] + listed + text[match.end(1) :]
    anchor = re.search(r"^(?:import|from) [^\n]+\n(?!(?:import|from) )", text, re.M)
    insert_at = anchor.end() if anchor else 0
    setup = (
        "\n# ra2docs: read the chapters with their catalogue tables written out as plain list-tables\n"
        "# (`ra2docs expand`), so that the Word document has every table the site has.\n"
        "import subprocess  # noqa: E402\n"
        "import tempfile  # noqa: E402\n\n"
        'EXPANDED = tempfile.mkdtemp(prefix="ra2docs-expanded-")\n'
        'subprocess.run(["ra2docs", "expand", ".", EXPANDED], check=True)\n'
    )
    return text[:insert_at] + setup + text[insert_at:]


def _requirements_text(text: str) -> str | None:
    if re.search(r"^ra2docs\b", text, re.M):
        return None
    return text.rstrip("\n") + f"\nra2docs>={__version__}  # renders the catalogue tables (ra2docs adopt)\n"


def _settings_text(preset: str, severities: dict[str, str], defects: list[Finding]) -> str:
    lines = [
        "# ra2docs settings: read by `ra2docs check` and by the Sphinx build alike.",
        f'ids = "{preset}"',
    ]
    if severities:
        lines += [
            "",
            "# Upstream defects found by `ra2docs adopt` (listed below) are warnings for now, so that the",
            "# build passes as it did before adoption. Fix them, then delete these lines.",
            "[severity]",
            *(f'{rule} = "warning"' for rule in sorted(severities)),
        ]
        for finding in defects:
            lines.append(f"#   {finding.file}:{finding.line}: {finding.item}: {finding.message} [{finding.rule}]")
    return "\n".join(lines) + "\n"


def _preset(result: ImportResult) -> str:
    assert result.catalogue is not None
    ids = [i.id for i in result.catalogue.items.values() if i.kind == "ra-requirement"]
    votes = Counter(
        name
        for item_id in ids
        for name, patterns in ID_PRESETS.items()
        if re.fullmatch(patterns["ra-requirement"], item_id)
    )
    return votes.most_common(1)[0][0] if votes else "ra2-2020"


def plan(docdir: Path, catalogue_dir: Path | None = None) -> Plan:
    docdir = docdir.resolve()
    if not (docdir / "conf.py").is_file():
        raise Ra2docsError(f"{docdir}: no conf.py here; give the Sphinx source folder (the one with conf.py)")
    catalogue_dir = (catalogue_dir or docdir / "catalogue").resolve()
    result_plan = Plan(docdir, catalogue_dir)
    files = chapter_files(docdir, catalogue_dir)
    sources = {path: path.read_text(encoding="utf-8") for path in files}
    result = build(docdir, "rst", exact=True, files=files)
    unreadable = [note.format() for note in result.notes if note.level == "error"]
    if unreadable:
        raise Ra2docsError("cannot adopt a tree whose chapters cannot all be read:\n  " + "\n  ".join(unreadable))
    adoptable = [i for i, m in enumerate(result.collected.tables) if m.document == "ra2"]
    existing = sorted(catalogue_dir.glob("*.y*ml")) if catalogue_dir.is_dir() else []
    if existing:
        if adoptable:
            result_plan.notes.append(
                f"{len(adoptable)} table(s) with IDs are still written by hand, but {catalogue_dir} already holds a "
                "catalogue: adding to an existing catalogue is not done automatically; move their rows into it by hand"
            )
        result_plan.nothing_to_do = True
        return result_plan
    if not adoptable:
        result_plan.nothing_to_do = True
        result_plan.notes.append("no table with IDs in its first or second column: nothing to adopt")
        return result_plan
    from ra2docs.graph import TraceGraph

    assert result.catalogue is not None
    graph = TraceGraph(result.catalogue)
    edits: dict[Path, list[tuple[Table, list[str]]]] = {}
    for index in adoptable:
        mapped = result.collected.tables[index]
        table = mapped.table
        where = (
            f"{table.file}:{table.line} {mapped.caption or (table.section.label() if table.section else '')}".strip()
        )
        rows = result.rows.get(index, [])
        reason = ""
        if any(r is None for r in rows):
            reason = "a row has no usable ID"
        elif table.form in ("grid", "simple") and any(len(r.cells) != len(mapped.columns) for r in table.body):
            reason = "it has cells spanning several columns"
        elif table.nested:
            reason = "it stands inside another block (a list or a directive)"
        bad = _cell_problems(mapped) if not reason else []
        if bad:
            reason = "a cell holds markup the catalogue does not allow (" + "; ".join(bad[:3]) + ")"
        query = None
        if not reason:
            query = _query_for(mapped, rows, result)  # type: ignore[arg-type]
            if query is None:
                reason = "no query gives its rows in their order"
        if not reason and query is not None:
            differences = _verify(mapped, rows, result, graph)  # type: ignore[arg-type]
            if differences:
                reason = "the catalogue would not give back " + ", ".join(differences[:3])
        if reason or query is None:
            result_plan.kept.append(f"{where}: left as it is: {reason}")
            continue
        path = docdir / table.file
        lines = sources[path].split("\n")
        known = known_columns(result.catalogue)
        columns = [key if key in known else f"cells.{key}" for key in mapped.columns]
        edits.setdefault(path, []).append((table, directive_lines(table, lines, query, columns)))
        result_plan.replaced.append(where)
    for path, replacements in edits.items():
        lines = sources[path].split("\n")
        for table, new in sorted(replacements, key=lambda r: -r[0].line):
            lines[table.line - 1 : table.end_line] = new
        result_plan.changes.append(Change(path, sources[path], "\n".join(lines)))
    _catalogue_changes(result_plan, result)
    _wiring_changes(result_plan)
    return result_plan


def _catalogue_changes(result_plan: Plan, result: ImportResult) -> None:
    """The catalogue files, its settings and schema, and the upstream defects they report."""
    catalogue_dir = result_plan.catalogue_dir
    schema = SCHEMA_FILE
    texts: dict[str, str] = {}
    for name, data in sorted(result.files.items()):
        if not data.get("items") and name != "profiles.yaml":
            continue
        data = {k: v for k, v in data.items() if k != "comparisons"}
        texts[name.removeprefix("ra2-")] = dump(data, result.origins[name], schema)
    result_plan.items = sum(len(data.get("items", [])) for data in result.files.values())
    preset = _preset(result)
    # Check what was imported, to name upstream's defects and keep the build passing until they are fixed.
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        for name, text in texts.items():
            (folder / name).write_text(text, encoding="utf-8")
        (folder / SETTINGS_FILE).write_text(f'ids = "{preset}"\n', encoding="utf-8")
        settings = load_settings(folder / SETTINGS_FILE)
        loaded = load_catalogue(folder, base=folder, kinds=settings.kinds())
        findings = analyse(loaded, {"severity": {}})
    defects = [f for f in findings if f.severity in ("error", "warning")]
    result_plan.findings = defects
    severities = {f.name or f.rule: "warning" for f in defects if f.severity == "error"}
    texts[SETTINGS_FILE] = _settings_text(preset, severities, [f for f in defects if f.severity == "error"])
    texts[schema] = schema_text()
    for name, text in texts.items():
        result_plan.changes.append(Change(catalogue_dir / name, "", text))


def _wiring_changes(result_plan: Plan) -> None:
    docdir = result_plan.docdir
    # The review workflow's Vale job covers the catalogue's texts too (ra2docs.prose).
    vale_workflow = review_workflow_change(docdir, result_plan.catalogue_dir)
    if vale_workflow is not None:
        result_plan.changes.append(Change(*vale_workflow))
        result_plan.notes.append(f"{vale_workflow[0].name}: Vale now checks the catalogue texts too (ra2docs lint)")
    conf = docdir / "conf.py"
    before = conf.read_text(encoding="utf-8")
    after = _conf_text(before)
    if after is not None:
        result_plan.changes.append(Change(conf, before, after))
    requirements = docdir / "test-requirements.txt"
    if requirements.is_file():
        before = requirements.read_text(encoding="utf-8")
        after = _requirements_text(before)
        if after is not None:
            result_plan.changes.append(Change(requirements, before, after))
    else:
        result_plan.notes.append("no test-requirements.txt: install ra2docs wherever the site is built")
    togsma = docdir / "togsma.py"
    if togsma.is_file():
        before = togsma.read_text(encoding="utf-8")
        after = _togsma_text(before)
        if after is not None:
            result_plan.changes.append(Change(togsma, before, after))
        elif TOGSMA_MARK not in before:
            result_plan.notes.append(
                "togsma.py has no `filenames = [...]` list of chapters: run `ra2docs expand . OUT` before it by hand"
            )


def summary(result_plan: Plan) -> str:
    out = []
    if result_plan.nothing_to_do:
        out.append("nothing to adopt: the tree is unchanged")
    else:
        out.append(
            f"adopted {len(result_plan.replaced)} table(s) into {result_plan.catalogue_dir} "
            f"({result_plan.items} items); {len(result_plan.kept)} table(s) with IDs left as they are"
        )
        for where in result_plan.replaced:
            out.append(f"  replaced: {where}")
        for where in result_plan.kept:
            out.append(f"  kept: {where}")
        if result_plan.findings:
            counts = Counter(f.severity for f in result_plan.findings)
            out.append(
                f"upstream defects found ({counts['error']} errors, {counts['warning']} warnings; "
                f"`ra2docs check {result_plan.catalogue_dir}` lists them):"
            )
            for finding in [f for f in result_plan.findings if f.severity == "error"]:
                out.append(f"  {finding.file}:{finding.line}: {finding.item}: {finding.message} [{finding.rule}]")
    out.extend(f"note: {note}" for note in result_plan.notes)
    return "\n".join(out) + "\n"


def as_json(result_plan: Plan) -> str:
    return json.dumps(
        {
            "replaced": result_plan.replaced,
            "kept": result_plan.kept,
            "items": result_plan.items,
            "files": [str(c.path) for c in result_plan.changes],
            "defects": [f.as_dict() for f in result_plan.findings],
            "notes": result_plan.notes,
        },
        indent=2,
    )
