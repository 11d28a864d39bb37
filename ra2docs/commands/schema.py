"""``ra2docs schema``: the catalogue's JSON Schema, for editors and other tools."""

from __future__ import annotations

import argparse
from typing import Any

from ra2docs.commands.common import Console
from ra2docs.findings import ExitCode
from ra2docs.schema import schema_text


def add_parser(sub: Any) -> None:
    command = sub.add_parser("schema", help="print the catalogue's JSON Schema")
    command.set_defaults(handler=run)


def run(args: argparse.Namespace, console: Console) -> int:
    console.document(schema_text())
    return ExitCode.CLEAN
