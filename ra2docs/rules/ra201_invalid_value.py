"""A value does not match the catalogue schema.

Wrong type (a number where text is expected, a single ID where a list is
expected), a value outside its allowed set (priority, status, kind), an
empty value, a date that does not exist (``changed: '2099-02-30'``: results
would be compared with it) or a match pattern RE2 cannot run. The message
names the expected form and, for sets, the closest allowed value.

FAIL::

    - id: req.inf.ntw.03
      kind: ra-requirement
      priority: SHOLD
      section: 2.3

PASS::

    - id: req.inf.ntw.03
      kind: ra-requirement
      priority: SHOULD
      section: '2.3'
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from ra2docs.findings import Finding
from ra2docs.rules import describe
from ra2docs.schema import did_you_mean

CODE = "RA201"
NAME = "invalid-value"
SEVERITY = "error"
SUMMARY = "A value has the wrong type, is empty, is not one of the allowed values, or is no real date."

_TYPE_WORDS = {
    "string": "text",
    "array": "a list",
    "object": "a mapping",
    "integer": "a whole number",
    "number": "a number",
}


def _type_words(wanted: Any) -> str:
    if isinstance(wanted, list):
        return " or ".join(_TYPE_WORDS.get(str(w), str(w)) for w in wanted)
    return _TYPE_WORDS.get(wanted, str(wanted))


def not_allowed(value: Any, choices: Collection[Any]) -> Finding:
    hint = did_you_mean(str(value), [str(c) for c in choices])
    return Finding(
        CODE,
        f"{value!r} is not allowed here",
        suggestion=f"did you mean {hint!r}?" if hint else "use one of: " + ", ".join(map(str, choices)),
    )


def wrong_type(wanted: Any, value: Any) -> Finding:
    hint = ""
    if "string" in (wanted if isinstance(wanted, list) else [wanted]) and not isinstance(value, (dict, list)):
        hint = f"quote the value: '{value}'"
    elif wanted == "array":
        hint = f"write a list, e.g. [{value}]" if isinstance(value, str) else "write a list"
    elif wanted == "object":
        hint = "write a mapping of key: value lines"
    return Finding(CODE, f"expected {_type_words(wanted)}, found {describe(value)}", suggestion=hint)


def repeated() -> Finding:
    return Finding(CODE, "list has repeated entries", suggestion="remove the repeats")


def wrong_form(value: Any, pattern: str) -> Finding:
    return Finding(CODE, f"{value!r} does not have the expected form ({pattern})")


def empty() -> Finding:
    return Finding(CODE, "value is empty", suggestion="write the value or remove the key")


def invalid(message: str) -> Finding:
    return Finding(CODE, message)


def unknown_kind(kind: Any, kinds: Collection[str]) -> Finding:
    hint = did_you_mean(str(kind), list(kinds))
    return Finding(
        CODE,
        f"unknown kind {kind!r}",
        suggestion=f"did you mean {hint!r}?" if hint else "use one of: " + ", ".join(kinds),
    )


def not_an_item(value: Any) -> Finding:
    return Finding(CODE, f"expected an item (a mapping), found {describe(value)}")


def bad_pattern(reason: object) -> Finding:
    return Finding(CODE, f"match pattern is not a valid regular expression: {reason}")


def impossible_date(value: str, reason: str) -> Finding:
    """A date of the right form that no calendar has (results are compared with it)."""
    return Finding(CODE, f"{value!r} is not a date: {reason}", suggestion="write a real date, YYYY-MM-DD")
