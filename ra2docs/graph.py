"""The trace graph: items as nodes, typed links as edges (networkx).

Edges point from the item that owns the link to its target, as written:
specification -traces-> requirement, test-case -verifies-> specification,
gap -related-> item. "Forward" (downstream) traces therefore follow edges
backwards: from a requirement to the specifications that satisfy it and on
to the tests that verify those.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property

import networkx as nx

from ra2docs.kinds import reverse_names
from ra2docs.model import Catalogue, Item, Link, natural_key


class TraceGraph:
    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self.graph: nx.MultiDiGraph = nx.MultiDiGraph()
        self.reverse_name = reverse_names(catalogue.kinds)
        for item in catalogue.items.values():
            self.graph.add_node(item.id, kind=item.kind)
        self.dangling: list[Link] = []
        for link in catalogue.links:
            if link.target in catalogue.items:
                self.graph.add_edge(link.source, link.target, key=link.field, link=link)
            else:
                self.dangling.append(link)

    # -- one item -----------------------------------------------------------

    def outgoing(self, item_id: str) -> list[tuple[str, str]]:
        """(link field, target) pairs written on the item."""
        if item_id not in self.graph:
            return []
        pairs = {(key, target) for _, target, key in self.graph.out_edges(item_id, keys=True)}
        return sorted(pairs, key=lambda p: (p[0], natural_key(p[1])))

    def incoming(self, item_id: str) -> list[tuple[str, str]]:
        """(reverse link name, source) pairs derived from other items' links."""
        if item_id not in self.graph:
            return []
        pairs = {
            (self.reverse_name.get(key, key), source) for source, _, key in self.graph.in_edges(item_id, keys=True)
        }
        return sorted(pairs, key=lambda p: (p[0], natural_key(p[1])))

    def sources_of(self, item_id: str, field: str | None = None, kind: str | None = None) -> list[str]:
        """IDs of items linking to ``item_id`` (optionally through ``field``, of ``kind``)."""
        if item_id not in self.graph:
            return []
        found = {
            source
            for source, _, key in self.graph.in_edges(item_id, keys=True)
            if (field is None or key == field) and (kind is None or self.kind(source) == kind)
        }
        return sorted(found, key=natural_key)

    def targets_of(self, item_id: str, field: str | None = None) -> list[str]:
        if item_id not in self.graph:
            return []
        found = {t for _, t, key in self.graph.out_edges(item_id, keys=True) if field is None or key == field}
        return sorted(found, key=natural_key)

    def kind(self, item_id: str) -> str:
        return str(self.graph.nodes[item_id]["kind"])

    def item(self, item_id: str) -> Item:
        return self.catalogue.items[item_id]

    # -- whole graph --------------------------------------------------------

    @cached_property
    def simple(self) -> nx.DiGraph:
        return nx.DiGraph(self.graph)

    def downstream(self, item_id: str) -> set[str]:
        """Everything that (transitively) links to the item: specs, then tests."""
        return set(nx.ancestors(self.simple, item_id)) if item_id in self.simple else set()

    def upstream(self, item_id: str) -> set[str]:
        """Everything the item (transitively) links to."""
        return set(nx.descendants(self.simple, item_id)) if item_id in self.simple else set()

    def neighbourhood(self, item_id: str, depth: int = 1) -> set[str]:
        undirected = self.simple.to_undirected(as_view=True)
        if item_id not in undirected:
            return set()
        return set(nx.single_source_shortest_path_length(undirected, item_id, cutoff=depth))

    def cycles(self) -> list[list[str]]:
        return [sorted(c, key=natural_key) for c in nx.simple_cycles(self.simple)]

    def orphans(self, kinds: Iterable[str] | None = None) -> list[str]:
        """Items with no link in either direction."""
        wanted = set(kinds) if kinds is not None else None
        return sorted(
            (n for n in self.graph.nodes if self.graph.degree(n) == 0 and (wanted is None or self.kind(n) in wanted)),
            key=natural_key,
        )
