"""An item whose ID is another defined ID without its ``req.`` prefix.

RA2 chapter 2 of August 2020 lists the Reference Model's security
requirements as ``sec.gen.001`` ... while the Reference Model (chapter 7)
defines them as ``req.sec.gen.001`` ...: two items for one requirement, and
links that reach only one of them.

FAIL::

    - {id: sec.gen.001, kind: rm-requirement}        # listed by RA2
    - {id: req.sec.gen.001, kind: rm-requirement}    # defined by the RM

PASS: list it under the Reference Model's ID, ``req.sec.gen.001``, once.
"""

from __future__ import annotations

from collections.abc import Iterator

from ra2docs.context import CheckContext
from ra2docs.findings import Finding

CODE = "RA305"
NAME = "misquoted-id"
SEVERITY = "error"
SUMMARY = "An item's ID is another defined ID without its 'req.' prefix (one requirement, two IDs)."


def check(ctx: CheckContext) -> Iterator[Finding]:
    items = ctx.catalogue.items
    for item in items.values():
        canonical = items.get(f"req.{item.id}")
        if canonical is None:
            continue
        yield Finding.at_item(
            CODE,
            f"{item.id!r} is also defined as {canonical.id!r} ({canonical.file}:{canonical.line})",
            item,
            suggestion=f"did you mean {canonical.id!r}? Keep one item under that ID and link to it",
        )
