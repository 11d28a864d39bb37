"""A link points at an item whose status is ``retired``.

A retired item stays in the catalogue so that its ID keeps resolving, but
nothing current should trace to it.

FAIL::

    - {id: ra2.k8s.005, kind: specification, status: retired}
    - {id: k8s_version, kind: test-case, verifies: [ra2.k8s.005]}

PASS: link to the item that replaced it.
"""

from __future__ import annotations

from collections.abc import Iterator

from ra2docs.context import CheckContext
from ra2docs.findings import Finding

CODE = "RA406"
NAME = "link-to-retired"
SEVERITY = "warning"
SUMMARY = "A link points at an item whose status is 'retired'."


def check(ctx: CheckContext) -> Iterator[Finding]:
    items = ctx.catalogue.items
    for link in ctx.catalogue.links:
        target = items.get(link.target)
        if target is not None and target.status == "retired":
            yield Finding.at_link(
                CODE,
                f"{link.field} {link.target!r}, which is retired",
                link,
                suggestion="link to the item that replaced it",
            )
