"""Hostile text reaching every output format: terminal, GitHub annotations, JSON, JUnit XML, CSV, XLSX."""

from __future__ import annotations

import json

import defusedxml.ElementTree as SafeET
import pytest
from conftest import PROFILES, ra2docs, write

from ra2docs.escaping import csv_cell, for_terminal, for_xml, from_ooxml, is_formula, json_dumps, to_ooxml, xlsx_cell

# An ESC sequence that would clear the screen, a bell, a NUL-like control, a bidi override, a line break.
HOSTILE = "T\x1b[2J\x07\x01\u202eevil\nnext"
HOSTILE_ID = "gap.\x1b[2J\u202ey"
# Controls in catalogue text are findings and replaced when read (RA604); a file name keeps them,
# and is printed with every finding in the file: it carries the hostile text to every format.
HOSTILE_FILE = "t\x1b[2J\u202eevil.yaml"
SHOWN_FILE = "t\\x1b[2J\\u202eevil.yaml"
CATALOGUE = {
    "profiles.yaml": PROFILES,
    "a.yaml": f"""\
    items:
      - {{id: gap.x, kind: gap, title: {json.dumps(HOSTILE)}, related: ["nfvi\\x1b[31m.004"]}}
      - {{id: {json.dumps(HOSTILE_ID)}, kind: gap, title: Y}}
    """,
    HOSTILE_FILE: "items:\n  - {id: gap.z, kind: gap, title: Z, related: [nfvi.com.cfg.004]}\n",
}
RAW = ("\x1b", "\x07", "\x01", "\u202e")


def check(tmp_path, *args: str):
    result = ra2docs("check", "--catalogue", str(write(tmp_path / "cat", CATALOGUE)), *args, cwd=tmp_path)
    assert result.returncode == 1, result.stderr  # the catalogue has errors, whatever the format
    return result


def test_text_output_never_sends_control_characters_to_the_terminal(tmp_path):
    result = check(tmp_path)
    assert result.returncode == 1
    assert not any(c in result.stdout for c in RAW)
    assert SHOWN_FILE in result.stdout  # the file name, escaped, as the heading of its findings
    assert "control character U+001B in text" in result.stdout  # the title's, the ID's and the link's
    assert "nfvi\ufffd[31m.004" in result.stdout  # replaced when read: nothing after the check sees it


def test_github_annotations_escape_controls_and_line_breaks(tmp_path):
    result = check(tmp_path, "--format", "github")
    assert result.returncode == 1
    assert not any(c in result.stdout for c in RAW)
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::error ")]
    assert any(f"file=cat/{SHOWN_FILE}," in line for line in annotations if "RA401" in line)


def test_junit_output_is_well_formed_with_control_characters(tmp_path):
    result = check(tmp_path, "--format", "junit")
    root = SafeET.fromstring(result.stdout.encode())
    messages = [f.get("message") or "" for f in root.iter("failure")]
    assert any("t\\x1b[2J" in m for m in messages)  # characters XML can hold (U+202E) stay, escaped by the writer


def test_json_and_sarif_output_parse_and_keep_the_text(tmp_path):
    data = json.loads(check(tmp_path, "--format", "json").stdout)
    assert f"cat/{HOSTILE_FILE}" in {f["file"] for f in data["findings"]}
    assert "gap.\ufffd[2J\ufffdy" in {f["item"] for f in data["findings"]}
    sarif = check(tmp_path, "--format", "sarif")
    assert "\x1b" not in sarif.stdout  # JSON escapes controls as \u001b
    json.loads(sarif.stdout)


def test_json_writes_lone_surrogates_as_escapes():
    text = json_dumps({"name": "a\udc80b"})
    text.encode("utf-8")  # no UnicodeEncodeError: writable to any UTF-8 stream
    assert json.loads(text) == {"name": "a\udc80b"}


@pytest.mark.parametrize(
    ("cell", "formula"),
    [
        ("=2+2", True),
        ("+1", True),
        ("-1+1", True),
        ("@SUM(A1)", True),
        ("\t=1+1", True),
        ("\r=1+1", True),
        (" \x01=1", True),
        ("\uff1d1+1", True),
        ("plain", False),
        ("a=b", False),
        ("", False),
    ],
)
def test_spreadsheet_formulas_are_recognised(cell, formula):
    assert is_formula(cell) is formula
    assert csv_cell(cell).startswith("'") is formula


def test_ooxml_escaping_is_reversible_and_leaves_no_illegal_character():
    for text in ["a\x01b", "_x0041_", "plain", "tab\tand\nline", "\ud800", "_x005F_x0041_"]:
        escaped = to_ooxml(text)
        assert for_xml(escaped) == escaped  # nothing XML cannot hold
        assert from_ooxml(escaped) == text
    assert xlsx_cell("=1+1\x01") == "'=1+1_x0001_"


def test_terminal_escaping_makes_one_visible_line():
    assert for_terminal("a\x1b[31mb\nc\u202e") == "a\\x1b[31mb\\x0ac\\u202e"


def test_results_junit_and_text_output_escape_catalogue_text(tmp_path):
    folder = write(
        tmp_path / "cat",
        {
            "profiles.yaml": PROFILES,
            "a.yaml": f"""\
            items:
              - {{id: req.inf.ntw.04, kind: ra-requirement, title: {json.dumps(HOSTILE)}, priority: MUST}}
              - {{id: e2e.x, kind: test-case, title: X, match: {{name: {json.dumps("x" + chr(27) + "[2J")}}}, verifies: [req.inf.ntw.04]}}
            """,
            "ra2docs.toml": '[severity]\ncontrol-character = "off"\n',  # even so, the text was replaced
        },
    )
    (tmp_path / "junit.xml").write_text('<testsuite name="s"><testcase name="y"/></testsuite>')
    junit = ra2docs("results", "junit.xml", "--catalogue", str(folder), "--format", "junit", cwd=tmp_path)
    assert junit.returncode == 1, junit.stderr  # the mandatory requirement's test did not run
    root = SafeET.fromstring(junit.stdout.encode())  # well-formed despite the controls in the title
    assert "T\ufffd[2J" in "".join(e.text or "" for e in root.iter("system-out"))
    text = ra2docs("results", "junit.xml", "--catalogue", str(folder), cwd=tmp_path)
    assert text.returncode == 1 and not any(c in text.stdout + text.stderr for c in RAW)
