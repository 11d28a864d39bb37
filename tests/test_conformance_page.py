"""The conformance report and verdict badges (ra2docs/sphinx/conformance.py), built in-process on a small project.

The snapshot project's catalogue and JUnit file (tests/test_snapshots.py) with pages that use
``ra2:results`` and ``:ra2:verdict:`` in each way a writer can: both scopes, sample result files,
no result files at all, and the mistakes (an unknown verdict, a bad ``:items:``), which are
errors at their page and line.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from conftest import write
from test_snapshots import CATALOGUE, JUNIT

from ra2docs.results.verdicts import ALL_VERDICTS
from ra2docs.views.conformance import SAMPLE_CAVEAT

PAGE = """\
    Results
    =======

    Verdicts read :ra2:verdict:`pass` and :ra2:verdict:`not run`.

    .. ra2:results::

    All items
    ---------

    .. ra2:results::
       :items: all
    """


def build(tmp_path: Path, results: str | None, page: str = PAGE, warning_is_error: bool = True) -> tuple[int, str, str]:
    """Build the project (result files in ``results/<results>``, or none); the exit code, the warnings, the page."""
    from sphinx.cmd.build import build_main

    project = tmp_path / "project"
    write(project / "catalogue", CATALOGUE)
    conf = ['extensions = ["ra2docs.sphinx"]', 'ra2docs_catalogue = "../catalogue"', "ra2docs_downloads = False"]
    if results is not None:
        write(project / "results" / results, {"junit_01.xml": JUNIT})
        conf.append(f'ra2docs_results = ["../results/{results}/*.xml"]'.replace("//", "/"))
    index = "Index\n=====\n\n.. toctree::\n\n   results\n"
    write(project / "source", {"conf.py": "\n".join(conf) + "\n", "index.rst": index, "results.rst": page})
    warnings = tmp_path / "warnings.txt"
    options = ["-q", "-b", "html", "-D", "html_theme=alabaster", "-w", str(warnings)]
    if warning_is_error:
        options += ["-W", "--keep-going"]
    code = build_main([*options, str(project / "source"), str(tmp_path / "html")])
    html = tmp_path / "html" / "results.html"
    return code, warnings.read_text(encoding="utf-8"), html.read_text(encoding="utf-8") if html.exists() else ""


def test_the_report_shows_the_verdicts_of_real_results_in_both_scopes(tmp_path: Path):
    code, warnings, page = build(tmp_path, "")
    assert code == 0, warnings
    assert page.count('class="ra2-verdict ra2-verdict-pass"') > 1 and "ra2-verdict-not-run" in page
    mandatory, everything = page.split('id="all-items"', 1)
    assert mandatory.count("<table") >= 2 and everything.count("<table") >= 2
    # every item is listed in the second report, only the mandatory ones in the first
    assert everything.count("<tr") > mandatory.split("<h1", 1)[1].count("<tr")
    assert SAMPLE_CAVEAT not in page  # real result files: no table says they are samples


def test_verdicts_from_sample_files_say_so_in_every_table_s_title(tmp_path: Path):
    # a chapter's ra2:table with a verdict column says so as well as the report's tables
    uncaptioned = "\n    .. ra2:table::\n       :kind: ra-requirement\n       :columns: id, verdict\n"
    code, warnings, page = build(tmp_path, "sample", page=PAGE + uncaptioned)
    assert code == 0, warnings
    tables = page.count("<table")
    assert tables >= 5 and page.count(SAMPLE_CAVEAT) == tables
    last = page.rsplit("<table", 1)[1]
    assert last.split("</caption>", 1)[0].count(SAMPLE_CAVEAT) == 1, last[:400]


def test_without_result_files_the_report_says_there_are_none(tmp_path: Path):
    code, warnings, page = build(tmp_path, None)
    assert code == 0, warnings
    assert page.count("No result files are configured (ra2docs_results in conf.py)") == 2
    assert "<table" not in page
    assert "ra2-verdict-pass" in page  # the role needs no results: it is a badge for the word given


@pytest.mark.parametrize(
    ("markup", "message"),
    [
        (":ra2:verdict:`passed`", "unknown verdict 'passed'; verdicts: " + ", ".join(ALL_VERDICTS)),
        (".. ra2:results::\n   :items: some", "ra2:results: :items: must be 'mandatory' or 'all', not 'some'"),
    ],
)
def test_a_mistake_is_an_error_at_its_page_and_line(tmp_path: Path, markup: str, message: str):
    page = "Results\n=======\n\nText.\n\n" + textwrap.dedent(markup) + "\n"
    code, warnings, _ = build(tmp_path, "", page=page, warning_is_error=False)
    assert code == 0
    assert f"results.rst:6: ERROR: {message}" in warnings, warnings
