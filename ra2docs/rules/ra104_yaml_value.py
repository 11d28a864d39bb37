"""A YAML value that would not mean what it says, or more YAML than a catalogue needs.

Catalogue files hold plain text, numbers, lists and mappings. Refused:
tags such as ``!!python/object``, anchors and aliases (``&a`` / ``*a``, the
stuff of "billion laughs" bombs), nesting deeper than 64 levels, and
unquoted values that YAML 1.1 silently converts: ``1:1`` becomes the number
61, ``No`` becomes the boolean false, ``0x10`` becomes 16.

The work of reading is bounded too (the limits are listed in the README,
"What input is trusted"): a file of more YAML values than a catalogue file
needs, or a mapping of more keys, is not read (exit code 2); a text value
longer than the limit is cut there and reported.

FAIL::

    values:
      basic: 1:1
      network-intensive: No

PASS::

    values:
      basic: '1:1'
      network-intensive: 'No'
"""

from __future__ import annotations

from typing import Any

from ra2docs.findings import Finding

CODE = "RA104"
NAME = "yaml-value"
SEVERITY = "error"
SUMMARY = "A YAML tag, alias, over-deep nesting, an oversized file or value, or a value YAML would convert."


def too_deep(limit: int) -> Finding:
    return Finding(
        CODE,
        f"nesting deeper than {limit} levels",
        suggestion="flatten the structure; catalogue files need only a few levels",
    )


def nested_too_deeply() -> Finding:
    return Finding(CODE, "structure nested too deeply")


def tag_not_allowed(tag: str) -> Finding:
    return Finding(
        CODE,
        f"YAML tag {tag!r} is not allowed",
        suggestion="remove the tag; catalogue files hold plain strings, numbers, lists and mappings",
    )


def unreadable_value(reason: object) -> Finding:
    return Finding(CODE, f"value cannot be read: {reason}", suggestion="quote the value to make it a string")


def alias() -> Finding:
    return Finding(
        CODE,
        "YAML anchors and aliases are not allowed in catalogue files",
        suggestion="write the value out where it is used",
    )


def read_as_boolean(text: str, value: bool) -> Finding:
    return Finding(
        CODE,
        f"{text!r} is read by YAML as the boolean {str(value).lower()}",
        suggestion=f"quote it if you mean the text: '{text}'",
    )


def read_as_number(text: str, value: Any) -> Finding:
    return Finding(
        CODE,
        f"{text!r} is read by YAML as the number {value!r}",
        suggestion=f"quote it to keep it as written: '{text}'",
    )


def long_number(length: int) -> Finding:
    return Finding(
        CODE,
        f"a number of {length:,} characters; read as text",
        suggestion="quote it to say it is text, or write the number it means",
    )


def key_not_scalar() -> Finding:
    return Finding(CODE, "mapping keys must be plain scalars (no merge keys)")


def key_not_plain(key: Any) -> Finding:
    return Finding(CODE, f"mapping key {key!r} is not a plain value")


def too_many_values(limit: int) -> Finding:
    return Finding(
        CODE,
        f"file holds more than {limit:,} YAML values (keys, texts, lists, mappings); not read",
        suggestion="split it into several files; a catalogue file of 25,000 items holds about 400,000",
    )


def too_many_values_in_catalogue(limit: int, files_left: int) -> Finding:
    after = f" and the {files_left:,} after it" if files_left else ""
    return Finding(
        CODE,
        f"the catalogue files hold more than {limit:,} YAML values together; this file{after} were not read",
        suggestion="is this the catalogue folder? A catalogue of 100,000 items holds about 1,700,000",
    )


def too_many_keys(limit: int) -> Finding:
    return Finding(
        CODE,
        f"mapping has more than {limit:,} keys; not read",
        suggestion="catalogue mappings have a few dozen keys at most; write a list of entries instead",
    )


def value_too_long(length: int, limit: int) -> Finding:
    return Finding(
        CODE,
        f"value of {length:,} characters, more than the {limit:,} allowed; only its first {limit:,} are kept",
        suggestion="shorten it; catalogue text is a title, a statement or a note",
    )
