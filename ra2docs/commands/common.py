"""What the commands share: the output writer, option spellings, help text, and loading a catalogue or result files."""

from __future__ import annotations

import argparse
import os
import re
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from ra2docs.check import analyse
from ra2docs.context import CheckContext
from ra2docs.escaping import for_terminal_text
from ra2docs.findings import ExitCode, Finding, Ra2docsError
from ra2docs.graph import TraceGraph
from ra2docs.loader import LoadResult, load_catalogue
from ra2docs.report import for_terminal_finding
from ra2docs.settings import SETTINGS_FILE, Settings, settings_for

if TYPE_CHECKING:  # results pull in their readers: imported when a command reads result files
    from ra2docs.results import Result, Source

# The colour codes ra2docs itself writes (report.as_text): nothing else passes as a control.
_OWN_COLOURS = re.compile("\x1b\\[(?:31|33|0)m")


class Console:
    """The one way commands write: every text is shown on a terminal as text, never run as controls.

    Catalogue and result files are untrusted: a title or a file's name may hold an escape sequence.
    Human text (``out``, ``err``, ``warning``, ``finding``) always has its controls shown as ``\\x1b``;
    only line ends pass. A document (``document``: JSON, XML, CSV, Markdown, whose renderers escape
    for their own format) is written exactly to a file or a pipe, and escaped like text on a terminal.
    The streams are looked up at each write, so that tests capture them (capsys, redirect_stdout).
    """

    def __init__(self, colour: bool | None = None) -> None:
        self.colour = (
            sys.stdout.isatty() and not os.environ.get("NO_COLOR") if colour is None else colour
        )  # why: https://no-color.org

    def _escaped(self, text: str, keep: str) -> str:
        if not self.colour:
            return for_terminal_text(text, keep)
        pieces = _OWN_COLOURS.split(text)
        codes = _OWN_COLOURS.findall(text)
        escaped = [for_terminal_text(piece, keep) for piece in pieces]
        return "".join(
            p + c for p, c in zip(escaped, [*codes, ""], strict=True)
        )  # split leaves one piece more than codes

    @staticmethod
    def _write(stream: TextIO, text: str) -> None:
        stream.write(text)
        stream.flush()  # stdout and stderr interleave as they were written

    def out(self, text: str) -> None:
        """Text for people, on standard output (the caller ends its lines)."""
        self._write(sys.stdout, self._escaped(text, "\n"))

    def err(self, text: str) -> None:
        """Text for people, on standard error (the caller ends its lines)."""
        self._write(sys.stderr, for_terminal_text(text, "\n"))

    def warning(self, message: str) -> None:
        self.err(f"ra2docs: warning: {message}\n")

    def error(self, message: str) -> None:
        self.err(f"ra2docs: error: {message}\n")

    def finding(self, finding: Finding) -> None:
        """A finding on standard error, each field escaped (a message's own line end is shown, not kept)."""
        self.err(for_terminal_finding(finding) + "\n")

    def document(self, text: str) -> None:
        """A document in a machine format on standard output: exact unless a terminal shows it."""
        self._write(sys.stdout, self._escaped(text, "\n\t") if sys.stdout.isatty() else text)


def exit_codes_help(
    clean: str = "clean: no finding at error level",
    findings: str = "findings at error level (or a --fail-on gate tripped)",
    unreadable: str = "the input could not be read (missing folder, YAML syntax, bad settings, bad options)",
) -> str:
    """The 'exit codes' epilog: what 0, 1 and 2 mean for one command."""
    lines = ["exit codes:"]
    for code, meaning in ((0, clean), (1, findings), (2, unreadable)):
        lines += textwrap.wrap(meaning, 100, initial_indent=f"  {code}  ", subsequent_indent="     ")
    return "\n".join(lines) + "\n"


class Parser(argparse.ArgumentParser):
    """argparse that exits with 2 and a one-line hint, as ra2docs does everywhere."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(ExitCode.CANNOT_LOAD, f"{self.prog}: error: {message}\n")


def add_command(
    sub: Any, name: str, help: str, description: str | None = None, **epilog: str
) -> argparse.ArgumentParser:
    """A command's parser: its one-line help, its description and its exit codes (``exit_codes_help``'s words)."""
    return sub.add_parser(
        name,
        help=help,
        description=description or help[:1].upper() + help[1:] + ".",
        epilog=exit_codes_help(**epilog),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


class OldSpelling(argparse.Action):
    """An option's former spelling, still read: its value goes where the new one's does, with a warning.

    The warning is kept on the namespace (``deprecations``) and written by ``main`` through the Console.
    """

    def __init__(self, option_strings: Sequence[str], dest: str, instead: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, help=argparse.SUPPRESS, **kwargs)
        self.instead = instead

    def __call__(
        self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any, option: str | None = None
    ) -> None:
        current = getattr(namespace, self.dest, None)
        if current is not None and current != values:
            parser.error(f"{option} and {self.instead} name the same thing: give {self.instead} only")
        setattr(namespace, self.dest, values)
        note = f"{option} is deprecated and will be removed: write {self.instead}"
        namespace.deprecations = [*getattr(namespace, "deprecations", []), note]
        # the new spelling given after it would overwrite it: ``clashing_spellings`` looks once all is parsed
        namespace.old_spellings = [*getattr(namespace, "old_spellings", []), (self.dest, values, option, self.instead)]


def clashing_spellings(args: argparse.Namespace) -> str | None:
    """Why the command line is refused when an old spelling and the new one name different values, else None."""
    for dest, value, option, instead in getattr(args, "old_spellings", []):
        if getattr(args, dest, None) != value:
            return f"{option} and {instead} name the same thing: give {instead} only"
    return None


def deprecated_spelling(args: argparse.Namespace, old: str, new: str) -> None:
    """Note that the command line used an old spelling (a positional argument, say), for ``main`` to warn."""
    args.deprecations = [*getattr(args, "deprecations", []), f"{old} is deprecated and will be removed: write {new}"]


CATALOGUE_HELP = "catalogue folder (default: the settings' catalogue, else ./catalogue)"
CONFIG_HELP = (
    f"settings file: a {SETTINGS_FILE} or a pyproject.toml with [tool.ra2docs] "
    f"(default: the nearest {SETTINGS_FILE} or [tool.ra2docs] above the catalogue or current folder, "
    "up to the repository's top)"
)


def add_catalogue_options(command: argparse.ArgumentParser, catalogue_help: str = CATALOGUE_HELP) -> None:
    """--catalogue and --config, shared by the commands that read a catalogue from disk."""
    command.add_argument("--catalogue", metavar="FOLDER", help=catalogue_help)
    command.add_argument("--config", metavar="FILE", help=CONFIG_HELP)


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: must be at least 1")
    return value


def settings_of(args: argparse.Namespace) -> Settings:
    """The settings that apply: --config, else those found from the catalogue folder or the current folder.

    From the repository root, the documentation folder or the catalogue folder alike: see ra2docs.settings.
    """
    explicit = Path(args.config) if getattr(args, "config", None) else None
    given = getattr(args, "catalogue", None)
    return settings_for(Path(given) if given else None, explicit, start=Path.cwd())


def catalogue_folder(args: argparse.Namespace, settings: Settings) -> Path:
    """The catalogue folder a command reads: --catalogue, else the settings', else ./catalogue; it must exist."""
    given = getattr(args, "catalogue", None)
    folder = Path(given) if given else (settings.catalogue or Path("catalogue"))
    if not folder.is_dir() and not folder.is_symlink():
        where = "given" if given else f"named by {settings.path}" if settings.catalogue else "looked for here"
        raise Ra2docsError(
            f"{folder}: no catalogue folder ({where}); run from the repository, the documentation folder or the "
            "catalogue folder of an adopted tree, or give --catalogue (settings: "
            f"{settings.describe()})"
        )
    return folder  # a folder the settings name is inside their repository (ra2docs.settings.load_settings)


def load(folder: Path, settings: Settings) -> LoadResult:
    """The catalogue under ``folder``, with the kinds (ID patterns) of the settings."""
    return load_catalogue(folder, kinds=settings.kinds())


def load_without_errors(folder: Path, settings: Settings, console: Console) -> tuple[LoadResult, TraceGraph]:
    """The catalogue and its trace graph, for commands that need a catalogue free of errors (written if any)."""
    loaded = load(folder, settings)
    options = settings.check_options(folder)
    context = CheckContext(loaded.catalogue, options)
    errors = [f for f in analyse(loaded, options, context) if f.severity == "error" and not f.known]
    if loaded.fatal or errors:
        for finding in errors:
            console.finding(finding)
        raise Ra2docsError(
            f"the catalogue in {folder} has errors; fix them first ('ra2docs check --catalogue {folder}')"
        )
    return loaded, context.graph


def read_results(sources: Sequence[Source], base: Path, console: Console) -> list[Result] | None:
    """Every result of the result files the sources name, or None when one was refused or unreadable.

    Each refused file (a link out of the folder, a file over the budget, one no reader knows) is written
    as a finding: none is dropped silently, and none counts as 'not run' without saying so.
    """
    from ra2docs.results import load_results

    results, problems = load_results(sources, base)
    for problem in problems:
        console.finding(problem.finding)
    return None if problems else results
