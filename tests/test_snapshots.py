"""Snapshots of what a small, fixed project renders: every page's HTML body and resolved doctree.

The project (catalogue, one JUnit result file, six pages) is written here and
uses every ra2 directive and role: tables by section and by kind (profile
values, specification references, verdicts, incoming links), definitions, an
item, the item and verdict roles, coverage, the three matrices, the gap
report, the conformance report, a comparison and trace graphs. It is built
three times, side by side:

* HTML through the default fast path (large views written from templates the
  translator is taught at write time);
* HTML with ``-D ra2docs_fast_html=0`` (every node built before references are
  resolved, and written by Sphinx): both must give the same snapshot, so the
  two rendering paths cannot drift apart unseen;
* pseudo-XML (``-b pseudoxml``): the resolved doctree of every page, which is
  what every non-HTML builder (LaTeX, text, ...) writes from.

Only the content of ``<div class="body" role="main">`` is kept from the HTML,
so that theme chrome (sidebars, version strings, script tags) does not churn
the snapshots; graph image names (a hash of the dot source) and the project's
absolute path are replaced by placeholders.

The snapshots are taken under the venv's Sphinx (9.x) and docutils (0.22).
The same project is also built under Sphinx 7.2.6 and docutils 0.20 (RA2's
pins, the shared Python 3.10 environment) and must give the very same
snapshots once two differences that are theirs, not ra2docs', are evened out:
a signature's annotation is ``<em class="property">`` there (``<span>`` since
Sphinx 7.3), and the doctree writes true attributes as ``"True"`` (``"1"``
since docutils 0.22). After an intended change of the rendering, review the
diff and update the snapshots with
``pytest tests/test_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

import json
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import PROFILES, run, sh, write
from syrupy.assertion import SnapshotAssertion

pytestmark = pytest.mark.build

CATALOGUE = {
    "profiles.yaml": PROFILES,
    "sections.yaml": """\
        sections:
          - {id: 2.2.1, title: Software Profile Capabilities, caption: 'Table 2-1: Software Profile Capabilities'}
          - {id: 2.2.3, title: Software Profile Requirements, caption: 'Table 2-2: Software Profile Requirements'}
          - {id: '2.3', title: Kubernetes Architecture Requirements, caption: 'Table 2-3: Kubernetes Architecture Requirements'}
          - {id: '4.2', title: Kubernetes Node, caption: 'Table 4-1: Node Specifications'}
          - {id: '4.3', title: Kubernetes, caption: 'Table 4-2: Kubernetes Specifications'}
        sources:
          - {id: rm-2020-08, title: Anuket Reference Model, version: 84d0b207 (2020-08-29)}
        """,
    "rm.yaml": """\
        items:
          - id: i.cap.018
            kind: rm-capability
            title: Huge pages
            unit: Yes/No
            section: 2.2.1
            rm-section: 4.2.5
            source: rm-2020-08
            values: {basic: Not required, network-intensive: Must support}
          - id: i.cap.019
            kind: rm-capability
            title: CPU pinning
            unit: Yes/No
            section: 2.2.1
            rm-section: 4.2.5
            values: {basic: Not required, network-intensive: Optional}
          - id: infra.com.cfg.004
            kind: rm-requirement
            title: Huge Pages
            section: 2.2.3
            description: The platform must offer huge pages to workloads.
            values: {basic: Must support, network-intensive: Must support}
          - id: infra.com.cfg.005
            kind: rm-requirement
            title: Simultaneous multithreading
            section: 2.2.3
            values: {basic: Must support, network-intensive: Optional}
        """,
    "ra.yaml": """\
        items:
          - id: req.inf.ntw.04
            kind: ra-requirement
            title: Dual stack IPv4 and IPv6 for Kubernetes workloads
            category: Infrastructure
            subcategory: Network
            priority: MUST
            section: '2.3'
            statement: Kubernetes workloads must be able to use *IPv4* and ``IPv6`` at the same time.
            refines: [infra.com.cfg.004]
          - id: req.inf.ntw.08
            kind: ra-requirement
            title: SCTP
            category: Infrastructure
            subcategory: Network
            priority: SHOULD
            section: '2.3'
            statement: The platform should support "SCTP" -- the stream protocol.
            notes: Needed by some telco workloads.
          - id: req.gen.cnt.02
            kind: ra-requirement
            title: Immutable infrastructure
            category: General
            subcategory: Cloud nativeness
            priority: MUST
            section: '2.3'
            changed: '2026-12-01'
            statement: The platform must be rebuilt, never patched in place.
          - id: req.gen.cnt.03
            kind: ra-requirement
            title: Cloud native storage
            category: General
            subcategory: Cloud nativeness
            priority: MUST
            section: '2.3'
            statement: The platform must offer storage through CSI.
        """,
    "specs.yaml": """\
        items:
          - id: ra2.ch.001
            kind: specification
            title: Huge pages
            component: Kubernetes Node
            section: '4.2'
            details: Huge pages are enabled on every node.
            traces: [infra.com.cfg.004, i.cap.018]
          - id: ra2.k8s.010
            kind: specification
            title: IPv6DualStack
            component: Kubernetes
            section: '4.3'
            details: The IPv6DualStack feature gate is switched on in every component.
            traces: [req.inf.ntw.04]
          - id: ra2.k8s.011
            kind: specification
            title: SCTP support
            component: Kubernetes
            section: '4.3'
            details: SCTP is enabled in Services.
            traces: [req.inf.ntw.08, req.gen.cnt.02]
          - id: ra2.k8s.012
            kind: specification
            title: Orphan
            component: Kubernetes
            section: '4.3'
            details: Traces to nothing yet.
        """,
    "tests.yaml": """\
        items:
          - id: e2e.dual-stack
            kind: test-case
            title: Kubernetes e2e IPv4/IPv6 dual-stack tests
            project: kubernetes e2e
            match: {tag: '[Feature:IPv6DualStack]'}
            verifies: [ra2.k8s.010]
          - id: e2e.hugepages
            kind: test-case
            title: Kubernetes e2e huge pages tests
            project: kubernetes e2e
            match: {pattern: 'HugePages'}
            verifies: [ra2.ch.001]
          - id: e2e.sctp
            kind: test-case
            title: Kubernetes e2e SCTP tests
            project: kubernetes e2e
            match: {name: 'SCTP should work'}
            verifies: [ra2.k8s.011]
          - id: e2e.auth
            kind: test-case
            title: Service account tests
            project: kubernetes e2e
            match: {tag: '[sig-auth]'}
            verifies: [req.gen.cnt.02]
          - id: e2e.storage
            kind: test-case
            title: CSI tests
            project: kubernetes e2e
            match: {tag: '[sig-storage]'}
            verifies: [req.gen.cnt.03]
        """,
    "gaps.yaml": """\
        items:
          - id: gap.hw-topology-aware-hugepages
            kind: gap
            title: HW topology aware hugepages
            section: 6.2.8
            baseline: Kubernetes v1.17
            status: open
            description: Hugepages cannot yet come from the NUMA node of a Pod's other resources.
            related: [infra.com.cfg.004, ra2.ch.001]
        """,
    "comparisons.yaml": """\
        comparisons:
          - id: cni-multiplexers
            title: Comparison of CNI multiplexers
            row-header: Requirement
            solutions: [{id: multus, title: Multus}, {id: danm, title: DANM}]
            levels: [{id: supported, label: Supported}, {id: not-supported, label: Not supported}]
            notes: [{id: 1, text: Under implementation in the current release.}]
            rows:
              - item: req.inf.ntw.04
                cells: {multus: supported, danm: {level: not-supported, note: 1}}
              - item: req.inf.ntw.08
                label: SCTP in Services
                cells: {multus: not-supported, danm: supported}
        """,
}

# pass (dual stack, auth), fail (huge pages), skipped (storage); the SCTP test is not run; the auth
# result (2026-11-20) is older than the change of req.gen.cnt.02 it verifies (2026-12-01): stale
JUNIT = """\
    <?xml version="1.0" encoding="UTF-8"?>
    <testsuites tests="5" failures="1">
      <testsuite name="e2e" tests="5" skipped="1" failures="1" timestamp="2026-11-20T09:15:00">
        <testcase name="[It] [sig-network] [Feature:IPv6DualStack] works" classname="e2e" time="1"></testcase>
        <testcase name="[It] [sig-node] HugePages should run a Pod" classname="e2e" time="2">
          <failure message="" type="failed">no huge pages &lt;on&gt; the node</failure>
        </testcase>
        <testcase name="[It] [sig-storage] CSI should mount" classname="e2e" time="0"><skipped/></testcase>
        <testcase name="[It] [sig-auth] ServiceAccounts should mount a token" classname="e2e" time="1"></testcase>
        <testcase name="[It] [sig-apps] unrelated" classname="e2e" time="1"></testcase>
      </testsuite>
    </testsuites>
    """

PAGES = {
    "index.rst": """\
        Snapshot project
        ================

        .. toctree::

           tables
           entries
           trace
           results
           prose
           notes
        """,
    "tables.rst": """\
        Tables
        ======

        See :numref:`capabilities` and :numref:`requirements`.

        .. ra2:table:: Table 2-1: Software Profile Capabilities
           :name: capabilities
           :section: 2.2.1
           :columns: id, title, unit, values.basic, values.network-intensive, spec-ref, verdict

        .. ra2:table:: Table 2-2: Software Profile Requirements
           :section: 2.2.3
           :columns: id, text, values, spec-ref

        .. ra2:table::
           :name: requirements
           :caption: Table 2-3: Kubernetes Architecture Requirements
           :section: 2.3
           :columns: id, category, subcategory, text, priority, incoming, verdict
           :widths: 10 10 10 40 10 10 10

        .. ra2:table:: Specifications by kind
           :kind: specification
           :sort: id
           :columns: id, title, component, text, links, incoming

           * - Specification
             - Name
             - Component
             - What it asks
             - Requirement Trace
             - Verified by

        .. ra2:table:: Chosen by ID
           :ids: req.gen.*, ra2.k8s.010
           :columns: id, kind, title, section
        """,
    "entries.rst": """\
        Entries
        =======

        .. ra2:definitions::
           :kind: rm-capability

        .. ra2:definitions::
           :kind: rm-requirement

        .. ra2:definitions::
           :kind: ra-requirement

        .. ra2:definitions::
           :section: 4.*

        .. ra2:definitions::
           :kind: specification
           :section: 4.3

        .. ra2:definitions::
           :kind: test-case

        .. ra2:definitions::
           :kind: gap
        """,
    "trace.rst": """\
        Traceability
        ============

        .. ra2:coverage::
           :by: section

        .. ra2:coverage::
           :by: profile

        .. ra2:matrix::
           :type: forward
           :caption: Requirements to specifications to tests

        .. ra2:matrix::
           :type: backward
           :kind: specification

        .. ra2:matrix::
           :type: backward
           :kind: test-case

        .. ra2:matrix::
           :type: grid
           :rows: ra-requirement
           :columns: specification

        .. ra2:matrix::
           :type: grid
           :rows: rm-requirement
           :columns: test-case
           :transitive:
           :all-columns:

        .. ra2:gaps::
        """,
    "results.rst": """\
        Results
        =======

        Verdicts read :ra2:verdict:`pass`, :ra2:verdict:`fail`, :ra2:verdict:`stale` and :ra2:verdict:`not run`.

        .. ra2:results::

        .. ra2:results::
           :items: all

        .. ra2:not-passing::
        """,
    "prose.rst": """\
        Prose
        =====

        The platform offers dual stack (:ra2:item:`req.inf.ntw.04`), specified by
        :ra2:item:`ra2.k8s.010`, and :ra2:item:`the huge pages gap <gap.hw-topology-aware-hugepages>`.

        .. ra2:item:: req.inf.ntw.08

        .. ra2:item:: ra2.ch.001

        .. ra2:comparison:: cni-multiplexers
           :number: 3-1

        .. ra2:graph:: ra2.k8s.011
           :depth: 2

        A gap written as labelled paragraphs, as today's RA2 chapter 7 does:

        .. ra2:fields:: gap.hw-topology-aware-hugepages

           Related requirements: related
           Baseline project: baseline
           Gap description: description
        """,
    "notes.rst": """\
        .. ra2:markdown:: notes.md
        """,
}
# A Markdown file a page shows (ra2:markdown): headings, lists, a table, inline markup and HTML (code blocks:
# tests/test_mdpage.py; docutils versions write a literal block's attributes differently).
NOTES_MD = """\
    # Notes on the catalogue

    Some *text* with `code`, a [link](https://example.org/) and <b>HTML</b>.

    ## Fixes

    1. **First.** One.
    2. Second, with a list:
       - inner `a`
       - inner b

    | upstream | what we did |
    |---|---|
    | `ra2.ch.015` twice | renumbered |
    """

CONF = """\
    extensions = ["ra2docs.sphinx"]
    ra2docs_catalogue = "../catalogue"
    ra2docs_results = ["../results/*.xml"]
    ra2docs_downloads = False
    html_theme = "alabaster"
    numfig = True
    graphviz_output_format = "svg"  # the site's setting; a PNG's image map has coordinates that vary with fonts
    project = "Snapshots"


    def setup(app):
        # Every directive and role of the ra2 domain, for the test that checks the pages use them all.
        def names(app, exception):
            domain = app.env.get_domain("ra2")
            found = {"directives": sorted(domain.directives), "roles": sorted(domain.roles)}
            (app.outdir.parent / f"ra2-names-{app.builder.name}.json").write_text(__import__("json").dumps(found))

        app.connect("build-finished", names)
    """

PAGE_NAMES = [name.removesuffix(".rst") for name in PAGES]
# the three builds: name -> sphinx-build options
BUILDS = {
    "fast": ["-b", "html"],
    "nodes": ["-b", "html", "-D", "ra2docs_fast_html=0"],
    "doctree": ["-b", "pseudoxml"],
}


def build_project(project: Path, env: dict[str, str] | None = None) -> Path:
    """Write the project and build it the three ways at once; ``env``: a Python environment of another Sphinx."""
    write(project / "catalogue", CATALOGUE)
    write(project / "results", {"junit_01.xml": JUNIT})
    write(project / "source", {**PAGES, "conf.py": CONF, "notes.md": NOTES_MD})

    def build(name: str) -> tuple[str, int, str]:
        args = ("sphinx-build", "-W", "--keep-going", "-q", *BUILDS[name], str(project / "source"))
        out = str(project / "out" / name)
        result = run(*args, out, timeout=120) if env is None else sh(*args, out, cwd=project, env=env, timeout=120)
        return name, result.returncode, result.stderr

    with ThreadPoolExecutor(len(BUILDS)) as pool:
        for name, returncode, stderr in pool.map(build, BUILDS):
            assert returncode == 0 and not stderr, f"the {name} build failed:\n{stderr}"
    return project


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project built by the venv's Sphinx (the newest), whose pages are the snapshots."""
    return build_project(tmp_path_factory.mktemp("snapshots"))


@pytest.fixture(scope="module")
def built72(tmp_path_factory: pytest.TempPathFactory, ra2_env: dict[str, str]) -> Path:
    """The same project built by Sphinx 7.2.6 on Python 3.10 (RA2's pins: the shared ``ra2_env``)."""
    return build_project(tmp_path_factory.mktemp("snapshots72"), ra2_env)


_DIV = re.compile(r"<(/?)div\b")


def html_body(page: Path) -> str:
    """The content of the page's ``<div class="body" role="main">`` (alabaster's), without theme chrome."""
    html = page.read_text(encoding="utf-8")
    start = html.index('<div class="body" role="main">') + len('<div class="body" role="main">')
    depth = 1
    for tag in _DIV.finditer(html, start):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            body = html[start : tag.start()]
            break
    else:
        raise AssertionError(f"{page}: the body's <div> is never closed")
    # graphviz names an image by a hash of its dot source and options: the dot source is in the doctree snapshot
    body = re.sub(r"graphviz-[0-9a-f]{40}", "graphviz-HASH", body)
    # Sphinx before 7.3 writes a signature's annotation as <em class="property">, later ones as <span>
    body = re.sub(r'<em class="property">(.*?)</em>', r'<span class="property">\1</span>', body)
    return "\n".join(line.rstrip() for line in body.strip().splitlines()) + "\n"


def doctree(page: Path, project: Path) -> str:
    """The pseudo-XML of a page: the project's path as ``<project>``, the document's own attributes left out.

    Those (an ``xmlns`` per registered domain, ``translation_progress``) say
    which Sphinx wrote the page, not what ra2docs rendered.
    """
    text = page.read_text(encoding="utf-8").replace(str(project), "<project>")
    first, _, rest = text.partition("\n")
    assert first.startswith("<document source="), first
    # docutils before 0.22 writes a true attribute as "True", later ones as "1"
    rest = re.sub(r'( [\w-]+)="True"', r'\1="1"', rest)
    return re.sub(r'^<document (source="[^"]*").*>$', r"<document \1>", first) + "\n" + rest


def test_the_pages_use_every_directive_and_role_of_the_ra2_domain(built: Path):
    """A directive or role added to the domain without a place in these pages fails here, not unseen."""
    sources = "\n".join(PAGES.values())
    for builder in ("html", "pseudoxml"):
        names = json.loads((built / "out" / f"ra2-names-{builder}.json").read_text(encoding="utf-8"))
        assert names["directives"] and names["roles"], names
        assert [d for d in names["directives"] if f".. ra2:{d}::" not in sources] == []
        assert [r for r in names["roles"] if f":ra2:{r}:`" not in sources] == []
    written = sorted(p.stem for p in (built / "out" / "fast").glob("*.html") if p.stem not in ("genindex", "search"))
    assert written == sorted(PAGE_NAMES)


@pytest.mark.parametrize("page", PAGE_NAMES)
def test_html_body(built: Path, page: str, snapshot: SnapshotAssertion):
    """The page's HTML, written by the fast path and by Sphinx from nodes: one snapshot for both."""
    fast = html_body(built / "out" / "fast" / f"{page}.html")
    nodes = html_body(built / "out" / "nodes" / f"{page}.html")
    assert fast == snapshot
    assert nodes == fast, "the fast HTML path and the node path (ra2docs_fast_html = 0) write different markup"


@pytest.mark.parametrize("page", PAGE_NAMES)
def test_doctree(built: Path, page: str, snapshot: SnapshotAssertion):
    """The page's resolved doctree, as the pseudo-XML builder writes it."""
    assert doctree(built / "out" / "doctree" / f"{page}.pseudoxml", built) == snapshot


@pytest.mark.parametrize("page", PAGE_NAMES)
def test_sphinx_7_2_6_renders_what_the_snapshots_hold(built: Path, built72: Path, page: str):
    """RA2 pins Sphinx 7.2.6: there, both HTML paths and the doctree give the newest Sphinx's (the snapshots')."""
    expected = html_body(built / "out" / "fast" / f"{page}.html")
    assert html_body(built72 / "out" / "fast" / f"{page}.html") == expected
    assert html_body(built72 / "out" / "nodes" / f"{page}.html") == expected
    pseudoxml = f"{page}.pseudoxml"
    assert doctree(built72 / "out" / "doctree" / pseudoxml, built72) == doctree(
        built / "out" / "doctree" / pseudoxml, built
    )
