"""The shipped review workflows, run step by step on an adopted RA2 repository, as GitHub would run them.

``ra2docs adopt`` writes ``ra2docs-review.yml`` and ``ra2docs-comment.yml``
into the repository it adopts. Here a copy of the RA2 repository is adopted,
and each workflow's steps run in their order, under their own ``if:``
conditions (GitHub's expression language, for the part these workflows use),
with their ``run:`` scripts in bash exactly as written. What cannot run here
stands in for GitHub: checkout and setup-python are the repository as it is
and this Python; the artifact store is a folder; ``pip``, ``reviewdog`` and
``gh`` (GitHub's API) are stand-ins on PATH that record what they are asked.
Three pull requests: a clean one, one with a new error, one from a fork.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import RA2_TREE, ROOT

from ra2docs.cli import main

WORKFLOWS = ROOT / "ra2docs" / "workflows"
DOCS = "doc/ref_arch/kubernetes"
REPOSITORY = "anuket-project/RA2"
MARKER = "<!-- ra2docs review -->"


# -- GitHub's expressions, for what the workflows use ----------------------------------------


class Context(dict):
    """A context object: a missing property is '' (GitHub's null), properties read with dots."""

    def __getattr__(self, name: str) -> Any:
        value = self.get(name, "")
        return Context(value) if isinstance(value, dict) else value


_TOKENS = re.compile(r"'[^']*'|&&|\|\||!=|==|!|[^'&|!=]+")


def evaluate(expression: str, contexts: dict[str, Any], failed: bool, workdir: Path) -> Any:
    python = []
    for token in _TOKENS.findall(expression.strip()):
        python.append({"&&": " and ", "||": " or ", "!": " not "}.get(token, token))
    names = {
        **{k: Context(v) for k, v in contexts.items()},
        "always": lambda: True,
        "success": lambda: not failed,
        "failure": lambda: failed,
        "hashFiles": lambda pattern: "hash" if (workdir / pattern).exists() else "",
    }
    return eval("".join(python), {"__builtins__": {}}, names)  # our own workflow files' expressions


def substitute(text: str, contexts: dict[str, Any], failed: bool, workdir: Path) -> str:
    return re.sub(r"\$\{\{(.*?)\}\}", lambda m: str(evaluate(m.group(1), contexts, failed, workdir)), text)


# -- stand-ins for what GitHub provides ------------------------------------------------------

FAKE_GH = r"""
import json, os, sys
state_path = os.environ["FAKE_GH_STATE"]
state = json.load(open(state_path))
args = sys.argv[1:]
state["calls"].append(args)
def save():
    json.dump(state, open(state_path, "w"))
assert args[0] == "api", args
rest = [a for a in args[1:] if a != "--paginate"]
method = "GET"
if rest[0] == "-X":
    method, rest = rest[1], rest[2:]
path = rest[0]
parts = path.split("/")
if method == "GET" and parts[3] == "pulls":
    pull = state["pulls"].get(parts[4])
    if pull is None:
        save(); sys.exit(1)
    assert rest[1:] == ["--jq", ".head.sha"], rest
    print(pull["head_sha"])
elif method == "GET" and parts[-1] == "comments":
    wanted = '.[] | select(.user.login == "github-actions[bot]" and (.body | startswith("<!-- ra2docs review -->"))) | .id'
    assert rest[1:] == ["--jq", wanted], rest
    for c in state["comments"].get(parts[4], []):
        if c["user"] == "github-actions[bot]" and c["body"].startswith("<!-- ra2docs review -->"):
            print(c["id"])
else:
    body = open(rest[rest.index("-F") + 1].split("=@", 1)[1]).read()
    if method == "PATCH":
        for comments in state["comments"].values():
            for c in comments:
                if str(c["id"]) == parts[-1]:
                    c["body"] = body
    else:
        state["next"] += 1
        state["comments"].setdefault(parts[4], []).append({"id": state["next"], "user": "github-actions[bot]", "body": body})
save()
"""


@dataclass
class Run:
    steps: dict[str, str] = field(default_factory=dict)  # step name -> 'ran', 'skipped' or 'failed'
    outputs: dict[str, dict[str, str]] = field(default_factory=dict)
    failed: bool = False
    recorded: list[str] = field(default_factory=list)  # what the stand-ins were asked

    def ran(self, name: str) -> bool:
        return self.steps.get(name) in ("ran", "failed")


class GitHub:
    """Runs a workflow file's jobs here, the way the runner would."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.artifacts = tmp / "artifacts"
        self.artifacts.mkdir()
        self.bin = tmp / "bin"
        self.bin.mkdir()
        self.log = tmp / "stand-ins.log"
        for name in ("pip", "reviewdog"):
            script = self.bin / name
            script.write_text(f'#!/bin/sh\necho "{name} $*" >> "{self.log}"\ncat > /dev/null 2>&1 || true\n')
            script.chmod(0o755)
        # Vale as `pip install vale` gives it on GitHub's runners: here, a Vale that finds nothing
        (self.bin / "vale").write_text(f'#!/bin/sh\necho "vale $*" >> "{self.log}"\necho "{{}}"\n')
        (self.bin / "vale").chmod(0o755)
        (self.bin / "gh").write_text(f"#!{sys.executable}\n{FAKE_GH}")
        (self.bin / "gh").chmod(0o755)
        self.state = tmp / "gh-state.json"
        self.state.write_text(json.dumps({"pulls": {}, "comments": {}, "calls": [], "next": 100}))

    def gh(self) -> dict[str, Any]:
        return json.loads(self.state.read_text())

    def set_gh(self, state: dict[str, Any]) -> None:
        self.state.write_text(json.dumps(state))

    def run(self, workflow: str, github: dict[str, Any], workdir: Path) -> Run:
        data = yaml.safe_load((WORKFLOWS / workflow).read_text(encoding="utf-8"))
        result = Run()
        for job in data["jobs"].values():
            contexts: dict[str, Any] = {"github": github, "steps": {}}
            if "if" in job and not evaluate(job["if"], contexts, False, workdir):
                continue
            for step in job["steps"]:
                name = step.get("name") or step.get("uses") or step["run"].splitlines()[0]
                if not evaluate(step.get("if", "success()"), contexts, result.failed, workdir):
                    result.steps[name] = "skipped"
                    continue
                ok, outputs = self._step(step, contexts, result, workdir)
                if "id" in step:
                    contexts["steps"][step["id"]] = {"outputs": outputs}
                    result.outputs[step["id"]] = outputs
                result.steps[name] = "ran" if ok else "failed"
                result.failed = result.failed or not ok
        result.recorded = self.log.read_text().splitlines() if self.log.exists() else []
        return result

    def _step(self, step: dict[str, Any], contexts: dict[str, Any], result: Run, workdir: Path) -> tuple[bool, dict]:
        with_ = {k: substitute(str(v), contexts, result.failed, workdir) for k, v in (step.get("with") or {}).items()}
        uses = step.get("uses", "")
        if uses:
            action = uses.split("@")[0]
            assert re.fullmatch(r"[0-9a-f]{40}", uses.split("@")[1]), f"{uses}: pin actions by commit"
            if action == "actions/checkout":
                assert with_.get("persist-credentials") == "False", "checkout leaves no token for the pull request"
            elif action == "actions/upload-artifact":
                source = workdir / with_["path"]
                if not source.exists():
                    return with_.get("if-no-files-found") != "error", {}
                shutil.copytree(source, self.artifacts / with_["name"], dirs_exist_ok=True)
            elif action == "actions/download-artifact":
                shutil.copytree(self.artifacts / with_["name"], workdir / with_["path"])
            with self.log.open("a") as log:
                log.write(f"uses {action}\n")
            return True, {}
        outputs_file = self.tmp / "github-output"
        outputs_file.write_text("")
        env = {
            **os.environ,
            "PATH": f"{self.bin}:{Path(sys.executable).parent}:{os.environ['PATH']}",
            "GITHUB_OUTPUT": str(outputs_file),
            "GITHUB_STEP_SUMMARY": str(self.tmp / "summary.md"),
            "FAKE_GH_STATE": str(self.state),
            **{k: substitute(str(v), contexts, result.failed, workdir) for k, v in (step.get("env") or {}).items()},
        }
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
            cwd=workdir,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        outputs = dict(line.split("=", 1) for line in outputs_file.read_text().splitlines() if "=" in line)
        if done.returncode:
            with self.log.open("a") as log:
                log.write(f"step failed: {done.stdout[-500:]} {done.stderr[-500:]}\n")
        return done.returncode == 0, outputs


# -- the adopted repository and its pull requests --------------------------------------------


def git(top: Path, *args: str) -> str:
    who = ["-c", "user.email=t@example.org", "-c", "user.name=t"]
    return subprocess.run(["git", "-C", str(top), *who, *args], check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def adopted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    top = tmp_path_factory.mktemp("workflow") / "RA2"
    shutil.copytree(RA2_TREE.parents[2], top)
    for path in [top, *top.rglob("*")]:
        path.chmod(path.stat().st_mode | 0o200)
    git(top, "init", "-q", "-b", "main")
    git(top, "add", "-A")
    git(top, "commit", "-qm", "RA2")
    cwd = Path.cwd()
    os.chdir(top)
    try:
        assert main(["adopt", DOCS]) == 0
    finally:
        os.chdir(cwd)
    assert (top / ".github" / "workflows" / "ra2docs-review.yml").read_text() == (
        WORKFLOWS / "ra2docs-review.yml"
    ).read_text()
    git(top, "add", "-A")
    git(top, "commit", "-qm", "ra2docs adopt")
    return top


@pytest.fixture
def repo(adopted: Path, tmp_path: Path) -> Path:
    """A fresh clone of the adopted repository, its main branch as origin/main (what a pull request's run sees)."""
    clone = tmp_path / "checkout"
    subprocess.run(["git", "clone", "-q", str(adopted), str(clone)], check=True)
    return clone


def pull_request(repo: Path, edit: dict[str, tuple[str, str]], number: int, fork: bool) -> dict[str, Any]:
    for file, (old, new) in edit.items():
        path = repo / DOCS / "catalogue" / file
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, old
        path.write_text(text.replace(old, new), encoding="utf-8")
    git(repo, "checkout", "-q", "-b", f"pr-{number}")
    git(repo, "commit", "-qam", "a change")
    head = git(repo, "rev-parse", "HEAD").strip()
    return {
        "event_name": "pull_request",
        "base_ref": "main",
        "repository": REPOSITORY,
        "server_url": "https://github.com",
        "run_id": "4242",
        "token": "read-only-token",
        "event": {
            "pull_request": {
                "number": number,
                "head": {"sha": head, "repo": {"full_name": "someone/RA2" if fork else REPOSITORY}},
            }
        },
    }


def comment_run(github: dict[str, Any]) -> dict[str, Any]:
    return {
        "event_name": "workflow_run",
        "repository": REPOSITORY,
        "token": "write-token",
        "event": {
            "workflow_run": {
                "event": "pull_request",
                "id": "4242",
                "head_sha": github["event"]["pull_request"]["head"]["sha"],
                "html_url": "https://github.com/anuket-project/RA2/actions/runs/4242",
            }
        },
    }


TITLE = ("    title: Huge pages\n", "    title: Huge pages (2 MiB and 1 GiB)\n")
DANGLING = ("    traces:\n    - e.man.007\n", "    traces:\n    - e.man.007\n    - e.cap.999\n")


@pytest.mark.slow
def test_a_clean_pull_request_passes_and_gets_one_comment_the_bot_then_edits(repo, tmp_path):
    runner = GitHub(tmp_path)
    github = pull_request(repo, {"chapter04.yaml": TITLE}, 7, fork=False)
    review = runner.run("ra2docs-review.yml", github, repo)
    assert review.outputs["check"]["code"] == "0" and review.outputs["diff"]["code"] == "0"
    assert not review.failed, review.recorded
    assert "uses github/codeql-action/upload-sarif" in review.recorded  # a pull request of this repository
    assert "pip install ra2docs" in review.recorded and "pip install vale" in review.recorded  # RA2 has .vale.ini
    assert any(line.startswith("reviewdog -f=rdjson") for line in review.recorded)
    report = json.loads((tmp_path / "artifacts" / "ra2docs-diff" / "report.json").read_text())
    assert [c["field"] for c in report["changed"]["ra2.ch.001"]] == ["title"]

    # a maintainer's comment and another bot's comment are there already: neither is touched
    state = runner.gh()
    state["pulls"]["7"] = {"head_sha": github["event"]["pull_request"]["head"]["sha"]}
    state["comments"]["7"] = [
        {"id": 1, "user": "maintainer", "body": f"{MARKER} quoting the bot"},
        {"id": 2, "user": "github-actions[bot]", "body": "another workflow's comment"},
    ]
    runner.set_gh(state)
    workdir = tmp_path / "comment-run"
    workdir.mkdir()
    assert not runner.run("ra2docs-comment.yml", comment_run(github), workdir).failed
    comments = runner.gh()["comments"]["7"]
    assert comments[:2] == state["comments"]["7"] and len(comments) == 3
    assert comments[2]["body"].startswith(MARKER) and "ra2.ch.001" in comments[2]["body"]

    # the next run of the same pull request edits that comment, and only that one
    shutil.rmtree(workdir)
    workdir.mkdir()
    assert not runner.run("ra2docs-comment.yml", comment_run(github), workdir).failed
    after = runner.gh()
    assert len(after["comments"]["7"]) == 3 and after["comments"]["7"][:2] == state["comments"]["7"]
    assert ["api", "-X", "PATCH", f"repos/{REPOSITORY}/issues/comments/{comments[2]['id']}"] == after["calls"][-1][:4]


@pytest.mark.slow
def test_a_new_error_still_gets_its_diff_and_comment_and_fails_the_gate(repo, tmp_path):
    runner = GitHub(tmp_path)
    github = pull_request(repo, {"chapter04.yaml": DANGLING}, 8, fork=False)
    review = runner.run("ra2docs-review.yml", github, repo)
    assert review.outputs["check"]["code"] == "1" and review.outputs["diff"]["code"] == "1"
    # a failing check does not skip what follows: the diff, its artifact, Vale; the gate fails last
    assert review.ran("What the change does to the catalogue") and review.ran("Keep the report for the comment")
    assert review.steps["Fail on what the change breaks"] == "failed"
    state = runner.gh()
    state["pulls"]["8"] = {"head_sha": github["event"]["pull_request"]["head"]["sha"]}
    runner.set_gh(state)
    workdir = tmp_path / "comment-run"
    workdir.mkdir()
    assert not runner.run("ra2docs-comment.yml", comment_run(github), workdir).failed
    body = runner.gh()["comments"]["8"][0]["body"]
    assert body.startswith(MARKER) and "e.cap.999" in body


@pytest.mark.slow
def test_a_pull_request_from_a_fork_gets_its_comment_from_the_second_workflow(repo, tmp_path):
    runner = GitHub(tmp_path)
    github = pull_request(repo, {"chapter04.yaml": TITLE}, 9, fork=True)
    review = runner.run("ra2docs-review.yml", github, repo)
    assert not review.failed, review.recorded
    # nothing that needs a token that can write runs on the fork's code
    assert "uses github/codeql-action/upload-sarif" not in review.recorded
    assert not any(line.startswith("reviewdog") for line in review.recorded)
    assert "uses actions/upload-artifact" in review.recorded
    state = runner.gh()
    state["pulls"]["9"] = {"head_sha": github["event"]["pull_request"]["head"]["sha"]}
    state["pulls"]["3"] = {"head_sha": "0" * 40}  # another pull request
    runner.set_gh(state)
    workdir = tmp_path / "comment-run"
    workdir.mkdir()
    assert not runner.run("ra2docs-comment.yml", comment_run(github), workdir).failed
    assert runner.gh()["comments"]["9"][0]["body"].startswith(MARKER)

    # an artifact naming another pull request (the fork's code wrote it) is refused: nothing posted there
    (tmp_path / "artifacts" / "ra2docs-diff" / "pull-request").write_text("3\n")
    shutil.rmtree(workdir)
    workdir.mkdir()
    assert runner.run("ra2docs-comment.yml", comment_run(github), workdir).failed
    assert "3" not in runner.gh()["comments"]


@pytest.mark.slow
def test_a_review_that_cannot_read_the_catalogue_never_posts_a_green_comment(repo, tmp_path):
    runner = GitHub(tmp_path)
    github = pull_request(repo, {"chapter04.yaml": ("items:\n", "items:\n  - [unclosed\n")}, 10, fork=False)
    review = runner.run("ra2docs-review.yml", github, repo)
    assert review.outputs["diff"]["code"] == "2" and review.failed
    state = runner.gh()
    state["pulls"]["10"] = {"head_sha": github["event"]["pull_request"]["head"]["sha"]}
    runner.set_gh(state)
    workdir = tmp_path / "comment-run"
    workdir.mkdir()
    runner.run("ra2docs-comment.yml", comment_run(github), workdir)
    body = runner.gh()["comments"]["10"][0]["body"]
    assert "could not review" in body or "could not be read" in body.lower() or "cannot" in body.lower(), body
    assert "✅" not in body and "no change" not in body.lower(), body


def test_the_workflows_this_repository_runs_are_the_ones_adopt_writes():
    for name in ("ra2docs-review.yml", "ra2docs-comment.yml"):
        assert (ROOT / ".github" / "workflows" / name).read_text() == (WORKFLOWS / name).read_text(), name
    tests = textwrap.dedent((ROOT / ".github" / "workflows" / "tests.yml").read_text())
    assert "make test" in tests
