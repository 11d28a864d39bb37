"""A corpus of malformed and hostile input: every case gets a clear answer, the right exit
code, the file, line and item named where there is one, no traceback, in bounded time and memory."""

from __future__ import annotations

import bz2
import gzip
import io
import json
import lzma
import os
import resource
import subprocess
import sys
import tarfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from conftest import PROFILES, tar_gz, write
from docutils import nodes
from docutils.core import publish_doctree

BIN = Path(sys.executable).parent
MEMORY_LIMIT = 1536 * 1024 * 1024  # bytes of address space per run
TIME_LIMIT = 15  # seconds; every case should take well under one (a hang guard, not a speed target)
# The page `expand` writes out for the catalogue cases that must render: tables, comparisons, gaps, entries.
EXPANDED_PAGE = """\
Page
====

.. ra2:table:: Gaps
   :kind: gap
   :columns: id title section

.. ra2:gaps::

.. ra2:definitions::
   :kind: gap
"""

GOOD_ITEMS = "items:\n  - {id: infra.com.cfg.004, kind: rm-requirement, title: Huge Pages}\n"
LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi", strict=True)
)


@dataclass
class Case:
    name: str
    files: dict[str, str | bytes | Callable[[], bytes]]  # a callable builds a large file only when its case runs
    code: int
    says: list[str]  # text the output must hold (file:line, rule, item, ...)
    command: str = "check"  # or "results", "import", "expand"
    args: list[str] = field(default_factory=list)  # for expand: directives added to its page
    links: dict[str, str] = field(default_factory=dict)  # symbolic links to make: name -> target
    sizes: dict[str, int] = field(default_factory=dict)  # sparse files to make: name -> size (nothing written)
    never: list[str] = field(default_factory=list)  # text the output must not hold (a link target's content, ...)
    # expand: its output, read by docutils with raw and include on, holds no raw node, no file's
    # content, no link but to http(s), mailto, relative or in-page addresses
    expanded_safe: bool = False


JUNIT = b'<testsuites><testsuite name="s" timestamp="2026-01-01T00:00:00"><testcase name="x" status="passed"/></testsuite></testsuites>'


def tar_header(name: str, size: int) -> bytes:
    """A tar header claiming a member of ``size`` bytes (the data need not follow)."""
    info = tarfile.TarInfo(name)
    info.size = size
    return info.tobuf(format=tarfile.GNU_FORMAT)


ZEROS_BZ2 = bz2.compress(bytes(64 * 2**20))  # concatenated bzip2 streams decompress one after the other


def _big_junit_tarball() -> bytes:
    """About 250 MB of JUnit in a tarball of well under a megabyte."""
    cases = b'<testcase name="x" status="passed"/>' * 7_000_000
    return tar_gz(
        {"plugins/e2e/results/global/junit_01.xml": b"<testsuites><testsuite>" + cases + b"</testsuite></testsuites>"}
    )


def _many_members_tarball() -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as archive:
        for n in range(50_001):
            archive.addfile(tarfile.TarInfo(f"m/{n}"), io.BytesIO(b""))
    return out.getvalue()


CATALOGUE_CASES = [
    Case("syntax-unclosed-flow", {"a.yaml": "items:\n  - {id: x\n"}, 2, ["cat/a.yaml:3:1", "RA102"]),
    Case("syntax-bad-indent", {"a.yaml": GOOD_ITEMS + "   title: stray\n"}, 2, ["cat/a.yaml:3:", "RA102"]),
    Case(
        "syntax-in-the-middle",
        {"a.yaml": "items:\n  - id: a\n    kind: gap\n  - id: b: c\n"},
        2,
        ["cat/a.yaml:4:", "RA102"],
    ),
    Case("tabs", {"a.yaml": "items:\n\t- {id: gap.a, kind: gap}\n"}, 2, ["cat/a.yaml:2:1", "tabs for indentation"]),
    Case("byte-order-mark", {"a.yaml": b"\xef\xbb\xbf" + GOOD_ITEMS.encode()}, 0, ["0 errors, 1 items"]),
    Case("crlf-line-ends", {"a.yaml": GOOD_ITEMS.replace("\n", "\r\n")}, 0, ["0 errors, 1 items"]),
    Case(
        "non-utf8",
        {"a.yaml": "items:\n  - {id: gap.a, kind: gap, title: R\xe9seau}\n".encode("latin-1")},
        2,
        ["cat/a.yaml:2:1", "not UTF-8", "RA101"],
    ),
    Case(
        "duplicate-key-top",
        {"a.yaml": GOOD_ITEMS + "items: []\n"},
        1,
        ["cat/a.yaml:3:1", "duplicate key 'items'", "RA103"],
    ),
    Case(
        "duplicate-key-item",
        {"a.yaml": "items:\n  - id: gap.a\n    kind: gap\n    kind: gap\n"},
        1,
        ["cat/a.yaml:4:5", "gap.a", "RA103"],
    ),
    Case(
        "duplicate-key-nested",
        {
            "a.yaml": "items:\n  - id: i.cap.018\n    kind: rm-capability\n    values:\n      basic: Must support\n      basic: Optional\n"
        },
        1,
        ["cat/a.yaml:6:7", "i.cap.018", "duplicate key 'basic'"],
    ),
    Case(
        "duplicate-key-comparison",
        {
            "a.yaml": "comparisons:\n  - id: c\n    id: d\n    title: C\n    solutions: [{id: m, title: M}]\n    levels: [{id: s, label: S}]\n    rows: [{item: gap.a, cells: {m: s}}]\n"
        },
        1,
        ["cat/a.yaml:3:5", "RA103"],
    ),
    Case(
        "unknown-key",
        {"a.yaml": "items:\n  - {id: gap.a, kind: gap, titel: A}\n"},
        1,
        ["cat/a.yaml:2:", "gap.a", "did you mean 'title'", "RA202"],
    ),
    Case("unknown-top-level-key", {"a.yaml": "itemz: []\n"}, 1, ["cat/a.yaml:1:1", "did you mean 'items'"]),
    Case(
        "wrong-type-title-list",
        {"a.yaml": "items:\n  - {id: gap.a, kind: gap, title: [a, b]}\n"},
        1,
        ["cat/a.yaml:2:", "gap.a", "expected text, found a list"],
    ),
    Case(
        "wrong-type-link-string",
        {"a.yaml": "items:\n  - {id: gap.a, kind: gap, related: infra.com.cfg.004}\n"},
        1,
        ["gap.a", "write a list"],
    ),
    Case(
        "wrong-type-number-section",
        {"a.yaml": "items:\n  - {id: gap.a, kind: gap, section: 6.2}\n"},
        1,
        ["cat/a.yaml:2:", "quote the value"],
    ),
    Case(
        "bad-priority",
        {"a.yaml": "items:\n  - {id: req.inf.ntw.01, kind: ra-requirement, priority: MUSTT}\n"},
        1,
        ["req.inf.ntw.01", "did you mean 'MUST'"],
    ),
    Case("empty-file", {"a.yaml": ""}, 0, ["cat/a.yaml:1:1", "file is empty", "RA105"]),
    Case("only-a-comment", {"a.yaml": "# nothing here\n"}, 0, ["file is empty"]),
    Case("file-is-a-list", {"a.yaml": "- {id: gap.a, kind: gap}\n"}, 2, ["cat/a.yaml:1:1", "holds a list", "RA105"]),
    Case("file-is-a-scalar", {"a.yaml": "just words\n"}, 2, ["cat/a.yaml:1:1", "the text 'just words'", "RA105"]),
    Case("billion-laughs", {"a.yaml": LAUGHS}, 2, ["cat/a.yaml:1:4", "aliases are not allowed", "RA108"]),
    Case(
        "deep-nesting",
        {"a.yaml": "items: " + "[" * 5000 + "]" * 5000 + "\n"},
        2,
        ["cat/a.yaml:1:", "nesting depth", "RA102"],
    ),
    Case(
        "ten-megabyte-string",
        {"a.yaml": "items:\n  - {id: gap.a, kind: gap, title: " + "x" * 10_000_000 + "}\n"},
        2,
        ["cat/a.yaml:2:35", "value of 10,000,000 characters, more than the 65,536 allowed; file not read", "RA108"],
    ),
    Case(
        "python-object-tag",
        {"a.yaml": "items:\n  - !!python/object/apply:os.system ['echo pwned']\n"},
        2,
        ["cat/a.yaml:2:5", "python/object/apply:os.system", "RA108"],
    ),
    Case(
        "custom-tag",
        {"a.yaml": "items:\n  - {id: gap.a, kind: gap, title: !secret x}\n"},
        2,
        ["cat/a.yaml:2:", "'!secret' is not allowed", "RA108"],
    ),
    Case(
        "binary-tag",
        {"a.yaml": "items:\n  - {id: gap.a, kind: gap, title: !!binary aGVsbG8=}\n"},
        2,
        ["cat/a.yaml:2:", "binary' is not allowed; file not read", "RA108"],
    ),
    Case(
        "id-with-spaces",
        {"a.yaml": "items:\n  - {id: 'req.inf.ntw 01', kind: ra-requirement, title: A}\n"},
        1,
        ["cat/a.yaml:2:", "req.inf.ntw 01", "RA303"],
    ),
    Case(
        "id-with-a-trailing-line-break",  # a pattern ending in '$' once took it for an invisible twin
        {
            "a.yaml": "items:\n  - {id: req.inf.ntw.04, kind: ra-requirement, title: A}\n"
            '  - {id: "req.inf.ntw.04\\n", kind: ra-requirement, title: B}\n'
        },
        1,
        ["cat/a.yaml:3:", "RA303"],
    ),
    Case(
        "id-unicode-lookalike",
        {
            "a.yaml": "items:\n  - {id: req.inf.ntw.01, kind: ra-requirement, title: A}\n  - {id: ra2.ntw.001, kind: specification, title: B, traces: [req.\u0456nf.ntw.01]}\n"
        },
        1,
        ["cat/a.yaml:3:", "ra2.ntw.001", "did you mean 'req.inf.ntw.01'", "RA401"],
    ),
    Case(
        "link-to-itself",
        {"a.yaml": "items:\n  - {id: ra2.ch.001, kind: specification, title: A, traces: [ra2.ch.001]}\n"},
        1,
        ["cat/a.yaml:2:", "ra2.ch.001", "cycle", "RA405"],
    ),
    Case(
        "cycle-of-two",
        {
            "a.yaml": "items:\n  - {id: ra2.ch.001, kind: specification, title: A, traces: [ra2.ch.002]}\n  - {id: ra2.ch.002, kind: specification, title: B, traces: [ra2.ch.001]}\n"
        },
        1,
        ["ra2.ch.001 -> ra2.ch.002 -> ra2.ch.001", "RA405"],
    ),
    Case(
        "dangling-link",
        {"a.yaml": "items:\n  - {id: gap.a, kind: gap, related: [nfvi.com.cfg.004]}\n"} | {"b.yaml": GOOD_ITEMS},
        1,
        ["cat/a.yaml:2:", "gap.a", "did you mean 'infra.com.cfg.004'", "RA401"],
    ),
    Case(
        "duplicate-id-across-files",
        {"a.yaml": GOOD_ITEMS, "b.yaml": GOOD_ITEMS},
        1,
        ["cat/b.yaml:2:", "already defined at cat/a.yaml:2", "RA301"],
    ),
    Case(
        "missing-kind",
        {"a.yaml": "items:\n  - {id: gap.a, title: A}\n"},
        1,
        ["cat/a.yaml:2:", "gap.a", "'kind' is missing"],
    ),
    Case("unknown-kind", {"a.yaml": "items:\n  - {id: gap.a, kind: gapp}\n"}, 1, ["gap.a", "did you mean 'gap'"]),
    Case(
        "sexagesimal",
        {"a.yaml": "items:\n  - {id: i.cap.016, kind: rm-capability, values: {basic: 1:1}}\n"},
        1,
        ["cat/a.yaml:2:", "i.cap.016", "the number 61"],
    ),
    Case(
        "norway-boolean",
        {"a.yaml": "items:\n  - {id: i.cap.016, kind: rm-capability, values: {basic: No}}\n"},
        1,
        ["i.cap.016", "boolean false"],
    ),
    Case(
        "two-documents",
        {"a.yaml": GOOD_ITEMS + "---\n" + GOOD_ITEMS},
        2,
        ["cat/a.yaml:4:", "more than one YAML document"],
    ),
    Case(
        "null-item", {"a.yaml": "items:\n  -\n  - {id: gap.a, kind: gap}\n"}, 1, ["cat/a.yaml:2:", "expected an item"]
    ),
    Case(
        "comparison-unknown-level",
        {
            "a.yaml": GOOD_ITEMS
            + "comparisons:\n  - {id: c, title: C, solutions: [{id: m, title: M}], levels: [{id: supported, label: Supported}], rows: [{item: infra.com.cfg.004, cells: {m: suported}}]}\n"
        },
        1,
        ["unknown support level 'suported'", "did you mean 'supported'"],
    ),
    Case("empty-folder", {}, 2, ["no catalogue files"]),
    Case(
        "pattern-results-cannot-run",
        {"a.yaml": "items:\n  - {id: e2e.x, kind: test-case, title: X, match: {pattern: '(a)\\1|(?=b)'}}\n"},
        1,
        ["cat/a.yaml:2:", "e2e.x", "match pattern is not a valid regular expression: invalid escape sequence", "RA201"],
    ),
    Case(
        "huge-catalogue-file",
        {"a.yaml": "items:\n" + "".join(f"  - {{id: gap.g{n}, kind: gap, title: Gap {n}}}\n" for n in range(30000))},
        0,
        ["0 errors, 30000 items"],
    ),
]

DIGITS = "1" * 5000
MIB = 1024 * 1024

# Issue 17 (catalogue side): links, limits, data that passed check and then crashed or misled.
HARDENING_CASES = [
    Case(
        "link-to-etc-passwd",
        {"a.yaml": GOOD_ITEMS},
        2,
        ["cat/passwd.yaml:1:1", "a symbolic link to a file; not followed", "RA101", "1 errors, 1 items"],
        links={"cat/passwd.yaml": "/etc/passwd"},
        never=["root:", "/bin/"],
    ),
    Case(
        "linked-folder-outside-the-catalogue",
        {"a.yaml": GOOD_ITEMS, "outside/o.yaml": "items:\n  - {id: gap.outside, kind: gap, title: Secret}\n"},
        2,
        ["cat/linked:0:0", "a symbolic link to a folder; not followed", "RA101", "1 items"],
        links={"cat/linked": "../outside"},
        never=["gap.outside", "Secret"],
    ),
    Case(
        "link-inside-the-catalogue",  # refused too: the linked file's items would be defined twice
        {"a.yaml": GOOD_ITEMS},
        2,
        ["cat/b.yaml:1:", "a symbolic link to a file; not followed", "1 items"],
        links={"cat/b.yaml": "a.yaml"},
        never=["already defined"],
    ),
    Case(
        "file-over-the-size-limit",
        {"a.yaml": GOOD_ITEMS},
        2,
        ["cat/big.yaml:1:1", "file holds 17,825,792 bytes, more than the 16,777,216 a catalogue file may hold"],
        sizes={"big.yaml": 17 * MIB},
    ),
    Case(
        "catalogue-over-the-size-limit",
        {"a.yaml": GOOD_ITEMS},
        2,
        ["cat:0:0", "bytes together, more than the 67,108,864 allowed; nothing was read", "RA101", "0 items"],
        sizes={f"p{n}.yaml": 15 * MIB for n in range(5)},
    ),
    Case(
        "a-million-short-values",
        {"a.yaml": "items: [" + "a," * 1_100_000 + "a]\n"},
        2,
        ["cat/a.yaml:1:", "file holds more than 1,000,000 YAML values", "RA108"],
    ),
    Case(
        "many-keys",
        {"a.yaml": "items:\n  - {id: gap.a, kind: gap, " + ", ".join(f"k{n}: v" for n in range(1001)) + "}\n"},
        2,
        ["cat/a.yaml:2:5", "mapping has more than 1,000 keys", "RA108"],
    ),
    Case(
        "many-findings-from-the-loader",
        {"a.yaml": "items: [" + "a, " * 20_000 + "a]\n"},
        2,
        ["expected an item (a mapping)", "more than 10,000 problems in this file; the rest of it was not checked"],
    ),
    Case(
        "many-findings-from-the-reader",
        {"a.yaml": "items:\n  - {id: gap.a, kind: gap, tags: [" + "No, " * 20_000 + "No]}\n"},
        2,
        ["read by YAML as the boolean false", "more than 10,000 problems in this file"],
    ),
    Case(
        "five-thousand-digit-number",
        {"a.yaml": f"items:\n  - {{id: i.cap.016, kind: rm-capability, values: {{basic: {DIGITS}}}}}\n"},
        2,
        ["cat/a.yaml:2:", "an unquoted number of 5,000 characters, more than the 100 allowed; file not read", "RA108"],
    ),
    Case("five-thousand-digit-id", {"a.yaml": f"items:\n  - {{id: gap.{DIGITS}, kind: gap}}\n"}, 0, ["0 errors"]),
    Case(
        "five-thousand-digit-id-rendered",
        {"a.yaml": f"items:\n  - {{id: gap.{DIGITS}, kind: gap, title: G, section: '6.2.1'}}\n" + GOOD_ITEMS[7:]},
        0,
        ["expanded src into out: 1 .rst files"],
        "expand",
    ),
    Case(
        "superscript-section-rendered",  # '²'.isdigit(), but int('²') fails
        {
            "a.yaml": "items:\n  - {id: gap.a, kind: gap, title: A, section: '2²'}\n  - {id: gap.b, kind: gap, section: '2'}\n"
        },
        0,
        ["expanded src into out: 1 .rst files"],
        "expand",
    ),
    Case(
        "impossible-date",
        {"a.yaml": "items:\n  - {id: gap.a, kind: gap, title: A, changed: '2099-02-30'}\n"},
        1,
        ["cat/a.yaml:2:", "gap.a", "'2099-02-30' is not a date: day is out of range for month", "RA201"],
    ),
    Case(
        "impossible-date-unquoted",
        {"a.yaml": "items:\n  - {id: gap.a, kind: gap, title: A, changed: 2099-13-01}\n"},
        1,
        ["cat/a.yaml:2:", "gap.a", "'2099-13-01' is not a date", "RA201", "1 errors"],
    ),
    Case(
        "nul-in-a-title",
        {"a.yaml": 'items:\n  - {id: gap.a, kind: gap, title: "Huge\\0pages"}\n'},
        1,
        ["cat/a.yaml:2:", "gap.a", "control character U+0000 in text; replaced by U+FFFD", "RA604"],
    ),
    Case(
        "terminal-escape-in-a-key",
        {"a.yaml": 'items:\n  - {id: gap.a, kind: gap, "ti\\e[2Jtle": A}\n'},
        1,
        ["cat/a.yaml:2:", "control character U+001B", "RA604", "unknown key", "RA202"],
        never=["\x1b"],
    ),
    Case(
        "bidirectional-override-unescaped",
        {"a.yaml": "items:\n  - {id: gap.a, kind: gap, title: 'abc \u202e cba'}\n"},
        1,
        ["cat/a.yaml:2:", "control character U+202E", "RA604"],
    ),
    Case(
        "c1-control-sequence-introducer",
        {"a.yaml": 'items:\n  - {id: gap.a, kind: gap, title: "a\\x9b2Jb"}\n'},
        1,
        ["control character U+009B", "RA604"],
    ),
    Case(
        "title-starts-a-list",
        {
            "a.yaml": "items:\n  - {id: gap.a, kind: gap, title: 'iv. Storage'}\n  - {id: gap.b, kind: gap, title: '• Basic'}\n"
        },
        1,
        ["gap.a", "title starts an enumerated list", "gap.b", "title starts a bullet list", "RA603"],
    ),
    Case(
        "text-with-a-transition",
        {"a.yaml": "items:\n  - {id: gap.a, kind: gap, title: A, description: '~~~~'}\n"},
        1,
        ["gap.a", "description: a transition", "RA603"],
    ),
    Case(
        "text-with-a-section-title",
        {"a.yaml": "items:\n  - id: gap.a\n    kind: gap\n    description: |\n      Title\n      =====\n"},
        1,
        ["gap.a", "description: a section title", "(line 2 of the text)", "RA603"],
    ),
    Case(
        "text-with-unclosed-emphasis-and-a-raw-role",  # the role's paragraph first: parsing stops at a warning
        {"a.yaml": 'items:\n  - {id: gap.a, kind: gap, title: A, description: "x :raw:`<b>`\\n\\n*Note"}\n'},
        1,
        ["emphasis started by '*' is not closed", "role :raw: is not allowed", "RA603"],
    ),
    Case(
        "cjk-and-bullet-titles-rendered",
        {
            "a.yaml": "sections:\n  - {id: '6.2', title: 日本語の見出しテキスト}\n"
            "items:\n  - {id: gap.a, kind: gap, title: 日本語のタイトルです, section: '6.2.1'}\n"
            "comparisons:\n  - {id: c, title: '• Comparison', solutions: [{id: m, title: '- M'}], "
            "levels: [{id: s, label: S}], rows: [{item: gap.a, cells: {m: s}}]}\n"
        },
        0,
        ["expanded src into out: 1 .rst files", "1 ra2:comparison"],
        "expand",
        [".. ra2:comparison:: c"],
    ),
]


def gap(**fields: object) -> str:
    """A catalogue file of one gap (at line 2) with these fields, written by YAML itself."""
    item = {"id": "gap.a", "kind": "gap", "title": "A", "section": "6.2.1", **fields}
    return yaml.safe_dump({"items": [item]}, sort_keys=False, allow_unicode=True)


SCRIPT = "<script>window.__xss=1</script>"
MARKUP_OFF = '[severity]\nmarkup-not-allowed = "off"\n'  # expand refuses a catalogue with errors
PASSWD = "root:x:0:0"  # what /etc/passwd would show, included
# Issue 21: markup the patterns passed and docutils parsed differently; each is judged on the parsed tree now.
BYPASSES = {
    "list-item-raw": (f"- .. raw:: html\n\n     {SCRIPT}\n", "(line 1 of the text)", "directive 'raw'"),
    "enumerated-include": ("1. .. include:: /etc/passwd\n      :literal:\n", "(line 1 of", "directive 'include'"),
    "grid-table-cell-raw": (
        "+---------------+\n| .. raw:: html |\n|               |\n|    <script>   |\n+---------------+\n",
        "(line 3 of the text)",
        "table is not allowed",
    ),
    "literal-across-lines-hides-raw": (
        f"``a\nb`` x\n\n.. raw:: html\n\n   {SCRIPT}\n",
        "(line 4 of the text)",
        "directive 'raw'",
    ),
    "definition-holding-raw": (f"term\n  .. raw:: html\n\n     {SCRIPT}\n", "(line 2 of", "directive 'raw'"),
    "block-quote-holding-include": ("a\n\n   .. include:: /etc/passwd\n", "(line 3 of", "directive 'include'"),
    "note-holding-raw": (f".. note::\n\n   .. raw:: html\n\n      {SCRIPT}\n", "(line 3 of", "directive 'raw'"),
    "tab-indented-directive": (f"a\n\n\t.. raw:: html\n\n\t   {SCRIPT}\n", "(line 3 of", "directive 'raw'"),
    "upper-case-directive": (f".. RAW:: html\n\n   {SCRIPT}\n", "(line 1 of", "directive 'RAW'"),
    "csv-table-file": (".. csv-table:: x\n   :file: /etc/passwd\n", "(line 1 of", "directive 'csv-table'"),
    "substitution-image": ("a\n\n.. |x| image:: javascript:alert(1)\n", "(line 3 of", "directive 'image'"),
    "field-list-directive": (":a: .. raw:: html\n", "", "field list is not allowed"),
    "javascript-with-a-blank": ("`x <java script:window.__xss=1>`__", "", "links to javascript: are not allowed"),
    "javascript-with-a-backslash": ("`x <javascript\\:window.__xss=1>`__", "", "links to javascript: are not allowed"),
    "javascript-mixed-case": ("`x <JaVaScRiPt:window.__xss=1>`__", "", "links to javascript: are not allowed"),
    "data-link": ("`x <data:text/html;base64,PHNjcmlwdD4=>`__", "", "links to data: are not allowed"),
    "standalone-javascript": ("see javascript:window.__xss=1", "", "links to javascript: are not allowed"),
    "label-on-a-note": (".. note::\n   :name: security-policy\n\n   hi\n", "(line ", "a label ('security-policy')"),
    "explicit-target": (".. _security-policy:\n\nText\n", "(line 1 of", "targets, footnote and substitution"),
    "inline-target": ("a _`security-policy` b", "", "targets, footnote and substitution"),
    "named-link-defines-a-target": ("`security-policy <https://a.example>`_", "", "defines the target"),
    "reference-by-name": ("see security-policy_", "", "a reference by name"),
    "unclosed-literal-64k": ("``a\n" * 16000, "", "inline literal started by '``' is not closed"),
    # 5,400 addresses: as many as a text within the limit of 65,536 characters holds
    "five-thousand-addresses": ("a@b.example x@y.example\n" * 2700, "", "markup nested too deep"),
    "nested-two-hundred-lists": ("".join("  " * n + "- a\n\n" for n in range(200)), "", "nested too deep"),
}
MARKUP_CASES = (
    [
        Case(f"markup-{name}", {"a.yaml": gap(description=text)}, 1, ["cat/a.yaml:2:", "gap.a", where, says, "RA603"])
        for name, (text, where, says) in BYPASSES.items()
    ]
    + [
        Case(
            f"markup-{name}-expanded",
            {"a.yaml": gap(description=text, title=text.split("\n")[0]), "ra2docs.toml": MARKUP_OFF},
            0,
            ["expanded src into out: 1 .rst files"],
            "expand",
            expanded_safe=True,
        )
        for name, (text, _, _) in BYPASSES.items()
        if len(text) < 1000
    ]
    + [
        Case(
            "id-with-a-line-break-and-include-expanded",  # malformed-id as a warning (adopt sets it) changes nothing
            {
                "a.yaml": gap(title="G")
                + yaml.safe_dump(  # a specification tracing nothing: ra2:gaps lists it
                    {
                        "items": [
                            {"id": "ra2.ch.001\n\n.. include:: /etc/passwd\n", "kind": "specification", "title": "S"}
                        ]
                    }
                )[7:],
                "ra2docs.toml": '[severity]\nmalformed-id = "warning"\n',
            },
            0,
            ["expanded src into out: 1 .rst files"],
            "expand",
            expanded_safe=True,
        ),
        Case(
            "id-with-a-line-break-checked",
            {
                "a.yaml": gap(title="G")
                + yaml.safe_dump({"items": [{"id": "gap.b\n.. include:: x", "kind": "gap"}]})[7:]
            },
            1,
            [
                "cat/a.yaml:",
                "gap.b\\n.. include:: x",
                "holds U+000A, which no ID may hold; the item is not loaded",
                "RA303",
            ],
        ),
    ]
)

RESULT_CASES = [
    Case(
        "xml-external-entity",
        {
            "r/junit.xml": b'<?xml version="1.0"?><!DOCTYPE t [<!ENTITY x SYSTEM "file:///etc/passwd">]><testsuites><testsuite name="&x;"/></testsuites>'
        },
        2,
        ["r/junit.xml", "refused", "RA801"],
        "results",
    ),
    Case(
        "xml-bomb",
        {
            "r/junit.xml": b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]><testsuites><testsuite name="&d;"/></testsuites>'
        },
        2,
        ["r/junit.xml", "refused"],
        "results",
    ),
    Case("xml-truncated", {"r/junit.xml": JUNIT[:70]}, 2, ["r/junit.xml:1:", "not well-formed"], "results"),
    Case(
        "xml-not-junit",
        {"r/page.xml": b"<html><body>no tests</body></html>"},
        2,
        ["r/page.xml", "no reader for this file"],
        "results",
    ),
    Case("xml-empty", {"r/junit.xml": b""}, 2, ["r/junit.xml", "the file is empty"], "results"),
    # (unknown statuses are no longer refused: they count as "other", tests/test_result_formats.py)
    Case(
        "tarball-path-traversal",
        {"r/sb.tar.gz": tar_gz({"../../evil": b"x", "plugins/e2e/results/global/junit_01.xml": JUNIT})},
        2,
        ["r/sb.tar.gz:../../evil", "leaving the archive"],
        "results",
    ),
    Case(
        "tarball-symlink",
        {
            "r/sb.tar.gz": tar_gz(
                {"plugins/e2e/results/global/junit_01.xml": JUNIT},
                "plugins/e2e/results/global/x",
                "../../../../etc/shadow",
            )
        },
        2,
        ["a link"],
        "results",
    ),
    Case(
        "tarball-corrupt",
        {"r/sb.tar.gz": gzip.compress(b"not a tar archive at all" * 50)},
        2,
        ["r/sb.tar.gz", "cannot read the tarball"],
        "results",
    ),
    Case(
        "tarball-without-results",
        {"r/sb.tar.gz": tar_gz({"meta/run.log": b"hello"})},
        2,
        ["no results in the tarball"],
        "results",
    ),
    Case(
        "json-invalid",
        {"r/x.json": b'{"case_name": "k8s_conformance",\n "criteria": }'},
        2,
        ["r/x.json:2:", "not JSON"],
        "results",
    ),
    Case(
        "json-not-xtesting",
        {"r/x.json": b'{"hello": "world"}'},
        2,
        ["r/x.json", "needs 'case_name' and 'criteria'"],
        "results",
    ),
    Case(
        "sonobuoy-python-tag",
        {
            "r/sonobuoy_results.yaml": b"name: e2e\nstatus: passed\nmeta: {type: summary}\nitems: !!python/object/apply:os.system ['echo pwned']\n"
        },
        2,
        ["r/sonobuoy_results.yaml"],
        "results",
    ),
    Case(
        "unknown-format",
        {"r/notes.txt": b"all good, trust me"},
        2,
        ["r/notes.txt", "no reader for this file"],
        "results",
    ),
    Case("missing-file", {}, 2, ["r/none.xml", "no such result file"], "results", ["r/none.xml"]),
    Case(
        "many-test-cases",
        {
            "r/junit_01.xml": b"<testsuites><testsuite name='e2e'>"
            + b"".join(b'<testcase name="[It] case %d" status="skipped"/>' % n for n in range(100_000))
            + b"</testsuite></testsuites>"
        },
        0,
        ["100000 results read", "no verdicts"],
        "results",
    ),
    Case(
        "pattern-catastrophic-backtracking",
        {
            "tests.yaml": "items:\n  - {id: e2e.x, kind: test-case, title: X, match: {pattern: '([\\w\\[\\]-]+\\s?)+!'}, verifies: [infra.com.cfg.004]}\n",
            "r/junit.xml": b'<testsuite name="s"><testcase name="' + b"[sig-network] " * 40 + b'"/></testsuite>',
        },
        0,
        ["1 results read", "not run"],
        "results",
    ),
    Case(
        "tarball-bzip2-named-gz-huge-result-member",
        {"r/sb.tar.gz": bz2.compress(tar_header("plugins/e2e/results/global/junit_01.xml", 100 * 2**30))},
        2,
        ["r/sb.tar.gz:plugins/e2e/results/global/junit_01.xml", "more than the 268435456 allowed"],
        "results",
    ),
    Case(
        "tarball-bzip2-named-gz-huge-other-member",
        {"r/sb.tar.gz": bz2.compress(tar_header("meta/huge.log", 100 * 2**30)) + ZEROS_BZ2 * 20},
        2,
        ["r/sb.tar.gz", "the tarball, decompressed, holds more than 1073741824 bytes"],
        "results",
    ),
    Case(
        "four-tarballs-each-within-its-limit-together-over-the-budget",  # each inflates to 896 MiB
        {f"r/sb{n}.tar.bz2": bz2.compress(tar_header("meta/huge.log", 896 * MIB)) + ZEROS_BZ2 * 14 for n in range(4)},
        2,
        [
            "r/sb1.tar.bz2: error: the result files together hold more than 1073741824 bytes; not read",
            "r/sb2.tar.bz2: error: not read: the result files before it used up the budget",
            "r/sb3.tar.bz2: error: not read",
        ],
        "results",
    ),
    Case(
        "tarball-xz-member-over-the-limit",
        {"r/sb.tar": lzma.compress(tar_header("plugins/e2e/results/global/junit_01.xml", 300 * 2**20))},
        2,
        ["more than the 268435456 allowed"],
        "results",
    ),
    Case(
        "tarball-250-megabyte-junit-member",
        {"r/sb.tar.gz": _big_junit_tarball},
        2,
        ["r/sb.tar.gz:plugins/e2e/results/global/junit_01.xml:1:", "more than 500000 results"],
        "results",
    ),
    Case(
        "tarball-many-members",
        {"r/sb.tar.gz": _many_members_tarball},
        2,
        ["r/sb.tar.gz", "more than 50000 members"],
        "results",
    ),
    Case(
        "glob-symlink-loop-and-escape",
        {"r/e2e/junit_01.xml": JUNIT, "outside/secret.xml": JUNIT},
        2,
        ["r/e2e/escape.xml", "symbolic link to a file outside"],
        "results",
        ["r/**/*.xml"],
        {"r/e2e/loop": "..", "r/self": ".", "r/e2e/escape.xml": "../../outside/secret.xml"},
    ),
    Case(
        "xml-forty-megabyte-attribute",  # expat before 2.6 took 37 s (quadratic in the token's length)
        {"r/junit.xml": lambda: b'<testsuites><testsuite name="' + b"a" * 40 * MIB + b'"/></testsuites>'},
        2,
        ["r/junit.xml:1:", "an XML tag (with its attributes) or comment longer than 1,048,576 bytes", "RA801"],
        "results",
    ),
    Case(
        "xml-forty-megabyte-comment",
        {"r/junit.xml": lambda: b"<testsuites>\n<!--" + b"a" * 40 * MIB + b"--></testsuites>"},
        2,
        ["r/junit.xml:2:", "longer than 1,048,576 bytes"],
        "results",
    ),
    Case(
        "xml-forty-megabyte-text-is-fine",  # character data is streamed piece by piece: no cap, no slowness
        {
            "r/junit.xml": lambda: (
                b'<testsuites><testsuite name="s"><testcase name="x"><system-out>'
                + b"a" * 40 * MIB
                + b"</system-out></testcase></testsuite></testsuites>"
            )
        },
        0,
        ["1 results read"],
        "results",
    ),
    Case(
        "junit-nested-testsuites",
        {
            "r/junit.xml": b"<testsuites>"
            + b"<testsuite name='s'>" * 3000
            + b"<testcase name='x'/>" * 3000
            + b"</testsuite>" * 3000
            + b"</testsuites>"
        },
        2,
        ["r/junit.xml:1:", "nested more than 64 deep"],
        "results",
    ),
    Case(
        "junit-timestamp-overflow",
        {
            "r/junit.xml": b'<testsuites>\n<testsuite name="s" timestamp="0001-01-01T00:00:00+14:00"><testcase name="x"/></testsuite></testsuites>'
        },
        2,
        ["r/junit.xml:2:", "out of the range of dates"],
        "results",
    ),
    Case(
        "junit-bad-time",
        {"r/junit.xml": b'<testsuite name="s"><testcase name="x" time="nan"/></testsuite>'},
        2,
        ["r/junit.xml:1:", "not a number of seconds"],
        "results",
    ),
    Case(
        "sonobuoy-alias-bomb",
        {
            "r/sonobuoy_results.yaml": (
                "name: e2e\nstatus: passed\nmeta: {type: summary}\n" + LAUGHS + "items: *i\n"
            ).encode()
        },
        2,
        ["r/sonobuoy_results.yaml:4:", "anchors and aliases"],
        "results",
    ),
    Case(
        "cnf-alias-bomb",
        {"r/cnf-testsuite-results.yml": ("testsuite_version: v1\npoints: 1\n" + LAUGHS + "items: *i\n").encode()},
        2,
        ["r/cnf-testsuite-results.yml:3:", "anchors and aliases"],
        "results",
    ),
    Case(
        "cnf-duplicate-key",
        {
            "r/cnf-testsuite-results.yml": b"testsuite_version: v1\npoints: 1\nitems:\n- name: liveness\n  status: failed\n  status: passed\n"
        },
        2,
        ["r/cnf-testsuite-results.yml:6:3", "duplicate key 'status'"],
        "results",
    ),
    Case(
        "cnf-wrong-type",
        {
            "r/cnf-testsuite-results.yml": b"testsuite_version: v1\npoints: 1\nitems:\n- name: liveness\n  status: [passed]\n"
        },
        2,
        ["r/cnf-testsuite-results.yml:4:", "'status' must be text, not a list"],
        "results",
    ),
    Case(
        "json-duplicate-key",
        {
            "r/x.json": b'{"case_name": "a", "criteria": "PASS"}\n{"case_name": "k8s_conformance",\n "criteria": "FAIL", "criteria": "PASS"}'
        },
        2,
        ["r/x.json:2:", "duplicate key 'criteria'"],
        "results",
    ),
    Case(
        "json-wrong-type",
        {"r/x.json": b'{"case_name": "k8s_conformance", "criteria": true}'},
        2,
        ["r/x.json:1:", "'criteria' must be text, not a boolean"],
        "results",
    ),
    Case(
        "json-deep-nesting",
        {
            "r/x.json": b'{"case_name": "k8s_conformance", "criteria": "PASS", "details": '
            + b"[" * 100_000
            + b"]" * 100_000
            + b"}"
        },
        2,
        ["r/x.json:1:", "nested too deep"],
        "results",
    ),
    Case(
        "json-bad-date",
        {"r/x.json": b'{"case_name": "k8s_conformance", "criteria": "PASS", "start_date": "yesterday"}'},
        2,
        ["r/x.json:1:", "'yesterday' is not an ISO 8601 date"],
        "results",
    ),
]


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_case(tmp_path: Path, case: Case) -> tuple[subprocess.CompletedProcess[str], float, dict[str, tuple[int, int]]]:
    folder = tmp_path / "cat"
    folder.mkdir()
    base: dict[str, str | bytes | Callable[[], bytes]] = (
        {"profiles.yaml": PROFILES} if case.command == "results" or case.files else {}
    )
    for name, content in {**base, **case.files}.items():
        target = (tmp_path / name) if name.startswith(("r/", "outside/")) else (folder / name)
        target.parent.mkdir(parents=True, exist_ok=True)
        if callable(content):
            content = content()
        target.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    for name, link_target in case.links.items():
        os.symlink(link_target, tmp_path / name)
    for name, size in case.sizes.items():
        with (folder / name).open("wb") as stream:
            stream.truncate(size)
    if case.command == "results":
        (folder / "items.yaml").write_text(GOOD_ITEMS)
        files = case.args or sorted(str(p.relative_to(tmp_path)) for p in (tmp_path / "r").rglob("*") if p.is_file())
        command = [str(BIN / "ra2docs"), "results", *files, "--catalogue", "cat"]
    elif case.command == "expand":  # every view of the catalogue, written as plain reStructuredText
        write(
            tmp_path / "src",
            {
                "conf.py": 'extensions = ["ra2docs.sphinx"]\nra2docs_catalogue = "../cat"\n',
                "index.rst": EXPANDED_PAGE + "".join(f"\n{line}\n" for line in case.args),
            },
        )
        command = [str(BIN / "ra2docs"), "expand", "src", "out"]
    else:
        command = [str(BIN / "ra2docs"), "check", "--catalogue", "cat", "--format", "json", *case.args]
    before = _tree(tmp_path)
    done = subprocess.run(
        command, cwd=tmp_path, capture_output=True, text=True, timeout=TIME_LIMIT, preexec_fn=_limits, check=False
    )
    return done, before


def _tree(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        str(p.relative_to(folder)): (p.lstat().st_size, p.lstat().st_mtime_ns)
        for p in folder.rglob("*")
        if not p.is_dir() or p.is_symlink()
    }


@pytest.mark.parametrize("case", CATALOGUE_CASES + HARDENING_CASES + MARKUP_CASES + RESULT_CASES, ids=lambda c: c.name)
def test_malformed_input(tmp_path: Path, case: Case):
    done, before = run_case(tmp_path, case)
    # Nothing is written, changed or removed outside the output folder (expand's).
    assert {k: v for k, v in _tree(tmp_path).items() if not k.startswith("out/")} == before
    output = done.stdout + done.stderr
    assert "Traceback" not in output
    if case.command == "check":  # the JSON report, read back into 'file:line:col: item: message' lines
        import json

        report = json.loads(done.stdout)
        lines = [
            f"{f['file']}:{f['line']}:{f['column']}: {f['severity']}: {f['item']}: {f['message']} "
            f"[{f['rule']}] {f['suggestion']}"
            for f in report["findings"]
        ]
        summary = report["summary"]
        lines.append(f"{summary['errors']} errors, {summary['items']} items")
        output = "\n".join(lines) + "\n" + done.stderr
    assert done.returncode == case.code, output[-3000:]
    for text in case.never:
        assert text not in done.stdout + done.stderr, f"{text!r} in the output"
    for text in case.says:
        assert text in output, f"{text!r} not in:\n{output[-3000:]}"
    if case.expanded_safe:
        expanded = (tmp_path / "out" / "index.rst").read_text(encoding="utf-8")
        # read as a converter would: raw and include on (pandoc has no switch to turn them off)
        tree = publish_doctree(expanded, settings_overrides={"report_level": 5, "halt_level": 5})
        assert not list(tree.findall(nodes.raw)), expanded
        assert PASSWD not in tree.astext(), expanded
        for reference in tree.findall(nodes.reference):
            assert reference.get("refuri", "").split(":")[0] in ("", "http", "https", "mailto"), reference


def test_a_long_xml_token_is_refused_well_under_a_second():
    """The cap is met after a megabyte of the token, whatever its length (40 MB took 37 s before)."""
    import time

    from ra2docs.results.readers import parse_junit
    from ra2docs.results.result import ResultsError

    data = b'<testsuites><testsuite name="' + b"a" * 40 * MIB + b'"/></testsuites>'
    started = time.perf_counter()
    with pytest.raises(ResultsError, match="longer than 1,048,576 bytes"):
        parse_junit(data, "junit.xml")
    assert time.perf_counter() - started < 1.0


def test_the_corpus_is_large_enough():
    assert len(CATALOGUE_CASES) + len(RESULT_CASES) >= 40


def test_the_downloads_step_never_reads_a_file_the_loader_refused(tmp_path: Path):
    """A catalogue file that is a link to /dev/zero, or a pipe: refused by the loader, never opened for the downloads."""
    folder = write(tmp_path / "cat", {"profiles.yaml": PROFILES, "a.yaml": GOOD_ITEMS})
    os.symlink("/dev/zero", folder / "zero.yaml")
    os.mkfifo(folder / "pipe.yaml")  # opening it would wait for a writer forever
    (folder / "ra2docs.toml").write_text('[severity]\nunreadable-file = "warning"\n', encoding="utf-8")
    source = write(
        tmp_path / "src",
        {"conf.py": 'extensions = ["ra2docs.sphinx"]\nra2docs_catalogue = "../cat"\n', "index.rst": "Page\n====\n"},
    )
    done = subprocess.run(
        [str(BIN / "sphinx-build"), "-q", "-b", "html", str(source), str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=_limits,
        check=False,
    )
    assert "Traceback" not in done.stderr and "MemoryError" not in done.stderr, done.stderr[-3000:]
    assert done.returncode == 0, done.stderr[-3000:]
    assert (source / "_generated" / "downloads" / "ra2-catalogue.json").is_file()  # made all the same


# -- Issue 21: the cases that need a repository or a project, each a command under the corpus's limits ----------


def bounded(*command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """A ra2docs command run as every corpus case is: memory and time limited."""
    return subprocess.run(
        [str(BIN / command[0]), *command[1:]],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=TIME_LIMIT,
        preexec_fn=_limits,
        check=False,
    )


def git_repository(folder: Path, files: dict[str, str]) -> Path:
    write(folder, files)
    for step in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "base"]):
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *step], cwd=folder, check=True
        )
    return folder


def test_a_blob_over_the_size_limit_is_measured_by_git_and_never_read(tmp_path: Path):
    """Sizes come from ``git cat-file --batch-check``, and a working-tree file's status (a 600 MB blob cost 1.2 GB)."""
    repo = git_repository(tmp_path / "repo", {"catalogue/profiles.yaml": PROFILES, "catalogue/a.yaml": GOOD_ITEMS})
    big = repo / "catalogue" / "big.yaml"
    big.write_bytes(b"# " + b"x" * 17 * MIB + b"\n")
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@e.invalid", "commit", "-qm", "big"], cwd=repo)
    done = bounded("ra2docs", "diff", "HEAD~1", "HEAD", "--format", "json", cwd=repo)
    assert done.returncode in (0, 1) and "Traceback" not in done.stderr, done.stderr
    message = "not read: holds 17,825,795 bytes, more than the 16,777,216 a catalogue file may hold; not read"
    found = {(f["file"], f["message"]) for f in json.loads(done.stdout)["findings_introduced"]}
    assert ("catalogue/big.yaml", message) in found
    big.write_bytes(big.read_bytes() + b"# grown\n")  # the working-tree side
    done = bounded("ra2docs", "diff", "HEAD~1", "--format", "json", cwd=repo)
    assert "holds 17,825,803 bytes" in done.stdout, done.stdout[-2000:]


def test_a_report_file_through_a_symbolic_link_is_refused_and_its_target_left_alone(tmp_path: Path):
    repo = git_repository(tmp_path / "repo", {"catalogue/profiles.yaml": PROFILES, "catalogue/a.yaml": GOOD_ITEMS})
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    (repo / "report.md").symlink_to(victim)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (repo / "reports").symlink_to(elsewhere, target_is_directory=True)
    os.mkfifo(repo / "pipe.json")  # writing would wait for a reader forever
    for name, says in (
        ("report.md", "report.md: is a symbolic link; ra2docs writes no file through a link"),
        ("reports/report.md", "reports: is a symbolic link"),
        ("pipe.json", "pipe.json: is not a regular file"),
    ):
        done = bounded("ra2docs", "diff", "HEAD", "--report-file", name, cwd=repo)
        assert done.returncode == 2 and says in done.stderr, (name, done.stderr)
    assert victim.read_text() == "keep me\n" and list(elsewhere.iterdir()) == []
    done = bounded("ra2docs", "diff", "HEAD", "--report-file", "out/report.json", cwd=repo)
    assert done.returncode == 0 and json.loads((repo / "out" / "report.json").read_text())["added"] == []
    assert [p.name for p in (repo / "out").iterdir()] == ["report.json"]  # no temporary file left


def test_a_settings_catalogue_outside_the_repository_is_refused_by_every_command(tmp_path: Path):
    write(tmp_path / "outside", {"a.yaml": "items:\n  - {id: gap.secret, kind: gap, title: Secret}\n"})
    repo = git_repository(tmp_path / "repo", {"ra2docs.toml": 'catalogue = "../outside"\n'})
    for command in (["check"], ["diff", "HEAD"], ["export", "--format", "json", "--output", "-"]):
        done = bounded("ra2docs", *command, cwd=repo)
        assert done.returncode == 2, (command, done.stdout + done.stderr)
        assert "gap.secret" not in done.stdout + done.stderr
        assert "outside" in done.stderr and "the catalogue folder must be inside" in done.stderr
    loose = write(tmp_path / "loose", {"ra2docs.toml": 'catalogue = "../outside"\n'})  # outside git: its folder
    done = bounded("ra2docs", "check", cwd=loose)
    assert done.returncode == 2 and f"must be inside {loose}" in done.stderr, done.stderr


def test_expand_copies_a_git_ignored_folder_of_chapters_and_leaves_out_only_its_own_pages(tmp_path: Path):
    from ra2docs.generate import write_pages

    write(tmp_path / "cat", {"profiles.yaml": PROFILES, "a.yaml": GOOD_ITEMS})
    src = write(
        tmp_path / "src",
        {
            "conf.py": 'extensions = ["ra2docs.sphinx"]\nra2docs_catalogue = "../cat"\n',
            "index.rst": "Page\n====\n",
            "private/.gitignore": "*\n",  # ignored by git, but the author's own chapters
            "private/notes.rst": "Notes\n=====\n\nSee :ra2:item:`infra.com.cfg.004`.\n",
        },
    )
    write_pages({"reference/index.rst": "Generated\n=========\n"}, src / "pages")
    (src / "pages" / ".gitignore").write_text("# generated by ra2docs at every build\n*\n")
    done = bounded("ra2docs", "expand", "src", "out", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / "private" / "notes.rst").read_text() == "Notes\n=====\n\nSee infra.com.cfg.004.\n"
    assert not (tmp_path / "out" / "pages").exists()  # ra2docs' own output: left out


def test_the_build_writes_and_reads_no_download_through_a_link(tmp_path: Path):
    """Links put where the build writes its downloads (a pull request can commit them): refused, nothing outside touched."""
    write(tmp_path / "cat", {"profiles.yaml": PROFILES, "a.yaml": GOOD_ITEMS})
    source = write(
        tmp_path / "src",
        {"conf.py": 'extensions = ["ra2docs.sphinx"]\nra2docs_catalogue = "../cat"\n', "index.rst": "Page\n====\n"},
    )
    downloads = source / "_generated" / "downloads"
    downloads.mkdir(parents=True)
    victim = tmp_path / "victim.json"
    victim.write_text("keep me\n")
    (downloads / "ra2-catalogue.json").symlink_to(victim)
    (downloads / ".source-digest").symlink_to("/dev/zero")  # read, it would never end
    done = subprocess.run(
        [str(BIN / "sphinx-build"), "-q", "-b", "html", str(source), str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=_limits,
        check=False,
    )
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    assert "downloads not written: " in done.stderr
    assert "ra2-catalogue.json: is a symbolic link; ra2docs writes no file through a link" in done.stderr
    assert victim.read_text() == "keep me\n"
    strict = subprocess.run(  # -W: the build fails on it
        [str(BIN / "sphinx-build"), "-W", "-q", "-b", "html", str(source), str(tmp_path / "out2")],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=_limits,
        check=False,
    )
    assert strict.returncode != 0 and victim.read_text() == "keep me\n"


def test_import_writes_no_catalogue_file_through_a_link(tmp_path: Path):
    write(tmp_path / "cat", {"profiles.yaml": PROFILES, "a.yaml": GOOD_ITEMS})
    done = bounded("ra2docs", "export", "--format", "json", "--output", "x.json", "--catalogue", "cat", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    (tmp_path / "back").mkdir()
    (tmp_path / "back" / "rm-requirement.yaml").symlink_to(victim)
    done = bounded("ra2docs", "import", "x.json", "--catalogue", "back", "--force", cwd=tmp_path)
    assert done.returncode == 2 and "rm-requirement.yaml: is a symbolic link" in done.stderr, done.stderr
    assert victim.read_text() == "keep me\n" and "Traceback" not in done.stderr
