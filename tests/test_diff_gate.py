"""``ra2docs diff`` judges a change with the base revision's settings: a pull request cannot lower its own gate."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from conftest import PROFILES, require, write

from ra2docs.cli import main

ITEMS = """\
items:
  - {id: infra.com.cfg.004, kind: rm-requirement, title: Huge Pages, section: 2.2.3, values: {basic: Must support}}
  - {id: ra2.ch.001, kind: specification, title: Huge Pages, section: '4.2', traces: [infra.com.cfg.004]}
"""
DANGLING = "traces: [infra.com.cfg.004, infra.com.cfg.999]"


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-q", "-m", message)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    require("git", "ra2docs diff reads two revisions with it (sudo apt-get install git)")
    repo = write(tmp_path / "repo", {"catalogue/profiles.yaml": PROFILES, "catalogue/items.yaml": ITEMS})
    (repo / "pyproject.toml").write_text('[project]\nname = "spec"\n\n[tool.ra2docs]\ncatalogue = "catalogue"\n')
    git(repo, "init", "-q", "-b", "main")
    commit(repo, "base")
    return repo


def add_dangling_trace(repo: Path) -> None:
    path = repo / "catalogue" / "items.yaml"
    path.write_text(path.read_text().replace("traces: [infra.com.cfg.004]", DANGLING))


def diff(repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str):
    monkeypatch.chdir(repo)
    code = main(["diff", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def rules(report: dict) -> list[tuple[str, str]]:
    return [(f["rule"], f["severity"]) for f in report["findings_introduced"]]


@pytest.mark.parametrize(
    ("settings_file", "text", "where"),
    [
        ("pyproject.toml", '\n[tool.ra2docs.severity]\ndangling-link = "off"\n', "pyproject.toml [tool.ra2docs]"),
        ("catalogue/ra2docs.toml", '[severity]\nRA401 = "info"\n', "catalogue/ra2docs.toml"),
    ],
)
def test_a_change_that_switches_off_the_rule_it_breaks_still_fails(
    repo, capsys, monkeypatch, settings_file, text, where
):
    add_dangling_trace(repo)
    path = repo / settings_file
    path.write_text((path.read_text() if path.exists() else "") + text)
    # What the change's own settings say: no error at all.
    monkeypatch.chdir(repo)
    assert main(["check", "--catalogue", "catalogue"]) == 0
    capsys.readouterr()
    code, out, err = diff(repo, capsys, monkeypatch, "HEAD", "--format", "json", "--fail-on", "new-errors")
    assert code == 1, err  # judged with the base revision's settings: the dangling trace is an error
    report = json.loads(out)
    assert ("RA401", "error") in rules(report)
    # (a ra2docs.toml in the catalogue folder takes the place of [tool.ra2docs]: its catalogue setting goes too)
    (changed,) = [f for f in report["findings_introduced"] if f["rule"] == "RA901" and "severity" in f["message"]]
    severity = '"off"' if settings_file == "pyproject.toml" else '"info"'
    assert changed["message"] == f"{where}: severity RA401 dangling-link: not set -> {severity}"
    assert (changed["severity"], changed["file"]) == ("warning", settings_file)
    # The comment shows the settings change as a finding of its own, first.
    code, comment, _ = diff(repo, capsys, monkeypatch, "HEAD", "--format", "markdown", "--fail-on", "new-errors")
    assert code == 1 and comment.startswith("### ❌ ")
    table = comment.split("**Findings this change introduces**")[1]
    first_row = table.split("|---|---|---|---|\n")[1].splitlines()[0]
    assert first_row.startswith(f"| warning | `{settings_file}` |") and "[RA901]" in first_row


def test_a_settings_change_alone_is_a_warning_the_gate_shows(repo, capsys, monkeypatch):
    path = repo / "pyproject.toml"
    path.write_text(
        path.read_text()
        + "ids = \"ra2-today\"\n[tool.ra2docs.id-patterns]\nspecification = '^ra2\\.[a-z]+\\.[0-9]+$'\n"
    )
    code, out, _ = diff(repo, capsys, monkeypatch, "HEAD", "--format", "json", "--fail-on", "new-errors")
    assert code == 0  # nothing else changed: no error
    messages = [f["message"] for f in json.loads(out)["findings_introduced"]]
    assert messages == [
        'pyproject.toml [tool.ra2docs]: id-patterns specification: not set -> "^ra2\\\\.[a-z]+\\\\.[0-9]+$"',
        'pyproject.toml [tool.ra2docs]: ids: "ra2-2020" -> "ra2-today"',
    ]
    code, comment, _ = diff(repo, capsys, monkeypatch, "HEAD", "--format", "markdown", "--fail-on", "new-findings")
    assert code == 1 and comment.startswith("### ⚠️ ")
    assert "| findings introduced | 2 (0 errors, 2 warnings) |" in comment


def test_the_base_revisions_id_preset_applies_to_both_sides(repo, capsys, monkeypatch):
    """RA2 today: `ids = "ra2-today"` in the base; a new gen.cnt.09 is well formed, not a false error."""
    path = repo / "pyproject.toml"
    path.write_text(path.read_text() + 'ids = "ra2-today"\n')
    commit(repo, "today's IDs")
    items = repo / "catalogue" / "items.yaml"
    items.write_text(
        items.read_text()
        + "  - {id: gen.cnt.09, kind: ra-requirement, title: New, section: '2.3', priority: MAY}\n"
        + "  - {id: req.gen.cnt.10, kind: ra-requirement, title: Old form, section: '2.3', priority: MAY}\n"
    )
    code, out, err = diff(repo, capsys, monkeypatch, "HEAD", "--format", "json", "--fail-on", "new-errors")
    malformed = [f["item"] for f in json.loads(out)["findings_introduced"] if f["rule"] == "RA303"]
    assert malformed == ["req.gen.cnt.10"] and code == 1, err


def test_an_explicit_config_judges_both_sides(repo, capsys, monkeypatch, tmp_path):
    add_dangling_trace(repo)
    config = write(tmp_path / "ci", {"ra2docs.toml": '[severity]\ndangling-link = "warning"\n'}) / "ra2docs.toml"
    code, out, _ = diff(
        repo, capsys, monkeypatch, "HEAD", "--format", "json", "--fail-on", "new-errors", "--config", str(config)
    )
    assert code == 0 and rules(json.loads(out)) == [("RA401", "warning")]


def test_a_settings_file_that_is_a_link_is_not_followed(repo, capsys, monkeypatch, tmp_path):
    secret = write(tmp_path / "outside", {"ra2docs.toml": '# SECRET-77\n[severity]\ndangling-link = "off"\n'})
    add_dangling_trace(repo)
    (repo / "catalogue" / "ra2docs.toml").symlink_to(secret / "ra2docs.toml")
    code, out, err = diff(repo, capsys, monkeypatch, "HEAD", "--format", "json", "--fail-on", "new-errors")
    assert code == 1 and "SECRET" not in out + err and str(secret) not in out + err
    report = json.loads(out)
    assert ("RA401", "error") in rules(report)
    (changed,) = [f for f in report["findings_introduced"] if f["rule"] == "RA901"]
    assert (
        "catalogue/ra2docs.toml: a settings file must be a regular file (not a link); not followed"
        in changed["message"]
    )
    # In the base revision, a link there is refused outright: the settings that judge cannot be guessed.
    commit(repo, "link")
    code, _, err = diff(repo, capsys, monkeypatch, "HEAD", "--format", "json")
    assert (
        code == 2
        and "catalogue/ra2docs.toml: a settings file must be a regular file, not a symbolic link in git" in err
    )


def test_other_settings_files_of_the_repository_are_watched_too(repo, capsys, monkeypatch):
    # A settings file 'check' finds when run from doc/, and a pyproject.toml change outside [tool.ra2docs].
    write(repo, {"doc/ra2docs.toml": '[severity]\ndangling-link = "off"\n'})
    pyproject = repo / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('name = "spec"', 'name = "spec"\nversion = "2"'))
    code, out, _ = diff(repo, capsys, monkeypatch, "HEAD", "--format", "json", "--fail-on", "new-findings")
    messages = [(f["rule"], f["file"], f["message"]) for f in json.loads(out)["findings_introduced"]]
    assert code == 1 and messages == [
        (
            "RA901",
            "doc/ra2docs.toml",
            "doc/ra2docs.toml: ra2docs settings changed (not the file found from the catalogue folder, "
            "but a command run from another folder may read it)",
        )
    ]
    commit(repo, "settings elsewhere")  # the same between two commits
    code, out, _ = diff(repo, capsys, monkeypatch, "HEAD~1", "HEAD", "--format", "json")
    assert [f["file"] for f in json.loads(out)["findings_introduced"]] == ["doc/ra2docs.toml"]


def test_a_change_cannot_point_the_review_at_another_folder(repo, capsys, monkeypatch):
    add_dangling_trace(repo)
    write(repo, {"clean/profiles.yaml": PROFILES})
    pyproject = repo / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('catalogue = "catalogue"', 'catalogue = "clean"'))
    code, out, err = diff(repo, capsys, monkeypatch, "HEAD", "--format", "json", "--fail-on", "new-errors")
    assert code == 1, err  # catalogue/, as the base revision names it, gained a dangling trace
    report = json.loads(out)
    assert ("RA401", "error") in rules(report) and report["removed"] == []
    assert 'pyproject.toml [tool.ra2docs]: catalogue: "catalogue" -> "clean"' in [
        f["message"] for f in report["findings_introduced"]
    ]


def test_bad_settings_in_the_base_revision_are_a_clear_error(repo, capsys, monkeypatch):
    pyproject = repo / "pyproject.toml"
    good = pyproject.read_text()
    pyproject.write_text(good + '[tool.ra2docs.severity]\ndangling-lnk = "off"\n')
    commit(repo, "typo")
    pyproject.write_text(good)  # the change fixes it: judged by the base revision's, which cannot be read
    code, out, err = diff(repo, capsys, monkeypatch, "HEAD", "--format", "json")
    assert code == 2 and out == ""
    assert "pyproject.toml at HEAD: [tool.ra2docs] severity: unknown rule 'dangling-lnk'" in err
    assert "did you mean 'dangling-link'?" in err and "ra2docs-diff-" not in err  # no scratch path
