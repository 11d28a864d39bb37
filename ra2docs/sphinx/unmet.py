"""``.. ra2:not-passing::`` — the mandatory requirements whose verdict is not "pass" (``ra2docs.views.unmet``)."""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from ra2docs.coverage import REQUIREMENT_KINDS
from ra2docs.sphinx.state import note_usage, state
from ra2docs.sphinx.tables import table_from_view
from ra2docs.views.unmet import not_passing_view


class NotPassingDirective(SphinxDirective):
    """A sortable table: requirement, title, priority, section, tests and verdict, worst first."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        st = state(self.env)
        view = not_passing_view(st.graph, st.verdicts)
        # every requirement may enter or leave the table: their items, kinds, sections and the verdicts
        requirements = (i.id for i in st.catalogue.items.values() if i.kind in REQUIREMENT_KINDS)
        note_usage(
            self.env, "results", "sections", "profiles", *requirements, *(f"kind:{k}" for k in REQUIREMENT_KINDS)
        )
        if not view.rows:
            return [nodes.paragraph("", "", nodes.emphasis("", "Every mandatory requirement passes."))]
        return [table_from_view(self, view)]


def setup_unmet(app: Sphinx) -> None:
    app.add_directive_to_domain("ra2", "not-passing", NotPassingDirective)
