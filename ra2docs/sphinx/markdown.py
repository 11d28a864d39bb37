"""``.. ra2:markdown:: PATH`` — a Markdown file of the project (``catalogue/CHANGES.md``) as part of a page.

The file (relative to the page) is turned into reStructuredText by
``ra2docs.mdpage`` and parsed in place, as ``include`` would: its headings are
sections of the page. The page is read again when the file changes.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import ClassVar

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective

from ra2docs.findings import Ra2docsError
from ra2docs.mdpage import read_markdown


class MarkdownDirective(SphinxDirective):
    """The Markdown file named (relative to the page's folder), as reStructuredText of the page."""

    required_arguments = 1
    has_content = False
    option_spec: ClassVar = {}

    def run(self) -> list[nodes.Node]:
        # the path as written (Sphinx's relfn2path resolves links, and a link is what must be seen)
        page_folder = Path(self.env.doc2path(self.env.docname)).parent
        try:
            relative, lines = read_markdown(Path(self.env.srcdir), page_folder, self.arguments[0])
        except Ra2docsError as exc:
            raise self.error(str(exc)) from None
        source = os.path.normpath(Path(self.env.srcdir) / relative)
        self.env.note_dependency(relative)
        self.state_machine.insert_input(StringList(lines, source), source)
        return []
