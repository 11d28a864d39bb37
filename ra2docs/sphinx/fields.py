"""``.. ra2:fields:: ID``: an item's fields as labelled paragraphs, where a chapter writes them as prose.

Today's RA2 chapter 7 writes each gap as a section of paragraphs
("**Related requirements:** ...", "**Baseline project:** ..."). ``ra2docs
adopt`` puts this directive in their place, so the catalogue drives them::

    .. ra2:fields:: gap.dynamic-network-management

       Related requirements: related
       Baseline project: baseline
       Gap description: description

Each line is ``Label: key`` (a column key, as ``ra2:table`` takes them); a
bare ``key`` is a paragraph without label. A field with nothing to show gives
no paragraph. The item gets its anchor (link target) here.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from ra2docs.sphinx.domain import ra2_domain
from ra2docs.sphinx.state import known_item, note_usage, state
from ra2docs.sphinx.tables import CellRenderer
from ra2docs.views.items import TableOptionError, field_lines, field_paragraphs


class FieldsDirective(SphinxDirective):
    required_arguments = 1
    has_content = True

    def run(self) -> list[nodes.Node]:
        st = state(self.env)
        item_id = self.arguments[0]
        if not known_item(self.env, item_id, self.get_location()):
            return []
        try:
            fields = field_lines(list(self.content), st.catalogue)
        except TableOptionError as exc:
            raise self.error(f"ra2:fields: {exc}") from None
        item = st.catalogue.items[item_id]
        note_usage(self.env, item_id, *(item.data.get("row-with") or []))
        renderer = CellRenderer(self)
        out: list[nodes.Node] = [nodes.target("", "", ids=[item_id])]
        ra2_domain(self.env).note_object(
            item_id, item.kind, item.title, item_id, location=self.get_location(), priority=1
        )
        for label, key, cell in field_paragraphs(item, fields, st.graph):
            source = (item.file, item.line_of(key))
            body = renderer.cell(cell, source)
            if label:
                strong = nodes.strong(f"{label}:", f"{label}:")
                if body and isinstance(body[0], nodes.paragraph):
                    body[0].insert(0, nodes.Text(" "))
                    body[0].insert(0, strong)
                else:
                    body.insert(0, nodes.paragraph("", "", strong))
            out.extend(body)
        return out


def setup_fields(app: Sphinx) -> None:
    app.add_directive_to_domain("ra2", "fields", FieldsDirective)
