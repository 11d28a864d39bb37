"""The loader: safe YAML, schema errors with positions, duplicates, links."""

from __future__ import annotations

from pathlib import Path

from conftest import EDITION_2020, PROFILES, ROOT, ra2docs, write

from ra2docs.check import analyse
from ra2docs.loader import load_catalogue
from ra2docs.schema import schema_text, shipped_schema_text


def findings_for(tmp_path: Path, files: dict[str, str]):
    folder = write(tmp_path / "cat", {"profiles.yaml": PROFILES, **files})
    result = load_catalogue(folder, base=tmp_path)
    return result, analyse(result)


def only(findings, rule):
    return [f for f in findings if f.rule == rule]


def test_shipped_catalogue_is_clean():
    result = load_catalogue(EDITION_2020 / "catalogue", base=ROOT)
    findings = analyse(result)
    assert not result.fatal
    assert [f.format() for f in findings if f.severity == "error"] == []
    # the only warnings: upstream specifications that trace to nothing (catalogue/CHANGES.md)
    warnings = {(f.rule, f.item) for f in findings if f.severity == "warning"}
    expected = {"ra2.k8s.005", "ra2.k8s.008", *(f"ra2.ntw.00{n}" for n in range(3, 7))}
    expected |= {f"ra2.stg.00{n}" for n in (1, 2, 3, 5, 6, 7)}
    assert warnings == {("RA502", spec) for spec in expected}
    assert len(result.catalogue.items) >= 280


def test_shipped_schema_matches_the_kinds():
    assert shipped_schema_text() == schema_text(), "run: ra2docs schema > ra2docs/schema/catalogue.schema.json"


def test_every_catalogue_file_points_editors_at_the_schema():
    for path in sorted((EDITION_2020 / "catalogue").glob("*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../ra2docs/schema/catalogue.schema.json", path


def test_schema_errors_carry_file_line_column_item_and_hint(tmp_path):
    _, findings = findings_for(
        tmp_path,
        {
            "reqs.yaml": """\
            items:
              - id: req.inf.ntw.03
                kind: ra-requirement
                priority: SHOLD
                sectoin: '2.3'
                section: 2.3
            """
        },
    )
    bad_priority = only(findings, "RA201")[0]
    assert (bad_priority.file, bad_priority.line, bad_priority.column) == ("cat/reqs.yaml", 4, 15)
    assert bad_priority.item == "req.inf.ntw.03"
    assert "did you mean 'SHOULD'" in bad_priority.suggestion
    unknown = only(findings, "RA202")[0]
    assert (unknown.line, unknown.column) == (5, 5)
    assert unknown.suggestion == "did you mean 'section'?"
    number = next(f for f in only(findings, "RA201") if f.line == 6)
    assert "found the number 2.3" in number.message and "quote" in number.suggestion
    assert number.format().startswith("cat/reqs.yaml:6:")


def test_all_errors_are_reported_not_only_the_first(tmp_path):
    _, findings = findings_for(
        tmp_path,
        {
            "a.yaml": """\
            items:
              - {id: a.b.001, kind: rm-requirement, titel: x}
              - {id: a.b.002, kind: rm-requirement, titel: y}
            """,
            "b.yaml": "items:\n  - {id: a.b.003, kind: nope}\n",
        },
    )
    assert len(only(findings, "RA202")) == 2
    assert only(findings, "RA201")[0].file == "cat/b.yaml"


def test_duplicate_keys_are_errors_at_every_level(tmp_path):
    _, findings = findings_for(
        tmp_path,
        {
            "dup.yaml": """\
            items:
              - id: ra2.ch.001
                kind: specification
                title: Huge Pages
                title: Huge pages again
                traces: []
            items: []
            """
        },
    )
    dups = only(findings, "RA103")
    assert [(f.line, f.item) for f in dups] == [(5, "ra2.ch.001"), (7, "")]
    assert "first at line 4" in dups[0].message


def test_duplicate_ids_name_both_places(tmp_path):
    result, findings = findings_for(
        tmp_path,
        {
            "a.yaml": "items:\n  - {id: ra2.ch.015, kind: specification, title: NIC speed}\n",
            "b.yaml": "items:\n  - {id: ra2.ch.015, kind: specification, title: PCIe slots}\n",
        },
    )
    dup = only(findings, "RA301")
    assert len(dup) == 1
    assert dup[0].file == "cat/b.yaml" and "cat/a.yaml:2" in dup[0].message
    assert [d.file for d in result.catalogue.definitions["ra2.ch.015"]] == ["cat/a.yaml", "cat/b.yaml"]


def test_dangling_links_suggest_the_defined_id(tmp_path):
    _, findings = findings_for(
        tmp_path,
        {
            "items.yaml": """\
            items:
              - {id: infra.com.cfg.004, kind: rm-requirement, title: Huge Pages}
              - {id: req.sec.gen.001, kind: rm-requirement, title: Specified state}
              - {id: req.inf.ntw.03, kind: ra-requirement, title: Central administration}
              - id: gap.hw-topology-hugepages
                kind: gap
                related: [nfvi.com.cfg.004, sec.gen.001, req.inf.ntw.3, totally.unknown]
            """
        },
    )
    hints = {f.message.split("'")[1]: f.suggestion for f in only(findings, "RA401")}
    assert hints == {
        "nfvi.com.cfg.004": "did you mean 'infra.com.cfg.004'?",
        "sec.gen.001": "did you mean 'req.sec.gen.001'?",
        "req.inf.ntw.3": "did you mean 'req.inf.ntw.03'?",
        "totally.unknown": "add the item to the catalogue, or fix the ID",
    }
    assert {f.line for f in only(findings, "RA401")} == {7}


def test_reverse_links_are_derived(tmp_path):
    from ra2docs.graph import TraceGraph

    result, findings = findings_for(
        tmp_path,
        {
            "items.yaml": """\
            items:
              - {id: req.inf.ntw.04, kind: ra-requirement, title: Dual stack}
              - {id: ra2.k8s.010, kind: specification, title: IPv6DualStack, traces: [req.inf.ntw.04]}
              - {id: e2e.dual, kind: test-case, title: dual stack, verifies: [ra2.k8s.010]}
            """
        },
    )
    assert findings == []
    graph = TraceGraph(result.catalogue)
    assert graph.incoming("req.inf.ntw.04") == [("specified-by", "ra2.k8s.010")]
    assert graph.incoming("ra2.k8s.010") == [("verified-by", "e2e.dual")]
    assert graph.outgoing("ra2.k8s.010") == [("traces", "req.inf.ntw.04")]
    assert graph.downstream("req.inf.ntw.04") == {"ra2.k8s.010", "e2e.dual"}


def test_unsafe_and_surprising_yaml_is_refused(tmp_path):
    _result, findings = findings_for(
        tmp_path,
        {
            "tags.yaml": "items:\n  - !!python/object:os.system {id: x}\n",
            "alias.yaml": "items:\n  - &a {id: a.b.001, kind: rm-requirement}\n  - *a\n",
            "ratio.yaml": """\
            items:
              - {id: i.cap.016, kind: rm-capability, values: {basic: 1:1, network-intensive: No}}
            """,
        },
    )
    refused = [(Path(f.file).name, f.message) for f in only(findings, "RA108")]
    assert any(name == "tags.yaml" and "python/object" in m for name, m in refused)
    assert any(name == "alias.yaml" and "aliases are not allowed" in m for name, m in refused)
    messages = [f.message for f in only(findings, "RA104")]
    assert "'1:1' is read by YAML as the number 61" in messages
    assert "'No' is read by YAML as the boolean false" in messages
    # Safety findings are fatal (the file is not read); a value YAML would convert is not.
    assert _result.fatal
    assert "i.cap.016" in _result.catalogue.items and "a.b.001" not in _result.catalogue.items


def test_unreadable_input_is_fatal_but_other_files_still_load(tmp_path):
    folder = write(
        tmp_path / "cat", {"profiles.yaml": PROFILES, "good.yaml": "items:\n  - {id: a.b.001, kind: rm-requirement}\n"}
    )
    (folder / "latin1.yaml").write_bytes("items:\n  - {id: a.b.002, title: R\xe9seau}\n".encode("latin-1"))
    (folder / "tabs.yaml").write_text("items:\n\t- {id: x}\n")
    result = load_catalogue(folder, base=tmp_path)
    assert result.fatal
    rules = {(f.file, f.rule) for f in result.findings}
    assert ("cat/latin1.yaml", "RA101") in rules and ("cat/tabs.yaml", "RA102") in rules
    assert "a.b.001" in result.catalogue.items


def _snapshot(result) -> tuple:
    cat = result.catalogue
    items = sorted((i.id, i.kind, repr(i.data), i.file, i.line) for i in cat.items.values())
    return items, sorted(f.format() for f in result.findings), result.fatal


def test_the_build_cache_rereads_only_changed_files_and_matches_a_fresh_load(tmp_path, monkeypatch):
    import shutil

    import ra2docs.loader as loader

    folder = tmp_path / "catalogue"
    shutil.copytree(EDITION_2020 / "catalogue", folder)
    cache = tmp_path / "doctrees" / "ra2docs-catalogue"
    parsed: list[str] = []
    real = loader._load_files

    def recording(jobs):
        parsed.extend(display for _, display in jobs)
        return real(jobs)

    monkeypatch.setattr(loader, "_load_files", recording)

    first = load_catalogue(folder, base=tmp_path, cache=cache)
    assert len(parsed) == len(list(folder.glob("*.yaml")))
    parsed.clear()
    again = load_catalogue(folder, base=tmp_path, cache=cache)
    assert parsed == [], "an unchanged catalogue is read from the cache"
    assert _snapshot(again) == _snapshot(first)

    # Edit one file: only it is read again, and the result is what a fresh load gives.
    tests_file = folder / "tests.yaml"
    tests_file.write_text(
        tests_file.read_text().replace("title: Kubernetes conformance", "title: Edited conformance", 1)
    )
    edited = load_catalogue(folder, base=tmp_path, cache=cache)
    assert parsed == ["catalogue/tests.yaml"]
    assert _snapshot(edited) == _snapshot(load_catalogue(folder, base=tmp_path))
    assert _snapshot(edited) != _snapshot(first)

    # A damaged cache entry costs a re-read, never a wrong result or a traceback.
    for entry in cache.glob("*.json"):
        entry.write_bytes(b"not JSON")
    parsed.clear()
    assert _snapshot(load_catalogue(folder, base=tmp_path, cache=cache)) == _snapshot(edited)
    assert len(parsed) == len(list(folder.glob("*.yaml")))

    # A removed file takes its items and its cache entry with it.
    tests_file.unlink()
    removed = load_catalogue(folder, base=tmp_path, cache=cache)
    assert not any(i.file.endswith("tests.yaml") for i in removed.catalogue.items.values())
    assert len(list(cache.glob("*.json"))) == len(list(folder.glob("*.yaml")))


class _Planted:
    """A pickle that runs code when loaded (what the cache used to load without a look)."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        import os

        return (os.system, (f"touch {self.marker}",))


def test_a_planted_cache_entry_never_runs_and_never_stands_for_other_content(tmp_path, monkeypatch):
    import json
    import pickle

    import ra2docs.loader as loader
    from ra2docs import loadcache

    folder = write(
        tmp_path / "cat", {"profiles.yaml": PROFILES, "a.yaml": "items:\n  - {id: gap.a, kind: gap, title: A}\n"}
    )
    cache = tmp_path / "doctrees" / "ra2docs-catalogue"
    fresh = _snapshot(load_catalogue(folder, base=tmp_path))
    load_catalogue(folder, base=tmp_path, cache=cache)
    entry = cache / loadcache.entry_name("cat/a.yaml")
    good = json.loads(entry.read_text())
    marker = tmp_path / "pwned"
    parsed: list[str] = []
    real = loader._load_files
    monkeypatch.setattr(loader, "_load_files", lambda jobs: parsed.extend(d for _, d in jobs) or real(jobs))

    def planted(content: bytes | str) -> None:
        entry.write_bytes(content if isinstance(content, bytes) else content.encode())
        parsed.clear()
        assert _snapshot(load_catalogue(folder, base=tmp_path, cache=cache)) == fresh
        assert parsed == ["cat/a.yaml"], "the planted entry was ignored and the file read again"

    planted(pickle.dumps(_Planted(marker)))
    (cache / (entry.stem + ".pickle")).write_bytes(pickle.dumps(_Planted(marker)))
    forged = {**good, "items": [["gap.a", "gap", {"title": "Forged"}, "cat/a.yaml", 2]]}
    planted(json.dumps({**forged, "sha256": "0" * 64}))  # another content's digest
    planted(json.dumps({**good, "version": 0}))
    planted(json.dumps({**good, "file": "cat/b.yaml"}))
    planted(json.dumps({**good, "items": [["gap.a", "gap", {"title": 5}, "cat/a.yaml", 2]]}))  # a number
    planted(json.dumps({**good, "items": [["gap.a", "gap", {"title": "A\u0000"}, "cat/a.yaml", 2]]}))  # a NUL
    planted(json.dumps({**good, "line": True}))  # a field too many
    planted(json.dumps({**good, "fatal": 0}))  # 0 is not false
    planted(json.dumps({**good, "links": [["gap.a", "related", "x", "cat/a.yaml", 2]]}))  # a column short
    planted("[" * 100_000 + "]" * 100_000)
    assert not marker.exists()
    assert not (cache / (entry.stem + ".pickle")).exists(), "pickles of earlier versions are removed unread"


def test_a_cache_folder_that_is_a_link_is_neither_read_nor_written(tmp_path):
    folder = write(tmp_path / "cat", {"profiles.yaml": PROFILES})
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "doctrees").mkdir()
    (tmp_path / "doctrees" / "ra2docs-catalogue").symlink_to(elsewhere)
    load_catalogue(folder, base=tmp_path, cache=tmp_path / "doctrees" / "ra2docs-catalogue")
    assert list(elsewhere.iterdir()) == []


def test_a_linked_file_is_never_read_in_any_format(tmp_path):
    """A catalogue file linked to /etc/passwd printed its first line in every report format."""

    folder = write(tmp_path / "cat", {"profiles.yaml": PROFILES})
    (folder / "passwd.yaml").symlink_to("/etc/passwd")
    for fmt in ("text", "json", "github", "junit", "sarif"):
        done = ra2docs("check", "--catalogue", str(folder), "--format", fmt, cwd=tmp_path)
        assert done.returncode == 2, done.stdout
        assert "passwd.yaml" in done.stdout and "symbolic link" in done.stdout
        assert "root:" not in done.stdout + done.stderr, fmt


def test_a_catalogue_folder_that_is_a_link_is_not_followed(tmp_path):
    outside = write(tmp_path / "outside", {"a.yaml": "items:\n  - {id: gap.outside, kind: gap, title: Secret}\n"})
    (tmp_path / "repo").mkdir()
    (tmp_path / "repo" / "catalogue").symlink_to(outside)
    result = load_catalogue(tmp_path / "repo" / "catalogue", base=tmp_path / "repo")
    assert result.fatal and not result.catalogue.items
    [finding] = result.findings
    assert (finding.rule, finding.file) == ("RA101", "catalogue")
    assert "a symbolic link to a folder; not followed" in finding.message
    # A link above the project (the base folder) is the user's business, not the catalogue's.
    (tmp_path / "elsewhere").symlink_to(tmp_path / "repo")
    write(tmp_path / "repo" / "real", {"a.yaml": "items: []\n"})
    assert not load_catalogue(tmp_path / "elsewhere" / "real", base=tmp_path / "elsewhere").fatal


def test_a_fifo_in_the_catalogue_is_refused_not_waited_on(tmp_path):
    import os

    folder = write(tmp_path / "cat", {"profiles.yaml": PROFILES})
    os.mkfifo(folder / "pipe.yaml")
    result = load_catalogue(folder, base=tmp_path)
    assert result.fatal
    assert [(f.file, f.message) for f in result.findings] == [("cat/pipe.yaml", "not a regular file; not read")]


def test_past_the_catalogue_limit_of_values_the_files_left_are_not_read(tmp_path, monkeypatch):
    import ra2docs.loader as loader

    monkeypatch.setattr(loader, "MAX_CATALOGUE_VALUES", 40)
    items = "items:\n" + "".join(f"  - {{id: gap.g{n}, kind: gap}}\n" for n in range(5))  # 21 values a file
    folder = write(tmp_path / "cat", {"a.yaml": items, "b.yaml": items.replace("g", "h"), "c.yaml": "items: []\n"})
    result = load_catalogue(folder, base=tmp_path)
    assert result.fatal
    assert len(result.catalogue.items) == 5
    [finding] = [f for f in result.findings if f.rule == "RA108"]
    assert finding.file == "cat/b.yaml"
    assert "more than 40 YAML values together; this file and the 1 after it were not read" in finding.message


def test_past_the_catalogue_limit_of_findings_the_files_left_are_not_read(tmp_path, monkeypatch):
    import ra2docs.loader as loader

    monkeypatch.setattr(loader, "MAX_CATALOGUE_FINDINGS", 5)
    bad = "items: [a, b, c, d]\n"  # four findings a file
    folder = write(tmp_path / "cat", {"a.yaml": bad, "b.yaml": bad, "c.yaml": bad})
    result = load_catalogue(folder, base=tmp_path)
    assert result.fatal
    assert [f.file for f in result.findings if f.rule == "RA201"] == ["cat/a.yaml"] * 4
    [finding] = [f for f in result.findings if f.rule == "RA105"]
    assert (finding.file, finding.message) == (
        "cat/b.yaml",
        "more than 5 problems found while reading the catalogue; this file and the 1 after it were not read",
    )


def test_past_the_limit_of_items_the_files_left_are_not_read(tmp_path, monkeypatch):
    import ra2docs.loader as loader

    monkeypatch.setattr(loader, "MAX_ITEMS", 6)
    items = "items:\n" + "".join(f"  - {{id: gap.g{n}, kind: gap}}\n" for n in range(4))
    folder = write(tmp_path / "cat", {"a.yaml": items, "b.yaml": items.replace(".g", ".h"), "c.yaml": "items: []\n"})
    result = load_catalogue(folder, base=tmp_path)
    assert result.fatal and len(result.catalogue.items) == 4
    [finding] = [f for f in result.findings if f.rule == "RA101"]
    assert finding.message == "the catalogue defines more than 6 items; this file and the 1 after it were not read"
