"""A control character in catalogue text.

YAML's double-quoted strings can hold any character as an escape (``"\\0"``,
``"\\e[31m"``, ``"\\u202e"``). None of these belongs in a requirement: a NUL
stops graphviz, an escape sequence rewrites a reviewer's terminal, a
bidirectional override makes text read differently from what it holds, and a
lone surrogate cannot even be written as UTF-8. Reported wherever they
occur (keys too), each is replaced by U+FFFD (�) in the loaded catalogue, so
that nothing after the check ever sees one, even with the rule turned off.

Refused: C0 controls but tab and line feed, DEL, C1 controls, the line and
paragraph separators, bidirectional marks, embeddings, overrides and
isolates, lone surrogates, and the non-characters U+FFFE and U+FFFF.

FAIL::

    - id: req.inf.ntw.03
      title: "Central\\x1b[2Jadministration"

PASS::

    - id: req.inf.ntw.03
      title: Central administration
"""

from __future__ import annotations

import re

from ra2docs.findings import Finding

CODE = "RA604"
NAME = "control-character"
SEVERITY = "error"
SUMMARY = "Catalogue text holds a control, bidirectional or surrogate character (replaced by U+FFFD)."

UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
)
# What YAML lets through unescaped (the rest it refuses as syntax errors): one scan
# of a file's text says whether its plain and single-quoted values need a look.
RAW = re.compile("[\x85\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
REPLACEMENT = "\ufffd"


def control_character(char: str, count: int) -> Finding:
    more = f" (and {count - 1} more in this value)" if count > 1 else ""
    return Finding(
        CODE,
        f"control character U+{ord(char):04X} in text{more}; replaced by U+FFFD",
        suggestion="remove it; write a line break as a new line of a block scalar (|), not as an escape",
    )


def clean(text: str) -> tuple[str, list[str]]:
    """``text`` with every unsafe character replaced, and the characters replaced."""
    found = UNSAFE.findall(text)
    return (UNSAFE.sub(REPLACEMENT, text) if found else text), found
