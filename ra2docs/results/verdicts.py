"""Verdicts: which results belong to which test case, and what that says of each item, run by run.

A catalogue test case names how it is found in results (``match``: an exact
``name``, a ``tag`` such as ``[Conformance]``, a ``pattern``, an Xtesting
``case-name``; several keys must all hold; ``exclude``: a pattern, or a list of
them, that a result's name must not match, as e2e skip lists do; with no key,
the result's name must equal the test case's ID). A JUnit ``<property
name="verifies">`` attaches a result to the items it names directly.

Runs: every result belongs to one run, told apart by its label (the environment,
product or vendor: a label given with the files, else what the results say, such
as Xtesting's ``pod_name``), the tool that wrote it, and the run's own id (build
tag, Sonobuoy UUID, suite and timestamp, else the file). Runs are ordered by the
date the results carry, never by the order the files were named in.

A test's verdict in one run comes from its results in that run. Its current
verdict, for each label, is the one of the label's latest run that could have run
it (a run of a tool that reported the test once, holding a case reported beside
it): when that run did not report it, the verdict is "not run" (never a pass),
and the last result and its date are kept beside it. Across labels the worst
counts.

Verdicts, from worst to best: fail, stale (the newest result is older than the
item's last change), not run (no result matched: never shown as a pass),
skipped, pass. An item's verdict is the worst of the tests that reach it,
directly or through the specifications that trace to it, so a failing test
turns its specification and every requirement above it to fail.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from ra2docs.graph import TraceGraph
from ra2docs.model import Item, is_mandatory, natural_key
from ra2docs.patterns import compile_pattern
from ra2docs.results.result import Result

FAIL, STALE, NOT_RUN, SKIPPED, PASS, NO_TEST = "fail", "stale", "not run", "skipped", "pass", "no test"
ORDER = [FAIL, STALE, NOT_RUN, SKIPPED, PASS]  # worst first
ALL_VERDICTS = [*ORDER, NO_TEST]


def worst(verdicts: Iterable[str]) -> str:
    present = [v for v in verdicts if v in ORDER]
    return min(present, key=ORDER.index) if present else NO_TEST


@dataclass(frozen=True)
class Run:
    """One run of one tool in one place: the results that came out of it together."""

    id: str
    label: str  # environment, product or vendor ("" when neither the user nor the results say)
    tool: str
    date: datetime | None
    files: tuple[str, ...]
    complete: bool = True  # False when a file was written while the run was still going

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.label, self.tool, self.id)

    @property
    def order(self) -> tuple[datetime, str, str, str]:
        """Oldest first: by the date the results carry (undated first), then by name, for a stable order."""
        return (self.date or datetime.min, self.label, self.tool, self.id)

    @property
    def title(self) -> str:
        when = f"{self.date:%Y-%m-%d %H:%M}" if self.date else "undated"
        return f"{self.label or '(no label)'} · {self.id} · {when}"


RunKey = tuple[str, str, str]


def run_key(result: Result) -> RunKey:
    return (result.environment, result.tool, result.run)


def runs_of(results: Iterable[Result]) -> list[Run]:
    """The runs the results belong to, oldest first (the same whatever order the results come in)."""
    grouped: dict[RunKey, list[Result]] = {}
    for result in results:
        grouped.setdefault(run_key(result), []).append(result)
    runs = [
        Run(
            id=key[2],
            label=key[0],
            tool=key[1],
            date=max((r.date for r in found if r.date), default=None),
            files=tuple(sorted({r.source.split(":")[0] for r in found})),
            complete=all(r.complete for r in found),
        )
        for key, found in grouped.items()
    ]
    return sorted(runs, key=lambda r: r.order)


@dataclass
class RunVerdict:
    run: Run
    verdict: str
    results: list[Result] = field(default_factory=list)

    @property
    def counts(self) -> Counter[str]:
        return Counter(r.status for r in self.results)


@dataclass
class TestVerdict:
    test: str
    verdict: str
    results: list[Result] = field(default_factory=list)  # of the current runs
    date: datetime | None = None
    history: list[RunVerdict] = field(default_factory=list)  # oldest first; "not run" where a run left it out
    last: dict[str, RunVerdict] = field(default_factory=dict)  # label -> last run that reported it, when now not run

    @property
    def counts(self) -> Counter[str]:
        return Counter(r.status for r in self.results)


@dataclass
class ItemVerdict:
    item: str
    verdict: str
    tests: list[str]
    date: datetime | None = None
    history: dict[RunKey, str] = field(default_factory=dict)  # run -> verdict of the tests reaching it there


@dataclass
class Verdicts:
    tests: dict[str, TestVerdict]
    items: dict[str, ItemVerdict]
    unmatched: list[Result]  # results no test case claims
    runs: list[Run] = field(default_factory=list)  # oldest first

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
        excluded = match.get("exclude") or []
        self.exclude = [compile_pattern(p) for p in ([excluded] if isinstance(excluded, str) else excluded)]
        self.default = test.id if not (match.keys() - {"exclude"}) else None

    def __call__(self, result: Result) -> bool:
        if any(p.search(result.name) for p in self.exclude):
            return False
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


def _case_of(result: Result) -> str:
    return result.case_name or result.name


def _over_runs(found: list[Result], runs: list[Run], contents: dict[RunKey, set[str]]) -> TestVerdict:
    """A test's (or an item's own) verdict in each run, and its current verdict, from the results it matched.

    ``contents``: the cases each run reported. The runs that could have run the test are
    those of a label and a tool that reported it once, holding a case seen beside it in a
    run that did (so a Functest security run says nothing of the smoke suite's cases).
    """
    by_run: dict[RunKey, list[Result]] = {}
    for result in found:
        by_run.setdefault(run_key(result), []).append(result)
    tools = {key[1] for key in by_run}
    labels = {key[0] for key in by_run}
    beside = set().union(*(contents[key] for key in by_run)) if by_run else set()
    relevant = [r for r in runs if r.tool in tools and r.label in labels and not contents[r.key].isdisjoint(beside)]
    history = [
        RunVerdict(run, _test_verdict(by_run.get(run.key, [])), sorted(by_run.get(run.key, []), key=_result_order))
        for run in relevant
    ]
    current: list[RunVerdict] = []
    last: dict[str, RunVerdict] = {}
    for label in sorted(labels):
        mine = [h for h in history if h.run.label == label]
        current.append(mine[-1])
        if not mine[-1].results:
            last[label] = next(h for h in reversed(mine) if h.results)
    results = [r for h in current for r in h.results]
    dates = [r.date for r in results if r.date] or [h.run.date for h in last.values() if h.run.date]
    verdict = worst(h.verdict for h in current) if current else NOT_RUN
    return TestVerdict("", verdict, results, max(dates) if dates else None, history, last)


def _result_order(result: Result) -> tuple[str, str, str]:
    return (result.source, result.name, result.status)


def compute(graph: TraceGraph, results: list[Result]) -> Verdicts:
    """Verdicts of every test case and every item, per run and now, from the results read (in any order)."""
    cat = graph.catalogue
    runs = runs_of(results)
    contents: dict[RunKey, set[str]] = {}
    for result in results:
        contents.setdefault(run_key(result), set()).add(_case_of(result))
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
        test_verdict = _over_runs(matched[test.id], runs, contents)
        test_verdict.test = test.id
        test_verdicts[test.id] = test_verdict
    own_verdicts = {item_id: _over_runs(found, runs, contents) for item_id, found in direct.items()}
    item_verdicts: dict[str, ItemVerdict] = {}
    tests_reaching: dict[str, set[str]] = {}
    for test in tests:
        for item_id in graph.upstream(test.id):
            tests_reaching.setdefault(item_id, set()).add(test.id)
    for item in cat.items.values():
        if item.kind == "test-case":
            continue
        reaching = sorted(tests_reaching.get(item.id, set()), key=natural_key)
        # results that verify this item, or something below it, count for it too
        own = [own_verdicts[i] for i in [item.id, *graph.downstream(item.id)] if i in own_verdicts]
        sources = [test_verdicts[t] for t in reaching] + list({id(v): v for v in own}.values())
        if not sources:
            continue
        dates = [v.date for v in sources if v.date]
        newest = max(dates) if dates else None
        verdict = worst(v.verdict for v in sources)
        changed = _changed(item)
        if verdict in (PASS, SKIPPED) and changed and newest and newest < changed:
            verdict = STALE
        history: dict[RunKey, list[str]] = {}
        for source in sources:
            for entry in source.history:
                history.setdefault(entry.run.key, []).append(entry.verdict)
        item_verdicts[item.id] = ItemVerdict(
            item.id, verdict, reaching, newest, {key: worst(found) for key, found in history.items()}
        )
    unmatched = sorted((r for i, r in enumerate(results) if i not in claimed), key=_result_order)
    return Verdicts(test_verdicts, item_verdicts, unmatched, runs)


def gate(graph: TraceGraph, verdicts: Verdicts, fail_on: set[str]) -> list[str]:
    """Mandatory items whose verdict is one of ``fail_on`` (what a CI job fails on)."""
    return [
        item.id
        for item in sorted(graph.catalogue.items.values(), key=lambda i: natural_key(i.id))
        if item.kind != "test-case" and is_mandatory(item) and verdicts.of(item.id) in fail_on
    ]
