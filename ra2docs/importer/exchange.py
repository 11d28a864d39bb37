"""Read ra2docs' own exports back: the JSON export and ReqIF 1.2 (round trips are loss-free)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from ra2docs.export import FORMAT_NAME, REQIF_NS
from ra2docs.findings import Ra2docsError
from ra2docs.kinds import builtin_kinds

_STRUCTURED = {"profile-values", "match", "string-list"}


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


def from_json(path: Path) -> dict[str, dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise Ra2docsError(f"{path}: not a readable JSON export: {exc}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        raise Ra2docsError(f"{path}: not an ra2docs JSON export (its 'format' is not {FORMAT_NAME!r})")
    items = []
    for record in data.get("items", []):
        if not isinstance(record, dict) or "kind" not in record:
            raise Ra2docsError(f"{path}: an item without 'kind'")
        item: dict[str, Any] = {}
        if "id" in record:
            item["id"] = record["id"]
        item["kind"] = record["kind"]
        item.update(record.get("fields", {}))
        item.update(record.get("links", {}))
        items.append(item)
    rest = {
        "profiles": data.get("profiles", []),
        "sections": data.get("sections", []),
        "sources": data.get("sources", []),
        "comparisons": data.get("comparisons", []),
        "retired": [{"id": r} for r in data.get("retired", [])],
    }
    return _catalogue_files(items, rest)


def _local(tag: str) -> str:
    return tag.split("}", 1)[-1]


def from_reqif(path: Path) -> dict[str, dict[str, Any]]:
    try:
        root = SafeET.parse(path, forbid_dtd=True).getroot()
    except DefusedXmlException as exc:
        raise Ra2docsError(f"{path}: refused: {type(exc).__name__} (no DTDs or entities in ReqIF files)") from None
    except (ParseError, OSError) as exc:
        raise Ra2docsError(f"{path}: not readable ReqIF XML: {exc}") from None
    if _local(root.tag) != "REQ-IF":
        raise Ra2docsError(f"{path}: not ReqIF: the root element is <{_local(root.tag)}>")
    ns = {"r": REQIF_NS} if root.tag.startswith("{") else {}
    prefix = "r:" if ns else ""
    attr_names: dict[str, str] = {}
    for definition in root.iter():
        if _local(definition.tag).startswith("ATTRIBUTE-DEFINITION-"):
            attr_names[definition.get("IDENTIFIER", "")] = definition.get("LONG-NAME", "")
    relation_names = {
        rel.get("IDENTIFIER", ""): rel.get("LONG-NAME", "") for rel in root.iter(f"{{{REQIF_NS}}}SPEC-RELATION-TYPE")
    }
    kinds = builtin_kinds()
    objects: dict[str, dict[str, Any]] = {}
    order: list[str] = []
    for obj in root.iterfind(f".//{prefix}SPEC-OBJECTS/{prefix}SPEC-OBJECT", ns):
        values: dict[str, str] = {}
        for value in obj.iterfind(f"{prefix}VALUES/*", ns):
            ref = next(
                (
                    e.text
                    for e in value.iter()
                    if _local(e.tag).startswith("ATTRIBUTE-DEFINITION-") and _local(e.tag).endswith("-REF")
                ),
                None,
            )
            name = attr_names.get(ref or "", "")
            if name:
                values[name] = value.get("THE-VALUE", "")
        if "kind" not in values:
            raise Ra2docsError(f"{path}: spec object {obj.get('IDENTIFIER')} has no 'kind' attribute")
        item: dict[str, Any] = {}
        if values.get("ForeignID"):
            item["id"] = values["ForeignID"]
        item["kind"] = values["kind"]
        spec = kinds.get(values["kind"])
        for name, text in values.items():
            if name in ("ForeignID", "kind"):
                continue
            ftype = spec.fields.get(name, {}).get("type") if spec else None
            if name == "tags" or ftype in _STRUCTURED:
                try:
                    item[name] = json.loads(text)
                    continue
                except json.JSONDecodeError:
                    pass
            item[name] = text
        objects[obj.get("IDENTIFIER", "")] = item
        order.append(obj.get("IDENTIFIER", ""))
    for relation in root.iterfind(f".//{prefix}SPEC-RELATIONS/{prefix}SPEC-RELATION", ns):
        refs = {_local(e.tag): (e.text or "") for e in relation.iter() if _local(e.tag).endswith("-REF")}
        source_ref = relation.find(f"{prefix}SOURCE/{prefix}SPEC-OBJECT-REF", ns)
        target_ref = relation.find(f"{prefix}TARGET/{prefix}SPEC-OBJECT-REF", ns)
        name = relation_names.get(refs.get("SPEC-RELATION-TYPE-REF", ""), "")
        if source_ref is None or target_ref is None or not name:
            raise Ra2docsError(f"{path}: relation {relation.get('IDENTIFIER')} lacks a source, target or type")
        source, target = objects.get(source_ref.text or ""), objects.get(target_ref.text or "")
        if source is None or target is None or "id" not in target:
            raise Ra2docsError(f"{path}: relation {relation.get('IDENTIFIER')} points at an unknown spec object")
        source.setdefault(name, []).append(target["id"])
    return _catalogue_files([objects[i] for i in order], {})
