"""One settings file for the CLI and the Sphinx build: where it is found, ID presets and patterns, severities."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from conftest import PROFILES, ra2docs, run, write

pytestmark = pytest.mark.build

TODAY = """\
items:
  - {id: gen.cnt.02, kind: ra-requirement, title: Cloud nativeness, section: '2.3', priority: SHOULD,
     category: General, subcategory: Cloud nativeness, statement: The architecture should support immutable images.}
  - {id: ra2.ch.001, kind: specification, title: Huge pages, section: '4.2', traces: [gen.cnt.2]}
"""


def _catalogue(tmp_path: Path, settings: str | None) -> Path:
    files = {"profiles.yaml": PROFILES, "items.yaml": TODAY}
    if settings is not None:
        files["ra2docs.toml"] = settings
    return write(tmp_path / "catalogue", files)


def _findings(folder: Path, *extra: str) -> tuple[int, list[tuple[str, str, str]]]:
    result = ra2docs("check", "--catalogue", str(folder), "--format", "json", *extra)
    if result.returncode == 2:
        return 2, [("", "", result.stderr)]
    data = json.loads(result.stdout)
    return result.returncode, [(f["rule"], f["severity"], f["item"] or "") for f in data["findings"]]


def test_today_s_ids_are_malformed_under_the_2020_preset_and_well_formed_under_ra2_today(tmp_path: Path):
    code, found = _findings(_catalogue(tmp_path / "a", None))
    assert ("RA303", "error", "gen.cnt.02") in found and code == 1
    hint = ra2docs("check", "--catalogue", str(tmp_path / "a" / "catalogue")).stdout
    assert 'set ids = "ra2-today"' in hint
    code, found = _findings(_catalogue(tmp_path / "b", 'ids = "ra2-today"\n'))
    assert not any(rule == "RA303" for rule, _, _ in found)
    # the dangling link keeps its did-you-mean whatever the preset
    assert ("RA401", "error", "ra2.ch.001") in found and code == 1


def test_a_pattern_per_kind_replaces_the_preset_and_runs_on_re2(tmp_path: Path):
    settings = "ids = \"ra2-today\"\n[id-patterns]\nspecification = '^ra2\\.ch\\.[0-9]{4}$'\n"
    _, found = _findings(_catalogue(tmp_path, settings))
    assert ("RA303", "error", "ra2.ch.001") in found
    # a pattern that backtracks catastrophically in Python's re runs in linear time on RE2
    hostile = "ids = \"ra2-today\"\n[id-patterns]\nspecification = '^(a+)+$'\n"
    folder = _catalogue(tmp_path / "hostile", hostile)
    items = folder / "items.yaml"
    items.write_text(items.read_text().replace("ra2.ch.001", "a" * 5000 + "!"), encoding="utf-8")
    try:
        # a process of its own, so that a pattern that backtracks fails the test (timeout) rather than hanging it
        result = run("ra2docs", "check", "--catalogue", str(folder), "--format", "json", timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail("an ID pattern backtracked: patterns from the settings file must run on RE2")
    assert result.returncode == 1 and '"RA303"' in result.stdout


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ("[id-patterns]\nspecification = '(a)\\1'\n", "RE2 has no backreferences"),
        ("[id-patterns]\nspecfication = '^x$'\n", "unknown kind 'specfication'"),
        ('ids = "ra2-2025"\n', "use one of: ra2-2020, ra2-today"),
        ("severty = {}\n", "did you mean 'severity'"),
        ('[severity]\ndangling-lnk = "off"\n', "dangling-lnk"),
        ('[severity]\nunsafe-yaml = "off"\n', "RA108 unsafe-yaml is a safety rule and always error"),
        ("ids = \n", "cannot read settings"),
    ],
)
def test_a_bad_settings_file_is_one_clear_error_with_exit_2(tmp_path: Path, settings: str, message: str):
    folder = _catalogue(tmp_path, settings)
    result = ra2docs("check", "--catalogue", str(folder))
    assert result.returncode == 2, result.stdout + result.stderr
    assert message in result.stdout + result.stderr
    assert "ra2docs.toml" in result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def _site(tmp_path: Path, conf_extra: str = "") -> Path:
    return write(
        tmp_path / "source",
        {
            "conf.py": 'extensions = ["ra2docs.sphinx"]\nra2docs_catalogue = "../catalogue"\n'
            f"ra2docs_downloads = False\n{conf_extra}",
            "index.rst": "Site\n====\n\n.. ra2:table:: Requirements\n   :kind: ra-requirement\n",
        },
    )


def test_the_cli_and_the_sphinx_build_gate_alike_from_the_one_settings_file(tmp_path: Path):
    strict = _catalogue(tmp_path, 'ids = "ra2-today"\n')
    source = _site(tmp_path)
    assert ra2docs("check", "--catalogue", str(strict)).returncode == 1  # the dangling link is an error
    built = run("sphinx-build", "-W", "-q", "-b", "html", str(source), str(tmp_path / "out"))
    assert built.returncode != 0 and "RA401" in built.stderr
    # lowered in the settings file: both pass
    (strict / "ra2docs.toml").write_text('ids = "ra2-today"\n[severity]\ndangling-link = "warning"\n')
    assert ra2docs("check", "--catalogue", str(strict)).returncode == 0
    built = run("sphinx-build", "-q", "-b", "html", str(source), str(tmp_path / "out2"))
    assert built.returncode == 0 and "ERROR" not in built.stderr, built.stderr


def test_conf_py_may_name_the_settings_file_and_its_old_severity_table_is_refused_loudly(tmp_path: Path):
    _catalogue(tmp_path, None)
    write(tmp_path / "config", {"ra2.toml": 'ids = "ra2-today"\n[severity]\ndangling-link = "off"\n'})
    source = _site(tmp_path, 'ra2docs_settings = "../config/ra2.toml"\n')
    built = run("sphinx-build", "-W", "-q", "-b", "html", str(source), str(tmp_path / "out"))
    assert built.returncode == 0, built.stderr
    source = _site(tmp_path / "old", 'ra2docs_severity = {"dangling-link": "off"}\n')
    _catalogue(tmp_path / "old", 'ids = "ra2-today"\n')
    built = run("sphinx-build", "-q", "-b", "html", str(source), str(tmp_path / "out-old"))
    assert "ra2docs_severity in conf.py is not read" in built.stderr
    # the CLI finds the same file from pyproject.toml's [tool.ra2docs] when there is no ra2docs.toml
    project = write(
        tmp_path / "py",
        {
            "pyproject.toml": '[tool.ra2docs]\ncatalogue = "cat"\nids = "ra2-today"\n'
            '[tool.ra2docs.severity]\ndangling-link = "off"\n',
            "cat/profiles.yaml": PROFILES,
            "cat/items.yaml": TODAY,
        },
    )
    result = ra2docs("check", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
