"""Traceability views computed from the trace graph: coverage, matrices, computed gaps.

Everything the site's matrices, coverage charts, gap reports and chapter
tables show is computed here (no Sphinx), so that the CLI, the templates and
the tests see the same figures.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ra2docs.graph import TraceGraph
from ra2docs.model import Item, is_mandatory, natural_key

REQUIREMENT_KINDS = ("rm-capability", "rm-requirement", "ra-requirement")


def specifications_of(graph: TraceGraph, item_id: str) -> list[str]:
    """Specifications that trace to the item."""
    return graph.sources_of(item_id, field="traces", kind="specification")


def tests_of(graph: TraceGraph, item_id: str) -> list[str]:
    """Test cases that verify the item, directly or through a specification of it."""
    found = set(graph.sources_of(item_id, field="verifies"))
    for spec in specifications_of(graph, item_id):
        found.update(graph.sources_of(spec, field="verifies"))
    return graph.sort_ids(found)


def requirements(graph: TraceGraph, kinds: Iterable[str] = REQUIREMENT_KINDS) -> list[Item]:
    wanted = set(kinds)
    items = [i for i in graph.catalogue.items.values() if i.kind in wanted]
    rank = graph.rank
    return sorted(items, key=lambda i: (natural_key(i.section), rank[i.id]))


@dataclass
class CoverageRow:
    group: str  # a section number, or a profile ID
    title: str
    total: int = 0
    specified: int = 0
    verified: int = 0
    items: list[str] = field(default_factory=list)

    @property
    def specified_pct(self) -> float:
        return 100.0 * self.specified / self.total if self.total else 0.0

    @property
    def verified_pct(self) -> float:
        return 100.0 * self.verified / self.total if self.total else 0.0


def coverage(graph: TraceGraph, by: str = "section", kinds: Iterable[str] = REQUIREMENT_KINDS) -> list[CoverageRow]:
    """Share of requirement items that a specification satisfies and a test verifies.

    ``by="section"``: every requirement item, grouped by its section.
    ``by="profile"``: per profile, the items mandatory for that profile.
    """
    cat = graph.catalogue
    rows: dict[str, CoverageRow] = {}
    items = requirements(graph, kinds)
    if by == "section":
        for item in items:
            key = item.section or "(none)"
            title = cat.sections[key].title if key in cat.sections else ""
            rows.setdefault(key, CoverageRow(key, title))
    elif by == "profile":
        for profile in cat.profiles.values():
            rows[profile.id] = CoverageRow(profile.id, profile.title)
    else:
        raise ValueError(f"coverage by {by!r}: use 'section' or 'profile'")
    for item in items:
        keys = [item.section or "(none)"] if by == "section" else [p for p in cat.profiles if is_mandatory(item, p)]
        specified = is_specified(graph, item.id)
        verified = is_verified(graph, item.id)
        for key in keys:
            row = rows[key]
            row.total += 1
            row.specified += specified
            row.verified += verified
            row.items.append(item.id)
    ordered = sorted(rows.values(), key=lambda r: natural_key(r.group)) if by == "section" else list(rows.values())
    return ordered


def total(graph: TraceGraph, rows: list[CoverageRow], title: str = "All") -> CoverageRow:
    """One row over every item of ``rows`` (each item counted once)."""
    out = CoverageRow("total", title)
    out.items = graph.sort_ids({item for row in rows for item in row.items})
    out.total = len(out.items)
    out.specified = sum(is_specified(graph, i) for i in out.items)
    out.verified = sum(is_verified(graph, i) for i in out.items)
    return out


@dataclass
class ForwardRow:
    item: str
    specifications: list[tuple[str, list[str]]]  # (spec, tests verifying it)
    direct_tests: list[str]  # tests verifying the item itself


def forward(graph: TraceGraph, kinds: Iterable[str] = REQUIREMENT_KINDS) -> list[ForwardRow]:
    """Requirement -> specifications -> tests, one row per requirement item."""
    rows = []
    for item in requirements(graph, kinds):
        specs = [(s, graph.sources_of(s, field="verifies")) for s in specifications_of(graph, item.id)]
        rows.append(ForwardRow(item.id, specs, graph.sources_of(item.id, field="verifies")))
    return rows


@dataclass
class BackwardRow:
    item: str  # a specification or test case
    targets: list[str]  # what it traces to / verifies
    upstream: list[str]  # what those in turn trace to (a test's requirements)


def backward(graph: TraceGraph, kind: str = "specification") -> list[BackwardRow]:
    """Specification -> requirements, or test -> specifications -> requirements."""
    rows = []
    for item in graph.catalogue.by_kind(kind):
        targets = graph.targets_of(item.id)
        upstream: set[str] = set()
        for target in targets:
            upstream.update(graph.targets_of(target))
        rows.append(BackwardRow(item.id, targets, graph.sort_ids(upstream - set(targets))))
    return rows


def matrix(graph: TraceGraph, row_ids: list[str], column_ids: list[str], transitive: bool = False) -> list[list[bool]]:
    """Cell (r, c) is true when r and c are linked (either way; through any path if transitive)."""
    cells = []
    for r in row_ids:
        linked = (
            (graph.upstream(r) | graph.downstream(r))
            if transitive
            else (set(graph.targets_of(r)) | {s for _, s in graph.incoming(r)})
        )
        cells.append([c in linked for c in column_ids])
    return cells


@dataclass
class ComputedGaps:
    mandatory_without_specification: list[str]
    specification_tracing_nothing: list[str]
    mandatory_without_test: list[str]


def is_specified(graph: TraceGraph, item_id: str) -> bool:
    return graph.has_source(item_id, "traces", "specification")


def is_verified(graph: TraceGraph, item_id: str) -> bool:
    if graph.has_source(item_id, "verifies"):
        return True
    return any(graph.has_source(spec, "verifies") for spec in graph.iter_sources(item_id, "traces", "specification"))


def computed_gaps(graph: TraceGraph) -> ComputedGaps:
    cat = graph.catalogue
    mandatory = [i for i in requirements(graph) if is_mandatory(i) and i.status not in ("retired", "placeholder")]
    # Empty placeholders are RA601's business, not a missing trace.
    specs = [
        s for s in cat.by_kind("specification") if s.status not in ("retired", "placeholder") and (s.title or s.text)
    ]
    return ComputedGaps(
        mandatory_without_specification=[i.id for i in mandatory if not is_specified(graph, i.id)],
        specification_tracing_nothing=[s.id for s in specs if not graph.has_target(s.id, "traces")],
        mandatory_without_test=[i.id for i in mandatory if not is_verified(graph, i.id)],
    )
