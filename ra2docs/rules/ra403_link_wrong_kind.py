"""A link points at an item of a kind the link does not allow.

Each link field lists the kinds it may point at (``ra2docs/kinds.yaml``): a
specification ``traces`` to Reference Model items and RA2 requirements, a
test case ``verifies`` requirements and specifications, a gap is ``related``
to requirements and specifications.

FAIL::

    - id: ra2.ch.001
      kind: specification
      traces: [ra2.ch.002]          # a specification, not a requirement

PASS::

    - id: ra2.ch.001
      kind: specification
      traces: [infra.com.cfg.004]
"""

from __future__ import annotations

from collections.abc import Iterator

from ra2docs.context import CheckContext
from ra2docs.findings import Finding

CODE = "RA403"
NAME = "link-wrong-kind"
SEVERITY = "error"
SUMMARY = "A link points at an item of a kind that the link field does not allow."


def check(ctx: CheckContext) -> Iterator[Finding]:
    cat = ctx.catalogue
    for link in cat.links:
        target = cat.items.get(link.target)
        source = cat.items.get(link.source)
        if target is None or source is None:
            continue
        spec = cat.kinds[source.kind].links.get(link.field)
        if spec is None or target.kind in spec.targets:
            continue
        yield Finding.at_link(
            CODE,
            f"{link.field} {link.target!r}, a {cat.kinds[target.kind].label}; "
            f"{link.field} may point at: {', '.join(spec.targets)}",
            link,
            suggestion="link to an item of an allowed kind, or move the link to the item that owns it",
        )
