"""``ra2docs rules``: the check rules with their codes and default severities."""

from __future__ import annotations

import argparse
from typing import Any

from ra2docs.commands.common import Console
from ra2docs.findings import ExitCode
from ra2docs.rules import all_rules


def add_parser(sub: Any) -> None:
    command = sub.add_parser("rules", help="list the check rules with their codes and default severities")
    command.set_defaults(handler=run)


def run(args: argparse.Namespace, console: Console) -> int:
    for rule in all_rules().values():
        console.out(f"{rule.code}  {rule.name:<26} {rule.severity:<8} {rule.summary}\n")
    return ExitCode.CLEAN
