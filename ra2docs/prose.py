"""``ra2docs lint``: a prose linter (Vale, else proselint) over catalogue text, its alerts placed on the YAML lines.

Vale reads reStructuredText and Markdown files, not YAML: once requirement
texts live in the catalogue, a review workflow that runs Vale on the chapters
no longer sees them. Here every text of every item is written, as it is, into
one reStructuredText file per catalogue file (each text after a comment that
names it, which renders to nothing), the linter runs on those files with the
tree's own configuration (``.vale.ini``: styles, vocabulary), and each alert's
line and column in the written file is traced back to the character of the
YAML scalar that holds it: ``catalogue/chapter04.yaml:14:35``. Output is text
or reviewdog's diagnostic format (rdjson), so that reviewdog comments on the
changed YAML lines of a pull request.

Chapters (``.rst``/``.md`` files given on the command line) are linted as
they are, their alerts where the linter puts them.

Where Vale cannot be installed, proselint (a Python package) is the linter:
Vale's ``proselint`` style, which RA2's ``.vale.ini`` uses, is a port of it.
"""

from __future__ import annotations

import bisect
import itertools
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ra2docs.findings import Ra2docsError
from ra2docs.kinds import COMMON_FIELDS, KindSpec
from ra2docs.loader import catalogue_files
from ra2docs.yamlsource import read_regular_file, read_yaml

VALE_CONFIGS = (".vale.ini", "_vale.ini", "vale.ini")
PROSE_FIELD_TYPES = {"string", "text", "string-list", "cells", "listings", "profile-values"}
NOT_PROSE = {"id", "kind", "section", "source", "priority", "status", "changed", "match"}
LINTERS = ("auto", "vale", "proselint")


@dataclass(frozen=True)
class Alert:
    """One linter alert, at a place in a file a reader edits (1-based line and columns, end inclusive)."""

    file: str
    line: int
    column: int
    end_column: int
    rule: str
    message: str
    severity: str  # error, warning, suggestion
    item: str = ""
    where: str = ""  # the field of the item: 'details', 'cells.traces'

    def format(self) -> str:
        about = f"{self.item} {self.where}: " if self.item else ""
        return f"{self.file}:{self.line}:{self.column}: {self.severity}: {about}{self.message} [{self.rule}]"


@dataclass
class CatalogueText:
    """One text of an item, and where each of its characters stands in the YAML file."""

    file: str  # as shown to the reader
    item: str
    where: str
    text: str
    places: list[tuple[int, int]]  # (line, column) in the YAML file of each character of ``text``

    def place(self, offset: int) -> tuple[int, int]:
        if not self.places:
            return (1, 1)
        return self.places[max(0, min(offset, len(self.places) - 1))]


def _source_places(source: str, start: yaml.Mark) -> list[tuple[int, int]]:
    """(line, column), 1-based, of each character of ``source``, which starts at ``start``."""
    line, column = start.line + 1, start.column + 1
    places = []
    for char in source:
        places.append((line, column))
        if char == "\n":
            line, column = line + 1, 1
        else:
            column += 1
    return places


_BLANKS = " \t\r\n"
_LOOKAHEAD = 12  # the longest YAML escape (\U0001F600) and a quote or line break around it


_ESCAPE_LENGTHS = {"x": 4, "u": 6, "U": 10}


def _align(value: str, source: str, escapes: bool = False) -> list[int]:
    """For each character of a scalar's value, the offset in its YAML source that gave it.

    The value is the source less quotes, escapes, block indicators and
    indentation, with line breaks folded into spaces: walking both, a value
    character matches the next equal source character (a blank matches any
    run of blanks). A double-quoted escape maps to where it stands.
    """
    offsets: list[int] = []
    # A block scalar's text starts on the line after its header (|, >, |-, >+2 ...).
    at = source.find("\n") + 1 if source[:1] in "|>" and source else 0
    for char in value:
        if char not in _BLANKS:
            # Blanks of the source that the value does not have: indentation, folded line breaks.
            while at < len(source) and source[at] in _BLANKS:
                at += 1
        if escapes and at < len(source) and source[at] == "\\" and at + 1 < len(source):
            # A double-quoted escape (\t, \", \x41, \u00e9 ...) gives this one character.
            offsets.append(at)
            at += _ESCAPE_LENGTHS.get(source[at + 1], 2)
            continue
        window = source[at : at + _LOOKAHEAD]
        found = -1
        for index, candidate in enumerate(window):
            if candidate == char or (char in _BLANKS and candidate in _BLANKS):
                found = index
                break
        if found < 0:
            offsets.append(min(at, max(len(source) - 1, 0)))
            continue
        offsets.append(at + found)
        at += found + 1
    return offsets


def _scalar_text(node: yaml.ScalarNode, text: str, display: str, item: str, where: str) -> CatalogueText:
    source = text[node.start_mark.index : node.end_mark.index]
    source_places = _source_places(source, node.start_mark)
    offsets = _align(node.value, source, escapes=node.style == '"')
    places = [source_places[o] for o in offsets] if source_places else []
    return CatalogueText(display, item, where, node.value, places)


def _texts_below(node: Any, text: str, display: str, item: str, where: str) -> Iterator[CatalogueText]:
    if isinstance(node, yaml.ScalarNode):
        if node.tag == "tag:yaml.org,2002:str" and node.value.strip():
            yield _scalar_text(node, text, display, item, where)
    elif isinstance(node, yaml.SequenceNode):
        for index, entry in enumerate(node.value):
            yield from _texts_below(entry, text, display, item, f"{where}[{index + 1}]")
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value not in NOT_PROSE:
                yield from _texts_below(value, text, display, item, f"{where}.{key.value}")


def catalogue_texts(folder: Path, kinds: dict[str, KindSpec], base: Path | None = None) -> list[CatalogueText]:
    """Every prose text of every item under ``folder``, with its place in the YAML file.

    A file that cannot be read is left out: ``ra2docs check`` reports it.
    """
    found: list[CatalogueText] = []
    files, _links = catalogue_files(folder)
    for path in files:
        raw = read_regular_file(path)
        if not isinstance(raw, bytes):
            continue
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            continue
        display = os.path.relpath(path, base or Path.cwd())
        doc = read_yaml(path, display, text=text)
        items = doc.node(("items",)) if not doc.fatal else None
        if not isinstance(items, yaml.SequenceNode):
            continue
        # Node marks count from the text read_yaml composed, which lost a byte-order mark.
        text = text.removeprefix("\ufeff")
        for entry in items.value:
            if not isinstance(entry, yaml.MappingNode):
                continue
            fields = {k.value: v for k, v in entry.value if isinstance(k, yaml.ScalarNode)}
            item_id = fields.get("id")
            kind = kinds.get(fields["kind"].value) if isinstance(fields.get("kind"), yaml.ScalarNode) else None
            if not isinstance(item_id, yaml.ScalarNode) or kind is None:
                continue
            types = {name: spec.get("type", "") for name, spec in {**COMMON_FIELDS, **kind.fields}.items()}
            for name, value in fields.items():
                if name in NOT_PROSE or name in kind.links or types.get(name) not in PROSE_FIELD_TYPES:
                    continue
                found.extend(_texts_below(value, text, display, item_id.value, name))
    return found


@dataclass
class _Written:
    """A reStructuredText file holding a catalogue file's texts, and which text each of its lines is."""

    path: Path
    lines: list[tuple[CatalogueText, int] | None]  # per line: (text, offset of the line in it), None between texts

    def entry(self, line: int) -> tuple[CatalogueText, int] | None:
        """The text on ``line`` of the written file and where that line starts in it (None off the texts)."""
        return self.lines[line - 1] if 0 < line <= len(self.lines) else None

    def place(self, line: int, column: int) -> tuple[CatalogueText, int, int] | None:
        """The text, and the YAML line and column, of ``line:column`` of the written file."""
        entry = self.entry(line)
        if entry is None:
            return None
        text, start = entry
        yaml_line, yaml_column = text.place(start + max(column, 1) - 1)
        return text, yaml_line, yaml_column


def write_rst(texts: Iterable[CatalogueText], folder: Path) -> list[_Written]:
    """One .rst file per catalogue file in ``folder``: each text after a comment naming it, a blank line between."""
    by_file: dict[str, list[CatalogueText]] = {}
    for entry in texts:
        by_file.setdefault(entry.file, []).append(entry)
    written = []
    for index, (display, entries) in enumerate(by_file.items()):
        lines: list[tuple[CatalogueText, int] | None] = []
        out: list[str] = []
        for entry in entries:
            # A comment renders to nothing, and at the margin it ends any block the text before left open.
            out += [f".. text of {entry.item} {entry.where}".replace("\n", " "), ""]
            lines += [None, None]
            offset = 0
            for line in entry.text.split("\n"):
                out.append(line)
                lines.append((entry, offset))
                offset += len(line) + 1
            out.append("")
            lines.append(None)
        path = folder / f"{index:03d}-{Path(display).stem}.rst"
        path.write_text("\n".join(out) + "\n", encoding="utf-8")
        written.append(_Written(path, lines))
    return written


def find_vale_config(start: Path) -> Path | None:
    """The Vale configuration that applies to files under ``start``: the nearest one found going up."""
    for folder in [start.resolve(), *start.resolve().parents]:
        for name in VALE_CONFIGS:
            if (folder / name).is_file():
                return folder / name
    return None


def _run_vale(files: list[Path], config: Path) -> dict[str, Any]:
    """Vale's JSON report on ``files``, with the tree's configuration."""
    vale = shutil.which("vale")
    if vale is None:
        raise Ra2docsError(
            "vale is not installed (pip install vale, or see https://vale.sh); or use --linter proselint"
        )
    command = [vale, f"--config={config}", "--output=JSON", "--no-exit", *map(str, files)]
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=config.parent)
    try:
        report = json.loads(done.stdout or "{}")
    except json.JSONDecodeError:
        report = None
    if done.returncode != 0 or not isinstance(report, dict):
        raise Ra2docsError(f"vale failed (exit code {done.returncode}): {(done.stderr or done.stdout).strip()[:2000]}")
    return report


RawAlert = tuple[Path, int, int, int, str, str, str]  # file, line, column, end column, rule, message, severity


def vale_report_alerts(report: dict[str, Any], folder: Path) -> Iterator[RawAlert]:
    """The alerts of Vale's JSON output (``{file: [{Line, Span, Check, Message, Severity}]}``) from ``folder``."""
    for name, alerts in report.items():
        path = Path(name) if Path(name).is_absolute() else folder / name
        for alert in alerts if isinstance(alerts, list) else []:
            span = alert.get("Span") or [1, 1]
            yield (
                path,
                int(alert.get("Line", 1)),
                int(span[0]),
                int(span[-1]),
                str(alert.get("Check", "Vale")),
                str(alert.get("Message", "")),
                str(alert.get("Severity", "warning")),
            )


def _proselint_alerts(files: list[Path]) -> Iterator[RawAlert]:
    try:
        from proselint.checks import __register__
        from proselint.config import DEFAULT
        from proselint.registry import CheckRegistry
        from proselint.tools import LintFile
    except ImportError:
        raise Ra2docsError("proselint is not installed (pip install 'ra2docs[lint]'); or use --linter vale") from None
    if not CheckRegistry().get_all_enabled(DEFAULT["checks"]):  # the registry is one per process: fill it once
        CheckRegistry().register_many(__register__)
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise Ra2docsError(f"{path}: cannot read it as UTF-8 text: {exc}") from None
        starts = list(itertools.accumulate((len(line) + 1 for line in text.split("\n")), initial=0))
        for result in LintFile(str(path), text).lint(DEFAULT):
            check = result.check_result
            # proselint pads the text with a line break before it: its spans count from that.
            begin, end = check.span[0] - 1, check.span[1] - 2
            line = bisect.bisect_right(starts, begin)
            column = begin - starts[line - 1] + 1
            yield (
                path,
                line,
                column,
                column + max(end - begin, 0),
                f"proselint.{check.check_path}",
                check.message,
                "warning",
            )


def chosen_linter(name: str) -> str:
    """The linter ``auto`` stands for: Vale where it is installed, else proselint."""
    if name == "auto":
        return "vale" if shutil.which("vale") else "proselint"
    return name


def lint(
    texts: list[CatalogueText], chapters: list[Path], linter: str, vale_config: Path | None, base: Path
) -> list[Alert]:
    """The alerts of ``linter`` on the catalogue texts (placed in YAML) and on the chapter files (as they are)."""
    if linter == "vale" and vale_config is None:
        raise Ra2docsError("no .vale.ini found above the catalogue folder; give one with --vale-config")
    with tempfile.TemporaryDirectory(prefix="ra2docs-lint-") as scratch:
        written = write_rst(texts, Path(scratch))
        files = [*(w.path for w in written), *(c.resolve() for c in chapters)]
        if not files:
            return []
        if linter == "vale":
            assert vale_config is not None
            raw = vale_report_alerts(_run_vale(files, vale_config), vale_config.parent)
        else:
            raw = _proselint_alerts(files)
        return placed_alerts(raw, written, base)


def placed_alerts(raw: Iterable[RawAlert], written: list[_Written], base: Path) -> list[Alert]:
    """The linter's alerts, those on written texts moved to the YAML place of the text, sorted."""
    by_path = {w.path.resolve(): w for w in written}
    alerts: list[Alert] = []
    for path, line, column, end_column, rule, message, severity in raw:
        target = by_path.get(path.resolve())
        if target is None:
            alerts.append(Alert(os.path.relpath(path, base), line, column, end_column, rule, message, severity))
            continue
        placed, entry = target.place(line, column), target.entry(line)
        if placed is None or entry is None:
            continue  # on a comment the texts are written after
        text, yaml_line, yaml_column = placed
        end_line, end_at = text.place(entry[1] + end_column - 1)
        if end_line != yaml_line:  # the match runs over a folded line break: keep its length
            end_at = yaml_column + end_column - column
        alerts.append(Alert(text.file, yaml_line, yaml_column, end_at, rule, message, severity, text.item, text.where))
    return sorted(alerts, key=lambda a: (a.file, a.line, a.column, a.rule))


def as_rdjson(alerts: list[Alert], linter: str, base: Path) -> str:
    """reviewdog's diagnostic format (``reviewdog -f=rdjson``): columns count UTF-8 bytes, ends are exclusive."""
    levels = {"error": "ERROR", "warning": "WARNING"}
    lines_of: dict[str, list[str]] = {}

    def byte_column(file: str, line: int, column: int) -> int:
        if file not in lines_of:
            try:
                lines_of[file] = (base / file).read_text(encoding="utf-8-sig").split("\n")
            except (OSError, UnicodeDecodeError):
                lines_of[file] = []
        lines = lines_of[file]
        text = lines[line - 1] if 0 < line <= len(lines) else ""
        return len(text[: column - 1].encode("utf-8")) + 1

    diagnostics = [
        {
            "message": f"{a.message}" + (f" ({a.item} {a.where})" if a.item else ""),
            "location": {
                "path": a.file,
                "range": {
                    "start": {"line": a.line, "column": byte_column(a.file, a.line, a.column)},
                    "end": {"line": a.line, "column": byte_column(a.file, a.line, a.end_column + 1)},
                },
            },
            "severity": levels.get(a.severity, "INFO"),
            "code": {"value": a.rule},
        }
        for a in alerts
    ]
    return json.dumps({"source": {"name": linter}, "diagnostics": diagnostics}, indent=1) + "\n"


VALE_ACTION = "errata-ai/vale-action"
LINT_MARK = "ra2docs lint"


def review_workflow_change(docdir: Path, catalogue_dir: Path) -> tuple[Path, str, str] | None:
    """The tree's workflow that runs Vale through reviewdog, before and after a step that lints the catalogue too.

    Vale's job (``errata-ai/vale-action``) lints the chapters; the added steps
    run Vale with the same configuration on the catalogue's texts (``ra2docs
    lint``) and hand the alerts, placed on the YAML lines, to reviewdog with
    the job's reporter. None when there is no such workflow or it has the step.
    """
    # The repository's own workflows are at its top, some folder above the tree.
    for root in [docdir.resolve(), *docdir.resolve().parents]:
        folder = root / ".github" / "workflows"
        for path in sorted(folder.glob("*.y*ml")) if folder.is_dir() and not folder.is_symlink() else []:
            if path.is_symlink() or not path.is_file():
                continue
            before = path.read_text(encoding="utf-8")
            if VALE_ACTION not in before or LINT_MARK in before:
                continue
            after = _with_catalogue_step(before, root, docdir.resolve(), catalogue_dir.resolve())
            if after is not None:
                return path, before, after
        if (root / ".git").exists():
            break  # the top of the repository: workflows above it are another's
    return None


def _with_catalogue_step(workflow: str, root: Path, docdir: Path, catalogue_dir: Path) -> str | None:
    try:
        data = yaml.safe_load(workflow)
    except yaml.YAMLError:
        return None
    reporter = "github-pr-review"
    for job in (data.get("jobs") or {}).values() if isinstance(data, dict) else []:
        for step in job.get("steps") or [] if isinstance(job, dict) else []:
            if isinstance(step, dict) and VALE_ACTION in str(step.get("uses", "")):
                reporter = str((step.get("with") or {}).get("reporter", reporter))
    lines = workflow.split("\n")
    start = next((i for i, line in enumerate(lines) if VALE_ACTION in line), None)
    if start is None:
        return None
    # The Vale step starts at the '- ' above the action's line and ends before the next step or job.
    first = next(i for i in range(start, -1, -1) if lines[i].lstrip().startswith("- "))
    pad = lines[first][: len(lines[first]) - len(lines[first].lstrip())]
    end = first + 1
    while end < len(lines):
        line = lines[end]
        indent = len(line) - len(line.lstrip())
        if line.strip() and not line.lstrip().startswith("#") and indent <= len(pad):
            break
        end += 1
    while end > first + 1 and not lines[end - 1].strip():
        end -= 1
    catalogue = catalogue_dir.relative_to(root).as_posix() if catalogue_dir.is_relative_to(root) else catalogue_dir
    requirements = docdir / "test-requirements.txt"
    install = (
        f"pip install vale -r {requirements.relative_to(root).as_posix()}"
        if requirements.is_file() and requirements.is_relative_to(root)
        else "pip install vale ra2docs"
    )
    step = f"""{pad}# ra2docs (added by `ra2docs adopt`): the requirement texts now live in {catalogue}/*.yaml,
{pad}# which Vale does not read. `ra2docs lint` runs Vale on them with the same .vale.ini and places
{pad}# each alert on the YAML line that holds the text, for reviewdog to comment on.
{pad}- uses: actions/setup-python@v5
{pad}  with:
{pad}    python-version: "3.12"
{pad}- uses: reviewdog/action-setup@v1
{pad}- name: Run Vale on the catalogue texts
{pad}  if: always()
{pad}  env:
{pad}    REVIEWDOG_GITHUB_API_TOKEN: ${{{{ secrets.GITHUB_TOKEN }}}}
{pad}  run: |
{pad}    {install}
{pad}    ra2docs lint --linter vale --format rdjson --catalogue {catalogue} \\
{pad}      | reviewdog -f=rdjson -name=vale -reporter={reporter}"""
    return "\n".join([*lines[:end], *step.split("\n"), *lines[end:]])
