"""What the history of releases adds: computing it, reading it back, a site build with and without it.

    .venv/bin/python benchmarks/history.py [--releases FOLDER] [--runs N]

Prints a Markdown table (the figures of benchmarks/RESULTS.md, "History across releases"). Each build is a
fresh ``sphinx-build -b html`` of a copy of ``source/`` in a new output folder; "with history" uses the
history cache (the state of every build after the first on a machine), "history computed" empties it first.
Times are CPU seconds (user + system) of this process or of the build's process.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ra2docs import history

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def timed(action: object) -> float:
    """CPU seconds: the machine is shared, and wall time follows the neighbours' load."""
    start = time.process_time()
    action()  # type: ignore[operator]
    return time.process_time() - start


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def build(project: Path, out: Path, cache_home: Path, *defines: str) -> float:
    args = [str(BIN / "sphinx-build"), "-q", "-b", "html", *defines, str(project / "source"), str(out)]
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    start = children_cpu()
    subprocess.run(args, check=True, env=env, capture_output=True)
    return children_cpu() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--releases", default=str(ROOT.parent / "shared" / "upstream" / "releases"))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    folder = Path(args.releases).resolve()
    rows: list[tuple[str, list[float]]] = []
    with tempfile.TemporaryDirectory(prefix="ra2docs-history-bench-") as tmp_text:
        tmp = Path(tmp_text)
        cache = tmp / "cache"

        def cold() -> None:
            history._computed.clear()
            history.load(folder, cache_dir=None)

        def warm() -> None:
            history._computed.clear()
            history.load(folder, cache_dir=cache)

        history.load(folder, cache_dir=cache)  # the entry warm() reads
        rows.append(("compute the history of 11 releases (import + compare)", [timed(cold) for _ in range(args.runs)]))
        rows.append(
            ("read it back from the cache (digest of the sources + JSON)", [timed(warm) for _ in range(args.runs)])
        )
        project = tmp / "project"
        shutil.copytree(ROOT / "source", project / "source", ignore=shutil.ignore_patterns("_generated", "_history"))
        shutil.copytree(ROOT / "catalogue", project / "catalogue")
        shutil.copytree(ROOT / "results", project / "results")
        history_on = ("-D", f"ra2docs_history={folder}")
        off, on, computed = [], [], []
        for run in range(args.runs):
            off.append(build(project, tmp / f"off{run}", tmp / "home", "-D", "ra2docs_history="))
            on.append(build(project, tmp / f"on{run}", tmp / "home", *history_on))
            shutil.rmtree(tmp / "fresh-home", ignore_errors=True)
            computed.append(build(project, tmp / f"computed{run}", tmp / "fresh-home", *history_on))
        rows += [
            ("site build (2020-08 edition), no history", off),
            ("site build, history up to Baldy.1, cached", on),
            ("site build, history up to Baldy.1, computed", computed),
        ]
    print("| what | median CPU s | runs |")
    print("|---|---:|---|")
    for name, times in rows:
        print(f"| {name} | {statistics.median(times):.2f} | {', '.join(f'{t:.2f}' for t in times)} |")


if __name__ == "__main__":
    main()
