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

import re
from pathlib import Path

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


def setup_search(app: Sphinx) -> None:
    app.connect("build-finished", mend_search_page)
