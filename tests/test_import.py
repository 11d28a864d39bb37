"""`ra2docs import` on the real upstream sources, and on broken input."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import yaml
from conftest import EDITION_2020, SHARED, ra2docs, run, write

UPSTREAM = SHARED / "upstream"
ID_HEADERS = {"ref", "ref #", "reference", ".conf"}


def _strip(cell: str) -> str:
    cell = re.sub(r"<br\s*/?>.*", "", cell)  # RM 4.2.5: '`e.cap.001`<br />(#vCPU cores)'
    cell = re.sub(r"<[^<>]*>", "", cell)  # an unknown tag ('<Testing>') shows as nothing on GitHub
    return cell.replace("`", "").replace("*", "").strip()


def markdown_ids(path: Path) -> set[str]:
    """IDs standing in the ID column of every Markdown table, counted without the importer."""
    ids: set[str] = set()
    lines = path.read_text(encoding="utf-8").splitlines()
    column = None
    in_comment = False
    for index, line in enumerate(lines):
        if "<!--" in line:
            in_comment = "-->" not in line
        elif "-->" in line:
            in_comment = False
            continue
        if in_comment:
            continue
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if "|" in line and re.match(r"^\s*\|?\s*:?-{2,}", following):
            cells = [c.strip().lower() for c in line.strip().strip("|").split("|")]
            column = next((i for i, c in enumerate(cells) if c in ID_HEADERS), None)
            continue
        if column is None or "|" not in line or re.match(r"^\s*\|?\s*:?-{2,}", line):
            if not line.strip():
                column = None
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if column < len(cells):
            for token in _strip(cells[column]).split(","):
                # '.tiny', '.bronze': names of flavours and configurations, not catalogue IDs
                if token.strip() and not token.strip().startswith("."):
                    ids.add(token.strip())
    return ids


def rst_ids(path: Path) -> set[str]:
    """IDs in the ID column of every RST list-table, counted without the importer."""
    ids: set[str] = set()
    text = path.read_text(encoding="utf-8")
    for block in re.split(r"\n\.\. list-table::", text)[1:]:
        rows = re.split(r"\n\s+\* - ", block)
        header = [c.strip().lower() for c in re.split(r"\n\s+- ", rows[1])] if len(rows) > 1 else []
        column = next((i for i, c in enumerate(header) if c in ID_HEADERS), None)
        if column is None:
            continue
        for row in rows[2:]:
            row = re.split(r"\n\S", row)[0]
            cells = [" ".join(c.split()) for c in re.split(r"\n\s+- |\n\s+-\n", row)]
            if column < len(cells) and cells[column].strip():
                ids.update(token.strip() for token in cells[column].split(",") if token.strip())
    return ids


def imported(folder: Path) -> list[dict]:
    items = []
    for path in sorted(folder.glob("*.yaml")):
        items.extend((yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("items", []))
    return items


def test_import_of_the_2020_sources_finds_every_id(tmp_path):
    result = ra2docs("import", str(UPSTREAM / "anuket-2020-08"), "--catalogue", str(tmp_path / "cat"), cwd=UPSTREAM)
    assert result.returncode == 1, result.stdout  # upstream has rows it cannot fully map, reported
    assert "Traceback" not in result.stdout + result.stderr
    expected: set[str] = set()
    for chapter in ["ra2/chapter02.md", "ra2/chapter04.md", "rm/chapter04.md", "rm/chapter05.md", "rm/chapter07.md"]:
        expected |= markdown_ids(UPSTREAM / "anuket-2020-08" / chapter)
    assert len(expected) > 370
    ids = {item.get("id") for item in imported(tmp_path / "cat")}
    assert expected - ids == set()
    # the summary says what was read per file
    assert "ra2/chapter04.md: 7 tables, 59 rows, 59 items, 38 links" in result.stdout
    # rows that could not be fully mapped are reported with file (relative to the folder read) and line
    assert "ra2/chapter04.md:65: warning: ID 'ra2.ch.015' is given to two different rows of one table" in result.stdout
    assert "ra2/chapter02.md:196: warning: row without an ID" in result.stdout
    assert "ra2/chapter02.md:182: warning: row has 5 cells, the header has 4" in result.stdout
    # a row GitHub does not show (it runs on in the line of the row before) is read, and said so
    assert "rm/chapter04.md:488: warning: a second row runs on in this row's line" in result.stdout
    # gaps of chapter 6, with the template skipped and said so
    gaps = {i["id"]: i for i in imported(tmp_path / "cat") if i["kind"] == "gap"}
    assert gaps["gap.hw-topology-aware-hugepages"]["related"] == ["nfvi.com.cfg.004", "nfvi.com.cfg.002"]
    assert gaps["gap.hw-topology-aware-hugepages"]["baseline"] == "*Kubernetes v1.17*"  # upstream emphasis kept
    assert len(gaps) == 8 and "gap 6.2.0 'Gap template' is the template: skipped" in result.stdout
    # every Reference Model item, cited by RA2 or not, is imported (e.cap.017 even from a row GitHub hides)
    assert {"e.cap.017", "i.pm.001", "i.cap.018"} <= ids


def test_check_on_the_raw_2020_import_reports_the_real_defects_and_nothing_else(tmp_path):
    imported = ra2docs("import", str(UPSTREAM / "anuket-2020-08"), "--catalogue", str(tmp_path / "cat"), cwd=UPSTREAM)
    assert imported.returncode == 1, imported.stderr  # written, with the rows it could not fully map reported
    import json

    result = ra2docs("check", "--catalogue", str(tmp_path / "cat"), "--format", "json", cwd=tmp_path)
    assert result.returncode == 1
    findings = json.loads(result.stdout)["findings"]
    by_rule: dict[str, list[dict]] = {}
    for finding in findings:
        assert finding["file"].startswith("cat/") and finding["line"] > 0
        if finding["severity"] == "info":  # coverage facts (RA501, RA503), not defects
            assert finding["rule"] in ("RA501", "RA503")
            continue
        by_rule.setdefault(finding["rule"], []).append(finding)
    assert set(by_rule) == {"RA301", "RA401", "RA305", "RA601", "RA302", "RA303", "RA502"}
    # specifications with content but no requirement trace upstream ('TBC' or an empty cell)
    unsupported = {"ra2.k8s.005", "ra2.k8s.008", *(f"ra2.ntw.00{n}" for n in range(3, 7))}
    unsupported |= {f"ra2.stg.00{n}" for n in (1, 2, 3, 5, 6, 7)}
    assert {f["item"] for f in by_rule["RA502"]} == unsupported
    # the duplicate ra2.ch.015: its second row is kept (as a listing), and reported
    (dup,) = by_rule["RA301"]
    assert dup["item"] == "ra2.ch.015" and dup["severity"] == "warning" and "two rows" in dup["message"]
    # gap 6.2.8's stale nfvi.* references, with their infra.* suggestions
    assert sorted((f["message"], f["suggestion"]) for f in by_rule["RA401"]) == [
        ("related 'nfvi.com.cfg.002': no such item", "did you mean 'infra.com.cfg.002'?"),
        ("related 'nfvi.com.cfg.004': no such item", "did you mean 'infra.com.cfg.004'?"),
    ]
    # the 88 sec.* citations of chapter 2, each pointing at its req.sec.* definition
    assert len(by_rule["RA305"]) == 88
    for finding in by_rule["RA305"]:
        assert finding["item"].startswith("sec.")
        assert finding["suggestion"].startswith(f"did you mean 'req.{finding['item']}'?")
    # the empty placeholders
    placeholders = {f["item"] for f in by_rule["RA601"]}
    expected = {f"ra2.ch.{n:03d}" for n in range(17, 22)} | {f"ra2.k8s.{n:03d}" for n in range(11, 16)}
    expected |= {f"ra2.crt.{n:03d}" for n in range(1, 5)} | {f"ra2.app.{n:03d}" for n in range(1, 5)}
    expected |= {"infra.com.acc.cfg.001"}  # RM 5.1.1: only an editor's note 'To be worked on'
    assert placeholders == expected
    # rows without an ID: two in RA2 chapter 2 (secure GUI access, OWASP testing guide), three in RM chapter 7
    # (secure GUI access, an editor's question, and the OWASP row whose '<Testing>' GitHub shows as nothing)
    assert sorted(f["file"] for f in by_rule["RA302"]) == ["cat/ra2-chapter02.yaml"] * 2 + ["cat/rm-chapter07.yaml"] * 3
    # IDs that are not IDs: the typos nn10 / nn50 of RA2 2.2.2, and the template row of RM 4
    assert {f["item"] for f in by_rule["RA303"]} == {"nn10", "nn50", "e.pm.xxx"}


def test_import_of_todays_rst_finds_every_id_of_chapters_2_and_4(tmp_path):
    source = write(tmp_path / "src", {})
    for name in ("chapter02.rst", "chapter04.rst"):
        (source / name).write_text((UPSTREAM / "ra2-rst" / name).read_text(encoding="utf-8"), encoding="utf-8")
    result = ra2docs("import", str(source), "--catalogue", str(tmp_path / "cat"), "--format", "rst", cwd=tmp_path)
    assert result.returncode in (0, 1) and "Traceback" not in result.stdout + result.stderr
    expected = rst_ids(source / "chapter02.rst") | rst_ids(source / "chapter04.rst")
    assert len(expected) > 400
    items = imported(tmp_path / "cat")
    ids = {item.get("id") for item in items}
    assert expected - ids == set()
    # today's profiles, read from the column headers
    profiles = yaml.safe_load((tmp_path / "cat" / "profiles.yaml").read_text())["profiles"]
    assert {p["id"] for p in profiles} >= {"basic", "high-performance"}
    # chapter 2's 'Specification Reference' and chapter 4's 'Requirement Trace' end up on the specification
    spec = next(i for i in items if i.get("id") == "ra2.ch.011")
    assert "e.cap.001" in spec["traces"]
    assert "[RA404]" in result.stdout  # and one-sided pairs are reported


def test_import_of_today_s_chapter_7_finds_every_gap_with_its_fields(tmp_path):
    source = write(tmp_path / "src", {})
    chapter = UPSTREAM / "ra2-repo-2025-08" / "doc" / "ref_arch" / "kubernetes" / "chapters" / "chapter07.rst"
    (source / "chapter07.rst").write_text(chapter.read_text(encoding="utf-8"), encoding="utf-8")
    result = ra2docs("import", str(source), "--catalogue", str(tmp_path / "cat"), "--format", "rst", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    gaps = {i["id"]: i for i in imported(tmp_path / "cat") if i.get("kind") == "gap"}
    # every section below the introduction but the template, also the one written as a paragraph only
    lines = chapter.read_text(encoding="utf-8").splitlines()
    titles = [
        line
        for line, under in itertools.pairwise(lines)
        if under.startswith("~~~") and line.strip() and "Template" not in line
    ]
    assert sorted(g["title"] for g in gaps.values()) == sorted(titles) and len(titles) == 9
    isolation = gaps["gap.multitenancy-and-workload-isolation-with-kubernetes"]
    assert isolation["related"] == ["e.man.004", "sec.ci.008", "sec.wl.005", "sec.wl.006"]
    assert isolation["baseline"] == "*Kubernetes*"
    assert gaps["gap.container-run-time-interfaces-towards-nfvi-resources"]["description"].startswith("This describes")


def test_malformed_input_gets_a_clear_report_and_a_non_zero_exit(tmp_path):
    missing_cell = write(
        tmp_path / "missing",
        {
            "ra2/chapter04.md": """\
            ## 4.2 Kubernetes Node

            |Ref|Specification|Details|Requirement Trace|
            |---|---|---|---|
            |`ra2.ch.001`|Huge Pages|Enable huge pages.|[infra.com.cfg.004](x)|
            |`ra2.ch.002`|SR-IOV capable NICs|
            |`ra2.ch.003`|SR-IOV VFs|Create VFs.|[e.cap.013](x)|A fifth cell GitHub does not show|
            """
        },
    )
    result = ra2docs("import", str(missing_cell), "--catalogue", str(tmp_path / "o1"), cwd=tmp_path)
    assert result.returncode == 1
    # a short row is padded, as GitHub pads it; a long one keeps its extra cell, and says so
    assert "ra2/chapter04.md:6:" not in result.stdout
    assert "ra2/chapter04.md:7: warning: row has 5 cells, the header has 4" in result.stdout
    extra = next(i for i in imported(tmp_path / "o1") if i["id"] == "ra2.ch.003")
    assert extra["cells"]["column-5"] == "A fifth cell GitHub does not show"

    latin = tmp_path / "latin"
    latin.mkdir()
    (latin / "chapter02.md").write_bytes(
        "| Ref | Specification |\n|---|---|\n| ra2.x.001 | R\xe9seau |\n".encode("latin-1")
    )
    result = ra2docs("import", str(latin), "--catalogue", str(tmp_path / "o2"), cwd=tmp_path)
    assert result.returncode == 2 and "chapter02.md:1: error: not UTF-8" in result.stdout

    empty = write(tmp_path / "empty", {})
    result = ra2docs("import", str(empty), "--catalogue", str(tmp_path / "o3"), cwd=tmp_path)
    assert result.returncode == 2 and "no catalogue items found" in result.stdout

    prose = write(tmp_path / "prose", {"notes.md": "# Meeting notes\n\nNothing tabular here.\n"})
    result = ra2docs("import", str(prose), "--catalogue", str(tmp_path / "o4"), cwd=tmp_path)
    assert result.returncode == 2
    assert "notes.md:1: info: no catalogue tables, comparisons or gaps in this file" in result.stdout

    result = ra2docs("import", str(tmp_path / "nowhere"), "--catalogue", str(tmp_path / "o5"), cwd=tmp_path)
    assert result.returncode == 2 and "no such folder" in result.stderr
    for output in (result.stdout, result.stderr):
        assert "Traceback" not in output


def test_hostile_chapters_are_read_in_bounded_time(tmp_path):
    """Headings, IDs and cells padded with thousands of blanks took the old line patterns minutes (cubic)."""
    pad = " " * 20_000
    folder = write(
        tmp_path / "hostile",
        {
            "ra2/chapter04.md": f"##{pad}4.2{pad}Kubernetes Node{pad}\n\n|Ref|Specification|\n|---|---|\n"
            f"|`ra2.ch.001`{pad}|Huge{pad}Pages{pad}|\n|{pad}ra2.{pad}ch.002|x|\n" + "| a |" * 5_000 + "\n",
            "ra2/chapter06.rst": f"6.2.1{pad}Gap\n{'~' * 20_000}\n\n**Related requirements:**{pad}:ref:`x{pad}`\n\n"
            ".. list-table:: T\n   :header-rows: 1\n\n   * - Ref\n     - Text\n   * - ra2.ch.003\n"
            f"     - {'`' * 5_000}\n",
        },
    )
    # a process of its own, so that a runaway parse fails the test (timeout) rather than hanging it
    result = run("ra2docs", "import", str(folder), "--catalogue", str(tmp_path / "out"), cwd=tmp_path, timeout=90)
    assert result.returncode in (0, 1), result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert "ra2.ch.001" in "".join(p.read_text() for p in (tmp_path / "out").glob("*.yaml"))


def test_import_refuses_to_overwrite_a_catalogue_without_force(tmp_path):
    out = write(tmp_path / "cat", {"keep.yaml": "items: []\n"})
    result = ra2docs("import", str(UPSTREAM / "anuket-2020-08" / "ra2"), "--catalogue", str(out), cwd=tmp_path)
    assert result.returncode == 2 and "--force" in result.stderr


def shipped_items() -> dict[str, dict]:

    return {i["id"]: i for i in imported(EDITION_2020 / "catalogue") if "id" in i}


# The fixes of catalogue/CHANGES.md: upstream ID -> the shipped one (None: folded into another).
RENAMED = {"nn10": "n10", "nn50": "n50"}


def test_the_shipped_catalogue_holds_all_of_ra2_2020():
    upstream = UPSTREAM / "anuket-2020-08" / "ra2"
    expected = markdown_ids(upstream / "chapter02.md") | markdown_ids(upstream / "chapter04.md")
    text = (upstream / "chapter06.md").read_text(encoding="utf-8")
    gap_sections = re.findall(r"^### (6\.2\.[1-9]) (.+)$", text, re.M)
    items = shipped_items()
    missing = []
    for upstream_id in sorted(expected):
        shipped = RENAMED.get(upstream_id, f"req.{upstream_id}" if upstream_id.startswith("sec.") else upstream_id)
        if shipped not in items:
            missing.append(upstream_id)
    assert missing == []
    assert "ra2.ch.022" in items and items["ra2.ch.022"]["title"] == "Physical PCIe slots"
    assert "req.sec.std.006" in items  # the ID-less OWASP testing guide row
    gaps = {i["section"]: i for i in items.values() if i["kind"] == "gap"}
    assert sorted(gaps) == sorted(number for number, _ in gap_sections)
    assert gaps["6.2.8"]["related"] == ["infra.com.cfg.004", "infra.com.cfg.002"]
    # both profiles on every RM item RA2 lists with profile columns
    for item in items.values():
        if item["kind"] == "rm-capability" or item.get("section", "").startswith(("2.2.3", "2.2.4")):
            assert set(item.get("values", {})) == {"basic", "network-intensive"}, item["id"]


def test_no_upstream_requirement_sentence_is_copied_into_the_catalogue(tmp_path):
    """CC BY: facts and short labels may be used, whole upstream sentences are restated."""
    result = ra2docs("import", str(UPSTREAM / "anuket-2020-08"), "--catalogue", str(tmp_path / "raw"), cwd=UPSTREAM)
    assert result.returncode == 1, result.stderr  # written, with the rows it could not fully map reported
    sentences = set()
    for item in imported(tmp_path / "raw"):
        for key in ("statement", "details", "description", "title"):
            text = str(item.get(key, ""))
            if text.rstrip().endswith(".") or re.search(r"\b(must|should|shall)\b", text, re.I):
                sentences.add(" ".join(text.split()).rstrip(". "))
    assert len(sentences) > 150
    for item in shipped_items().values():
        for key in ("statement", "details", "description", "notes"):
            text = " ".join(str(item.get(key, "")).split()).rstrip(". ")
            assert text not in sentences, (item["id"], key, text)
