"""Real result layouts: each tool's own files (tests/data/results, with their licences), and the
files Xtesting and Functest write, produced here the way their code writes them."""

from __future__ import annotations

import importlib
import io
import json
import tarfile
import zipfile
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest
import requests
from conftest import SHARED

from ra2docs.results import read_file
from ra2docs.results.result import ResultsError

DATA = Path(__file__).parent / "data" / "results"
RECORD = json.loads((SHARED / "fixtures" / "check-results" / "xtesting_result_record.json").read_text())
RECORD.pop("_comment")
CNF = SHARED / "fixtures" / "check-results" / "cnf-testsuite-results.yml"


def xtesting_dump(path: Path, records: list[dict]) -> Path:
    """Append each record as xtesting/utils/decorators.py does for TEST_DB_URL=file://...

    push_to_db() posts ``json.dumps(data, sort_keys=True)`` with a JSON content type; the
    decorator writes the prepared request: method and URL, one "key value" line per header,
    a blank line, the body, then two more new lines.
    """
    url = f"file://{path}"
    with requests.Session() as session:
        for record in records:
            request = session.prepare_request(
                requests.Request(
                    "POST", url, data=json.dumps(record, sort_keys=True), headers={"Content-Type": "application/json"}
                )
            )
            headers = "".join(f"{key} {request.headers[key]}\n" for key in request.headers)
            with path.open("a", encoding="utf-8") as dump:
                dump.write(f"{request.method} {request.url}\n{headers}\n{request.body}\n\n\n")
    return path


def test_the_xtesting_file_dump_is_read_with_runs_environments_and_dates(tmp_path):
    failing = dict(RECORD, case_name="xrally_kubernetes", criteria="FAIL", pod_name="pod2", build_tag="BT2")
    dump = xtesting_dump(tmp_path / "dump.txt", [RECORD, failing])
    text = dump.read_text()
    assert text.startswith("POST file://") and "Content-Type application/json\n" in text
    assert "Content-Length " in text and text.endswith("}\n\n\n")
    results = read_file(dump, "dump.txt")
    assert [(r.name, r.status, r.run, r.environment, r.tool) for r in results] == [
        ("k8s_conformance", "pass", "671YK0WH9PRK", "pod1", "xtesting"),
        ("xrally_kubernetes", "fail", "BT2", "pod2", "xtesting"),
    ]
    assert results[0].date == datetime(2024, 5, 2, 11, 5, 2)
    # a broken record names its line: the third record starts after two dumped requests
    xtesting_dump(dump, [{"case_name": "x"}])
    with pytest.raises(ResultsError) as raised:
        read_file(dump, "dump.txt")
    assert raised.value.finding.line == text.count("\n") + 1 + len(text.split("\n\n\n")[0].split("\n")) - 1


def page_of_testapi(records: list[dict], page: int, pages: int) -> dict:
    """One page of GET /api/v1/results as the TestAPI answers it (releng-testresults base_handlers._list)."""
    stored = [
        dict(r, _id=f"5b8f{page:04d}{i:016x}", public="true", trust_indicator=None) for i, r in enumerate(records)
    ]
    return {"results": stored, "pagination": {"current_page": page, "total_pages": pages}}


def test_testapi_responses_and_the_functest_campaign_zip(tmp_path):
    other = dict(RECORD, case_name="kube_hunter", criteria="FAIL")
    response = tmp_path / "page1.json"
    response.write_text(json.dumps(page_of_testapi([RECORD, other], 1, 1)))
    assert [(r.name, r.status) for r in read_file(response)] == [("k8s_conformance", "pass"), ("kube_hunter", "fail")]
    # xtesting/core/campaign.py: {BUILD_TAG}.json (the TestAPI's answer for the tag) and the artifacts folder
    campaign = tmp_path / "671YK0WH9PRK.zip"
    with zipfile.ZipFile(campaign, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("671YK0WH9PRK.json", json.dumps({"results": [RECORD, other]}))
        archive.writestr("671YK0WH9PRK/functest-kubernetes.log", "log")
        archive.writestr("671YK0WH9PRK/k8s_conformance/report.json", '{"not": "a result"}')
    results = read_file(campaign, "c.zip")
    assert [(r.name, r.source) for r in results] == [
        ("k8s_conformance", "c.zip:671YK0WH9PRK.json"),
        ("kube_hunter", "c.zip:671YK0WH9PRK.json"),
    ]
    renamed = tmp_path / "campaign.data"  # recognised by its content, whatever its name
    renamed.write_bytes(campaign.read_bytes())
    assert len(read_file(renamed)) == 2


def test_a_zip_bomb_member_is_refused_within_its_budget(tmp_path, monkeypatch):
    readers = importlib.import_module("ra2docs.results.readers")
    monkeypatch.setattr(readers, "MAX_DOCUMENT_BYTES", 10_000)
    bomb = tmp_path / "b.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("b.json", '{"results": [' + " " * 1_000_000 + "]}")
    assert bomb.stat().st_size < 10_000
    with pytest.raises(ResultsError, match="more than 10000 bytes"):
        read_file(bomb, "b.zip")


def test_sub_results_inside_details_cnf_items_and_kube_bench_reports(tmp_path):
    import yaml

    cnf_details = yaml.safe_load(CNF.read_text())
    bench = json.loads((DATA / "kube-bench-result.json").read_text())
    records = [
        dict(RECORD, case_name="cnf_testsuite", criteria="FAIL", details=cnf_details),
        dict(RECORD, case_name="kube_bench_master", details=bench),
    ]
    (tmp_path / "r.json").write_text(json.dumps(records))
    results = read_file(tmp_path / "r.json")
    assert [(r.name[:22], r.status, r.case_name) for r in results] == [
        ("cnf_testsuite", "fail", "cnf_testsuite"),
        ("liveness", "pass", "cnf_testsuite"),
        ("helm_chart_published", "fail", "cnf_testsuite"),
        ("node_drain", "skip", "cnf_testsuite"),
        ("kube_bench_master", "pass", "kube_bench_master"),
        ("1.1.1 Ensure that the ", "pass", "kube_bench_master"),
        ("2.1 Ensure that the --", "pass", "kube_bench_master"),
        ("3.1.1 Client certifica", "skip", "kube_bench_master"),
    ]
    assert {r.run for r in results} == {"671YK0WH9PRK"} and {r.environment for r in results} == {"pod1"}


def test_kube_bench_json_both_layouts_and_its_junit():
    for name in ("kube-bench-result.json", "kube-bench-result-no-totals.json"):
        results = read_file(DATA / name, name)
        assert Counter(r.status for r in results) == {"pass": 2, "skip": 1}
        assert results[0].name.startswith("1.1.1 Ensure that the API server pod specification file permissions")
        assert results[0].suite == "Master Node Security Configuration" and results[0].tool == "kube-bench"
    junit = read_file(DATA / "kube-bench-junit.xml", "kb.xml")
    assert [(r.name, r.status) for r in junit] == [
        ("check1id check1text", "pass"),
        ("check2id check2text", "skip"),
        ("check3id check3text", "skip"),
        ("check4id check4text", "fail"),
    ]


def test_sonobuoy_0_8_tarball_without_global_folder():
    results = read_file(DATA / "sonobuoy-results-0.8.tar.gz", "sb08.tgz")
    assert len(results) == 693
    assert Counter(r.status for r in results) == {"skip": 692, "pass": 1}
    assert {r.source for r in results} == {"sb08.tgz:./plugins/e2e/results/junit_01.xml"}
    # no meta/ folder then: the run is config.json's UUID, the date the JUnit file's own
    assert {r.run for r in results} == {"578682ff-ffee-4226-8198-714a798497d9"}
    assert {r.date for r in results} == {datetime(2017, 10, 11, 21, 23, 22)}


def _tar(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def test_a_sonobuoy_run_is_dated_by_its_meta_run_log(tmp_path):
    with tarfile.open(DATA / "sonobuoy-results-0.8.tar.gz") as old:
        junit = old.extractfile("./plugins/e2e/results/junit_01.xml").read()  # type: ignore[union-attr]
    tarball = tmp_path / "r.tar.gz"
    tarball.write_bytes(
        _tar(
            {
                "meta/run.log": (DATA / "sonobuoy-0.9-meta-run.log").read_bytes(),
                "meta/config.json": (DATA / "sonobuoy-0.9-meta-config.json").read_bytes(),
                "plugins/e2e/results/junit_01.xml": junit,
            }
        )
    )
    results = read_file(tarball)
    assert {r.date for r in results} == {datetime(2017, 12, 21, 16, 14, 15)}
    assert {r.run for r in results} == {"f15dc61b-6558-4dcc-8960-f779d80fc169"}


def test_custom_statuses_are_counted_as_other_never_refusing_the_file(tmp_path):
    results = read_file(DATA / "sonobuoy-manual-custom-status.yaml", "m.yaml")
    assert [(r.name, r.status) for r in results] == [("Manual test name", "pass")]
    custom = tmp_path / "custom.yaml"
    custom.write_text(
        (DATA / "sonobuoy-manual-custom-status.yaml").read_text().replace("status: passed", "status: flaky")
    )
    assert [r.status for r in read_file(custom)] == ["other"]
    junit = tmp_path / "j.xml"
    junit.write_text('<testsuite name="s"><testcase name="a" status="quarantined"/></testsuite>')
    assert [r.status for r in read_file(junit)] == ["other"]


def test_cnf_schema_v1_running_means_incomplete(tmp_path):
    running = tmp_path / "cnf-testsuite-results-20240910-101500-123.yml"
    text = CNF.read_text().replace("status:\ncommand", "status: running\ncommand")
    running.write_text(text.replace("status: skipped", "status: running"))
    results = read_file(running)
    assert [(r.name, r.status) for r in results] == [
        ("liveness", "pass"),
        ("helm_chart_published", "fail"),
        ("node_drain", "other"),
    ]
    assert not any(r.complete for r in results)
    assert all(r.complete for r in read_file(CNF))


def test_files_are_recognised_by_content_not_name(tmp_path):
    for source, name in [
        (DATA / "kube-bench-result.json", "report.txt"),
        (DATA / "kube-bench-junit.xml", "out.log"),
        (DATA / "sonobuoy-results-0.8.tar.gz", "results.bin"),
        (CNF, "cnf.txt"),
        (DATA / "sonobuoy-manual-custom-status.yaml", "plugin.out"),
    ]:
        target = tmp_path / name
        target.write_bytes(source.read_bytes())
        assert read_file(target), name
    json_named_xml = tmp_path / "junit.json"
    json_named_xml.write_bytes((DATA / "kube-bench-junit.xml").read_bytes())
    assert len(read_file(json_named_xml)) == 4
    stray = tmp_path / "notes.xml"
    stray.write_text("<html><body>not results</body></html>")
    with pytest.raises(ResultsError, match="no reader for this file"):
        read_file(stray)


def test_each_plugin_of_a_tarball_counts_its_junit_or_else_its_summary(tmp_path):
    with tarfile.open(DATA / "sonobuoy-results-0.8.tar.gz") as old:
        junit = old.extractfile("./plugins/e2e/results/junit_01.xml").read()  # type: ignore[union-attr]
    manual = (DATA / "sonobuoy-manual-custom-status.yaml").read_bytes()
    tarball = tmp_path / "r.tar.gz"
    tarball.write_bytes(
        _tar(
            {
                "plugins/e2e/results/global/junit_01.xml": junit,
                "plugins/e2e/sonobuoy_results.yaml": manual,  # repeats the JUnit file: not counted twice
                "plugins/manual/sonobuoy_results.yaml": manual,  # a plugin with no JUnit file
            }
        )
    )
    results = read_file(tarball, "r.tgz")
    assert Counter(r.source for r in results) == {
        "r.tgz:plugins/e2e/results/global/junit_01.xml": 693,
        "r.tgz:plugins/manual/sonobuoy_results.yaml": 1,
    }


def test_hostile_zips_and_dumps_are_clear_errors(tmp_path, monkeypatch):
    readers = importlib.import_module("ra2docs.results.readers")
    monkeypatch.setattr(readers, "MAX_ZIP_MEMBERS", 3)
    crowded = tmp_path / "c.zip"
    with zipfile.ZipFile(crowded, "w") as archive:
        for index in range(4):
            archive.writestr(f"{index}.json", "{}")
    with pytest.raises(ResultsError, match="more than 3 members"):
        read_file(crowded, "c.zip")
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    with pytest.raises(ResultsError, match="cannot read the zip"):
        read_file(broken, "broken.zip")
    empty = tmp_path / "empty.zip"
    with zipfile.ZipFile(empty, "w") as archive:
        archive.writestr("BT/artifact.log", "no results here")
    with pytest.raises(ResultsError, match="no results in the zip"):
        read_file(empty, "empty.zip")
    # a dump whose record is cut off names the line where it starts
    dump = xtesting_dump(tmp_path / "dump.txt", [RECORD])
    dump.write_text(dump.read_text()[:-40])
    with pytest.raises(ResultsError, match="not JSON") as raised:
        read_file(dump, "dump.txt")
    assert raised.value.finding.line == 9  # POST, six header lines, a blank line: the record is on line 9
