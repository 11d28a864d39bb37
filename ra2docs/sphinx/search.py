"""Sphinx's search page before 8.2 writes titles into ``innerHTML``: make it write them as text.

Sphinx stores section, caption and page titles in the search index as plain
text, and up to 8.1 its ``searchtools.js`` assigns them (and the result's
description) to ``innerHTML``, so a title such as ``Caps<img onerror=...>``
runs script on the search page (fixed upstream in Sphinx 8.2 by escaping).
Titles come from the catalogue, which contributors write, so after each HTML
build the copied ``searchtools.js`` is mended to assign ``textContent``: the
reader sees the title exactly, as text. Newer files do not hold these lines and
are left as they are.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

# `linkEl.innerHTML = title;` and `...createElement("span")).innerHTML =\n " (" + descr + ")";` (Sphinx 7.x-8.1)
UNSAFE_ASSIGNMENTS = re.compile(
    r'(linkEl|createElement\("span"\)\))\.innerHTML(\s*=\s*(?:title;|"\s\("\s*\+\s*descr\s*\+\s*"\)";))'
)


def mend_search_page(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    script = Path(app.outdir) / "_static" / "searchtools.js"
    if not script.is_file() or script.is_symlink():
        return
    text = script.read_text(encoding="utf-8")
    mended, count = UNSAFE_ASSIGNMENTS.subn(r"\1.textContent\2", text)
    if count:
        script.write_text(mended, encoding="utf-8")
    elif ".innerHTML = title" in text or "innerHTML = titles[" in text:  # a form this module does not know
        logger.warning(
            "ra2docs: %s writes titles as HTML in a way ra2docs cannot mend; catalogue titles with '<' may run "
            "script on the search page",
            script,
            type="ra2docs",
            subtype="search",
        )


def skip_no_search_nodes() -> None:
    """Sphinx 7.3 and later leave elements of class ``no-search`` out of the search index; before, teach it to.

    The rules page marks its examples so: their IDs are not the spec's, and a reader's search must not find them.
    """
    from sphinx.search import WordCollector

    if "no-search" in inspect.getsource(WordCollector.dispatch_visit) or getattr(WordCollector, "_ra2docs", False):
        return
    visit = WordCollector.dispatch_visit

    def dispatch_visit(self: WordCollector, node: nodes.Node) -> None:
        if isinstance(node, nodes.Element) and "no-search" in node["classes"]:
            raise nodes.SkipNode
        visit(self, node)

    WordCollector.dispatch_visit = dispatch_visit  # type: ignore[method-assign]
    WordCollector._ra2docs = True  # type: ignore[attr-defined]


def setup_search(app: Sphinx) -> None:
    skip_no_search_nodes()
    app.connect("build-finished", mend_search_page)
