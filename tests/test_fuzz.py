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
from ra2docs.results.model import ResultsError
from ra2docs.results.readers import BUILTIN_READERS
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
        if reader.name == "xtesting":
            path.write_text(json.dumps(data))
        elif reader.name == "junit":
            path.write_text(
                f"<testsuites><testsuite name={json.dumps(str(data))}><testcase name='x'/></testsuite></testsuites>"
            )
        else:
            path.write_text(yaml.safe_dump(data))
        with contextlib.suppress(ResultsError):
            reader.read(path, path.name)
