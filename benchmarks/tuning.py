"""What ``ra2docs_process_tuning`` costs and gives: builds with it off (the default) and on.

    python benchmarks/tuning.py --items 10000 --runs 5

Builds the 2020-08 edition (editions/2020-08) and the generated project of N items
(benchmarks/generate.py) with ``sphinx-build -b html``, alternating the setting run by run:
each time a full build into a fresh folder and a rebuild with nothing changed. Prints the
medians of the wall time, of the CPU time (user + system, the forked worker's included: the
machine is shared, and CPU time is what the load of others changes least) and of the peak
memory, as a Markdown table. An older ra2docs ignores the setting (Sphinx warns of an
unknown value): run against it, both rows time the older code.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
EDITION = HERE.parent / "editions" / "2020-08" / "source"
BIN = Path(sys.executable).parent

# Runs a command; prints the CPU seconds and the peak resident memory (KiB) of it and its children.
_MEASURE = (
    "import resource, subprocess, sys; "
    "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True); "
    "sys.stderr.write(r.stderr[-2000:]); "
    "u = resource.getrusage(resource.RUSAGE_CHILDREN); "
    "print(u.ru_utime + u.ru_stime, u.ru_maxrss); sys.exit(r.returncode)"
)


@dataclass
class Measure:
    wall: float
    cpu: float
    peak_kib: int


def build(source: Path, out: Path, tuning: bool) -> Measure:
    command = [str(BIN / "sphinx-build"), "-q", "-b", "html", "-D", f"ra2docs_process_tuning={int(tuning)}"]
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, *command, str(source), str(out)], capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"failed ({done.returncode}): {' '.join(command)} {source}\n{done.stderr}")
    cpu, peak = done.stdout.split()
    return Measure(wall, float(cpu), int(peak))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=10_000, help="items of the generated project (default 10,000)")
    parser.add_argument("--runs", type=int, default=5, help="runs of each setting (default 5)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/ra2docs-tuning"), help="scratch folder")
    args = parser.parse_args(argv)
    generated = args.work / f"n{args.items}"
    if not (generated / "ra2docs" / "source" / "conf.py").is_file():
        subprocess.run(
            [sys.executable, str(HERE / "generate.py"), "--items", str(args.items), "--out", str(generated)], check=True
        )
    projects = {"2020-08 edition": EDITION, f"{args.items:,} items": generated / "ra2docs" / "source"}
    figures: dict[tuple[str, bool, str], list[Measure]] = {}
    for run in range(args.runs):
        for tuning in (run % 2 == 0, run % 2 == 1):  # each setting goes first in turn
            for name, source in projects.items():
                out = args.work / f"out-{len(name)}-{int(tuning)}"
                shutil.rmtree(out, ignore_errors=True)
                full = build(source, out, tuning)
                again = build(source, out, tuning)
                figures.setdefault((name, tuning, "full"), []).append(full)
                figures.setdefault((name, tuning, "no change"), []).append(again)
                print(
                    f"run {run + 1}/{args.runs} {name}, tuning {'on' if tuning else 'off'}: full {full.wall:.2f} s "
                    f"({full.cpu:.2f} s CPU), no change {again.wall:.2f} s ({again.cpu:.2f} s CPU)",
                    file=sys.stderr,
                    flush=True,
                )
    print("| project | build | tuning | wall (s) | CPU (s) | peak memory (MiB) |")
    print("|---|---|---|---:|---:|---:|")
    for (name, tuning, kind), measures in sorted(figures.items(), key=lambda f: (f[0][0], f[0][2], f[0][1])):
        wall = statistics.median(m.wall for m in measures)
        cpu = statistics.median(m.cpu for m in measures)
        peak = statistics.median(m.peak_kib for m in measures) / 1024
        print(f"| {name} | {kind} | {'on' if tuning else 'off'} | {wall:.2f} | {cpu:.2f} | {peak:.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
