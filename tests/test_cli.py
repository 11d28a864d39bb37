"""`ra2docs check` as a reviewer runs it: output, formats, exit codes; the options every command shares.

Most run the CLI in-process (conftest.ra2docs); a few run the console script as a process of its own,
where that is the point: the installed command, its exit codes, an unknown option.
"""

from __future__ import annotations

import json

from conftest import EDITION_2020, PROFILES, ROOT, ra2docs, run, write


def test_check_on_the_shipped_catalogues_is_clean():
    """The installed console script, as CI runs it."""
    today = run("ra2docs", "check", "--catalogue", "catalogue")
    assert today.returncode == 0, today.stdout
    assert "(0 errors, 0 warnings," in today.stdout and "known from the baseline" in today.stdout
    edition = run("ra2docs", "check", "--catalogue", "editions/2020-08/catalogue")
    assert edition.returncode == 0 and "(0 errors, 12 warnings," in edition.stdout, edition.stdout


def test_check_defaults_to_the_configured_catalogue():
    """From the repository's top today's catalogue; from the 2020-08 edition's folder its own (its ra2docs.toml)."""
    today = ra2docs("check", cwd=ROOT)
    assert today.returncode == 0 and "(0 errors, 0 warnings," in today.stdout, today.stdout
    edition = ra2docs("check", cwd=EDITION_2020)
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
    text = ra2docs("check", "--catalogue", str(folder), cwd=tmp_path)
    assert text.returncode == 1
    assert "cat/a.yaml" in text.stdout and "3:56" in text.stdout
    assert "gap.x: related 'nfvi.com.cfg.004': no such item  [RA401 dangling-link]" in text.stdout
    assert "hint: did you mean 'infra.com.cfg.004'?" in text.stdout
    assert "1 finding (1 error, 0 warnings, 0 infos) in 2 files, 2 items" in text.stdout
    result = ra2docs("check", "--catalogue", str(folder), "--format", "json", cwd=tmp_path)
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
    missing = run("ra2docs", "check", "--catalogue", str(tmp_path / "nowhere"), cwd=tmp_path)
    # on stderr, never as a report that reads like a result (a CI step would post it as one)
    assert missing.returncode == 2 and missing.stdout == "", missing.stdout
    assert "nowhere: no catalogue folder" in missing.stderr and "Traceback" not in missing.stderr
    folder = write(tmp_path / "cat", {"broken.yaml": "items:\n  - id: [unclosed\n"})
    broken = run("ra2docs", "check", "--catalogue", str(folder), cwd=tmp_path)
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
    result = ra2docs("check", cwd=folder)
    assert result.returncode == 0
    assert "warning" in result.stdout and "RA401" in result.stdout
    (folder / "pyproject.toml").write_text('[tool.ra2docs.severity]\ndangling-lnk = "warning"\n')
    bad = ra2docs("check", "--catalogue", "cat", cwd=folder)
    assert bad.returncode == 2 and "did you mean 'dangling-link'" in bad.stderr


def test_help_and_bad_options():
    usage = run("ra2docs", "check", "--help")
    assert usage.returncode == 0 and "exit codes" in usage.stdout
    bad = run("ra2docs", "check", "--format", "xml")
    assert bad.returncode == 2 and "invalid choice" in bad.stderr


def test_rules_are_listed_with_codes():
    listed = ra2docs("rules")
    assert listed.returncode == 0, listed.stderr
    out = listed.stdout
    assert "RA401  dangling-link" in out and "RA103  duplicate-key" in out


ONE_ITEM = {"profiles.yaml": PROFILES, "a.yaml": "items:\n  - {id: ra2.ch.001, kind: specification, title: T}\n"}


def test_the_old_spellings_still_work_and_say_what_to_write_instead(tmp_path):
    write(tmp_path / "cat", ONE_ITEM)
    positional = ra2docs("check", "cat", cwd=tmp_path)
    assert positional.returncode == 0, positional.stderr
    assert "1 item" in positional.stdout
    assert "'check cat' is deprecated and will be removed: write 'check --catalogue cat'" in positional.stderr
    assert ra2docs("check", "--catalogue", "cat", cwd=tmp_path).stderr == ""  # the documented spelling: no warning
    exported = ra2docs("export", "--format", "json", "--out", "x.json", "--catalogue", "cat", cwd=tmp_path)
    assert exported.returncode == 0 and (tmp_path / "x.json").is_file(), exported.stderr
    assert "--out is deprecated and will be removed: write --output" in exported.stderr
    imported = ra2docs("import", "x.json", "--out", "back", cwd=tmp_path)
    assert imported.returncode == 0 and any((tmp_path / "back").glob("*.yaml")), imported.stderr
    assert "--out is deprecated and will be removed: write --catalogue" in imported.stderr
    assert "next: ra2docs check --catalogue back" in imported.stdout
    # both spellings naming different things: a bad command line, exit 2
    both = ra2docs("check", "cat", "--catalogue", "back", cwd=tmp_path)
    assert both.returncode == 2 and "give the catalogue folder once" in both.stderr
    clash = ra2docs("export", "--format", "json", "--output", "y.json", "--out", "z.json", cwd=tmp_path)
    assert clash.returncode == 2 and "give --output only" in clash.stderr
    # in either order (found by a new-user trial: the new spelling given last silently won)
    for command in (
        ("export", "--format", "json", "--out", "z.json", "--output", "y.json"),
        ("import", "x.json", "--out", "a", "--catalogue", "b"),
    ):
        late = ra2docs(*command, cwd=tmp_path)
        assert late.returncode == 2 and "name the same thing" in late.stderr, command
    assert not (tmp_path / "y.json").exists() and not (tmp_path / "b").exists()
    missing = ra2docs("import", "x.json", cwd=tmp_path)
    assert missing.returncode == 2 and "--catalogue FOLDER" in missing.stderr


def test_help_of_every_command_lists_its_exit_codes_and_fail_on_choices_once():
    for command in ("check", "import", "diff", "results", "export", "adopt", "lint", "expand", "history"):
        shown = ra2docs(command, "--help")
        assert shown.returncode == 0 and "exit codes:\n  0  " in shown.stdout, command
        assert "\n  2  the input could not be read" in shown.stdout, command
    results = ra2docs("results", "--help").stdout
    assert results.count("fail,not-run,stale") == 1 and "--fail-on VERDICTS" in results
    assert "1  a mandatory item is in a --fail-on state" in results
    assert "a bad\n     revision" in ra2docs("diff", "--help").stdout  # a long meaning wraps under itself
    assert ra2docs("--version").stdout.startswith("ra2docs ")
    assert ra2docs().returncode == 2  # no command: the overview, and exit 2


def test_expand_reports_refused_and_unreadable_result_files_escaped(tmp_path):
    """A result file's name reaches the terminal as text, never as an escape sequence; none is left out silently."""
    src = write(
        tmp_path / "src",
        {
            "conf.py": 'ra2docs_results = ["results/*"]\n',
            "index.rst": "Title\n=====\n",
            **{f"catalogue/{name}": text for name, text in ONE_ITEM.items()},
        },
    )
    (src / "results").mkdir()
    (src / "results" / "bad\x1b[31mred.xml").write_text("not a result file\n", encoding="utf-8")
    outside = write(tmp_path / "elsewhere", {"junit.xml": "<testsuite/>"})
    (src / "results" / "linked.xml").symlink_to(outside / "junit.xml")
    done = ra2docs("expand", "src", "out", cwd=tmp_path)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "bad\\x1b[31mred.xml" in done.stderr and "\x1b" not in done.stderr
    assert "linked.xml" in done.stderr  # refused (a link out of the folder searched), and said so


def test_the_console_shows_controls_as_text_and_passes_only_its_own_colours(capsys):
    from ra2docs.commands.common import Console

    hostile = "title\x1b]8;;http://evil\x07link\u202eevil\x9b2J\n"
    plain = Console(colour=False)
    plain.out(hostile)
    plain.err(hostile)
    plain.document('{"t": "a\\u001b"}\n')  # not a terminal (captured): a document is written exactly
    out, err = capsys.readouterr()
    shown = "title\\x1b]8;;http://evil\\x07link\\u202eevil\\x9b2J\n"
    assert out == shown + '{"t": "a\\u001b"}\n' and err == shown
    coloured = Console(colour=True)
    coloured.out("\x1b[31merror\x1b[0m \x1b[2Jgone\n")  # ra2docs's own red passes; any other sequence is shown
    assert capsys.readouterr().out == "\x1b[31merror\x1b[0m \\x1b[2Jgone\n"
