"""Live check results: read conformance test outputs and turn them into verdicts.

Readers are plug-ins: the built-in ones (``readers.py``) plus any registered
under the ``ra2docs.result_readers`` entry-point group. A file goes to the
first reader whose ``sniff`` accepts it.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable, Mapping
from fnmatch import fnmatchcase
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

from ra2docs.results.readers import BUILTIN_READERS, head_of
from ra2docs.results.result import MAX_GLOB_ENTRIES, MAX_RESULTS, Reader, Result, ResultsError, run_budget

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
    if not head.strip():
        raise ResultsError(display, "the file is empty")
    for reader in readers():
        if reader.sniff(path, head):
            results = reader.read(path, display)
            for result in results:
                result.tool = result.tool or reader.name
                result.run = result.run or display  # a file that names no run is a run of its own
            return results
    raise ResultsError(
        display,
        "no reader for this file",
        hint="known: " + ", ".join(r.name for r in readers()) + "; see the README to add one",
    )


Source = str | Mapping[str, Any]


def expand_runs(
    sources: Iterable[Source], base: Path, refused: list[ResultsError] | None = None
) -> list[tuple[Path, str]]:
    """(file, label) for every result file the sources name, each file once.

    A source is a path or glob, or ``{"label": "lab-a", "files": [globs]}``: the
    label (an environment, product or vendor) then names where those results ran,
    whatever the results say.
    """
    found: dict[Path, str] = {}
    for source in sources:
        if isinstance(source, str):
            patterns, label = [source], ""
        else:
            patterns, label = _labelled(source)
        for path in expand(patterns, base, refused):
            found.setdefault(path, label)
    return list(found.items())


def _labelled(source: Any) -> tuple[list[str], str]:
    if not isinstance(source, Mapping) or set(source) - {"label", "files"} or "files" not in source:
        raise ResultsError(
            "ra2docs_results",
            f"{source!r}: a result source is a path or glob, or a mapping with 'files' and an optional 'label'",
            hint='e.g. {"label": "lab-a", "files": ["results/lab-a/**/*"]}',
        )
    files = source["files"]
    files = [files] if isinstance(files, str) else files
    label = source.get("label", "")
    if not isinstance(files, list) or not all(isinstance(f, str) and f for f in files) or not isinstance(label, str):
        raise ResultsError("ra2docs_results", f"{source!r}: 'files' must be paths or globs and 'label' text")
    return files, label


def parse_run_option(text: str) -> Source:
    """``LABEL=GLOB`` (the CLI's ``--run``) as a labelled source."""
    label, sep, pattern = text.partition("=")
    if not sep or not label.strip() or not pattern.strip():
        raise ResultsError("--run", f"{text!r}: write --run LABEL=FILES, e.g. --run lab-a='results/lab-a/**/*'")
    return {"label": label.strip(), "files": [pattern.strip()]}


def in_sample_folders(files: Iterable[str | Path]) -> bool:
    """Whether every result file sits in a folder named sample(s): samples, not a real run."""
    found = [Path(str(f).split(":")[0]) for f in files]  # a tarball member's source: 'file:member'
    return bool(found) and all({"sample", "samples"} & set(f.parts) for f in found)


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


def _display(path: Path, base: Path | None) -> str:
    """The path as pages and messages show it: relative to ``base`` (``../`` where outside it), never
    the builder's absolute path, so that two builds of the same sources in two places agree."""
    if base is None:
        return str(path)
    try:
        return path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return Path(os.path.relpath(os.path.abspath(path), os.path.abspath(base))).as_posix()


def read_all(
    paths: Iterable[Path | tuple[Path, str]], base: Path | None = None
) -> tuple[list[Result], list[ResultsError]]:
    """Every result of every file (a file, or a file and its run's label); a file that cannot be
    read is an error, the others still count."""
    results: list[Result] = []
    errors: list[ResultsError] = []
    with run_budget() as budget:  # one byte and member budget for all the files
        for entry in paths:
            path, label = entry if isinstance(entry, tuple) else (entry, "")
            display = _display(path, base)
            if budget.spent:
                errors.append(ResultsError(display, "not read: the result files before it used up the budget"))
                continue
            try:
                found = read_file(path, display)
            except ResultsError as exc:
                errors.append(exc)
                continue
            for result in found:
                result.environment = label or result.environment
            results.extend(found)
            if len(results) > MAX_RESULTS:
                errors.append(ResultsError(display, f"more than {MAX_RESULTS} results in all files together; not read"))
                return results[:MAX_RESULTS], errors
    return results, errors


def load_results(sources: Iterable[Source], base: Path) -> tuple[list[Result], list[ResultsError]]:
    """Every result of the files the sources name (paths, globs or labelled runs, relative to ``base``),
    and every problem: a malformed source, a file refused (a link out of the folder searched) or unreadable.

    The one way result files are read for a command: none is left out without a problem saying so.
    """
    refused: list[ResultsError] = []
    try:
        paths = expand_runs(sources, base, refused)
    except ResultsError as exc:
        return [], [exc]
    results, errors = read_all(paths, base)
    return results, refused + errors


__all__ = [
    "ENTRY_POINT_GROUP",
    "Reader",
    "Result",
    "ResultsError",
    "Source",
    "expand",
    "expand_runs",
    "in_sample_folders",
    "load_results",
    "parse_run_option",
    "read_all",
    "read_file",
    "readers",
]
