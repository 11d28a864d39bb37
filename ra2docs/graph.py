"""The trace graph: items as nodes, typed links as edges.

Edges point from the item that owns the link to its target, as written:
specification -traces-> requirement, test-case -verifies-> specification,
gap -related-> item. "Forward" (downstream) traces therefore follow edges
backwards: from a requirement to the specifications that satisfy it and on
to the tests that verify those.

Every query walks plain adjacency lists, built once from the links (fast,
no import cost). networkx is used for one thing, and only when a cycle
exists: splitting the graph into its strongly connected components, each of
which is one knot of links to report (``cycles``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cached_property

from ra2docs.kinds import reverse_names
from ra2docs.model import Catalogue, Link, natural_key


def id_rank(catalogue: Catalogue) -> dict[str, int]:
    """Each item ID's place in natural order (``natural_key``), computed once per catalogue.

    Sorting IDs by their rank costs a dict lookup each. ``natural_key`` keeps 65,536 keys in
    its cache, fewer than the IDs of a catalogue of 100,000 items: there every sort of links
    recomputed the keys (57 times the calls for 10 times the items).
    """

    def ranks() -> dict[str, int]:
        # Each key computed once here, past the cache: filling it with every ID would only evict the rest.
        ordered = sorted(catalogue.items, key=natural_key.__wrapped__)
        return {item_id: index for index, item_id in enumerate(ordered)}

    return catalogue.memo("id-rank", ranks, lambda rank: len(rank) == len(catalogue.items))


class TraceGraph:
    """Queries on the links of a catalogue."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self.reverse_name = reverse_names(catalogue.kinds)
        self._out: dict[str, list[tuple[str, str]]] = {}
        self._in: dict[str, list[tuple[str, str]]] = {}
        self.dangling: list[Link] = []
        items = catalogue.items
        for link in catalogue.links:
            if link.target in items and link.source in items:
                self._out.setdefault(link.source, []).append((link.field, link.target))
                self._in.setdefault(link.target, []).append((link.field, link.source))
            elif link.target not in items:
                self.dangling.append(link)

    # -- order ------------------------------------------------------------------

    @cached_property
    def rank(self) -> dict[str, int]:
        """Each item ID's place in natural order (see ``id_rank``)."""
        return id_rank(self.catalogue)

    def sort_ids(self, ids: Iterable[str]) -> list[str]:
        """IDs in natural order: by rank when all are catalogue items' (links are), else by ``natural_key``."""
        found = list(ids)
        try:
            return sorted(found, key=self.rank.__getitem__)
        except KeyError:  # an ID no item has (a dangling link, shown as written)
            return sorted(found, key=natural_key)

    # -- one item -----------------------------------------------------------

    def outgoing(self, item_id: str) -> list[tuple[str, str]]:
        """(link field, target) pairs written on the item."""
        rank = self.rank
        return sorted(set(self._out.get(item_id, ())), key=lambda p: (p[0], rank[p[1]]))

    def incoming(self, item_id: str) -> list[tuple[str, str]]:
        """(reverse link name, source) pairs derived from other items' links."""
        pairs = {(self.reverse_name.get(name, name), source) for name, source in self._in.get(item_id, ())}
        rank = self.rank
        return sorted(pairs, key=lambda p: (p[0], rank[p[1]]))

    def iter_sources(self, item_id: str, field: str | None = None, kind: str | None = None) -> Iterator[str]:
        """IDs of items linking to ``item_id`` (optionally through ``field``, of ``kind``), unsorted."""
        items = self.catalogue.items
        return (
            source
            for name, source in self._in.get(item_id, ())
            if (field is None or name == field) and (kind is None or items[source].kind == kind)
        )

    def sources_of(self, item_id: str, field: str | None = None, kind: str | None = None) -> list[str]:
        """IDs of items linking to ``item_id`` (optionally through ``field``, of ``kind``), sorted."""
        return self.sort_ids(set(self.iter_sources(item_id, field, kind)))

    def has_source(self, item_id: str, field: str, kind: str | None = None) -> bool:
        """Whether any item links to ``item_id`` through ``field`` (cheaper than ``sources_of``)."""
        return next(self.iter_sources(item_id, field, kind), None) is not None

    def has_target(self, item_id: str, field: str) -> bool:
        """Whether the item writes any link in ``field``."""
        return any(name == field for name, _ in self._out.get(item_id, ()))

    def targets_of(self, item_id: str, field: str | None = None) -> list[str]:
        return self.sort_ids({t for name, t in self._out.get(item_id, ()) if field is None or name == field})

    # -- whole graph --------------------------------------------------------

    def downstream(self, item_id: str) -> set[str]:
        """Everything that (transitively) links to the item: specs, then tests."""
        return self._reach(item_id, self._in)

    def upstream(self, item_id: str) -> set[str]:
        """Everything the item (transitively) links to."""
        return self._reach(item_id, self._out)

    def _reach(self, start: str, adjacency: dict[str, list[tuple[str, str]]]) -> set[str]:
        seen: set[str] = set()
        stack = [start]
        while stack:
            for _, other in adjacency.get(stack.pop(), ()):
                if other not in seen and other != start:
                    seen.add(other)
                    stack.append(other)
        return seen

    def neighbourhood(self, item_id: str, depth: int = 1) -> set[str]:
        """The item and every item within ``depth`` links of it, either way."""
        if item_id not in self.catalogue.items:
            return set()
        found = {item_id}
        frontier = {item_id}
        for _ in range(depth):
            step: set[str] = set()
            for node in frontier:
                step.update(t for _, t in self._out.get(node, ()))
                step.update(s for _, s in self._in.get(node, ()))
            frontier = step - found
            found |= step
        return found

    def has_cycle(self) -> bool:
        """Depth-first search for a back edge (cheap; no networkx needed when there is none)."""
        state: dict[str, int] = {}
        for root in self._out:
            if root in state:
                continue
            stack = [(root, iter(self._out.get(root, ())))]
            state[root] = 1
            while stack:
                node, edges = stack[-1]
                for _, target in edges:
                    mark = state.get(target, 0)
                    if mark == 1:
                        return True
                    if mark == 0:
                        state[target] = 1
                        stack.append((target, iter(self._out.get(target, ()))))
                        break
                else:
                    state[node] = 2
                    stack.pop()
        return False

    def knots(self) -> list[tuple[list[str], int]]:
        """One cycle in each knot of links (strongly connected component), in link order, and the knot's size.

        Listing every simple cycle can take exponential time (twenty items all
        linking to each other hold billions), so each knot is reported once,
        by one of its cycles, starting at its first item in natural order.
        """
        if not self.has_cycle():
            return []
        import networkx as nx

        graph: nx.DiGraph[str] = nx.DiGraph()
        for source, edges in self._out.items():
            graph.add_edges_from((source, target) for _, target in edges)
        found = []
        for component in nx.strongly_connected_components(graph):
            start = min(component, key=natural_key)
            if len(component) == 1 and not graph.has_edge(start, start):
                continue
            cycle = [source for source, _ in nx.find_cycle(graph.subgraph(component), source=start)]
            first = cycle.index(min(cycle, key=natural_key))
            found.append((cycle[first:] + cycle[:first], len(component)))
        return sorted(found, key=lambda knot: natural_key(knot[0][0]))
