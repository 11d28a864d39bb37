"""A link names an ID that is not in the catalogue.

The hint names the defined ID that was most likely meant: a renamed prefix
(``nfvi.com.cfg.004`` is now ``infra.com.cfg.004``), a dropped ``req.``
(``sec.gen.001`` is defined as ``req.sec.gen.001``), or a near spelling.

FAIL::

    - id: gap.hw-topology-aware-hugepages
      kind: gap
      related: [nfvi.com.cfg.004]

PASS::

    - id: gap.hw-topology-aware-hugepages
      kind: gap
      related: [infra.com.cfg.004]

``ra2docs import`` reports the same in upstream chapters: a requirement whose
Specification Reference cites a specification no table defines.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator

from ra2docs.context import CheckContext
from ra2docs.findings import Finding
from ra2docs.suggest import IdIndex, suggest_id

CODE = "RA401"
NAME = "dangling-link"
SEVERITY = "error"
SUMMARY = "A link points at an ID that no item defines (with a did-you-mean)."


def check(ctx: CheckContext) -> Iterator[Finding]:
    for link in ctx.graph.dangling:
        hint = ctx.ids.suggest(link.target)
        yield Finding.at_link(
            CODE,
            f"{link.field} {link.target!r}: no such item",
            link,
            suggestion=f"did you mean {hint!r}?" if hint else "add the item to the catalogue, or fix the ID",
        )


def unknown_id(target: str, known: IdIndex | Collection[str]) -> Finding:
    """An ID named outside the catalogue (a role, a directive in a chapter) that no item defines.

    The one wording of an unknown ID, for every place that names one; the
    caller places it (``Finding.placed``) or logs ``message`` and ``suggestion``.
    """
    hint = suggest_id(target, known)
    return Finding(
        CODE,
        f"unknown catalogue ID {target!r}",
        item=target,
        suggestion=f"did you mean {hint!r}?" if hint else "add the item to the catalogue, or fix the ID",
    )


def cites_undefined_specification(requirement: str, specification: str) -> Finding:
    """``ra2docs import``: chapter 2 cites a specification that no table of the chapters defines."""
    message = f"{requirement} cites specification {specification!r}, which no table defines"
    return Finding(CODE, message, item=requirement)
