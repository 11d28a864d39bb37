"""docutils' own roles and directives, whatever the process has registered.

Sphinx registers its roles and directives in docutils' module-level registries and,
during a build, replaces docutils' lookup functions with its own; an extension or a
test that builds in-process may leave either behind. Reading an upstream chapter or
an RC2 cell must give the tree docutils alone gives (a ``:cite:`` role unknown, not a
Sphinx role asking for a build environment that is not there), so those reads look
roles and directives up in docutils' built-in registries only, for their duration.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from importlib import import_module
from typing import Any

from docutils.parsers.rst import directives, roles


def _directive(name: str, language_module: Any, document: Any) -> tuple[Any, list[Any]]:
    entry = directives._directive_registry.get(name.lower())  # docutils' built-in directives
    if entry is None:
        return None, []
    module_name, class_name = entry
    module = import_module(f"docutils.parsers.rst.directives.{module_name}")
    return getattr(module, class_name, None), []


def _role(name: str, language_module: Any, lineno: int, reporter: Any) -> tuple[Any, list[Any]]:
    return roles._role_registry.get(name.lower()), []  # docutils' built-in roles


@contextmanager
def docutils_alone() -> Iterator[None]:
    """Within it, roles and directives are docutils' own; whatever was there is put back."""
    saved = roles.role, directives.directive
    roles.role, directives.directive = _role, _directive
    try:
        yield
    finally:
        roles.role, directives.directive = saved
