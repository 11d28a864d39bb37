"""Known findings: a baseline file of fingerprints, so that upstream's old defects never fail a run.

``ra2docs adopt`` records the findings a tree already had (its upstream defects)
in ``ra2docs-baseline.json`` beside the catalogue. Every command and the Sphinx
build then mark a finding whose fingerprint is in the baseline as *known*: it is
still reported, at its real severity, but it does not fail ``check``, the build
or a gate. Any other finding fails as it always would: no rule is lowered.
Fixing a defect leaves a baseline entry that matches nothing; ``check`` says so,
and ``ra2docs check --update-baseline`` rewrites the file with what is left.

A fingerprint leaves out what moves when unrelated lines are edited (lines,
columns, the file's folder): the rule, the item and the message, with any
``file:line`` in the message reduced to the file name.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import TypedDict

from ra2docs.findings import Finding, Ra2docsError
from ra2docs.yamlsource import read_regular_file

BASELINE_FILE = "ra2docs-baseline.json"
MAX_BASELINE_BYTES = 4 * 1024 * 1024
MAX_ENTRIES = 100_000
_PLACE = re.compile(r"([^\s'\"():]+\.ya?ml):\d+(?::\d+)?")  # our own message text, not catalogue markup


def fingerprint(finding: Finding) -> str:
    """What identifies a finding across edits that do not touch it."""
    message = _PLACE.sub(lambda m: Path(m.group(1)).name, finding.message)
    key = "\x1f".join((finding.rule, finding.item, message))
    return hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=10).hexdigest()


def read(path: Path) -> Counter[str]:
    """The fingerprints a baseline file holds (a fingerprint may stand for several equal findings)."""
    data = read_regular_file(path, MAX_BASELINE_BYTES)
    if isinstance(data, Finding):
        raise Ra2docsError(f"{path}: cannot read the baseline: {data.message}", [data.placed(str(path))])
    try:
        parsed = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise Ra2docsError(f"{path}: not a baseline file (JSON): {exc}") from None
    entries = parsed.get("findings") if isinstance(parsed, dict) else None
    if not isinstance(entries, list) or len(entries) > MAX_ENTRIES:
        raise Ra2docsError(f"{path}: not a baseline file: expected {{'findings': [...]}} (at most {MAX_ENTRIES:,})")
    known: Counter[str] = Counter()
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict) or not isinstance(entry.get("fingerprint"), str):
            raise Ra2docsError(f"{path}: findings[{index}] has no fingerprint")
        count = entry.get("count", 1)
        if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= MAX_ENTRIES:
            raise Ra2docsError(f"{path}: findings[{index}]: count must be a whole number from 1")
        known[entry["fingerprint"]] += count
    return known


def mark(findings: Iterable[Finding], known: Counter[str]) -> Counter[str]:
    """Mark the findings the baseline knows; returns the baseline entries that matched nothing."""
    left = Counter(known)
    for finding in findings:
        if finding.severity not in ("error", "warning"):
            continue
        print_ = fingerprint(finding)
        if left[print_] > 0:
            left[print_] -= 1
            finding.known = True
    return +left


class _Entry(TypedDict):
    """One entry of a baseline file: equal findings, counted."""

    fingerprint: str
    rule: str
    item: str
    message: str
    count: int


def text(findings: Iterable[Finding]) -> str:
    """A baseline file recording these findings (errors and warnings), readable in a review."""
    counted: dict[str, _Entry] = {}
    for finding in findings:
        if finding.severity not in ("error", "warning"):
            continue
        print_ = fingerprint(finding)
        entry = counted.setdefault(
            print_,
            {
                "fingerprint": print_,
                "rule": finding.rule,
                "item": finding.item,
                "message": finding.message,
                "count": 0,
            },
        )
        entry["count"] += 1
    entries = sorted(counted.values(), key=lambda e: (e["rule"], e["item"], e["fingerprint"]))
    document = {
        "about": "Findings the catalogue already had when this file was written: reported as known, never "
        "failing a check, a build or a gate. Fix one, then run `ra2docs check --update-baseline`.",
        "findings": entries,
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
