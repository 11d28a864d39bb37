"""Catalogue text made inert for GitHub-flavoured Markdown (``ra2docs.gfm``), one vector at a time.

Rendered with cmark-gfm, the renderer GitHub uses (tables, autolinks,
strikethrough, tag filter), raw HTML passed through as GitHub passes it; then
checked for what GitHub's own filters would turn into mentions and
cross-references.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import cmarkgfm
import pytest

from ra2docs import gfm

HOSTILE = {
    "link": "[click me](https://evil.example/x)",
    "image": "![tracker](https://evil.example/pixel.png)",
    "autolink": "<https://evil.example>",
    "bare url": "see https://evil.example/a and ftp://evil.example",
    "www": "www.evil.example",
    "email": "write to someone@evil.example",
    "mention": "ping @octocat and @anuket-project/reviewers",
    "issue reference": "fixes #12, anuket-project/RA2#3 and GH-7",
    "html": "<img src=x onerror=alert(1)><script>alert(1)</script><details open>",
    "table": "a | b | c",
    "newlines": "one\ntwo\r\nthree\u2028four",
    "backticks": "`code` and ``two`` and a lone `",
    "emphasis": "*em* _em_ **strong** ~~gone~~",
    "math": "$x^2$ and $$y$$",
    "entities": "&lt;b&gt; &amp; &#64;octocat",
    "footnote": "[^1] and [ref]",
    "reference definition": "x\n[ref]: https://evil.example",
    "escapes": "\\| \\` \\[ trailing \\",
    "bidi": "\u202eevil\u202c and \u2066isolate\u2069",
    "control": "bell\x07 escape\x1b[31m null\x00",
    "heading": "# heading",
    "quote": "> quote",
    # issue 21: a link from an item title must never be live in the review comment, whatever its scheme
    "javascript link": "[x](javascript:alert(1)) [y](<javascript:alert(1)>) <javascript:alert(1)>",
    "javascript definition": "[z]\n\n[z]: javascript:alert(1)",
    "entity-encoded scheme": "[x](&#106;avascript:alert(1)) [y](java&#x73;cript:alert(1))",
    "rst links": "`x <java script:alert(1)>`__ `y <javascript\\:alert(1)>`_ `d <data:text/html;base64,PHNjcmlwdD4=>`__",
}


class Cells(HTMLParser):
    """Table body cells (``td``): the tags inside each, its text outside code and inside code."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[dict[str, object]] = []
        self.in_cell = False
        self.code = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "td":
            self.in_cell = True
            self.cells.append({"tags": [], "text": "", "code": ""})
        elif self.in_cell:
            self.cells[-1]["tags"].append(tag)  # type: ignore[union-attr]
            self.code += tag == "code"

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self.in_cell = False
        elif tag == "code" and self.in_cell:
            self.code -= 1

    def handle_data(self, data: str) -> None:
        if self.in_cell:
            key = "code" if self.code else "text"
            self.cells[-1][key] += data  # type: ignore[operator]


def cells_of(markdown: str) -> list[dict[str, object]]:
    parser = Cells()
    parser.feed(cmarkgfm.github_flavored_markdown_to_html(markdown, options=cmarkgfm.Options.CMARK_OPT_UNSAFE))
    return parser.cells


# What GitHub's filters turn into a notification or a cross-reference in text
# outside code: @user, @org/team, #12, owner/repo#12, GH-12, and autolinks.
LIVE = re.compile(r"(?<![\w])@[A-Za-z0-9]|#\d|(?i:\bgh-\d)|://|(?i:\bwww\.)")


@pytest.mark.parametrize("name", list(HOSTILE))
def test_catalogue_text_is_inert_as_prose_and_as_code(name):
    value = HOSTILE[name]
    markdown = f"| a | b |\n|---|---|\n| {gfm.text(value, None)} | {gfm.code(value, None)} |\n"
    cells = cells_of(markdown)
    assert len(cells) == 2, markdown  # no pipe or line break split or ended the row
    prose, code = cells
    assert prose["tags"] == [], prose  # no link, image, HTML, emphasis or code from the text
    assert code["tags"] == ["code"], code
    visible = str(prose["text"]).replace(gfm.ZWJ, "")
    assert visible.strip() == gfm.flatten(value)  # the reader sees the text as written
    assert str(code["code"]).strip() == gfm.flatten(value)
    assert not LIVE.search(str(prose["text"])), prose["text"]
    assert not re.search("[\x00-\x08\x0b-\x1f\u202a-\u202e\u2066-\u2069]", visible)


def test_code_span_fences_outgrow_the_backticks_inside():
    assert gfm.code("a ``b`` c") == "```a ``b`` c```"
    assert gfm.code("`x`") == "`` `x` ``"
    assert gfm.code("") == "(empty)"
    assert gfm.code("a|b") == "`a\\|b`" and gfm.code("a|b", table=False) == "`a|b`"


def test_text_is_cut_before_it_is_escaped():
    text = gfm.text("[" * 50, 10)
    assert text == "\\[" * 9 + "…"
