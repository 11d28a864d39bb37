"""What two catalogues differ by, item by item: the comparison ``ra2docs diff`` makes, for other users.

``ra2docs diff`` finds renames by content and field changes between two
revisions; the history of the spec's releases (:mod:`ra2docs.history`)
needs the very same answers between two releases. They are named here so
that both use one implementation (:mod:`ra2docs.diff`, :mod:`ra2docs.renames`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ra2docs.diff import FieldChange, _field_changes
from ra2docs.model import Item
from ra2docs.renames import Renames, find_renames

__all__ = ["FieldChange", "Renames", "field_changes", "renames_by_content"]


def renames_by_content(
    old_items: dict[str, Item], new_items: dict[str, Item], removed: Iterable[str], added: Iterable[str]
) -> list[tuple[str, str]]:
    """Pairs (old, new) of a removed and an added item whose content is the same once earlier renames are applied."""
    return find_renames(old_items, new_items, list(removed), list(added), similar=False)[0]


def field_changes(old: dict[str, Any], new: dict[str, Any]) -> list[FieldChange]:
    """The fields (all but ``id``) whose value differs, in name order."""
    return _field_changes(old, new)
