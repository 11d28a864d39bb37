"""The spec's history on the site, and the edition every page shows.

``ra2docs_history = "path"`` (relative to conf.py) names a folder of releases
(:mod:`ra2docs.history`); ``ra2docs_history_until`` the last release to
consider. With it, every item's entry says in which release it was
introduced, what each later release changed, its former IDs and the release
that retired it, and one page per release, "What changed in <release>", is
generated into ``ra2docs_history_pages`` (default ``_history``; link its
``index`` from a toctree). ``ra2docs_edition`` names the edition the site
shows (a release and its date): every HTML page says it at its top.

The history is computed once per set of release files and kept as JSON in
the user's cache (``$XDG_CACHE_HOME/ra2docs``, as ``ra2docs history`` does), so
that every build and every command of the machine shares one computation.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.errors import ExtensionError
from sphinx.util import logging

from ra2docs.findings import Ra2docsError
from ra2docs.generate import write_pages
from ra2docs.history import History, Release, cache_folder, digest, load
from ra2docs.markup import escape, heading, plain_text
from ra2docs.sphinx.state import loaded
from ra2docs.views.history import describe_change

logger = logging.getLogger(__name__)


def history_of(app: Sphinx) -> History | None:
    return getattr(app, "_ra2docs_history", None)


def load_history(app: Sphinx) -> None:
    """builder-inited: compute (or read from the doctree folder's cache) the history, and write its pages."""
    app._ra2docs_history = None  # type: ignore[attr-defined]  # ra2docs's own, on the app
    if not app.config.ra2docs_history:
        return
    folder = (Path(app.confdir) / app.config.ra2docs_history).resolve()
    until = app.config.ra2docs_history_until or ""
    try:
        found = load(folder, until, cache_folder())
        app._ra2docs_history_digest = digest(folder, until)  # type: ignore[attr-defined]  # ra2docs's own, on the app
    except Ra2docsError as exc:
        # as for a missing catalogue: said once, and a copy of the project without the releases still builds
        logger.error(f"ra2docs_history: {exc}", type="ra2docs", subtype="history")
        return
    app._ra2docs_history = found  # type: ignore[attr-defined]  # ra2docs's own, on the app
    out_dir = Path(app.srcdir) / app.config.ra2docs_history_pages
    from ra2docs.sphinx import ignore_generated

    ignore_generated(out_dir)
    known = set(st.catalogue.items) if (st := loaded(app)) is not None else set()
    try:
        write_pages(release_pages(found, known), out_dir)
    except Ra2docsError as exc:
        raise ExtensionError(f"ra2docs: {exc}") from None


def outdated(app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]) -> list[str]:
    """env-get-outdated: when the history changed, every page that shows an item shows its life again."""
    now = getattr(app, "_ra2docs_history_digest", "")
    before = getattr(env, "ra2docs_history_digest", "")
    env.ra2docs_history_digest = now  # type: ignore[attr-defined]  # ra2docs's own, in the env
    if now == before or not before:
        return []
    return sorted(getattr(env, "ra2docs_usage", {}))


# -- the item's entry ---------------------------------------------------------------------------------


# -- the pages "What changed in <release>" -----------------------------------------------------------


def _id(item_id: str, known: set[str]) -> str:
    """A link to the item when this site defines it, else the ID as text."""
    return f":ra2:item:`{item_id}`" if item_id in known and "`" not in item_id else escape(item_id)


def _title(found: History, item_id: str) -> str:
    title = plain_text(found.titles.get(item_id, ""))
    return f" ({escape(title)})" if title else ""


def _changes(found: History, release: Release, ids: list[str], known: set[str]) -> list[str]:
    rows = []
    for item_id in ids:
        for life in found.lives_of(item_id):
            for event in life.in_release(release.name):
                if event.id == item_id and event.changes:
                    rows.append(f"{_id(item_id, known)}: " + escape("; ".join(map(describe_change, event.changes))))
    return rows


def release_page(found: History, release: Release, known: set[str]) -> str:
    note = found.notes[release.name]
    releases = {r.name: r for r in found.releases}
    lines = [f".. _ra2docs-history-{release.name.lower()}:", "", heading(f"What changed in {release.label()}", "=")]
    against = f"against {releases[note.previous].label()}" if note.previous else "the first release of the history"
    source = f", tag {release.commit} of {release.repository}" if release.commit and release.repository else ""
    lines += [
        "",
        escape(
            f"RA2 at the Anuket release {release.name}{source}, {against}: {note.items} items; "
            f"{len(note.added)} added, {len(note.reintroduced)} back, {len(note.retired)} retired, "
            f"{len(note.renamed)} renamed, {len(note.changed)} changed, "
            f"{len(note.reformatted)} changed in markup or placement only."
        ),
        "",
    ]

    def part(title: str, rows: list[str]) -> None:
        lines.extend([heading(f"{title} ({len(rows)})", "-"), ""])
        lines.extend([*(f"- {row}" for row in rows), ""] if rows else ["None.", ""])

    part("Added", [_id(i, known) + _title(found, i) for i in note.added])
    if note.reintroduced:
        part("Back after being retired", [_id(i, known) + _title(found, i) for i in note.reintroduced])
    part("Retired", [escape(i) + _title(found, i) for i in note.retired])
    part(
        "Renamed (each inferred)",
        [f"{escape(old)} → {_id(new, known)} ({escape(why)})" for old, new, why in note.renamed],
    )
    if note.reused:
        # a renumbered table: the item that had the ID is renamed (or retired), another one has it now
        part("IDs given to another item", [_id(i, known) + _title(found, i) for i in note.reused])
    part("Changed: text, values, priority or links", _changes(found, release, note.changed, known))
    lines.extend([heading(f"Changed in markup or placement only ({len(note.reformatted)})", "-"), ""])
    lines.extend([", ".join(_id(i, known) for i in note.reformatted) or "None.", ""])
    if note.duplicates:
        part(
            "IDs given to more than one row",
            [f"{_id(i, known)}: {escape(', '.join(rows))}" for i, rows in note.duplicates],
        )
    return "\n".join(lines)


def release_pages(found: History, known: set[str]) -> dict[str, str]:
    pages = {f"{r.name}.rst": release_page(found, r, known) for r in found.releases}
    first, last = found.releases[0], found.releases[-1]
    index = [
        ".. _ra2docs-history:",
        "",
        heading("What changed, release by release", "="),
        "",
        escape(
            f"The RA2 catalogue at each Anuket release from {first.label()} to {last.label()}, "
            "each compared with the release before it. Renames are inferred from content, never declared upstream."
        ),
        "",
        ".. toctree::",
        "   :maxdepth: 1",
        "",
        *(f"   {r.name}" for r in reversed(found.releases)),
        "",
    ]
    pages["index.rst"] = "\n".join(index)
    return pages


# -- the edition ------------------------------------------------------------------------------------


def edition_banner(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """html-page-context: the edition, at the top of every page's body and for themes as ``ra2docs_edition``."""
    edition = app.config.ra2docs_edition
    if not edition:
        return
    context["ra2docs_edition"] = edition
    banner = f'<p class="ra2docs-edition">This site shows {html.escape(edition)}.</p>\n'
    if "body" in context:
        context["body"] = banner + context["body"]
    else:  # the index and search pages come from templates: ra2docs.js puts the banner there from this tag
        meta = f'<meta name="ra2docs-edition" content="{html.escape(edition, quote=True)}" />\n'
        context["metatags"] = context.get("metatags", "") + meta


def setup_history(app: Sphinx) -> None:
    app.add_config_value("ra2docs_history", "", "env", [str])
    app.add_config_value("ra2docs_history_until", "", "env", [str])
    app.add_config_value("ra2docs_history_pages", "_history", "env", [str])
    app.add_config_value("ra2docs_edition", "", "html", [str])
    app.connect("builder-inited", load_history, priority=460)  # after the catalogue (400) and its pages (450)
    app.connect("env-get-outdated", outdated)
    app.connect("html-page-context", edition_banner)
