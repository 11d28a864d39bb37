"""The catalogue as loaded: items, links, profiles, sources and comparisons."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar, cast

from ra2docs.kinds import KindSpec


@dataclass
class Item:
    id: str
    kind: str
    data: dict[str, Any]  # the item as written, scalars normalised to text
    file: str
    line: int
    # Where each text of the item starts ('details', 'cells.traces', ...): messages about its markup name that line.
    lines: dict[str, int] = field(default_factory=dict)

    def line_of(self, key: str) -> int:
        """The line a field's text starts on (a cell's: ``cells.<key>`` or the key itself), else the item's."""
        return self.lines.get(key) or self.lines.get(f"cells.{key}") or self.line

    @property
    def title(self) -> str:
        return str(self.data.get("title", ""))

    @property
    def section(self) -> str:
        return str(self.data.get("section", ""))

    @property
    def status(self) -> str:
        return str(self.data.get("status", "open" if self.kind == "gap" else "active"))

    @property
    def text(self) -> str:
        """The item's main prose: statement, details or description."""
        for key in ("statement", "details", "description"):
            if self.data.get(key):
                return str(self.data[key])
        return ""

    @property
    def values(self) -> dict[str, str]:
        return dict(self.data.get("values") or {})

    @property
    def priority(self) -> str:
        return str(self.data.get("priority", ""))

    def label(self) -> str:
        """``Title (id)`` as tables and comparisons show it."""
        return f"{self.title} ({self.id})" if self.title else self.id


@dataclass(frozen=True)
class Link:
    source: str
    field: str
    target: str
    file: str
    line: int
    column: int


@dataclass
class Profile:
    id: str
    title: str
    description: str = ""


@dataclass
class Section:
    id: str  # the number: '2.2.1'
    title: str
    caption: str = ""


@dataclass
class Source:
    id: str
    title: str
    version: str = ""
    url: str = ""
    license: str = ""
    attribution: str = ""


@dataclass
class ComparisonCell:
    level: str
    note: str = ""


@dataclass
class ComparisonRow:
    item: str
    label: str
    cells: dict[str, ComparisonCell]
    line: int


@dataclass
class Comparison:
    id: str
    title: str
    row_header: str
    solutions: list[tuple[str, str]]  # (id, title)
    levels: list[tuple[str, str]]  # (id, label)
    notes: list[tuple[str, str]]  # (id, text)
    rows: list[ComparisonRow]
    file: str
    line: int

    def level_label(self, level: str) -> str:
        return dict(self.levels).get(level, level)


@dataclass
class Definition:
    """Where a named thing (item, profile, ...) is written."""

    file: str
    line: int
    column: int = 1


_T = TypeVar("_T")


@dataclass
class Catalogue:
    root: Path
    kinds: dict[str, KindSpec]
    items: dict[str, Item] = field(default_factory=dict)
    links: list[Link] = field(default_factory=list)
    profiles: dict[str, Profile] = field(default_factory=dict)
    sections: dict[str, Section] = field(default_factory=dict)
    retired: dict[str, Definition] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    comparisons: dict[str, Comparison] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    # every definition of every ID, so duplicates can name both places
    definitions: dict[str, list[Definition]] = field(default_factory=dict)
    # what views derive from the catalogue once (it does not change once loaded), by name: see memo()
    _derived: dict[str, object] = field(default_factory=dict, init=False, repr=False, compare=False)

    def memo(self, name: str, make: Callable[[], _T], fresh: Callable[[_T], bool] = lambda _value: True) -> _T:
        """What ``make`` derives from this catalogue, made once and kept under ``name`` while ``fresh`` holds."""
        kept = self._derived.get(name)
        if kept is not None and fresh(cast(_T, kept)):  # a name only ever holds what its make gave
            return cast(_T, kept)
        made = make()
        self._derived[name] = made
        return made

    def by_kind(self, kind: str) -> list[Item]:
        return sorted((i for i in self.items.values() if i.kind == kind), key=lambda i: natural_key(i.id))

    def sorted_items(self) -> list[Item]:
        return sorted(self.items.values(), key=lambda i: (list(self.kinds).index(i.kind), natural_key(i.id)))


# ASCII digits only: \d and str.isdigit() also take '²' or '٣', which int() refuses or reads as another number.
_NUM = re.compile(r"([0-9]+)")


@lru_cache(maxsize=65536)
def natural_key(text: str) -> tuple[str | tuple[int, str], ...]:
    """Sort 'ra2.ch.2' before 'ra2.ch.10' and '2.2.10' after '2.2.9'.

    Total and linear for any text: a number compares by its count of digits
    (leading zeros aside), then by its digits, as int() would order it; it is
    never converted, so neither '2²' nor a 5,000-digit number (past Python's
    limit on int() of text) can fail. Text parts and number parts alternate
    (the split starts with text), so two keys always compare part by part.
    """
    parts: list[str | tuple[int, str]] = list(_NUM.split(text))
    for index in range(1, len(parts), 2):
        digits = str(parts[index]).lstrip("0")
        parts[index] = (len(digits), digits)
    return tuple(parts)


MANDATORY_VALUE = re.compile(r"^\s*(must(?!\s+not)|required|at least|\d)", re.IGNORECASE)


def is_mandatory_value(value: str) -> bool:
    """A profile value that obliges the platform: 'Must support', 'At least 16', '2'."""
    return bool(MANDATORY_VALUE.match(value))


def is_mandatory(item: Item, profile: str | None = None) -> bool:
    """Mandatory for the given profile (or for any profile when none is given)."""
    if item.priority in ("MUST", "MUST NOT"):
        return True
    values = item.values
    if profile is not None:
        return is_mandatory_value(str(values.get(profile, "")))
    return any(is_mandatory_value(str(v)) for v in values.values())
