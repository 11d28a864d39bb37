"""Sphinx extension: ``extensions = ["ra2docs.sphinx"]``.

Composes the features (state/loading, the ra2 domain, item directives,
comparisons, generated pages); all computing is done in the core below it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.util import logging

from ra2docs import __version__
from ra2docs.findings import Ra2docsError
from ra2docs.generate import DEFAULT_PAGES, page_specs, render_pages, write_pages
from ra2docs.sphinx.comparison import ComparisonDirective
from ra2docs.sphinx.conformance import setup_conformance
from ra2docs.sphinx.domain import RA2Domain
from ra2docs.sphinx.items import DefinitionsDirective, ItemDirective, TableDirective
from ra2docs.sphinx.state import fail, setup_state, state
from ra2docs.sphinx.tracing import setup_tracing
from ra2docs.sphinx.views import setup_views

logger = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "static"


def generate(app: Sphinx) -> None:
    """builder-inited (after loading): render templates/ into the source folder."""
    st = state(app)
    template_dir = (Path(app.confdir) / app.config.ra2docs_templates).resolve()
    out_dir = Path(app.srcdir) / app.config.ra2docs_generated
    try:
        pages = render_pages(
            st.catalogue, st.graph, template_dir, page_specs(app.config.ra2docs_pages), verdicts=st.verdicts
        )
    except Ra2docsError as exc:
        fail(f"ra2docs: {exc}")
    written = write_pages(pages, out_dir)
    if written:
        logger.info(f"ra2docs: generated {len(written)} page(s) in {out_dir}")
    if app.config.ra2docs_downloads:
        write_downloads(st, out_dir / "downloads")


def write_downloads(st: Any, folder: Path) -> None:
    """The catalogue's JSON and XLSX exports, offered as downloads.

    Rewritten only when a catalogue or result file changed (the exports of a
    large catalogue take seconds).
    """
    import hashlib

    from ra2docs import export

    digest = hashlib.blake2b(digest_size=16)
    for path in sorted(st.catalogue.root.rglob("*.y*ml")) + sorted(Path(p) for p in st.result_files):
        digest.update(str(path).encode() + b"\0" + path.read_bytes())
    marker = folder / ".source-digest"
    names = ("ra2-catalogue.json", "ra2-catalogue.xlsx")
    if marker.exists() and marker.read_text() == digest.hexdigest() and all((folder / n).exists() for n in names):
        return
    files: dict[str, bytes] = {
        "ra2-catalogue.json": export.json_text(st.graph, verdicts=st.verdicts).encode("utf-8"),
        "ra2-catalogue.xlsx": export.xlsx_bytes(st.graph),
    }
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        path = folder / name
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
    marker.write_text(digest.hexdigest())


def add_static(app: Sphinx, config: Any) -> None:
    config.html_static_path = [*config.html_static_path, str(STATIC)]


def setup(app: Sphinx) -> dict[str, Any]:
    setup_state(app)
    app.add_config_value("ra2docs_templates", "../templates", "env", [str])
    app.add_config_value("ra2docs_generated", "_generated", "env", [str])
    app.add_config_value("ra2docs_pages", DEFAULT_PAGES, "env", [list])
    # Write the catalogue's exports into the generated folder, for :download: links.
    app.add_config_value("ra2docs_downloads", True, "env", [bool])
    # Kinds whose catalogue entries show a trace graph of their neighbourhood.
    app.add_config_value("ra2docs_entry_graphs", ["ra-requirement"], "env", [list])
    app.add_domain(RA2Domain)
    app.add_directive_to_domain("ra2", "definitions", DefinitionsDirective)
    app.add_directive_to_domain("ra2", "item", ItemDirective)
    app.add_directive_to_domain("ra2", "table", TableDirective)
    app.add_directive_to_domain("ra2", "comparison", ComparisonDirective)
    setup_views(app)
    setup_conformance(app)
    setup_tracing(app)
    app.connect("builder-inited", generate, priority=450)
    app.connect("config-inited", add_static)
    app.add_css_file("ra2docs.css")
    app.add_js_file("ra2docs.js", defer="defer")
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
