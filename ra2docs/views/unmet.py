"""Which mandatory requirements are not passing: one table that answers it.

Every mandatory requirement (a MUST or MUST NOT, or a profile value that obliges:
"Must support", "At least 16", ...) whose verdict is not "pass", with its title,
priority, section, the tests that reach it and its verdict, worst first. The
verdicts are the current verdict API's (``Verdicts.of``); without result files
every requirement has "no test", and the table lists them all.
"""

from __future__ import annotations

from typing import Any

from ra2docs.coverage import REQUIREMENT_KINDS
from ra2docs.graph import TraceGraph
from ra2docs.model import Item, is_mandatory, is_mandatory_value, natural_key
from ra2docs.views.table import Part, TableView, ViewRow, markup, refs, text

HEADERS = ("Requirement", "Title", "Priority", "Section", "Tests", "Verdict")


def priority(item: Item, profile_titles: dict[str, str]) -> str:
    """The item's priority, or the profiles whose value obliges ("Must support (Network Intensive)")."""
    if item.priority:
        return item.priority
    obliging = [
        f"{value} ({profile_titles.get(p, p)})" for p, value in item.values.items() if is_mandatory_value(str(value))
    ]
    return "; ".join(obliging)


def not_passing_view(graph: TraceGraph, verdicts: Any) -> TableView:
    from ra2docs.results.verdicts import ALL_VERDICTS, NO_TEST, PASS

    cat = graph.catalogue
    titles = {p.id: p.title for p in cat.profiles.values()}
    rank = {verdict: position for position, verdict in enumerate(ALL_VERDICTS)}
    rows = []
    for item in cat.items.values():
        if item.kind not in REQUIREMENT_KINDS or not is_mandatory(item):
            continue
        verdict = verdicts.of(item.id) if verdicts is not None else NO_TEST
        if verdict == PASS:
            continue
        found = verdicts.items.get(item.id) if verdicts is not None else None
        section = cat.sections.get(item.section)
        rows.append(
            (
                rank.get(verdict, len(rank)),
                natural_key(item.section),
                ViewRow(
                    [
                        refs([item.id]),
                        markup(item.title),
                        text(priority(item, titles)),
                        text(f"{item.section} {section.title}".strip() if section else item.section),
                        refs(found.tests) if found and found.tests else text("none"),
                        (Part.verdict(verdict),),
                    ],
                    item=item.id,
                ),
            )
        )
    rows.sort(key=lambda row: (row[0], row[1]))  # worst first, then by section (the sort is stable: catalogue order)
    return TableView(
        [text(h) for h in HEADERS],
        [row for *_, row in rows],
        widths=[16, 28, 16, 18, 12, 10],
        classes=["ra2-results", "ra2-not-passing"],
    )
