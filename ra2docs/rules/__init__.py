"""The check rules: one module per rule, discovered here.

Each module's docstring is the rule's documentation (what it checks, with
FAIL and PASS examples); the module sets ``CODE``, ``NAME``, ``SEVERITY`` and
``SUMMARY`` (and ``CONFIGURABLE = False`` for a safety rule, whose
severity no settings file may change), and it alone words the rule's findings:

- rules about the loaded catalogue define ``check(ctx)`` yielding findings;
- rules about what can only be seen while a file is read (encoding, YAML
  syntax, schema, duplicates) define one function per case, returning an
  unplaced ``Finding``; the reader (``ra2docs.yamlsource``, ``ra2docs.loader``)
  detects the case, calls the function and places the finding at its
  ``file:line:column`` (``Finding.placed``). The importer (its report's notes,
  ``Note.of``), ``diff`` and the result readers do the same.

No other module writes a rule's code or message (``tests/test_rules.py`` holds
every module to it). Adding a rule means adding a module; nothing else changes.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from types import ModuleType
from typing import TYPE_CHECKING, Any

from ra2docs.findings import Finding, Severity

if TYPE_CHECKING:
    from ra2docs.context import CheckContext


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    summary: str
    doc: str
    check: Callable[[CheckContext], Iterator[Finding]] | None
    configurable: bool = True  # False: a safety rule, always at its own severity


def _rule(module: ModuleType) -> Rule:
    return Rule(
        code=module.CODE,
        name=module.NAME,
        severity=module.SEVERITY,
        summary=module.SUMMARY,
        doc=(module.__doc__ or "").strip(),
        check=getattr(module, "check", None),
        configurable=getattr(module, "CONFIGURABLE", True),
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


def more_not_listed(code: str, count: int, limit: int) -> Finding:
    """Any rule's last finding when it found more than ``limit``: the rest are counted, not listed."""
    return Finding(
        code,
        f"{count:,} more findings of this rule are not listed (at most {limit:,} are)",
        suggestion="fix the ones listed and check again",
    )


def describe(value: Any) -> str:
    """A value as findings name it: 'the number 6.2', 'a list', 'the text 'abc...''."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {value[:40]!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__
