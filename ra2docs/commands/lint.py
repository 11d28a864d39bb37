"""``ra2docs lint``: Vale (or proselint) on the catalogue's texts, each alert placed on its YAML line."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ra2docs.commands.common import Console, add_catalogue_options, add_command, catalogue_folder, settings_of
from ra2docs.escaping import for_terminal
from ra2docs.findings import ExitCode, Ra2docsError


def add_parser(sub: Any) -> None:
    command = add_command(
        sub,
        "lint",
        "run Vale (or proselint) on the catalogue's texts, each alert placed on its YAML line",
        "Write every text of the catalogue into reStructuredText files, run the prose linter on them with the "
        "tree's own Vale configuration (.vale.ini, its styles and vocabulary), and report each alert at the "
        "YAML file, line and column that hold the text. FILES (.rst, .md) are linted as they are, alongside. "
        "--format rdjson is for reviewdog (reviewdog -f=rdjson), which comments on a pull request's changed lines.",
    )
    command.add_argument("files", nargs="*", metavar="FILES", help="chapter files to lint as they are")
    command.add_argument(
        "--linter",
        choices=["auto", "vale", "proselint"],
        default="auto",
        help="vale (default when installed) or proselint (pip install 'ra2docs[lint]')",
    )
    command.add_argument(
        "--vale-config", help="Vale's configuration (default: the nearest .vale.ini above the catalogue)"
    )
    command.add_argument(
        "--format", choices=["text", "rdjson"], default="text", help="text (default) or rdjson (reviewdog)"
    )
    add_catalogue_options(command)
    command.set_defaults(handler=run)


def run(args: argparse.Namespace, console: Console) -> int:
    from ra2docs import prose

    settings = settings_of(args)
    folder = catalogue_folder(args, settings)
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
        console.document(prose.as_rdjson(alerts, linter, Path.cwd()))
    else:
        for alert in alerts:
            console.out(for_terminal(alert.format()) + "\n")  # one line: its own line ends shown
        console.err(f"{len(alerts)} alert(s) in {len(texts)} catalogue texts and {len(chapters)} file(s)\n")
    return ExitCode.FINDINGS if any(a.severity == "error" for a in alerts) else ExitCode.CLEAN
