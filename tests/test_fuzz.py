"""Property-based fuzzing: arbitrary input never raises anything but ra2docs' own error type."""

from __future__ import annotations

import contextlib
import json
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ra2docs.check import analyse
from ra2docs.findings import Ra2docsError
from ra2docs.loader import load_catalogue
from ra2docs.results.readers import BUILTIN_READERS
from ra2docs.results.result import ResultsError
from ra2docs.rules.ra604_control_character import UNSAFE
from ra2docs.schema import quickly_valid, validator

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20))
yaml_like = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=5), st.dictionaries(st.text(max_size=10), children, max_size=5)
    ),
    max_leaves=30,
)
KEYS = ["id", "kind", "title", "section", "traces", "related", "verifies", "values", "priority", "statement", "match"]
item_like = st.dictionaries(
    st.one_of(st.sampled_from(KEYS), st.text(max_size=8)),
    st.one_of(
        scalars,
        st.lists(st.one_of(st.text(max_size=12), st.integers()), max_size=3),
        st.dictionaries(st.text(max_size=8), scalars, max_size=3),
    ),
    max_size=8,
).map(lambda d: {**d, "kind": d.get("kind", "ra-requirement")})


def _check_text(text: str | bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "a.yaml"
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass"))
        with contextlib.suppress(Ra2docsError):
            analyse(load_catalogue(tmp, base=tmp))


@FUZZ
@given(st.text(max_size=400))
def test_loader_survives_arbitrary_text(text):
    _check_text(text)


@FUZZ
@given(st.binary(max_size=300))
def test_loader_survives_arbitrary_bytes(data):
    _check_text(data)


@FUZZ
@given(yaml_like)
def test_loader_survives_arbitrary_yaml_shaped_data(data):
    _check_text(yaml.safe_dump({"items": data if isinstance(data, list) else [data]}, allow_unicode=True))
    _check_text(yaml.safe_dump(data, allow_unicode=True))


@FUZZ
@given(st.lists(item_like, max_size=6))
def test_loader_survives_item_shaped_data(items):
    _check_text(yaml.safe_dump({"items": items}, allow_unicode=True))


@FUZZ
@given(item_like, st.sampled_from(["ra-requirement", "specification", "gap", "test-case", "rm-capability"]))
def test_the_fast_schema_check_never_accepts_what_jsonschema_rejects(item, kind):
    item = {**item, "kind": kind}
    if quickly_valid(f"item-{kind}", item):
        assert list(validator(f"item-{kind}").iter_errors(item)) == []


SUFFIXES = {
    "junit": ".xml",
    "sonobuoy": ".yaml",
    "sonobuoy-tarball": ".tar.gz",
    "xtesting": ".json",
    "cnf-testsuite": ".yml",
    "functest-campaign": ".zip",
    "kube-bench": ".json",
}


@FUZZ
@given(
    st.sampled_from(BUILTIN_READERS),
    st.one_of(st.binary(max_size=300), st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass"))),
)
def test_every_reader_survives_arbitrary_input(reader, data):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"results{SUFFIXES[reader.name]}"
        path.write_bytes(data)
        with contextlib.suppress(ResultsError):
            reader.read(path, path.name)


@FUZZ
@given(st.sampled_from(BUILTIN_READERS), yaml_like)
def test_every_reader_survives_structured_but_wrong_input(reader, data):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"results{SUFFIXES[reader.name]}"
        if reader.name in ("xtesting", "kube-bench"):
            path.write_text(json.dumps(data))
        elif reader.name == "junit":
            path.write_text(
                f"<testsuites><testsuite name={json.dumps(str(data))}><testcase name='x'/></testsuite></testsuites>"
            )
        else:
            path.write_text(yaml.safe_dump(data))
        with contextlib.suppress(ResultsError):
            reader.read(path, path.name)


@FUZZ
@given(st.lists(st.text(max_size=12), min_size=2, max_size=8))
def test_natural_key_orders_any_text(texts):
    """Total: '2²', '٣' or a 5,000-digit number sort like any other text, consistently."""
    from ra2docs.model import natural_key

    ordered = sorted(texts, key=natural_key)
    assert sorted(ordered, key=natural_key) == ordered
    assert sorted(reversed(ordered), key=natural_key) == ordered or len(set(map(natural_key, texts))) < len(texts)


@FUZZ
@given(st.text(max_size=60).filter(lambda t: t.strip() and not UNSAFE.search(t)))
def test_an_escaped_text_is_one_paragraph_of_the_same_words(text):
    """Any catalogue text (control characters never get past the reader, RA604).

    escape() keeps a leading or trailing blank, for text placed inline after other text;
    a paragraph of its own starts with the text.
    """
    from docutils.core import publish_doctree

    from ra2docs.markup import escape

    document = publish_doctree(escape(text.strip()), settings_overrides={"report_level": 5, "halt_level": 5})
    assert [n.tagname for n in document.children] == ["paragraph"]
    assert " ".join(document.children[0].astext().split()) == " ".join(text.split())


@FUZZ
@given(yaml_like)
def test_a_cache_entry_is_decoded_or_refused_never_an_error(data):
    from ra2docs import loadcache

    entry = {
        "format": loadcache.FORMAT,
        "version": loadcache.VERSION,
        "key": "k",
        "file": "a.yaml",
        "sha256": "s",
        "fatal": False,
        "values": 1,
        **{name: data for name in ("items", "links", "profiles", "sections", "sources", "comparisons")},
        **{name: data for name in ("retired", "definitions", "findings")},
    }
    with contextlib.suppress(loadcache.Invalid):
        loadcache.decode(json.dumps(entry), "a.yaml", "s", "k")
    with contextlib.suppress(loadcache.Invalid):
        loadcache.decode(json.dumps(data), "a.yaml", "s", "k")


# Pieces of reStructuredText that mean something in some places and nothing in others:
# markers of lists, tables, directives, literals and links, hostile ones among them.
RST_PIECES = [
    "- ",
    "* ",
    "1. ",
    "#. ",
    "(a) ",
    "   ",
    "\t",
    "\n",
    "\n\n",
    "::",
    "``",
    "`",
    "*",
    "|",
    "_",
    "__",
    ":",
    "+---+",
    "| ",
    ".. ",
    ".. raw:: html",
    ".. include:: /etc/passwd",
    ".. note::",
    ":name: x",
    ".. _x:",
    "_`x`",
    "x_",
    "`x <javascript:alert(1)>`__",
    "`x <java script:alert(1)>`__",
    "`x <https://a.example>`__",
    "<script>",
    ":raw:`<b>`",
    ":ref:`x`",
    ":cite:`x`",
    "[1]_",
    "|x|",
    "term\n  def",
    "a",
    "b",
    " ",
    "\\",
    ">>> ",
]


@FUZZ
@given(st.lists(st.sampled_from(RST_PIECES), max_size=14).map("".join))
def test_text_the_check_passes_is_harmless_to_a_parser_with_everything_switched_on(text):
    """Whatever the check accepts, docutils with raw, include and every directive on finds nothing dangerous in."""
    from docutils import nodes
    from docutils.core import publish_doctree

    from ra2docs.markup import ALLOWED_SCHEMES, lines, problems

    if problems(text):
        return
    document = publish_doctree(
        "\n".join(lines(text)), settings_overrides={"report_level": 5, "halt_level": 5, "file_insertion_enabled": True}
    )
    assert not list(document.findall(nodes.raw)), text
    assert "root:" not in document.astext(), text
    for reference in document.findall(nodes.reference):
        scheme = reference.get("refuri", "").partition(":")
        assert not scheme[1] or "/" in scheme[0] or scheme[0].lower() in ALLOWED_SCHEMES, (text, reference)
    assert not [n for n in document.findall(nodes.Element) if n.get("names") and not isinstance(n, nodes.section)]
