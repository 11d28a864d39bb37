"""Verdicts: which results belong to which test case, and what that says of each item.

A catalogue test case names how it is found in results (``match``: an exact
``name``, a ``tag`` such as ``[Conformance]``, a ``pattern``, an Xtesting
``case-name``; several keys must all hold; with none, the result's name must
equal the test case's ID). A JUnit ``<property name="verifies">`` attaches a
result to the items it names directly.

Verdicts, from worst to best: fail, stale (the newest result is older than the
item's last change), not run (no result matched: never shown as a pass),
skipped, pass. An item's verdict is the worst of the tests that reach it,
directly or through the specifications that trace to it, so a failing test
turns its specification and every requirement above it to fail.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from ra2docs.graph import TraceGraph
from ra2docs.model import Item, is_mandatory, natural_key
from ra2docs.patterns import compile_pattern
from ra2docs.results.model import Result

FAIL, STALE, NOT_RUN, SKIPPED, PASS, NO_TEST = "fail", "stale", "not run", "skipped", "pass", "no test"
ORDER = [FAIL, STALE, NOT_RUN, SKIPPED, PASS]  # worst first
ALL_VERDICTS = [*ORDER, NO_TEST]


def worst(verdicts: list[str]) -> str:
    present = [v for v in verdicts if v in ORDER]
    return min(present, key=ORDER.index) if present else NO_TEST


@dataclass
class TestVerdict:
    test: str
    verdict: str
    results: list[Result] = field(default_factory=list)
    date: datetime | None = None

    @property
    def counts(self) -> Counter[str]:
        return Counter(r.status for r in self.results)


@dataclass
class ItemVerdict:
    item: str
    verdict: str
    tests: list[str]
    date: datetime | None = None


@dataclass
class Verdicts:
    tests: dict[str, TestVerdict]
    items: dict[str, ItemVerdict]
    unmatched: list[Result]  # results no test case claims

    def of(self, item_id: str) -> str:
        found = self.items.get(item_id)
        return found.verdict if found else NO_TEST

    def counts_by_section(self, graph: TraceGraph, kinds: tuple[str, ...]) -> dict[str, Counter[str]]:
        table: dict[str, Counter[str]] = {}
        for item in graph.catalogue.items.values():
            if item.kind in kinds:
                table.setdefault(item.section or "(none)", Counter())[self.of(item.id)] += 1
        return dict(sorted(table.items(), key=lambda kv: natural_key(kv[0])))


class _Matcher:
    def __init__(self, test: Item) -> None:
        match = test.data.get("match") or {}
        self.name = match.get("name")
        self.tag = match.get("tag")
        self.case_name = match.get("case-name")
        pattern = match.get("pattern")
        self.pattern = compile_pattern(pattern) if pattern else None
        self.default = test.id if not match else None

    def __call__(self, result: Result) -> bool:
        if self.default is not None:
            return result.name == self.default or result.case_name == self.default
        if self.name is not None and result.name != self.name:
            return False
        if self.tag is not None and self.tag not in result.name:
            return False
        if self.case_name is not None and result.case_name != self.case_name:
            return False
        return not (self.pattern is not None and not self.pattern.search(result.name))


def _test_verdict(results: list[Result]) -> str:
    if not results:
        return NOT_RUN
    statuses = {r.status for r in results}
    if statuses & {"fail", "error"}:
        return FAIL
    if "pass" in statuses:
        return PASS
    return SKIPPED


def _changed(item: Item) -> datetime | None:
    value = item.data.get("changed")
    if not value:
        return None
    try:
        return datetime.combine(date.fromisoformat(str(value)), datetime.max.time())
    except ValueError:
        return None


def compute(graph: TraceGraph, results: list[Result]) -> Verdicts:
    """Verdicts of every test case and every item, from the results read."""
    cat = graph.catalogue
    tests = cat.by_kind("test-case")
    matchers = {t.id: _Matcher(t) for t in tests}
    matched: dict[str, list[Result]] = {t.id: [] for t in tests}
    direct: dict[str, list[Result]] = {}  # item -> results that say they verify it
    claimed: set[int] = set()
    for index, result in enumerate(results):
        for test_id, matcher in matchers.items():
            if matcher(result):
                matched[test_id].append(result)
                claimed.add(index)
        for item_id in result.verifies:
            if item_id in cat.items:
                direct.setdefault(item_id, []).append(result)
                claimed.add(index)
    test_verdicts: dict[str, TestVerdict] = {}
    for test in tests:
        found = matched[test.id]
        dates = [r.date for r in found if r.date]
        test_verdicts[test.id] = TestVerdict(test.id, _test_verdict(found), found, max(dates) if dates else None)
    item_verdicts: dict[str, ItemVerdict] = {}
    tests_reaching: dict[str, set[str]] = {}
    for test in tests:
        for item_id in graph.upstream(test.id):
            tests_reaching.setdefault(item_id, set()).add(test.id)
    for item in cat.items.values():
        if item.kind == "test-case":
            continue
        reaching = sorted(tests_reaching.get(item.id, set()), key=natural_key)
        verdicts = [test_verdicts[t].verdict for t in reaching]
        own = direct.get(item.id, [])
        if own:
            verdicts.append(_test_verdict(own))
        # results that verify something below this item count for it too
        for below in graph.downstream(item.id):
            if below in direct and below != item.id:
                verdicts.append(_test_verdict(direct[below]))
        if not verdicts:
            continue
        dates = [test_verdicts[t].date for t in reaching if test_verdicts[t].date] + [r.date for r in own if r.date]
        newest = max(dates) if dates else None
        verdict = worst(verdicts)
        changed = _changed(item)
        if verdict in (PASS, SKIPPED) and changed and newest and newest < changed:
            verdict = STALE
        item_verdicts[item.id] = ItemVerdict(item.id, verdict, reaching, newest)
    unmatched = [r for i, r in enumerate(results) if i not in claimed]
    return Verdicts(test_verdicts, item_verdicts, unmatched)


def gate(graph: TraceGraph, verdicts: Verdicts, fail_on: set[str]) -> list[str]:
    """Mandatory items whose verdict is one of ``fail_on`` (what a CI job fails on)."""
    return [
        item.id
        for item in sorted(graph.catalogue.items.values(), key=lambda i: natural_key(i.id))
        if item.kind != "test-case" and is_mandatory(item) and verdicts.of(item.id) in fail_on
    ]
