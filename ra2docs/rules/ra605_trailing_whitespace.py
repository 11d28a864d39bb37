"""A line of catalogue text that ends in spaces or tabs (doc8's D002, for the text now in YAML).

RA2's tox job runs doc8 on the chapters, whose rule D002 refuses trailing
whitespace. Once a text lives in the catalogue doc8 no longer sees it, yet it
still reaches reStructuredText: the chapters that ``ra2docs expand`` writes for
the Word document, and the pages. A block scalar (``|``) keeps the blanks at a
line's end, and so does a quoted value (``"Huge pages "``); a plain value
loses them, and is never reported.

FAIL::

    - id: ra2.ch.001
      details: |
        The node must allow Huge pages.···
        It must expose them as schedulable resources.

PASS::

    - id: ra2.ch.001
      details: |
        The node must allow Huge pages.
        It must expose them as schedulable resources.

(``·`` stands for a space.)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ra2docs.context import CheckContext
from ra2docs.findings import Finding

CODE = "RA605"
NAME = "trailing-whitespace"
SEVERITY = "warning"
SUMMARY = "A line of catalogue text ends in spaces or tabs (doc8 D002)."

_NOT_TEXT = {"id", "kind", "changed", "match"}


def check(ctx: CheckContext) -> Iterator[Finding]:
    for item in ctx.catalogue.items.values():
        for name, value in item.data.items():
            if name in _NOT_TEXT:
                continue
            for where, text in _texts(name, value):
                lines = text.split("\n")
                ending = [n for n, line in enumerate(lines, 1) if line != line.rstrip(" \t")]
                if not ending:
                    continue
                place = f" (line {', '.join(map(str, ending[:5]))} of the text)" if len(lines) > 1 else ""
                yield Finding.at_item(
                    CODE,
                    f"{where}: trailing whitespace{place}",
                    item,
                    suggestion="delete the spaces or tabs at the end of the line",
                )


def _texts(name: str, value: Any) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield name, value
    elif isinstance(value, list):
        for index, entry in enumerate(value):
            yield from _texts(f"{name}[{index + 1}]", entry)
    elif isinstance(value, dict):
        for key, inner in value.items():
            if key not in _NOT_TEXT:
                yield from _texts(f"{name}.{key}", inner)
