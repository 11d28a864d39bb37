"""What ``ra2docs adopt`` plans for each form a table or a gap takes, and what it refuses (in-process, small trees).

The whole RA2 tree is adopted in test_adoption.py (slow); here each branch of the plan has a tree of a
few lines: the tables it replaces, the ones it keeps with their reason, the gaps, the wiring (conf.py,
togsma.py, test-requirements.txt, workflows, settings) and the refusals.
"""

from __future__ import annotations

import json
import subprocess
import textwrap
from pathlib import Path

import pytest

from ra2docs import adopt
from ra2docs.findings import Ra2docsError

REQUIREMENTS = """\
Architecture Requirements
=========================

Kubernetes Architecture Requirements
------------------------------------

.. list-table:: Kubernetes Architecture Requirements
   :widths: 20 80
   :header-rows: 1

   * - Reference
     - Requirement
   * - gen.cnt.01
     - The architecture must support containers.
   * - gen.cnt.02
     - The architecture must support **sandboxes**.

=========== ==================================
gen.scl.01  The architecture must scale.
gen.scl.02  The architecture should scale out.
=========== ==================================

Kept tables
-----------

.. list-table:: A cell with a download role
   :header-rows: 1

   * - Reference
     - Requirement
   * - gen.ntw.01
     - Read :download:`this <file.txt>`.

.. list-table:: A row without an ID
   :header-rows: 1

   * - Reference
     - Requirement
   * - gen.ntw.02
     - Networks must exist.
   * -
     - A row with no ID.

.. note::

   .. list-table:: Nested
      :header-rows: 1

      * - Reference
        - Requirement
      * - gen.ntw.03
        - Nested networks.

+------------+-----------------------------+
| Ref        | Text                        |
+============+=============================+
| gen.ost.01 | One row                     |
+------------+-----------------------------+
| gen.ost.02 spans both columns            |
+------------+-----------------------------+
"""

GAPS = """\
Gaps, Innovation, and Development
=================================

Gap analysis
------------

Container run-time Interfaces towards NFVI resources
~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~

**Related requirements:** gen.cnt.01

**Baseline project:** Kubernetes

**Gap description:** Containers need more.

Starts with a list
~~~~~~~~~~~~~~~~~~

- a list first

**Related requirements:** gen.cnt.02
"""


def tree(tmp_path: Path, chapters: dict[str, str], git: bool = True, files: dict[str, str] | None = None) -> Path:
    """A documentation folder (conf.py, chapters/, the files given) at the top of a git repository."""
    top = tmp_path / "repo"
    docdir = top / "doc"
    (docdir / "chapters").mkdir(parents=True)
    (docdir / "conf.py").write_text('project = "tiny"\nextensions = ["sphinx.ext.autosectionlabel"]\n')
    for name, text in chapters.items():
        (docdir / "chapters" / name).write_text(text, encoding="utf-8")
    for name, text in (files or {}).items():
        (docdir / name).write_text(text, encoding="utf-8")
    if git:
        subprocess.run(["git", "init", "-q", str(top)], check=True)
    return docdir


def changed(result: adopt.Plan, name: str) -> str:
    return next(c.after for c in result.changes if c.path.name == name)


def test_each_table_form_is_replaced_or_kept_with_its_reason(tmp_path: Path):
    docdir = tree(tmp_path, {"chapter02.rst": REQUIREMENTS, "chapter07.rst": GAPS})
    result = adopt.plan(docdir, requirement="ra2docs==0.1.0")
    assert result.replaced == [
        "chapters/chapter02.rst:7 Kubernetes Architecture Requirements",
        "chapters/chapter02.rst:18 2.1 Kubernetes Architecture Requirements",
        "chapters/chapter07.rst:7 Container run-time Interfaces towards NFVI resources (gap)",
    ]
    reasons = [kept.split(": left as it is: ", 1)[1] for kept in result.kept]
    assert reasons == [
        "a cell holds markup the catalogue does not allow (line 31 (text): role :download: is not allowed in "
        "catalogue text)",
        "a row has no usable ID",
        "it stands inside another block (a list or a directive)",
        "it has cells spanning several columns",
        "it does not start with a paragraph; not in the catalogue",
    ]
    chapter = changed(result, "chapter02.rst")
    # two tables of one section: each directive names its rows; the simple table's options appear once
    assert chapter.count(":ids: gen.cnt.01 gen.cnt.02") == chapter.count(":ids: gen.scl.01 gen.scl.02") == 1
    simple = chapter.split(".. ra2:table::\n", 1)[1].split("\n\n", 1)[0]
    assert simple.split("\n") == [
        "   :header-rows: 0",
        "   :section: 2.1",
        "   :ids: gen.scl.01 gen.scl.02",
        "   :columns: id text",
    ]
    assert ".. list-table:: Nested" in chapter and "| gen.ost.01 | One row" in chapter  # kept as written
    gaps = changed(result, "chapter07.rst")
    assert ".. ra2:fields:: gap.container-run-time-interfaces-towards-nfvi-resources" in gaps
    assert "- a list first\n\n**Related requirements:** gen.cnt.02" in gaps  # the gap kept as prose ...
    catalogue = changed(result, "chapter07.yaml")
    assert "gap.starts-with-a-list" not in catalogue  # ... is the chapter's, not the catalogue's
    summary = adopt.summary(result)
    assert "adopted 2 table(s) and 1 gap(s)" in summary and "5 table(s) or gap(s) with IDs left as they are" in summary
    assert "chapter02.yaml:23: gen.ntw.01: statement: role :download: is not allowed" in summary  # a defect, known
    assert "note: no test-requirements.txt: install ra2docs==0.1.0 wherever the site is built" in summary
    reported = json.loads(adopt.as_json(result))
    assert reported["replaced"] == result.replaced and reported["kept"] == result.kept
    assert {d["rule"] for d in reported["defects"]} >= {"RA603", "RA302"}
    assert str(docdir / "catalogue" / "ra2docs-baseline.json") in reported["files"]


def test_adopted_simple_tables_and_a_headerless_list_table_build_as_before(tmp_path: Path):
    """The directives adopt writes are ones Sphinx reads: -W, and the same header rows as upstream."""
    from sphinx.cmd.build import build_main

    chapter = textwrap.dedent(
        """\
        Specifications
        ==============

        Node
        ----

        =========== ==================
        ra2.ch.001  Huge pages
        ra2.ch.002  CPU pinning
        =========== ==================

        .. list-table:: Without a header

           * - ra2.ch.003
             - NUMA

        Memory
        ------

        =========== ==================
        Ref         Specification
        =========== ==================
        ra2.ch.004  Memory *limits*
        =========== ==================
        """
    )
    docdir = tree(tmp_path, {"chapter04.rst": chapter})
    (docdir / "index.rst").write_text("Tiny\n====\n\n.. toctree::\n\n   chapters/chapter04\n")
    adopt.plan(docdir).apply()
    adopted = (docdir / "chapters" / "chapter04.rst").read_text()
    assert adopted.count(":header-rows: 0") == 2, adopted
    assert adopted.endswith(
        ".. ra2:table::\n   :header-rows: 1\n   :section: 4.2\n   :columns: id title\n\n   * - Ref\n     - Specification\n"
    )
    warnings = tmp_path / "warnings.txt"
    code = build_main(["-q", "-W", "-b", "html", "-w", str(warnings), str(docdir), str(tmp_path / "html")])
    assert code == 0, warnings.read_text()
    page = (tmp_path / "html" / "chapters" / "chapter04.html").read_text()
    tables = page.split("<table")[1:]
    assert ["<thead>" in t for t in tables] == [False, False, True], page
    assert [t.count("<tr") for t in tables] == [2, 1, 2] and "Memory <em>limits</em>" in tables[2]


def test_togsma_requirements_and_workflows_are_wired_once(tmp_path: Path):
    docdir = tree(
        tmp_path,
        {"chapter02.rst": REQUIREMENTS},
        files={
            "togsma.py": 'import os\n\nfilenames = ["chapters/chapter02.rst"]\n',
            "test-requirements.txt": "sphinx==7.2.6\n",
        },
    )
    workflows = docdir.parent / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "ra2docs-comment.yml").write_text("name: our own\n")
    result = adopt.plan(docdir, requirement="ra2docs==0.1.0")
    togsma = changed(result, "togsma.py")
    assert 'filenames = [EXPANDED + "/chapters/chapter02.rst"]' in togsma
    assert 'subprocess.run(["ra2docs", "expand", ".", EXPANDED], check=True)' in togsma
    assert changed(result, "test-requirements.txt").endswith(
        "ra2docs==0.1.0  # renders the catalogue tables (ra2docs adopt)\n"
    )
    assert any("ra2docs-comment.yml: kept as it is" in note for note in result.notes)
    assert [c.path.name for c in result.changes if c.path.parent == workflows] == ["ra2docs-review.yml"]
    result.apply()
    again = adopt.plan(docdir, requirement="ra2docs==0.1.0")
    assert again.nothing_to_do and adopt.summary(again).startswith("nothing to adopt: the tree is unchanged")
    # the wiring alone, planned again on the adopted files, adds nothing twice
    for name, wire in [("togsma.py", adopt._togsma_text), ("conf.py", adopt._conf_text)]:
        assert wire((docdir / name).read_text()) is None
    assert adopt._requirements_text((docdir / "test-requirements.txt").read_text(), "ra2docs==0.1.0") is None


def test_a_togsma_without_a_list_of_chapters_is_named_and_left_alone(tmp_path: Path):
    docdir = tree(tmp_path, {"chapter02.rst": REQUIREMENTS}, git=False, files={"togsma.py": "print('no list')\n"})
    result = adopt.plan(docdir)
    assert not any(c.path.name == "togsma.py" for c in result.changes)
    assert any("togsma.py has no `filenames = [...]` list" in note for note in result.notes)
    assert any("not a git repository: no review workflow written" in note for note in result.notes)
    assert any("`ra2docs adopt --requirement SPEC` writes that line" in note for note in result.notes)
    assert result.top == docdir  # outside git the folder itself is the top: the settings go there
    assert changed(result, "ra2docs.toml").endswith('catalogue = "catalogue"\nids = "ra2-today"\n')


def test_a_tree_without_tables_or_with_a_catalogue_already_is_left_as_it_is(tmp_path: Path):
    docdir = tree(tmp_path, {"chapter01.rst": "Introduction\n============\n\nNo table here.\n"})
    result = adopt.plan(docdir)
    assert result.nothing_to_do and not result.changes
    assert result.notes == ["no table with IDs in its first or second column: nothing to adopt"]
    (docdir / "chapters" / "chapter02.rst").write_text(REQUIREMENTS)
    (docdir / "catalogue").mkdir()
    (docdir / "catalogue" / "items.yaml").write_text("items: []\n")
    result = adopt.plan(docdir)
    assert result.nothing_to_do and not result.changes
    assert "6 table(s) with IDs are still written by hand" in result.notes[0]


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("no-conf", "no conf.py here"),
        ("catalogue-outside", "the catalogue must be inside"),
        ("settings-at-top", "already holds ra2docs settings"),
        ("unreadable-chapter", r"cannot all be read:\n  .*chapter03.rst:1: error: not UTF-8"),
    ],
)
def test_what_adopt_refuses_before_writing_anything(tmp_path: Path, setup: str, message: str):
    docdir = tree(tmp_path, {"chapter02.rst": REQUIREMENTS})
    catalogue = None
    if setup == "no-conf":
        (docdir / "conf.py").unlink()
    elif setup == "catalogue-outside":
        catalogue = tmp_path / "elsewhere"
    elif setup == "settings-at-top":
        (docdir.parent / "pyproject.toml").write_text('[tool.ra2docs]\ncatalogue = "doc/catalogue"\n')
    else:
        (docdir / "chapters" / "chapter03.rst").write_bytes(b"Title\n=====\n\n\xff\xfe not UTF-8\n")
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if ".git" not in p.parts)
    with pytest.raises(Ra2docsError, match=message):
        adopt.plan(docdir, catalogue)
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if ".git" not in p.parts) == before


@pytest.mark.parametrize(
    ("spec", "line"),
    [
        ("ra2docs==0.1.0", "ra2docs==0.1.0"),
        ("  ra2docs>=0.1  ", "ra2docs>=0.1"),
        ("https://example.org/ra2docs-0.1.0.whl", "ra2docs @ https://example.org/ra2docs-0.1.0.whl"),
        ("git+https://github.com/example/ra2docs@v0.1.0", "ra2docs @ git+https://github.com/example/ra2docs@v0.1.0"),
    ],
)
def test_a_requirement_is_written_as_pip_reads_it(spec: str, line: str):
    assert adopt.requirement_line(spec) == line


def test_a_requirement_that_is_a_path_must_exist(tmp_path: Path):
    wheel = tmp_path / "ra2docs-0.1.0-py3-none-any.whl"
    wheel.write_bytes(b"")
    assert adopt.requirement_line(str(wheel)) == str(wheel)
    with pytest.raises(Ra2docsError, match="no such path"):
        adopt.requirement_line(str(tmp_path / "missing.whl"))


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("", "give a version"),
        ("ra2docs==0.1\n-e evil", "give a version"),
        ("numpy==1.0", "names numpy, not ra2docs"),
        ("ra2docs==", "not a requirement pip reads"),
    ],
)
def test_a_requirement_that_is_no_ra2docs_is_refused(spec: str, message: str):
    with pytest.raises(Ra2docsError, match=message):
        adopt.requirement_line(spec)


def test_only_a_sphinx_pin_outside_the_supported_range_is_refused(tmp_path: Path):
    requirements = tmp_path / "test-requirements.txt"
    requirements.write_text("-r other.txt\n\n# a comment\nnot a requirement ???\nsphinx\nsphinx>=7.2,<9\ndoc8\n")
    adopt.refuse_old_sphinx(requirements)  # options, comments, lines pip would refuse and unpinned Sphinx pass
    requirements.write_text("doc8\nSphinx<6  # old\n")
    with pytest.raises(Ra2docsError, match=r"test-requirements.txt:2: the tree pins Sphinx<6"):
        adopt.refuse_old_sphinx(requirements)
