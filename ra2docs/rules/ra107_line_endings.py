"""A catalogue file whose lines end in CR LF (or CR) instead of LF (doc8's D004, for catalogue files).

RA2's tox job runs doc8 on the chapters, whose rule D004 refuses carriage
returns. The texts that moved into the catalogue keep that rule: the reader
reports a catalogue file with a carriage return at a line's end, at its first
one. (YAML turns such line ends into LF, so the texts themselves never hold
one; a carriage return inside a text is RA604's.) Usually an editor or git's
``core.autocrlf`` wrote the file.

FAIL (``␍`` stands for a carriage return)::

    items:␍
      - id: ra2.ch.001␍

PASS::

    items:
      - id: ra2.ch.001
"""

from __future__ import annotations

from ra2docs.findings import Finding

CODE = "RA107"
NAME = "line-endings"
SEVERITY = "warning"
SUMMARY = "A catalogue file's lines end in CR LF or CR, not LF (doc8 D004)."


def carriage_returns(count: int) -> Finding:
    return Finding(
        CODE,
        f"line ends in a carriage return ({count} in this file): lines must end in LF alone",
        suggestion="convert the file to LF line endings (dos2unix, or your editor's line-ending setting)",
    )
