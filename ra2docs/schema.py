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

from ra2docs.kinds import COMMON_FIELDS, KindSpec, builtin_kinds

SCHEMA_ID = "https://ra2docs.invalid/schema/catalogue.schema.json"
PRIORITIES = ["MUST", "MUST NOT", "SHOULD", "SHOULD NOT", "MAY"]
ITEM_STATUSES = ["active", "draft", "placeholder", "retired"]
GAP_STATUSES = ["open", "in-progress", "closed"]

_SLUG = {"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"}


def _field_schema(ftype: str, doc: str, kinds: list[str]) -> dict[str, Any]:
    text = {"type": "string", "minLength": 1}
    omitted = {
        "type": "object",
        "propertyNames": _SLUG,
        "additionalProperties": {"type": "array", "items": text, "uniqueItems": True},
        "description": "Links a column's cell text does not show, by column (checked by rule RA407).",
    }
    by_type: dict[str, dict[str, Any]] = {
        "id": {"type": "string", "minLength": 1},
        "kind": {"enum": kinds},
        "string": text,
        "text": text,
        "date": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
        "string-list": {"type": "array", "items": text, "uniqueItems": True},
        "id-list": {"type": "array", "items": text, "uniqueItems": True},
        "omitted-links": omitted,
        "priority": {"enum": PRIORITIES},
        "item-status": {"enum": ITEM_STATUSES},
        "gap-status": {"enum": GAP_STATUSES},
        "profile-values": {
            "type": "object",
            "propertyNames": _SLUG,
            "additionalProperties": {"type": ["string", "integer", "number"]},
        },
        "cells": {
            "type": "object",
            "propertyNames": _SLUG,
            "additionalProperties": {"type": "string"},
        },
        "listings": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["section"],
                "additionalProperties": False,
                "properties": {
                    "section": {**text, "description": "The section whose table lists the item again."},
                    "cells": {
                        "type": "object",
                        "propertyNames": _SLUG,
                        "additionalProperties": {"type": "string"},
                        "description": "What that table shows in each column that differs from the item's own row.",
                    },
                    "omitted-links": omitted,
                },
            },
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
                "exclude": {
                    "oneOf": [text, {"type": "array", "items": text, "minItems": 1}],
                    "description": "Regular expressions: a result named by one is not this test's (a skip list).",
                },
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
            "id": {**text, "pattern": r"^[A-Za-z0-9][A-Za-z0-9.-]*$", "description": "Section number, e.g. '2.2.1'."},
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
                    "required": ["cells"],
                    "additionalProperties": False,
                    "properties": {
                        "item": {**text, "description": "ID of the catalogue item the row is about (if any)."},
                        "label": {**text, "description": "Row label: needed when there is no item."},
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
def _validators() -> dict[str, Any]:
    import jsonschema  # only needed when the fast path cannot vouch for an entry

    schema = build_schema()
    cls = jsonschema.validators.validator_for(schema)
    result: dict[str, Any] = {}
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


def validator(name: str) -> Any:
    return _validators()[name]


# -- a fast path for the common case ---------------------------------------------------
#
# jsonschema is thorough but slow (about 0.25 ms an item); a catalogue of 10,000
# items would spend seconds in it. The checks below are compiled once from the
# same schema and vouch only for what they fully understand: an entry they
# accept is valid; anything else goes to jsonschema, which reports the errors.

_Check = Any  # Callable[[Any], bool]

_TYPES: dict[str, Any] = {
    "string": lambda v: isinstance(v, str),
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def _compile(schema: dict[str, Any], defs: dict[str, Any]) -> _Check:
    import re

    if "$ref" in schema:
        target = schema["$ref"].rsplit("/", 1)[-1]
        return _compile(defs[target], defs)
    checks: list[_Check] = []
    known = {
        "type", "enum", "const", "minLength", "pattern", "uniqueItems", "items", "properties",
        "additionalProperties", "required", "propertyNames", "minProperties", "minItems", "oneOf",
        "description", "title",
    }  # fmt: skip
    if set(schema) - known:
        return lambda v: False  # not understood: let jsonschema decide
    shape = {k: v for k, v in schema.items() if k not in ("description", "title")}
    # The shapes most catalogue fields have, as single fast functions.
    if shape == {"type": "string", "minLength": 1}:
        return lambda v: type(v) is str and v != ""
    if shape.keys() == {"enum"} and all(isinstance(a, str) for a in shape["enum"]):
        allowed_set = frozenset(shape["enum"])
        return lambda v: type(v) is str and v in allowed_set
    if shape == {"type": "array", "items": {"type": "string", "minLength": 1}, "uniqueItems": True} or (
        shape.keys() == {"type", "items", "uniqueItems"}
        and shape["type"] == "array"
        and shape["uniqueItems"] is True
        and {k: v for k, v in shape["items"].items() if k != "description"} == {"type": "string", "minLength": 1}
    ):
        return lambda v: type(v) is list and all(type(x) is str and x != "" for x in v) and len(set(v)) == len(v)
    if "type" in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        tests = [_TYPES[t] for t in types]
        checks.append(lambda v: any(t(v) for t in tests))
    if "enum" in schema:
        allowed = schema["enum"]
        checks.append(lambda v: any(v == a and type(v) is type(a) for a in allowed))
    if "const" in schema:
        const = schema["const"]
        checks.append(lambda v: v == const and type(v) is type(const))
    if "minLength" in schema:
        n = schema["minLength"]
        checks.append(lambda v: not isinstance(v, str) or len(v) >= n)
    if "pattern" in schema:
        rx = re.compile(schema["pattern"])
        checks.append(lambda v: not isinstance(v, str) or rx.search(v) is not None)
    if "minItems" in schema:
        n = schema["minItems"]
        checks.append(lambda v: not isinstance(v, list) or len(v) >= n)
    if schema.get("uniqueItems"):
        checks.append(lambda v: not isinstance(v, list) or len({repr(x) for x in v}) == len(v))
    if "items" in schema:
        item_check = _compile(schema["items"], defs)
        checks.append(lambda v: not isinstance(v, list) or all(item_check(x) for x in v))
    if "required" in schema:
        required = schema["required"]
        checks.append(lambda v: not isinstance(v, dict) or all(k in v for k in required))
    if "minProperties" in schema:
        n = schema["minProperties"]
        checks.append(lambda v: not isinstance(v, dict) or len(v) >= n)
    if "propertyNames" in schema:
        name_check = _compile(schema["propertyNames"], defs)
        checks.append(lambda v: not isinstance(v, dict) or all(name_check(k) for k in v))
    props = {k: _compile(sub, defs) for k, sub in schema.get("properties", {}).items()}
    extra = schema.get("additionalProperties", True)
    extra_check = None if isinstance(extra, bool) else _compile(extra, defs)
    if props or extra is not True:

        def check_object(v: Any) -> bool:
            if not isinstance(v, dict):
                return True
            for key, value in v.items():
                sub = props.get(key)
                if sub is not None:
                    if not sub(value):
                        return False
                elif extra is False or (extra_check is not None and not extra_check(value)):
                    return False
            return True

        checks.append(check_object)
    if "oneOf" in schema:
        options = [_compile(sub, defs) for sub in schema["oneOf"]]
        checks.append(lambda v: sum(1 for o in options if o(v)) == 1)
    if len(checks) == 1:
        return checks[0]

    def check_all(v: Any) -> bool:
        return all(check(v) for check in checks)

    return check_all


@lru_cache(maxsize=1)
def _fast_checks() -> dict[str, _Check]:
    schema = build_schema()
    defs = schema["$defs"]
    checks = {name: _compile(defs[name], defs) for name in defs if name != "item"}
    sections = ("items", "profiles", "sections", "sources", "comparisons", "retired")
    top = {
        "type": "object",
        "additionalProperties": False,
        "properties": {"title": schema["properties"]["title"], **{s: {"type": "array"} for s in sections}},
    }
    checks["file"] = _compile(top, defs)
    return checks


def quickly_valid(name: str, instance: Any) -> bool:
    """True when ``instance`` is certainly valid against ``$defs/<name>``; False means: ask jsonschema."""
    check = _fast_checks().get(name)
    return bool(check is not None and check(instance))


def did_you_mean(word: str, choices: list[str] | set[str], cutoff: float = 0.6) -> str:
    """The closest of ``choices`` to ``word``, or ''."""
    match = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=cutoff)
    return match[0] if match else ""
