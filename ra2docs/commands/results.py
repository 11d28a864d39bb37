"""``ra2docs results``: verdicts of the catalogue's items from conformance test results."""

from __future__ import annotations

import argparse
import copy
from pathlib import Path
from typing import Any

from ra2docs.baseline import mark
from ra2docs.check import analyse, settle
from ra2docs.commands.common import (
    Console,
    add_catalogue_options,
    add_command,
    catalogue_folder,
    load,
    read_results,
    settings_of,
)
from ra2docs.findings import ExitCode, Ra2docsError
from ra2docs.graph import TraceGraph
from ra2docs.results import Source
from ra2docs.results.result import TESTAPI_FILTERS
from ra2docs.results.verdicts import FAIL, NOT_RUN, STALE

# --fail-on: each choice, and the verdicts of mandatory items that make the exit code 1.
FAIL_ON = {
    "fail": {FAIL},
    "fail,not-run": {FAIL, NOT_RUN},
    "fail,not-run,stale": {FAIL, NOT_RUN, STALE},
    "never": set(),
}


def add_parser(sub: Any) -> None:
    command = add_command(
        sub,
        "results",
        "verdicts of the catalogue's items from conformance test results",
        "Read result files (Kubernetes e2e / Sonobuoy JUnit XML or tarball, sonobuoy_results.yaml, Xtesting "
        "records, CNF test suite results) and print each test case's and each item's verdict: pass, fail, "
        "skipped, not run or stale.",
        findings="a mandatory item is in a --fail-on state",
    )
    command.add_argument("files", metavar="RESULT_FILE", nargs="*", help="result files or glob patterns")
    command.add_argument(
        "--label", help="where the files' results ran (environment, product or vendor): their runs' label"
    )
    command.add_argument(
        "--run",
        action="append",
        metavar="LABEL=FILES",
        help="result files (a glob) of one environment, product or vendor; repeat for each",
    )
    api = command.add_argument_group("the test database (TestAPI) over HTTP")
    api.add_argument("--testapi", metavar="URL", help="fetch results from a TestAPI (e.g. .../api/v1/results)")
    api.add_argument(
        "--cache",
        metavar="FILE",
        default="testapi-results.json",
        help="where the fetched results are written, for builds to read offline (default: testapi-results.json)",
    )
    for name in TESTAPI_FILTERS:
        api.add_argument(f"--{name.replace('_', '-')}", dest=f"testapi_{name}", metavar="VALUE", help=f"TestAPI {name}")
    api.add_argument("--timeout", type=float, default=30.0, help="seconds per request (default: 30)")
    api.add_argument("--retries", type=int, default=3, help="retries after a network error or a 5xx (default: 3)")
    command.add_argument("--format", choices=["text", "json", "junit"], default="text", help="output format")
    command.add_argument(
        "--fail-on",
        choices=list(FAIL_ON),
        default="fail,not-run",
        metavar="VERDICTS",
        help="verdicts of mandatory items that make the exit code 1: "
        + " | ".join(FAIL_ON)
        + " (default: %(default)s)",
    )
    add_catalogue_options(command)
    command.set_defaults(handler=run)


def _fetch_testapi(args: argparse.Namespace, console: Console) -> str:
    """Fetch the test database's results into the cache file; the cache is then read like any result file."""
    from ra2docs.results.testapi import Fetch, fetch_all, write_cache

    filters = {name: value for name in TESTAPI_FILTERS if (value := getattr(args, "testapi_" + name))}
    fetch = Fetch(args.testapi, filters, timeout=args.timeout, retries=args.retries)
    records = fetch_all(fetch)
    cache = Path(args.cache)
    write_cache(cache, fetch, records)
    console.err(f"{len(records)} results from {args.testapi} written to {cache} (builds read it offline)\n")
    return str(cache)


def run(args: argparse.Namespace, console: Console) -> int:
    from ra2docs.results import parse_run_option
    from ra2docs.results.report import results_json, results_junit, results_text
    from ra2docs.results.verdicts import compute, gate

    settings = settings_of(args)
    folder = catalogue_folder(args, settings)
    loaded = load(folder, settings)
    # What the loader reports counts with the severities and the baseline of the settings, as in 'check';
    # only when those hold an error are all of 'check''s findings worked out, to show them.
    options = settings.check_options(folder)
    settled = settle([copy.copy(f) for f in loaded.findings], options.severity)
    if options.baseline is not None:
        mark(settled, options.baseline)
    if loaded.fatal or any(f.severity == "error" and not f.known for f in settled):
        for finding in analyse(loaded, options):
            if finding.severity == "error" and not finding.known:
                console.finding(finding)
        raise Ra2docsError(f"the catalogue in {folder} has errors; run 'ra2docs check --catalogue {folder}'")
    graph = TraceGraph(loaded.catalogue)
    labelled = args.label and args.files
    sources: list[Source] = [{"label": args.label, "files": args.files}] if labelled else list(args.files)
    sources += [parse_run_option(r) for r in args.run or []]
    if args.testapi:
        sources.append(_fetch_testapi(args, console))
    if not sources:
        raise Ra2docsError("results: name result files, runs with --run LABEL=FILES, or --testapi URL")
    results = read_results(sources, Path.cwd(), console)
    if results is None:
        return ExitCode.CANNOT_LOAD
    verdicts = compute(graph, results)
    failing = gate(graph, verdicts, FAIL_ON[args.fail_on])
    render = {"json": results_json, "junit": results_junit}.get(args.format, results_text)
    output = render(graph, verdicts, results, failing)
    if args.format == "text":
        console.out(output)
    else:
        console.document(output)
    return ExitCode.FINDINGS if failing else ExitCode.CLEAN
