"""Live check results in the site: the conformance report and verdict badges."""

from __future__ import annotations

from collections import Counter
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from ra2docs.model import is_mandatory, natural_key
from ra2docs.results.verdicts import ALL_VERDICTS, NO_TEST
from ra2docs.sphinx.render import paragraph
from ra2docs.sphinx.state import note_usage, state
from ra2docs.sphinx.views import Cell, make_view, refs, text
from ra2docs.trace import REQUIREMENT_KINDS


def badge(verdict: str) -> nodes.inline:
    css = "ra2-verdict ra2-verdict-" + verdict.replace(" ", "-")
    return nodes.inline(verdict, verdict, classes=css.split())


def verdict_role(
    name: str, rawtext: str, text_: str, lineno: int, inliner: Any, options: Any = None, content: Any = None
) -> tuple[list[nodes.Node], list[nodes.system_message]]:
    """``:ra2:verdict:`fail``` — a verdict as a coloured badge."""
    verdict = text_.strip()
    if verdict not in ALL_VERDICTS:
        message = inliner.reporter.error(
            f"unknown verdict {verdict!r}; verdicts: {', '.join(ALL_VERDICTS)}", line=lineno
        )
        return [inliner.problematic(rawtext, rawtext, message)], [message]
    return [badge(verdict)], []


class ResultsDirective(SphinxDirective):
    """``.. ra2:results::`` — the conformance report: verdicts per test case, per section and per item.

    ``:items: mandatory`` (default) or ``all`` chooses the items listed.
    """

    option_spec: ClassVar = {"items": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        st = state(self.env)
        note_usage(self.env, "results", "kind:test-case")
        if st.verdicts is None:
            return [
                paragraph(
                    nodes.emphasis(
                        "",
                        "No result files are configured (ra2docs_results in conf.py): there are no verdicts to show.",
                    )
                )
            ]
        verdicts = st.verdicts
        cat = st.catalogue
        out: list[nodes.Node] = []
        files = ", ".join(sorted({r.source.split(":")[0] for r in st.results})) or "none"
        out.append(
            paragraph(
                f"{len(st.results)} results read from {files}; "
                f"{len(verdicts.unmatched)} of them verify no catalogue item. "
                "An item's verdict is the worst of the tests that reach it: fail, stale, not run, skipped, pass."
            )
        )
        rows: list[list[Cell]] = []
        for test_id, tv in sorted(verdicts.tests.items(), key=lambda kv: natural_key(kv[0])):
            note_usage(self.env, test_id)
            counts = ", ".join(f"{n} {s}" for s, n in sorted(tv.counts.items())) or "no result"
            sources = ", ".join(sorted({r.source for r in tv.results})) or "—"
            rows.append(
                [
                    refs([test_id]),
                    [("v", tv.verdict)],
                    text(counts),
                    text(f"{tv.date:%Y-%m-%d %H:%M}" if tv.date else "—"),
                    text(sources),
                    refs(st.graph.targets_of(test_id, "verifies")),
                ]
            )
        out.append(paragraph(nodes.strong("", "Test cases")))
        payload = {
            "headers": ["Test case", "Verdict", "Results", "Date", "Result file", "Verifies"],
            "rows": rows,
            "widths": [20, 10, 16, 14, 20, 20],
            "classes": ["ra2-results", "ra2-test-verdicts"],
        }
        out.append(make_view("table", payload))
        by_section = verdicts.counts_by_section(st.graph, REQUIREMENT_KINDS)
        section_rows: list[list[Cell]] = []
        totals: Counter[str] = Counter()
        for section, counts in by_section.items():
            title = cat.sections[section].title if section in cat.sections else ""
            section_rows.append([text(f"{section} {title}".strip()), *(text(str(counts[v])) for v in ALL_VERDICTS)])
            totals.update(counts)
        section_rows.append([[("b", "All")], *(text(str(totals[v])) for v in ALL_VERDICTS)])
        out.append(paragraph(nodes.strong("", "Requirements by section")))
        out.append(
            make_view(
                "table",
                {
                    "headers": ["Section", *ALL_VERDICTS],
                    "rows": section_rows,
                    "widths": [40, *([10] * len(ALL_VERDICTS))],
                    "classes": ["ra2-results", "ra2-section-verdicts"],
                },
            )
        )
        scope = self.options.get("items", "mandatory").strip()
        if scope not in ("mandatory", "all"):
            raise self.error(f"ra2:results: :items: must be 'mandatory' or 'all', not {scope!r}")
        items = [
            i
            for i in cat.sorted_items()
            if i.kind in REQUIREMENT_KINDS and (scope == "all" or is_mandatory(i)) and verdicts.of(i.id) != NO_TEST
        ]
        note_usage(self.env, *(f"kind:{k}" for k in REQUIREMENT_KINDS), *(i.id for i in items))
        item_rows = [
            [refs([i.id]), text(i.title), [("v", verdicts.of(i.id))], refs(verdicts.items[i.id].tests)] for i in items
        ]
        out.append(
            paragraph(
                nodes.strong("", f"{'Mandatory requirements' if scope == 'mandatory' else 'Requirements'} with a test")
            )
        )
        out.append(
            make_view(
                "table",
                {
                    "headers": ["Item", "Title", "Verdict", "Tests"],
                    "rows": item_rows,
                    "widths": [20, 45, 10, 25],
                    "classes": ["ra2-results", "ra2-item-verdicts"],
                },
            )
        )
        return out


def setup_conformance(app: Sphinx) -> None:
    app.add_role_to_domain("ra2", "verdict", verdict_role)
    app.add_directive_to_domain("ra2", "results", ResultsDirective)
