"""Copy the catalogue folder of a git revision, or of the working tree, into a scratch folder.

The catalogue of a pull request is untrusted input. Only regular files are
copied: a symbolic link is never followed (its target could be
``/etc/passwd``, and even the target's name is not printed), a submodule
entry (gitlink) is not a file, and nothing outside the repository is read.
Each entry left out is returned as a :class:`Skipped`, so the caller can
report it. Sizes are known before anything is read (``git cat-file
--batch-check`` for a revision, the file's status for the working tree): a
file over the loader's limit is never read, and when the files together are
over the catalogue's limit none is.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ra2docs.findings import Ra2docsError
from ra2docs.loader import CATALOGUE_SUFFIXES, MAX_CATALOGUE_BYTES
from ra2docs.yamlsource import MAX_FILE_BYTES

_REGULAR_MODES = {"100644", "100755"}
_KIND_OF_MODE = {"120000": "a symbolic link", "160000": "a submodule (gitlink)", "040000": "a folder"}


@dataclass(frozen=True)
class Skipped:
    """A catalogue entry that was not read, and why (never the link's target)."""

    path: str  # relative to the repository, with '/'
    reason: str


def git(repo: Path, *args: str, stdin: bytes | None = None) -> bytes:
    """Run git in ``repo``; any failure is a :class:`Ra2docsError` carrying git's own message."""
    try:
        done = subprocess.run(["git", *args], cwd=repo, input=stdin, capture_output=True, check=False)
    except FileNotFoundError:
        raise Ra2docsError("git is not installed (or not on PATH); ra2docs diff reads revisions with git") from None
    except OSError as exc:
        raise Ra2docsError(f"cannot run git in {repo}: {exc.strerror or exc}") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip() or f"exit code {done.returncode}"
        raise Ra2docsError(f"git {args[0]}: {message}")
    return done.stdout


def repository_root(start: Path) -> Path:
    """The top of the working tree that ``start`` is in."""
    try:
        out = git(start, "rev-parse", "--show-toplevel")
    except Ra2docsError as exc:
        if "not a git repository" in str(exc):
            raise Ra2docsError(f"{start} is not in a git repository; ra2docs diff compares git revisions") from None
        raise
    return Path(out.decode("utf-8", "surrogateescape").strip())


def resolve(repo: Path, revision: str) -> str:
    """The commit ``revision`` names, as a full hash (later git commands never see the user's text)."""
    if not revision or revision.startswith("-"):
        # git would read it as an option (``--output=FILE`` writes a file).
        raise Ra2docsError(f"{revision!r}: not a git revision")
    try:
        out = git(repo, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    except Ra2docsError:
        raise Ra2docsError(f"{revision!r}: no such commit, branch or tag in {repo}") from None
    return out.decode("ascii").strip()


def _inside(path: Path, folder: Path) -> bool:
    return os.path.commonpath([os.path.abspath(path), os.path.abspath(folder)]) == os.path.abspath(folder)


def from_revision(repo: Path, commit: str, subdir: str, into: Path) -> tuple[Path, list[Skipped]]:
    """Copy the catalogue files under ``subdir`` at ``commit`` into ``into``; return the folder there."""
    listing = git(repo, "ls-tree", "-r", "-z", "--full-tree", commit, "--", subdir)
    wanted: list[tuple[str, str]] = []
    skipped: list[Skipped] = []
    for entry in filter(None, listing.split(b"\0")):
        meta, _, raw_name = entry.partition(b"\t")
        mode, _kind, sha = meta.decode("ascii").split(" ")
        name = raw_name.decode("utf-8", "surrogateescape")
        if mode in _REGULAR_MODES:
            if name.endswith(CATALOGUE_SUFFIXES):
                wanted.append((name, sha))
        elif name.endswith(CATALOGUE_SUFFIXES) or name == subdir:
            what = _KIND_OF_MODE.get(mode, f"not a regular file (mode {mode})")
            skipped.append(Skipped(name, f"{what} in git, not a file; not followed"))
    if listing:  # the folder exists at that revision (else the loader says it is missing)
        (into / subdir).mkdir(parents=True, exist_ok=True)
    sizes = _sizes(repo, [sha for _, sha in wanted])
    too_large = [(name, sha) for name, sha in wanted if sizes[sha] > MAX_FILE_BYTES]
    skipped += [Skipped(name, _too_large(sizes[sha])) for name, sha in too_large]
    wanted = [entry for entry in wanted if entry not in too_large]
    total = sum(sizes[sha] for _, sha in wanted)
    if total > MAX_CATALOGUE_BYTES:
        return into / subdir, [*skipped, Skipped(subdir, _too_much(total))]
    blobs = _blobs(repo, [sha for _, sha in wanted])
    for name, sha in wanted:
        path = into / PurePosixPath(name)
        if not _inside(path, into):  # a crafted tree entry such as '../x.yaml'
            skipped.append(Skipped(name, "a path outside the catalogue folder"))
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(blobs[sha])
    return into / subdir, skipped


def _too_large(size: int) -> str:
    return f"holds {size:,} bytes, more than the {MAX_FILE_BYTES:,} a catalogue file may hold; not read"


def _too_much(total: int) -> str:
    return f"its files hold {total:,} bytes together, more than the {MAX_CATALOGUE_BYTES:,} allowed; nothing was read"


def _sizes(repo: Path, shas: list[str]) -> dict[str, int]:
    """The size of each blob, asked of git before any is read (``git cat-file --batch-check``)."""
    unique = list(dict.fromkeys(shas))
    if not unique:
        return {}
    out = git(repo, "cat-file", "--batch-check", stdin="".join(f"{sha}\n" for sha in unique).encode("ascii"))
    sizes: dict[str, int] = {}
    for sha, line in zip(unique, out.decode("ascii").splitlines(), strict=True):
        header = line.split(" ")
        if len(header) != 3 or header[1] != "blob":
            raise Ra2docsError(f"git cat-file: unexpected answer for {sha}: {line}")
        sizes[sha] = int(header[2])
    return sizes


def _blobs(repo: Path, shas: list[str]) -> dict[str, bytes]:
    """The content of each blob, read by one ``git cat-file --batch`` (not a process per file)."""
    unique = list(dict.fromkeys(shas))
    if not unique:
        return {}
    out = git(repo, "cat-file", "--batch", stdin="".join(f"{sha}\n" for sha in unique).encode("ascii"))
    blobs: dict[str, bytes] = {}
    at = 0
    for sha in unique:
        header_end = out.index(b"\n", at)
        header = out[at:header_end].decode("ascii").split(" ")
        if len(header) != 3 or header[1] != "blob":
            raise Ra2docsError(f"git cat-file: unexpected answer for {sha}: {' '.join(header)}")
        size = int(header[2])
        blobs[sha] = out[header_end + 1 : header_end + 1 + size]
        at = header_end + 1 + size + 1  # the content is followed by a newline
    return blobs


def from_worktree(root: Path, subdir: str, into: Path) -> tuple[Path, list[Skipped]]:
    """Copy the catalogue files under ``subdir`` of the working tree into ``into``.

    The loader would follow a symbolic link; this copy does not, so the
    working tree is read under the same rules as a revision. Folders
    starting with '.' or '_' are left out as the loader leaves them out.
    """
    skipped: list[Skipped] = []
    source = root
    for part in PurePosixPath(subdir).parts:
        source = source / part
        if source.is_symlink():
            relative = source.relative_to(root).as_posix()
            return into / subdir, [Skipped(relative, "a symbolic link in the working tree; not followed")]
    if not source.is_dir():
        return into / subdir, skipped
    (into / subdir).mkdir(parents=True, exist_ok=True)
    total = 0
    for dirpath, dirnames, filenames in os.walk(source):  # os.walk does not descend into linked folders
        here = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "_")) and not (here / d).is_symlink())
        for name in sorted(filenames):
            if not name.endswith(CATALOGUE_SUFFIXES):
                continue
            path = here / name
            relative = path.relative_to(root).as_posix()
            info = path.lstat()
            if stat.S_ISLNK(info.st_mode):
                skipped.append(Skipped(relative, "a symbolic link in the working tree; not followed"))
                continue
            if not stat.S_ISREG(info.st_mode):  # a FIFO would block the read
                skipped.append(Skipped(relative, "not a regular file"))
                continue
            if info.st_size > MAX_FILE_BYTES:
                skipped.append(Skipped(relative, _too_large(info.st_size)))
                continue
            total += info.st_size
            if total > MAX_CATALOGUE_BYTES:
                shutil.rmtree(into / subdir)
                (into / subdir).mkdir(parents=True)
                return into / subdir, [*skipped, Skipped(subdir, _too_much(total))]
            target = into / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(_read_no_follow(path, MAX_FILE_BYTES))
    return into / subdir, skipped


def _read_no_follow(path: Path, limit: int) -> bytes:
    """The file's bytes (at most ``limit`` and one), refusing a link put in its place since it was looked at."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as exc:
        raise Ra2docsError(f"{path}: cannot read: {exc.strerror or exc}") from None
    with os.fdopen(descriptor, "rb") as stream:
        return stream.read(limit + 1)  # a file grown since: the loader reports it over the limit


SETTINGS_SIZE_LIMIT = 1 << 20  # a settings file is a few lines; a bigger one is refused before it is read


@dataclass(frozen=True)
class SettingsFile:
    """The settings file that applies to a catalogue folder at a revision (or in the working tree)."""

    path: str  # relative to the repository, with '/'
    content: bytes
    is_pyproject: bool


def _settings_candidates(subdir: str) -> list[tuple[str, bool]]:
    """Where ``ra2docs.settings.find_settings`` looks, inside the repository, in its order.

    From the catalogue folder up to the repository's top: in each folder
    ``ra2docs.toml``, then ``pyproject.toml`` (with a ``[tool.ra2docs]`` table).
    """
    folder = PurePosixPath(subdir)
    names: list[tuple[str, bool]] = []
    for above in [folder, *folder.parents]:
        names.append((str(above / "ra2docs.toml"), False))
        names.append((str(above / "pyproject.toml"), True))
    # PurePosixPath('.') / 'x' is 'x': the repository's top is '.'
    return list(dict.fromkeys((name.removeprefix("./"), flag) for name, flag in names))


def settings_file(repo: Path, commit: str, subdir: str) -> SettingsFile | None:
    """The settings file for ``subdir`` at ``commit`` (the working tree when empty), or ``None``.

    A ``pyproject.toml`` counts when it has a ``[tool.ra2docs]`` table. A
    candidate that is a link, or not a regular file, or too large, is an
    error: settings decide the gate, so none is guessed.
    """
    for path, is_pyproject in _settings_candidates(subdir):
        content = _settings_bytes(repo, commit, path)
        if content is None:
            continue
        if is_pyproject and not _has_ra2docs_table(content, path):
            continue
        return SettingsFile(path, content, is_pyproject)
    return None


def _has_ra2docs_table(content: bytes, path: str) -> bool:
    if b"ra2docs" not in content:  # most pyproject.toml files: no need to parse them
        return False
    from ra2docs.settings import tomllib

    try:
        data = tomllib.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise Ra2docsError(f"{path}: cannot read settings: {exc}") from None
    tool = data.get("tool")
    return isinstance(tool, dict) and "ra2docs" in tool


def _settings_bytes(repo: Path, commit: str, path: str) -> bytes | None:
    if not commit:  # the working tree
        full = repo / path
        try:
            info = full.lstat()
        except OSError:
            return None
        if stat.S_ISLNK(info.st_mode) or not stat.S_ISREG(info.st_mode):
            raise Ra2docsError(f"{path}: a settings file must be a regular file (not a link); not followed")
        if info.st_size > SETTINGS_SIZE_LIMIT:
            raise Ra2docsError(f"{path}: {info.st_size:,} bytes, more than a settings file may hold; not read")
        return _read_no_follow(full, SETTINGS_SIZE_LIMIT)
    listing = git(repo, "ls-tree", "-z", "--full-tree", commit, "--", path)
    entry = listing.split(b"\0")[0]
    if not entry:
        return None
    meta, _, _ = entry.partition(b"\t")
    mode, kind, sha = meta.decode("ascii").split(" ")
    if mode not in _REGULAR_MODES or kind != "blob":
        what = _KIND_OF_MODE.get(mode, f"mode {mode}")
        raise Ra2docsError(f"{path}: a settings file must be a regular file, not {what} in git; not followed")
    size = int(git(repo, "cat-file", "-s", sha).decode("ascii").strip())
    if size > SETTINGS_SIZE_LIMIT:
        raise Ra2docsError(f"{path}: {size:,} bytes, more than a settings file may hold; not read")
    return git(repo, "cat-file", "blob", sha)


def settings_files_changed(repo: Path, base: str, head: str) -> list[str]:
    """Every ``ra2docs.toml`` and ``pyproject.toml`` of the repository that differs between two revisions."""
    return files_changed(repo, base, head, [":(glob)**/ra2docs.toml", ":(glob)**/pyproject.toml"])


def files_changed(repo: Path, base: str, head: str, patterns: list[str]) -> list[str]:
    """The files matching git pathspecs ``patterns`` that differ between two revisions.

    ``head`` empty: the working tree, untracked files included (a pull
    request's new file is untracked until committed).
    """
    names = git(repo, "diff", "--name-only", "--no-renames", "-z", base, *([head] if head else []), "--", *patterns)
    if not head:
        names += git(repo, "ls-files", "--others", "--exclude-standard", "-z", "--", *patterns)
    found = {name.decode("utf-8", "surrogateescape") for name in names.split(b"\0") if name}
    return sorted(found)


def settings_table(repo: Path, commit: str, path: str) -> dict[str, object] | None:
    """The ra2docs settings a file holds at a revision: ``ra2docs.toml`` whole, ``[tool.ra2docs]`` of a pyproject."""
    content = _settings_bytes(repo, commit, path)
    if content is None:
        return None
    from ra2docs.settings import tomllib

    try:
        data = tomllib.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise Ra2docsError(f"{path}: cannot read settings: {exc}") from None
    if PurePosixPath(path).name == "pyproject.toml":
        tool = data.get("tool")
        table = tool.get("ra2docs") if isinstance(tool, dict) else None
        return table if isinstance(table, dict) else None
    return data
