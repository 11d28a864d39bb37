"""adopt writes every file or none, through no link, nothing outside the repository (issue 21: 4, 9, 10).

A tiny tree (conf.py and one chapter with a table of IDs) in a git repository,
adopted in-process; each case plants what an attacker or an accident would.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

import pytest

from ra2docs.cli import main

CHAPTER = """\
Specifications
==============

Node
----

.. list-table:: Node Specifications
   :header-rows: 1

   * - Ref
     - Specification
     - Details
   * - ra2.ch.001
     - Huge pages
     - Huge pages must be available.
"""


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    top = tmp_path / "repo"
    (top / "doc" / "chapters").mkdir(parents=True)
    (top / "doc" / "conf.py").write_text('project = "tiny"\nextensions = []\n', encoding="utf-8")
    (top / "doc" / "chapters" / "chapter04.rst").write_text(CHAPTER, encoding="utf-8")
    (top / "doc" / "test-requirements.txt").write_text("sphinx==7.2.6\n", encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(top)], check=True)
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "victim.txt").write_text("untouched\n", encoding="utf-8")
    return top


def digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
        for p in sorted(folder.rglob("*"))
        if ".git" not in p.relative_to(folder).parts[:1]
    }


def adopt(top: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["adopt", str(top / "doc"), *args])
    return code, capsys.readouterr().err


def test_a_plain_tree_is_adopted(tree, capsys):
    assert adopt(tree, capsys)[0] == 0
    assert (tree / "ra2docs.toml").is_file() and (tree / "doc" / "catalogue" / "ra2docs-baseline.json").is_file()
    assert (tree / ".github" / "workflows" / "ra2docs-review.yml").is_file()


@pytest.mark.parametrize(
    "plant",
    [
        "conf.py",  # conf.py a link to a file outside
        "catalogue",  # the catalogue folder a link to a folder outside
        "ra2docs.toml",  # settings at the top a link
        "requirements",  # test-requirements.txt a link (with --requirement)
        "workflows",  # .github/workflows a link to a folder outside
    ],
)
def test_nothing_is_written_through_a_link(tree, tmp_path, capsys, plant):
    outside = tmp_path / "outside"
    doc = tree / "doc"
    if plant == "conf.py":
        (outside / "conf.py").write_text((doc / "conf.py").read_text())
        (doc / "conf.py").unlink()
        (doc / "conf.py").symlink_to(outside / "conf.py")
    elif plant == "catalogue":
        (doc / "catalogue").symlink_to(outside, target_is_directory=True)
    elif plant == "ra2docs.toml":
        (tree / "ra2docs.toml").symlink_to(outside / "victim.txt")
    elif plant == "requirements":
        (outside / "reqs.txt").write_text("sphinx==7.2.6\n")
        (doc / "test-requirements.txt").unlink()
        (doc / "test-requirements.txt").symlink_to(outside / "reqs.txt")
    else:
        (tree / ".github").mkdir()
        (tree / ".github" / "workflows").symlink_to(outside, target_is_directory=True)
    before, outside_before = digest(tree), digest(outside)
    code, err = adopt(tree, capsys, "--requirement", "ra2docs==0.1.0")
    assert code == 2 and "ra2docs: error:" in err and "Traceback" not in err, err
    assert digest(tree) == before and digest(outside) == outside_before, err


def test_a_catalogue_that_is_a_file_is_refused_before_any_chapter_is_rewritten(tree, capsys):
    (tree / "doc" / "catalogue").write_text("not a folder\n")
    before = digest(tree)
    code, err = adopt(tree, capsys)
    assert code == 2 and "is not a folder" in err and digest(tree) == before


def test_a_failure_while_writing_leaves_every_file_as_it_was(tree, capsys):
    # a folder where adopt stages one of its files: that write fails, after others were staged
    staged = f".conf.py.{os.getpid()}.ra2docs-tmp"  # adopt runs in this process
    (tree / "doc" / staged).mkdir()
    (tree / "doc" / staged / "x").write_text("x")
    before = digest(tree)
    code, err = adopt(tree, capsys)
    assert code == 2 and "nothing was changed" in err, err
    assert digest(tree) == before
    assert not list(tree.rglob("*.ra2docs-tmp")) or [p.name for p in tree.rglob("*.ra2docs-tmp")] == [staged]


def test_a_chapter_file_name_with_a_line_break_is_refused(tree, capsys):
    (tree / "doc" / "chapters" / "evil\nitems:\n  - id: x.rst").write_text(CHAPTER)
    before = digest(tree)
    code, err = adopt(tree, capsys)
    assert code == 2 and "control characters" in err and digest(tree) == before


def test_a_tree_pinning_an_old_sphinx_is_refused(tree, capsys):
    (tree / "doc" / "test-requirements.txt").write_text("Sphinx==4.5.0  # RC2's pin\n")
    before = digest(tree)
    code, err = adopt(tree, capsys, "--requirement", "ra2docs==0.1.0")
    assert code == 2 and "Sphinx==4.5.0" in err and "Sphinx 7.2 or later" in err and digest(tree) == before


def test_the_requirement_line_is_one_pip_reads(tree, capsys, tmp_path):
    assert adopt(tree, capsys, "--requirement", "git+https://github.com/example/ra2docs@v0.1.0")[0] == 0
    lines = (tree / "doc" / "test-requirements.txt").read_text().splitlines()
    assert lines[-1].startswith("ra2docs @ git+https://github.com/example/ra2docs@v0.1.0")
    for bad in ("numpy==1.0", "ra2docs==", "./no/such/wheel.whl"):
        fresh = tmp_path / f"t{abs(hash(bad))}"
        subprocess.run(["cp", "-r", str(tree), str(fresh)], check=True)
        code = main(["adopt", str(fresh / "doc"), "--requirement", bad])
        assert code == 2, bad
    capsys.readouterr()


def test_rc2_which_pins_sphinx_4_5_is_refused_before_anything_else(tmp_path, capsys):
    """RC2 (2024-04) pins sphinx==4.5.0: installing ra2docs there would upgrade it silently; adopt says so."""
    import shutil

    from conftest import SHARED

    tree = tmp_path / "RC2"
    shutil.copytree(SHARED / "upstream" / "rc2-2024-04", tree)
    for path in [tree, *tree.rglob("*")]:
        path.chmod(path.stat().st_mode | 0o200)
    before = digest(tree)
    code = main(["adopt", str(tree / "doc" / "ref_cert" / "RC2")])
    err = capsys.readouterr().err
    assert code == 2 and "test-requirements.txt:4: the tree pins sphinx==4.5.0" in err, err
    assert digest(tree) == before


def test_a_chapter_linking_out_of_the_tree_is_refused(tree, tmp_path, capsys):
    outside = tmp_path / "outside" / "chapter05.rst"
    outside.write_text(CHAPTER.replace("ra2.ch.001", "ra2.ch.005"))
    (tree / "doc" / "chapters" / "chapter05.rst").symlink_to(outside)
    before = digest(tree)
    code, err = adopt(tree, capsys)
    assert code == 2 and "a chapter that is a link to a file outside" in err and digest(tree) == before


def test_the_dry_run_diff_applies_with_git(tree, capsys):
    (tree / "doc" / "conf.py").write_text('project = "tiny"\nextensions = []')  # no newline at the end
    assert main(["adopt", str(tree / "doc"), "--dry-run"]) == 0
    patch = capsys.readouterr().out
    assert "\\ No newline at end of file" in patch
    applied = subprocess.run(["git", "apply", "--check", "-"], input=patch, text=True, cwd=tree, capture_output=True)
    assert applied.returncode == 0, applied.stderr
