"""Cell parts: one factory (ra2docs.views.parts) for every output, and the HTML fast path equal to the node path.

The fast path writes rows from templates it learns from samples the factory
built; the node path lets Sphinx write every node. Random tables of random
parts are built both ways, in-process, under both themes, and the pages must
be byte for byte the same. Once per build the fast path compares one row with
its nodes: an extension's post-transform that changes rows by their content
makes the build keep to nodes; one that changes every row the same way is
learnt from the samples.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import yaml
from docutils import nodes
from docutils.core import publish_doctree
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ra2docs.expand import _cell_lines
from ra2docs.results.verdicts import ALL_VERDICTS
from ra2docs.views.parts import Part, PartKind, cell_nodes, verdict_classes

SAME_PAGE, OTHER_PAGE, NOWHERE = "ra2.k8s.001", "ra2.k8s.002", "ra2.k8s.999"

# A directive that shows the table given in its content (JSON: rows of cells of part codes).
PROBE_EXTENSION = """
import json
from docutils import nodes
from sphinx.util.docutils import SphinxDirective
from ra2docs.sphinx.tables import table_from_view
from ra2docs.views.table import TableView, ViewRow
from ra2docs.views.parts import Part


class PartsTable(SphinxDirective):
    has_content = True

    def run(self):
        data = json.loads("\\n".join(self.content))
        cell = lambda codes: tuple(Part.from_code(code) for code in codes)
        rows = [ViewRow([cell(c) for c in row["cells"]], classes=tuple(row["classes"])) for row in data]
        headers = [(Part.text("A"),), (Part.text("B"),), (Part.text("C"),)]
        return [table_from_view(self, TableView(headers, rows))]


def setup(app):
    app.add_directive("parts-table", PartsTable)
    return {"parallel_read_safe": True}
"""

# Post-transforms of another extension, run after references are resolved.
MARKING_EXTENSION = '''
from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform


class MarkEveryEntry(SphinxPostTransform):
    """The same change to every table cell: the fast path learns it from its samples."""
    default_priority = 50

    def run(self, **kwargs):
        for entry in self.document.findall(nodes.entry):
            entry["classes"].append("marked")


class MarkOneId(SphinxPostTransform):
    """A change by content (one ID's literal): only nodes show it."""
    default_priority = 50

    def run(self, **kwargs):
        if not self.config.mark_one_id:
            return
        for literal in self.document.findall(nodes.literal):
            if literal.astext() == "ra2.k8s.002":
                literal["classes"].append("that-one")


def setup(app):
    app.add_config_value("mark_one_id", False, "html")
    app.add_post_transform(MarkEveryEntry)
    app.add_post_transform(MarkOneId)
    return {"parallel_read_safe": True}
'''


def _project(folder: Path, rows: list[dict], extensions: tuple[str, ...] = (), check_an_entry: bool = False) -> Path:
    source = folder / "source"
    source.mkdir(parents=True)
    catalogue = folder / "catalogue"
    catalogue.mkdir()
    items = [
        {"id": item_id, "kind": "specification", "title": f"Spec {n}", "section": "4.2", "details": "Details."}
        for n, item_id in enumerate((SAME_PAGE, OTHER_PAGE), 1)
    ]
    gap = {"id": "gap.one", "kind": "gap", "title": "A gap", "section": "4.2", "description": "Missing & late."}
    items.append({**gap, "status": "open", "related": [OTHER_PAGE]})
    (catalogue / "items.yaml").write_text(yaml.safe_dump({"items": items}), encoding="utf-8")
    (catalogue / "sections.yaml").write_text(yaml.safe_dump({"sections": [{"id": "4.2", "title": "Node"}]}))
    (source / "parts_probe.py").write_text(PROBE_EXTENSION, encoding="utf-8")
    (source / "marking.py").write_text(MARKING_EXTENSION, encoding="utf-8")
    names = ", ".join(repr(name) for name in ("ra2docs.sphinx", "parts_probe", *extensions))
    (source / "conf.py").write_text(
        f"import sys\nsys.path.insert(0, {str(source)!r})\nextensions = [{names}]\n"
        'ra2docs_catalogue = "../catalogue"\nra2docs_downloads = False\nra2docs_pages = []\n',
        encoding="utf-8",
    )
    (source / "index.rst").write_text("Index\n=====\n\n.. toctree::\n\n   a_check\n   probe\n", encoding="utf-8")
    # Written first: the page on which the build compares one row with its nodes (a row with a link to each page).
    check_row = {"cells": [[["r", OTHER_PAGE]], [["r", SAME_PAGE]], [["t", "x"], ["v", "pass"]]], "classes": []}
    entries = ".. ra2:definitions::\n   :kind: gap\n\n" if check_an_entry else ""  # first: the one checked
    (source / "a_check.rst").write_text(
        f"Check\n=====\n\n{entries}.. ra2:item:: {OTHER_PAGE}\n\n.. parts-table::\n\n   {json.dumps([check_row])}\n",
        encoding="utf-8",
    )
    (source / "probe.rst").write_text(
        f"Probe\n=====\n\n.. ra2:item:: {SAME_PAGE}\n\n.. parts-table::\n\n   {json.dumps(rows)}\n", encoding="utf-8"
    )
    return source


def _build(source: Path, out: Path, overrides: dict[str, object]) -> tuple[str, str]:
    """The pages' HTML (the check page's, the probe page's), and how the build wrote deferred views (fast, nodes)."""
    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace

    from ra2docs.sphinx.deferred import fast_check

    warnings = io.StringIO()
    with docutils_namespace():  # as sphinx-build: what the build registers in docutils goes with it
        app = Sphinx(
            str(source), str(source), str(out), str(out / ".doctrees"), "html", confoverrides=overrides,
            status=None, warning=warnings, freshenv=True,
        )  # fmt: skip
        app.build()
    assert app.statuscode == 0, warnings.getvalue()
    pages = "".join((out / name).read_text(encoding="utf-8") for name in ("a_check.html", "probe.html"))
    return pages, fast_check(app).state


words = st.text(alphabet=st.sampled_from("abcXYZ019 <>&\"'@-.*`_|"), min_size=1, max_size=8)
parts = st.one_of(
    st.builds(Part.text, words),
    st.builds(Part.markup, st.from_regex(r"[A-Za-z0-9][A-Za-z0-9 ,.()]{0,15}", fullmatch=True)),
    st.builds(Part.markup, st.sampled_from(["*stressed*", "``code``", "a -- b"])),  # parsed when read
    st.builds(Part.ref, st.sampled_from([SAME_PAGE, OTHER_PAGE, NOWHERE, "an id"])),
    st.builds(Part.bold, words),
    st.builds(Part.note_mark, words),
    st.builds(Part.verdict, st.sampled_from(ALL_VERDICTS)),
)
cells = st.lists(parts, max_size=4).map(lambda found: [p.code for p in found])
rows = st.lists(
    st.fixed_dictionaries(
        {"cells": st.lists(cells, min_size=3, max_size=3), "classes": st.sampled_from([[], ["ra2-total"]])}
    ),
    min_size=1,
    max_size=8,
)


@pytest.mark.parametrize("theme", ["alabaster", "piccolo_theme"])
@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(table=rows)
def test_the_fast_path_writes_random_parts_as_the_node_path_does(tmp_path_factory, theme: str, table: list[dict]):
    folder = tmp_path_factory.mktemp("parts")
    source = _project(folder, table)
    fast, state = _build(source, folder / "fast", {"html_theme": theme})
    nodes_html, _ = _build(source, folder / "nodes", {"html_theme": theme, "ra2docs_fast_html": 0})
    assert state == "fast"  # the probe page was written by the fast path
    assert fast == nodes_html


def test_the_check_of_an_entry_leaves_its_page_as_the_node_path_writes_it(tmp_path: Path):
    """The check writes the entry's nodes twice (once to compare): the page shows them once, as Sphinx would."""
    table = [{"cells": [[["r", SAME_PAGE]], [["t", "a"]], [["v", "fail"]]], "classes": []}]
    source = _project(tmp_path, table, check_an_entry=True)
    fast, state = _build(source, tmp_path / "fast", {})
    nodes_html, _ = _build(source, tmp_path / "nodes", {"ra2docs_fast_html": 0})
    assert state == "fast" and "gap.one" in fast
    assert fast == nodes_html


def test_a_post_transform_that_changes_every_row_alike_is_learnt_from_the_samples(tmp_path: Path):
    table = [{"cells": [[["r", SAME_PAGE]], [["r", OTHER_PAGE], ["t", " & "], ["b", "b"]], []], "classes": []}]
    source = _project(tmp_path, table, extensions=("marking",))
    fast, state = _build(source, tmp_path / "fast", {})
    nodes_html, _ = _build(source, tmp_path / "nodes", {"ra2docs_fast_html": 0})
    assert state == "fast"
    assert 'class="marked"' in fast and fast == nodes_html


def test_a_post_transform_that_changes_rows_by_their_content_sends_the_build_to_nodes(tmp_path: Path):
    table = [{"cells": [[["r", OTHER_PAGE]], [["t", "x"]], []], "classes": []}]
    source = _project(tmp_path, table, extensions=("marking",))
    fast, state = _build(source, tmp_path / "fast", {"mark_one_id": 1})
    nodes_html, _ = _build(source, tmp_path / "nodes", {"mark_one_id": 1, "ra2docs_fast_html": 0})
    assert state == "nodes"  # the check row (on the first page) holds that ID: the fast path would miss it
    assert "that-one" in fast and fast == nodes_html


computed_parts = parts.filter(lambda part: part.kind is not PartKind.MARKUP)  # markup is written as it is


@settings(max_examples=200, deadline=None)
@given(cell=st.lists(computed_parts, max_size=5).map(tuple))
def test_expand_writes_the_factory_s_nodes_as_rst_that_reads_back_to_the_same_nodes(cell: tuple[Part, ...]):
    """``ra2docs expand`` derives its text from the factory's nodes: docutils reads it back to the same words and marks."""
    rst = "\n".join(_cell_lines(cell))
    document = publish_doctree(rst, settings_overrides={"report_level": 5, "halt_level": 5})
    built = cell_nodes(cell)
    assert " ".join(document.astext().split()) == " ".join("".join(node.astext() for node in built).split())
    for marked in (nodes.strong, nodes.superscript):
        read = [" ".join(node.astext().split()) for node in document.findall(marked)]  # RST: spaces are one
        made = [" ".join(node.astext().split()) for body in built for node in body.findall(marked)]
        assert read == [text for text in made if text]


def test_the_factory_is_the_only_place_a_badge_s_classes_are_written():
    badge = cell_nodes((Part.verdict("not run"),))[0][0]
    assert badge["classes"] == verdict_classes("not run") == ["ra2-verdict", "ra2-verdict-not-run"]
    sources = Path(__file__).resolve().parents[1] / "ra2docs"
    written = [p.name for p in sources.rglob("*.py") if '"ra2-verdict-' in p.read_text(encoding="utf-8")]
    assert written == ["parts.py"]


def test_a_part_keeps_its_code_in_doctrees():
    assert Part.from_code(Part.note_mark("(1)").code) == Part.note_mark("(1)")
    assert [kind.value for kind in PartKind] == ["m", "t", "r", "b", "s", "v"]
