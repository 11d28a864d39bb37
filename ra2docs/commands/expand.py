"""``ra2docs expand``: a copy of a Sphinx source tree with every ra2docs directive written out as plain RST."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ra2docs.commands.common import (
    Console,
    add_catalogue_options,
    add_command,
    catalogue_folder,
    load_without_errors,
    read_results,
)
from ra2docs.findings import ExitCode, Ra2docsError
from ra2docs.settings import settings_for


def add_parser(sub: Any) -> None:
    command = add_command(
        sub,
        "expand",
        "copy a Sphinx source tree with every ra2docs directive written out as plain reStructuredText",
        "Copy SRC to OUT, writing every ra2docs directive out as the plain reStructuredText it renders "
        "(tables and comparisons as list-tables with their caption, options and header rows; entries, "
        "matrices, coverage, gaps and results as tables and text; a graph as a sentence) and :ra2:item: "
        "roles as their IDs, for pandoc and other tools that do not run Sphinx with ra2docs. Folders whose "
        ".gitignore ignores everything (generated pages) are not copied.",
        findings="some directive could not be written out (each is reported)",
    )
    command.add_argument("src", metavar="SRC", help="the Sphinx source folder")
    command.add_argument("out", metavar="OUT", help="a new (or empty) folder for the copy")
    add_catalogue_options(
        command, "catalogue folder (default: the one SRC/conf.py names in ra2docs_catalogue, else SRC/catalogue)"
    )
    command.set_defaults(handler=run)


def run(args: argparse.Namespace, console: Console) -> int:
    from ra2docs.expand import conf_catalogue, conf_value, expand_tree

    src = Path(args.src)
    if not src.is_dir():
        raise Ra2docsError(f"{src}: no such folder (give a Sphinx source folder)")
    folder = Path(args.catalogue) if args.catalogue else (conf_catalogue(src) or src / "catalogue")
    settings = settings_for(folder, Path(args.config) if args.config else None)
    folder = catalogue_folder(argparse.Namespace(catalogue=str(folder)), settings)
    loaded, graph = load_without_errors(folder, settings, console)
    verdicts, results = None, []
    patterns = conf_value(src, "ra2docs_results")
    if isinstance(patterns, list) and all(isinstance(p, (str, dict)) for p in patterns):
        from ra2docs.results.verdicts import compute

        # The site's result files, relative to its conf.py as in the build; a refused one stops the copy.
        read = read_results(patterns, src.resolve(), console)
        if read is None:
            return ExitCode.CANNOT_LOAD
        results = read
        verdicts = compute(graph, results)
    history = None
    folder_name = conf_value(src, "ra2docs_history")
    if isinstance(folder_name, str) and folder_name:  # the site's entries tell their items' life: so does the copy
        from ra2docs.history import cache_folder
        from ra2docs.history import load as load_history

        until = conf_value(src, "ra2docs_history_until")
        history = load_history((src / folder_name).resolve(), until if isinstance(until, str) else "", cache_folder())
    report = expand_tree(
        src, Path(args.out), loaded.catalogue, graph, verdicts=verdicts, results=results, history=history
    )
    for problem in report.problems:
        console.warning(str(problem))
    counts = ", ".join(f"{n} {name}" for name, n in sorted(report.expanded.items())) or "no ra2docs directive"
    console.out(f"expanded {args.src} into {args.out}: {report.files} .rst files, {counts}\n")
    return ExitCode.FINDINGS if report.problems else ExitCode.CLEAN
