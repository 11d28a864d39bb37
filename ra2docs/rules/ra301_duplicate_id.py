"""The same ID is defined twice; both places are named.

IDs are global across the catalogue: a link to a duplicated ID is
ambiguous. Upstream RA2 of August 2020 defines ``ra2.ch.015`` twice.

FAIL::

    - id: ra2.ch.015
      title: Physical NIC Speed - Network Intensive Profile
    - id: ra2.ch.015
      title: Physical PCIe slots

PASS: give the second one a new ID (``ra2.ch.022``) and record the change.

An item listed twice in its own section's table (``listings``) is reported
too, as a warning: that is how ``ra2docs import`` keeps two upstream rows
that share an ID, and the import report names the second row
(``given_to_two_rows``).
"""

from __future__ import annotations

from collections.abc import Iterator

from ra2docs.context import CheckContext
from ra2docs.findings import Finding
from ra2docs.model import Definition

CODE = "RA301"
NAME = "duplicate-id"
SEVERITY = "error"
SUMMARY = "An ID is defined more than once in the catalogue."


def check(ctx: CheckContext) -> Iterator[Finding]:
    """Duplicates the loader could not see: an item listed again in its own section's table.

    ``ra2docs import`` keeps two upstream rows that share an ID this way (the
    second as a listing of the first), so that nothing is lost; the ID still
    needs fixing upstream.
    """
    for item in ctx.catalogue.items.values():
        for listing in item.data.get("listings") or []:
            if isinstance(listing, dict) and item.section and str(listing.get("section", "")) == item.section:
                finding = Finding.at_item(
                    CODE,
                    f"two rows of the table of section {item.section} have the ID {item.id!r} "
                    "(the second is kept as a listing of the first)",
                    item,
                    suggestion="give the second row its own ID",
                )
                finding.severity = "warning"
                yield finding


def already_defined(ident: str, first: Definition) -> Finding:
    """An item's ID that an item read before it has (in this file or another)."""
    return Finding(
        CODE,
        f"ID {ident!r} is already defined at {first.file}:{first.line}",
        item=ident,
        suggestion="give one of the two a new ID; every ID must be unique across the catalogue",
    )


def defined_twice(what: str, ident: str) -> Finding:
    """A profile, section, source or comparison defined again."""
    return Finding(CODE, f"{what} {ident!r} is defined twice", item=ident)


def given_to_two_rows(ident: str, first_line: int) -> Finding:
    """``ra2docs import``: one table gives an ID to two different rows (the second is kept as a listing)."""
    return Finding(
        CODE,
        f"ID {ident!r} is given to two different rows of one table (first at line {first_line}): "
        "the second row is kept as a listing of the first; give one of them a new ID",
        item=ident,
    )
