"""JSON objects whose keys appear once: ``json`` silently keeps the last of two equal keys."""

from __future__ import annotations

from typing import Any


class DuplicateKeyError(ValueError):
    """An object of the JSON text names this key twice (the key is the message)."""


def no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """``object_pairs_hook`` for ``json``: the object, or DuplicateKeyError naming the repeated key."""
    mapping: dict[str, Any] = {}
    for key, value in pairs:
        if key in mapping:
            raise DuplicateKeyError(key)
        mapping[key] = value
    return mapping
