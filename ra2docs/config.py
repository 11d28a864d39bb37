"""``[tool.ra2docs]`` settings from pyproject.toml."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from ra2docs.findings import Finding, Ra2docsError


def find_pyproject(start: Path) -> Path | None:
    for folder in [start, *start.parents]:
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load_config(path: Path | None) -> dict[str, Any]:
    """The ``[tool.ra2docs]`` table (empty when there is none)."""
    if path is None:
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise Ra2docsError(
            f"{path}: cannot read settings: {exc}",
            [Finding("RA101", f"cannot read settings: {exc}", str(path))],
        ) from None
    table = data.get("tool", {}).get("ra2docs", {})
    return table if isinstance(table, dict) else {}
