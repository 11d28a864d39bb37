"""Catalogue text as reStructuredText: escaping that keeps one line one paragraph, checks that run in
linear time, and generated pages that docutils reads without a warning whatever the titles hold."""

from __future__ import annotations

import time

import pytest
from conftest import PROFILES, write
from docutils.core import publish_doctree

from ra2docs.check import analyse
from ra2docs.generate import RENDER_PAGES, page_specs, render_pages
from ra2docs.graph import TraceGraph
from ra2docs.loader import load_catalogue
from ra2docs.markup import block_start, escape, heading, is_plain, plain_text, problems

# One-line texts that are not words once parsed: lists, blocks, transitions, wide characters.
HOSTILE_TITLES = [
    "日本語のタイトルです",
    "• Basic",
    "‣ Basic",
    "- Basic",
    "* Basic",
    "+ Basic",
    "iv. Storage",
    "IV) Storage",
    "2. Network",
    "(b) Network",
    "#. Network",
    "~~~~",
    "====",
    ":Status: open",
    "| line block",
    ">>> doctest",
    ".. comment",
    "..",
    "Title::",
    "*emphasis",
    "`interpreted",
    "|substitution",
    "_`target",
    "trailing_",
    "ｆｕｌｌｗｉｄｔｈ ＡＢＣ",
    "e\u0301e\u0301 combining",
    "\\\\",  # two backslashes: four once escaped, a transition unless broken up
]


def warnings_of(text: str) -> list[str]:
    document = publish_doctree(text, settings_overrides={"report_level": 5, "halt_level": 5})
    return [m.astext() for m in document.findall(lambda n: n.tagname == "system_message") if m["level"] >= 2]


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_an_escaped_title_is_one_paragraph_and_a_heading_is_a_heading(title):
    paragraph = publish_doctree(escape(title), settings_overrides={"report_level": 5})
    assert [n.tagname for n in paragraph.children] == ["paragraph"], paragraph.pformat()
    assert paragraph.children[0].astext() == title
    page = f"Page\n====\n\nIntro.\n\n{heading('6.2.1 ' + title, '-')}\n\nText.\n"
    assert warnings_of(page) == []
    assert warnings_of(f"{heading(title)}\n\nText.\n") == [], heading(title)


def test_a_heading_is_underlined_as_wide_as_it_shows():
    assert heading("日本語", "~") == "日本語\n~~~~~~"
    assert heading("ab") == "ab\n===="


@pytest.mark.parametrize("title", HOSTILE_TITLES[1:18])
def test_a_one_line_text_that_would_not_stay_words_is_named(title):
    assert block_start(title) or problems(title), title


@pytest.mark.parametrize("title", ["Huge Pages", "2.3 Kubernetes", "e.g. Multus", "5G core", "Must support", "-x"])
def test_ordinary_titles_are_not_reported(title):
    assert block_start(title) == ""
    assert problems(title) == []


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("*Note", "emphasis started by '*' is not closed"),
        ("a **b", "strong emphasis started by '**' is not closed"),
        ("see `this", "interpreted text or reference started by '`' is not closed"),
        ("``code", "inline literal started by '``' is not closed"),
        ("The following::", "'::' announces a literal block, but none follows"),
        ("Title\n=====", "a section title"),
        ("a :raw:`<b>` b", "role :raw: is not allowed"),
    ],
)
def test_what_docutils_would_warn_about_is_a_problem(text, says):
    assert any(says in p.message for p in problems(text)), problems(text)
    assert warnings_of(text) or says.startswith(("a section", "role"))


@pytest.mark.parametrize(
    "text",
    [
        "*a* and **b** and ``c`` and `d <https://e>`_ and :ref:`f <g>` and |h| and [1]_",
        "5 * 3 = 15; a|b; 'a*' x",
        "Literal::\n\n    code\n",
        "\\*not emphasis",
    ],
)
def test_closed_markup_is_not_a_problem(text):
    assert problems(text) == []


HOSTILE_TEXTS = [
    ".:a" * 60_000,
    "-:a" * 60_000,
    "**x " * 60_000,
    "*x " * 60_000,
    ".a" * 60_000,
    ":ref:`" + " " * 200_000 + "<a>`",
    "`" + "<a" * 60_000,
    "``a" * 60_000,
    "a_" * 60_000,
    "|x " * 60_000,
    "`x " * 60_000,
]


@pytest.mark.parametrize("function", [problems, plain_text, is_plain, escape, block_start])
def test_every_markup_function_is_linear(function):
    """The lazy patterns these replaced took minutes on 200 kB of '.:a.:a...' (quadratic)."""
    for text in HOSTILE_TEXTS:
        start = time.perf_counter()
        function(text)
        assert time.perf_counter() - start < 1, (function.__name__, text[:12])


def test_plain_text_keeps_the_words():
    text = ":ref:`Title <target>` and **b** *e* foo_ `x <http://a>`_ :abbr:`RA (Reference Architecture)` ``lit``"
    assert plain_text(text) == "Title and b e foo x RA lit"


def test_rendered_pages_read_without_a_warning_whatever_the_titles(tmp_path):
    items = ["items:"]
    for n, title in enumerate(HOSTILE_TITLES, start=1):
        quoted = title.replace("'", "''")
        items.append(
            f"  - {{id: gap.g{n}, kind: gap, title: '{quoted}', section: '6.2.{n}', related: [req.inf.ntw.01]}}"
        )
        items.append(f"  - {{id: ra2.ch.{n:03d}, kind: specification, title: '{quoted}', section: '4.2'}}")
    items.append("  - {id: req.inf.ntw.01, kind: ra-requirement, title: R, section: '2.3', priority: MUST}")
    sections = ["sections:", "  - {id: '4.2', title: '日本語の見出し'}", "  - {id: '2.3', title: '• Kubernetes'}"]
    comparisons = [
        "comparisons:",
        "  - {id: c, title: '• 比較', solutions: [{id: m, title: '- M'}], levels: [{id: s, label: '~~~~'}],",
        "     rows: [{item: gap.g1, cells: {m: s}}]}",
    ]
    folder = write(
        tmp_path / "cat",
        {
            "profiles.yaml": PROFILES,
            "a.yaml": "\n".join(items + sections + comparisons) + "\n",
        },
    )
    loaded = load_catalogue(folder, base=tmp_path)
    # The check reports the titles (RA603); the pages must be sound all the same.
    assert {f.rule for f in analyse(loaded) if f.severity == "error"} == {"RA603"}
    graph = TraceGraph(loaded.catalogue)
    pages = render_pages(loaded.catalogue, graph, None, page_specs(RENDER_PAGES), mode="plain")
    for name, text in pages.items():
        assert warnings_of(text) == [], (name, warnings_of(text))
