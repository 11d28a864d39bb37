"""The ``ra2docs`` command line: one module per command, each with ``add_parser(sub)`` and ``run(args, console)``.

``add_parser`` sets the parsed arguments' ``handler`` to ``run`` (not ``run``: ``results --run`` is an option).

``main(argv)`` runs a command line in the calling process and returns its exit code (tests call it so);
the console script is ``main()`` with no arguments, in a process of its own.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence

from ra2docs import __version__
from ra2docs.commands import adopt, check, diff, expand, export, history, import_, lint, results, rules, schema
from ra2docs.commands.common import Console, Parser, clashing_spellings, exit_codes_help
from ra2docs.findings import ExitCode, Ra2docsError
from ra2docs.process import owned

# In the order `ra2docs --help` lists them.
COMMANDS = (check, import_, diff, results, export, adopt, lint, expand, history, schema, rules)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="ra2docs",
        description="Build, check and compare the RA2 requirement catalogue.",
        epilog=exit_codes_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"ra2docs {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for command in COMMANDS:
        command.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command line and return its exit code: 0 clean, 1 findings, 2 unreadable input or bad options.

    Called in-process it leaves the process as it found it; ``console_main`` is the program, whose
    process is its own (``ra2docs.process``).
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit:  # --help, --version, a bad option: argparse has written why
        return exit.code if isinstance(exit.code, int) else ExitCode.CANNOT_LOAD
    console = Console()
    clash = clashing_spellings(args)
    if clash:
        console.error(clash)
        return ExitCode.CANNOT_LOAD
    handler: Callable[[argparse.Namespace, Console], int] | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return ExitCode.CANNOT_LOAD
    try:
        code = int(handler(args, console))
    except Ra2docsError as exc:
        # The message may quote input (file names, IDs): shown, never sent to the terminal as controls.
        console.error(str(exc))
        code = ExitCode.CANNOT_LOAD
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return ExitCode.CLEAN
    # Last, so that they are not lost above a long report: the old spellings this command line used.
    for note in getattr(args, "deprecations", []):
        console.warning(note)
    return code


def console_main() -> int:
    """The ``ra2docs`` program: the process is its own, so loading and checking may pause the garbage
    collector and fork a worker (``ra2docs.process``); ``main`` called in-process does neither."""
    with owned():
        return main()


__all__ = ["build_parser", "console_main", "main"]
