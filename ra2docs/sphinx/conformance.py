"""Live check results in the site: the conformance report and verdict badges."""

from __future__ import annotations

from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from ra2docs.coverage import REQUIREMENT_KINDS
from ra2docs.results.verdicts import ALL_VERDICTS
from ra2docs.sphinx.state import note_usage, state
from ra2docs.sphinx.tables import table_from_view
from ra2docs.views.conformance import SAMPLE_CAVEAT, conformance_tables
from ra2docs.views.parts import Part, part_nodes


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
    return part_nodes(Part.verdict(verdict)), []


def _heading(text: str) -> nodes.paragraph:
    return nodes.paragraph("", "", nodes.strong("", text))


def mark_sample_verdicts(env: Any, table: nodes.Element) -> None:
    """When the verdicts come from sample files, the table itself says so (in its title)."""
    if not state(env).samples or not isinstance(table, nodes.table):
        return
    caveat = nodes.inline("", SAMPLE_CAVEAT, classes=["ra2-sample-caveat"])
    title = next(iter(table.findall(nodes.title)), None)
    if title is None:
        table.insert(0, nodes.title("", "", caveat))
    else:
        title += [nodes.Text(" "), caveat]


class ResultsDirective(SphinxDirective):
    """``.. ra2:results::`` — the conformance report: verdicts per test case, per section and per item.

    ``:items: mandatory`` (default) or ``all`` chooses the items listed.
    """

    option_spec: ClassVar = {"items": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        st = state(self.env)
        note_usage(self.env, "results", "kind:test-case", *(f"kind:{k}" for k in REQUIREMENT_KINDS))
        if st.verdicts is None:
            message = "No result files are configured (ra2docs_results in conf.py): there are no verdicts to show."
            return [nodes.paragraph("", "", nodes.emphasis("", message))]
        scope = self.options.get("items", "mandatory").strip()
        if scope not in ("mandatory", "all"):
            raise self.error(f"ra2:results: :items: must be 'mandatory' or 'all', not {scope!r}")
        opening, tables = conformance_tables(st.graph, st.verdicts, st.results, scope)
        note_usage(self.env, *(row.item for _, table_view in tables for row in table_view.rows if row.item))
        # the counts by section read every requirement's section, and the sections' titles
        requirements = (i.id for i in st.catalogue.items.values() if i.kind in REQUIREMENT_KINDS)
        note_usage(self.env, "sections", *requirements)
        out: list[nodes.Node] = [nodes.paragraph(opening, opening)]
        for heading, table_view in tables:
            out.append(_heading(heading))
            if not table_view.rows:
                out.append(nodes.paragraph("", "", nodes.emphasis("", "None.")))
                continue
            table = table_from_view(self, table_view)
            mark_sample_verdicts(self.env, table)
            out.append(table)
        return out


def setup_conformance(app: Sphinx) -> None:
    app.add_role_to_domain("ra2", "verdict", verdict_role)
    app.add_directive_to_domain("ra2", "results", ResultsDirective)
