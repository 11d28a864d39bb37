"""Reading upstream RST gives the tree docutils alone gives, whatever the process has registered.

An in-process Sphinx build (a test, a host application) can leave Sphinx's role and
directive lookups in docutils' module; they then ask for a build environment that is
not there ("'Values' object has no attribute 'env'"), as a full test run once showed.
"""

from __future__ import annotations

from docutils.parsers.rst import directives, roles

from ra2docs.documents.rst import read_rst
from ra2docs.importer.rc2 import _tree

CHAPTER = """\
Chapter
=======

.. list-table:: Specifications
   :header-rows: 1

   * - Reference
     - Specification
   * - ra2.ch.001
     - Huge pages :cite:p:`refmodel`, see :ref:`chapters/chapter02:intro`.
"""


def _sphinx_left_behind(*args: object) -> object:
    raise AttributeError("'Values' object has no attribute 'env'")


def test_a_chapter_reads_the_same_with_foreign_lookups_left_in_docutils(monkeypatch):
    clean = read_rst(CHAPTER, "chapter04.rst")
    monkeypatch.setattr(roles, "role", _sphinx_left_behind)
    monkeypatch.setattr(directives, "directive", _sphinx_left_behind)
    monkeypatch.setitem(directives._directives, "list-table", object)  # a registration left behind
    again = read_rst(CHAPTER, "chapter04.rst")

    def cells(document) -> list[list[str]]:
        return [[c.text for c in row.cells] for row in document.tables[0].body]

    assert cells(again) == cells(clean) and "ra2.ch.001" in cells(again)[0][0]
    # and the lookups are put back
    assert roles.role is _sphinx_left_behind and directives.directive is _sphinx_left_behind


def test_an_rc2_cell_reads_with_foreign_lookups_left_in_docutils(monkeypatch):
    monkeypatch.setattr(roles, "role", _sphinx_left_behind)
    monkeypatch.setattr(directives, "directive", _sphinx_left_behind)
    tree = _tree("`helm <https://example.org/RATIONALE.md#x-helm_chart_valid>`__ :ref:`x`")
    assert "helm_chart_valid" in tree.pformat()
