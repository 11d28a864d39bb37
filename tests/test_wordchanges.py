"""What changed in a field, word by word (``ra2docs.wordchanges``)."""

from __future__ import annotations

import time

import cmarkgfm

from ra2docs import wordchanges
from ra2docs.wordchanges import ADDED, REMOVED, SAME, SKIPPED, Piece


def test_words_removed_and_added_between_words_kept():
    pieces = wordchanges.compare("The node must support huge pages.", "The node should support huge pages.")
    assert pieces == [
        Piece(SAME, ("The", "node")),
        Piece(REMOVED, ("must",)),
        Piece(ADDED, ("should",)),
        Piece(SAME, ("support", "huge", "pages.")),
    ]
    assert wordchanges.as_plain(pieces) == "The node [-must-] {+should+} support huge pages."
    # lists of IDs compare ID by ID; no value is nothing
    assert wordchanges.as_plain(wordchanges.compare(["a.b.01", "c.d.02"], ["c.d.02"])) == "[-a.b.01-] c.d.02"
    assert wordchanges.as_plain(wordchanges.compare(None, "new text")) == "{+new text+}"


def test_a_view_in_context_is_cut_around_the_changes():
    before = " ".join(f"w{i}" for i in range(100))
    after = before.replace("w50", "CHANGED")
    shown, cut = wordchanges.in_context(wordchanges.compare(before, after), context=3)
    assert cut and wordchanges.as_plain(shown) == "… w47 w48 w49 [-w50-] {+CHANGED+} w51 w52 w53 …"
    shown, cut = wordchanges.in_context(wordchanges.compare(before, after), context=3, width=20)
    assert cut and wordchanges.as_plain(shown) == "… w47 w48 w49 [-w50-] …"
    whole, cut = wordchanges.in_context(wordchanges.compare("a b", "a c"))
    assert not cut and wordchanges.as_plain(whole) == "a [-b-] {+c+}"
    assert [p.kind for p in wordchanges.in_context(wordchanges.compare("x", "y" * 500), width=50)[0]] == [
        REMOVED,
        SKIPPED,
    ]


def test_markdown_marks_are_the_only_markup():
    pieces = wordchanges.compare("see ~~old~~ <b>", "see [x](javascript:alert(1)) @octocat")
    html = cmarkgfm.github_flavored_markdown_to_html(
        wordchanges.as_markdown(pieces), options=cmarkgfm.Options.CMARK_OPT_UNSAFE
    )
    assert html.count("<del>") == 1 and html.count("<ins>") == 1
    assert "<a " not in html and "<b>" not in html and "~~old~~" in html and "javascript:alert(1)" in html


def test_long_repetitive_texts_are_replaced_whole_in_bounded_time():
    start = time.perf_counter()
    pieces = wordchanges.compare("a " * 5_000, "a " * 4_999 + "b")
    assert [p.kind for p in pieces] == [REMOVED, ADDED]
    assert wordchanges.similarity("a " * 5_000, "a " * 4_999 + "b") > 0.99  # by the words shared
    assert time.perf_counter() - start < 2
