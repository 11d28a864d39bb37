"""``ra2docs diff``: what a change to the catalogue adds, breaks or uncovers, between two git revisions."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ra2docs.commands.common import Console, add_catalogue_options, add_command, positive_int, settings_of
from ra2docs.findings import ExitCode, Ra2docsError
from ra2docs.outputs import write_file_no_follow

if TYPE_CHECKING:
    from ra2docs.diff import Report

REPORT_FORMATS = {".md": "markdown", ".markdown": "markdown", ".json": "json", ".txt": "text"}


def add_parser(sub: Any) -> None:
    command = add_command(
        sub,
        "diff",
        "what a change to the catalogue adds, breaks or uncovers, between two git revisions",
        "Compare the catalogue at BASE with HEAD (default: the working tree): items added, removed, "
        "renamed and changed field by field, links gained and lost, findings introduced and fixed, "
        "coverage before and after, and the generated pages that change.",
        clean="compared, and the --fail-on gate did not trip",
        findings="the --fail-on gate tripped",
        unreadable="the input could not be read (missing folder, YAML syntax, bad settings, bad options, a bad "
        "revision, not a git repository, git missing, the HEAD side's catalogue unreadable)",
    )
    command.add_argument("base", metavar="BASE", help="git revision to compare from (e.g. origin/main)")
    command.add_argument(
        "head", metavar="HEAD", nargs="?", help="git revision to compare to (default: the working tree)"
    )
    command.add_argument("--format", choices=["text", "json", "markdown"], default="text", help="output format")
    command.add_argument(
        "--results", metavar="FOLDER", help="also report verdict regressions of the result files there"
    )
    command.add_argument(
        "--fail-on",
        choices=["never", "new-findings", "new-errors"],
        default="never",
        help="exit 1 when the change introduces findings (errors or warnings), or errors only",
    )
    command.add_argument(
        "--max-chars",
        type=positive_int,
        default=60_000,
        metavar="N",
        help="markdown: the comment's size limit in characters (default: 60000; GitHub allows 65536); "
        "what does not fit is counted in a folded summary",
    )
    command.add_argument(
        "--report-file",
        action="append",
        metavar="PATH",
        help="also write the full report to PATH: .md (Markdown), .json or .txt by its name (repeatable)",
    )
    command.add_argument(
        "--report-url",
        metavar="URL",
        help="markdown: link the comment to the full report there (e.g. the workflow run with the artifact)",
    )
    add_catalogue_options(
        command, "catalogue folder, inside the repository (default: [tool.ra2docs] catalogue, else ./catalogue)"
    )
    command.set_defaults(handler=run)


def run(args: argparse.Namespace, console: Console) -> int:
    from ra2docs import diff

    # Options are checked before the (slow) comparison, so a typo fails at once.
    for path in args.report_file or []:
        if Path(path).suffix.lower() not in REPORT_FORMATS:
            raise Ra2docsError(f"--report-file {path}: name it .md, .json or .txt (the format follows the name)")
    if args.results and args.format == "json":
        raise Ra2docsError("--results: verdict regressions are reported in the text and markdown formats")
    if args.report_url and not diff.is_report_url(args.report_url):
        raise Ra2docsError(f"--report-url {args.report_url!r}: give an http(s) URL without spaces or brackets")
    settings = settings_of(args)
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
    explicit = settings if args.config else None  # settings_of read --config's file above
    from_settings = not args.catalogue and explicit is None
    report = diff.diff(root, args.base, args.head or diff.WORKTREE, folder.as_posix(), explicit, from_settings)
    for label, entry in report.skipped:
        console.warning(f"{label}: {entry.path}: not read: {entry.reason}")
    renderers: dict[str, Callable[[Report], str]] = {
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
        console.document(
            diff.as_markdown(
                report, max_chars=args.max_chars, report_url=args.report_url, report_files=args.report_file or []
            )
        )
    elif args.format == "json":
        console.document(diff.as_json(report))
    else:
        console.out(diff.as_text(report))
    if args.results:  # verdicts of both sides, from the result files of each
        changes, unreadable = diff.verdict_regressions(
            root, args.base, args.head or diff.WORKTREE, folder.as_posix(), args.results
        )
        for problem in unreadable:
            console.warning(problem)
        console.out(diff.verdict_regressions_text(changes, args.results))
    if report.head_fatal:
        return ExitCode.CANNOT_LOAD
    if args.fail_on == "new-findings" and any(f.severity in ("error", "warning") for f in report.findings_introduced):
        return ExitCode.FINDINGS
    if args.fail_on == "new-errors" and any(f.severity == "error" for f in report.findings_introduced):
        return ExitCode.FINDINGS
    return ExitCode.CLEAN
