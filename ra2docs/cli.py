"""The ``ra2docs`` command line."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ra2docs import __version__
from ra2docs.check import analyse
from ra2docs.config import find_pyproject, load_config
from ra2docs.findings import SEVERITIES, ExitCode, Ra2docsError
from ra2docs.loader import load_catalogue
from ra2docs.report import as_github, as_json, as_junit, as_sarif, as_text, summary
from ra2docs.rules import all_rules
from ra2docs.schema import did_you_mean, schema_text

EXIT_CODES_HELP = """exit codes:
  0  clean: no finding at error level
  1  findings at error level (or a --fail-on gate tripped)
  2  the input could not be read (missing folder, YAML syntax, bad settings, bad options)
"""


def _settings(args: argparse.Namespace) -> dict[str, Any]:
    pyproject = Path(args.config) if getattr(args, "config", None) else find_pyproject(Path.cwd())
    return load_config(pyproject)


def severity_overrides(settings: dict[str, Any]) -> dict[str, str]:
    table = settings.get("severity", {})
    if not isinstance(table, dict):
        raise Ra2docsError("[tool.ra2docs.severity] must be a table of rule = severity")
    rules = all_rules()
    names = {r.name for r in rules.values()}
    for key, value in table.items():
        if key not in rules and key not in names:
            hint = did_you_mean(key, [*rules, *names])
            raise Ra2docsError(
                f"[tool.ra2docs.severity]: unknown rule {key!r}" + (f"; did you mean {hint!r}?" if hint else "")
            )
        if value not in (*SEVERITIES, "off"):
            raise Ra2docsError(f"[tool.ra2docs.severity]: {key} = {value!r}; use one of: error, warning, info, off")
    return dict(table)


def cmd_check(args: argparse.Namespace) -> int:
    settings = _settings(args)
    folder = Path(args.catalogue or settings.get("catalogue", "catalogue"))
    overrides = severity_overrides(settings)
    result = load_catalogue(folder)
    findings = analyse(result, {"severity": overrides})
    info = summary(findings, len(result.catalogue.files), len(result.catalogue.items))
    if args.format == "json":
        sys.stdout.write(as_json(findings, info))
    elif args.format == "github":
        sys.stdout.write(as_github(findings, info, verbose=args.verbose))
    elif args.format == "junit":
        sys.stdout.write(as_junit(findings, info))
    elif args.format == "sarif":
        sys.stdout.write(as_sarif(findings, info, __version__))
    else:
        sys.stdout.write(as_text(findings, info, color=sys.stdout.isatty(), verbose=args.verbose))
    if result.fatal:
        return ExitCode.CANNOT_LOAD
    return ExitCode.FINDINGS if info["errors"] else ExitCode.CLEAN


def cmd_import(args: argparse.Namespace) -> int:
    from ra2docs import importer

    source = Path(args.source)
    out = Path(args.out)
    if not source.is_dir():
        raise Ra2docsError(f"{source}: no such folder (give the folder that holds the spec chapters)")
    existing = sorted(out.glob("*.y*ml")) if out.is_dir() else []
    if existing and not args.force:
        raise Ra2docsError(
            f"{out} already holds catalogue files ({existing[0].name}, ...); "
            "import into an empty folder, or add --force to overwrite files of the same names"
        )
    schema_path = Path(importer.__file__).resolve().parent.parent / "schema" / "catalogue.schema.json"
    schema = args.schema or os.path.relpath(schema_path, out.resolve())
    result = importer.build(source, args.format, base=Path.cwd(), schema=schema)
    for note in result.notes:
        sys.stdout.write(note.format() + "\n")
    sys.stdout.write("\nread:\n")
    for name, stats in result.collected.stats.items():
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


def cmd_diff(args: argparse.Namespace) -> int:
    from ra2docs import diff

    settings = _settings(args)
    overrides = severity_overrides(settings)
    root = diff.repository_root(Path.cwd())
    catalogue = args.catalogue or settings.get("catalogue", "catalogue")
    folder = Path(catalogue)
    if folder.is_absolute():
        try:
            folder = folder.resolve().relative_to(root.resolve())
        except ValueError:
            raise Ra2docsError(f"{catalogue}: the catalogue folder must be inside the git repository {root}") from None
    report = diff.diff(
        root,
        args.base,
        args.head or diff.WORKTREE,
        folder.as_posix(),
        {"severity": overrides},
        templates=args.templates,
    )
    render = {"json": diff.as_json, "markdown": diff.as_markdown}.get(args.format, diff.as_text)
    sys.stdout.write(render(report))
    if report.head_fatal:
        return ExitCode.CANNOT_LOAD
    if args.fail_on == "new-findings" and any(f.severity in ("error", "warning") for f in report.findings_introduced):
        return ExitCode.FINDINGS
    if args.fail_on == "new-errors" and any(f.severity == "error" for f in report.findings_introduced):
        return ExitCode.FINDINGS
    return ExitCode.CLEAN


def cmd_schema(args: argparse.Namespace) -> int:
    sys.stdout.write(schema_text())
    return ExitCode.CLEAN


def cmd_rules(args: argparse.Namespace) -> int:
    for rule in all_rules().values():
        sys.stdout.write(f"{rule.code}  {rule.name:<26} {rule.severity:<8} {rule.summary}\n")
    return ExitCode.CLEAN


class _Parser(argparse.ArgumentParser):
    """argparse that exits with 2 and a one-line hint, as ra2docs does everywhere."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(ExitCode.CANNOT_LOAD, f"{self.prog}: error: {message}\n")


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
    check.add_argument(
        "catalogue", nargs="?", help="catalogue folder (default: [tool.ra2docs] catalogue, else ./catalogue)"
    )
    check.add_argument(
        "--format",
        choices=["text", "json", "github", "junit", "sarif"],
        default="text",
        help="output: text (default), json, github (workflow annotations), junit (XML), sarif (2.1.0)",
    )
    check.add_argument("-v", "--verbose", action="store_true", help="text output: show info-level findings too")
    check.add_argument("--config", help="pyproject.toml to read [tool.ra2docs] from (default: the nearest one)")
    check.set_defaults(func=cmd_check)

    imp = sub.add_parser(
        "import",
        help="read upstream spec chapters (Markdown or RST tables) into catalogue YAML",
        description=(
            "Read RA2 chapters 2, 4 and 6 and Reference Model chapters 4, 5 and 7 (Markdown pipe tables or "
            "reStructuredText list-tables) and write catalogue YAML, keeping upstream wording. Everything "
            "that could not be mapped is reported as file:line; a summary gives rows, items and links per file."
        ),
        epilog=EXIT_CODES_HELP.replace("findings at error level", "some input could not be fully mapped"),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    imp.add_argument("source", metavar="SOURCE_DIR", help="folder of spec chapters (searched recursively)")
    imp.add_argument("--out", required=True, metavar="CATALOGUE_DIR", help="folder to write the catalogue to")
    imp.add_argument("--format", choices=["md", "rst", "auto"], default="auto", help="source format (default: auto)")
    imp.add_argument("--schema", help="schema path for the files' yaml-language-server line (default: the package's)")
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
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    dif.add_argument("base", metavar="BASE", help="git revision to compare from (e.g. origin/main)")
    dif.add_argument("head", metavar="HEAD", nargs="?", help="git revision to compare to (default: the working tree)")
    dif.add_argument("--format", choices=["text", "json", "markdown"], default="text", help="output format")
    dif.add_argument("--catalogue", help="catalogue folder in the repository (default: [tool.ra2docs] catalogue)")
    dif.add_argument("--templates", default="templates", help="templates folder, to list the pages that change")
    dif.add_argument(
        "--fail-on",
        choices=["never", "new-findings", "new-errors"],
        default="never",
        help="exit 1 when the change introduces findings (errors or warnings), or errors only",
    )
    dif.add_argument("--config", help="pyproject.toml to read [tool.ra2docs] from (default: the nearest one)")
    dif.set_defaults(func=cmd_diff)

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
        sys.stderr.write(f"ra2docs: error: {exc}\n")
        return ExitCode.CANNOT_LOAD
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return ExitCode.CLEAN


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
