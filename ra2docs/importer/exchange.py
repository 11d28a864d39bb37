"""Read ra2docs' own exports back: the JSON export and ReqIF 1.2 (round trips are loss-free)."""

from __future__ import annotations

import io
import json
from importlib import resources
from pathlib import Path
from typing import Any
from xml.sax import SAXParseException
from xml.sax.handler import ContentHandler
from xml.sax.xmlreader import Locator

from defusedxml import DefusedXmlException
from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

from ra2docs.escaping import from_ooxml
from ra2docs.export import FORMAT_NAME
from ra2docs.findings import Ra2docsError
from ra2docs.jsonkeys import DuplicateKeyError, no_duplicate_keys
from ra2docs.kinds import COMMON_FIELDS, builtin_kinds
from ra2docs.xmlsafe import CappedExpatParser, XmlTokenTooLong

_STRUCTURED = {"profile-values", "match", "string-list", "cells", "listings"}  # written as JSON text


def _catalogue_files(items: list[dict[str, Any]], rest: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Items grouped in one file per kind, the other sections in catalogue.yaml."""
    files: dict[str, dict[str, Any]] = {}
    kinds = builtin_kinds()
    for kind in kinds:
        chosen = [i for i in items if i.get("kind") == kind]
        if chosen:
            files[f"{kind}.yaml"] = {"title": f"{kinds[kind].plural}, imported", "items": chosen}
    other = [i for i in items if i.get("kind") not in kinds]
    if other:
        files["other-items.yaml"] = {"title": "Items of kinds this ra2docs does not know", "items": other}
    sections = {k: v for k, v in rest.items() if v}
    if sections:
        files["catalogue.yaml"] = {
            "title": "Profiles, sections, sources, comparisons and retired IDs, imported",
            **sections,
        }
    return files


MAX_IMPORT_BYTES = 256 * 1024 * 1024  # an export to import (JSON is parsed whole; ReqIF is checked first, streamed)
MAX_DEPTH = 64  # nesting of JSON values and XML elements
MAX_XML_ELEMENTS = 5_000_000


def _read_export(path: Path) -> bytes:
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_IMPORT_BYTES + 1)
    except OSError as exc:
        raise Ra2docsError(f"{path}: cannot read: {exc.strerror}") from None
    if len(data) > MAX_IMPORT_BYTES:
        raise Ra2docsError(f"{path}: holds more than {MAX_IMPORT_BYTES} bytes, the most an export to import may")
    return data


def _too_deep(value: Any, limit: int) -> bool:
    """Whether lists and objects nest deeper than ``limit`` (walked without recursion)."""
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, (dict, list)):
            if depth > limit:
                return True
            stack.extend((child, depth + 1) for child in (node.values() if isinstance(node, dict) else node))
    return False


def from_json(path: Path) -> dict[str, dict[str, Any]]:
    """An ra2docs JSON export, checked against ``export.schema.json`` before anything is taken from it."""
    try:
        data = json.loads(_read_export(path).decode("utf-8-sig"), object_pairs_hook=no_duplicate_keys)
    except UnicodeDecodeError as exc:
        raise Ra2docsError(f"{path}: not UTF-8 (offset {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise Ra2docsError(f"{path}:{exc.lineno}:{exc.colno}: not JSON: {exc.msg}") from None
    except DuplicateKeyError as exc:
        raise Ra2docsError(f"{path}: duplicate key {exc.args[0]!r}: an export names each key once") from None
    except RecursionError:
        raise Ra2docsError(f"{path}: JSON nested too deep to read") from None
    if _too_deep(data, MAX_DEPTH):
        raise Ra2docsError(f"{path}: JSON nested more than {MAX_DEPTH} deep; an export is not")
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        raise Ra2docsError(f"{path}: not an ra2docs JSON export (its 'format' is not {FORMAT_NAME!r})")
    error = best_match(_export_validator().iter_errors(data))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "the document"
        raise Ra2docsError(f"{path}: not a valid ra2docs export at {where}: {error.message}")
    items = []
    for record in data["items"]:
        item: dict[str, Any] = {"id": record["id"], "kind": record["kind"]}
        item.update(record["fields"])
        item.update(record["links"])
        items.append(item)
    rest = {
        "profiles": data.get("profiles", []),
        "sections": data.get("sections", []),
        "sources": data.get("sources", []),
        "comparisons": data.get("comparisons", []),
        "retired": [{"id": r} for r in data.get("retired", [])],
    }
    return _catalogue_files(items, rest)


def _export_validator() -> Any:
    schema = json.loads(resources.files("ra2docs").joinpath("schema/export.schema.json").read_text(encoding="utf-8"))
    return Draft202012Validator(schema)


class _XmlLimits(ContentHandler):
    """Counts elements and depth while defusedxml refuses DTDs and entities: the checks before parsing for real."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self.locator: Locator | None = None
        self.depth = 0
        self.elements = 0

    def setDocumentLocator(self, locator: Locator) -> None:
        self.locator = locator

    def startElement(self, name: str, attrs: Any) -> None:
        self.depth += 1
        self.elements += 1
        line = self.locator.getLineNumber() if self.locator else 0
        if self.depth > MAX_DEPTH:
            raise Ra2docsError(f"{self.path}:{line}: XML elements nested more than {MAX_DEPTH} deep")
        if self.elements > MAX_XML_ELEMENTS:
            raise Ra2docsError(f"{self.path}:{line}: more than {MAX_XML_ELEMENTS} XML elements")

    def endElement(self, name: str) -> None:
        self.depth -= 1


def _check_xml(path: Path, data: bytes) -> None:
    parser = CappedExpatParser()
    limits = _XmlLimits(path)
    parser.setContentHandler(limits)
    try:
        parser.parse(io.BytesIO(data))
    except XmlTokenTooLong as exc:
        line = limits.locator.getLineNumber() if limits.locator else 0
        raise Ra2docsError(f"{path}:{line}: {exc}") from None
    except DefusedXmlException as exc:
        raise Ra2docsError(f"{path}: refused: {type(exc).__name__} (no DTDs or entities in ReqIF files)") from None
    except SAXParseException as exc:
        raise Ra2docsError(
            f"{path}:{exc.getLineNumber()}:{(exc.getColumnNumber() or 0) + 1}: not well-formed XML: {exc.getMessage()}"
        ) from None


def _line(node: Any) -> str:
    line = getattr(getattr(node, "xml_node", None), "sourceline", None)
    return f":{line}" if line else ""


def from_reqif(path: Path) -> dict[str, dict[str, Any]]:
    """A ReqIF file, read by the reqif package once defusedxml has refused DTDs, entities and excess."""
    from reqif.models.reqif_spec_relation_type import ReqIFSpecRelationType
    from reqif.parser import ReqIFParser

    data = _read_export(path)
    _check_xml(path, data)
    try:
        text = data.decode("utf-8-sig")
        bundle = ReqIFParser.parse_from_string(text)
    except UnicodeDecodeError as exc:
        raise Ra2docsError(f"{path}: not UTF-8 (offset {exc.start})") from None
    except Exception as exc:  # the parser raises many kinds (its own, AssertionError, KeyError) on odd input
        raise Ra2docsError(f"{path}: not a ReqIF file ra2docs can read: {type(exc).__name__}: {exc}") from None
    content = bundle.core_content.req_if_content if bundle.core_content else None
    if content is None:
        raise Ra2docsError(f"{path}: the ReqIF file has no content")
    attr_names: dict[str, str] = {}
    relation_names: dict[str, str] = {}
    for spec_type in content.spec_types or []:
        for definition in getattr(spec_type, "attribute_definitions", None) or []:
            attr_names[definition.identifier] = definition.long_name or ""
        if isinstance(spec_type, ReqIFSpecRelationType):
            relation_names[spec_type.identifier] = from_ooxml(spec_type.long_name or "")
    kinds = builtin_kinds()
    objects: dict[str, dict[str, Any]] = {}
    for obj in content.spec_objects or []:
        if obj.identifier in objects:
            raise Ra2docsError(f"{path}{_line(obj)}: two spec objects have the identifier {obj.identifier!r}")
        values: dict[str, str] = {}
        for attribute in obj.attributes:
            name = attr_names.get(attribute.definition_ref, "")
            if name and isinstance(attribute.value, str):
                values[name] = from_ooxml(attribute.value)
        if "kind" not in values:
            raise Ra2docsError(f"{path}{_line(obj)}: spec object {obj.identifier} has no 'kind' attribute")
        item: dict[str, Any] = {}
        if values.get("ForeignID"):
            item["id"] = values["ForeignID"]
        item["kind"] = values["kind"]
        spec = kinds.get(values["kind"])
        for name, text in values.items():
            if name in ("ForeignID", "kind"):
                continue
            field = (spec.fields.get(name) if spec else None) or COMMON_FIELDS.get(name, {})  # cells: every kind's
            ftype = field.get("type")
            if name == "tags" or ftype in _STRUCTURED:
                try:
                    item[name] = json.loads(text)
                    continue
                except (json.JSONDecodeError, RecursionError):
                    pass
            item[name] = text
        objects[obj.identifier] = item
    for relation in content.spec_relations or []:
        name = relation_names.get(relation.relation_type_ref, "")
        source, target = objects.get(relation.source), objects.get(relation.target)
        if not name:
            raise Ra2docsError(f"{path}{_line(relation)}: relation {relation.identifier} has an unknown type")
        if source is None or target is None or "id" not in target:
            raise Ra2docsError(
                f"{path}{_line(relation)}: relation {relation.identifier} points at an unknown spec object"
            )
        source.setdefault(name, []).append(target["id"])
    return _catalogue_files(list(objects.values()), {})
