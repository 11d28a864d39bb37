"""What a check rule sees: the loaded catalogue and its trace graph."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ra2docs.graph import TraceGraph
from ra2docs.model import Catalogue
from ra2docs.suggest import IdIndex


@dataclass
class CheckContext:
    catalogue: Catalogue
    options: dict[str, object] = field(default_factory=dict)

    @cached_property
    def graph(self) -> TraceGraph:
        return TraceGraph(self.catalogue)

    @cached_property
    def ids(self) -> IdIndex:
        """The catalogue's IDs filed for did-you-mean hints, shared by the rules that give them."""
        return IdIndex(self.catalogue.items.keys())

    @cached_property
    def gaps(self) -> Any:
        """Computed gaps, shared by the coverage rules."""
        from ra2docs.coverage import computed_gaps

        return computed_gaps(self.graph)
