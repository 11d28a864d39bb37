"""``ra2docs lint``: RA2's prose checks keep covering the requirement texts once they live in catalogue YAML.

A copy of the RA2 repository (its .vale.ini, Vale styles and review workflow
included) is adopted in-process; errors of a rule of its Vale configuration
(proselint's "very", Vale's ``proselint.Very``) are planted in YAML and in a
chapter. Vale cannot be installed here (its PyPI and npm packages download
the binary from GitHub at run time), so the linter run is proselint, the
package Vale's proselint style was ported from.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
import yaml
from conftest import BIN, SHARED, run, sh, write
from test_adoption import copy_tree

from ra2docs import adopt
from ra2docs.cli import main
from ra2docs.prose import Alert, CatalogueText, catalogue_texts, placed_alerts, vale_report_alerts, write_rst
from ra2docs.settings import settings_for

RA2_REPO = SHARED / "upstream" / "ra2-repo-2025-08"
DOCS = Path("doc/ref_arch/kubernetes")


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The RA2 repository, adopted (the tables of its chapters in catalogue/, the workflow updated)."""
    root = tmp_path_factory.mktemp("ra2") / "RA2"
    shutil.copytree(RA2_REPO, root, ignore=lambda folder, names: ["doc"] if Path(folder) == RA2_REPO else [])
    for path in [root, *root.rglob("*")]:
        path.chmod(path.stat().st_mode | 0o200)
    copy_tree(root / DOCS)
    subprocess.run(["git", "init", "-q", str(root)], check=True)  # the repository whose workflows adopt updates
    plan = adopt.plan(root / DOCS)
    assert "review-docs.yml: Vale now checks the catalogue texts too (ra2docs lint)" in plan.notes
    plan.apply()
    return root


def _plant(path: Path, after: str, words: str) -> tuple[int, int]:
    """Write ``words`` after the first ``after`` in the file: the line and column (1-based) where they start."""
    text = path.read_text(encoding="utf-8")
    at = text.index(after) + len(after)
    path.write_text(text[:at] + words + text[at:], encoding="utf-8")
    line = text.count("\n", 0, at) + 1
    return line, at - (text.rfind("\n", 0, at) + 1) + 1


def _lint(root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str):
    monkeypatch.chdir(root)
    code = main(["lint", "--linter", "proselint", "--catalogue", str(DOCS / "catalogue"), *args])
    return code, capsys.readouterr()


@pytest.mark.slow
def test_an_error_planted_in_a_requirement_s_yaml_is_reported_at_its_yaml_line_and_in_a_chapter_as_before(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
):
    root = tmp_path / "RA2"
    shutil.copytree(repo, root, symlinks=True)
    catalogue = root / DOCS / "catalogue" / "chapter04.yaml"
    # ra2.ch.001's details, a literal block: the error on its second line
    yaml_line, yaml_column = _plant(catalogue, "(2048KiB and 1048576KiB) within the ", "very ")
    # and in a title (a plain scalar)
    title_line, title_column = _plant(catalogue, "title: SR-IOV ", "very ")
    chapter = root / DOCS / "chapters" / "chapter04.rst"
    chapter_line, chapter_column = _plant(chapter, "This chapter ", "very ")

    code, out = _lint(root, monkeypatch, capsys, str(DOCS / "chapters" / "chapter04.rst"))
    assert code == 0, out.err  # proselint's alerts are warnings
    very = [line for line in out.out.splitlines() if "[proselint.weasel_words.very]" in line]
    assert very == [
        f"{DOCS}/catalogue/chapter04.yaml:{yaml_line}:{yaml_column}: warning: ra2.ch.001 details: "
        + very[0].split(" details: ", 1)[1],
        f"{DOCS}/catalogue/chapter04.yaml:{title_line}:{title_column}: warning: ra2.ch.002 title: "
        + very[1].split(" title: ", 1)[1],
        f"{DOCS}/chapters/chapter04.rst:{chapter_line}:{chapter_column}: warning: " + very[2].split(": warning: ")[1],
    ], out.out
    # the chapter's alerts are the linter's own on the file, as before adoption
    place = re.compile(rf"^{DOCS}/chapters/chapter04\.rst:(\d+):(\d+): .* \[(\S+)\]$")
    ours = [m.groups() for m in map(place.match, out.out.splitlines()) if m]
    alone = re.findall(
        r"^.*chapter04\.rst:(\d+):(\d+): (\S+): ", sh(BIN / "proselint", "check", chapter, cwd=root).stdout, re.M
    )
    alone = [(line, column, f"proselint.{rule}") for line, column, rule in alone]
    assert len(ours) > 10 and ours == alone

    # what reviewdog reads: the same places, paths from the repository's top (where the workflow runs)
    code, out = _lint(root, monkeypatch, capsys, "--format", "rdjson")
    report = json.loads(out.out)
    found = [d for d in report["diagnostics"] if d["code"]["value"] == "proselint.weasel_words.very"]
    assert [(d["location"]["path"], d["location"]["range"]["start"]) for d in found] == [
        (f"{DOCS}/catalogue/chapter04.yaml", {"line": yaml_line, "column": yaml_column}),
        (f"{DOCS}/catalogue/chapter04.yaml", {"line": title_line, "column": title_column}),
    ]
    assert found[0]["location"]["range"]["end"] == {"line": yaml_line, "column": yaml_column + len("very")}
    assert found[0]["severity"] == "WARNING" and "(ra2.ch.001 details)" in found[0]["message"]


@pytest.mark.slow
def test_every_character_of_every_catalogue_text_is_placed_on_the_yaml_character_that_holds_it(repo: Path):
    folder = repo / DOCS / "catalogue"
    texts = catalogue_texts(folder, settings_for(folder).kinds(), base=repo)
    assert len(texts) > 1500
    assert {t.where.split(".")[0].split("[")[0] for t in texts} >= {"title", "details", "description", "cells"}
    lines = {t.file: (repo / t.file).read_text(encoding="utf-8").split("\n") for t in texts}
    checked = 0
    for text in texts:
        for offset, char in enumerate(text.text):
            if char.isspace():
                continue
            line, column = text.place(offset)
            assert lines[text.file][line - 1][column - 1] == char, (text.item, text.where, offset)
            checked += 1
    assert checked > 80_000


def test_the_characters_of_folded_quoted_and_escaped_scalars_are_placed_too(tmp_path: Path):
    source = (
        "items:\n"
        "- id: req.gen.cnt.01\n"
        "  kind: ra-requirement\n"
        "  title: a plain title\n"
        "    folded over two lines\n"
        "  statement: 'it''s single-quoted\n"
        "\n"
        "    with a blank line'\n"
        '  notes: "double \\"quoted\\"\\tand\n'
        '    escaped"\n'
        "  category: >-\n"
        "    a folded\n"
        "    block\n"
    )
    (tmp_path / "c.yaml").write_text(source, encoding="utf-8")
    texts = {t.where: t for t in catalogue_texts(tmp_path, settings_for(tmp_path).kinds(), base=tmp_path)}
    lines = source.split("\n")
    assert texts["title"].text == "a plain title folded over two lines"
    for text in texts.values():
        for offset, char in enumerate(text.text):
            line, column = text.place(offset)
            if not char.isspace():
                # a character an escape gives stands where the escape does
                assert lines[line - 1][column - 1] in (char, "\\"), (text.where, offset, char)
    assert texts["statement"].place(texts["statement"].text.index("with")) == (8, 5)
    notes = texts["notes"]
    assert notes.text == 'double "quoted"\tand escaped'
    assert notes.place(notes.text.index("\t")) == (9, lines[8].index("\\t") + 1)
    assert notes.place(notes.text.index("escaped")) == (10, 5)
    assert texts["category"].place(texts["category"].text.index("block")) == (13, 5)


@pytest.mark.slow
def test_adopt_adds_a_step_that_runs_vale_on_the_catalogue_to_the_review_workflow(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    original = yaml.safe_load((RA2_REPO / ".github" / "workflows" / "review-docs.yml").read_text(encoding="utf-8"))
    workflow = yaml.safe_load((repo / ".github" / "workflows" / "review-docs.yml").read_text(encoding="utf-8"))
    steps, before = workflow["jobs"]["vale"]["steps"], original["jobs"]["vale"]["steps"]
    assert steps[: len(before)] == before  # Vale on the chapters, as it was
    added = steps[len(before) :]
    assert [s.get("uses") for s in added[:2]] == ["actions/setup-python@v5", "reviewdog/action-setup@v1"]
    script = added[2]["run"]
    assert "pip install vale -r doc/ref_arch/kubernetes/test-requirements.txt" in script
    command = re.search(
        r"ra2docs lint (.*?) \\\n\s*\| reviewdog -f=rdjson -name=vale -reporter=github-pr-review", script
    )
    assert command is not None, script
    assert command.group(1) == "--linter vale --format rdjson --catalogue doc/ref_arch/kubernetes/catalogue"
    # the docs folder's own workflow (no Vale in it) is left alone
    inner = repo / DOCS / ".github" / "workflows" / "build-ra2.yml"
    assert inner.read_bytes() == (RA2_REPO / DOCS / ".github" / "workflows" / "build-ra2.yml").read_bytes()
    # with Vale missing, the step's command says so (exit code 2) instead of passing silently
    empty = repo.parent / "no-vale"
    empty.mkdir(exist_ok=True)
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.chdir(repo)
    assert main(["lint", *command.group(1).split()]) == 2
    assert "vale is not installed" in capsys.readouterr().err


@pytest.mark.slow
def test_vale_s_json_alerts_on_written_texts_land_on_the_yaml_and_on_chapters_as_vale_put_them(
    repo: Path, tmp_path: Path
):
    """Vale's JSON output (its documented shape; Vale itself cannot be installed here) read and placed."""
    folder = repo / DOCS / "catalogue"
    texts = catalogue_texts(folder, settings_for(folder).kinds(), base=repo)
    written = write_rst(texts, tmp_path)
    target = next(w for w in written if w.path.name.endswith("chapter04.rst"))
    # the second line of ra2.ch.001's details, as Vale would number it in the written file
    details = next(t for t in texts if t.item == "ra2.ch.001" and t.where == "details")
    line = target.lines.index((details, details.text.index("\n") + 1)) + 1
    word = "Kubernetes"
    column = target.path.read_text(encoding="utf-8").split("\n")[line - 1].index(word) + 1
    chapter = repo / DOCS / "chapters" / "chapter04.rst"
    report = {
        # Vale names a file as it was given: relative to where it ran, or absolute
        os.path.relpath(target.path, repo): [
            {
                "Check": "Vale.Terms",
                "Line": line,
                "Span": [column, column + len(word) - 1],
                "Message": "Use 'X'",
                "Severity": "error",
            }
        ],
        str(chapter): [
            {"Check": "proselint.Very", "Line": 3, "Span": [5, 8], "Message": "Remove", "Severity": "error"}
        ],
    }
    alerts = placed_alerts(vale_report_alerts(report, repo), written, repo)
    yaml_lines = (folder / "chapter04.yaml").read_text(encoding="utf-8").split("\n")
    yaml_line = next(
        n for n, text in enumerate(yaml_lines, 1) if "(2048KiB and 1048576KiB) within the Kubernetes" in text
    )
    yaml_column = yaml_lines[yaml_line - 1].index(word) + 1
    assert alerts == [
        Alert(
            f"{DOCS}/catalogue/chapter04.yaml",
            yaml_line,
            yaml_column,
            yaml_column + len(word) - 1,
            "Vale.Terms",
            "Use 'X'",
            "error",
            "ra2.ch.001",
            "details",
        ),
        Alert(f"{DOCS}/chapters/chapter04.rst", 3, 5, 8, "proselint.Very", "Remove", "error"),
    ]


def test_a_text_s_alert_in_the_written_rst_maps_back_through_its_line(tmp_path: Path):
    first = CatalogueText("a.yaml", "x.1", "details", "one\ntwo words", [(5, 7 + i) for i in range(13)])
    second = CatalogueText("a.yaml", "x.2", "title", "three", [(9, 10 + i) for i in range(5)])
    (written,) = write_rst([first, second], tmp_path)
    lines = written.path.read_text(encoding="utf-8").split("\n")
    assert lines[3] == "two words" and written.place(4, 5) == (first, 5, 7 + len("one\ntwo "))
    assert lines[written.lines.index((second, 0))] == "three"
    assert written.place(1, 1) is None  # the comment naming a text is no text


@pytest.mark.build
def test_links_in_catalogue_text_are_real_links_that_sphinx_linkcheck_checks(tmp_path: Path):
    """RA2's tox runs ``sphinx-build -b linkcheck``: a link in a requirement's text is one of the links it checks."""
    served = tmp_path / "served"
    served.mkdir()
    (served / "spec.html").write_text("<p>here</p>", encoding="utf-8")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(served))
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}"
        write(
            tmp_path / "cat",
            {
                "a.yaml": "items:\n"
                "  - id: req.gen.cnt.01\n    kind: ra-requirement\n    title: Linked\n    priority: MUST\n"
                f"    statement: |-\n      The platform must follow {base}/spec.html\n"
                f"      and `the old spec <{base}/gone.html>`__.\n"
            },
        )
        source = write(
            tmp_path / "source",
            {
                "conf.py": 'extensions = ["ra2docs.sphinx"]\nra2docs_catalogue = "../cat"\nra2docs_downloads = False\n',
                "index.rst": "Links\n=====\n\n.. ra2:table:: Requirements\n   :kind: ra-requirement\n"
                "   :columns: id statement\n",
            },
        )
        built = run("sphinx-build", "-q", "-b", "linkcheck", str(source), str(tmp_path / "out"))
        server.shutdown()
    checked = [json.loads(line) for line in (tmp_path / "out" / "output.json").read_text().splitlines()]
    statuses = {entry["uri"]: entry["status"] for entry in checked}
    assert statuses == {f"{base}/spec.html": "working", f"{base}/gone.html": "broken"}, built.stderr
    assert built.returncode == 1  # a broken link fails the build, as RA2's tox job relies on


def test_what_lint_cannot_read_is_an_error_with_exit_code_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    write(tmp_path / "cat", {"a.yaml": "items:\n  - {id: gap.a, kind: gap, title: Very unique}\n"})
    (tmp_path / "latin1.rst").write_bytes("R\xe9seau\n".encode("latin-1"))
    (tmp_path / "notes.txt").write_text("text\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    cases = {
        ("--catalogue", "missing"): "missing: no catalogue folder (given)",
        ("--catalogue", "cat", "notes.txt"): "notes.txt: give .rst or .md files",
        ("--catalogue", "cat", "latin1.rst"): "latin1.rst: cannot read it as UTF-8 text",
        ("--catalogue", "cat", "--linter", "vale"): "no .vale.ini found above the catalogue folder",
    }
    for args, message in cases.items():
        assert main(["lint", "--linter", "proselint", *args]) == 2, args
        assert message in capsys.readouterr().err, args
    # and what it can read, it lints: the title's alert on its line
    assert main(["lint", "--linter", "proselint", "--catalogue", "cat"]) == 0
    assert "cat/a.yaml:2:35: warning: gap.a title: " in capsys.readouterr().out  # on the V of "Very"
    # reviewdog counts columns in UTF-8 bytes: an "é" before the alert is two
    write(tmp_path / "cat", {"a.yaml": "items:\n  - {id: gap.a, kind: gap, title: Réseau very fast}\n"})
    assert main(["lint", "--linter", "proselint", "--catalogue", "cat", "--format", "rdjson"]) == 0
    (very,) = json.loads(capsys.readouterr().out)["diagnostics"]
    assert very["location"]["range"] == {"start": {"line": 2, "column": 43}, "end": {"line": 2, "column": 47}}
