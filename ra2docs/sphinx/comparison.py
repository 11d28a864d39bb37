"""``.. ra2:comparison:: ID`` — a comparison table (e.g. Multus vs DANM) from the catalogue."""

from __future__ import annotations

from typing import ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from ra2docs.schema import did_you_mean
from ra2docs.sphinx.state import note_usage, state
from ra2docs.sphinx.tables import CellRenderer, table_from_view
from ra2docs.views.traceability import comparison_view


class ComparisonDirective(SphinxDirective):
    """One row per catalogue item, a column per solution, then the legend and the notes.

    The row label is the item's title (or the row's own ``label``) followed by
    the item's ID as a link. ``:number:`` puts "Table N: " before the caption;
    ``:name:`` labels the table for ``:ref:``.
    """

    required_arguments = 1
    option_spec: ClassVar = {
        "number": directives.unchanged,
        "caption": directives.unchanged,
        "name": directives.unchanged,  # a label for :ref: and :numref:, as list-table's
    }

    def run(self) -> list[nodes.Node]:
        st = state(self.env)
        comp_id = self.arguments[0]
        comp = st.catalogue.comparisons.get(comp_id)
        if comp is None:
            hint = did_you_mean(comp_id, list(st.catalogue.comparisons))
            raise self.error(
                f"ra2:comparison: unknown comparison {comp_id!r}" + (f"; did you mean {hint!r}?" if hint else "")
            )
        note_usage(self.env, f"comparison:{comp.id}", *(row.item for row in comp.rows if row.item))
        view = comparison_view(st.graph, comp_id)
        caption = self.options.get("caption", view.caption)
        if self.options.get("number"):
            caption = f"Table {self.options['number']}: {caption}"
        table = table_from_view(self, view.table, caption=caption)
        table["ids"].append(f"comparison-{comp.id}")
        self.add_name(table)
        legend = nodes.container(classes=["ra2-legend"])
        legend += nodes.paragraph(
            "", "", nodes.strong("", "Support levels: "), nodes.Text("; ".join(view.legend) + ".")
        )
        renderer = CellRenderer(self)
        for note_id, text in view.notes:
            paragraph = nodes.paragraph("", "", nodes.Text(f"({note_id}): "))
            paragraph.extend(renderer.inline_nodes(text, (comp.file, comp.line)))
            legend += paragraph
        return [table, legend]
