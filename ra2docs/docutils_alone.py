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
from contextlib import AbstractContextManager, contextmanager
from importlib import import_module
from typing import TYPE_CHECKING, Any

from docutils import SettingsSpec, nodes
from docutils.frontend import Values
from docutils.parsers.rst import Directive, Parser, directives, roles
from docutils.utils import Reporter

if TYPE_CHECKING:  # names the stubs give the language module and a role function
    from docutils.languages import _LanguageModule
    from docutils.parsers.rst.roles import _RoleFn

# docutils' registries of its built-in roles and directives: private module names, absent from the stubs
_BUILTIN_DIRECTIVES: dict[str, tuple[str, str]] = vars(directives)["_directive_registry"]
_BUILTIN_ROLES: dict[str, _RoleFn] = vars(roles)["_role_registry"]


def _directive(
    directive_name: str, language_module: _LanguageModule, document: nodes.document
) -> tuple[type[Directive] | None, list[nodes.system_message]]:
    entry = _BUILTIN_DIRECTIVES.get(directive_name.lower())
    if entry is None:
        return None, []
    module_name, class_name = entry
    module = import_module(f"docutils.parsers.rst.directives.{module_name}")
    return getattr(module, class_name, None), []


def _role(
    role_name: str, language_module: _LanguageModule, lineno: int, reporter: Reporter
) -> tuple[_RoleFn | None, list[nodes.system_message]]:
    return _BUILTIN_ROLES.get(role_name.lower()), []


@contextmanager
def lookups(role: Any, directive: Any) -> Iterator[None]:
    """Within it, docutils finds roles and directives through these two functions (its module
    functions, which Sphinx also replaces during a build); whatever was there is put back."""
    saved = roles.role, directives.directive
    roles.role, directives.directive = role, directive
    try:
        yield
    finally:
        roles.role, directives.directive = saved


def docutils_alone() -> AbstractContextManager[None]:
    """Within it, roles and directives are docutils' own."""
    return lookups(_role, _directive)


try:
    from docutils.frontend import get_default_settings
except ImportError:  # docutils 0.18 (Sphinx 7.2 allows it)
    from docutils.frontend import OptionParser

    def get_default_settings(*components: SettingsSpec | type[SettingsSpec]) -> Values:
        return OptionParser(components=components).get_default_values()


# Untrusted reStructuredText is read with these: nothing printed or halting (the messages stay in
# the tree, where the callers look), no file or URL inserted, no raw output.
SAFE_SETTINGS: dict[str, Any] = {
    "report_level": 5,
    "halt_level": 5,
    "warning_stream": False,
    "file_insertion_enabled": False,
    "raw_enabled": False,
}


def safe_settings(**extra: Any) -> Values:
    """The reStructuredText parser's settings with SAFE_SETTINGS and ``extra`` applied."""
    settings = get_default_settings(Parser)
    for name, value in {**SAFE_SETTINGS, **extra}.items():
        setattr(settings, name, value)
    return settings
