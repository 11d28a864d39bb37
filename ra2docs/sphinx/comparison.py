"""``.. ra2:comparison:: ID`` — a comparison table (e.g. Multus vs DANM) from the catalogue."""

from __future__ import annotations

from typing import ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from ra2docs.schema import did_you_mean
from ra2docs.sphinx.render import Cell, paragraph, table, xref
from ra2docs.sphinx.state import note_usage, state


class ComparisonDirective(SphinxDirective):
    """One row per catalogue item, a column per solution, then the legend and the notes.

    The row label is the item's title (or the row's own ``label``) followed by
    the item's ID as a link. ``:number:`` puts "Table N: " before the caption.
    """

    required_arguments = 1
    option_spec: ClassVar = {"number": directives.unchanged, "caption": directives.unchanged}

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
        rows: list[list[Cell]] = []
        for row in comp.rows:
            item = st.catalogue.items.get(row.item) if row.item else None
            label = row.label or (item.title if item else "")
            if row.item:
                first: list[nodes.Node] = [nodes.Text(f"{label} (")] if label else [nodes.Text("(")]
                first += [xref(row.item), nodes.Text(")")]
            else:
                first = [nodes.Text(label)]
            cells: list[Cell] = [first]
            for solution, _title in comp.solutions:
                cell = row.cells.get(solution)
                if cell is None:
                    cells.append("")
                    continue
                content: list[nodes.Node] = [nodes.Text(comp.level_label(cell.level))]
                if cell.note:
                    content += [nodes.Text(" "), nodes.superscript("", f"({cell.note})")]
                cells.append(content)
            rows.append(cells)
        caption = self.options.get("caption", comp.title)
        if self.options.get("number"):
            caption = f"Table {self.options['number']}: {caption}"
        headers = [comp.row_header, *(title for _, title in comp.solutions)]
        tbl = table(headers, rows, widths=[2] + [1] * len(comp.solutions), caption=caption, classes=["ra2-comparison"])
        tbl["ids"].append(f"comparison-{comp.id}")
        result: list[nodes.Node] = [tbl]
        legend = nodes.container(classes=["ra2-legend"])
        legend += paragraph(nodes.strong("", "Support levels: "), "; ".join(label for _, label in comp.levels) + ".")
        for note_id, text in comp.notes:
            legend += paragraph(f"({note_id}): {text}")
        result.append(legend)
        return result
