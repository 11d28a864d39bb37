"""An item names a profile or a source that the catalogue does not define.

Profile values are keyed by profile ID (``basic``, ``network-intensive``) and
``source`` names an entry of ``sources:``; an unknown one is usually a typo.

FAIL::

    - id: i.cap.018
      kind: rm-capability
      values: {basic: Not required, network-intensve: Must support}

PASS::

    - id: i.cap.018
      kind: rm-capability
      values: {basic: Not required, network-intensive: Must support}
"""

from __future__ import annotations

from collections.abc import Iterator

from ra2docs.context import CheckContext
from ra2docs.findings import Finding
from ra2docs.schema import did_you_mean

CODE = "RA402"
NAME = "unknown-reference"
SEVERITY = "error"
SUMMARY = "A profile value or a source names a profile or source that is not defined."


def check(ctx: CheckContext) -> Iterator[Finding]:
    cat = ctx.catalogue
    for item in cat.items.values():
        for profile in item.values:
            if profile not in cat.profiles:
                hint = did_you_mean(profile, list(cat.profiles))
                yield Finding.at_item(
                    CODE,
                    f"unknown profile {profile!r} in values",
                    item,
                    suggestion=f"did you mean {hint!r}?" if hint else "define it under 'profiles:'",
                )
        source = item.data.get("source")
        if source and source not in cat.sources:
            hint = did_you_mean(str(source), list(cat.sources))
            yield Finding.at_item(
                CODE,
                f"unknown source {source!r}",
                item,
                suggestion=f"did you mean {hint!r}?" if hint else "define it under 'sources:'",
            )
