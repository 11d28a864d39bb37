"""Exports: JSON (against its schema), CSV, XLSX, ReqIF (against the ReqIF XSD), needs.json; round trips."""

from __future__ import annotations

import csv
import io
import json
from importlib import resources
from pathlib import Path

import jsonschema
import openpyxl
import pytest
import xmlschema
from conftest import EDITION_2020, PROFILES, ROOT, ra2docs, run, write

from ra2docs.check import analyse
from ra2docs.loader import load_catalogue


def export(tmp_path: Path, fmt: str, *extra: str) -> Path:
    suffix = {"json": "json", "csv": "csv", "xlsx": "xlsx", "reqif": "reqif", "needs-json": "needs.json"}[fmt]
    out = tmp_path / f"catalogue.{suffix}"
    result = ra2docs("export", "--format", fmt, "--output", str(out), *extra, cwd=EDITION_2020)
    assert result.returncode == 0, result.stderr
    return out


def shipped():
    return load_catalogue(EDITION_2020 / "catalogue", base=ROOT).catalogue


def same_catalogue(a, b) -> None:
    """Item by item, field by field, link by link."""
    assert sorted(a.items) == sorted(b.items)
    for item_id, item in a.items.items():
        assert b.items[item_id].kind == item.kind
        assert b.items[item_id].data == item.data, item_id
    links = lambda cat: sorted((link.source, link.field, link.target) for link in cat.links)  # noqa: E731
    assert links(a) == links(b)


def test_json_export_is_valid_and_complete(tmp_path):
    out = export(tmp_path, "json")
    data = json.loads(out.read_text())
    schema = json.loads(resources.files("ra2docs").joinpath("schema/export.schema.json").read_text())
    jsonschema.validate(data, schema)
    cat = shipped()
    assert {i["id"] for i in data["items"]} == set(cat.items)
    spec = next(i for i in data["items"] if i["id"] == "ra2.ntw.001")
    assert spec["links"] == {"traces": ["req.inf.ntw.06", "req.inf.ntw.03"]}
    req = next(i for i in data["items"] if i["id"] == "req.inf.ntw.03")
    assert req["incoming"]["specified-by"] == ["ra2.ntw.001"] and req["fields"]["priority"] == "SHOULD"
    assert data["comparisons"][0]["id"] == "cni-multiplexers"


def test_json_export_with_verdicts(tmp_path):
    out = export(
        tmp_path,
        "json",
        "--results",
        str(ROOT / "results/sample/**/*.xml"),
        "--results",
        str(ROOT / "results/sample/**/*.json"),
    )
    items = {i["id"]: i for i in json.loads(out.read_text())["items"]}
    assert items["req.inf.ntw.04"]["verdict"] == "fail" and items["req.gen.cnt.03"]["verdict"] == "pass"


def test_json_round_trip_is_loss_free(tmp_path):
    out = export(tmp_path, "json")
    result = ra2docs("import", str(out), "--catalogue", str(tmp_path / "back"), cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    back = load_catalogue(tmp_path / "back", base=tmp_path)
    assert not back.fatal and [f for f in analyse(back) if f.severity == "error"] == []
    same_catalogue(shipped(), back.catalogue)
    original = shipped()
    assert back.catalogue.profiles == original.profiles and back.catalogue.sections == original.sections
    assert back.catalogue.comparisons.keys() == original.comparisons.keys()
    assert [r.cells for r in back.catalogue.comparisons["cni-multiplexers"].rows] == [
        r.cells for r in original.comparisons["cni-multiplexers"].rows
    ]


def test_reqif_export_is_valid_against_the_reqif_xsd_and_round_trips(tmp_path):
    out = export(tmp_path, "reqif")
    xsd = resources.files("reqif").joinpath("reqif_schema/reqif.xsd")
    schema = xmlschema.XMLSchema(str(xsd))
    schema.validate(str(out))
    result = ra2docs("import", str(out), "--catalogue", str(tmp_path / "back"), cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    back = load_catalogue(tmp_path / "back", base=tmp_path).catalogue
    same_catalogue(shipped(), back)


def test_csv_has_a_row_per_item_and_a_column_per_field(tmp_path):
    rows = list(csv.DictReader(io.StringIO(export(tmp_path, "csv").read_text())))
    cat = shipped()
    assert {r["id"] for r in rows} == set(cat.items)
    row = next(r for r in rows if r["id"] == "i.cap.018")
    assert row["values.network-intensive"] == "Must support" and row["kind"] == "rm-capability"
    spec = next(r for r in rows if r["id"] == "ra2.k8s.004")
    assert spec["traces"] == "req.gen.rsl.01; req.gen.avl.01; req.kcm.gen.02; req.inf.com.01"
    assert next(r for r in rows if r["id"] == "req.inf.com.01")["derived specified-by"] == "ra2.k8s.004"


def test_xlsx_has_a_sheet_per_kind_with_filters_and_frozen_panes(tmp_path):
    book = openpyxl.load_workbook(export(tmp_path, "xlsx"))
    cat = shipped()
    assert set(book.sheetnames) == {k.plural[:31] for k in cat.kinds.values() if cat.by_kind(k.name)}
    sheet = book["RA2 requirements"]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["id", "kind", "title"] and "statement" in header
    assert sheet.freeze_panes == "B2" and sheet.auto_filter.ref.startswith("A1:")
    assert sheet.max_row - 1 == len(cat.by_kind("ra-requirement"))


def test_needs_json_is_imported_by_sphinx_needs(tmp_path):
    out = export(tmp_path, "needs-json")
    data = json.loads(out.read_text())
    source = tmp_path / "site"
    source.mkdir()
    (source / "ra2.json").write_text(out.read_text())
    needs = data["versions"]["1.0"]["needs"]
    assert needs["REQ_INF_NTW_03"]["ra2_id"] == "req.inf.ntw.03"
    (source / "conf.py").write_text(
        'extensions = ["sphinx_needs"]\n'
        "needs_types = ["
        + ", ".join(
            f'{{"directive": "{t}", "title": "{t}", "prefix": "", "color": "#ffffff", "style": "node"}}'
            for t in ("rm", "req", "spec", "gap", "test")
        )
        + "]\n"
        'needs_extra_options = ["ra2_id"]\nneeds_id_regex = r"^[A-Z0-9_]{2,}"\n'
    )
    (source / "index.rst").write_text("Imported\n========\n\n.. needimport:: ra2.json\n")
    built = run("sphinx-build", "-q", "-b", "html", str(source), str(tmp_path / "html"))
    assert built.returncode == 0, built.stderr
    page = (tmp_path / "html" / "index.html").read_text()
    assert 'id="REQ_INF_NTW_03"' in page and 'id="RA2_NTW_001"' in page


@pytest.mark.build
def test_the_site_offers_the_json_and_xlsx_exports_as_downloads(built_site: Path):
    page = (built_site / "_generated" / "downloads.html").read_text()
    from htmlparse import parse

    links = {text: href for href, text in parse(page).links}
    json_file = (built_site / "_generated" / links["JSON"]).resolve()
    xlsx_file = (built_site / "_generated" / links["Excel workbook (XLSX)"]).resolve()
    data = json.loads(json_file.read_text())
    assert {i["id"] for i in data["items"]} == set(shipped().items)
    assert "RA2 requirements" in openpyxl.load_workbook(xlsx_file).sheetnames


HOSTILE = {
    "profiles.yaml": PROFILES,
    "a.yaml": """\
    items:
      - {id: 'a:b', kind: test-case, title: "colon\\x01 =2+2", project: p}
      - {id: a_x003a_b, kind: test-case, title: "\\t=1+1", project: p}
      - {id: e2e.c, kind: test-case, title: "cell\\r=2+2", project: p, description: "two\\nlines & <markup> \\"quoted\\" _x0041_"}
    """,
    # Control characters are findings and replaced by U+FFFD when read (RA604), whatever the severity;
    # turned off here so that the exports run on what remains.
    "ra2docs.toml": '[severity]\ncontrol-character = "off"\n',
}


def hostile_export(tmp_path: Path, fmt: str, catalogue: dict[str, str] = HOSTILE):
    folder = write(tmp_path / "cat", catalogue)
    out = tmp_path / f"out.{fmt}"
    return ra2docs("export", "--format", fmt, "--output", str(out), "--catalogue", str(folder), cwd=tmp_path), out


def test_csv_quotes_line_breaks_and_neutralises_formulas(tmp_path):
    result, out = hostile_export(tmp_path, "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8"), newline="")))
    assert len(rows) == 4  # the header and one row per item
    titles = {row[0]: row[2] for row in rows[1:]}
    assert titles == {"a:b": "colon\ufffd =2+2", "a_x003a_b": "'\t=1+1", "e2e.c": "cell\ufffd=2+2"}
    assert all(cell[:1] not in ("=", "+", "-", "@", "\t", "\r") for row in rows for cell in row)


def test_xlsx_holds_control_characters_and_no_formula(tmp_path):
    result, out = hostile_export(tmp_path, "xlsx")
    assert result.returncode == 0, result.stderr
    sheet = openpyxl.load_workbook(out)["Test cases"]
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    titles = {row[0].value: row[2].value for row in sheet.iter_rows(min_row=2)}
    assert titles["a:b"] == "colon\ufffd =2+2"  # replaced when read (RA604); OOXML's escaping: test_output_escaping
    assert titles["a_x005F_x003a_b"] == "'\t=1+1"  # a literal _x003a_ is escaped too, so Excel shows it as written


def test_needs_json_refuses_ids_that_would_merge(tmp_path):
    catalogue = dict(HOSTILE, **{"b.yaml": "items:\n  - {id: e2e_c, kind: test-case, title: C2, project: p}\n"})
    result, out = hostile_export(tmp_path, "needs-json", catalogue)
    assert result.returncode == 2 and not out.exists()
    assert "'e2e.c', 'e2e_c' all become 'E2E_C'" in result.stderr


def test_reqif_keeps_colliding_ids_apart_and_control_characters_round_trip(tmp_path):
    result, out = hostile_export(tmp_path, "reqif")
    assert result.returncode == 0, result.stderr
    xmlschema.XMLSchema(str(resources.files("reqif").joinpath("reqif_schema/reqif.xsd"))).validate(str(out))
    back = ra2docs("import", str(out), "--catalogue", str(tmp_path / "back"), cwd=tmp_path)
    assert back.returncode == 0, back.stdout + back.stderr
    original = load_catalogue(tmp_path / "cat", base=tmp_path).catalogue
    same_catalogue(original, load_catalogue(tmp_path / "back", base=tmp_path).catalogue)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        (
            b'{"format": "ra2docs-catalogue", "version": 1, "items": [{"id": "x", "kind": "gap", "fields": [], "links": {}, "incoming": {}}]}',
            "at items/0/fields",
        ),
        (b'{"format": "ra2docs-catalogue", "version": 1, "items": 5}', "at items"),
        (b'{"format": "ra2docs-catalogue", "format": "x", "version": 1, "items": []}', "duplicate key 'format'"),
        (
            b'{"format": "ra2docs-catalogue", "version": 1, "items": [' + b"[" * 100_000 + b"]" * 100_000 + b"]}",
            "nested",
        ),
        (b'{"format": "ra2docs-catalogue",\n "version": 1, "items": [}', "x.json:2:"),
        (b"\xff\xfe", "not UTF-8"),
    ],
)
def test_malformed_json_is_refused_on_import(tmp_path, text, says):
    (tmp_path / "x.json").write_bytes(text)
    result = ra2docs("import", str(tmp_path / "x.json"), "--catalogue", str(tmp_path / "back"), cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert says in result.stderr and not (tmp_path / "back").exists()


def test_reqif_with_a_doctype_is_refused_on_import(tmp_path):
    (tmp_path / "x.reqif").write_text('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x "y">]><REQ-IF>&x;</REQ-IF>')
    result = ra2docs("import", str(tmp_path / "x.reqif"), "--catalogue", str(tmp_path / "back"), cwd=tmp_path)
    assert result.returncode == 2 and "refused" in result.stderr and "Traceback" not in result.stderr


def test_reqif_with_a_forty_megabyte_attribute_is_refused_at_once_on_import(tmp_path):
    head = b'<?xml version="1.0"?>\n<REQ-IF xmlns="http://www.omg.org/spec/ReqIF/20110401/reqif.xsd" IDENTIFIER="'
    (tmp_path / "x.reqif").write_bytes(head + b"a" * 40 * 1024 * 1024 + b'"/>')
    result = ra2docs("import", str(tmp_path / "x.reqif"), "--catalogue", str(tmp_path / "back"), cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "x.reqif:2: an XML tag (with its attributes) or comment longer than 1,048,576 bytes" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "back").exists()
