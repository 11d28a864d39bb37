"""Live check results: read conformance test outputs and turn them into verdicts.

Readers are plug-ins: the built-in ones (``readers.py``) plus any registered
under the ``ra2docs.result_readers`` entry-point group. A file goes to the
first reader whose ``sniff`` accepts it.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable
from fnmatch import fnmatchcase
from importlib.metadata import entry_points
from pathlib import Path

from ra2docs.results.model import MAX_GLOB_ENTRIES, MAX_RESULTS, Reader, Result, ResultsError, run_budget
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


def expand(patterns: Iterable[str], base: Path, refused: list[ResultsError] | None = None) -> list[Path]:
    """Result files named by paths or glob patterns (relative to ``base``), sorted, each once.

    A glob never follows a symbolic link to a folder (so never into a loop)
    and never takes a linked file from outside the folder it searches: such
    files are appended to ``refused`` when it is given. ``**`` matches any
    number of folders; names starting with a dot are matched only by a
    pattern part that starts with one, as with ``glob``.
    """
    files: list[Path] = []
    for pattern in patterns:
        full = pattern if Path(pattern).is_absolute() else str(base / pattern)
        matches = _glob(Path(full), pattern, refused) if glob.has_magic(full) else [Path(full)]
        files.extend(m for m in matches if m not in files)
    return files


def _glob(full: Path, pattern: str, refused: list[ResultsError] | None) -> list[Path]:
    parts = full.parts
    fixed = next(i for i, part in enumerate(parts) if glob.has_magic(part))
    root = Path(*parts[:fixed])
    wanted = parts[fixed:]
    try:
        inside = root.resolve()
    except OSError:
        return []
    found: set[Path] = set()
    seen: set[tuple[int, int, int]] = set()  # (device, inode, part) already searched
    looked_at = 0
    stack: list[tuple[Path, int]] = [(root, 0)]
    while stack:
        folder, index = stack.pop()
        try:
            status = folder.stat()
            entries = list(os.scandir(folder))
        except OSError:
            continue
        if (status.st_dev, status.st_ino, index) in seen:
            continue
        seen.add((status.st_dev, status.st_ino, index))
        looked_at += len(entries)
        if looked_at > MAX_GLOB_ENTRIES:
            raise ResultsError(pattern, f"the pattern searches more than {MAX_GLOB_ENTRIES} files and folders")
        part = wanted[index]
        last = index == len(wanted) - 1
        if part == "**":  # this folder, and every folder below it
            stack.extend((Path(e.path), index) for e in entries if _is_folder(e) and not e.name.startswith("."))
            if not last:
                stack.append((folder, index + 1))
                continue
            part = "*"  # a trailing ** matches the files of every folder below
        for entry in entries:
            if not _name_matches(entry.name, part):
                continue
            if not last:
                if _is_folder(entry):
                    stack.append((Path(entry.path), index + 1))
            elif entry.is_file():
                if entry.is_symlink() and not _links_inside(Path(entry.path), inside):
                    if refused is not None:
                        refused.append(
                            ResultsError(
                                entry.path,
                                "a symbolic link to a file outside the folder searched; not read",
                                hint="name the file itself, not a link to it",
                            )
                        )
                    continue
                found.add(Path(entry.path))
    return sorted(found)


def _is_folder(entry: os.DirEntry[str]) -> bool:
    """A real folder: links to folders are never followed (no loops, no escape from the tree)."""
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


def _name_matches(name: str, part: str) -> bool:
    if name.startswith(".") and not part.startswith("."):
        return False
    return fnmatchcase(name, part) if glob.has_magic(part) else name == part


def _links_inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root)
    except (OSError, ValueError, RuntimeError):
        return False
    return True


def read_all(paths: Iterable[Path], base: Path | None = None) -> tuple[list[Result], list[ResultsError]]:
    """Every result of every file; a file that cannot be read is an error, the others still count."""
    results: list[Result] = []
    errors: list[ResultsError] = []
    with run_budget() as budget:  # one byte and member budget for all the files
        for path in paths:
            display = str(path)
            if base is not None:
                try:
                    display = str(path.resolve().relative_to(base.resolve()))
                except ValueError:
                    display = str(path)
            if budget.spent:
                errors.append(ResultsError(display, "not read: the result files before it used up the budget"))
                continue
            try:
                results.extend(read_file(path, display))
            except ResultsError as exc:
                errors.append(exc)
            if len(results) > MAX_RESULTS:
                errors.append(ResultsError(display, f"more than {MAX_RESULTS} results in all files together; not read"))
                return results[:MAX_RESULTS], errors
    return results, errors


__all__ = ["ENTRY_POINT_GROUP", "Reader", "Result", "ResultsError", "expand", "read_all", "read_file", "readers"]
