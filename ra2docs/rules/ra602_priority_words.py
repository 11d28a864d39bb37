"""A statement whose RFC 2119 words disagree with the item's declared priority.

The first keyword of the statement ("must", "must not", "should", "should
not", "may"; "shall" counts as "must") has to match ``priority``.

FAIL::

    - id: req.inf.ntw.03
      priority: MUST
      statement: The networking solution should be centrally administered.

PASS::

    - id: req.inf.ntw.03
      priority: SHOULD
      statement: The networking solution should be centrally administered.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ra2docs.context import CheckContext
from ra2docs.findings import Finding

CODE = "RA602"
NAME = "priority-words"
SEVERITY = "warning"
SUMMARY = "The RFC 2119 words of a statement disagree with the declared priority."

_KEYWORD = re.compile(r"\b(must not|must|shall not|shall|should not|should|may)\b", re.IGNORECASE)
_CANONICAL = {"SHALL": "MUST", "SHALL NOT": "MUST NOT"}


def statement_priority(text: str) -> str:
    found = _KEYWORD.search(text)
    if not found:
        return ""
    word = " ".join(found.group(1).upper().split())
    return _CANONICAL.get(word, word)


def check(ctx: CheckContext) -> Iterator[Finding]:
    for item in ctx.catalogue.items.values():
        declared = item.priority
        if not declared:
            continue
        text = str(item.data.get("statement") or item.data.get("description") or item.data.get("details") or "")
        said = statement_priority(text)
        if said and said != declared:
            yield Finding.at_item(
                CODE,
                f"priority is {declared}, but the statement says {said.lower()!r}",
                item,
                suggestion=f"set 'priority: {said}' or reword the statement",
            )
