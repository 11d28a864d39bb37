"""YAML refused for safety: a feature a catalogue does not need, or more than the limits on work.

Catalogue files sit in a repository that pull requests edit, so the reader
refuses what could run code, blow up memory or take unbounded time: tags such
as ``!!python/object``, anchors and aliases (``&a`` / ``*a``, the stuff of
"billion laughs" bombs), merge keys and keys that are lists or mappings,
nesting deeper than 64 levels, and a file, mapping, text or unquoted number
past the limits on work (listed in the README, "What input is trusted").

This rule is fatal and cannot be configured: the file is not read (exit
code 2), and a settings file that sets ``unsafe-yaml`` (or ``RA108``) to
anything but ``error`` is refused (exit code 2). The findings about what a plain value means are RA104's,
which can be lowered or switched off on their own.

FAIL::

    base: &shared {basic: Must support}
    values: *shared
    title: !!python/object/apply:os.system ['echo pwned']

PASS::

    values: {basic: Must support}
    title: Huge pages
"""

from __future__ import annotations

from typing import Any

from ra2docs.findings import Finding

CODE = "RA108"
NAME = "unsafe-yaml"
SEVERITY = "error"
SUMMARY = (
    "YAML refused for safety: a tag, an anchor or alias, a complex key, over-deep nesting, or a file, "
    "mapping, text or number past the limits on work (fatal; not configurable)."
)
CONFIGURABLE = False  # the settings file may not lower or switch off this rule


def too_deep(limit: int) -> Finding:
    return Finding(
        CODE,
        f"nesting deeper than {limit} levels; file not read",
        suggestion="flatten the structure; catalogue files need only a few levels",
    )


def nested_too_deeply() -> Finding:
    return Finding(CODE, "structure nested too deeply; file not read")


def tag_not_allowed(tag: str) -> Finding:
    return Finding(
        CODE,
        f"YAML tag {tag!r} is not allowed; file not read",
        suggestion="remove the tag; catalogue files hold plain strings, numbers, lists and mappings",
    )


def alias() -> Finding:
    return Finding(
        CODE,
        "YAML anchors and aliases are not allowed in catalogue files; file not read",
        suggestion="write the value out where it is used",
    )


def key_not_scalar() -> Finding:
    return Finding(CODE, "mapping keys must be plain scalars (no merge keys); file not read")


def key_not_plain(key: Any) -> Finding:
    return Finding(CODE, f"mapping key {key!r} is not a plain value; file not read")


def long_number(length: int, limit: int) -> Finding:
    return Finding(
        CODE,
        f"an unquoted number of {length:,} characters, more than the {limit:,} allowed; file not read",
        suggestion="quote it to say it is text, or write the number it means",
    )


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
        f"value of {length:,} characters, more than the {limit:,} allowed; file not read",
        suggestion="shorten it; catalogue text is a title, a statement or a note",
    )
