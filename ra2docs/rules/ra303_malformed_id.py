r"""An ID that does not have the form of its kind.

Each kind declares the shape of its IDs in ``ra2docs/kinds.yaml``, and a
project's settings may change it (``ids = "ra2-today"`` for today's
``gen.cnt.02``, or a pattern per kind under ``[id-patterns]``): RA2
requirements are ``req.<cat>.<sub>.NN`` (2020), specifications ``ra2.<section>.NNN``,
Reference Model items dotted names ending in three digits (or the interface
options ``n1`` ... ``n600``). Typos (``nn10``), template rows (``e.pm.xxx``,
``<Testing>``), a missing prefix (``gen.cnt.02``) or a stray space
(``infra.hw.pci.cfg. 001``) all show up here.

An ID holding a line break, a tab or any other character that is not
printable (other than a plain space) is not loaded at all, whatever this
rule's severity: IDs are written into every output (tables, links, the
expanded reStructuredText, reports), and there such a character would end a
line and start markup of its own.

FAIL::

    - {id: gen.cnt.02, kind: ra-requirement}
    - {id: "req.inf.ntw.01\n\n.. include:: /etc/passwd", kind: ra-requirement}

PASS::

    - {id: req.gen.cnt.02, kind: ra-requirement}
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ra2docs.context import CheckContext
from ra2docs.findings import Finding
from ra2docs.settings import ID_PRESETS, SETTINGS_FILE

CODE = "RA303"
NAME = "malformed-id"
SEVERITY = "error"
SUMMARY = "An ID does not have the form its kind requires."


def unprintable(ident: str) -> str:
    """The first character of ``ident`` no output may receive in an ID ('' when there is none)."""
    return next((c for c in ident if c != " " and not c.isprintable()), "")


def unprintable_id(ident: str, character: str) -> Finding:
    return Finding(
        CODE,
        f"{ident!r} holds U+{ord(character):04X}, which no ID may hold; the item is not loaded",
        suggestion="write the ID on one line, with printable characters only",
    )


def check(ctx: CheckContext) -> Iterator[Finding]:
    kinds = ctx.catalogue.kinds
    for item in ctx.catalogue.items.values():
        kind = kinds[item.kind]
        if kind.id_pattern.fullmatch(item.id):
            continue
        hint = ctx.ids.suggest(item.id.replace(" ", ""), exclude=item.id) if " " in item.id else ""
        suggestion = f"did you mean {hint!r}?" if hint else "write the ID in the form the spec uses for this kind"
        if not hint and item.kind == "ra-requirement":
            preset = next((name for name, p in ID_PRESETS.items() if re.fullmatch(p[item.kind], item.id)), "")
            if preset:
                suggestion = (
                    f'this is the {preset} form of RA2 requirement IDs: set ids = "{preset}" in {SETTINGS_FILE} '
                    "if the whole catalogue uses it"
                )
        yield Finding.at_item(
            CODE,
            f"{item.id!r} is not a well-formed {kind.label} ID (expected {kind.id_pattern.pattern})",
            item,
            suggestion=suggestion,
        )
