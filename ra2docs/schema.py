"""The catalogue's JSON Schema: generated from the kinds, shipped, and used to validate.

The shipped file ``ra2docs/schema/catalogue.schema.json`` is what editors use
(``# yaml-language-server: $schema=...``); ``ra2docs schema`` prints the same
document, and a test keeps the two equal.
"""

from __future__ import annotations

import difflib
import json
from functools import lru_cache
from importlib import resources
from typing import Any

import jsonschema

from ra2docs.kinds import COMMON_FIELDS, KindSpec, builtin_kinds

SCHEMA_ID = "https://ra2docs.invalid/schema/catalogue.schema.json"
PRIORITIES = ["MUST", "MUST NOT", "SHOULD", "SHOULD NOT", "MAY"]
ITEM_STATUSES = ["active", "draft", "placeholder", "retired"]
GAP_STATUSES = ["open", "in-progress", "closed"]

_SLUG = {"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"}


def _field_schema(ftype: str, doc: str, kinds: list[str]) -> dict[str, Any]:
    text = {"type": "string", "minLength": 1}
    by_type: dict[str, dict[str, Any]] = {
        "id": {"type": "string", "minLength": 1},
        "kind": {"enum": kinds},
        "string": text,
        "text": text,
        "date": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
        "string-list": {"type": "array", "items": text, "uniqueItems": True},
        "priority": {"enum": PRIORITIES},
        "item-status": {"enum": ITEM_STATUSES},
        "gap-status": {"enum": GAP_STATUSES},
        "profile-values": {
            "type": "object",
            "propertyNames": _SLUG,
            "additionalProperties": {"type": ["string", "integer", "number"]},
        },
        "match": {
            "type": "object",
            "additionalProperties": False,
            "minProperties": 1,
            "properties": {
                "name": {**text, "description": "Exact test name in the results."},
                "tag": {**text, "description": "A tag in the test name, e.g. [Conformance] or [sig-network]."},
                "pattern": {**text, "description": "A regular expression searched in the test name."},
                "case-name": {**text, "description": "An Xtesting case_name."},
            },
        },
    }
    schema = dict(by_type[ftype])
    schema["description"] = doc
    return schema


def _kind_schema(kind: KindSpec, kind_names: list[str]) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    for name, spec in {**COMMON_FIELDS, **kind.fields}.items():
        properties[name] = _field_schema(spec["type"], spec.get("doc", ""), kind_names)
    properties["kind"] = {"const": kind.name, "description": kind.label}
    for link in kind.links.values():
        properties[link.name] = {
            "type": "array",
            "items": {"type": "string", "minLength": 1},
            "uniqueItems": True,
            "description": f"{link.doc} IDs of: {', '.join(link.targets)}.",
        }
    return {
        "type": "object",
        "title": kind.label,
        "required": ["id", "kind"],
        "additionalProperties": False,
        "properties": properties,
    }


def build_schema() -> dict[str, Any]:
    """The full catalogue-file schema for the built-in kinds."""
    kinds = builtin_kinds()
    names = sorted(kinds)
    defs: dict[str, Any] = {f"item-{k.name}": _kind_schema(k, names) for k in kinds.values()}
    defs["item"] = {
        "type": "object",
        "required": ["id", "kind"],
        "properties": {"kind": {"enum": names}, "id": {"type": "string"}},
        "allOf": [
            {
                "if": {"properties": {"kind": {"const": name}}, "required": ["kind"]},
                "then": {"$ref": f"#/$defs/item-{name}"},
            }
            for name in names
        ],
    }
    text = {"type": "string", "minLength": 1}
    defs["profile"] = {
        "type": "object",
        "required": ["id", "title"],
        "additionalProperties": False,
        "properties": {"id": _SLUG, "title": text, "description": text},
    }
    defs["section"] = {
        "type": "object",
        "required": ["id", "title"],
        "additionalProperties": False,
        "properties": {
            "id": {**text, "pattern": r"^\d+(\.\d+)*$", "description": "Section number, e.g. '2.2.1'."},
            "title": {**text, "description": "Section heading, without its number."},
            "caption": {**text, "description": "Caption of the section's table, e.g. 'Table 2-1: ...'."},
        },
    }
    defs["retired"] = {
        "type": "object",
        "required": ["id"],
        "additionalProperties": False,
        "properties": {"id": {**text}, "note": {**text, "description": "Why, and what replaced it."}},
    }
    defs["source"] = {
        "type": "object",
        "required": ["id", "title"],
        "additionalProperties": False,
        "properties": {
            "id": _SLUG,
            "title": text,
            "version": text,
            "url": text,
            "license": text,
            "attribution": text,
        },
    }
    defs["comparison"] = {
        "type": "object",
        "required": ["id", "title", "solutions", "levels", "rows"],
        "additionalProperties": False,
        "properties": {
            "id": _SLUG,
            "title": {**text, "description": "Caption of the table."},
            "row-header": {**text, "description": "Heading of the first column (default 'Requirement')."},
            "solutions": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "required": ["id", "title"],
                    "additionalProperties": False,
                    "properties": {"id": _SLUG, "title": text},
                },
            },
            "levels": {
                "type": "array",
                "minItems": 1,
                "description": "The legend: support levels a cell may name.",
                "items": {
                    "type": "object",
                    "required": ["id", "label"],
                    "additionalProperties": False,
                    "properties": {"id": _SLUG, "label": text, "description": text},
                },
            },
            "notes": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "text"],
                    "additionalProperties": False,
                    "properties": {"id": {"type": ["string", "integer"]}, "text": text},
                },
            },
            "rows": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "required": ["item", "cells"],
                    "additionalProperties": False,
                    "properties": {
                        "item": {**text, "description": "ID of the catalogue item the row is about."},
                        "label": {**text, "description": "Row label, if not the item's title."},
                        "cells": {
                            "type": "object",
                            "additionalProperties": {
                                "oneOf": [
                                    {**_SLUG, "description": "ID of a support level."},
                                    {
                                        "type": "object",
                                        "required": ["level"],
                                        "additionalProperties": False,
                                        "properties": {
                                            "level": _SLUG,
                                            "note": {"type": ["string", "integer"]},
                                        },
                                    },
                                ]
                            },
                        },
                    },
                },
            },
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "ra2docs catalogue file",
        "description": "One file of an ra2docs requirement catalogue (YAML).",
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "title": {**text, "description": "What this file holds."},
            "items": {"type": "array", "items": {"$ref": "#/$defs/item"}},
            "profiles": {"type": "array", "items": {"$ref": "#/$defs/profile"}},
            "sections": {"type": "array", "items": {"$ref": "#/$defs/section"}},
            "retired": {
                "type": "array",
                "description": "IDs withdrawn from use: never to be given to another item.",
                "items": {"$ref": "#/$defs/retired"},
            },
            "sources": {"type": "array", "items": {"$ref": "#/$defs/source"}},
            "comparisons": {"type": "array", "items": {"$ref": "#/$defs/comparison"}},
        },
        "$defs": defs,
    }


def schema_text() -> str:
    return json.dumps(build_schema(), indent=2, sort_keys=False) + "\n"


def shipped_schema_text() -> str:
    return resources.files("ra2docs").joinpath("schema/catalogue.schema.json").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _validators() -> dict[str, jsonschema.protocols.Validator]:
    schema = build_schema()
    cls = jsonschema.validators.validator_for(schema)
    result: dict[str, jsonschema.protocols.Validator] = {}
    for name in [
        "profile",
        "section",
        "source",
        "comparison",
        "retired",
        *(d for d in schema["$defs"] if d.startswith("item-")),
    ]:
        sub = {"$defs": schema["$defs"], **schema["$defs"][name]}
        result[name] = cls(sub)
    # The file's own top level, with the sections checked only for being lists:
    # their entries are validated one by one (clearer errors, all of them).
    top = {k: v for k, v in schema.items() if k != "properties"}
    top["properties"] = {
        "title": schema["properties"]["title"],
        **{s: {"type": "array"} for s in ("items", "profiles", "sections", "sources", "comparisons", "retired")},
    }
    result["file"] = cls(top)
    return result


def validator(name: str) -> jsonschema.protocols.Validator:
    return _validators()[name]


def did_you_mean(word: str, choices: list[str] | set[str], cutoff: float = 0.6) -> str:
    """The closest of ``choices`` to ``word``, or ''."""
    match = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=cutoff)
    return match[0] if match else ""
