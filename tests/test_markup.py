"""Catalogue text as reStructuredText: escaping that keeps one line one paragraph, checks that run in
linear time, and generated pages that docutils reads without a warning whatever the titles hold."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
import yaml
from conftest import PROFILES, ROOT, ra2docs, run, write
from docutils.core import publish_doctree

from ra2docs.check import analyse
from ra2docs.loader import load_catalogue
from ra2docs.markup import block_start, escape, heading, plain_text, problems

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
        "*a* and **b** and ``c`` and `d <https://e>`__ and :ref:`f <g>` and |h| and [1]_",
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


def test_every_markup_function_is_linear():
    """The lazy patterns these replaced took minutes on these 180 kB texts (quadratic); linear ones take a second.

    A hang guard, not a speed target: the whole run must end within a generous timeout.
    """
    script = (
        "import sys; sys.path.insert(0, 'tests')\n"
        "from test_markup import HOSTILE_TEXTS\n"
        "from ra2docs.markup import block_start, escape, is_plain, plain_text, problems\n"
        "for function in (problems, plain_text, is_plain, escape, block_start):\n"
        "    for text in HOSTILE_TEXTS:\n"
        "        function(text)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=90)
    assert done.returncode == 0, done.stderr


def test_plain_text_keeps_the_words():
    text = ":ref:`Title <target>` and **b** *e* foo_ `x <http://a>`_ :abbr:`RA (Reference Architecture)` ``lit``"
    assert plain_text(text) == "Title and b e foo x RA lit"


# ra2docs' own warning (Sphinx 7.3 and later add its type, "[ra2docs.markup]", 7.2 does not)
ESCAPED = "WARNING: catalogue text shown escaped: "


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
    (folder / "ra2docs.toml").write_text('[severity]\nmarkup-not-allowed = "off"\n', encoding="utf-8")
    source = write(
        tmp_path / "source",
        {
            "conf.py": 'extensions = ["ra2docs.sphinx"]\nra2docs_catalogue = "../cat"\nra2docs_downloads = False\n'
            'ra2docs_pages = [{"template": "reference-index.rst.j2", "output": "reference/index.rst"},\n'
            '  {"template": "reference-kind.rst.j2", "output": "reference/{kind}.rst", "for_each": "kind"},\n'
            '  {"template": "traceability.rst.j2", "output": "traceability.rst"}]\n',
            "index.rst": "Hostile titles\n==============\n\n.. toctree::\n\n   _generated/reference/index\n"
            "   _generated/traceability\n\n.. ra2:table:: Specifications\n   :section: 4.2\n\n"
            ".. ra2:table::\n   :kind: gap\n   :columns: id title section\n\n.. ra2:comparison:: c\n\n"
            ".. ra2:gaps::\n",
        },
    )
    # every page, generated ones included, reads without a docutils or Sphinx warning: what is not
    # allowed is shown escaped, with ra2docs' own warning (which the check's RA603 announced)
    built = run("sphinx-build", "--keep-going", "-q", "-b", "html", str(source), str(tmp_path / "out"))
    assert built.returncode == 0, built.stderr
    others = [line for line in built.stderr.splitlines() if line.strip() and ESCAPED not in line]
    assert others == []
    assert ESCAPED in built.stderr
    # and the plain reStructuredText that `expand` writes reads without one too
    expanded = ra2docs("expand", str(source), str(tmp_path / "plain"))
    assert expanded.returncode == 0, expanded.stderr
    text = (tmp_path / "plain" / "index.rst").read_text(encoding="utf-8")
    assert warnings_of(text.split(".. toctree::")[0] + text.split("_generated/traceability\n")[1]) == []


def test_markup_that_fails_the_check_never_reaches_the_page(tmp_path):
    """Each bypass of issue 21 in a description and a title: the page shows it as text, with a warning at its item."""
    from test_corpus import BYPASSES, SCRIPT

    texts = [text for text, _, _ in BYPASSES.values() if len(text) < 1000]
    items = [
        {"id": f"gap.g{n}", "kind": "gap", "title": text.split("\n")[0], "section": "6.2.1", "description": text}
        for n, text in enumerate(texts, start=1)
    ]
    folder = write(tmp_path / "cat", {"profiles.yaml": PROFILES})
    (folder / "a.yaml").write_text(yaml.safe_dump({"items": items}, sort_keys=False), encoding="utf-8")
    (folder / "ra2docs.toml").write_text('[severity]\nmarkup-not-allowed = "off"\n', encoding="utf-8")
    source = write(
        tmp_path / "source",
        {
            "conf.py": 'extensions = ["ra2docs.sphinx"]\nra2docs_catalogue = "../cat"\nra2docs_downloads = False\n',
            "index.rst": ".. _security-policy:\n\nHostile text\n============\n\nSee :ref:`security-policy`.\n\n"
            ".. ra2:table::\n   :kind: gap\n   :columns: id title description\n\n"
            ".. ra2:definitions::\n   :kind: gap\n\n.. ra2:gaps::\n",
        },
    )
    built = run("sphinx-build", "--keep-going", "-q", "-b", "html", str(source), str(tmp_path / "out"))
    assert built.returncode == 0, built.stderr
    html = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert SCRIPT not in html
    assert "root:x:0:0" not in html
    assert not re.search(r"""href=["']\s*(?:javascript|data):""", html, re.I)
    assert 'id="security-policy"' in html and html.count('id="security-policy"') == 1
    # every text is shown escaped, with ra2docs' warning at its catalogue line; nothing else warns
    others = [line for line in built.stderr.splitlines() if line.strip() and ESCAPED not in line]
    assert others == []
    warned = [line for line in built.stderr.splitlines() if ESCAPED in line]
    assert len(warned) >= len(texts)
    assert all("a.yaml:" in line for line in warned), [w for w in warned if "a.yaml:" not in w]
