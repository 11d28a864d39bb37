"""Time ra2docs against sphinx-needs and against the floor (plain Sphinx), on the same generated items.

    pip install -e '.[bench]'            # sphinx-needs, in the same environment
    python benchmarks/run.py             # N = 10,000 / 40,000 / 100,000, 3 runs each; sphinx-needs at 10,000
    python benchmarks/run.py --sizes 1000 5000 --runs 1 --results /tmp/RESULTS.md

For every N it generates the three projects (benchmarks/generate.py): ra2docs, sphinx-needs
and the floor, the same pages written by hand as reStructuredText for plain Sphinx. Then,
run by run and rotating which project goes first, it measures for each project: a full
``sphinx-build -b html`` into a fresh folder, a rebuild with nothing changed, and an
incremental rebuild after editing the title of one item (a YAML item for ra2docs, the same
entry in its .rst page for the others) with the number of HTML pages rewritten; the peak
memory of each build; and ``ra2docs check``. sphinx-needs takes minutes a build from
40,000 items on: ``--needs-max`` (default 10,000) is the largest N it builds; ``--floor-max``
does the same for the floor.

It writes the medians, the ratios (against sphinx-needs, against the floor, incremental
against no change) and the scaling (each figure divided by the smallest N's) between the
markers of benchmarks/RESULTS.md; the analysis and the profiles around them are kept.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent

# Runs a command and reports its peak resident memory (of the largest of it and its children), in KiB.
_PEAK = (
    "import resource, subprocess, sys; "
    "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True); "
    "sys.stderr.write(r.stderr[-2000:]); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(r.returncode)"
)

# The regions of RESULTS.md this script writes; what lies outside them is written by people.
FIGURES = ("<!-- figures: written by benchmarks/run.py -->", "<!-- /figures -->")
RAW = ("<!-- raw: written by benchmarks/run.py -->", "<!-- /raw -->")

# What the issue asks of ra2docs (DESIGN.md, "Quality bars").
NEEDS_FACTOR = 10.0  # full build at least this many times faster than sphinx-needs
INCREMENTAL_FACTOR = 1.2  # incremental build within this factor of a no-change rebuild
CHECK_SECONDS = 1.0  # ``ra2docs check`` at N = CHECK_AT within this many seconds
CHECK_AT = 10_000
CHECK_SAMPLES = 5  # check is short: timed this many times a run, so that its median is not one noisy sample
LINEAR_SLACK = 1.2  # the largest N's full build within this factor of the item ratio (12x at 10x the items)


@dataclass
class Measure:
    seconds: float
    peak_kib: int


def timed(*command: str) -> Measure:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _PEAK, *command], capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"failed ({done.returncode}): {' '.join(command)}\n{done.stderr}")
    return Measure(seconds, int(done.stdout.strip().splitlines()[-1]))


def html_mtimes(out: Path) -> dict[str, int]:
    return {str(p.relative_to(out)): p.stat().st_mtime_ns for p in out.rglob("*.html")}


@dataclass
class Tool:
    name: str
    source: Path
    edit_file: Path
    edit_pattern: str
    full: list[Measure] = field(default_factory=list)
    noop: list[Measure] = field(default_factory=list)
    incremental: list[Measure] = field(default_factory=list)
    rewritten: list[int] = field(default_factory=list)
    pages: int = 0

    def build(self, out: Path) -> Measure:
        return timed(str(BIN / "sphinx-build"), "-q", "-b", "html", str(self.source), str(out))

    def edit(self, run: int) -> None:
        """Change the title of one item, differently each run."""
        text = self.edit_file.read_text(encoding="utf-8")
        new, count = re.subn(self.edit_pattern, lambda m: f"{m.group(1)}Edited title {run}{m.group(2)}", text, count=1)
        if count != 1:
            raise SystemExit(f"{self.name}: could not find the item to edit in {self.edit_file}")
        self.edit_file.write_text(new, encoding="utf-8")

    def measure(self, out: Path, run: int) -> None:
        """A full build, a rebuild with nothing changed, one edit and the incremental rebuild."""
        shutil.rmtree(out, ignore_errors=True)
        self.full.append(self.build(out))
        self.noop.append(self.build(out))
        before = html_mtimes(out)
        self.pages = len(before)
        time.sleep(0.05)  # distinct mtimes on coarse filesystems
        self.edit(run)
        self.incremental.append(self.build(out))
        after = html_mtimes(out)
        self.rewritten.append(sum(1 for page, mtime in after.items() if before.get(page) != mtime))

    def figures(self) -> dict[str, Any]:
        return {
            "full": median([m.seconds for m in self.full]),
            "noop": median([m.seconds for m in self.noop]),
            "incremental": median([m.seconds for m in self.incremental]),
            "rewritten": int(median(self.rewritten)),
            "pages": self.pages,
            "peak_mib": median([m.peak_kib for m in self.full]) / 1024,
            "peak_incremental_mib": median([m.peak_kib for m in self.incremental]) / 1024,
        }


def pick_item(base: Path) -> tuple[str, Path, str]:
    """A specification in the middle of the catalogue, its YAML file and where its title is."""
    catalogue = sorted((base / "ra2docs" / "catalogue").glob("page*.yaml"))
    middle = catalogue[len(catalogue) // 2]
    spec = re.search(r"^- id: (ra2\.\S+)$", middle.read_text(encoding="utf-8"), re.M)
    if spec is None:
        raise SystemExit(f"no specification in {middle}")
    item_id = spec.group(1)
    return item_id, middle, rf"(- id: {re.escape(item_id)}\n  kind: specification\n  title: ).*?(\n)"


def make_tools(base: Path, n: int, needs_max: int, floor_max: int | None) -> tuple[str, list[Tool]]:
    from generate import needs_id  # benchmarks/generate.py

    item_id, yaml_file, yaml_pattern = pick_item(base)
    page = yaml_file.stem + ".rst"
    tools = [Tool("ra2docs", base / "ra2docs" / "source", yaml_file, yaml_pattern)]
    if floor_max is None or n <= floor_max:
        floor_pattern = rf"(_`{re.escape(item_id)}` ).*?(\n)"
        tools.append(Tool("floor", base / "floor" / "source", base / "floor" / "source" / page, floor_pattern))
    if n <= needs_max:
        needs_pattern = rf"(\.\. spec:: ).*?(\n   :id: {needs_id(item_id)}\n)"
        tools.append(Tool("sphinx-needs", base / "needs" / "source", base / "needs" / "source" / page, needs_pattern))
    return item_id, tools


def versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for module in ("sphinx", "sphinx_needs", "ra2docs", "docutils", "yaml"):
        try:
            out[module] = __import__(module).__version__
        except Exception:
            out[module] = "not installed"
    return out


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB memory"
    except (OSError, ValueError, IndexError):
        pass
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores ({cpu}){memory}"


def median(values: list[float] | list[int]) -> float:
    return statistics.median(values) if values else float("nan")


def run_size(n: int, runs: int, work: Path, needs_max: int, floor_max: int | None, navigation: bool) -> dict[str, Any]:
    base = work / f"n{n}"
    command = [sys.executable, str(HERE / "generate.py"), "--items", str(n), "--out", str(base)]
    subprocess.run([*command, "--navigation"] if navigation else command, check=True)
    item_id, tools = make_tools(base, n, needs_max, floor_max)
    checks: list[Measure] = []
    for run in range(runs):
        order = tools[run % len(tools) :] + tools[: run % len(tools)]  # each project goes first in turn
        for tool in order:
            tool.measure(base / f"out-{tool.name}", run)
            print(
                f"N={n:,} run {run + 1}/{runs} {tool.name}: full {tool.full[-1].seconds:.1f}s, "
                f"no change {tool.noop[-1].seconds:.1f}s, incremental {tool.incremental[-1].seconds:.1f}s",
                flush=True,
            )
        for _ in range(CHECK_SAMPLES):
            checks.append(timed(str(BIN / "ra2docs"), "check", str(base / "ra2docs" / "catalogue")))
        latest = ", ".join(f"{c.seconds:.2f}s" for c in checks[-CHECK_SAMPLES:])
        print(f"N={n:,} run {run + 1}/{runs} ra2docs check: {latest}", flush=True)
    return {
        "n": n,
        "runs": runs,
        "edited": item_id,
        "check": median([c.seconds for c in checks]),
        "check_peak_mib": median([c.peak_kib for c in checks]) / 1024,
        "tools": {tool.name: tool.figures() for tool in tools},
    }


def cli_figures(work: Path, runs: int) -> dict[str, float]:
    """The reviewer's commands on the shipped catalogue, and reading a full e2e result file."""
    repo = HERE.parent
    figures: dict[str, float] = {}
    checks = [timed(str(BIN / "ra2docs"), "check", str(repo / "catalogue")).seconds for _ in range(runs)]
    figures["check (shipped catalogue)"] = median(checks)
    diffs = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([str(BIN / "ra2docs"), "diff", "HEAD~1"], cwd=repo, capture_output=True, check=False)
        diffs.append(time.perf_counter() - start)
    figures["diff HEAD~1 (shipped catalogue)"] = median(diffs)
    # A Kubernetes e2e junit_01.xml as a full conformance run writes it: about 7,200 cases, 2.5 MB.
    cases = "".join(
        f'<testcase name="[It] [sig-network] Services should serve endpoints on the same port and different '
        f'protocols, with session affinity kept across {i} restarts of the kube-proxy [Conformance]" '
        f'classname="Kubernetes e2e suite" status="{"passed" if i % 18 == 0 else "skipped"}" time="0.{i % 97}">'
        + ("" if i % 18 == 0 else '<skipped message="skipped"></skipped>')
        + "</testcase>\n"
        for i in range(7200)
    )
    junit = work / "junit_01.xml"
    junit.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites tests="7200"><testsuite name="Kubernetes e2e suite" '
        f'tests="7200" timestamp="2024-09-09T16:08:29">\n{cases}</testsuite></testsuites>\n'
    )
    sys.path.insert(0, str(repo))
    from ra2docs.results import read_file

    reads = []
    for _ in range(runs):
        start = time.perf_counter()
        results = read_file(junit, junit.name)
        reads.append(time.perf_counter() - start)
    assert len(results) == 7200
    figures[f"read a 7,200-case junit_01.xml ({junit.stat().st_size / 1e6:.1f} MB)"] = median(reads)
    return figures


# -- writing the results -------------------------------------------------------------------------

TOOLS = ("ra2docs", "floor", "sphinx-needs")
FIGURES_SHOWN = (
    ("full", "full build", "s"),
    ("noop", "no-change rebuild", "s"),
    ("incremental", "incremental rebuild", "s"),
    ("peak_mib", "peak memory (full build)", "MiB"),
)


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.1f}x" if b else "—"


def summary_lines(results: list[dict[str, Any]], runs: int, options: dict[str, Any]) -> list[str]:
    v = versions()
    needs_max, floor_max = options["needs_max"], options["floor_max"]
    lines = [
        f"- Machine: {machine()}" + (f"; {options['note']}" if options.get("note") else ""),
        f"- Versions: Python {v['python']}, Sphinx {v['sphinx']}, sphinx-needs {v['sphinx_needs']}, "
        f"ra2docs {v['ra2docs']}, docutils {v['docutils']}, PyYAML {v['yaml']}",
        f"- {runs} run{'s' if runs != 1 else ''} per size, rotating which project builds first; figures are medians. "
        "Every project is built by the same `sphinx-build -b html` (no `-j`) from the same generated items "
        "(benchmarks/generate.py): 10% Reference Model items, 30% requirements, 50% specifications, 10% test "
        "cases, about 250 items a page, a full requirements table with incoming links and a traceability page. "
        "ra2docs reads a catalogue of more than 1.5 MB with a second process. "
        f"`ra2docs check` (cold, no cache) is timed {CHECK_SAMPLES} times a run.",
        "- **The floor** is plain Sphinx building the same pages written by hand as reStructuredText: each item "
        "a definition-list entry with its fields as a field list, the tables as list-tables, the same texts and "
        "the same links as `:ref:` roles. It is what Sphinx costs without ra2docs; ra2docs writes its large "
        "views without building their docutils nodes, so it can be cheaper than the floor.",
        f"- sphinx-needs is built up to N = {needs_max:,} (`--needs-max`; it takes minutes a build from 40,000 "
        "items on)" + (f", the floor up to N = {floor_max:,} (`--floor-max`)" if floor_max is not None else "") + ".",
        "- No change: the same output folder rebuilt at once. Incremental: the title of one specification in the "
        "middle of the catalogue is edited (a YAML item for ra2docs, the same entry in its page for the others), "
        "then the same output folder is rebuilt.",
        "- The theme's global navigation sidebar is left out of every project"
        + (" (kept in this run: `--navigation`)" if options.get("navigation") else " (`--navigation` keeps it)")
        + ": it lists every page on every page, HTML that grows with the square of the pages, whatever builds them.",
        "",
        "| N | project | full build (s) | no change (s) | incremental (s) | incremental / no change "
        "| HTML pages rewritten / all | peak memory (MiB) |",
        "|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        for name in TOOLS:
            t = r["tools"].get(name)
            if t is None:
                continue
            lines.append(
                f"| {r['n']:,} | {name} | {t['full']:.1f} | {t['noop']:.1f} | {t['incremental']:.1f} | "
                f"{t['incremental'] / t['noop']:.2f} | {t['rewritten']} / {t['pages']} | {t['peak_mib']:.0f} |"
            )
    lines += [
        "",
        "| N | full build: sphinx-needs / ra2docs | incremental: sphinx-needs / ra2docs | full build: ra2docs / "
        "floor | peak memory: ra2docs / sphinx-needs | peak memory: ra2docs / floor | `ra2docs check` (s) "
        "| `check` peak (MiB) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        a = r["tools"]["ra2docs"]
        b = r["tools"].get("sphinx-needs")
        f = r["tools"].get("floor")
        cells = [
            _ratio(b["full"], a["full"]) if b else "—",
            _ratio(b["incremental"], a["incremental"]) if b else "—",
            f"{a['full'] / f['full']:.2f}" if f else "—",
            f"{a['peak_mib'] / b['peak_mib']:.2f}" if b else "—",
            f"{a['peak_mib'] / f['peak_mib']:.2f}" if f else "—",
            f"{r['check']:.2f}",
            f"{r['check_peak_mib']:.0f}",
        ]
        lines.append(f"| {r['n']:,} | {' | '.join(cells)} |")
    lines += scaling_lines(results) + target_lines(results)
    return lines


def scaling_lines(results: list[dict[str, Any]]) -> list[str]:
    """Each figure at every N divided by the smallest N's, beside the ratio of the items."""
    if len(results) < 2:
        return []
    first = results[0]
    rest = results[1:]
    header = " | ".join(f"{r['n']:,} ({r['n'] / first['n']:g}x the items)" for r in rest)
    lines = [
        "",
        f"Scaling: each figure divided by the same figure at N = {first['n']:,} (linear cost: the item ratio).",
        "",
        f"| project | figure | at {first['n']:,} | {header} |",
        "|---|---|---:|" + "---:|" * len(rest),
    ]
    for name in TOOLS:
        base = first["tools"].get(name)
        if base is None or all(name not in r["tools"] for r in rest):
            continue
        for key, label, unit in FIGURES_SHOWN:
            cells = []
            for r in rest:
                t = r["tools"].get(name)
                cells.append(_ratio(t[key], base[key]) if t else "—")
            shown = f"{base[key]:.0f}" if unit == "MiB" else f"{base[key]:.1f}"
            lines.append(f"| {name} | {label} | {shown} {unit} | {' | '.join(cells)} |")
    cells = [_ratio(r["check"], first["check"]) for r in rest]
    lines.append(f"| ra2docs | `ra2docs check` | {first['check']:.2f} s | {' | '.join(cells)} |")
    cells = [_ratio(r["check_peak_mib"], first["check_peak_mib"]) for r in rest]
    lines.append(f"| ra2docs | `check` peak memory | {first['check_peak_mib']:.0f} MiB | {' | '.join(cells)} |")
    return lines


def target_lines(results: list[dict[str, Any]]) -> list[str]:
    """The issue's targets, each with the figures it was judged on."""

    def verdict(ok: bool) -> str:
        return "met" if ok else "**not met**"

    lines = ["", "Targets:", ""]
    for r in results:
        a, b = r["tools"]["ra2docs"], r["tools"].get("sphinx-needs")
        if b:
            ratio = b["full"] / a["full"]
            lines.append(
                f"- N = {r['n']:,}: full build {ratio:.1f}x faster than sphinx-needs "
                f"(at least {NEEDS_FACTOR:g}x): {verdict(ratio >= NEEDS_FACTOR)}"
            )
    for r in results:
        if r["n"] == CHECK_AT:
            lines.append(
                f"- N = {r['n']:,}: `ra2docs check` {r['check']:.2f} s (within {CHECK_SECONDS:g} s): "
                f"{verdict(r['check'] <= CHECK_SECONDS)}"
            )
    for r in results:
        a = r["tools"]["ra2docs"]
        ratio = a["incremental"] / a["noop"]
        lines.append(
            f"- N = {r['n']:,}: incremental build {ratio:.2f}x a no-change rebuild "
            f"(within {INCREMENTAL_FACTOR:g}x): {verdict(ratio <= INCREMENTAL_FACTOR)}"
        )
    if len(results) >= 2:
        first, last = results[0], results[-1]
        items = last["n"] / first["n"]
        a0, a1 = first["tools"]["ra2docs"], last["tools"]["ra2docs"]
        ratio = a1["full"] / a0["full"]
        allowed = LINEAR_SLACK * items
        lines.append(
            f"- full build at N = {last['n']:,} is {ratio:.1f}x the one at {first['n']:,} ({items:g}x the items, "
            f"at most {allowed:g}x): {verdict(ratio <= allowed)}"
        )
        for key, label in (("noop", "no-change rebuild"), ("incremental", "incremental rebuild")):
            grown = a1[key] / a0[key]
            lines.append(f"- {label} grew {grown:.1f}x for {items:g}x the items: {verdict(grown <= items)}")
        grown = a1["peak_mib"] / a0["peak_mib"]
        lines.append(f"- peak memory grew {grown:.1f}x for {items:g}x the items: {verdict(grown <= items)}")
        grown = last["check"] / first["check"]
        lines.append(f"- `ra2docs check` grew {grown:.1f}x for {items:g}x the items: {verdict(grown <= items)}")
    return lines


def _replace(text: str, markers: tuple[str, str], body: list[str]) -> str:
    begin, end = markers
    block = "\n".join([begin, *body, end])
    if begin in text and end in text:
        return text[: text.index(begin)] + block + text[text.index(end) + len(end) :]
    return text.rstrip("\n") + "\n\n" + block + "\n"


def write_results(
    results: list[dict[str, Any]],
    path: Path,
    runs: int,
    options: dict[str, Any],
    cli: dict[str, float] | None = None,
) -> None:
    """The figures between RESULTS.md's markers; the rest of the file (analysis, profiles) is kept."""
    figures = summary_lines(results, runs, options)
    if cli:
        figures += ["", "Command line:", "", "| command | median (s) |", "|---|---:|"]
        figures += [f"| {name} | {seconds:.2f} |" for name, seconds in cli.items()]
    raw = ["## Raw figures", "", "```json", json.dumps(results, indent=1), "```"]
    if path.exists():
        text = path.read_text(encoding="utf-8")
    else:
        text = "# Benchmark: ra2docs against sphinx-needs and plain Sphinx\n"
    text = _replace(text, FIGURES, figures)
    text = _replace(text, RAW, raw)
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 40000, 100000], help="values of N")
    parser.add_argument("--runs", type=int, default=3, help="runs per size (default 3)")
    parser.add_argument(
        "--needs-max", type=int, default=10000, help="largest N sphinx-needs builds (default 10000; 0: never)"
    )
    parser.add_argument("--floor-max", type=int, default=None, help="largest N the floor builds (default: every N)")
    parser.add_argument(
        "--navigation", action="store_true", help="keep the theme's global navigation sidebar (quadratic in pages)"
    )
    parser.add_argument("--note", default="", help="a remark on the machine, written beside it (e.g. 'shared, noisy')")
    parser.add_argument("--work", type=Path, default=Path("/tmp/ra2docs-bench"), help="scratch folder")
    parser.add_argument("--results", type=Path, default=HERE / "RESULTS.md", help="where to write the results")
    parser.add_argument("--no-cli", action="store_true", help="leave out the command-line figures")
    args = parser.parse_args(argv)
    if shutil.which("sphinx-build", path=str(BIN)) is None:
        parser.error("sphinx-build is not installed in this environment")
    if args.needs_max and min(args.sizes) <= args.needs_max:
        try:
            import sphinx_needs  # noqa: F401
        except ImportError:
            parser.error("sphinx-needs is not installed: pip install -e '.[bench]' (or --needs-max 0)")
    sizes = sorted(args.sizes)
    sys.path.insert(0, str(HERE))
    args.work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    results = [run_size(n, args.runs, args.work, args.needs_max, args.floor_max, args.navigation) for n in sizes]
    cli = None if args.no_cli else cli_figures(args.work, max(args.runs, 5))
    options = {"needs_max": args.needs_max, "floor_max": args.floor_max, "navigation": args.navigation}
    options["note"] = args.note
    write_results(results, args.results, args.runs, options, cli)
    print(f"wrote {args.results} in {(time.perf_counter() - started) / 60:.0f} min")
    return 0


if __name__ == "__main__":
    sys.exit(main())
