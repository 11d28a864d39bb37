"""Known findings (the baseline) and settings found from anywhere in a repository.

A baseline keeps upstream's old defects from failing a run without lowering any
rule: a new finding of the same rule still fails. Settings at the repository's
top serve the root, the documentation folder and the catalogue folder alike.
The CLI runs in-process (``ra2docs.cli.main``): these tests are about what it
decides, not about starting a process.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from conftest import write

from ra2docs.baseline import fingerprint
from ra2docs.cli import main
from ra2docs.findings import Finding

CATALOGUE = """\
items:
  - {id: infra.com.cfg.004, kind: rm-requirement, title: Huge Pages, values: {basic: Must support}}
  - {id: ra2.ch.001, kind: specification, title: Huge pages, traces: [infra.com.cfg.004]}
  - {id: ra2.ch.019, kind: specification, title: Old defect, traces: [e.cap.025]}
"""


def repository(tmp_path: Path, catalogue: str = CATALOGUE) -> Path:
    """A git repository whose documentation folder holds a catalogue, with settings at its top (as adopt writes)."""
    top = tmp_path / "repo"
    write(top / "doc" / "kubernetes" / "catalogue", {"ch04.yaml": catalogue})
    (top / "ra2docs.toml").write_text('catalogue = "doc/kubernetes/catalogue"\nids = "ra2-today"\n', encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(top)], check=True)
    return top


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("where", [".", "doc", "doc/kubernetes", "doc/kubernetes/catalogue"])
def test_check_finds_the_catalogue_from_anywhere_in_the_repository(tmp_path, capsys, monkeypatch, where):
    top = repository(tmp_path)
    monkeypatch.chdir(top / where)
    code, out, _ = cli(capsys, "check", "--format", "json")
    report = json.loads(out)
    assert report["summary"]["items"] == 3 and code == 1  # the dangling e.cap.025, not yet known


def test_a_missing_catalogue_is_an_error_on_stderr_with_exit_2(tmp_path, capsys, monkeypatch):
    top = repository(tmp_path)
    (top / "ra2docs.toml").write_text('catalogue = "doc/elsewhere"\n', encoding="utf-8")
    monkeypatch.chdir(top)
    code, out, err = cli(capsys, "check")
    assert code == 2 and out == ""
    assert "doc/elsewhere: no catalogue folder (named by" in err and "ra2docs.toml" in err


def test_settings_naming_a_catalogue_outside_the_repository_are_refused(tmp_path, capsys, monkeypatch):
    top = repository(tmp_path)
    write(tmp_path / "outside", {"x.yaml": "items: []\n"})
    (top / "ra2docs.toml").write_text('catalogue = "../outside"\n', encoding="utf-8")
    monkeypatch.chdir(top)
    code, out, err = cli(capsys, "check")
    assert code == 2 and out == "" and "the catalogue folder must be inside" in err


def test_a_baseline_keeps_old_defects_known_and_a_new_defect_fails_at_its_real_severity(tmp_path, capsys, monkeypatch):
    top = repository(tmp_path)
    monkeypatch.chdir(top)
    assert cli(capsys, "check", "--update-baseline")[0] == 0
    baseline = top / "doc/kubernetes/catalogue/ra2docs-baseline.json"
    entries = json.loads(baseline.read_text(encoding="utf-8"))["findings"]
    assert [(e["rule"], e["item"]) for e in entries if e["rule"] == "RA401"] == [("RA401", "ra2.ch.019")]

    code, out, _ = cli(capsys, "check", "--format", "json")
    report = json.loads(out)
    assert code == 0 and report["summary"]["errors"] == 0 and report["summary"]["known"] >= 1
    old = next(f for f in report["findings"] if f["rule"] == "RA401")
    assert old["severity"] == "error" and old["known"] is True  # reported, at its real severity

    # a new dangling link of the same rule fails: no rule was lowered
    catalogue = top / "doc/kubernetes/catalogue/ch04.yaml"
    catalogue.write_text(CATALOGUE.replace("traces: [infra.com.cfg.004]", "traces: [infra.com.cfg.004, e.cap.999]"))
    code, out, _ = cli(capsys, "check")
    assert code == 1 and "'e.cap.999': no such item" in out and "ra2.ch.019" not in out  # only the new one
    code, out, _ = cli(capsys, "check", "--verbose")
    assert "error (known)" in out and "ra2.ch.019" in out  # the old one, marked

    # the build-system formats say the same
    code, out, _ = cli(capsys, "check", "--format", "sarif")
    results = json.loads(out)["runs"][0]["results"]
    states = {r["message"]["text"].split(":")[0]: r.get("baselineState") for r in results if r["ruleId"] == "RA401"}
    assert states == {"ra2.ch.019": "unchanged", "ra2.ch.001": None}
    code, out, _ = cli(capsys, "check", "--format", "github")
    assert "::notice file=" in out and "::error file=" in out


def test_fixing_a_known_defect_says_the_baseline_can_shrink(tmp_path, capsys, monkeypatch):
    top = repository(tmp_path)
    monkeypatch.chdir(top)
    cli(capsys, "check", "--update-baseline")
    catalogue = top / "doc/kubernetes/catalogue/ch04.yaml"
    catalogue.write_text(CATALOGUE.replace("traces: [e.cap.025]", "traces: [infra.com.cfg.004]"), encoding="utf-8")
    code, out, _ = cli(capsys, "check", "--verbose")
    assert code == 0 and "RA106 stale-baseline" in out and "--update-baseline" in out


def test_the_fingerprint_ignores_lines_and_folders_but_not_the_item_or_the_message():
    one = Finding("RA301", "defined again (first at a/ch04.yaml:10)", "a/ch04.yaml", 30, item="ra2.ch.015")
    moved = Finding("RA301", "defined again (first at b/ch04.yaml:12)", "b/ch04.yaml", 41, item="ra2.ch.015")
    other = Finding("RA301", "defined again (first at a/ch04.yaml:10)", "a/ch04.yaml", 30, item="ra2.ch.016")
    assert fingerprint(one) == fingerprint(moved) != fingerprint(other)


@pytest.mark.parametrize(
    "content",
    ["{", '{"findings": "x"}', '{"findings": [{"rule": "RA401"}]}', '{"findings": [{"fingerprint": "a", "count": 0}]}'],
)
def test_a_malformed_baseline_is_a_clear_error(tmp_path, capsys, monkeypatch, content):
    top = repository(tmp_path)
    (top / "doc/kubernetes/catalogue/ra2docs-baseline.json").write_text(content, encoding="utf-8")
    monkeypatch.chdir(top)
    code, out, err = cli(capsys, "check")
    assert code == 2 and out == "" and "ra2docs-baseline.json" in err and "Traceback" not in err


def test_a_baseline_that_is_a_link_is_refused(tmp_path, capsys, monkeypatch):
    top = repository(tmp_path)
    (tmp_path / "elsewhere.json").write_text('{"findings": []}', encoding="utf-8")
    (top / "doc/kubernetes/catalogue/ra2docs-baseline.json").symlink_to(tmp_path / "elsewhere.json")
    monkeypatch.chdir(top)
    code, _, err = cli(capsys, "check")
    assert code == 2 and "baseline" in err
    assert cli(capsys, "check", "--update-baseline")[0] == 2  # never written through the link
    assert (tmp_path / "elsewhere.json").read_text(encoding="utf-8") == '{"findings": []}'


def test_settings_that_are_a_link_are_refused(tmp_path, capsys, monkeypatch):
    top = repository(tmp_path)
    outside = tmp_path / "lenient.toml"
    outside.write_text('catalogue = "doc/kubernetes/catalogue"\n[severity]\ndangling-link = "off"\n')
    (top / "ra2docs.toml").unlink()
    (top / "ra2docs.toml").symlink_to(outside)
    monkeypatch.chdir(top)
    code, out, err = cli(capsys, "check")
    assert code == 2 and out == "" and "not a link; not read" in err


def test_diff_reports_a_change_to_the_baseline(tmp_path, capsys, monkeypatch):
    """A pull request that grows the baseline to hide its new defect: the gate fails, and the reviewer is told."""
    top = repository(tmp_path)
    monkeypatch.chdir(top)
    cli(capsys, "check", "--update-baseline")
    who = ["-c", "user.email=t@example.org", "-c", "user.name=t"]
    subprocess.run(["git", "add", "-A"], check=True, cwd=top)
    subprocess.run(["git", *who, "commit", "-qm", "base"], check=True, cwd=top)
    catalogue = top / "doc/kubernetes/catalogue/ch04.yaml"
    catalogue.write_text(CATALOGUE.replace("traces: [infra.com.cfg.004]", "traces: [infra.com.cfg.004, e.cap.999]"))
    cli(capsys, "check", "--update-baseline")  # hides it from check
    assert cli(capsys, "check")[0] == 0
    code, out, _ = cli(capsys, "diff", "HEAD", "--format", "json", "--fail-on", "new-errors")
    introduced = json.loads(out)["findings_introduced"]
    assert code == 1 and any(f["rule"] == "RA401" and "e.cap.999" in f["message"] for f in introduced)
    assert any(f["rule"] == "RA901" and "ra2docs-baseline.json" in f["message"] for f in introduced)
