"""`ra2docs diff` on a temporary git repository."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import BIN, PROFILES, ra2docs, require, write

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
    require("git", "ra2docs diff reads two revisions with it (sudo apt-get install git)")
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
    result = ra2docs("diff", *args, "--format", "json", cwd=repo)
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
    assert report["chapters_changed"] == ["2.2.3"]  # the section whose table loses a row


def test_a_new_trace_touches_the_section_whose_table_shows_the_link_the_other_way(repo):
    """ra2.ch.001 (4.2) now also traces infra.com.cfg.002: its row changes, and so does the row of
    infra.com.cfg.002 in 2.2.3, whose Specification Reference column is derived from the links."""
    edit(repo, "traces: [infra.com.cfg.004]", "traces: [infra.com.cfg.004, infra.com.cfg.002]")
    commit(repo, "trace")
    _, report = diff(repo, "HEAD~1", "HEAD")
    assert {"source": "ra2.ch.001", "field": "traces", "target": "infra.com.cfg.002"} in report["links_gained"]
    assert report["chapters_changed"] == ["2.2.3", "4.2"]


def test_an_item_that_fills_another_s_row_touches_that_row_s_section(repo):
    """n2 has no section of its own: it is shown on n1's row (row-with), in 2.2.2."""
    (repo / "catalogue" / "rows.yaml").write_text(
        "items:\n"
        "  - {id: n1, kind: rm-capability, title: '1 Gbps', section: 2.2.2, row-with: [n2]}\n"
        "  - {id: n2, kind: rm-capability, title: '2 Gbps'}\n"
    )
    commit(repo, "rows")
    path = repo / "catalogue" / "rows.yaml"
    path.write_text(path.read_text().replace("title: '2 Gbps'", "title: '2.5 Gbps'"))
    commit(repo, "n2")
    _, report = diff(repo, "HEAD~1", "HEAD")
    assert report["changed"].keys() == {"n2"} and report["chapters_changed"] == ["2.2.2"]


def test_fixing_a_defect_reports_it_as_fixed(repo):
    edit(repo, "related: [nfvi.com.cfg.004]", "related: [infra.com.cfg.004]")
    result, report = diff(repo, "HEAD", "--fail-on", "new-findings")  # against the working tree
    assert result.returncode == 0
    assert [(f["rule"], f["item"]) for f in report["findings_fixed"]] == [("RA401", "gap.hugepages")]
    assert report["findings_introduced"] == []
    assert report["changed"]["gap.hugepages"] == [
        {
            "field": "related",
            "before": ["nfvi.com.cfg.004"],
            "after": ["infra.com.cfg.004"],
            "words": "[-nfvi.com.cfg.004-] {+infra.com.cfg.004+}",
        }
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
    text = ra2docs("diff", "HEAD", cwd=repo)
    assert text.returncode == 0 and "changed infra.com.cfg.002:" in text.stdout
    as_markdown = ra2docs("diff", "HEAD", "--format", "markdown", cwd=repo)
    assert as_markdown.returncode == 0, as_markdown.stderr
    markdown = as_markdown.stdout
    assert markdown.startswith("### ✅ ra2docs: catalogue changes `HEAD` → `working tree`")
    assert "| items changed | 1 |" in markdown
    assert "| `infra.com.cfg.002` | title | NUMA <ins>\\|</ins> awareness <ins>&lt;b&gt;</ins> |" in markdown
    assert "<details><summary>Items changed (1)</summary>" in markdown


def test_bad_revision_is_a_clear_error(repo):
    result = ra2docs("diff", "no-such-branch", cwd=repo)
    assert result.returncode == 2 and "no-such-branch" in result.stderr and "Traceback" not in result.stderr


# The shape of anuket-specifications 3c4c8883 -> 1a2f3b59 (2021-11): chapter 2's
# requirements lose their 'req.' prefix; chapter 4 follows for some, not all.
CH02_BEFORE = """\
items:
  - {id: req.gen.cnt.02, kind: ra-requirement, title: Immutable infrastructure, section: '2.3', priority: MUST, category: General, statement: The Architecture must support immutable infrastructure.}
  - {id: req.gen.cnt.03, kind: ra-requirement, title: Cloud native, section: '2.3', priority: MUST, category: General, statement: The Architecture must run cloud native applications., refines: [req.gen.cnt.02]}
  - {id: req.gen.rsl.01, kind: ra-requirement, title: Resilience, section: '2.3', priority: MUST, category: General, statement: The Architecture must support resilient Kubernetes components.}
  - {id: req.gen.rsl.02, kind: ra-requirement, title: Other resilience, section: '2.3', priority: SHOULD, category: General, statement: The Architecture should support resilient components that are not subject to req.gen.rsl.01.}
"""
CH04_BEFORE = """\
items:
  - {id: ra2.k8s.001, kind: specification, title: Immutable nodes, section: '4.3', traces: [req.gen.cnt.02]}
  - {id: ra2.k8s.002, kind: specification, title: Control plane, section: '4.3', traces: [req.gen.rsl.01]}
"""


def renaming_repo(tmp_path: Path) -> Path:
    require("git", "ra2docs diff reads two revisions with it (sudo apt-get install git)")
    repo = tmp_path / "renaming"
    files = {
        "catalogue/profiles.yaml": PROFILES,
        "catalogue/ch02.yaml": CH02_BEFORE,
        "catalogue/ch04.yaml": CH04_BEFORE,
    }
    write(repo, files)
    (repo / "pyproject.toml").write_text('[tool.ra2docs]\ncatalogue = "catalogue"\n')
    git(repo, "init", "-q", "-b", "main")
    commit(repo, "before")
    ch02 = CH02_BEFORE.replace("id: req.", "id: ").replace("[req.gen.cnt.02]", "[gen.cnt.02]")
    write(repo, {"catalogue/ch02.yaml": ch02.replace("subject to req.gen.rsl.01", "subject to gen.rsl.01")})
    write(repo, {"catalogue/ch04.yaml": CH04_BEFORE.replace("[req.gen.cnt.02]", "[gen.cnt.02]")})  # ra2.k8s.002 not
    commit(repo, "drop the req. prefix")
    return repo


def test_findings_that_only_move_with_a_rename_are_neither_fixed_nor_introduced(tmp_path):
    repo = renaming_repo(tmp_path)
    _, report = diff(repo, "HEAD~1", "HEAD")
    renamed = {r["from"]: r["to"] for r in report["renamed"]}
    # req.gen.rsl.02's statement names req.gen.rsl.01: the same content once that rename is applied
    assert renamed == {f"req.{i}": i for i in ("gen.cnt.02", "gen.cnt.03", "gen.rsl.01", "gen.rsl.02")}
    assert report["added"] == [] and report["removed"] == []
    assert [c["field"] for c in report["changed"]["gen.rsl.02"]] == ["statement"]
    assert [c["field"] for c in report["changed"]["gen.cnt.03"]] == ["refines"]
    # Before: RA503 (not verified) on all four, RA501 on req.gen.cnt.03 and RA403 on its
    # 'refines' naming req.gen.cnt.02 in the message. All of them only moved.
    assert report["findings_fixed"] == []
    introduced = {(f["rule"], f["item"]) for f in report["findings_introduced"]}
    assert not {rule for rule, _ in introduced} & {"RA403", "RA503"}, introduced
    # What the change really does: IDs without 'req.' are malformed, and ra2.k8s.002
    # still traces the old ID, so gen.rsl.01 lost its specification.
    assert {("RA303", i) for i in renamed.values()} <= introduced
    assert {("RA401", "ra2.k8s.002"), ("RA502", "ra2.k8s.002"), ("RA501", "gen.rsl.01")} <= introduced
    assert len(introduced) == 7
    # The trace ra2.k8s.001 -> req.gen.cnt.02 moved with the rename; ra2.k8s.002's is lost.
    assert report["links_gained"] == []
    assert report["links_lost"] == [{"source": "ra2.k8s.002", "field": "traces", "target": "req.gen.rsl.01"}]


def test_a_finding_like_one_that_moved_with_a_rename_is_still_new_on_another_item(tmp_path):
    repo = renaming_repo(tmp_path)
    # gen.cnt.03 refines gen.cnt.02 (a wrong kind) since before the rename; gen.cnt.04 now does too.
    path = repo / "catalogue" / "ch02.yaml"
    new_item = (
        "  - {id: gen.cnt.04, kind: ra-requirement, title: New, section: '2.3', priority: MAY, refines: [gen.cnt.02]}\n"
    )
    path.write_text(path.read_text() + new_item)
    _, report = diff(repo, "HEAD~1")
    wrong_kind = [f["item"] for f in report["findings_introduced"] if f["rule"] == "RA403"]
    assert wrong_kind == ["gen.cnt.04"]
    assert report["findings_fixed"] == []


def markdown(repo: Path, *args: str) -> str:
    result = ra2docs("diff", *args, "--format", "markdown", cwd=repo)
    assert result.returncode in (0, 1), result.stderr
    return result.stdout


def test_info_findings_stay_out_of_the_headline_and_the_table(tmp_path):
    repo = renaming_repo(tmp_path)
    # Only info-level findings: three new MUST requirements that nothing specifies or verifies.
    extra = "".join(
        f"  - {{id: req.gen.new.0{n}, kind: ra-requirement, title: New {n}, section: '2.3', priority: MUST, "
        f"statement: The Architecture must do {n}.}}\n"
        for n in range(1, 4)
    )
    path = repo / "catalogue" / "ch02.yaml"
    path.write_text(path.read_text() + extra)
    _, report = diff(repo, "HEAD")
    assert {f["severity"] for f in report["findings_introduced"]} == {"info"}  # the JSON keeps them all
    text = markdown(repo, "HEAD")
    assert text.startswith("### ✅ ")
    assert "| findings introduced | 0 (0 errors, 0 warnings) |" in text
    assert "| info |" not in text and "**Findings this change introduces**" not in text
    assert text.count("Info-level findings") == 1
    assert "<details><summary>ℹ️ Info-level findings: 6 introduced, 0 fixed</summary>" in text
    assert "| RA501 mandatory-without-specification | 3 | 0 |" in text
    assert "| RA503 not-verified | 3 | 0 |" in text


def test_warnings_make_the_headline_a_warning(repo):
    edit(repo, "traces: [infra.com.cfg.004]", "traces: []")
    assert markdown(repo, "HEAD").startswith("### ⚠️ ")


def test_a_duplicate_id_shows_the_content_of_its_second_definition(repo):
    write(
        repo,
        {
            "catalogue/more.yaml": """\
            items:
              - id: infra.com.cfg.004
                kind: rm-requirement
                title: Huge pages of another size
                section: 2.2.3
                values: {basic: Must support 1G pages}
            """
        },
    )
    _, report = diff(repo, "HEAD")
    assert [(f["rule"], f["item"]) for f in report["findings_introduced"]] == [("RA301", "infra.com.cfg.004")]
    (dup,) = report["duplicates"]
    assert (dup["item"], dup["file"], dup["first_file"]) == (
        "infra.com.cfg.004",
        "catalogue/more.yaml",
        "catalogue/items.yaml",
    )
    assert dup["fields"]["title"] == "Huge pages of another size"
    assert dup["first_fields"]["title"] == "Huge Pages"
    text = markdown(repo, "HEAD")
    assert "**IDs this change defines twice**" in text
    assert "| title | Huge Pages | Huge pages of another size |" in text
    assert '| values | {"basic": "Must support"} | {"basic": "Must support 1G pages"} |' in text
    as_text = ra2docs("diff", "HEAD", cwd=repo)
    assert as_text.returncode == 0, as_text.stderr
    plain = as_text.stdout
    assert "defined again: infra.com.cfg.004 at catalogue/more.yaml:2" in plain
    assert "title: Huge pages of another size" in plain


SECRET = "SECRET-0f1e2d outside the repository"


def outside(tmp_path: Path) -> Path:
    """A catalogue file outside the repository that no link may make ra2docs read."""
    folder = write(
        tmp_path / "outside",
        {"secret.yaml": f"items:\n  - {{id: infra.sec.001, kind: rm-requirement, title: '{SECRET}'}}\n"},
    )
    return folder


def every_output(repo: Path, *args: str) -> tuple[list[subprocess.CompletedProcess[str]], str]:
    results = [ra2docs("diff", *args, "--format", form, cwd=repo) for form in ("text", "json", "markdown")]
    return results, "".join(r.stdout + r.stderr for r in results)


def test_a_catalogue_file_that_is_a_symbolic_link_in_git_is_not_followed(repo, tmp_path):
    secret = outside(tmp_path) / "secret.yaml"
    (repo / "catalogue" / "linked.yaml").symlink_to(secret)
    (repo / "catalogue" / "passwd.yaml").symlink_to("/etc/passwd")
    commit(repo, "links")
    git(repo, "rm", "-q", "--cached", "catalogue/linked.yaml", "catalogue/passwd.yaml")  # the working tree side
    (repo / "catalogue" / "linked.yaml").unlink()
    (repo / "catalogue" / "passwd.yaml").unlink()
    results, out = every_output(repo, "HEAD~1", "HEAD")
    assert [r.returncode for r in results] == [0, 0, 0], out
    assert SECRET not in out and str(secret) not in out and "root:" not in out and "/etc/passwd" not in out
    _, report = diff(repo, "HEAD~1", "HEAD")
    skipped = {(f["rule"], f["file"], f["message"]) for f in report["findings_introduced"]}
    assert ("RA101", "catalogue/linked.yaml", "not read: a symbolic link in git, not a file; not followed") in skipped
    assert ("RA101", "catalogue/passwd.yaml", "not read: a symbolic link in git, not a file; not followed") in skipped
    assert {s["path"] for s in report["skipped"]} == {"catalogue/linked.yaml", "catalogue/passwd.yaml"}
    assert "ra2docs: warning: HEAD: catalogue/passwd.yaml: not read" in results[0].stderr
    gate = ra2docs("diff", "HEAD~1", "HEAD", "--fail-on", "new-errors", cwd=repo)
    assert gate.returncode == 1  # a link where a catalogue file should be fails the review


def test_a_submodule_entry_named_like_a_catalogue_file_is_reported_not_a_crash(repo):
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True, check=True).stdout
    git(repo, "update-index", "--add", "--cacheinfo", f"160000,{head.strip()},catalogue/x.yaml")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-q", "-m", "gitlink")
    results, out = every_output(repo, "HEAD~1", "HEAD")
    assert [r.returncode for r in results] == [0, 0, 0] and "Traceback" not in out
    _, report = diff(repo, "HEAD~1", "HEAD")
    assert [(f["rule"], f["file"]) for f in report["findings_introduced"]] == [("RA101", "catalogue/x.yaml")]
    assert "submodule" in report["findings_introduced"][0]["message"]


def test_the_working_tree_side_follows_no_link_out_of_the_repository(repo, tmp_path):
    elsewhere = outside(tmp_path)
    (repo / "catalogue" / "linked.yaml").symlink_to(elsewhere / "secret.yaml")
    (repo / "catalogue" / "linked-folder").symlink_to(elsewhere, target_is_directory=True)
    results, out = every_output(repo, "HEAD")
    assert [r.returncode for r in results] == [0, 0, 0], out
    assert SECRET not in out and str(elsewhere) not in out
    _, report = diff(repo, "HEAD")
    assert [(f["rule"], f["file"]) for f in report["findings_introduced"]] == [("RA101", "catalogue/linked.yaml")]
    assert report["added"] == []


def test_a_catalogue_folder_that_is_a_link_in_the_working_tree_is_not_followed(repo, tmp_path):
    elsewhere = outside(tmp_path)
    shutil.rmtree(repo / "catalogue")
    (repo / "catalogue").symlink_to(elsewhere, target_is_directory=True)
    results, out = every_output(repo, "HEAD")
    assert [r.returncode for r in results] == [2, 2, 2]  # the head side cannot be read
    assert SECRET not in out and str(elsewhere) not in out and "Traceback" not in out
    assert "catalogue: not read: a symbolic link in the working tree; not followed" in results[0].stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["no-such-branch"], "'no-such-branch': no such commit, branch or tag"),
        (["HEAD", "no-such-tag"], "'no-such-tag': no such commit, branch or tag"),
        (["--", "--output=written.txt"], "'--output=written.txt': not a git revision"),
        (["HEAD", "--report-file", "report.html"], "--report-file report.html: name it .md, .json or .txt"),
        (["HEAD", "--report-file", "pyproject.toml/report.md"], "--report-file pyproject.toml/report.md: cannot write"),
        (["HEAD", "--report-url", "javascript:alert(1)"], "give an http(s) URL"),
        (["HEAD", "--max-chars", "0"], "--max-chars: '0': must be at least 1"),
        (["HEAD", "--max-chars", "50", "--format", "markdown"], "--max-chars 50 is too small"),
        (["HEAD", "--catalogue", "/"], "/: the catalogue folder must be inside the git repository"),
    ],
)
def test_every_failure_is_a_clear_error_with_exit_code_2(repo, args, message):
    result = ra2docs("diff", *args, cwd=repo)
    assert result.returncode == 2, result
    assert message in result.stderr and "Traceback" not in result.stderr
    assert not (repo / "written.txt").exists()


def test_outside_a_repository_and_without_git_are_clear_errors(tmp_path):
    folder = write(tmp_path / "plain", {"catalogue/items.yaml": ITEMS})
    result = ra2docs("diff", "HEAD", cwd=folder)
    assert result.returncode == 2 and "is not in a git repository" in result.stderr
    assert "Traceback" not in result.stderr
    no_git = subprocess.run(
        [str(BIN / "ra2docs"), "diff", "HEAD"],
        cwd=folder,
        capture_output=True,
        text=True,
        env={**os.environ, "PATH": str(tmp_path / "empty")},
        check=False,
    )
    assert no_git.returncode == 2 and "git is not installed" in no_git.stderr and "Traceback" not in no_git.stderr


def test_the_catalogue_folder_is_found_from_a_subfolder(repo):
    edit(repo, "title: NUMA awareness", "title: NUMA")
    (repo / "source").mkdir()
    _, from_setting = diff(repo / "source", "HEAD")  # [tool.ra2docs] catalogue, relative to pyproject.toml
    _, from_option = diff(repo / "source", "HEAD", "--catalogue", "../catalogue")  # relative to the current folder
    assert list(from_setting["changed"]) == list(from_option["changed"]) == ["infra.com.cfg.002"]


def test_two_definitions_on_one_line_are_told_apart(repo):
    write(
        repo,
        {
            "catalogue/more.yaml": "items: [{id: ra2.x.001, kind: specification, title: One}, {id: ra2.x.001, kind: specification, title: Two}]\n"
        },
    )
    _, report = diff(repo, "HEAD")
    (dup,) = report["duplicates"]
    assert (dup["first_fields"]["title"], dup["fields"]["title"]) == ("One", "Two")
    assert dup["line"] == dup["first_line"] == 1


# -- review that tells everything (issue 20) -------------------------------------------------------


def review(repo: Path, capsys, monkeypatch, *args: str) -> tuple[int, str]:
    """``ra2docs diff`` in this process, from the repository's top."""
    from ra2docs.cli import main

    monkeypatch.chdir(repo)
    code = main(["diff", *args])
    return code, capsys.readouterr().out


LONG = (
    "The Kubernetes Node must support Huge Pages of every size the processor offers, so that workloads "
    "with large memory footprints run with fewer translation misses; the sizes are announced to the "
    "scheduler as extended resources and a Pod asks for them in its limits, never in its requests alone."
)


def test_an_edit_past_the_first_ninety_characters_shows_in_full_and_word_by_word(repo, capsys, monkeypatch):
    edit(repo, "rm-requirement, title: Huge Pages,", f"rm-requirement, title: Huge Pages, description: '{LONG}',")
    commit(repo, "statement")
    edit(repo, "in its limits, never in", "in its limits and its requests, never in")
    report_md, report_txt = repo / "out" / "report.md", repo / "out" / "report.txt"
    code, out = review(repo, capsys, monkeypatch, "HEAD", "--format", "json")
    assert code == 0
    (change,) = json.loads(out)["changed"]["infra.com.cfg.004"]
    after = LONG.replace("in its limits, never in", "in its limits and its requests, never in")
    assert (change["before"], change["after"]) == (LONG, after)  # whole, not cut at 90 characters
    assert change["words"].endswith(
        "a Pod asks for them in its [-limits,-] {+limits and its requests,+} never in its requests alone."
    )
    code, comment = review(
        repo, capsys, monkeypatch, "HEAD", "--format", "markdown",
        "--report-file", "out/report.md", "--report-file", "out/report.txt",
    )  # fmt: skip
    assert code == 0
    # The comment: the change in context, and where the whole texts are.
    assert (
        "| `infra.com.cfg.004` | description | … asks for them in its <del>limits,</del> <ins>limits and its requests,</ins> never in its requests alone. |"
        in comment
    )
    assert (
        "long texts are cut around the change (…): the full report has them all (`out/report.md`, `out/report.txt`)"
        in comment
    )
    assert "The Kubernetes Node must" not in comment
    # The report files: both whole texts, and the same view without the cut.
    full = report_md.read_text(encoding="utf-8")
    assert f"| {LONG} | {after} | The Kubernetes Node must support" in full
    assert "in its <del>limits,</del> <ins>limits and its requests,</ins> never" in full
    text = report_txt.read_text(encoding="utf-8")
    assert f"        before: {LONG}\n        after:  {after}\n        words:  The Kubernetes Node" in text
    code, plain = review(repo, capsys, monkeypatch, "HEAD")
    assert code == 0 and plain == text


def test_a_rename_with_an_edit_is_renamed_and_changed_and_the_edit_shows(repo, capsys, monkeypatch):
    edit(
        repo,
        "{id: infra.com.cfg.002, kind: rm-requirement, title: NUMA awareness,",
        "{id: infra.com.cfg.003, kind: rm-requirement, title: NUMA topology awareness,",
    )
    _, out = review(repo, capsys, monkeypatch, "HEAD", "--format", "json")
    report = json.loads(out)
    # 7 words before (kind 1, section 1, values 3, title 2), 8 after; all 7 match: 2 x 7 / 15 alike
    assert report["renamed"] == [{"from": "infra.com.cfg.002", "to": "infra.com.cfg.003", "similarity": 0.933}]
    assert report["added"] == [] and report["removed"] == []
    assert report["changed"]["infra.com.cfg.003"] == [
        {
            "field": "title",
            "before": "NUMA awareness",
            "after": "NUMA topology awareness",
            "words": "NUMA {+topology+} awareness",
        }
    ]
    _, comment = review(repo, capsys, monkeypatch, "HEAD", "--format", "markdown")
    assert "| `infra.com.cfg.002` | `infra.com.cfg.003` | renamed and changed (93% alike) |" in comment
    assert "| `infra.com.cfg.003` | title | NUMA <ins>topology</ins> awareness |" in comment
    _, plain = review(repo, capsys, monkeypatch, "HEAD")
    assert "renamed: infra.com.cfg.002 -> infra.com.cfg.003 (and changed: 93% alike)" in plain


def test_a_new_item_in_place_of_a_removed_one_is_no_rename(repo, capsys, monkeypatch):
    # Same kind, section and values, another title: an item removed and another added.
    edit(
        repo,
        "{id: infra.com.cfg.002, kind: rm-requirement, title: NUMA awareness,",
        "{id: infra.com.cfg.003, kind: rm-requirement, title: CPU pinning,",
    )
    _, out = review(repo, capsys, monkeypatch, "HEAD", "--format", "json")
    report = json.loads(out)
    assert report["renamed"] == [] and report["changed"] == {}
    assert (report["removed"], report["added"]) == (["infra.com.cfg.002"], ["infra.com.cfg.003"])


def test_a_renumbered_section_is_one_line_not_a_change_of_each_item(repo, capsys, monkeypatch):
    edit(repo, "section: 2.2.3", "section: 2.2.4")
    edit(repo, "title: Huge Pages, section: 2.2.4", "title: Huge pages, section: 2.2.4")
    _, out = review(repo, capsys, monkeypatch, "HEAD", "--format", "json")
    report = json.loads(out)
    assert report["moved"] == [
        {"field": "section", "before": "2.2.3", "after": "2.2.4", "items": ["infra.com.cfg.002", "infra.com.cfg.004"]}
    ]
    # The section moves out of each item's changes; an item's other edits stay.
    assert list(report["changed"]) == ["infra.com.cfg.004"]
    assert [c["field"] for c in report["changed"]["infra.com.cfg.004"]] == ["title"]
    _, comment = review(repo, capsys, monkeypatch, "HEAD", "--format", "markdown")
    assert "| items changed | 1 |" in comment and "| items moved to another section | 2 |" in comment
    assert "<details><summary>Items moved to another section (2 in 1 moves)</summary>" in comment
    assert "| section | `2.2.3` | `2.2.4` | 2: `infra.com.cfg.002`, `infra.com.cfg.004` |" in comment
    _, plain = review(repo, capsys, monkeypatch, "HEAD")
    assert "section 2.2.3 -> 2.2.4: 2 items (infra.com.cfg.002, infra.com.cfg.004)" in plain


def test_a_row_moved_among_the_others_is_reported_as_reordered(repo, capsys, monkeypatch):
    path = repo / "catalogue" / "items.yaml"
    lines = path.read_text().splitlines(keepends=True)
    lines[1:5] = [lines[3], lines[1], lines[2], lines[4]]  # ra2.ch.001 moved to the top
    path.write_text("".join(lines))
    _, out = review(repo, capsys, monkeypatch, "HEAD", "--format", "json")
    report = json.loads(out)
    assert report["reordered"] == [{"item": "ra2.ch.001", "file": "catalogue/items.yaml", "after": ""}]
    assert report["changed"] == {} and report["added"] == [] and report["removed"] == []
    _, comment = review(repo, capsys, monkeypatch, "HEAD", "--format", "markdown")
    assert "| items reordered | 1 |" in comment
    assert "| `ra2.ch.001` | `catalogue/items.yaml` | (first) |" in comment
    _, plain = review(repo, capsys, monkeypatch, "HEAD")
    assert "reordered: ra2.ch.001 in catalogue/items.yaml, now first" in plain
    # Two more rows swapped: two of four moved, and the others kept their order.
    lines = path.read_text().splitlines(keepends=True)
    lines[3:5] = [lines[4], lines[3]]
    path.write_text("".join(lines))
    _, out = review(repo, capsys, monkeypatch, "HEAD", "--format", "json")
    moved = {r["item"] for r in json.loads(out)["reordered"]}
    old_order = ["infra.com.cfg.004", "infra.com.cfg.002", "ra2.ch.001", "gap.hugepages"]
    new_order = ["ra2.ch.001", "infra.com.cfg.004", "gap.hugepages", "infra.com.cfg.002"]
    assert len(moved) == 2
    assert [i for i in old_order if i not in moved] == [i for i in new_order if i not in moved]
