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

from ra2docs.mdpage import markdown_to_rst


class MarkdownDirective(SphinxDirective):
    """The Markdown file named (relative to the page's folder), as reStructuredText of the page."""

    required_arguments = 1
    has_content = False
    option_spec: ClassVar = {}

    def run(self) -> list[nodes.Node]:
        # the path as written (Sphinx's relfn2path resolves links, and a link is what must be seen)
        written = self.arguments[0]
        if written.startswith("/"):
            source = Path(self.env.srcdir) / written.lstrip("/")
        else:
            source = Path(self.env.doc2path(self.env.docname)).parent / written
        source = Path(os.path.normpath(source))
        relative = os.path.relpath(source, self.env.srcdir)
        if source.is_symlink():  # as everywhere in ra2docs: a link is not followed
            raise self.error(f"ra2:markdown: {relative} is a symbolic link; name the file itself")
        try:
            text = source.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise self.error(f"ra2:markdown: cannot read {relative}: {exc}") from None
        self.env.note_dependency(relative)
        lines = markdown_to_rst(text)
        self.state_machine.insert_input(StringList(lines, str(source)), str(source))
        return []
