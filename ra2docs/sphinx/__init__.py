"""Sphinx extension: ``extensions = ["ra2docs.sphinx"]``.

Composes the features (state/loading, the ra2 domain, item directives,
comparisons, generated pages); all computing is done in the core below it.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging

from ra2docs import __version__
from ra2docs.findings import Ra2docsError
from ra2docs.generate import page_specs, render_pages, write_pages
from ra2docs.outputs import read_regular_file, write_file_no_follow
from ra2docs.sphinx.collector import setup_collector
from ra2docs.sphinx.comparison import ComparisonDirective
from ra2docs.sphinx.conformance import setup_conformance
from ra2docs.sphinx.deferred import setup_deferred
from ra2docs.sphinx.domain import RA2Domain
from ra2docs.sphinx.fields import setup_fields
from ra2docs.sphinx.graphs import setup_graphs
from ra2docs.sphinx.history import setup_history
from ra2docs.sphinx.items import DefinitionsDirective, ItemDirective, TableDirective
from ra2docs.sphinx.markdown import MarkdownDirective
from ra2docs.sphinx.search import setup_search
from ra2docs.sphinx.state import loaded, setup_state
from ra2docs.sphinx.traceability import setup_tracing
from ra2docs.sphinx.unmet import setup_unmet

logger = logging.getLogger(__name__)
# The pages the package's templates make of any catalogue: ``ra2docs_pages = STANDARD_PAGES`` in conf.py.
STANDARD_PAGES: list[dict[str, str]] = [
    {"template": "traceability.rst.j2", "output": "traceability.rst"},
    {"template": "conformance.rst.j2", "output": "conformance.rst"},
    {"template": "downloads.rst.j2", "output": "downloads.rst"},
    {"template": "rules.rst.j2", "output": "rules.rst"},
    {"template": "reference-index.rst.j2", "output": "reference/index.rst"},
    {"template": "reference-kind.rst.j2", "output": "reference/{kind}.rst", "for_each": "kind"},
]

STATIC = Path(__file__).parent / "static"
STATIC_FILES = ("ra2docs.css", "ra2docs.js")
STATIC_HASH_DIGITS = 12
STALE_COPY = re.compile(rf"ra2docs\.[0-9a-f]{{{STATIC_HASH_DIGITS}}}\.(css|js)")


def generate(app: Sphinx) -> None:
    """builder-inited (after loading): render the pages of ``ra2docs_pages`` into the generated folder.

    The folder holds a ``.gitignore`` of ``*``: generated pages and downloads are
    build output, which git leaves alone without anyone having to say so.
    """
    specs = page_specs_or_error(app.config.ra2docs_pages)
    if not specs and not app.config.ra2docs_downloads:
        return
    st = loaded(app)
    if st is None:
        if specs:
            logger.error(getattr(app, "_ra2docs_missing", "ra2docs: no catalogue"), type="ra2docs", subtype="catalogue")
        return
    project_templates = (
        (Path(app.confdir) / app.config.ra2docs_templates).resolve() if app.config.ra2docs_templates else None
    )
    out_dir = Path(app.srcdir) / app.config.ra2docs_generated
    try:
        pages = render_pages(st.catalogue, st.graph, project_templates, specs, verdicts=st.verdicts)
    except Ra2docsError as exc:
        raise ExtensionError(f"ra2docs: {exc}") from None
    ignore_generated(out_dir)
    try:
        written = write_pages(pages, out_dir)
    except Ra2docsError as exc:
        raise ExtensionError(f"ra2docs: {exc}") from None
    if written:
        logger.info(f"ra2docs: generated {len(written)} page(s) in {out_dir}")
    if app.config.ra2docs_downloads:
        write_downloads(st, out_dir / "downloads")


def write_downloads(st: Any, folder: Path) -> None:
    """The catalogue's JSON and XLSX exports, offered as downloads.

    Rewritten only when a catalogue or result file changed (the exports of a
    large catalogue take seconds). Changed is told by each file's own status
    (kind, size, time), never by reading it: a file the loader refused (a link
    to ``/dev/zero``, a pipe) is not opened here either.
    """

    from ra2docs import export
    from ra2docs.loader import catalogue_files

    digest = hashlib.blake2b(digest_size=16)
    found, links = catalogue_files(st.catalogue.root)
    for path in sorted([*found, *(link for link, _ in links)]) + sorted(Path(p) for p in st.result_files):
        try:
            info = path.lstat()
        except OSError:
            continue
        digest.update(f"{path}\0{info.st_mode}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
    # Nothing is read or written through a link: the generated folder sits in the sources,
    # where a pull request can put one in place of a file (and a link to /dev/zero read forever).
    marker = folder / ".source-digest"
    names = ("ra2-catalogue.json", "ra2-catalogue.xlsx")
    current = digest.hexdigest().encode("ascii")
    fresh = all((folder / n).is_file() and not (folder / n).is_symlink() for n in names)
    if fresh and read_regular_file(marker, 64) == current:
        return
    files: dict[str, bytes] = {
        "ra2-catalogue.json": export.json_text(st.graph, verdicts=st.verdicts).encode("utf-8"),
        "ra2-catalogue.xlsx": export.xlsx_bytes(st.graph),
    }
    try:
        for name, data in files.items():
            if read_regular_file(folder / name, len(data)) != data:
                write_file_no_follow(folder / name, data)
        write_file_no_follow(marker, current)
    except Ra2docsError as exc:  # said, and the build goes on without the downloads
        logger.error(f"ra2docs: downloads not written: {exc}", type="ra2docs", subtype="downloads")


def page_specs_or_error(raw: Any) -> list[Any]:
    try:
        return page_specs(raw)
    except Ra2docsError as exc:
        raise ExtensionError(f"ra2docs: {exc}") from None


def ignore_generated(folder: Path) -> None:
    """A .gitignore of '*' in the generated folder: git never sees what ra2docs generates."""
    folder.mkdir(parents=True, exist_ok=True)
    marker = folder / ".gitignore"
    if marker.is_symlink() or not marker.exists():
        try:
            write_file_no_follow(marker, b"# generated by ra2docs at every build\n*\n")
        except Ra2docsError as exc:
            logger.error(f"ra2docs: {exc}", type="ra2docs", subtype="generated")


@cache
def hashed_name(name: str) -> str:
    """``ra2docs.css`` as ``ra2docs.<its content's hash>.css``: a browser never keeps a stale copy."""
    stem, suffix = name.rsplit(".", 1)
    return f"{stem}.{hashlib.sha256((STATIC / name).read_bytes()).hexdigest()[:STATIC_HASH_DIGITS]}.{suffix}"


def copy_static(app: Sphinx) -> None:
    """builder-inited: the stylesheet and the script in the output's ``_static``, under their hashed names.

    Written here rather than listed in ``html_static_path`` (the project's setting, left as conf.py
    says), and before the build, so that every HTML builder finds them when it finishes (EPUB lists
    its files then). Copies of earlier versions are removed; nothing is written through a link.
    """
    if app.builder.format != "html":
        return
    folder = Path(app.outdir) / "_static"
    for name in STATIC_FILES:
        data = (STATIC / name).read_bytes()
        current = hashed_name(name)
        try:
            if read_regular_file(folder / current, len(data)) != data:
                write_file_no_follow(folder / current, data)
        except Ra2docsError as exc:  # said (an error under -W); the pages show without ra2docs' style
            logger.error(f"ra2docs: {exc}", type="ra2docs", subtype="static")
        stem, suffix = name.rsplit(".", 1)
        for earlier in folder.glob(f"{stem}.*.{suffix}"):
            if earlier.name != current and STALE_COPY.fullmatch(earlier.name) and not earlier.is_dir():
                earlier.unlink()


def setup(app: Sphinx) -> dict[str, Any]:
    setup_state(app)
    # A folder of the project's own templates (relative to conf.py): they override the package's by name.
    app.add_config_value("ra2docs_templates", "", "env", [str])
    app.add_config_value("ra2docs_generated", "_generated", "env", [str])
    app.add_config_value("ra2docs_pages", [], "env", [list])
    # Write the catalogue's exports into the generated folder, for :download: links.
    app.add_config_value("ra2docs_downloads", True, "env", [bool])
    # Kinds whose catalogue entries show a trace graph of their neighbourhood.
    app.add_config_value("ra2docs_entry_graphs", ["ra-requirement"], "env", [list])
    app.add_domain(RA2Domain)
    app.add_directive_to_domain("ra2", "definitions", DefinitionsDirective)
    app.add_directive_to_domain("ra2", "item", ItemDirective)
    app.add_directive_to_domain("ra2", "table", TableDirective)
    app.add_directive_to_domain("ra2", "comparison", ComparisonDirective)
    setup_fields(app)
    app.add_directive_to_domain("ra2", "markdown", MarkdownDirective)
    setup_conformance(app)
    setup_tracing(app)
    setup_unmet(app)
    setup_graphs(app)
    setup_deferred(app)
    setup_search(app)
    setup_collector(app)
    setup_history(app)
    app.connect("builder-inited", generate, priority=450)
    app.connect("builder-inited", copy_static)
    app.add_css_file(hashed_name("ra2docs.css"))
    app.add_js_file(hashed_name("ra2docs.js"), defer="defer")
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
