"""Load the catalogue once per build, and keep incremental builds correct.

Each page records the *tokens* it shows: item IDs, ``kind:<kind>`` when it
lists every item of a kind (so additions and removals reach it), and
``comparison:<id>``, ``sections`` (their titles), ``profiles``, ``results``, and the
keys of the queries it ran (``note_query``). On the next build, the catalogue is fingerprinted item
by item; pages whose tokens changed are re-read, the others are left alone.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docutils.parsers.rst import DirectiveError
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.errors import ExtensionError
from sphinx.util import logging

from ra2docs.check import analyse
from ra2docs.context import CheckContext
from ra2docs.findings import Finding, Ra2docsError
from ra2docs.graph import TraceGraph
from ra2docs.loader import load_catalogue
from ra2docs.model import Catalogue
from ra2docs.results.result import Result
from ra2docs.results.verdicts import Verdicts
from ra2docs.rules.ra401_dangling_link import unknown_id
from ra2docs.settings import SETTINGS_FILE, Settings, settings_for
from ra2docs.sphinx.collector import held
from ra2docs.suggest import IdIndex
from ra2docs.views.items import ItemQuery, select

logger = logging.getLogger(__name__)


class CatalogueUnavailable(DirectiveError):
    """A directive or role needs the catalogue, and there is none (reported at the page that asks)."""

    def __init__(self, message: str) -> None:
        super().__init__(3, message)


@dataclass
class State:
    catalogue: Catalogue
    graph: TraceGraph
    findings: list[Finding] = field(default_factory=list)
    verdicts: Verdicts | None = None  # when result files are configured
    results: list[Result] = field(default_factory=list)
    result_files: list[str] = field(default_factory=list)
    samples: bool = False  # the result files are samples: every table showing their verdicts says so
    _ids: IdIndex | None = None
    # Fingerprints, computed once per build: the catalogue does not change during it, and both
    # env-get-outdated and env-updated ask (a query's print, once per query).
    prints: dict[str, str] | None = None
    link_prints: dict[str, str] | None = None
    query_prints: dict[str, str] = field(default_factory=dict)

    @property
    def ids(self) -> IdIndex:
        """The catalogue's IDs filed once for did-you-mean questions."""
        if self._ids is None:
            self._ids = IdIndex(self.catalogue.items)
        return self._ids


def known_item(env_or_app: Any, item_id: str, location: Any) -> bool:
    """Whether the catalogue defines ``item_id``; if not, the one warning for an unknown ID (RA401's words).

    Roles and directives naming an ID all report it alike, as ``ra2docs.unknown-id``
    (``suppress_warnings = ["ra2docs.unknown-id"]`` silences it).
    """
    st = state(env_or_app)
    if item_id in st.catalogue.items:
        return True
    finding = unknown_id(item_id, st.ids)
    logger.warning(f"{finding.message}; {finding.suggestion}", location=location, type="ra2docs", subtype="unknown-id")
    return False


def state(app_or_env: Any) -> State:
    """The loaded catalogue; where there is none, an error at the directive that asked for it."""
    app = getattr(app_or_env, "app", app_or_env)
    st: State | None = getattr(app, "_ra2docs_state", None)
    if st is None:
        raise CatalogueUnavailable(getattr(app, "_ra2docs_missing", "ra2docs: the catalogue is not loaded"))
    return st


def loaded(app_or_env: Any) -> State | None:
    """The loaded catalogue, or None (for event handlers, which have nothing to do without one)."""
    app = getattr(app_or_env, "app", app_or_env)
    return getattr(app, "_ra2docs_state", None)


def catalogue_path(app: Sphinx) -> Path:
    return (Path(app.confdir) / app.config.ra2docs_catalogue).resolve()


def fingerprints(
    cat: Catalogue, graph: TraceGraph, verdicts: Verdicts | None = None
) -> tuple[dict[str, str], dict[str, str]]:
    """A digest per token (what a page showing it would print), and per item what a link to it depends on.

    An item's link print covers its kind and its links both ways: what a page that
    shows it only as a link (its ID), with the items linked to it, depends on. Its
    full print covers that and everything else it holds, so a link print never
    changes alone.
    """
    prints: dict[str, str] = {}
    link_prints: dict[str, str] = {}
    for item in cat.items.values():
        # repr, not json.dumps: item data is plain YAML values (str, numbers, dates,
        # lists, dicts in file order) whose repr is stable, and it is 3x faster.
        links = repr((item.kind, graph.outgoing(item.id), graph.incoming(item.id)))
        link_prints[item.id] = hashlib.blake2b(links.encode(), digest_size=12).hexdigest()
        blob = links + repr((item.data, item.file))
        prints[item.id] = hashlib.blake2b(blob.encode(), digest_size=12).hexdigest()
    if verdicts is not None:
        # Pages that show verdicts note the 'results' token (not the items'), so a
        # new result rewrites them and leaves pages that merely name the items alone.
        summary = [
            (t, v.verdict, str(v.date), sorted(v.counts.items()), [(r.source, r.run) for r in v.results])
            for t, v in sorted(verdicts.tests.items())
        ]
        items = sorted((i, v.verdict, sorted(v.history.items())) for i, v in verdicts.items.items())
        # the runs and each test's verdict in each: the conformance page and the entries show them
        runs = [(r.key, str(r.date), r.files, r.complete) for r in verdicts.runs]
        history = [(t, [(h.run.key, h.verdict) for h in v.history]) for t, v in sorted(verdicts.tests.items())]
        blob = json.dumps([summary, items, len(verdicts.unmatched), runs, history], default=str)
        prints["results"] = hashlib.blake2b(blob.encode(), digest_size=12).hexdigest()
    for comp in cat.comparisons.values():
        blob = json.dumps(comp, default=lambda o: o.__dict__, sort_keys=True)
        prints[f"comparison:{comp.id}"] = hashlib.blake2b(blob.encode(), digest_size=12).hexdigest()
    for kind in cat.kinds:
        members = sorted(i.id for i in cat.items.values() if i.kind == kind)
        prints[f"kind:{kind}"] = hashlib.blake2b("\n".join(members).encode(), digest_size=12).hexdigest()
    prints["sections"] = hashlib.blake2b(
        repr(sorted((s.id, s.title, s.caption) for s in cat.sections.values())).encode(), digest_size=12
    ).hexdigest()
    prints["profiles"] = hashlib.blake2b(
        json.dumps({p.id: p.title for p in cat.profiles.values()}).encode(), digest_size=12
    ).hexdigest()
    return prints, link_prints


def settings(app: Sphinx) -> Settings:
    """The project's settings: ``ra2docs_settings`` in conf.py, else found from the catalogue folder."""
    explicit = Path(app.confdir) / app.config.ra2docs_settings if app.config.ra2docs_settings else None
    try:
        return settings_for(catalogue_path(app), explicit)
    except Ra2docsError as exc:
        raise ExtensionError(str(exc)) from None


def load(app: Sphinx) -> None:
    """builder-inited: read the catalogue once; report its errors as Sphinx errors at their file and line.

    A build with catalogue errors goes on with what could be read (and fails
    under -W, as any Sphinx error does), so that every problem is seen at once
    and a process running Sphinx in-process is not ended. When there is no
    catalogue folder at all, only pages that use ra2docs fail, each with one error:
    a copy of the project without its catalogue (the GSMA Word job) still builds.
    """
    app._ra2docs_state = None  # type: ignore[attr-defined]  # ra2docs's own, on the app
    if app.config.ra2docs_severity:
        logger.warning(
            "ra2docs_severity in conf.py is not read: put the severities in the settings file "
            f"({SETTINGS_FILE} beside the catalogue, [severity] table), which 'ra2docs check' reads too",
            type="ra2docs",
            subtype="config",
        )
    root = catalogue_path(app)
    if not root.is_dir():
        app._ra2docs_missing = (  # type: ignore[attr-defined]  # ra2docs's own, on the app
            f"ra2docs: the catalogue folder {root} does not exist (ra2docs_catalogue in conf.py names it, "
            "relative to conf.py)"
        )
        return
    project = settings(app)
    try:
        options = project.check_options(root)
    except Ra2docsError as exc:
        raise ExtensionError(str(exc)) from None
    with held(app):  # the garbage collector waits, then goes through what was loaded once
        # What each catalogue file holds is kept beside the doctrees: a rebuild reads only changed files.
        # File names relative to the working folder, as Sphinx prints every other location
        # (it makes a relative source absolute against it: a base of its own doubled folders).
        result = load_catalogue(
            root, base=Path.cwd(), cache=Path(app.doctreedir) / "ra2docs-catalogue", kinds=project.kinds()
        )
        context = CheckContext(result.catalogue, options)
        findings = analyse(result, options, context)
    # Known findings (the baseline) are upstream's old defects: they never fail a build.
    errors = [f for f in findings if f.severity == "error" and not f.known]
    warnings = [f for f in findings if f.severity == "warning" and not f.known]
    known = sum(1 for f in findings if f.known)
    for finding in errors:
        logger.error(
            f"{finding.item + ': ' if finding.item else ''}{finding.message} [{finding.rule} {finding.name}]"
            + (f" (hint: {finding.suggestion})" if finding.suggestion else ""),
            location=finding.location(),
            type="ra2docs",
            subtype=finding.name or finding.rule,
        )
    if errors:
        logger.error(
            f"ra2docs: the catalogue in {root} has {len(errors)} error(s) (settings: {project.describe()}); "
            "'ra2docs check' prints the same report without Sphinx",
            type="ra2docs",
            subtype="catalogue",
        )
    if warnings or known:
        logger.info(
            f"ra2docs: the catalogue has {len(warnings)} warning(s) and {known} known finding(s) (its baseline); "
            "run 'ra2docs check' to see them"
        )
    graph = context.graph
    st = State(result.catalogue, graph, findings)
    if app.config.ra2docs_results:
        load_results(app, st)
    app._ra2docs_state = st  # type: ignore[attr-defined]  # ra2docs's own, on the app


def load_results(app: Sphinx, st: State) -> None:
    """Read the result files of ``ra2docs_results`` and compute every verdict."""
    from ra2docs.results import ResultsError, expand_runs, in_sample_folders, read_all
    from ra2docs.results.verdicts import compute

    confdir = Path(app.confdir)
    refused: list[Any] = []
    try:
        paths = expand_runs(app.config.ra2docs_results, confdir, refused)
    except ResultsError as exc:
        logger.error(exc.finding.message, type="ra2docs", subtype="results")
        paths = []
    for problem in refused:
        logger.error(
            f"{problem.finding.message} (result file left out)",
            location=problem.finding.location(),
            type="ra2docs",
            subtype="results",
        )
    if not paths:
        logger.warning(
            f"ra2docs_results names no existing file ({', '.join(map(str, app.config.ra2docs_results))}); "
            "every test shows 'not run'",
            type="ra2docs",
        )
    results, errors = read_all(paths, confdir.parent)
    for error in errors:
        finding = error.finding
        logger.error(
            f"{finding.message} (result file left out)",
            location=finding.location(),
            type="ra2docs",
            subtype="results",
        )
    st.results = results
    st.result_files = [str(p) for p, _ in paths]
    st.verdicts = compute(st.graph, results)
    declared = app.config.ra2docs_results_samples
    # unless conf.py says, results are samples when every file sits in a folder named sample(s)
    st.samples = in_sample_folders(p for p, _ in paths) if declared is None else bool(declared)


def note_usage(env: BuildEnvironment, *tokens: str) -> None:
    usage: dict[str, set[str]] = env.ra2docs_usage  # type: ignore[attr-defined]  # ra2docs's own, in the env
    usage.setdefault(env.docname, set()).update(tokens)


def note_references(env: BuildEnvironment, item_ids: Iterable[str]) -> None:
    """The page shows these items as links only (their IDs).

    It is read again when one of them appears, disappears or changes its links
    (its link print), not when its title or text change; and written again when
    one's link target moves to another page (``moved``).
    """
    referenced(env).update(item_ids)


def referenced(env: BuildEnvironment) -> set[str]:
    """The IDs the page being read shows as links (``note_references``), to add to as cells are built."""
    refs: dict[str, set[str]] = env.ra2docs_refs  # type: ignore[attr-defined]  # ra2docs's own, in the env
    return refs.setdefault(env.docname, set())


def note_query(env: BuildEnvironment, query: ItemQuery, columns: list[str] | None = None) -> None:
    """The page shows the result of ``query``: it is read again whenever that result changes.

    The result covers which rows the query gives, in which order, and what each
    row's item holds (its fingerprint), so an item moving into a section, a new
    item of a kind, or an edit of a listed item all reach the page.
    """
    queries: dict[str, dict[str, ItemQuery]] = env.ra2docs_queries  # type: ignore[attr-defined]  # ra2docs's own, in the env
    queries.setdefault(env.docname, {})[query.key()] = query
    note_usage(env, query.key(), "profiles")


def _all_queries(env: BuildEnvironment) -> dict[str, ItemQuery]:
    found: dict[str, ItemQuery] = {}
    for per_page in getattr(env, "ra2docs_queries", {}).values():
        found.update(per_page)
    return found


def _query_prints(cat: Catalogue, queries: dict[str, ItemQuery], prints: dict[str, str], out: dict[str, str]) -> None:
    """The print of each query's result (its rows and their items' ``prints``), into ``out``."""
    for key, query in queries.items():
        rows = select(cat, query)
        # a row of several items (row-with) shows what each of them holds
        blob = "\n".join(
            f"{row.item.id}|{prints.get(row.item.id, '')}|{row.listing!r}|{row.own_section}|"
            + "+".join(f"{m}:{prints.get(m, '')}" for m in row.item.data.get("row-with") or [])
            for row in rows
        )
        out[key] = hashlib.blake2b(blob.encode(), digest_size=12).hexdigest()


def init_env(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    if not hasattr(env, "ra2docs_usage"):
        env.ra2docs_usage = {}  # type: ignore[attr-defined]  # ra2docs's own, in the env
    if not hasattr(env, "ra2docs_queries"):
        env.ra2docs_queries = {}  # type: ignore[attr-defined]  # ra2docs's own, in the env
    if not hasattr(env, "ra2docs_refs"):
        env.ra2docs_refs = {}  # type: ignore[attr-defined]  # ra2docs's own, in the env


def _current_prints(st: State, env: BuildEnvironment) -> dict[str, str]:
    """Every token's print now: the catalogue's, and those of the queries the pages ran.

    Computed once per build and per query (a no-change rebuild asked for all of it twice).
    """
    if st.prints is None:
        st.prints, st.link_prints = fingerprints(st.catalogue, st.graph, st.verdicts)
    queries = _all_queries(env)
    _query_prints(
        st.catalogue, {k: q for k, q in queries.items() if k not in st.query_prints}, st.prints, st.query_prints
    )
    return {**st.prints, **{key: st.query_prints[key] for key in queries}}


def outdated(app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]) -> list[str]:
    """env-get-outdated: the pages that show something that changed since the last build."""
    st = loaded(app)
    if st is None:
        return []
    old: dict[str, str] = getattr(env, "ra2docs_fingerprints", {})
    init_env(app, env, [])
    if not old:
        return []
    new = _current_prints(st, env)
    touched = {token for token in new.keys() | old.keys() if new.get(token) != old.get(token)}
    if not touched:
        return []
    # A link print changes only with its item's full print (see fingerprints): look among those.
    old_links: dict[str, str] = getattr(env, "ra2docs_link_prints", {})
    new_links = st.link_prints or {}
    relinked = {token for token in touched if new_links.get(token) != old_links.get(token)}
    return _pages_using(env, shown=touched, linked=relinked)


def _pages_using(env: BuildEnvironment, shown: set[str], linked: set[str]) -> list[str]:
    """The pages that show one of the ``shown`` tokens, or link to one of the ``linked`` items."""
    usage: dict[str, set[str]] = getattr(env, "ra2docs_usage", {})
    refs: dict[str, set[str]] = getattr(env, "ra2docs_refs", {})
    return sorted(
        doc
        for doc in usage.keys() | refs.keys()
        if not usage.get(doc, set()).isdisjoint(shown) or not refs.get(doc, set()).isdisjoint(linked)
    )


def moved(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """env-get-updated: pages linking to an item whose link target this build moved, to be written again.

    Sphinx resolves links when it writes a page, so writing is enough: an item
    defined by another page now, or by a new anchor, is linked right.
    """
    if loaded(app) is None:
        return []
    from ra2docs.sphinx.domain import ra2_domain  # the domain module reads this one's state

    items = ra2_domain(env).moved_targets()
    if not items:
        return []
    return _pages_using(env, shown=items, linked=items)


def remember(app: Sphinx, env: BuildEnvironment) -> None:
    """env-updated: what the pages showed, now that every page has been read (and noted its queries)."""
    st = loaded(app)
    if st is not None:
        env.ra2docs_fingerprints = _current_prints(st, env)  # type: ignore[attr-defined]  # ra2docs's own, in the env
        env.ra2docs_link_prints = st.link_prints  # type: ignore[attr-defined]  # ra2docs's own, in the env


_PER_PAGE = ("ra2docs_usage", "ra2docs_queries", "ra2docs_refs")


def purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    for name in _PER_PAGE:
        getattr(env, name, {}).pop(docname, None)


def merge(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    init_env(app, env, [])
    for name in _PER_PAGE:
        mine = getattr(env, name)
        theirs = getattr(other, name, {})
        for doc in docnames:
            if doc in theirs:
                mine[doc] = theirs[doc]


def setup_state(app: Sphinx) -> None:
    app.add_config_value("ra2docs_catalogue", "../catalogue", "env", [str])
    # warn of catalogue items no page anchors (adopt and the shipped site set it; small projects show a few)
    app.add_config_value("ra2docs_every_item_shown", False, "env", [bool])
    # ra2:table's look: sortable, filterable, ra2docs' style; False: the page's own (adopt sets it)
    app.add_config_value("ra2docs_interactive_tables", True, "env", [bool])
    app.add_config_value("ra2docs_severity", {}, "env", [dict])  # moved to the settings file; refused when set
    # The settings file (relative to conf.py); default: ra2docs.toml in or beside the catalogue folder.
    app.add_config_value("ra2docs_settings", "", "env", [str])
    # Result files (paths or globs, relative to conf.py) whose verdicts the site shows.
    app.add_config_value("ra2docs_results", [], "env", [list])
    app.add_config_value("ra2docs_results_samples", None, "env", [bool, type(None)])
    app.connect("builder-inited", load, priority=400)
    app.connect("env-before-read-docs", init_env)
    app.connect("env-get-outdated", outdated)
    app.connect("env-updated", remember)
    app.connect("env-get-updated", moved)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
