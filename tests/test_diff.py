"""`ra2docs diff` on a temporary git repository."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import PROFILES, run, write

ITEMS = """\
items:
  - {id: infra.com.cfg.004, kind: rm-requirement, title: Huge Pages, section: 2.2.3, values: {basic: Must support}}
  - {id: infra.com.cfg.002, kind: rm-requirement, title: NUMA awareness, section: 2.2.3, values: {basic: Must support}}
  - {id: ra2.ch.001, kind: specification, title: Huge Pages, section: '4.2', traces: [infra.com.cfg.004]}
  - {id: gap.hugepages, kind: gap, title: HW topology aware hugepages, related: [nfvi.com.cfg.004]}
"""


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    if not shutil.which("git"):
        pytest.skip("git is needed")
    repo = tmp_path / "repo"
    write(repo, {"catalogue/profiles.yaml": PROFILES, "catalogue/items.yaml": ITEMS})
    (repo / "pyproject.toml").write_text('[tool.ra2docs]\ncatalogue = "catalogue"\n')
    git(repo, "init", "-q", "-b", "main")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-q", "--allow-empty", "-m", "empty")
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-q", "-m", "base")
    return repo


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-q", "-m", message)


def edit(repo: Path, old: str, new: str) -> None:
    path = repo / "catalogue" / "items.yaml"
    path.write_text(path.read_text().replace(old, new))


def diff(repo: Path, *args: str):
    result = run("ra2docs", "diff", *args, "--format", "json", cwd=repo)
    assert result.returncode in (0, 1), result.stderr
    return result, json.loads(result.stdout)


def test_removing_a_referenced_item_reports_the_removal_and_the_new_dangling_link(repo):
    edit(
        repo,
        "  - {id: infra.com.cfg.004, kind: rm-requirement, title: Huge Pages, section: 2.2.3, values: {basic: Must support}}\n",
        "",
    )
    commit(repo, "remove infra.com.cfg.004")
    result, report = diff(repo, "HEAD~1", "HEAD", "--fail-on", "new-findings")
    assert result.returncode == 1
    assert report["removed"] == ["infra.com.cfg.004"]
    assert {"source": "ra2.ch.001", "field": "traces", "target": "infra.com.cfg.004"} in report["links_lost"]
    introduced = {(f["rule"], f["item"]) for f in report["findings_introduced"]}
    assert ("RA401", "ra2.ch.001") in introduced
    # the gap's stale nfvi.* link was there before: not reported as introduced
    assert ("RA401", "gap.hugepages") not in introduced
    assert report["coverage"]["before"]["total"]["specified"] == 1
    assert report["coverage"]["after"]["total"]["specified"] == 0
    assert "chapter02.rst" in report["chapters_changed"]


def test_fixing_a_defect_reports_it_as_fixed(repo):
    edit(repo, "related: [nfvi.com.cfg.004]", "related: [infra.com.cfg.004]")
    result, report = diff(repo, "HEAD", "--fail-on", "new-findings")  # against the working tree
    assert result.returncode == 0
    assert [(f["rule"], f["item"]) for f in report["findings_fixed"]] == [("RA401", "gap.hugepages")]
    assert report["findings_introduced"] == []
    assert report["changed"]["gap.hugepages"] == [
        {"field": "related", "before": ["nfvi.com.cfg.004"], "after": ["infra.com.cfg.004"]}
    ]
    assert {"source": "gap.hugepages", "field": "related", "target": "infra.com.cfg.004"} in report["links_gained"]


def test_a_rename_is_reported_as_a_rename(repo):
    edit(repo, "id: infra.com.cfg.002,", "id: infra.com.cfg.003,")
    commit(repo, "renumber")
    _, report = diff(repo, "HEAD~1", "HEAD")
    assert report["renamed"] == [{"from": "infra.com.cfg.002", "to": "infra.com.cfg.003"}]
    assert report["added"] == [] and report["removed"] == []


def test_markdown_and_text_forms(repo):
    edit(repo, "title: NUMA awareness", "title: 'NUMA | awareness <b>'")
    text = run("ra2docs", "diff", "HEAD", cwd=repo)
    assert text.returncode == 0 and "changed infra.com.cfg.002:" in text.stdout
    markdown = run("ra2docs", "diff", "HEAD", "--format", "markdown", cwd=repo).stdout
    assert markdown.startswith("### ✅ ra2docs: catalogue changes `HEAD` → `working tree`")
    assert "| items changed | 1 |" in markdown
    assert "NUMA \\| awareness &lt;b&gt;" in markdown  # table-safe and HTML-safe
    assert "<details><summary>Details</summary>" in markdown


def test_bad_revision_is_a_clear_error(repo):
    result = run("ra2docs", "diff", "no-such-branch", cwd=repo)
    assert result.returncode == 2 and "no-such-branch" in result.stderr and "Traceback" not in result.stderr
