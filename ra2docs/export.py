"""``ra2docs export``: the catalogue as JSON, CSV, XLSX, ReqIF 1.2 or sphinx-needs needs.json.

Every format carries every item with all its fields and its links (written
and derived); JSON and ReqIF can be read back by ``ra2docs import`` without
loss. No Sphinx here.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime, timezone
from typing import Any

from ra2docs import __version__
from ra2docs.escaping import csv_cell, to_ooxml, xlsx_cell, xml_attribute_text
from ra2docs.findings import Ra2docsError
from ra2docs.graph import TraceGraph
from ra2docs.model import Catalogue, Item

UTC = timezone.utc
FORMAT_NAME = "ra2docs-catalogue"
FORMAT_VERSION = 1


def _items(catalogue: Catalogue, kinds: list[str] | None) -> list[Item]:
    return [i for i in catalogue.sorted_items() if kinds is None or i.kind in kinds]


def _links(graph: TraceGraph, item: Item) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    written: dict[str, list[str]] = {}
    for name in graph.catalogue.kinds[item.kind].links:
        targets = [t for t in item.data.get(name, []) if isinstance(t, str)]
        if targets:
            written[name] = targets
    derived: dict[str, list[str]] = {}
    for name, source in graph.incoming(item.id):
        derived.setdefault(name, []).append(source)
    return written, derived


def to_json(graph: TraceGraph, kinds: list[str] | None = None, verdicts: Any = None) -> dict[str, Any]:
    """The catalogue as one JSON document (see ``ra2docs/schema/export.schema.json``)."""
    cat = graph.catalogue
    items = []
    for item in _items(cat, kinds):
        written, derived = _links(graph, item)
        entry: dict[str, Any] = {"fields": dict(item.data), "links": written, "incoming": derived}
        entry["fields"].pop("id", None)
        entry["fields"].pop("kind", None)
        for name in written:
            entry["fields"].pop(name, None)
        record = {"id": item.id, "kind": item.kind, **entry}
        if verdicts is not None:
            record["verdict"] = verdicts.of(item.id)
        items.append(record)
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "generator": f"ra2docs {__version__}",
        "profiles": [
            {"id": p.id, "title": p.title, **({"description": p.description} if p.description else {})}
            for p in cat.profiles.values()
        ],
        "sections": [
            {"id": s.id, "title": s.title, **({"caption": s.caption} if s.caption else {})}
            for s in cat.sections.values()
        ],
        "sources": [{k: v for k, v in vars(s).items() if v} for s in cat.sources.values()],
        "retired": sorted(cat.retired),
        "comparisons": [_comparison(c) for c in cat.comparisons.values()],
        "items": items,
    }


def _comparison(comp: Any) -> dict[str, Any]:
    return {
        "id": comp.id,
        "title": comp.title,
        "row-header": comp.row_header,
        "solutions": [{"id": s, "title": t} for s, t in comp.solutions],
        "levels": [{"id": lv, "label": label} for lv, label in comp.levels],
        "notes": [{"id": n, "text": t} for n, t in comp.notes],
        "rows": [
            {
                "item": row.item,
                **({"label": row.label} if row.label else {}),
                "cells": {s: ({"level": c.level, "note": c.note} if c.note else c.level) for s, c in row.cells.items()},
            }
            for row in comp.rows
        ],
    }


def json_text(graph: TraceGraph, kinds: list[str] | None = None, verdicts: Any = None) -> str:
    return json.dumps(to_json(graph, kinds, verdicts), indent=2, ensure_ascii=False) + "\n"


# -- tables: CSV and XLSX ----------------------------------------------------------------


def _flat(value: Any) -> str:
    if isinstance(value, list):
        return "; ".join(map(str, value))
    if isinstance(value, dict):
        return "; ".join(f"{k}={v}" for k, v in value.items())
    return "" if value is None else str(value)


def table_rows(graph: TraceGraph, items: list[Item]) -> tuple[list[str], list[list[str]]]:
    """One row per item, one column per field; nested values get dotted columns, links ID lists."""
    cat = graph.catalogue
    records: list[dict[str, str]] = []
    columns: list[str] = ["id", "kind", "title"]
    for item in items:
        written, derived = _links(graph, item)
        record: dict[str, str] = {}
        for key, value in item.data.items():
            if key in written:
                continue
            if isinstance(value, dict):
                for sub, inner in value.items():
                    record[f"{key}.{sub}"] = _flat(inner)
            else:
                record[key] = _flat(value)
        for name, targets in written.items():
            record[name] = "; ".join(targets)
        for name, sources in derived.items():
            record[f"derived {name}"] = "; ".join(sources)
        for key in record:
            if key not in columns:
                columns.append(key)
        records.append(record)
    fixed, rest = columns[:3], columns[3:]
    links = {link for kind in cat.kinds.values() for link in kind.links}
    rest.sort(key=lambda c: (c.startswith("derived "), c in links, c))
    columns = fixed + rest
    return columns, [[r.get(c, "") for c in columns] for r in records]


def csv_text(graph: TraceGraph, kinds: list[str] | None = None) -> str:
    """RFC 4180 CSV: every cell quoted (a line break inside a cell stays inside it), formulas neutralised."""
    columns, rows = table_rows(graph, _items(graph.catalogue, kinds))
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow([csv_cell(c) for c in columns])
    for row in rows:
        writer.writerow([csv_cell(c) for c in row])
    return out.getvalue()


def xlsx_bytes(graph: TraceGraph, kinds: list[str] | None = None) -> bytes:
    """One sheet per kind: a header row, filters, frozen panes."""
    try:
        from openpyxl import Workbook
        from openpyxl.utils import get_column_letter
    except ImportError:
        raise Ra2docsError("XLSX export needs openpyxl: pip install 'ra2docs[xlsx]'") from None
    book = Workbook(write_only=True)  # streams rows: several times faster on large catalogues
    cat = graph.catalogue
    for kind in cat.kinds.values():
        if kinds is not None and kind.name not in kinds:
            continue
        items = cat.by_kind(kind.name)
        if not items:
            continue
        sheet = book.create_sheet(title=_sheet_title(kind.plural, book.sheetnames))
        columns, rows = table_rows(graph, items)
        for index, column in enumerate(columns, start=1):
            width = max([len(column)] + [len(r[index - 1]) for r in rows[:200]])
            sheet.column_dimensions[get_column_letter(index)].width = min(60, max(10, width + 2))
        sheet.freeze_panes = "B2"
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(rows) + 1}"
        sheet.append([_text_cell(sheet, column, bold=True) for column in columns])
        for row in rows:
            sheet.append([_text_cell(sheet, c) for c in row])
    # Fixed document dates: the same catalogue gives the same file, build after build.
    fixed = datetime(2020, 1, 1)
    book.properties.created = book.properties.modified = fixed
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _text_cell(sheet: Any, text: str, bold: bool = False) -> Any:
    """A string cell, never a formula, with OOXML's escaping of control characters."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    cell = WriteOnlyCell(sheet, value=xlsx_cell(text))
    cell.data_type = "s"  # openpyxl would make text starting with '=' a formula
    if bold:
        cell.font = Font(bold=True)
    return cell


def _sheet_title(name: str, taken: list[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique whatever the case."""
    title = re.sub(r"[\[\]:*?/\\]", "_", name)[:31] or "Sheet"
    number = 1
    while title.lower() in (t.lower() for t in taken):
        number += 1
        title = f"{title[: 31 - len(str(number)) - 1]} {number}"
    return title


# -- ReqIF 1.2 ------------------------------------------------------------------------

_NOT_IN_IDENTIFIER = re.compile(r"[^A-Za-z0-9.-]")
# What attribute values cannot carry through XML as they are: line ends and tabs
# become spaces in attribute values (XML's normalisation), other controls are illegal.
REQIF_VALUE_ESCAPED = "\t\n\r"


def reqif_identifier(prefix: str, value: str) -> str:
    """An xsd:ID from our ID: letters, digits, '.', '-' as they are, others (``_`` too) as ``_xHHHH_``.

    Escaping ``_`` itself makes the mapping injective: 'a:b' and 'a_x003a_b' stay apart.
    """
    return prefix + _NOT_IN_IDENTIFIER.sub(lambda m: f"_x{ord(m.group()):04x}_", value)


def reqif_value(text: str) -> str:
    """An attribute value the reqif package writes losslessly (it escapes markup; ``_xHHHH_`` does the rest)."""
    return to_ooxml(text, also=REQIF_VALUE_ESCAPED)


def _reqif_long_name(text: str) -> str:
    """A LONG-NAME for the places where the reqif package writes it without escaping (spec objects)."""
    return xml_attribute_text(reqif_value(text))


def reqif_text(graph: TraceGraph, kinds: list[str] | None = None, now: str | None = None) -> str:
    """ReqIF 1.2, written by the reqif package: a spec-object type per kind, string attributes per field,
    a relation type per link, a spec object per item and a spec relation per link."""
    from reqif.models.reqif_core_content import ReqIFCoreContent
    from reqif.models.reqif_data_type import ReqIFDataTypeDefinitionString
    from reqif.models.reqif_namespace_info import ReqIFNamespaceInfo
    from reqif.models.reqif_req_if_content import ReqIFReqIFContent
    from reqif.models.reqif_reqif_header import ReqIFReqIFHeader
    from reqif.models.reqif_spec_hierarchy import ReqIFSpecHierarchy
    from reqif.models.reqif_spec_object import ReqIFSpecObject, SpecObjectAttribute
    from reqif.models.reqif_spec_object_type import ReqIFSpecObjectType, SpecAttributeDefinition
    from reqif.models.reqif_spec_relation import ReqIFSpecRelation
    from reqif.models.reqif_spec_relation_type import ReqIFSpecRelationType
    from reqif.models.reqif_specification import ReqIFSpecification
    from reqif.models.reqif_specification_type import ReqIFSpecificationType
    from reqif.models.reqif_types import SpecObjectAttributeType
    from reqif.object_lookup import ReqIFObjectLookup
    from reqif.reqif_bundle import ReqIFBundle
    from reqif.unparser import ReqIFUnparser

    string = SpecObjectAttributeType.STRING
    cat = graph.catalogue
    stamp = now or datetime.now(UTC).replace(microsecond=0).isoformat()
    items = _items(cat, kinds)
    used_kinds = [k for k in cat.kinds.values() if any(i.kind == k.name for i in items)]
    _refuse_collisions("reqif", {i.id: reqif_identifier("obj-", i.id) for i in cat.items.values()})

    field_names: dict[str, list[str]] = {}
    attribute_ids: dict[tuple[str, str], str] = {}
    spec_types: list[Any] = []
    for kind in used_kinds:
        names = ["ForeignID", "kind"]
        for item in items:
            if item.kind == kind.name:
                names += [k for k in item.data if k not in ("id", "kind", *kind.links, *names)]
        field_names[kind.name] = names
        definitions = []
        for name in names:
            identifier = reqif_identifier("attr-", kind.name) + "--" + reqif_identifier("", name)
            attribute_ids[(kind.name, name)] = identifier
            definitions.append(
                SpecAttributeDefinition(
                    attribute_type=string,
                    identifier=identifier,
                    datatype_definition="dt-string",
                    last_change=stamp,
                    long_name=name,
                )
            )
        spec_types.append(
            ReqIFSpecObjectType(
                identifier=reqif_identifier("type-", kind.name),
                last_change=stamp,
                long_name=kind.label,
                attribute_definitions=definitions,
            )
        )
    _refuse_collisions("reqif attribute", {f"{k}.{n}": i for (k, n), i in attribute_ids.items()})
    for name in sorted({link for kind in used_kinds for link in kind.links}):
        spec_types.append(
            ReqIFSpecRelationType(
                identifier=reqif_identifier("rel-", name), last_change=stamp, long_name=_reqif_long_name(name)
            )
        )
    spec_types.append(ReqIFSpecificationType(identifier="spec-type", last_change=stamp, long_name="Catalogue"))

    spec_objects = []
    for item in items:
        attributes = []
        for name in field_names[item.kind]:
            if name == "ForeignID":
                value = item.id
            elif name == "kind":
                value = item.kind
            elif name in item.data:
                raw = item.data[name]
                value = json.dumps(raw, ensure_ascii=False) if isinstance(raw, (dict, list)) else str(raw)
            else:
                continue
            attributes.append(
                SpecObjectAttribute(
                    attribute_type=string, definition_ref=attribute_ids[(item.kind, name)], value=reqif_value(value)
                )
            )
        spec_objects.append(
            ReqIFSpecObject(
                identifier=reqif_identifier("obj-", item.id),
                attributes=attributes,
                spec_object_type=reqif_identifier("type-", item.kind),
                last_change=stamp,
                long_name=_reqif_long_name(item.title or item.id),
            )
        )
    chosen = {i.id for i in items}
    relations = [
        ReqIFSpecRelation(
            identifier=f"link-{number}",
            relation_type_ref=reqif_identifier("rel-", link.field),
            source=reqif_identifier("obj-", link.source),
            target=reqif_identifier("obj-", link.target),
            last_change=stamp,
        )
        for number, link in enumerate(link for link in cat.links if link.source in chosen and link.target in chosen)
    ]
    specification = ReqIFSpecification(
        identifier="spec-catalogue",
        last_change=stamp,
        long_name="RA2 catalogue",
        specification_type="spec-type",
        children=[
            ReqIFSpecHierarchy(
                identifier=reqif_identifier("h-", item.id),
                spec_object=reqif_identifier("obj-", item.id),
                level=1,
                last_change=stamp,
                editable=None,
                is_table_internal=None,
            )
            for item in items
        ],
    )
    content = ReqIFReqIFContent(
        data_types=[
            ReqIFDataTypeDefinitionString(
                identifier="dt-string", last_change=stamp, long_name="String", max_length="1000000"
            )
        ],
        spec_types=spec_types,
        spec_objects=spec_objects,
        spec_relations=relations,
        specifications=[specification],
    )
    header = ReqIFReqIFHeader(
        identifier="ra2docs-header",
        creation_time=stamp,
        req_if_tool_id="ra2docs",
        req_if_version="1.0",
        source_tool_id=f"ra2docs {__version__}",
        title="RA2 catalogue",
    )
    bundle = ReqIFBundle(
        namespace_info=ReqIFNamespaceInfo.create_default(),
        req_if_header=header,
        core_content=ReqIFCoreContent(req_if_content=content),
        tool_extensions_tag_exists=False,
        lookup=ReqIFObjectLookup.empty(),
        exceptions=[],
    )
    return ReqIFUnparser.unparse(bundle)


# -- sphinx-needs needs.json --------------------------------------------------------------

NEED_TYPES = {
    "rm-capability": "rm",
    "rm-requirement": "rm",
    "ra-requirement": "req",
    "specification": "spec",
    "gap": "gap",
    "test-case": "test",
}


def needs_id(item_id: str) -> str:
    """sphinx-needs IDs take no dots: 'req.inf.ntw.03' -> 'REQ_INF_NTW_03' (recorded as ra2_id)."""
    return re.sub(r"[^A-Za-z0-9_]", "_", item_id).upper()


def needs_json(graph: TraceGraph, kinds: list[str] | None = None, project: str = "RA2") -> dict[str, Any]:
    cat = graph.catalogue
    _refuse_collisions("needs-json", {item.id: needs_id(item.id) for item in cat.items.values()})
    needs: dict[str, Any] = {}
    for item in _items(cat, kinds):
        written, _ = _links(graph, item)
        need_id = needs_id(item.id)
        links = [needs_id(t) for targets in written.values() for t in targets if t in cat.items]
        needs[need_id] = {
            "id": need_id,
            "title": item.title or item.id,
            "type": NEED_TYPES.get(item.kind, "req"),
            "content": item.text,
            "status": item.status,
            "tags": [item.kind],
            "links": links,
            "ra2_id": item.id,
            "section_name": item.section,
        }
    return {
        "created": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "current_version": "1.0",
        "project": project,
        "versions": {"1.0": {"created": "", "needs": needs, "needs_amount": len(needs)}},
    }


def _refuse_collisions(format_name: str, mapping: dict[str, str]) -> None:
    """No export may merge two items: refuse when two IDs map to one identifier of the format."""
    by_target: dict[str, list[str]] = {}
    for source, target in mapping.items():
        by_target.setdefault(target, []).append(source)
    clashes = {t: sorted(s) for t, s in by_target.items() if len(s) > 1}
    if clashes:
        shown = "; ".join(f"{', '.join(map(repr, s))} all become {t!r}" for t, s in sorted(clashes.items())[:10])
        raise Ra2docsError(
            f"{format_name}: {len(clashes)} identifiers would be shared by several items, and one would overwrite "
            f"the other: {shown}. Rename one of each, or export another format"
        )
