"""Markdown as reStructuredText for a page (ra2:markdown, ``ra2docs.mdpage``): the block structure and inline markup."""

from __future__ import annotations

import textwrap

from docutils.core import publish_doctree

from ra2docs.mdpage import markdown_to_rst

DOCUMENT = textwrap.dedent(
    """\
    # Title

    Text with `code`, **bold** and a [link](https://example.org/).

    ## Part

    - one
    - two, with
      1. inner
      2. list

    | a | b |
    |---|---|
    | `x` |  |

    ```
    code block
      indented
    ```

    <div>HTML blocks are dropped</div>
    """
)


def test_markdown_becomes_the_restructuredtext_of_the_same_document():
    rst = "\n".join(markdown_to_rst(DOCUMENT))
    assert rst.startswith("Title\n=====\n\nText with ``code``, **bold** and a `link <https://example.org/>`__.")
    assert "Part\n----" in rst
    assert "- one\n\n- two, with\n\n  #. inner\n\n  #. list" in rst
    assert ".. list-table::\n   :header-rows: 1\n\n   * - a\n     - b\n   * - ``x``\n     - \\ " in rst
    assert "::\n\n   code block\n     indented" in rst
    assert "HTML blocks" not in rst
    doctree = publish_doctree(rst, settings_overrides={"report_level": 2, "halt_level": 2})  # no warning at all
    assert [t.astext() for t in doctree.findall(lambda n: n.tagname == "title")] == ["Title", "Part"]
    assert len(list(doctree.findall(lambda n: n.tagname == "table"))) == 1
    assert len(list(doctree.findall(lambda n: n.tagname == "literal_block"))) == 1


def test_a_markdown_file_that_is_a_link_is_refused_by_name(tmp_path):
    from conftest import run

    source = tmp_path / "source"
    source.mkdir()
    (tmp_path / "real.md").write_text("# Real\n\nText.\n", encoding="utf-8")
    (source / "notes.md").symlink_to(tmp_path / "real.md")
    (source / "conf.py").write_text("extensions = ['ra2docs.sphinx']\nra2docs_downloads = False\n", encoding="utf-8")
    (source / "index.rst").write_text("Index\n=====\n\n.. ra2:markdown:: notes.md\n", encoding="utf-8")
    built = run("sphinx-build", "-q", "-b", "html", str(source), str(tmp_path / "out"))
    assert "ra2:markdown: notes.md is a symbolic link" in built.stderr, built.stderr
    assert "Real" not in (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
