"""The check rules: one module per rule, discovered here.

Each module's docstring is the rule's documentation (what it checks, with
FAIL and PASS examples); the module sets ``CODE``, ``NAME``, ``SEVERITY`` and
``SUMMARY``. Rules reported while loading (syntax, schema, duplicates) have
no ``check``; the others define ``check(ctx)`` yielding findings. Adding a
rule means adding a module; nothing else changes.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from types import ModuleType
from typing import TYPE_CHECKING

from ra2docs.findings import Finding

if TYPE_CHECKING:
    from ra2docs.context import CheckContext


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: str
    summary: str
    doc: str
    check: Callable[[CheckContext], Iterator[Finding]] | None


def _rule(module: ModuleType) -> Rule:
    return Rule(
        code=module.CODE,
        name=module.NAME,
        severity=module.SEVERITY,
        summary=module.SUMMARY,
        doc=(module.__doc__ or "").strip(),
        check=getattr(module, "check", None),
    )


@lru_cache(maxsize=1)
def all_rules() -> dict[str, Rule]:
    """Every rule by code, in code order."""
    rules = []
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "CODE"):
            rules.append(_rule(module))
    return {r.code: r for r in sorted(rules, key=lambda r: r.code)}


def find_rule(code_or_name: str) -> Rule | None:
    rules = all_rules()
    if code_or_name in rules:
        return rules[code_or_name]
    return next((r for r in rules.values() if r.name == code_or_name), None)
