"""Shared helpers: temporary catalogues, the CLI (in-process and as a process), and one real build of the site."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
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
# The 2020-08 edition (the commissioned one, with the seed's chapter 3): source/, catalogue/, ra2docs.toml.
EDITION_2020 = ROOT / "editions" / "2020-08"

# The tests read what commands print: CI may ask every program for colour
# (FORCE_COLOR), which would wrap Sphinx's warnings in escape codes.
os.environ.pop("FORCE_COLOR", None)
os.environ["NO_COLOR"] = "1"


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


# A test using one of these fixtures builds the whole site or sets up RA2's own Python 3.10 environment.
SLOW_FIXTURES = {"built_site", "ra2_env"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """``pytest -m "not slow"`` is the fast tier: whole-site builds, browser tests and adoptions of RA2 are ``slow``.

    Browser tests and users of SLOW_FIXTURES are marked here; the others say so where they are written.
    """
    for item in items:
        if item.get_closest_marker("browser") or SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


def require(program: str, install: str) -> str:
    """The path of a program a test needs. Its absence fails the test, saying how to install it: never a skip,
    so that a test cannot pass in CI by not running."""
    found = shutil.which(program)
    if found is None:
        pytest.fail(f"{program} is needed and not on PATH: {install}", pytrace=False)
    return found


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


def ra2docs(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``ra2docs ARGS`` run in this process (``ra2docs.cli.main``), read like ``run("ra2docs", ...)``.

    The same exit code, standard output and standard error, without starting Python again (about
    half a second a run): for every test where a process of its own is not the point.
    """
    from ra2docs.cli import main

    stdout, stderr = io.StringIO(), io.StringIO()
    before = Path.cwd()
    os.chdir(cwd or ROOT)
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            code = main(list(args))
    finally:
        os.chdir(before)
    return subprocess.CompletedProcess(["ra2docs", *args], code, stdout.getvalue(), stderr.getvalue())


def sphinx_project(tmp: Path, catalogue: Path | None = None, extra_pages: dict[str, str] | None = None) -> Path:
    """A copy of the 2020-08 edition's source/ beside a catalogue, ready to build.

    Laid out as in the repository (editions/2020-08/ with releases/ and results/ at the top), so
    that the edition's conf.py finds its history and results; the edition's folder is returned.
    """
    top = tmp / "project"
    project = top / "editions" / "2020-08"
    shutil.copytree(
        EDITION_2020 / "source", project / "source", ignore=shutil.ignore_patterns("_generated", "_history")
    )
    shutil.copy(EDITION_2020 / "ra2docs.toml", project / "ra2docs.toml")
    if not (top / "releases").exists():  # the site's history (ra2docs_history) reads ../../../releases
        (top / "releases").symlink_to(ROOT / "releases", target_is_directory=True)
    shutil.copytree(catalogue or EDITION_2020 / "catalogue", project / "catalogue")
    shutil.copytree(ROOT / "results", top / "results")
    (project / "results").symlink_to(top / "results", target_is_directory=True)  # tests name project/results
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


# Today's RA2 documentation tree, whose test-requirements.txt pins Sphinx 7.2.6.
RA2_TREE = SHARED / "upstream" / "ra2-repo-2025-08" / "doc" / "ref_arch" / "kubernetes"
PYTHON310 = Path.home() / ".pyenv" / "versions" / "3.10.13" / "bin" / "python"


def _python310() -> Path:
    found = [PYTHON310, *sorted(Path.home().glob(".pyenv/versions/3.10*/bin/python"))]
    python = next((p for p in found if p.is_file()), None)
    if python is None:
        which = shutil.which("python3.10")
        python = Path(which) if which else None
    assert python is not None, "Python 3.10 is needed (RA2's Read the Docs builds on it): install it, e.g. with pyenv"
    return python


def sh(
    *args: str | Path, cwd: Path, env: dict[str, str] | None = None, timeout: int = 600
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


@pytest.fixture(scope="session")
def ra2_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Python 3.10 with the RA2 tree's requirements and ra2docs from a freshly built wheel (kept between runs)."""
    requirements = (RA2_TREE / "test-requirements.txt").read_text(encoding="utf-8")
    key = hashlib.blake2b(((ROOT / "pyproject.toml").read_text() + requirements).encode(), digest_size=6).hexdigest()
    venv = ROOT / ".venv-ra2-py310"
    python = venv / "bin" / "python"
    stamp = venv / f".installed-{key}"
    # Test workers (pytest -n) share this environment: one makes it and installs the wheel at a time.
    with open(ROOT / ".venv-ra2-py310.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _ra2_env(venv, python, stamp, tmp_path_factory)


def _ra2_env(venv: Path, python: Path, stamp: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    if not stamp.exists():
        shutil.rmtree(venv, ignore_errors=True)
        made = sh(_python310(), "-m", "venv", venv, cwd=ROOT)
        assert made.returncode == 0, made.stderr
        installed = sh(python, "-m", "pip", "install", "--quiet", "-r", RA2_TREE / "test-requirements.txt", cwd=ROOT)
        assert installed.returncode == 0, installed.stdout + installed.stderr
    wheels = tmp_path_factory.mktemp("wheel")
    built = sh(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", wheels, ROOT, cwd=ROOT)
    assert built.returncode == 0, built.stdout + built.stderr
    wheel = next(wheels.glob("ra2docs-*.whl"))
    # the wheel beside the tree's pins: pip must not move Sphinx off 7.2.6
    installed = sh(python, "-m", "pip", "install", "--quiet", "--force-reinstall", "--no-deps", wheel, cwd=ROOT)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    deps = sh(python, "-m", "pip", "install", "--quiet", wheel, "-r", RA2_TREE / "test-requirements.txt", cwd=ROOT)
    assert deps.returncode == 0, deps.stdout + deps.stderr
    stamp.touch()
    versions = sh(
        python,
        "-c",
        "import sphinx, ra2docs, sys; print(sys.version_info[:2], sphinx.__version__, ra2docs.__file__)",
        cwd=wheels,  # not the checkout: the installed package must be the one imported
    )
    assert versions.returncode == 0 and "(3, 10) 7.2.6" in versions.stdout and ".venv-ra2-py310" in versions.stdout, (
        versions.stdout + versions.stderr
    )
    env = dict(os.environ)
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env['PATH']}"
    env.pop("PYTHONPATH", None)
    env["VIRTUAL_ENV"] = str(venv)
    return env
