"""``ra2docs check``: validate the catalogue and report every finding."""

from __future__ import annotations

import argparse
import gc
from pathlib import Path
from typing import Any

from ra2docs import __version__
from ra2docs.check import analyse
from ra2docs.commands.common import (
    CATALOGUE_HELP,
    Console,
    add_catalogue_options,
    add_command,
    catalogue_folder,
    deprecated_spelling,
    load,
    settings_of,
)
from ra2docs.findings import ExitCode, Finding, Ra2docsError
from ra2docs.loader import LoadResult
from ra2docs.process import collector_paused
from ra2docs.report import as_github, as_json, as_junit, as_sarif, as_text, summary
from ra2docs.settings import Settings


def add_parser(sub: Any) -> None:
    command = add_command(
        sub,
        "check",
        "validate the catalogue and report every finding",
        "Load and validate the catalogue without Sphinx and report every finding.",
    )
    # The folder as a positional, the first spelling: read, with a warning (--catalogue is the one documented).
    command.add_argument("catalogue_positional", nargs="?", metavar="CATALOGUE", help=argparse.SUPPRESS)
    command.add_argument(
        "--update-baseline",
        action="store_true",
        help="write the findings found now (errors and warnings) as the known ones, to the baseline file "
        "(ra2docs-baseline.json in the catalogue folder, or the settings' baseline), and exit 0",
    )
    command.add_argument(
        "--format",
        choices=["text", "json", "github", "junit", "sarif"],
        default="text",
        help="output: text (default), json, github (workflow annotations), junit (XML), sarif (2.1.0)",
    )
    command.add_argument(
        "-v", "--verbose", action="store_true", help="text, github and sarif output: show info-level findings too"
    )
    add_catalogue_options(command, CATALOGUE_HELP)
    command.set_defaults(handler=run)


def run(args: argparse.Namespace, console: Console) -> int:
    if args.catalogue_positional:
        if args.catalogue and args.catalogue != args.catalogue_positional:
            raise Ra2docsError("give the catalogue folder once: --catalogue FOLDER")
        args.catalogue = args.catalogue_positional
        deprecated_spelling(args, f"'check {args.catalogue_positional}'", f"'check --catalogue {args.catalogue}'")
    settings = settings_of(args)
    folder = catalogue_folder(args, settings)
    options = settings.check_options(folder)
    # The command exits once it has reported: what loading and analysing made lives to the end
    # and holds no cycles. Frozen, the collector leaves it alone; let loose, it would go through
    # every one of those objects as young, then as middle-aged ones (13% of checking 100,000 items).
    # Only in a process of its own (console_main): an in-process caller keeps its collector.
    with collector_paused(then=gc.freeze):
        result = load(folder, settings)
        findings = analyse(result, options)
    if args.update_baseline:
        return _update_baseline(settings, folder, result, findings, console)
    info = summary(findings, len(result.catalogue.files), len(result.catalogue.items))
    if args.format == "json":
        console.document(as_json(findings, info))
    elif args.format == "github":
        console.document(as_github(findings, info, verbose=args.verbose))
    elif args.format == "junit":
        console.document(as_junit(findings, info))
    elif args.format == "sarif":
        console.document(as_sarif(findings, info, __version__, verbose=args.verbose))
    else:
        console.out(as_text(findings, info, color=console.colour, verbose=args.verbose))
    if result.fatal:
        return ExitCode.CANNOT_LOAD
    return ExitCode.FINDINGS if info["errors"] else ExitCode.CLEAN


def _update_baseline(
    settings: Settings, folder: Path, result: LoadResult, findings: list[Finding], console: Console
) -> int:
    from ra2docs import baseline
    from ra2docs.outputs import replace_files
    from ra2docs.rules.ra106_stale_baseline import CODE as STALE_BASELINE

    if result.fatal:
        for finding in findings:
            if finding.severity == "error":
                console.finding(finding)
        raise Ra2docsError(f"the catalogue in {folder} cannot be read: no baseline written")
    path = settings.baseline or folder / baseline.BASELINE_FILE
    kept = [f for f in findings if f.rule != STALE_BASELINE]
    replace_files({path: baseline.text(kept)})
    count = sum(1 for f in kept if f.severity in ("error", "warning"))
    console.out(f"wrote {path}: {count} known finding(s); review it like any change to the catalogue\n")
    return ExitCode.CLEAN
