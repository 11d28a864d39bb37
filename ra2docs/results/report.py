"""The verdicts for people (text) and machines (JSON, JUnit XML); untrusted text escaped per format."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter

from ra2docs.coverage import REQUIREMENT_KINDS
from ra2docs.escaping import for_terminal, for_xml, json_dumps
from ra2docs.graph import TraceGraph
from ra2docs.model import natural_key
from ra2docs.report import xml_document
from ra2docs.results.result import Result
from ra2docs.results.verdicts import ALL_VERDICTS, FAIL, NOT_RUN, SKIPPED, STALE, Run, Verdicts


def _items(graph: TraceGraph, verdicts: Verdicts) -> list[tuple[str, str]]:
    items = [i for i in graph.catalogue.items.values() if i.id in verdicts.items]
    return [(i.id, verdicts.of(i.id)) for i in sorted(items, key=lambda i: natural_key(i.id))]


def _run_line(run: Run) -> str:
    when = f"{run.date:%Y-%m-%d %H:%M}" if run.date else "undated"
    state = "" if run.complete else " (incomplete: written while running)"
    files = ", ".join(run.files)
    return f"  {when}  {run.label or '(no label)'}  {run.tool} {run.id}  [{files}]{state}"


def results_text(graph: TraceGraph, verdicts: Verdicts, results: list[Result], failing: list[str]) -> str:
    out = [f"{len(results)} results read; {len(verdicts.unmatched)} claimed by no test case", ""]
    out += [f"runs ({len(verdicts.runs)}, oldest first):", *(for_terminal(_run_line(r)) for r in verdicts.runs)]
    out += ["", "test cases:"]
    for test_id, tv in sorted(verdicts.tests.items(), key=lambda kv: natural_key(kv[0])):
        tallies = ", ".join(f"{n} {s}" for s, n in sorted(tv.counts.items()))
        when = f", {tv.date:%Y-%m-%d %H:%M}" if tv.date else ""
        lasts = "".join(
            f"; {label or '(no label)'}: last {h.verdict} in run {h.run.id}"
            + (f" of {h.run.date:%Y-%m-%d %H:%M}" if h.run.date else "")
            for label, h in sorted(tv.last.items())
        )
        out.append(f"  {tv.verdict:<8} {for_terminal(test_id)}  ({tallies or 'no result'}{when}{for_terminal(lasts)})")
    out += ["", "items:"]
    for item_id, verdict in _items(graph, verdicts):
        out.append(f"  {verdict:<8} {for_terminal(item_id)}")
    counts = Counter(v for _, v in _items(graph, verdicts))
    out += ["", "by section:"]
    for section, row in verdicts.counts_by_section(graph, REQUIREMENT_KINDS).items():
        shown = ", ".join(f"{row[v]} {v}" for v in ALL_VERDICTS if row[v])
        out.append(f"  {for_terminal(section):<8} {shown}")
    out.append("")
    out.append("summary: " + (", ".join(f"{counts[v]} {v}" for v in ALL_VERDICTS[:-1] if counts[v]) or "no verdicts"))
    if failing:
        out.append(f"mandatory items failing the gate ({len(failing)}): {for_terminal(', '.join(failing))}")
    return "\n".join(out) + "\n"


def results_json(graph: TraceGraph, verdicts: Verdicts, results: list[Result], failing: list[str]) -> str:
    runs = {run.key: index for index, run in enumerate(verdicts.runs)}
    payload = {
        "runs": [
            {
                "id": run.id,
                "label": run.label,
                "tool": run.tool,
                "date": run.date.isoformat() if run.date else None,
                "files": list(run.files),
                "complete": run.complete,
            }
            for run in verdicts.runs
        ],
        "tests": {
            t: {
                "verdict": tv.verdict,
                "date": tv.date.isoformat() if tv.date else None,
                "history": [{"run": runs[h.run.key], "verdict": h.verdict} for h in tv.history],
                "last": {label: {"run": runs[h.run.key], "verdict": h.verdict} for label, h in tv.last.items()},
                "results": [
                    {"name": r.name, "status": r.status, "source": r.source, "run": r.run, "time": r.time}
                    for r in tv.results
                ],
            }
            for t, tv in sorted(verdicts.tests.items())
        },
        "items": {
            i: {
                "verdict": v,
                "tests": verdicts.items[i].tests,
                "history": [
                    {"run": runs[key], "verdict": verdict}
                    for key, verdict in sorted(verdicts.items[i].history.items(), key=lambda kv: runs[kv[0]])
                ],
            }
            for i, v in _items(graph, verdicts)
        },
        "sections": {s: dict(c) for s, c in verdicts.counts_by_section(graph, REQUIREMENT_KINDS).items()},
        "unmatched": len(verdicts.unmatched),
        "failing": failing,
    }
    return json_dumps(payload) + "\n"


def results_junit(graph: TraceGraph, verdicts: Verdicts, results: list[Result], failing: list[str]) -> str:
    """One test case per item with a verdict: fail and stale as failures, not run and skipped as skipped."""
    rows = _items(graph, verdicts)
    root = ET.Element(
        "testsuite",
        name="ra2docs verdicts",
        tests=str(len(rows)),
        failures=str(sum(1 for _, v in rows if v in (FAIL, STALE))),
        skipped=str(sum(1 for _, v in rows if v in (NOT_RUN, SKIPPED))),
        errors="0",
    )
    for item_id, verdict in rows:
        item = graph.catalogue.items[item_id]
        case = ET.SubElement(root, "testcase", classname=for_xml(f"ra2docs.{item.kind}"), name=for_xml(item_id))
        tests = ", ".join(verdicts.items[item_id].tests) or "results naming it"
        if verdict in (FAIL, STALE):
            ET.SubElement(case, "failure", type=verdict, message=for_xml(f"{verdict} (tests: {tests})"))
        elif verdict in (NOT_RUN, SKIPPED):
            ET.SubElement(case, "skipped", message=for_xml(f"{verdict} (tests: {tests})"))
        ET.SubElement(case, "system-out").text = for_xml(item.title)
    return xml_document(root)
