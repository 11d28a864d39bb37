"""Sphinx's search page before 9.0 writes titles into ``innerHTML``: make it write them as text.

Sphinx stores section, caption and page titles in the search index as plain
text, and up to 8.2 its ``searchtools.js`` assigns them (and the result's
description) to ``innerHTML`` (``linkEl.innerHTML = title;``), so a title such
as ``Caps<img onerror=...>`` runs script on the search page. Sphinx 9.0 escapes
both (its changelog: "#13355: Don't include escaped title content in the search
index"; the file of every release from 7.2.6 to 8.2.3 holds the line, none
from 9.0.0 on). Titles come from the catalogue, which contributors write, so
with Sphinx before 9.0, after each HTML build, the copied ``searchtools.js`` is
mended to assign ``textContent``: the reader sees the title exactly, as text.
From 9.0 on the file is left as Sphinx wrote it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import sphinx
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

# `linkEl.innerHTML = title;` and `...createElement("span")).innerHTML =\n " (" + descr + ")";` (Sphinx 7.x-8.2)
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


# The first Sphinx whose searchtools.js escapes titles and descriptions itself.
ESCAPES_TITLES = (9, 0)
# The first Sphinx that leaves elements of class ``no-search`` out of the search index
# (its changelog, #11280: "Add ability to skip a particular section using the ``no-search`` class").
SKIPS_NO_SEARCH = (8, 2)
_TAUGHT = "_ra2docs_skips_no_search"


def skip_no_search_nodes(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """doctree-resolved, before Sphinx before 8.2 indexes the page: its indexer leaves ``no-search`` elements out.

    The rules page marks its documentation so: the IDs of its examples are not the spec's, and a
    reader's search must not find them. This build's indexer (made before the first page is
    written, which is resolved before it is indexed) gathers a page's words in
    ``_word_collector``: it is given the page without those elements. Only this build's
    indexer is taught; Sphinx's class is left as it is.
    """
    indexer = getattr(app.builder, "indexer", None)
    if indexer is None or getattr(indexer, _TAUGHT, False) or not hasattr(indexer, "_word_collector"):
        return
    collect = indexer._word_collector

    def word_collector(doctree: nodes.document) -> Any:
        def marked(node: nodes.Node) -> bool:
            return isinstance(node, nodes.Element) and "no-search" in node["classes"]

        if next(doctree.findall(marked), None) is not None:
            doctree = doctree.deepcopy()  # the page itself keeps them
            for node in list(doctree.findall(marked)):
                node.parent.remove(node)
        return collect(doctree)

    indexer._word_collector = word_collector
    setattr(indexer, _TAUGHT, True)


def setup_search(app: Sphinx) -> None:
    if sphinx.version_info[:2] < SKIPS_NO_SEARCH:
        app.connect("doctree-resolved", skip_no_search_nodes)
    if sphinx.version_info[:2] < ESCAPES_TITLES:
        app.connect("build-finished", mend_search_page)
