"""``ra2docs adopt``: a hand-written Sphinx spec tree's ID tables into the catalogue and ra2:table directives."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ra2docs.commands.common import Console, add_command
from ra2docs.findings import ExitCode, Ra2docsError


def add_parser(sub: Any) -> None:
    command = add_command(
        sub,
        "adopt",
        "convert a hand-written Sphinx spec tree: its ID tables into the catalogue and ra2:table directives",
        "Import every table whose first or second column holds IDs into the catalogue, replace each with the "
        "ra2:table directive that renders it (same caption, number, rows and cells), add the extension to "
        "conf.py and wire `ra2docs expand` into the GSMA Word job. A table is only replaced when the catalogue "
        "gives back each of its cells exactly. Running it again changes nothing.",
        findings="tables with IDs remain, but a catalogue exists",
    )
    command.add_argument("docdir", metavar="DOCDIR", help="the Sphinx source folder (the one with conf.py)")
    command.add_argument("--catalogue", metavar="FOLDER", help="catalogue folder to create (default: DOCDIR/catalogue)")
    command.add_argument("--dry-run", action="store_true", help="print the unified diff instead of writing")
    command.add_argument(
        "--requirement",
        default="",
        metavar="SPEC",
        help="add ra2docs to DOCDIR/test-requirements.txt as SPEC: a version (ra2docs==0.1.0), a URL "
        "(git+https://...) or a path pip can reach; without it, adopt only says where to add it",
    )
    command.add_argument(
        "--schema",
        default="",
        metavar="URL",
        help="name this JSON Schema (e.g. where you publish `ra2docs schema`) on the catalogue files' "
        "yaml-language-server line; without it no schema line is written and no schema is copied",
    )
    command.set_defaults(handler=run)


def run(args: argparse.Namespace, console: Console) -> int:
    from ra2docs import adopt

    docdir = Path(args.docdir)
    if not docdir.is_dir():
        raise Ra2docsError(f"{docdir}: no such folder (give the Sphinx source folder, the one with conf.py)")
    result = adopt.plan(
        docdir, Path(args.catalogue) if args.catalogue else None, requirement=args.requirement, schema=args.schema
    )
    if args.dry_run:
        console.document(result.diff())
        console.err(adopt.summary(result))
        return ExitCode.CLEAN
    result.apply()
    console.out(adopt.summary(result))
    if not result.nothing_to_do:
        console.out(
            "next: review the change (git diff), build the site as before, and commit the chapters with the catalogue\n"
        )
    if result.nothing_to_do and any("still written by hand" in n for n in result.notes):
        return ExitCode.FINDINGS
    return ExitCode.CLEAN
