"""Catalogue text whose reStructuredText would not render as written, or would fail the build.

Catalogue text is reStructuredText from an allowlist (``ra2docs.markup``):
the site renders it as markup in tables. Each text is parsed by docutils
alone (nothing run, no file read) and the tree it gives is walked, so the
check sees what Sphinx would build, a directive inside a list item or a
table cell included. This rule reports, before Sphinx does, what would be
shown escaped with a warning or make docutils warn (a build run with ``-W``
fails on either): roles, directives and node types outside the allowlist;
links other than http, https, mailto, relative or in-page ones (judged on
the address docutils made, after it removed blanks and backslashes);
targets, labels (``:name:``), named links (```text <uri>`_``, which define a
target) and definitions; section titles and transitions; inline markup that
is opened and never closed (``*Note``); a ``::`` with no literal block after
it. Parsing stops at the first warning, so a text's first such problem is
reported.

Titles and other one-line fields (``string`` fields: title, category, unit,
...) are words in a table cell or a heading: they must not start a list, a
field list, a line block, a comment or a transition either, as
``• Basic``, ``iv. Storage`` or ``~~~~`` would.

FAIL::

    - id: req.inf.ntw.03
      title: iv. Centrally administered
      statement: "*Note: the networking solution :raw:`<b>`must</b>` ..."

PASS::

    - id: req.inf.ntw.03
      title: Centrally administered
      statement: "*Note:* the networking solution **must** ..."
"""

from __future__ import annotations

import string
from collections.abc import Iterator
from typing import Any

from ra2docs.context import CheckContext
from ra2docs.findings import Finding
from ra2docs.kinds import COMMON_FIELDS
from ra2docs.markup import block_start, is_plain, problems
from ra2docs.model import Item

CODE = "RA603"
NAME = "markup-not-allowed"
SEVERITY = "error"
SUMMARY = "Catalogue text holds markup that is not allowed, or would break the build (or a title starts a list)."

# Shown as computed plain text or as links, never parsed as markup.
_NOT_MARKUP = {"id", "kind", "priority", "status", "section", "changed", "match"}
_PUNCTUATION = frozenset(string.punctuation)


def check(ctx: CheckContext) -> Iterator[Finding]:
    kinds = ctx.catalogue.kinds
    # Per kind: the fields never parsed as markup, and the one-line (string) fields.
    skipped = {kind: _NOT_MARKUP | set(spec.links) for kind, spec in kinds.items()}
    one_lines = {
        kind: {name for name, field in {**COMMON_FIELDS, **spec.fields}.items() if field.get("type") == "string"}
        for kind, spec in kinds.items()
    }
    for item in ctx.catalogue.items.values():
        if item.kind not in kinds:
            continue
        skip, one_line = skipped[item.kind], one_lines[item.kind]
        for name, value in item.data.items():
            if name in skip:
                continue
            for where, text in _texts(name, value):
                yield from _text_findings(item, where, text, where in one_line)


def _texts(name: str, value: Any) -> Iterator[tuple[str, str]]:
    """Each text a field shows, named as a reader finds it: 'title', 'values.basic', 'listings[1].cells.spec'."""
    if isinstance(value, str):
        yield name, value
    elif isinstance(value, list):
        if all(isinstance(v, str) for v in value):
            yield name, ", ".join(value)  # tags: shown joined
        else:
            for index, entry in enumerate(value):
                if isinstance(entry, dict):
                    for key, inner in entry.items():
                        if key not in _NOT_MARKUP:
                            yield from _texts(f"{name}[{index + 1}].{key}", inner)
    elif isinstance(value, dict):
        for key, inner in value.items():
            yield from _texts(f"{name}.{key}", inner)


def _text_findings(item: Item, where: str, text: str, one_line: bool) -> Iterator[Finding]:
    if is_plain(text) and text[:1] not in _PUNCTUATION:
        return
    start = block_start(text.strip()) if one_line else ""
    if start:
        yield Finding.at_item(
            CODE,
            f"{where} {start}: {_excerpt(text)}",
            item,
            suggestion="reword it, or write a backslash before its first character",
        )
    multi_line = "\n" in text.strip()
    for problem in problems(text):
        if start and problem.message.startswith("a transition"):
            continue  # said already, as a one-line field's
        line = f" (line {problem.line} of the text)" if multi_line else ""
        yield Finding.at_item(
            CODE,
            f"{where}: {problem.message}{line}",
            item,
            suggestion="write it as plain text or with allowed markup; a backslash makes a character plain",
        )


def _excerpt(text: str) -> str:
    flat = " ".join(text.split())
    return repr(flat if len(flat) <= 40 else flat[:39] + "…")
