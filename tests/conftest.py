"""Shared helpers: temporary catalogues, the CLI, and one real build of the site."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import tarfile
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _find_shared() -> Path:
    """The shared spec sources and result fixtures the tests read.

    They sit beside the checkout (also in CI). A clone of a local checkout
    (``git clone . /tmp/fresh``) finds them beside the checkout it was cloned
    from; RA2DOCS_SHARED names them anywhere else.
    """
    if os.environ.get("RA2DOCS_SHARED"):
        return Path(os.environ["RA2DOCS_SHARED"])
    beside = ROOT.parent / "shared"
    try:
        origin = subprocess.run(
            ["git", "-C", str(ROOT), "config", "--get", "remote.origin.url"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        origin = ""
    candidates = [beside]
    if origin and Path(origin).is_dir():  # a local path, not a URL
        candidates.append(Path(origin).resolve().parent / "shared")
    return next((c for c in candidates if (c / "upstream").is_dir()), beside)


SHARED = _find_shared()
BIN = Path(sys.executable).parent

PROFILES = """\
profiles:
  - {id: basic, title: Basic}
  - {id: network-intensive, title: Network Intensive}
"""


def pytest_sessionstart(session: pytest.Session) -> None:
    if not (SHARED / "upstream").is_dir() or not (SHARED / "fixtures").is_dir():
        pytest.exit(
            f"the shared spec sources and fixtures are not at {SHARED} (expected upstream/ and fixtures/ there); "
            "clone ra2docs beside them, or set RA2DOCS_SHARED=/path/to/shared",
            returncode=4,
        )


def write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


def tar_gz(members: dict[str, bytes], symlink: str | None = None, link_target: str = "/etc/passwd") -> bytes:
    """A gzipped tarball of ``members``, plus a symbolic link named ``symlink`` if given."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
        if symlink:
            info = tarfile.TarInfo(symlink)
            info.type = tarfile.SYMTYPE
            info.linkname = link_target
            archive.addfile(info)
    return out.getvalue()


def run(*args: str, cwd: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run a command of the venv (ra2docs, sphinx-build) as a user would."""
    exe = BIN / args[0]
    return subprocess.run(
        [str(exe), *args[1:]], capture_output=True, text=True, cwd=cwd or ROOT, timeout=timeout, check=False
    )


def sphinx_project(tmp: Path, catalogue: Path | None = None, extra_pages: dict[str, str] | None = None) -> Path:
    """A copy of the site's source/ beside a catalogue, ready to build."""
    project = tmp / "project"
    shutil.copytree(ROOT / "source", project / "source", ignore=shutil.ignore_patterns("_generated"))
    shutil.copytree(catalogue or ROOT / "catalogue", project / "catalogue")
    shutil.copytree(ROOT / "results", project / "results")
    for name, text in (extra_pages or {}).items():
        (project / "source" / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return project


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site, built once with -W from a copy of the repository's sources."""
    tmp = tmp_path_factory.mktemp("site")
    project = sphinx_project(tmp)
    out = tmp / "html"
    result = run("sphinx-build", "-W", "--keep-going", "-q", "-b", "html", str(project / "source"), str(out))
    assert result.returncode == 0, result.stderr
    return out
