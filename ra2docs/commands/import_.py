"""``ra2docs import``: spec chapters (Markdown or RST tables), an export or a ReqIF file into catalogue YAML."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ra2docs.commands.common import Console, OldSpelling, add_command
from ra2docs.findings import ExitCode, Ra2docsError
from ra2docs.outputs import write_file_no_follow


def add_parser(sub: Any) -> None:
    command = add_command(
        sub,
        "import",
        "read upstream spec chapters (Markdown or RST tables) into catalogue YAML",
        "Read RA2 and Reference Model chapters (every table with a spec ID in its first or second column, "
        "gaps, chapter 3's comparisons; Markdown pipe tables, or reStructuredText list, simple, grid and csv "
        "tables) and write catalogue YAML, keeping upstream wording. Everything "
        "that could not be mapped is reported as file:line; a summary gives rows, items and links per file.",
        findings="some input could not be fully mapped",
    )
    command.add_argument(
        "source",
        metavar="SOURCE",
        help="folder of spec chapters (searched recursively), or an ra2docs .json export or .reqif file",
    )
    command.add_argument("--catalogue", metavar="FOLDER", help="the catalogue folder to write (required)")
    command.add_argument("--out", dest="catalogue", action=OldSpelling, instead="--catalogue")
    command.add_argument(
        "--format", choices=["md", "rst", "auto"], default="auto", help="source format (default: auto)"
    )
    command.add_argument(
        "--schema",
        help="schema on each file's yaml-language-server line (default: catalogue.schema.json, written beside them)",
    )
    command.add_argument(
        "--exact",
        action="store_true",
        help="keep the markup of every cell exactly, not only its words (what `ra2docs adopt` does)",
    )
    command.add_argument("--force", action="store_true", help="overwrite catalogue files already in FOLDER")
    command.set_defaults(handler=run)


def run(args: argparse.Namespace, console: Console) -> int:
    from ra2docs import importer

    if not args.catalogue:
        raise Ra2docsError("import: give the catalogue folder to write, --catalogue FOLDER")
    source = Path(args.source)
    out = Path(args.catalogue)
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
        return _import_exchange(source, out, schema, console)
    result = importer.build(source, args.format, exact=args.exact)
    for note in result.notes:
        console.out(note.format() + "\n")
    console.out("\nread:\n")
    for name, stats in importer.statistics(result).items():
        console.out(f"  {name}: {stats.tables} tables, {stats.rows} rows, {stats.items} items, {stats.links} links\n")
    warnings = sum(1 for n in result.notes if n.level == "warning")
    errors = sum(1 for n in result.notes if n.level == "error")
    if result.item_count == 0:
        console.out(
            f"\nno catalogue items found in {source}: is it a folder of RA2 / Reference Model chapters "
            f"({'*.md, *.rst' if args.format == 'auto' else '*.' + args.format})?\n"
        )
        return ExitCode.CANNOT_LOAD
    written = importer.write(result, out, schema)
    console.out(
        f"\nwrote {len(written)} files with {result.item_count} items to {out} "
        f"({errors} errors, {warnings} warnings in the report above)\n"
        f"next: ra2docs check --catalogue {out}\n"
    )
    if result.unreadable:
        return ExitCode.CANNOT_LOAD
    return ExitCode.FINDINGS if warnings or errors else ExitCode.CLEAN


def _import_exchange(source: Path, out: Path, schema: str, console: Console) -> int:
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
    console.out(f"wrote {len(files)} files with {count} items to {out}\nnext: ra2docs check --catalogue {out}\n")
    return ExitCode.CLEAN
