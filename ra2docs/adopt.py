"""``ra2docs adopt DOCDIR``: convert a hand-written Sphinx spec tree to ra2docs, in place, losing nothing.

Every table whose first or second column holds IDs is imported into the
catalogue (``DOCDIR/catalogue`` by default) and replaced by the ``ra2:table``
directive that renders it: same caption, options and header rows as written,
same rows in the same order, every cell the very text it had. A table is
only replaced once the catalogue is shown to give back each of its cells
exactly; the others are left as they are, with the reason. conf.py gets the
extension; the repository's top (or DOCDIR outside git) gets ``ra2docs.toml``,
which every command finds from the root, the documentation folder or the
catalogue folder; upstream's existing defects go into the catalogue's baseline
(known findings, never lowered rules); the GSMA Word job reads the chapters
through ``ra2docs expand``. Nothing is written until everything is planned,
then every file at once (``ra2docs.outputs.replace_files``): no link is
followed, a failure leaves the tree as it was. Running it again changes nothing.
"""

from __future__ import annotations

import ast
import difflib
import json
import os
import re
import textwrap
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ra2docs.check import analyse
from ra2docs.documents.document import Table
from ra2docs.documents.rst import read_rst
from ra2docs.findings import Finding, Ra2docsError
from ra2docs.importer import ImportResult, TableRow, build, dump, same_cell
from ra2docs.importer.mapper import GAP_FIELDS, GAP_LABEL, MappedTable, gap_sections, slug
from ra2docs.loader import load_catalogue
from ra2docs.markup import plain_text, problems
from ra2docs.outputs import replace_files
from ra2docs.prose import review_workflow_change
from ra2docs.settings import ID_PRESETS, SETTINGS_FILE, load_settings, repository_top, settings_in
from ra2docs.views.items import (
    ItemQuery,
    Listed,
    TableOptionError,
    column_cell,
    field_lines,
    field_paragraphs,
    known_columns,
    select,
)
from ra2docs.views.table import plain

if TYPE_CHECKING:
    from ra2docs.graph import TraceGraph

SKIPPED_FOLDERS = {"build", "_build", "gsma", "node_modules", "__pycache__"}
SUPPORTED_SPHINX = ("7.2.6", "7.3.7", "7.4.7", "8.0.2", "8.1.3", "8.2.3", "9.0.4")  # releases ra2docs is tested on
CONF_MARK = "ra2docs.sphinx"
TOGSMA_MARK = "ra2docs expand"
GAP_MARK = " (gap)"


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
    top: Path  # the repository's top (DOCDIR outside git): the settings live there, nothing is written above it
    requirement: str = ""  # the line for test-requirements.txt (--requirement), if any
    schema: str = ""  # what the catalogue files' yaml-language-server line names (--schema), if anything
    changes: list[Change] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)  # 'chapters/chapter04.rst:35 Node Specifications'
    kept: list[str] = field(default_factory=list)  # tables left as they are, with the reason
    items: int = 0
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    nothing_to_do: bool = False
    disagreements: list[str] = field(default_factory=list)  # where upstream's own tables disagree
    prose_gaps: list[str] = field(default_factory=list)  # gaps left as prose: their chapter holds them

    def diff(self) -> str:
        out: list[str] = []
        for change in self.changes:
            name = os.path.relpath(change.path, self.top)  # from the repository's top, as git diff names them
            for line in difflib.unified_diff(
                change.before.splitlines(keepends=True),
                change.after.splitlines(keepends=True),
                fromfile="/dev/null" if not change.before else f"a/{name}",
                tofile=f"b/{name}",
            ):
                # a last line without its newline gets git's marker, so that `git apply` takes the diff
                out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
        return "".join(out)

    def apply(self) -> None:
        """Every change or none; through no link, inside the tree (see ``ra2docs.outputs.replace_files``)."""
        replace_files({change.path: change.after for change in self.changes}, within=self.top)


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
            if not name.endswith(".rst"):
                continue
            if path.is_symlink() and not path.resolve().is_relative_to(base):
                raise Ra2docsError(
                    f"{path}: a chapter that is a link to a file outside {docdir}; adopt follows no link out of "
                    "the tree: put the file itself here"
                )
            if not path.is_symlink():  # a link inside the tree (index.rst -> README.rst): its target is read itself
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


def _verify(mapped: MappedTable, rows: list[TableRow], result: ImportResult, graph: TraceGraph) -> list[str]:
    """Every cell the directive will render, compared with upstream's: the differences."""
    assert result.catalogue is not None
    differences = []
    for mapped_row, row in zip(mapped.rows, rows, strict=True):
        item = result.catalogue.items[row.item]
        listing = (item.data.get("listings") or [])[row.listing] if row.listing >= 0 else None
        listed = Listed(item, listing, listing is None)
        for key in mapped.columns:
            upstream = mapped_row.raw.get(key, "")
            cell = column_cell(key, listed, graph)
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
    if table.form == "list-table" and not table.header and not any(n == "header-rows" for n, _ in table.options):
        out.append(f"{option_pad}:header-rows: 0")  # a list-table's default; ra2:table would add its own header
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
# catalogue/ (settings: {SETTINGS_FILE} at the repository's top); `ra2docs check` checks it.
{extend}
ra2docs_catalogue = "catalogue"
ra2docs_downloads = False
ra2docs_interactive_tables = False  # the tables keep this site's look (`:interactive:` on one table sorts it)
ra2docs_every_item_shown = True  # an item no page shows is a warning: an edit of it would change nothing
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
        "import atexit  # noqa: E402\n"
        "import shutil  # noqa: E402\n"
        "import subprocess  # noqa: E402\n"
        "import tempfile  # noqa: E402\n\n"
        'EXPANDED = tempfile.mkdtemp(prefix="ra2docs-expanded-")\n'
        "atexit.register(shutil.rmtree, EXPANDED, True)  # no copy is left behind, whatever happens\n"
        'subprocess.run(["ra2docs", "expand", ".", EXPANDED], check=True)\n'
    )
    return text[:insert_at] + setup + text[insert_at:]


def requirement_line(spec: str) -> str:
    """The test-requirements.txt line for ``--requirement``: a version, a URL or a path, checked to be one."""
    from packaging.requirements import InvalidRequirement, Requirement

    spec = spec.strip()
    if not spec or any(ord(ch) < 32 for ch in spec):
        raise Ra2docsError("--requirement: give a version (ra2docs==0.1.0), a URL or a path to ra2docs")
    if re.match(r"^[a-z][a-z0-9+.-]*://", spec, re.I):
        return f"ra2docs @ {spec}"
    if spec.startswith((".", "/")) or Path(spec).exists():
        if not Path(spec).exists():
            raise Ra2docsError(f"--requirement {spec}: no such path (give a wheel, an sdist or a source folder)")
        return spec
    try:
        parsed = Requirement(spec)
    except InvalidRequirement as exc:
        raise Ra2docsError(f"--requirement {spec!r}: not a requirement pip reads ({exc})") from None
    if parsed.name.lower() != "ra2docs":
        raise Ra2docsError(f"--requirement {spec!r}: names {parsed.name}, not ra2docs")
    return spec


def _requirements_text(text: str, line: str) -> str | None:
    if re.search(r"^\s*ra2docs\b", text, re.M) or re.search(r"^\s*" + re.escape(line) + r"\s*(#|$)", text, re.M):
        return None
    return text.rstrip("\n") + f"\n{line}  # renders the catalogue tables (ra2docs adopt)\n"


def refuse_old_sphinx(requirements: Path) -> None:
    """A tree pinning a Sphinx that ra2docs does not support is refused: installing ra2docs would move it."""
    from packaging.requirements import InvalidRequirement, Requirement

    for number, raw in enumerate(requirements.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        try:
            parsed = Requirement(line.replace("===", "=="))
        except InvalidRequirement:
            continue
        if parsed.name.lower() != "sphinx" or not parsed.specifier:
            continue
        if not any(parsed.specifier.contains(version) for version in SUPPORTED_SPHINX):
            raise Ra2docsError(
                f"{requirements}:{number}: the tree pins {line}, and ra2docs needs Sphinx 7.2 or later "
                f"(tested: {', '.join(SUPPORTED_SPHINX)}); installing ra2docs would replace that Sphinx. "
                "Move the tree to Sphinx 7.2 or later first, then adopt it"
            )


def _settings_text(preset: str, catalogue: str) -> str:
    return (
        "\n".join(
            [
                "# ra2docs settings (written by `ra2docs adopt`): every ra2docs command and the Sphinx build read this",
                "# file, from the repository's top, the documentation folder or the catalogue folder alike.",
                "# Upstream's known defects are in the catalogue's ra2docs-baseline.json: no rule is lowered.",
                f'catalogue = "{catalogue}"',
                f'ids = "{preset}"',
            ]
        )
        + "\n"
    )


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


def plan(docdir: Path, catalogue_dir: Path | None = None, requirement: str = "", schema: str = "") -> Plan:
    """Everything adopting ``docdir`` would change, worked out without writing anything."""
    docdir = docdir.resolve()
    conf = docdir / "conf.py"
    if conf.is_symlink() or not conf.is_file():
        raise Ra2docsError(f"{docdir}: no conf.py here (a link is not followed); give the Sphinx source folder")
    catalogue_dir = Path(os.path.abspath(catalogue_dir or docdir / "catalogue"))
    top = repository_top(docdir) or docdir
    if not catalogue_dir.is_relative_to(top):
        raise Ra2docsError(f"{catalogue_dir}: the catalogue must be inside {top}")
    if catalogue_dir.is_symlink() or (catalogue_dir.exists() and not catalogue_dir.is_dir()):
        raise Ra2docsError(f"{catalogue_dir} exists and is not a folder (or is a link): nothing was changed")
    requirements = docdir / "test-requirements.txt"
    if requirements.is_file() and not requirements.is_symlink():
        refuse_old_sphinx(requirements)  # first: a tree ra2docs cannot build with is not worth planning
    result_plan = Plan(docdir, catalogue_dir, top, requirement_line(requirement) if requirement else "", schema)
    files = chapter_files(docdir, catalogue_dir)
    strange = [p for p in files if any(ord(ch) < 32 or ord(ch) == 127 for ch in str(p))]
    if strange:
        raise Ra2docsError(f"{str(strange[0])!r}: a chapter file name with control characters; rename it first")
    # The importer reads each chapter within its limits (size, UTF-8) first: a chapter it refuses is named, never
    # a traceback of reading it here.
    result = build(docdir, "rst", exact=True, files=files)
    unreadable = [note.format() for note in result.notes if note.level == "error"]
    if unreadable:
        raise Ra2docsError("cannot adopt a tree whose chapters cannot all be read:\n  " + "\n  ".join(unreadable))
    sources = {path: path.read_text(encoding="utf-8") for path in files}
    result_plan.disagreements = list(result.disagreements)
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
    edits: dict[Path, list[tuple[int, int, list[str]]]] = {}  # (first line, last line, new lines)
    for index in adoptable:
        mapped = result.collected.tables[index]
        table = mapped.table
        where = (
            f"{table.file}:{table.line} {mapped.caption or (table.section.label() if table.section else '')}".strip()
        )
        found = result.rows.get(index, [])
        rows = [r for r in found if r is not None]
        reason = ""
        if len(rows) != len(found):
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
            query = _query_for(mapped, rows, result)
            if query is None:
                reason = "no query gives its rows in their order"
        if not reason and query is not None:
            differences = _verify(mapped, rows, result, graph)
            if differences:
                reason = "the catalogue would not give back " + ", ".join(differences[:3])
        if reason or query is None:
            result_plan.kept.append(f"{where}: left as it is: {reason}")
            continue
        path = docdir / table.file
        lines = sources[path].split("\n")
        known = known_columns(result.catalogue)
        columns = [key if key in known else f"cells.{key}" for key in mapped.columns]
        edits.setdefault(path, []).append((table.line, table.end_line, directive_lines(table, lines, query, columns)))
        result_plan.replaced.append(where)
    for path, text in sources.items():
        for start, end, new, where in _gap_edits(path, docdir, text, result, graph, result_plan):
            edits.setdefault(path, []).append((start, end, new))
            result_plan.replaced.append(where)
    # A gap left as prose is the chapter's: in the catalogue it would be an item no page shows or follows.
    dropped = set(result_plan.prose_gaps)
    for data in result.files.values():
        if dropped and "items" in data:
            data["items"] = [entry for entry in data["items"] if entry.get("id") not in dropped]
    for path, replacements in edits.items():
        lines = sources[path].split("\n")
        for start, end, new in sorted(replacements, key=lambda r: -r[0]):
            lines[start - 1 : end] = new
        result_plan.changes.append(Change(path, sources[path], "\n".join(lines)))
    _catalogue_changes(result_plan, result)
    _wiring_changes(result_plan)
    return result_plan


def _gap_edits(
    path: Path, docdir: Path, text: str, result: ImportResult, graph: TraceGraph, result_plan: Plan
) -> Iterator[tuple[int, int, list[str], str]]:
    """Gaps written as labelled paragraphs ('**Related requirements:** ...') become ``ra2:fields``.

    Only where the directive gives back the very words of every block (a note
    below a field belongs to that field, as the importer reads it); any other
    gap section stays as it is, with the reason.
    """
    assert result.catalogue is not None
    if "**" not in text:
        return
    file = path.relative_to(docdir).as_posix()
    doc = read_rst(text, file)
    for section in gap_sections(doc):
        item = result.catalogue.items.get("gap." + slug(section.title))
        if item is None or "template" in section.title.lower() or not section.blocks:
            continue
        where = f"{file}:{section.line} {section.title}{GAP_MARK}"
        if section.blocks[0].kind != "paragraph":
            result_plan.kept.append(f"{where}: left as it is: it does not start with a paragraph; not in the catalogue")
            result_plan.prose_gaps.append(item.id)
            continue
        fields: list[tuple[str, str]] = []
        for block in section.blocks:
            match = GAP_LABEL.match(block.text)
            if match:
                label = " ".join(match.group(1).split()).rstrip(":")
                key = GAP_FIELDS.get(label.lower(), slug(label))
                fields.append((label, key))
            elif not fields:
                fields.append(("", "description"))
        try:
            field_lines([f"{label}: {key}" if label else key for label, key in fields], result.catalogue)
        except TableOptionError as exc:
            result_plan.kept.append(f"{where}: left as it is: {exc}; not in the catalogue")
            result_plan.prose_gaps.append(item.id)
            continue
        shown = field_paragraphs(item, fields, graph)
        expected = " ".join(f"{label}: {plain(cell)}" if label else plain(cell) for label, _, cell in shown)
        written = " ".join(plain_text(block.text) for block in section.blocks)
        if expected.split() != written.split():
            reason = "the catalogue would not give back its words"
            result_plan.kept.append(f"{where}: left as it is: {reason}; not in the catalogue")
            result_plan.prose_gaps.append(item.id)
            continue
        last = section.blocks[-1]
        end = last.line + len(last.text.split("\n")) - 1
        body = [f"   {label}: {key}" if label else f"   {key}" for label, key in fields]
        yield section.blocks[0].line, end, [f".. ra2:fields:: {item.id}", "", *body], where


def _catalogue_changes(result_plan: Plan, result: ImportResult) -> None:
    """The catalogue files, its baseline of upstream's defects, and the repository's settings."""
    from ra2docs import baseline

    catalogue_dir = result_plan.catalogue_dir
    texts: dict[str, str] = {}
    for name, data in sorted(result.files.items()):
        if not data.get("items") and name != "profiles.yaml":
            continue
        data = {k: v for k, v in data.items() if k != "comparisons"}
        # no origin comments: they would point at chapter lines that no longer hold the rows
        texts[name.removeprefix("ra2-")] = dump(data, None, result_plan.schema)
    result_plan.items = sum(len(data.get("items", [])) for data in result.files.values())
    preset = _preset(result)
    settings_path = result_plan.top / SETTINGS_FILE
    found, _ = settings_in(result_plan.top)
    if found is not None:
        raise Ra2docsError(
            f"{found} already holds ra2docs settings: adopt writes its own {SETTINGS_FILE} there; "
            "move those settings aside first"
        )
    catalogue = os.path.relpath(catalogue_dir, result_plan.top).replace(os.sep, "/")
    # Check what was imported: upstream's defects become the baseline, so that they never fail a run
    # while any new finding does, at its real severity.
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        for name, text in texts.items():
            (folder / name).write_text(text, encoding="utf-8")
        (folder / SETTINGS_FILE).write_text(f'ids = "{preset}"\n', encoding="utf-8")
        settings = load_settings(folder / SETTINGS_FILE)
        loaded = load_catalogue(folder, base=folder, kinds=settings.kinds())
        findings = analyse(loaded)
    defects = [f for f in findings if f.severity in ("error", "warning")]
    result_plan.findings = defects
    texts[baseline.BASELINE_FILE] = baseline.text(defects)
    for name, text in texts.items():
        result_plan.changes.append(Change(catalogue_dir / name, "", text))
    result_plan.changes.append(Change(settings_path, "", _settings_text(preset, catalogue)))


REVIEW_WORKFLOWS = ("ra2docs-review.yml", "ra2docs-comment.yml")


def _workflow_changes(result_plan: Plan) -> None:
    """The review workflows (check, diff, gate; the comment, also for forks) at the repository's top."""
    from importlib import resources

    if not (result_plan.top / ".git").exists():
        result_plan.notes.append("not a git repository: no review workflow written (see ra2docs/workflows/)")
        return
    folder = result_plan.top / ".github" / "workflows"
    for name in REVIEW_WORKFLOWS:
        path = folder / name
        if path.exists() or path.is_symlink():
            result_plan.notes.append(f"{path}: kept as it is (ra2docs ships its own {name}: compare them)")
            continue
        text = (resources.files("ra2docs") / "workflows" / name).read_text(encoding="utf-8")
        result_plan.changes.append(Change(path, "", text))


def _wiring_changes(result_plan: Plan) -> None:
    docdir = result_plan.docdir
    _workflow_changes(result_plan)
    # The review workflow's Vale job covers the catalogue's texts too (ra2docs.prose).
    vale_workflow = review_workflow_change(docdir, result_plan.catalogue_dir)
    if vale_workflow is not None and not vale_workflow[0].is_relative_to(result_plan.top):
        result_plan.notes.append(
            f"{vale_workflow[0]}: outside the tree adopted (not in a git repository?): not changed"
        )
    elif vale_workflow is not None:
        result_plan.changes.append(Change(*vale_workflow))
        result_plan.notes.append(f"{vale_workflow[0].name}: Vale now checks the catalogue texts too (ra2docs lint)")
    conf = docdir / "conf.py"
    before = conf.read_text(encoding="utf-8")
    after = _conf_text(before)
    if after is not None:
        result_plan.changes.append(Change(conf, before, after))
    requirements = docdir / "test-requirements.txt"
    if not result_plan.requirement:
        result_plan.notes.append(
            "ra2docs must be installed wherever the site is built: add it to test-requirements.txt as a version, "
            "a URL or a path pip can reach (`ra2docs adopt --requirement SPEC` writes that line)"
        )
    elif requirements.is_file():
        before = requirements.read_text(encoding="utf-8")
        after = _requirements_text(before, result_plan.requirement)
        if after is not None:
            result_plan.changes.append(Change(requirements, before, after))
    else:
        result_plan.notes.append(
            f"no test-requirements.txt: install {result_plan.requirement} wherever the site is built"
        )
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
            f"adopted {sum(1 for w in result_plan.replaced if not w.endswith(GAP_MARK))} table(s) and "
            f"{sum(1 for w in result_plan.replaced if w.endswith(GAP_MARK))} gap(s) written as prose into "
            f"{result_plan.catalogue_dir} ({result_plan.items} items); {len(result_plan.kept)} table(s) or gap(s) "
            "with IDs left as they are"
        )
        for where in result_plan.replaced:
            out.append(f"  replaced: {where}")
        for where in result_plan.kept:
            out.append(f"  kept: {where}")
        if result_plan.findings:
            counts = Counter(f.severity for f in result_plan.findings)
            out.append(
                f"upstream defects found ({counts['error']} errors, {counts['warning']} warnings), recorded as known "
                "in the catalogue's ra2docs-baseline.json (they never fail a run; new ones do; `ra2docs check` "
                "lists them):"
            )
            for finding in [f for f in result_plan.findings if f.severity == "error"]:
                out.append(f"  {finding.file}:{finding.line}: {finding.item}: {finding.message} [{finding.rule}]")
    if result_plan.disagreements:
        out.append(
            f"upstream's tables disagree in {len(result_plan.disagreements)} place(s); each page is kept as it was, "
            "and `ra2docs check` verifies these cells against the links on every run (rule RA407):"
        )
        out.extend(f"  {note}" for note in result_plan.disagreements)
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
            "disagreements": result_plan.disagreements,
            "notes": result_plan.notes,
        },
        indent=2,
    )
