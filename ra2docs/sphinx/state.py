"""Load the catalogue once per build, and keep incremental builds correct.

Each page records the *tokens* it shows: item IDs, ``kind:<kind>`` when it
lists every item of a kind (so additions and removals reach it), and
``comparison:<id>``. On the next build, the catalogue is fingerprinted item
by item; pages whose tokens changed are re-read, the others are left alone.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from ra2docs.check import analyse
from ra2docs.context import CheckContext
from ra2docs.findings import Finding
from ra2docs.graph import TraceGraph
from ra2docs.loader import load_catalogue
from ra2docs.model import Catalogue
from ra2docs.results.model import Result
from ra2docs.results.verdicts import Verdicts
from ra2docs.views.items import ItemQuery

logger = logging.getLogger(__name__)


def fail(*messages: str) -> None:
    """End the build on bad input: the messages, then exit status 2, no traceback.

    Sphinx 9 prints a traceback for any exception, even a SphinxError; bad
    catalogue or template input is the user's to fix, not a crash.
    """
    for message in messages:
        logger.error(message, type="ra2docs")
    raise SystemExit(2)


@dataclass
class State:
    catalogue: Catalogue
    graph: TraceGraph
    findings: list[Finding] = field(default_factory=list)
    verdicts: Verdicts | None = None  # when result files are configured
    results: list[Result] = field(default_factory=list)
    result_files: list[str] = field(default_factory=list)


def state(app_or_env: Any) -> State:
    app = getattr(app_or_env, "app", app_or_env)
    return app._ra2docs_state  # type: ignore[no-any-return]


def catalogue_path(app: Sphinx) -> Path:
    return (Path(app.confdir) / app.config.ra2docs_catalogue).resolve()


def fingerprints(cat: Catalogue, graph: TraceGraph, verdicts: Verdicts | None = None) -> dict[str, str]:
    """A digest per token: what a page showing it would print."""
    prints: dict[str, str] = {}
    for item in cat.items.values():
        # repr, not json.dumps: item data is plain YAML values (str, numbers, dates,
        # lists, dicts in file order) whose repr is stable, and it is 3x faster.
        blob = repr((item.kind, item.data, graph.incoming(item.id), item.file))
        prints[item.id] = hashlib.blake2b(blob.encode(), digest_size=12).hexdigest()
    if verdicts is not None:
        # Pages that show verdicts note the 'results' token (not the items'), so a
        # new result rewrites them and leaves pages that merely name the items alone.
        summary = [
            (t, v.verdict, str(v.date), sorted(v.counts.items()), [(r.source, r.run) for r in v.results])
            for t, v in sorted(verdicts.tests.items())
        ]
        items = sorted((i, v.verdict) for i, v in verdicts.items.items())
        blob = json.dumps([summary, items, len(verdicts.unmatched)], default=str)
        prints["results"] = hashlib.blake2b(blob.encode(), digest_size=12).hexdigest()
    for comp in cat.comparisons.values():
        blob = json.dumps(comp, default=lambda o: o.__dict__, sort_keys=True)
        prints[f"comparison:{comp.id}"] = hashlib.blake2b(blob.encode(), digest_size=12).hexdigest()
    for kind in cat.kinds:
        members = sorted(i.id for i in cat.items.values() if i.kind == kind)
        prints[f"kind:{kind}"] = hashlib.blake2b("\n".join(members).encode(), digest_size=12).hexdigest()
    prints["profiles"] = hashlib.blake2b(
        json.dumps({p.id: p.title for p in cat.profiles.values()}).encode(), digest_size=12
    ).hexdigest()
    return prints


def load(app: Sphinx) -> None:
    """builder-inited: read the catalogue, fail the build on error-level findings."""
    root = catalogue_path(app)
    # What each catalogue file holds is kept beside the doctrees: a rebuild reads only changed files.
    result = load_catalogue(root, base=Path(app.confdir).parent, cache=Path(app.doctreedir) / "ra2docs-catalogue")
    options: dict[str, object] = {"severity": dict(app.config.ra2docs_severity)}
    context = CheckContext(result.catalogue, options)
    findings = analyse(result, options, context)
    errors = [f for f in findings if f.severity == "error"]
    warnings = [f for f in findings if f.severity == "warning"]
    if errors or result.fatal:
        fail(
            *(finding.format() for finding in errors),
            f"ra2docs: the catalogue in {root} has {len(errors)} error(s); fix them and build again "
            "('ra2docs check' prints the same report without Sphinx)",
        )
    if warnings:
        logger.info(f"ra2docs: the catalogue has {len(warnings)} warning(s); run 'ra2docs check' to see them")
    graph = context.graph
    st = State(result.catalogue, graph, findings)
    if app.config.ra2docs_results:
        load_results(app, st)
    app._ra2docs_state = st  # type: ignore[attr-defined]


def load_results(app: Sphinx, st: State) -> None:
    """Read the result files of ``ra2docs_results`` and compute every verdict."""
    from ra2docs.results import expand, read_all
    from ra2docs.results.verdicts import compute

    confdir = Path(app.confdir)
    paths = expand(app.config.ra2docs_results, confdir)
    if not paths:
        logger.warning(
            f"ra2docs_results names no existing file ({', '.join(app.config.ra2docs_results)}); "
            "every test shows 'not run'",
            type="ra2docs",
        )
    results, errors = read_all(paths, confdir.parent)
    if errors:
        fail(
            *(error.finding.format() for error in errors),
            f"ra2docs: {len(errors)} result file(s) cannot be read; fix or remove them from ra2docs_results",
        )
    st.results = results
    st.result_files = [str(p) for p in paths]
    st.verdicts = compute(st.graph, results)


def note_usage(env: BuildEnvironment, *tokens: str) -> None:
    usage: dict[str, set[str]] = env.ra2docs_usage  # type: ignore[attr-defined]
    usage.setdefault(env.docname, set()).update(tokens)


def note_query(env: BuildEnvironment, query: ItemQuery, columns: list[str] | None = None) -> None:
    """The page shows the result of ``query``: it is read again whenever that result changes.

    The result covers which rows the query gives, in which order, and what each
    row's item holds (its fingerprint), so an item moving into a section, a new
    item of a kind, or an edit of a listed item all reach the page.
    """
    queries: dict[str, ItemQuery] = env.ra2docs_queries  # type: ignore[attr-defined]
    queries[query.key()] = query
    note_usage(env, query.key(), "profiles")


def _query_prints(cat: Catalogue, queries: dict[str, ItemQuery], prints: dict[str, str]) -> None:
    from ra2docs.views.items import select

    for key, query in queries.items():
        rows = select(cat, query)
        blob = "\n".join(
            f"{row.item.id}|{prints.get(row.item.id, '')}|{row.listing!r}|{row.own_section}" for row in rows
        )
        prints[key] = hashlib.blake2b(blob.encode(), digest_size=12).hexdigest()


def init_env(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    if not hasattr(env, "ra2docs_usage"):
        env.ra2docs_usage = {}  # type: ignore[attr-defined]
    if not hasattr(env, "ra2docs_queries"):
        env.ra2docs_queries = {}  # type: ignore[attr-defined]


def outdated(app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]) -> list[str]:
    """env-get-outdated: the pages that show something that changed."""
    st = state(app)
    new = fingerprints(st.catalogue, st.graph, st.verdicts)
    _query_prints(st.catalogue, getattr(env, "ra2docs_queries", {}), new)
    old: dict[str, str] = getattr(env, "ra2docs_fingerprints", {})
    env.ra2docs_fingerprints = new  # type: ignore[attr-defined]
    usage: dict[str, set[str]] = getattr(env, "ra2docs_usage", {})
    if not hasattr(env, "ra2docs_usage"):
        env.ra2docs_usage = usage  # type: ignore[attr-defined]
    if not old:
        return []
    touched = {token for token in new.keys() | old.keys() if new.get(token) != old.get(token)}
    if not touched:
        return []
    return sorted(doc for doc, tokens in usage.items() if tokens & touched or "*" in tokens)


def purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    getattr(env, "ra2docs_usage", {}).pop(docname, None)


def merge(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    mine = env.ra2docs_usage  # type: ignore[attr-defined]
    theirs = getattr(other, "ra2docs_usage", {})
    for doc in docnames:
        if doc in theirs:
            mine[doc] = theirs[doc]
    queries = getattr(env, "ra2docs_queries", None)
    if queries is None:
        queries = env.ra2docs_queries = {}  # type: ignore[attr-defined]
    queries.update(getattr(other, "ra2docs_queries", {}))


def setup_state(app: Sphinx) -> None:
    app.add_config_value("ra2docs_catalogue", "../catalogue", "env", [str])
    app.add_config_value("ra2docs_severity", {}, "env", [dict])
    # Result files (paths or globs, relative to conf.py) whose verdicts the site shows.
    app.add_config_value("ra2docs_results", [], "env", [list])
    app.connect("builder-inited", load, priority=400)
    app.connect("env-before-read-docs", init_env)
    app.connect("env-get-outdated", outdated)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
