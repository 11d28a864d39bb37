"""The IDs a table column shows for a row, derived from the links, and the IDs a cell text names.

One truth for the renderers (``ra2docs.views.items``) and for the check that
keeps upstream's wording of a link column in step with the links (RA407).
"""

from __future__ import annotations

import re
from collections.abc import Container

from ra2docs.graph import TraceGraph
from ra2docs.markup import plain_text
from ra2docs.model import Catalogue, Item

# An RA2 or Reference Model ID as prose writes it: a letter first, three parts or more, a number last
# (e.cap.013, gen.cnt.02, ra2.ch.001, infra.hw.cpu.cfg.004); 'e.g.' or 'Chapter 5.1.5' are not.
_ID_SHAPE = re.compile(r"[a-z][a-z0-9_-]*(?:\.[a-z0-9_-]+){2,}")
_TOKEN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")


def row_items(item: Item, catalogue: Catalogue) -> list[Item]:
    """The items a row stands for: the item, then those of its ``row-with`` that exist."""
    members = [catalogue.items[i] for i in item.data.get("row-with") or [] if i in catalogue.items]
    return [item, *members]


def derived_ids(key: str, item: Item, graph: TraceGraph) -> list[str] | None:
    """The IDs column ``key`` shows for an item's row, from its links (None: not a column of IDs).

    For a row of several items (``row-with``) the IDs of all of them. Links
    to missing items count as written (a dangling link is rule RA401's).
    """
    catalogue = graph.catalogue
    group = row_items(item, catalogue)
    if key == "id":
        return [item.id, *[str(i) for i in item.data.get("row-with") or []]]
    kinds = catalogue.kinds
    reverse = {link.reverse: link.name for kind in kinds.values() for link in kind.links.values()}
    spec = kinds.get(item.kind)
    found: set[str] = set()
    for member in group:
        if key == "links":
            found.update(t for _, t in graph.outgoing(member.id))
        elif key == "incoming":
            found.update(s for _, s in graph.incoming(member.id))
        elif key == "spec-ref":
            found.update(graph.sources_of(member.id, field="traces", kind="specification"))
        elif spec is not None and key in spec.links:
            found.update(t for name, t in graph.outgoing(member.id) if name == key)
            found.update(link.target for link in graph.dangling if link.source == member.id and link.field == key)
        elif key in reverse:
            found.update(graph.sources_of(member.id, field=reverse[key]))
        else:
            return None
    return graph.sort_ids(found)


def named_ids(text: str, known: Container[str]) -> list[str]:
    """The IDs a cell text names, in order, once each: known IDs, and words shaped like an ID."""
    found: list[str] = []
    for token in _TOKEN.findall(plain_text(text)):
        token = token.rstrip(".-")
        is_id = token in known or (_ID_SHAPE.fullmatch(token) is not None and token[-1].isdigit())
        if is_id and token not in found:
            found.append(token)
    return found
