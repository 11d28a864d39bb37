"""Live check results: read conformance test outputs and turn them into verdicts.

Readers are plug-ins: the built-in ones (``readers.py``) plus any registered
under the ``ra2docs.result_readers`` entry-point group. A file goes to the
first reader whose ``sniff`` accepts it.
"""

from __future__ import annotations

import glob
from collections.abc import Iterable
from importlib.metadata import entry_points
from pathlib import Path

from ra2docs.results.model import Reader, Result, ResultsError
from ra2docs.results.readers import BUILTIN_READERS, head_of

ENTRY_POINT_GROUP = "ra2docs.result_readers"


def readers() -> list[Reader]:
    """Plug-in readers first (so they can take over a format), then the built-in ones."""
    found: list[Reader] = []
    for entry in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        try:
            plugin = entry.load()
        except Exception as exc:  # a broken plug-in must not hide the others
            raise ResultsError(
                f"entry point {entry.value}", f"result reader {entry.name!r} cannot be loaded: {exc}"
            ) from None
        found.append(plugin() if isinstance(plugin, type) else plugin)
    return [*found, *BUILTIN_READERS]


def read_file(path: Path, display: str | None = None) -> list[Result]:
    display = display or str(path)
    if not path.is_file():
        raise ResultsError(display, "is a folder, not a result file" if path.is_dir() else "no such result file")
    head = head_of(path)
    for reader in readers():
        if reader.sniff(path, head):
            return reader.read(path, display)
    raise ResultsError(
        display,
        "no reader for this file",
        hint="known: " + ", ".join(r.name for r in readers()) + "; see the README to add one",
    )


def expand(patterns: Iterable[str], base: Path) -> list[Path]:
    """Result files named by paths or glob patterns (relative to ``base``), sorted, each once."""
    files: list[Path] = []
    for pattern in patterns:
        full = pattern if Path(pattern).is_absolute() else str(base / pattern)
        if glob.has_magic(full):
            matches = sorted(Path(p) for p in glob.glob(full, recursive=True) if Path(p).is_file())
        else:
            matches = [Path(full)]
        files.extend(m for m in matches if m not in files)
    return files


def read_all(paths: Iterable[Path], base: Path | None = None) -> tuple[list[Result], list[ResultsError]]:
    """Every result of every file; a file that cannot be read is an error, the others still count."""
    results: list[Result] = []
    errors: list[ResultsError] = []
    for path in paths:
        display = str(path)
        if base is not None:
            try:
                display = str(path.resolve().relative_to(base.resolve()))
            except ValueError:
                display = str(path)
        try:
            results.extend(read_file(path, display))
        except ResultsError as exc:
            errors.append(exc)
    return results, errors


__all__ = ["ENTRY_POINT_GROUP", "Reader", "Result", "ResultsError", "expand", "read_all", "read_file", "readers"]
