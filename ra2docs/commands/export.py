"""``ra2docs export``: the catalogue as JSON, CSV, XLSX, ReqIF or a sphinx-needs needs.json."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ra2docs.commands.common import (
    Console,
    OldSpelling,
    add_catalogue_options,
    add_command,
    catalogue_folder,
    load_without_errors,
    read_results,
    settings_of,
)
from ra2docs.findings import ExitCode, Ra2docsError


def add_parser(sub: Any) -> None:
    command = add_command(
        sub,
        "export",
        "write the catalogue as JSON, CSV, XLSX, ReqIF or a sphinx-needs needs.json",
        "Write every item with all its fields and its links both ways. JSON (schema: "
        "ra2docs/schema/export.schema.json) and ReqIF 1.2 can be imported back without loss; needs.json "
        "can be read by sphinx-needs' needimport (IDs without dots; the original is in 'ra2_id').",
    )
    command.add_argument("--format", choices=["json", "csv", "xlsx", "reqif", "needs-json"], required=True)
    command.add_argument("-o", "--output", metavar="FILE", help="the file to write, '-' for standard output (required)")
    command.add_argument("--out", dest="output", action=OldSpelling, instead="--output")
    command.add_argument("--kind", action="append", help="only items of these kinds (repeat, or comma-separated)")
    command.add_argument("--results", action="append", help="result files or globs: add each item's verdict (JSON)")
    command.add_argument("--force", action="store_true", help="overwrite FILE even if ra2docs did not write it")
    add_catalogue_options(command)
    command.set_defaults(handler=run)


def run(args: argparse.Namespace, console: Console) -> int:
    from ra2docs import export

    if not args.output:
        raise Ra2docsError("export: give the file to write, --output FILE ('-' for standard output)")
    settings = settings_of(args)
    loaded, graph = load_without_errors(catalogue_folder(args, settings), settings, console)
    kinds = [k for value in args.kind or [] for k in value.replace(",", " ").split()] or None
    for kind in kinds or []:
        if kind not in loaded.catalogue.kinds:
            raise Ra2docsError(f"--kind {kind!r}: unknown; kinds: {', '.join(loaded.catalogue.kinds)}")
    verdicts = None
    if args.results:
        from ra2docs.results.verdicts import compute

        results = read_results(args.results, Path.cwd(), console)
        if results is None:
            return ExitCode.CANNOT_LOAD
        verdicts = compute(graph, results)
    out = Path(args.output)
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
            raise Ra2docsError("XLSX cannot be written to standard output; give --output FILE")
        console.document(payload)
        return ExitCode.CLEAN
    from ra2docs.outputs import OutputFolder

    # The bytes as they are (no newline translation: CSV lines end in CRLF inside and out).
    folder = OutputFolder(out.parent, force=args.force)
    try:
        folder.write(out.name, payload if isinstance(payload, bytes) else payload.encode("utf-8"))
    finally:
        folder.save()
    items = sum(1 for i in loaded.catalogue.items.values() if kinds is None or i.kind in kinds)
    console.err(f"wrote {out} ({args.format}, {items} items)\n")
    return ExitCode.CLEAN
