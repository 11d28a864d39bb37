"""Item kinds: read from data (``kinds.yaml``), never hard-coded in the rules."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from ra2docs.patterns import Pattern

COMMON_FIELDS: dict[str, dict[str, str]] = {
    "id": {"type": "id", "doc": "The item's ID, exactly as the spec writes it (dots included)."},
    "kind": {"type": "kind", "doc": "The item's kind."},
    "title": {"type": "string", "doc": "A short label (a noun phrase)."},
    "section": {"type": "string", "doc": "The section of the spec that lists the item (e.g. '2.3')."},
    "source": {"type": "string", "doc": "ID of the source document the item comes from."},
    "notes": {"type": "text", "doc": "Editorial notes shown with the item."},
    "tags": {"type": "string-list", "doc": "Free labels for filtering."},
    "changed": {"type": "date", "doc": "Date of the item's last change (YYYY-MM-DD); results older than it are stale."},
    "cells": {
        "type": "cells",
        "doc": "What a table column (or a labelled paragraph) shows for this item where no field holds it, or where "
        "upstream words it differently from what the fields would show: column key -> reStructuredText.",
    },
    "listings": {
        "type": "listings",
        "doc": "Other tables that list the item, each with its section and the cells it shows there.",
    },
    "row-with": {
        "type": "id-list",
        "doc": "Items shown in this item's table row (a row of several IDs): their IDs, texts, values and links "
        "fill the row with this item's, and each gets its anchor there.",
    },
    "omitted-links": {
        "type": "omitted-links",
        "doc": "Links a cell deliberately does not show, by column (where upstream's tables disagree): "
        "column key -> IDs. 'ra2docs check' verifies on every run that each is still a link, and that a "
        "cell text shows every other link (rule RA407).",
    },
}


@dataclass(frozen=True)
class LinkSpec:
    name: str
    targets: tuple[str, ...]
    reverse: str
    doc: str


@dataclass(frozen=True)
class KindSpec:
    name: str
    label: str
    plural: str
    owner: str
    id_pattern: Pattern  # Python's re for the built-in kinds, RE2 for a project's own patterns
    fields: dict[str, dict[str, str]]
    links: dict[str, LinkSpec] = field(default_factory=dict)


def parse_kinds(data: Mapping[str, Mapping[str, Any]]) -> dict[str, KindSpec]:
    """Kind specs from the parsed YAML of a kinds file (its values are whatever YAML made of them)."""
    kinds: dict[str, KindSpec] = {}
    for name, spec in data.items():
        links = {
            link_name: LinkSpec(
                name=link_name,
                targets=tuple(link["targets"]),
                reverse=str(link["reverse"]),
                doc=str(link.get("doc", "")),
            )
            for link_name, link in (spec.get("links") or {}).items()
        }
        kinds[name] = KindSpec(
            name=name,
            label=str(spec["label"]),
            plural=str(spec.get("plural", spec["label"])),
            owner=str(spec.get("owner", "")),
            id_pattern=re.compile(str(spec["id-pattern"])),
            fields=dict(spec.get("fields") or {}),
            links=links,
        )
    return kinds


@lru_cache(maxsize=1)
def builtin_kinds() -> dict[str, KindSpec]:
    """The kinds shipped with ra2docs (``ra2docs/kinds.yaml``)."""
    text = resources.files("ra2docs").joinpath("kinds.yaml").read_text(encoding="utf-8")
    return parse_kinds(yaml.safe_load(text))


def reverse_names(kinds: dict[str, KindSpec]) -> dict[str, str]:
    """Map each link field to the name of its derived reverse direction."""
    return {link.name: link.reverse for kind in kinds.values() for link in kind.links.values()}
