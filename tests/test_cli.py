"""`ra2docs check` as a reviewer runs it: output, formats, exit codes."""

from __future__ import annotations

import json

from conftest import EDITION_2020, PROFILES, ROOT, run, write


def test_check_on_the_shipped_catalogues_is_clean():
    today = run("ra2docs", "check", "catalogue")
    assert today.returncode == 0, today.stdout
    assert "(0 errors, 0 warnings," in today.stdout and "known from the baseline" in today.stdout
    edition = run("ra2docs", "check", "editions/2020-08/catalogue")
    assert edition.returncode == 0 and "(0 errors, 12 warnings," in edition.stdout, edition.stdout


def test_check_defaults_to_the_configured_catalogue():
    """From the repository's top today's catalogue; from the 2020-08 edition's folder its own (its ra2docs.toml)."""
    today = run("ra2docs", "check", cwd=ROOT)
    assert today.returncode == 0 and "(0 errors, 0 warnings," in today.stdout, today.stdout
    edition = run("ra2docs", "check", cwd=EDITION_2020)
    assert edition.returncode == 0 and "(0 errors, 12 warnings," in edition.stdout, edition.stdout


def test_findings_give_exit_1_and_json(tmp_path):
    folder = write(
        tmp_path / "cat",
        {
            "profiles.yaml": PROFILES,
            "a.yaml": """\
            items:
              - {id: infra.com.cfg.004, kind: rm-requirement, title: Huge Pages}
              - {id: gap.x, kind: gap, title: Hugepages, related: [nfvi.com.cfg.004]}
            """,
        },
    )
    text = run("ra2docs", "check", str(folder), cwd=tmp_path)
    assert text.returncode == 1
    assert "cat/a.yaml" in text.stdout and "3:56" in text.stdout
    assert "gap.x: related 'nfvi.com.cfg.004': no such item  [RA401 dangling-link]" in text.stdout
    assert "hint: did you mean 'infra.com.cfg.004'?" in text.stdout
    assert "1 finding (1 error, 0 warnings, 0 infos) in 2 files, 2 items" in text.stdout
    result = run("ra2docs", "check", str(folder), "--format", "json", cwd=tmp_path)
    assert result.returncode == 1, result.stderr  # an error-level finding
    data = json.loads(result.stdout)
    (finding,) = data["findings"]
    assert {k: finding[k] for k in ("rule", "severity", "item", "file", "line")} == {
        "rule": "RA401",
        "severity": "error",
        "item": "gap.x",
        "file": "cat/a.yaml",
        "line": 3,
    }
    assert finding["suggestion"] == "did you mean 'infra.com.cfg.004'?"
    assert data["summary"]["errors"] == 1 and data["summary"]["items"] == 2


def test_cannot_load_gives_exit_2_without_traceback(tmp_path):
    missing = run("ra2docs", "check", str(tmp_path / "nowhere"), cwd=tmp_path)
    # on stderr, never as a report that reads like a result (a CI step would post it as one)
    assert missing.returncode == 2 and missing.stdout == "", missing.stdout
    assert "nowhere: no catalogue folder" in missing.stderr and "Traceback" not in missing.stderr
    folder = write(tmp_path / "cat", {"broken.yaml": "items:\n  - id: [unclosed\n"})
    broken = run("ra2docs", "check", str(folder), cwd=tmp_path)
    assert broken.returncode == 2
    # text output groups findings under their file: the file, then line:column of each
    assert broken.stdout.startswith("cat/broken.yaml\n")
    assert "3:1  error    YAML syntax error:" in broken.stdout and "[RA102 yaml-syntax]" in broken.stdout
    for result in (missing, broken):
        assert "Traceback" not in result.stdout + result.stderr


def test_severity_can_be_changed_in_pyproject(tmp_path):
    folder = write(
        tmp_path,
        {
            "cat/profiles.yaml": PROFILES,
            "cat/a.yaml": "items:\n  - {id: gap.x, kind: gap, related: [nope.001]}\n",
            "pyproject.toml": '[tool.ra2docs]\ncatalogue = "cat"\n[tool.ra2docs.severity]\ndangling-link = "warning"\n',
        },
    )
    result = run("ra2docs", "check", cwd=folder)
    assert result.returncode == 0
    assert "warning" in result.stdout and "RA401" in result.stdout
    (folder / "pyproject.toml").write_text('[tool.ra2docs.severity]\ndangling-lnk = "warning"\n')
    bad = run("ra2docs", "check", "cat", cwd=folder)
    assert bad.returncode == 2 and "did you mean 'dangling-link'" in bad.stderr


def test_help_and_bad_options():
    usage = run("ra2docs", "check", "--help")
    assert usage.returncode == 0 and "exit codes" in usage.stdout
    bad = run("ra2docs", "check", "--format", "xml")
    assert bad.returncode == 2 and "invalid choice" in bad.stderr


def test_rules_are_listed_with_codes():
    listed = run("ra2docs", "rules")
    assert listed.returncode == 0, listed.stderr
    out = listed.stdout
    assert "RA401  dangling-link" in out and "RA103  duplicate-key" in out
