"""What a check rule sees: the loaded catalogue and its trace graph; what a check run is told."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ra2docs.findings import SeveritySetting
from ra2docs.graph import TraceGraph
from ra2docs.model import Catalogue
from ra2docs.suggest import IdIndex


@dataclass(frozen=True)
class CheckOptions:
    """What a check run takes from the settings (``Settings.check_options``); the defaults: none of it."""

    severity: Mapping[str, SeveritySetting] = field(default_factory=dict)  # rule code or name -> its severity
    baseline: Counter[str] | None = None  # the fingerprints of known findings (ra2docs.baseline), when there is one
    baseline_file: str = ""  # where those were read, for the finding about entries that match nothing


@dataclass
class CheckContext:
    catalogue: Catalogue
    options: CheckOptions = field(default_factory=CheckOptions)

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
