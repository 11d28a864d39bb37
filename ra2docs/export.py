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
from datetime import UTC, datetime
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from ra2docs import __version__
from ra2docs.graph import TraceGraph
from ra2docs.model import Catalogue, Item

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
    columns, rows = table_rows(graph, _items(graph.catalogue, kinds))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        # A cell starting with = + - @ would be a formula in a spreadsheet: quote it as text.
        writer.writerow(["'" + c if c[:1] in ("=", "+", "-", "@") else c for c in row])
    return out.getvalue()


def xlsx_bytes(graph: TraceGraph, kinds: list[str] | None = None) -> bytes:
    """One sheet per kind: a header row, filters, frozen panes."""
    try:
        from openpyxl import Workbook
        from openpyxl.styles import Font
        from openpyxl.utils import get_column_letter
    except ImportError:
        from ra2docs.findings import Ra2docsError

        raise Ra2docsError("XLSX export needs openpyxl: pip install 'ra2docs[xlsx]'") from None
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)  # streams rows: several times faster on large catalogues
    cat = graph.catalogue
    for kind in cat.kinds.values():
        if kinds is not None and kind.name not in kinds:
            continue
        items = cat.by_kind(kind.name)
        if not items:
            continue
        sheet = book.create_sheet(title=kind.plural[:31])
        columns, rows = table_rows(graph, items)
        for index, column in enumerate(columns, start=1):
            width = max([len(column)] + [len(r[index - 1]) for r in rows[:200]])
            sheet.column_dimensions[get_column_letter(index)].width = min(60, max(10, width + 2))
        sheet.freeze_panes = "B2"
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(rows) + 1}"
        header = []
        for column in columns:
            cell = WriteOnlyCell(sheet, value=column)
            cell.font = Font(bold=True)
            header.append(cell)
        sheet.append(header)
        for row in rows:
            sheet.append([c if c[:1] not in ("=", "+", "-", "@") else "'" + c for c in row])
    # Fixed document dates: the same catalogue gives the same file, build after build.
    fixed = datetime(2020, 1, 1, tzinfo=UTC).replace(tzinfo=None)
    book.properties.created = book.properties.modified = fixed
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# -- ReqIF 1.2 ------------------------------------------------------------------------

REQIF_NS = "http://www.omg.org/spec/ReqIF/20110401/reqif.xsd"
_NCNAME = re.compile(r"[^A-Za-z0-9_.-]")


def reqif_identifier(prefix: str, value: str) -> str:
    """An xsd:ID built from our ID: letters, digits, '_', '.', '-'; escaped otherwise."""
    return prefix + _NCNAME.sub(lambda m: f"_x{ord(m.group()):04x}_", value)


def reqif_text(graph: TraceGraph, kinds: list[str] | None = None, now: str | None = None) -> str:
    """ReqIF 1.2: a spec-object type per kind, string attributes per field, a relation type per link."""
    cat = graph.catalogue
    stamp = now or datetime.now(UTC).replace(microsecond=0).isoformat()
    items = _items(cat, kinds)
    used_kinds = [k for k in cat.kinds.values() if any(i.kind == k.name for i in items)]
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<REQ-IF xmlns="{REQIF_NS}">',
        "  <THE-HEADER>",
        '    <REQ-IF-HEADER IDENTIFIER="ra2docs-header">',
        f"      <CREATION-TIME>{stamp}</CREATION-TIME>",
        "      <REQ-IF-TOOL-ID>ra2docs</REQ-IF-TOOL-ID>",
        "      <REQ-IF-VERSION>1.0</REQ-IF-VERSION>",
        f"      <SOURCE-TOOL-ID>ra2docs {__version__}</SOURCE-TOOL-ID>",
        "      <TITLE>RA2 catalogue</TITLE>",
        "    </REQ-IF-HEADER>",
        "  </THE-HEADER>",
        "  <CORE-CONTENT>",
        "    <REQ-IF-CONTENT>",
        "      <DATATYPES>",
        f'        <DATATYPE-DEFINITION-STRING IDENTIFIER="dt-string" LAST-CHANGE="{stamp}" '
        'LONG-NAME="String" MAX-LENGTH="1000000"/>',
        "      </DATATYPES>",
        "      <SPEC-TYPES>",
    ]
    field_names: dict[str, list[str]] = {}
    for kind in used_kinds:
        names = ["ForeignID", "kind"]
        for item in items:
            if item.kind == kind.name:
                for key in item.data:
                    if key not in ("id", "kind") and key not in kind.links and key not in names:
                        names.append(key)
        field_names[kind.name] = names
        out.append(
            f'        <SPEC-OBJECT-TYPE IDENTIFIER="{reqif_identifier("type-", kind.name)}" LAST-CHANGE="{stamp}" '
            f"LONG-NAME={quoteattr(kind.label)}>"
        )
        out.append("          <SPEC-ATTRIBUTES>")
        for name in names:
            out.append(
                "            <ATTRIBUTE-DEFINITION-STRING "
                f'IDENTIFIER="{reqif_identifier("attr-" + kind.name + "-", name)}" '
                f'LAST-CHANGE="{stamp}" LONG-NAME={quoteattr(name)}>'
                "<TYPE><DATATYPE-DEFINITION-STRING-REF>dt-string</DATATYPE-DEFINITION-STRING-REF></TYPE>"
                "</ATTRIBUTE-DEFINITION-STRING>"
            )
        out.append("          </SPEC-ATTRIBUTES>")
        out.append("        </SPEC-OBJECT-TYPE>")
    link_names = sorted({link for kind in used_kinds for link in kind.links})
    for name in link_names:
        out.append(
            f'        <SPEC-RELATION-TYPE IDENTIFIER="{reqif_identifier("rel-", name)}" LAST-CHANGE="{stamp}" '
            f"LONG-NAME={quoteattr(name)}/>"
        )
    out.append('        <SPECIFICATION-TYPE IDENTIFIER="spec-type" LAST-CHANGE="' + stamp + '" LONG-NAME="Catalogue"/>')
    out += ["      </SPEC-TYPES>", "      <SPEC-OBJECTS>"]
    for item in items:
        out.append(
            f'        <SPEC-OBJECT IDENTIFIER="{reqif_identifier("obj-", item.id)}" LAST-CHANGE="{stamp}" '
            f"LONG-NAME={quoteattr(item.title or item.id)}>"
        )
        out.append("          <VALUES>")
        for name in field_names[item.kind]:
            if name == "ForeignID":
                value = item.id
            elif name == "kind":
                value = item.kind
            elif name in item.data:
                value = (
                    json.dumps(item.data[name], ensure_ascii=False)
                    if isinstance(item.data[name], (dict, list))
                    else str(item.data[name])
                )
            else:
                continue
            out.append(
                f"            <ATTRIBUTE-VALUE-STRING THE-VALUE={quoteattr(value)}><DEFINITION>"
                f"<ATTRIBUTE-DEFINITION-STRING-REF>{reqif_identifier('attr-' + item.kind + '-', name)}"
                "</ATTRIBUTE-DEFINITION-STRING-REF></DEFINITION></ATTRIBUTE-VALUE-STRING>"
            )
        out.append("          </VALUES>")
        out.append(
            "          <TYPE><SPEC-OBJECT-TYPE-REF>"
            f"{reqif_identifier('type-', item.kind)}</SPEC-OBJECT-TYPE-REF></TYPE>"
        )
        out.append("        </SPEC-OBJECT>")
    out += ["      </SPEC-OBJECTS>", "      <SPEC-RELATIONS>"]
    chosen = {i.id for i in items}
    chosen_links = [link for link in cat.links if link.source in chosen and link.target in chosen]
    for number, link in enumerate(chosen_links):
        out.append(
            f'        <SPEC-RELATION IDENTIFIER="link-{number}" LAST-CHANGE="{stamp}">'
            f"<SOURCE><SPEC-OBJECT-REF>{reqif_identifier('obj-', link.source)}</SPEC-OBJECT-REF></SOURCE>"
            f"<TARGET><SPEC-OBJECT-REF>{reqif_identifier('obj-', link.target)}</SPEC-OBJECT-REF></TARGET>"
            f"<TYPE><SPEC-RELATION-TYPE-REF>{reqif_identifier('rel-', link.field)}</SPEC-RELATION-TYPE-REF></TYPE>"
            "</SPEC-RELATION>"
        )
    out += [
        "      </SPEC-RELATIONS>",
        "      <SPECIFICATIONS>",
        f'        <SPECIFICATION IDENTIFIER="spec-catalogue" LAST-CHANGE="{stamp}" LONG-NAME="RA2 catalogue">',
        "          <TYPE><SPECIFICATION-TYPE-REF>spec-type</SPECIFICATION-TYPE-REF></TYPE>",
        "          <CHILDREN>",
    ]
    for item in items:
        out.append(
            f'            <SPEC-HIERARCHY IDENTIFIER="{reqif_identifier("h-", item.id)}" LAST-CHANGE="{stamp}">'
            f"<OBJECT><SPEC-OBJECT-REF>{reqif_identifier('obj-', item.id)}</SPEC-OBJECT-REF></OBJECT></SPEC-HIERARCHY>"
        )
    out += [
        "          </CHILDREN>",
        "        </SPECIFICATION>",
        "      </SPECIFICATIONS>",
        "    </REQ-IF-CONTENT>",
        "  </CORE-CONTENT>",
        "</REQ-IF>",
    ]
    return "\n".join(out) + "\n"


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


def escape_text(text: str) -> str:
    return escape(text)
