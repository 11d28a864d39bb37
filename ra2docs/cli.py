"""The ``ra2docs`` command line."""

from __future__ import annotations

import argparse
import copy
import gc
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from ra2docs import __version__
from ra2docs.baseline import mark
from ra2docs.check import analyse, settle
from ra2docs.context import CheckContext
from ra2docs.escaping import for_terminal
from ra2docs.findings import ExitCode, Finding, Ra2docsError
from ra2docs.graph import TraceGraph
from ra2docs.history_cli import add_history_parser
from ra2docs.loader import LoadResult, load_catalogue
from ra2docs.outputs import write_file_no_follow
from ra2docs.process import collector_paused, owned
from ra2docs.report import as_github, as_json, as_junit, as_sarif, as_text, for_terminal_finding, summary
from ra2docs.rules import all_rules
from ra2docs.schema import schema_text
from ra2docs.settings import SETTINGS_FILE, Settings, settings_for

EXIT_CODES_HELP = """exit codes:
  0  clean: no finding at error level
  1  findings at error level (or a --fail-on gate tripped)
  2  the input could not be read (missing folder, YAML syntax, bad settings, bad options)
"""


def _settings(args: argparse.Namespace) -> Settings:
    """The settings that apply: --config, else those found from the catalogue folder or the current folder.

    From the repository root, the documentation folder or the catalogue folder alike: see ra2docs.settings.
    """
    explicit = Path(args.config) if getattr(args, "config", None) else None
    given = getattr(args, "catalogue", None)
    return settings_for(Path(given) if given else None, explicit, start=Path.cwd())


def _catalogue_folder(args: argparse.Namespace, settings: Settings) -> Path:
    """The catalogue folder a command reads: --catalogue, else the settings', else ./catalogue; it must exist."""
    given = getattr(args, "catalogue", None)
    folder = Path(given) if given else (settings.catalogue or Path("catalogue"))
    if not folder.is_dir() and not folder.is_symlink():
        where = "given" if given else f"named by {settings.path}" if settings.catalogue else "looked for here"
        raise Ra2docsError(
            f"{folder}: no catalogue folder ({where}); run from the repository, the documentation folder or the "
            "catalogue folder of an adopted tree, or give --catalogue (settings: "
            f"{settings.describe()})"
        )
    return folder  # a folder the settings name is inside their repository (ra2docs.settings.load_settings)


def load(folder: Path, settings: Settings) -> LoadResult:
    """The catalogue under ``folder``, with the kinds (ID patterns) of the settings."""
    return load_catalogue(folder, kinds=settings.kinds())


def _load_without_errors(args: argparse.Namespace, settings: Settings) -> tuple[LoadResult, TraceGraph]:
    """The catalogue and its trace graph, for commands that need a catalogue free of errors."""
    folder = _catalogue_folder(args, settings)
    loaded = load(folder, settings)
    options = settings.check_options(folder)
    context = CheckContext(loaded.catalogue, options)
    errors = [f for f in analyse(loaded, options, context) if f.severity == "error" and not f.known]
    if loaded.fatal or errors:
        for finding in errors:
            sys.stderr.write(finding.format() + "\n")
        raise Ra2docsError(f"the catalogue in {folder} has errors; fix them first ('ra2docs check {folder}')")
    return loaded, context.graph


def cmd_check(args: argparse.Namespace) -> int:
    settings = _settings(args)
    folder = _catalogue_folder(args, settings)
    options = settings.check_options(folder)
    # The command exits once it has reported: what loading and analysing made lives to the end
    # and holds no cycles. Frozen, the collector leaves it alone; let loose, it would go through
    # every one of those objects as young, then as middle-aged ones (13% of checking 100,000 items).
    # Only when the process is the command's own (console_main): in-process callers keep their collector.
    with collector_paused(then=gc.freeze):
        result = load(folder, settings)
        findings = analyse(result, options)
    if args.update_baseline:
        return _update_baseline(settings, folder, result, findings)
    info = summary(findings, len(result.catalogue.files), len(result.catalogue.items))
    if args.format == "json":
        sys.stdout.write(as_json(findings, info))
    elif args.format == "github":
        sys.stdout.write(as_github(findings, info, verbose=args.verbose))
    elif args.format == "junit":
        sys.stdout.write(as_junit(findings, info))
    elif args.format == "sarif":
        sys.stdout.write(as_sarif(findings, info, __version__, verbose=args.verbose))
    else:
        sys.stdout.write(as_text(findings, info, color=sys.stdout.isatty(), verbose=args.verbose))
    if result.fatal:
        return ExitCode.CANNOT_LOAD
    return ExitCode.FINDINGS if info["errors"] else ExitCode.CLEAN


def _update_baseline(settings: Settings, folder: Path, result: LoadResult, findings: list[Finding]) -> int:
    from ra2docs import baseline
    from ra2docs.outputs import replace_files
    from ra2docs.rules.ra106_stale_baseline import CODE as STALE_BASELINE

    if result.fatal:
        sys.stderr.write("".join(for_terminal_finding(f) + "\n" for f in findings if f.severity == "error"))
        raise Ra2docsError(f"the catalogue in {folder} cannot be read: no baseline written")
    path = settings.baseline or folder / baseline.BASELINE_FILE
    kept = [f for f in findings if f.rule != STALE_BASELINE]
    replace_files({path: baseline.text(kept)})
    count = sum(1 for f in kept if f.severity in ("error", "warning"))
    sys.stdout.write(f"wrote {path}: {count} known finding(s); review it like any change to the catalogue\n")
    return ExitCode.CLEAN


def cmd_import(args: argparse.Namespace) -> int:
    from ra2docs import importer

    source = Path(args.source)
    out = Path(args.out)
    if not source.exists():
        raise Ra2docsError(f"{source}: no such folder or file (give the folder that holds the spec chapters)")
    existing = sorted(out.glob("*.y*ml")) if out.is_dir() else []
    if existing and not args.force:
        raise Ra2docsError(
            f"{out} already holds catalogue files ({existing[0].name}, ...); "
            "import into an empty folder, or add --force to overwrite files of the same names"
        )
    schema = args.schema or importer.SCHEMA_FILE
    if source.is_file() and source.suffix.lower() not in (".md", ".rst"):
        return _import_exchange(source, out, schema)
    result = importer.build(source, args.format, exact=args.exact)
    for note in result.notes:
        sys.stdout.write(note.format() + "\n")
    sys.stdout.write("\nread:\n")
    for name, stats in importer.statistics(result).items():
        sys.stdout.write(
            f"  {name}: {stats.tables} tables, {stats.rows} rows, {stats.items} items, {stats.links} links\n"
        )
    warnings = sum(1 for n in result.notes if n.level == "warning")
    errors = sum(1 for n in result.notes if n.level == "error")
    if result.item_count == 0:
        sys.stdout.write(
            f"\nno catalogue items found in {source}: is it a folder of RA2 / Reference Model chapters "
            f"({'*.md, *.rst' if args.format == 'auto' else '*.' + args.format})?\n"
        )
        return ExitCode.CANNOT_LOAD
    written = importer.write(result, out, schema)
    sys.stdout.write(
        f"\nwrote {len(written)} files with {result.item_count} items to {out} "
        f"({errors} errors, {warnings} warnings in the report above)\n"
        f"next: ra2docs check {out}\n"
    )
    if result.unreadable:
        return ExitCode.CANNOT_LOAD
    return ExitCode.FINDINGS if warnings or errors else ExitCode.CLEAN


REPORT_FORMATS = {".md": "markdown", ".markdown": "markdown", ".json": "json", ".txt": "text"}


def cmd_diff(args: argparse.Namespace) -> int:
    from ra2docs import diff

    # Options are checked before the (slow) comparison, so a typo fails at once.
    for path in args.report_file or []:
        if Path(path).suffix.lower() not in REPORT_FORMATS:
            raise Ra2docsError(f"--report-file {path}: name it .md, .json or .txt (the format follows the name)")
    if args.results and args.format == "json":
        raise Ra2docsError("--results: verdict regressions are reported in the text and markdown formats")
    if args.report_url and not diff.is_report_url(args.report_url):
        raise Ra2docsError(f"--report-url {args.report_url!r}: give an http(s) URL without spaces or brackets")
    settings = _settings(args)
    root = diff.repository_root(Path.cwd())
    # --catalogue is relative to the current folder, the setting to its settings file (the
    # repository's top when there is none). Worked out without following links, so that
    # a linked catalogue folder is refused rather than read.
    if args.catalogue:
        catalogue = args.catalogue
        absolute = Path(os.path.normpath(Path.cwd() / args.catalogue))
    else:
        absolute = Path(os.path.normpath(settings.catalogue or root / "catalogue"))
        catalogue = str(absolute)
    try:
        folder = absolute.relative_to(root)
    except ValueError:
        raise Ra2docsError(f"{catalogue}: the catalogue folder must be inside the git repository {root}") from None
    if not args.head and not (root / folder).is_dir():
        # never a green "no change" comment for a catalogue that is not there
        raise Ra2docsError(
            f"{catalogue}: no catalogue folder in the working tree (settings: {settings.describe()}); "
            "run from the repository of an adopted tree, or give --catalogue"
        )
    # Both sides are judged with the base revision's settings (the change's own could lower the
    # gate), or with the file --config names: the workflow's, not the pull request's.
    explicit = settings_for(None, Path(args.config)) if args.config else None
    from_settings = not args.catalogue and explicit is None
    report = diff.diff(root, args.base, args.head or diff.WORKTREE, folder.as_posix(), explicit, from_settings)
    for label, entry in report.skipped:
        sys.stderr.write(f"ra2docs: warning: {label}: {entry.path}: not read: {entry.reason}\n")
    renderers: dict[str, Callable[[diff.Report], str]] = {
        "json": diff.as_json,
        "text": diff.as_text,
        "markdown": lambda r: diff.as_markdown(r, max_chars=None),
    }
    for path in args.report_file or []:
        target = Path(path)
        try:
            text = renderers[REPORT_FORMATS[target.suffix.lower()]](report)
            write_file_no_follow(target, text.encode("utf-8"))
        except Ra2docsError as exc:
            raise Ra2docsError(f"--report-file {path}: cannot write: {exc}") from None
    if args.format == "markdown":
        sys.stdout.write(
            diff.as_markdown(
                report, max_chars=args.max_chars, report_url=args.report_url, report_files=args.report_file or []
            )
        )
    else:
        sys.stdout.write(renderers[args.format](report))
    if args.results:  # verdicts of both sides, from the result files of each
        changes, unreadable = diff.verdict_regressions(
            root, args.base, args.head or diff.WORKTREE, folder.as_posix(), args.results
        )
        for problem in unreadable:
            sys.stderr.write(f"ra2docs: warning: {problem}\n")
        sys.stdout.write(diff.verdict_regressions_text(changes, args.results))
    if report.head_fatal:
        return ExitCode.CANNOT_LOAD
    if args.fail_on == "new-findings" and any(f.severity in ("error", "warning") for f in report.findings_introduced):
        return ExitCode.FINDINGS
    if args.fail_on == "new-errors" and any(f.severity == "error" for f in report.findings_introduced):
        return ExitCode.FINDINGS
    return ExitCode.CLEAN


def _fetch_testapi(args: argparse.Namespace) -> str:
    """Fetch the test database's results into the cache file; the cache is then read like any result file."""
    from ra2docs.results.testapi import FILTERS, Fetch, fetch_all, write_cache

    filters = {name: value for name in FILTERS if (value := getattr(args, "testapi_" + name.replace("-", "_")))}
    fetch = Fetch(args.testapi, filters, timeout=args.timeout, retries=args.retries)
    records = fetch_all(fetch)
    cache = Path(args.cache)
    write_cache(cache, fetch, records)
    sys.stderr.write(f"{len(records)} results from {args.testapi} written to {cache} (builds read it offline)\n")
    return str(cache)


def cmd_results(args: argparse.Namespace) -> int:
    from ra2docs.results import ResultsError, Source, expand_runs, parse_run_option, read_all
    from ra2docs.results.report import results_json, results_junit, results_text
    from ra2docs.results.verdicts import FAIL, NOT_RUN, STALE, compute, gate

    settings = _settings(args)
    folder = _catalogue_folder(args, settings)
    loaded = load(folder, settings)
    # What the loader reports counts with the severities and the baseline of the settings, as in 'check'.
    options = settings.check_options(folder)
    settled = settle([copy.copy(f) for f in loaded.findings], options["severity"])
    if "baseline" in options:
        mark(settled, options["baseline"])
    if loaded.fatal or any(f.severity == "error" and not f.known for f in settled):
        for finding in analyse(loaded, options):
            if finding.severity == "error" and not finding.known:
                sys.stderr.write(finding.format() + "\n")
        raise Ra2docsError(f"the catalogue in {folder} has errors; run 'ra2docs check {folder}'")
    refused: list[ResultsError] = []
    labelled = args.label and args.files
    sources: list[Source] = [{"label": args.label, "files": args.files}] if labelled else list(args.files)
    sources += [parse_run_option(r) for r in args.run or []]
    if args.testapi:
        sources.append(_fetch_testapi(args))
    if not sources:
        raise Ra2docsError("results: name result files, runs with --run LABEL=FILES, or --testapi URL")
    paths = expand_runs(sources, Path.cwd(), refused)
    results, errors = read_all(paths, Path.cwd())
    errors = refused + errors
    for error in errors:
        sys.stderr.write(for_terminal_finding(error.finding) + "\n")
    if errors:
        return ExitCode.CANNOT_LOAD
    graph = TraceGraph(loaded.catalogue)
    verdicts = compute(graph, results)
    wanted = {"fail": {FAIL}, "fail,not-run": {FAIL, NOT_RUN}, "fail,not-run,stale": {FAIL, NOT_RUN, STALE}}
    failing = gate(graph, verdicts, wanted.get(args.fail_on, set()))
    render = {"json": results_json, "junit": results_junit}.get(args.format, results_text)
    sys.stdout.write(render(graph, verdicts, results, failing))
    return ExitCode.FINDINGS if failing else ExitCode.CLEAN


def _import_exchange(source: Path, out: Path, schema: str) -> int:
    """An ra2docs JSON export or a ReqIF file back into catalogue YAML."""
    from ra2docs.importer import dump
    from ra2docs.importer.exchange import from_json, from_reqif

    suffix = source.suffix.lower()
    if suffix == ".json":
        files = from_json(source)
    elif suffix in (".reqif", ".xml"):
        files = from_reqif(source)
    else:
        raise Ra2docsError(
            f"{source}: import reads a folder of spec chapters, an ra2docs .json export or a .reqif file"
        )
    out.mkdir(parents=True, exist_ok=True)
    count = 0
    for name, data in sorted(files.items()):
        items = data.get("items", [])
        count += len(items)
        write_file_no_follow(out / name, dump(data, [f"{source.name}" for _ in items], schema).encode("utf-8"))
    sys.stdout.write(f"wrote {len(files)} files with {count} items to {out}\nnext: ra2docs check {out}\n")
    return ExitCode.CLEAN


def cmd_export(args: argparse.Namespace) -> int:
    from ra2docs import export

    loaded, graph = _load_without_errors(args, _settings(args))
    kinds = [k for value in args.kind or [] for k in value.replace(",", " ").split()] or None
    for kind in kinds or []:
        if kind not in loaded.catalogue.kinds:
            raise Ra2docsError(f"--kind {kind!r}: unknown; kinds: {', '.join(loaded.catalogue.kinds)}")
    verdicts = None
    if args.results:
        from ra2docs.results import ResultsError, expand, read_all
        from ra2docs.results.verdicts import compute

        refused: list[ResultsError] = []
        results, problems = read_all(expand(args.results, Path.cwd(), refused), Path.cwd())
        if refused or problems:
            for problem in refused + problems:
                sys.stderr.write(for_terminal_finding(problem.finding) + "\n")
            return ExitCode.CANNOT_LOAD
        verdicts = compute(graph, results)
    out = Path(args.out)
    if args.format == "json":
        payload: str | bytes = export.json_text(graph, kinds, verdicts)
    elif args.format == "csv":
        payload = export.csv_text(graph, kinds)
    elif args.format == "xlsx":
        payload = export.xlsx_bytes(graph, kinds)
    elif args.format == "reqif":
        payload = export.reqif_text(graph, kinds)
    else:
        from ra2docs.escaping import json_dumps

        payload = json_dumps(export.needs_json(graph, kinds)) + "\n"
    if str(out) == "-":
        if isinstance(payload, bytes):
            raise Ra2docsError("XLSX cannot be written to standard output; give --out FILE")
        sys.stdout.write(payload)
        return ExitCode.CLEAN
    from ra2docs.outputs import OutputFolder

    # The bytes as they are (no newline translation: CSV lines end in CRLF inside and out).
    folder = OutputFolder(out.parent, force=args.force)
    try:
        folder.write(out.name, payload if isinstance(payload, bytes) else payload.encode("utf-8"))
    finally:
        folder.save()
    items = sum(1 for i in loaded.catalogue.items.values() if kinds is None or i.kind in kinds)
    sys.stderr.write(f"wrote {out} ({args.format}, {items} items)\n")
    return ExitCode.CLEAN


def cmd_lint(args: argparse.Namespace) -> int:
    from ra2docs import prose

    settings = _settings(args)
    folder = _catalogue_folder(args, settings)
    if not folder.is_dir():
        raise Ra2docsError(f"{folder}: no such catalogue folder (give it with --catalogue)")
    chapters = [Path(p) for p in args.files]
    for chapter in chapters:
        if not chapter.is_file() or chapter.suffix.lower() not in (".rst", ".md"):
            raise Ra2docsError(f"{chapter}: give .rst or .md files to lint beside the catalogue")
    config = Path(args.vale_config) if args.vale_config else prose.find_vale_config(folder)
    texts = prose.catalogue_texts(folder, settings.kinds())
    linter = prose.chosen_linter(args.linter)
    alerts = prose.lint(texts, chapters, linter, config, Path.cwd())
    if args.format == "rdjson":
        sys.stdout.write(prose.as_rdjson(alerts, linter, Path.cwd()))
    else:
        for alert in alerts:
            sys.stdout.write(for_terminal(alert.format()) + "\n")
        sys.stderr.write(f"{len(alerts)} alert(s) in {len(texts)} catalogue texts and {len(chapters)} file(s)\n")
    return ExitCode.FINDINGS if any(a.severity == "error" for a in alerts) else ExitCode.CLEAN


def cmd_adopt(args: argparse.Namespace) -> int:
    from ra2docs import adopt

    docdir = Path(args.docdir)
    if not docdir.is_dir():
        raise Ra2docsError(f"{docdir}: no such folder (give the Sphinx source folder, the one with conf.py)")
    result = adopt.plan(
        docdir, Path(args.catalogue) if args.catalogue else None, requirement=args.requirement, schema=args.schema
    )
    if args.dry_run:
        sys.stdout.write(result.diff())
        sys.stderr.write(adopt.summary(result))
        return ExitCode.CLEAN
    result.apply()
    sys.stdout.write(adopt.summary(result))
    if not result.nothing_to_do:
        sys.stdout.write(
            "next: review the change (git diff), build the site as before, and commit the chapters with the catalogue\n"
        )
    if result.nothing_to_do and any("still written by hand" in n for n in result.notes):
        return ExitCode.FINDINGS
    return ExitCode.CLEAN


def cmd_expand(args: argparse.Namespace) -> int:
    from ra2docs.expand import conf_catalogue, conf_value, expand_tree

    src = Path(args.src)
    if not src.is_dir():
        raise Ra2docsError(f"{src}: no such folder (give a Sphinx source folder)")
    folder = Path(args.catalogue) if args.catalogue else (conf_catalogue(src) or src / "catalogue")
    settings = settings_for(folder, Path(args.config) if args.config else None)
    loaded, graph = _load_without_errors(argparse.Namespace(catalogue=str(folder), config=args.config), settings)
    verdicts, results = None, []
    patterns = conf_value(src, "ra2docs_results")
    if isinstance(patterns, list) and all(isinstance(p, (str, dict)) for p in patterns):
        from ra2docs.results import expand_runs, read_all
        from ra2docs.results.verdicts import compute

        results, problems = read_all(expand_runs(patterns, src.resolve()), src.resolve())
        for problem in problems:
            sys.stderr.write(problem.finding.format() + "\n")
        if problems:
            return ExitCode.CANNOT_LOAD
        verdicts = compute(graph, results)
    history = None
    folder_name = conf_value(src, "ra2docs_history")
    if isinstance(folder_name, str) and folder_name:  # the site's entries tell their items' life: so does the copy
        from ra2docs.history import load as load_history
        from ra2docs.history_cli import cache_folder

        until = conf_value(src, "ra2docs_history_until")
        history = load_history((src / folder_name).resolve(), until if isinstance(until, str) else "", cache_folder())
    report = expand_tree(
        src, Path(args.out), loaded.catalogue, graph, verdicts=verdicts, results=results, history=history
    )
    for problem in report.problems:
        sys.stderr.write(f"warning: {problem}\n")
    counts = ", ".join(f"{n} {name}" for name, n in sorted(report.expanded.items())) or "no ra2docs directive"
    sys.stdout.write(f"expanded {args.src} into {args.out}: {report.files} .rst files, {counts}\n")
    return ExitCode.FINDINGS if report.problems else ExitCode.CLEAN


def cmd_schema(args: argparse.Namespace) -> int:
    sys.stdout.write(schema_text())
    return ExitCode.CLEAN


def cmd_rules(args: argparse.Namespace) -> int:
    for rule in all_rules().values():
        sys.stdout.write(f"{rule.code}  {rule.name:<26} {rule.severity:<8} {rule.summary}\n")
    return ExitCode.CLEAN


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: must be at least 1")
    return value


class _Parser(argparse.ArgumentParser):
    """argparse that exits with 2 and a one-line hint, as ra2docs does everywhere."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(ExitCode.CANNOT_LOAD, f"{self.prog}: error: {message}\n")


CATALOGUE_HELP = "catalogue folder (default: the settings' catalogue, else ./catalogue)"
CONFIG_HELP = (
    f"settings file: a {SETTINGS_FILE} or a pyproject.toml with [tool.ra2docs] "
    f"(default: the nearest {SETTINGS_FILE} or [tool.ra2docs] above the catalogue or current folder, "
    "up to the repository's top)"
)


def _add_catalogue_options(command: argparse.ArgumentParser) -> None:
    """--catalogue and --config, shared by the commands that read a catalogue from disk."""
    command.add_argument("--catalogue", help=CATALOGUE_HELP)
    command.add_argument("--config", help=CONFIG_HELP)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="ra2docs",
        description="Build, check and compare the RA2 requirement catalogue.",
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"ra2docs {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    check = sub.add_parser(
        "check",
        help="validate the catalogue and report every finding",
        description="Load and validate the catalogue without Sphinx and report every finding.",
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    check.add_argument("catalogue", nargs="?", help=CATALOGUE_HELP)
    check.add_argument(
        "--update-baseline",
        action="store_true",
        help="write the findings found now (errors and warnings) as the known ones, to the baseline file "
        "(ra2docs-baseline.json in the catalogue folder, or the settings' baseline), and exit 0",
    )
    check.add_argument(
        "--format",
        choices=["text", "json", "github", "junit", "sarif"],
        default="text",
        help="output: text (default), json, github (workflow annotations), junit (XML), sarif (2.1.0)",
    )
    check.add_argument(
        "-v", "--verbose", action="store_true", help="text, github and sarif output: show info-level findings too"
    )
    check.add_argument("--config", help=CONFIG_HELP)
    check.set_defaults(func=cmd_check)

    imp = sub.add_parser(
        "import",
        help="read upstream spec chapters (Markdown or RST tables) into catalogue YAML",
        description=(
            "Read RA2 and Reference Model chapters (every table with a spec ID in its first or second column, "
            "gaps, chapter 3's comparisons; Markdown pipe tables, or reStructuredText list, simple, grid and csv "
            "tables) and write catalogue YAML, keeping upstream wording. Everything "
            "that could not be mapped is reported as file:line; a summary gives rows, items and links per file."
        ),
        epilog=EXIT_CODES_HELP.replace("findings at error level", "some input could not be fully mapped"),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    imp.add_argument(
        "source",
        metavar="SOURCE",
        help="folder of spec chapters (searched recursively), or an ra2docs .json export or .reqif file",
    )
    imp.add_argument("--out", required=True, metavar="CATALOGUE_DIR", help="folder to write the catalogue to")
    imp.add_argument("--format", choices=["md", "rst", "auto"], default="auto", help="source format (default: auto)")
    imp.add_argument(
        "--schema",
        help="schema on each file's yaml-language-server line (default: catalogue.schema.json, written beside them)",
    )
    imp.add_argument(
        "--exact",
        action="store_true",
        help="keep the markup of every cell exactly, not only its words (what `ra2docs adopt` does)",
    )
    imp.add_argument("--force", action="store_true", help="overwrite catalogue files already in CATALOGUE_DIR")
    imp.set_defaults(func=cmd_import)

    dif = sub.add_parser(
        "diff",
        help="what a change to the catalogue adds, breaks or uncovers, between two git revisions",
        description=(
            "Compare the catalogue at BASE with HEAD (default: the working tree): items added, removed, "
            "renamed and changed field by field, links gained and lost, findings introduced and fixed, "
            "coverage before and after, and the generated pages that change."
        ),
        epilog=EXIT_CODES_HELP.replace(
            "findings at error level (or a --fail-on gate tripped)", "the --fail-on gate tripped"
        )
        .replace("clean: no finding at error level", "compared, and the --fail-on gate did not trip")
        .replace(
            "bad options)",
            "bad options, a bad revision,\n"
            "     not a git repository, git missing, the HEAD side's catalogue unreadable)",
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    dif.add_argument("base", metavar="BASE", help="git revision to compare from (e.g. origin/main)")
    dif.add_argument("head", metavar="HEAD", nargs="?", help="git revision to compare to (default: the working tree)")
    dif.add_argument("--format", choices=["text", "json", "markdown"], default="text", help="output format")
    dif.add_argument("--results", metavar="FOLDER", help="also report verdict regressions of the result files there")
    dif.add_argument(
        "--catalogue",
        help="catalogue folder, inside the repository (default: [tool.ra2docs] catalogue, else ./catalogue)",
    )
    dif.add_argument(
        "--fail-on",
        choices=["never", "new-findings", "new-errors"],
        default="never",
        help="exit 1 when the change introduces findings (errors or warnings), or errors only",
    )
    dif.add_argument(
        "--max-chars",
        type=_positive_int,
        default=60_000,
        metavar="N",
        help="markdown: the comment's size limit in characters (default: 60000; GitHub allows 65536); "
        "what does not fit is counted in a folded summary",
    )
    dif.add_argument(
        "--report-file",
        action="append",
        metavar="PATH",
        help="also write the full report to PATH: .md (Markdown), .json or .txt by its name (repeatable)",
    )
    dif.add_argument(
        "--report-url",
        metavar="URL",
        help="markdown: link the comment to the full report there (e.g. the workflow run with the artifact)",
    )
    dif.add_argument("--config", help=CONFIG_HELP)
    dif.set_defaults(func=cmd_diff)

    res = sub.add_parser(
        "results",
        help="verdicts of the catalogue's items from conformance test results",
        description=(
            "Read result files (Kubernetes e2e / Sonobuoy JUnit XML or tarball, sonobuoy_results.yaml, Xtesting "
            "records, CNF test suite results) and print each test case's and each item's verdict: pass, fail, "
            "skipped, not run or stale."
        ),
        epilog=EXIT_CODES_HELP.replace(
            "findings at error level (or a --fail-on gate tripped)", "a mandatory item is in a --fail-on state"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    res.add_argument("files", metavar="RESULT_FILE", nargs="*", help="result files or glob patterns")
    res.add_argument("--label", help="where the files' results ran (environment, product or vendor): their runs' label")
    res.add_argument(
        "--run",
        action="append",
        metavar="LABEL=FILES",
        help="result files (a glob) of one environment, product or vendor; repeat for each",
    )
    api = res.add_argument_group("the test database (TestAPI) over HTTP")
    api.add_argument("--testapi", metavar="URL", help="fetch results from a TestAPI (e.g. .../api/v1/results)")
    api.add_argument(
        "--cache",
        metavar="FILE",
        default="testapi-results.json",
        help="where the fetched results are written, for builds to read offline (default: testapi-results.json)",
    )
    for name in ("project", "case", "pod", "installer", "version", "scenario", "criteria", "build_tag", "from", "to"):
        api.add_argument(f"--{name.replace('_', '-')}", dest=f"testapi_{name}", metavar="VALUE", help=f"TestAPI {name}")
    api.add_argument("--timeout", type=float, default=30.0, help="seconds per request (default: 30)")
    api.add_argument("--retries", type=int, default=3, help="retries after a network error or a 5xx (default: 3)")
    res.add_argument("--format", choices=["text", "json", "junit"], default="text", help="output format")
    res.add_argument(
        "--fail-on",
        choices=["fail", "fail,not-run", "fail,not-run,stale", "never"],
        default="fail,not-run",
        help="verdicts of mandatory items that make the exit code 1 (default: fail,not-run)",
    )
    _add_catalogue_options(res)
    res.set_defaults(func=cmd_results)

    exp = sub.add_parser(
        "export",
        help="write the catalogue as JSON, CSV, XLSX, ReqIF or a sphinx-needs needs.json",
        description=(
            "Write every item with all its fields and its links both ways. JSON (schema: "
            "ra2docs/schema/export.schema.json) and ReqIF 1.2 can be imported back without loss; needs.json "
            "can be read by sphinx-needs' needimport (IDs without dots; the original is in 'ra2_id')."
        ),
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    exp.add_argument("--format", choices=["json", "csv", "xlsx", "reqif", "needs-json"], required=True)
    exp.add_argument("--out", required=True, metavar="FILE", help="file to write ('-' for standard output)")
    exp.add_argument("--kind", action="append", help="only items of these kinds (repeat, or comma-separated)")
    exp.add_argument("--results", action="append", help="result files or globs: add each item's verdict (JSON)")
    exp.add_argument("--force", action="store_true", help="overwrite FILE even if ra2docs did not write it")
    _add_catalogue_options(exp)
    exp.set_defaults(func=cmd_export)

    ado = sub.add_parser(
        "adopt",
        help="convert a hand-written Sphinx spec tree: its ID tables into the catalogue and ra2:table directives",
        description=(
            "Import every table whose first or second column holds IDs into the catalogue, replace each with the "
            "ra2:table directive that renders it (same caption, number, rows and cells), add the extension to "
            "conf.py and wire `ra2docs expand` into the GSMA Word job. A table is only replaced when the catalogue "
            "gives back each of its cells exactly. Running it again changes nothing."
        ),
        epilog=EXIT_CODES_HELP.replace(
            "findings at error level (or a --fail-on gate tripped)", "tables with IDs remain, but a catalogue exists"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ado.add_argument("docdir", metavar="DOCDIR", help="the Sphinx source folder (the one with conf.py)")
    ado.add_argument("--catalogue", help="catalogue folder to create (default: DOCDIR/catalogue)")
    ado.add_argument("--dry-run", action="store_true", help="print the unified diff instead of writing")
    ado.add_argument(
        "--requirement",
        default="",
        metavar="SPEC",
        help="add ra2docs to DOCDIR/test-requirements.txt as SPEC: a version (ra2docs==0.1.0), a URL "
        "(git+https://...) or a path pip can reach; without it, adopt only says where to add it",
    )
    ado.add_argument(
        "--schema",
        default="",
        metavar="URL",
        help="name this JSON Schema (e.g. where you publish `ra2docs schema`) on the catalogue files' "
        "yaml-language-server line; without it no schema line is written and no schema is copied",
    )
    ado.set_defaults(func=cmd_adopt)

    lin = sub.add_parser(
        "lint",
        help="run Vale (or proselint) on the catalogue's texts, each alert placed on its YAML line",
        description=(
            "Write every text of the catalogue into reStructuredText files, run the prose linter on them with the "
            "tree's own Vale configuration (.vale.ini, its styles and vocabulary), and report each alert at the "
            "YAML file, line and column that hold the text. FILES (.rst, .md) are linted as they are, alongside. "
            "--format rdjson is for reviewdog (reviewdog -f=rdjson), which comments on a pull request's changed lines."
        ),
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    lin.add_argument("files", nargs="*", metavar="FILES", help="chapter files to lint as they are")
    lin.add_argument(
        "--linter",
        choices=["auto", "vale", "proselint"],
        default="auto",
        help="vale (default when installed) or proselint (pip install 'ra2docs[lint]')",
    )
    lin.add_argument("--vale-config", help="Vale's configuration (default: the nearest .vale.ini above the catalogue)")
    lin.add_argument(
        "--format", choices=["text", "rdjson"], default="text", help="text (default) or rdjson (reviewdog)"
    )
    _add_catalogue_options(lin)
    lin.set_defaults(func=cmd_lint)

    exd = sub.add_parser(
        "expand",
        help="copy a Sphinx source tree with every ra2docs directive written out as plain reStructuredText",
        description=(
            "Copy SRC to OUT, writing every ra2docs directive out as the plain reStructuredText it renders "
            "(tables and comparisons as list-tables with their caption, options and header rows; entries, "
            "matrices, coverage, gaps and results as tables and text; a graph as a sentence) and :ra2:item: "
            "roles as their IDs, for pandoc and other tools that do not run Sphinx with ra2docs. Folders whose "
            ".gitignore ignores everything (generated pages) are not copied."
        ),
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    exd.add_argument("src", metavar="SRC", help="the Sphinx source folder")
    exd.add_argument("out", metavar="OUT", help="a new (or empty) folder for the copy")
    _add_catalogue_options(exd)
    exd.set_defaults(func=cmd_expand)

    add_history_parser(sub, EXIT_CODES_HELP)

    schema = sub.add_parser("schema", help="print the catalogue's JSON Schema")
    schema.set_defaults(func=cmd_schema)

    rules = sub.add_parser("rules", help="list the check rules with their codes and default severities")
    rules.set_defaults(func=cmd_rules)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Callable[[argparse.Namespace], int] | None = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return ExitCode.CANNOT_LOAD
    try:
        return int(func(args))
    except Ra2docsError as exc:
        # The message may quote input (file names, IDs): shown, never sent to the terminal as controls.
        message = "\n".join(for_terminal(line) for line in str(exc).split("\n"))
        sys.stderr.write(f"ra2docs: error: {message}\n")
        return ExitCode.CANNOT_LOAD
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return ExitCode.CLEAN


def console_main() -> int:
    """The ``ra2docs`` program: the process is its own, so loading and checking may pause
    the garbage collector and fork a worker (``ra2docs.process``); ``main`` called in-process does neither."""
    with owned():
        return main()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(console_main())
