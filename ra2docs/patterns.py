"""Regular expressions written by catalogue authors (a test case's ``match.pattern``).

They run against every result name, so they run on RE2: matching time is
linear in the text, whatever the pattern (no catastrophic backtracking).
RE2 has no backreferences or lookaround; such patterns are rejected when the
catalogue is checked, with the same engine that later runs them.
"""

from __future__ import annotations

from typing import Protocol

import re2

MAX_PATTERN_LENGTH = 1000  # characters
MAX_PATTERN_MEMORY = 8 * 1024 * 1024  # bytes RE2 may use for one compiled pattern


class Pattern(Protocol):
    """What ra2docs asks of a compiled pattern, RE2's or Python's."""

    @property
    def pattern(self) -> str: ...  # read-only on both engines

    def search(self, text: str) -> object | None: ...

    def fullmatch(self, text: str) -> object | None: ...


class PatternError(ValueError):
    """A pattern RE2 cannot compile, or one too large to run."""


def _options() -> re2.Options:
    options = re2.Options()
    options.log_errors = False  # RE2 would print its own message to stderr
    options.max_mem = MAX_PATTERN_MEMORY
    return options


def compile_pattern(pattern: str) -> Pattern:
    """``pattern`` compiled by RE2; ``PatternError`` with RE2's reason when it cannot be."""
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise PatternError(f"longer than {MAX_PATTERN_LENGTH} characters")
    try:
        return re2.compile(pattern, options=_options())
    except re2.error as exc:
        reason = exc.args[0] if exc.args else "invalid"
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        raise PatternError(str(reason)) from None
    except (TypeError, ValueError) as exc:  # e.g. NUL characters
        raise PatternError(str(exc)) from None
