"""The Markdown pull-request comment of ``ra2docs diff``: inert catalogue text, and a size budget."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import cmarkgfm
import pytest
from conftest import PROFILES, ra2docs, require, write
from test_gfm import HOSTILE, LIVE, Cells

from ra2docs.diff import Duplicate, FieldChange, Report, as_markdown
from ra2docs.findings import Finding

# -- a hostile pull request, end to end ----------------------------------------------------


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-q", "-m", message)


def new_repo(tmp_path: Path, items: str) -> Path:
    require("git", "ra2docs diff reads two revisions with it (sudo apt-get install git)")
    repo = write(tmp_path / "repo", {"catalogue/profiles.yaml": PROFILES, "catalogue/items.yaml": items})
    (repo / "pyproject.toml").write_text('[tool.ra2docs]\ncatalogue = "catalogue"\n')
    git(repo, "init", "-q", "-b", "main")
    commit(repo, "base")
    return repo


# Links of other schemes than http(s), as an item title or a changed text may hold them.
SCHEMES = {
    "javascript link": "[x](javascript:alert(1)) and [y](java\tscript:alert(2))",
    "javascript autolink": "<javascript:alert(1)> and <JAVASCRIPT:alert(1)>",
    "javascript reference": "[z]\n\n[z]: javascript:alert(1)",
    "data link": "[d](data:text/html;base64,PHNjcmlwdD4=)",
    "vbscript link": "[v](vbscript:msgbox(1))",
    "html link": '<a href="javascript:alert(1)">a</a>',
}


def test_a_hostile_pull_request_gives_an_inert_comment(tmp_path):
    base = (
        "items:\n  - {id: req.inf.ntw.01, kind: ra-requirement, title: Plain, section: '2.3', priority: MAY,\n"
        "     statement: 'plain words ~~kept~~ before [a](javascript:alert(0))'}\n"
    )
    repo = new_repo(tmp_path, base)
    hostile = list(HOSTILE.values()) + list(SCHEMES.values())
    section = json.dumps("4.1 [x](javascript:alert(1)) |x| @octocat <b>")  # a section move shows it
    lines = [
        "items:",
        f"  - {{id: req.inf.ntw.01, kind: ra-requirement, title: Plain, section: {section}, priority: MAY,",
    ]
    # A text changed word by word: removed and added words around hostile ones.
    lines.append(f"     statement: {json.dumps('plain words ' + ' '.join(hostile) + ' before')}}}")
    for n, value in enumerate(hostile, start=1):
        # Hostile IDs, titles and dangling link targets: each reaches a table of the comment.
        lines.append(
            f"  - {{id: {json.dumps(f'ra2.x{n}.00{n} @octocat |x|')}, kind: specification, "
            f"title: {json.dumps(value)}, traces: [{json.dumps(value)}]}}"
        )
    write(repo, {"catalogue/items.yaml": "\n".join(lines) + "\n"})
    result = ra2docs("diff", "HEAD", "--format", "markdown", cwd=repo)
    assert result.returncode == 0, result.stderr
    # Raw HTML passed through as GitHub passes it (our own <details> must work).
    html = cmarkgfm.github_flavored_markdown_to_html(result.stdout, options=cmarkgfm.Options.CMARK_OPT_UNSAFE)
    assert "<details><summary>" in html
    for tag in ("<a ", "<img", "<script", "<details open", "<em>", "<h1"):
        assert tag not in html, tag
    # The only struck and underlined words are the comment's own marks of what changed ('~~' makes none).
    assert html.count("<del>") == result.stdout.count("<del>") >= 2
    assert html.count("<ins>") == result.stdout.count("<ins>") >= 2
    assert "<del>plain words" not in html and "~~kept~~" in html
    parser = Cells()
    parser.feed(html)
    assert parser.cells
    for cell in parser.cells:
        assert set(cell["tags"]) <= {"code", "del", "ins"}, cell  # type: ignore[arg-type]
        assert not LIVE.search(str(cell["text"])), cell
    assert any("javascript:alert(1)" in str(cell["text"]) for cell in parser.cells)  # shown, as text
    assert "Items moved to another section (1 in 1 moves)" in html
    # The full report (every text whole) and a comment linking to it: one link, the report's own.
    full = ra2docs("diff", "HEAD", "--format", "markdown", "--report-url", "https://example.invalid/r", cwd=repo)
    report_file = tmp_path / "report.md"
    written = ra2docs("diff", "HEAD", "--report-file", str(report_file), cwd=repo)
    assert full.returncode == written.returncode == 0, full.stderr + written.stderr
    for markdown in (full.stdout, report_file.read_text(encoding="utf-8")):
        rendered = cmarkgfm.github_flavored_markdown_to_html(markdown, options=cmarkgfm.Options.CMARK_OPT_UNSAFE)
        links = re.findall(r"<a [^>]*>", rendered)
        assert set(links) == ({'<a href="https://example.invalid/r">'} if markdown is full.stdout else set()), links
        assert "<img" not in rendered and "<script" not in rendered
        cells = Cells()
        cells.feed(rendered)
        for cell in cells.cells:  # every hostile word, whole, in the full report's cells
            assert set(cell["tags"]) <= {"code", "del", "ins"}, cell  # type: ignore[arg-type]
            assert not LIVE.search(str(cell["text"])), cell
    # every table row still has as many cells as its header
    for table in re.findall(r"<table>.*?</table>", html, flags=re.S):
        header = len(re.findall(r"<th[ >]", table))
        rows = re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[-1], flags=re.S)
        assert all(len(re.findall(r"<td[ >]", row)) == header for row in rows), table


# -- the size budget ---------------------------------------------------------------------


def big_report(n: int) -> Report:
    """A report of ``n`` items of every sort, with long text."""
    report = Report("main", "feature")
    report.added = [f"req.add.ntw.{i:05}" for i in range(n)]
    report.removed = [f"req.rem.ntw.{i:05}" for i in range(n)]
    report.renamed = [(f"req.old.{i:05}", f"new.{i:05}") for i in range(n)]
    report.changed = {f"ra2.k8s.{i:05}": [FieldChange("details", "x " * 60, "y " * 60)] for i in range(n)}
    report.links_gained = [(f"ra2.k8s.{i:05}", "traces", f"req.add.ntw.{i:05}") for i in range(n)]
    report.findings_introduced = [
        Finding(
            "RA401",
            f"traces 'req.gone.{i:05}': no such item",
            "catalogue/ch04.yaml",
            i,
            7,
            f"ra2.k8s.{i:05}",
            "",
            "error",
        )
        for i in range(n)
    ] + [
        Finding(
            "RA503",
            "mandatory, but no test case verifies it",
            "catalogue/ch02.yaml",
            i,
            0,
            f"req.add.ntw.{i:05}",
            "",
            "info",
            "not-verified",
        )
        for i in range(n)
    ]
    report.findings_fixed = [
        Finding("RA502", "traces to no requirement", "catalogue/ch04.yaml", i, 0, f"ra2.old.{i:05}", "", "warning")
        for i in range(n)
    ]
    report.duplicates = [
        Duplicate(
            f"req.dup.{i:03}",
            "catalogue/b.yaml",
            i,
            {"title": "again " * 20},
            "catalogue/a.yaml",
            i,
            {"title": "first"},
        )
        for i in range(min(n, 50))
    ]
    report.chapters_changed = [f"page{i}.rst" for i in range(n)]
    return report


@pytest.mark.parametrize("budget", [2_500, 8_000, 30_000, 60_000])
def test_the_comment_fits_its_budget_and_counts_what_it_leaves_out(budget):
    report = big_report(2_000)
    text = as_markdown(report, max_chars=budget, report_url="https://example.invalid/run/1")
    assert len(text) <= budget
    assert f"Shortened to fit {budget:,} characters" in text
    assert "[report](https://example.invalid/run/1)" in text
    table = text.split("| part | shown | not shown |")[1]
    counts = {
        m[0]: (int(m[1].replace(",", "")), int(m[2].replace(",", "")))
        for m in re.findall(r"\| ([a-z -]+) \| ([\d,]+) \| ([\d,]+) \|", table)
    }
    assert counts["findings introduced"][0] == text.count("| error |")
    assert sum(counts["findings introduced"]) == 2_000
    assert sum(counts["links"]) == 2_000 and sum(counts["duplicate definitions"]) == 50
    for name, (shown, _) in counts.items():
        if shown:
            assert "more not shown here" in text, name
    if budget >= 30_000:  # a long first part does not crowd out the others
        assert all(shown >= 10 for shown, _ in counts.values()), counts
    assert text.rstrip().endswith(")")  # the footer link survives the cut
    # the summary table and the headline are always there
    assert text.startswith("### ❌ ") and "| findings introduced | 2,000 (2,000 errors, 0 warnings) |" in text


def test_without_a_budget_the_report_holds_everything():
    report = big_report(300)
    text = as_markdown(report, max_chars=None)
    assert "Shortened" not in text and "more not shown" not in text
    assert text.count("| error |") == 300
    assert text.count("| introduced |") == 300  # info findings listed one by one in the full report
    for name in (*report.added, *report.removed, *report.chapters_changed):
        assert name in text


def test_a_generated_change_of_thousands_of_items_stays_under_the_budget(tmp_path):
    n = 2_500
    base = "items:\n" + "".join(
        f"  - {{id: req.inf.ntw.{i:04}, kind: ra-requirement, title: Requirement {i}, section: '2.3', priority: MUST}}\n"
        for i in range(n)
    )
    repo = new_repo(tmp_path, base)
    # Every requirement reworded so that its words disagree with its priority (RA602), and
    # a specification added for each. (Not dangling links: their did-you-mean is slow.)
    head = "items:\n" + "".join(
        f"  - {{id: req.inf.ntw.{i:04}, kind: ra-requirement, title: Requirement {i} reworded at length, "
        f"section: '2.3', priority: MUST, statement: The platform should do thing number {i}.}}\n"
        f"  - {{id: ra2.k8s.{i:04}, kind: specification, title: Spec {i}, traces: [req.inf.ntw.{i:04}]}}\n"
        for i in range(n)
    )
    write(repo, {"catalogue/items.yaml": head})
    commit(repo, "thousands")
    full_md, full_json = tmp_path / "out" / "full.md", tmp_path / "out" / "full.json"
    result = ra2docs(
        "diff", "HEAD~1", "HEAD", "--format", "markdown",
        "--report-file", str(full_md), "--report-file", str(full_json), cwd=repo,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert len(result.stdout) <= 60_000
    assert "more not shown here" in result.stdout and "Shortened to fit 60,000 characters" in result.stdout
    assert f"Full report (every finding, every change): `{full_md}`, `{full_json}`" in result.stdout
    data = json.loads(full_json.read_text(encoding="utf-8"))
    assert len(data["added"]) == n and len(data["changed"]) == n and len(data["links_gained"]) == n
    wording = [f for f in data["findings_introduced"] if f["rule"] == "RA602"]
    assert len(wording) == n
    full = full_md.read_text(encoding="utf-8")
    assert "more not shown" not in full
    assert full.count("[RA602]") == n
    assert all(f"`ra2.k8s.{i:04}`" in full and f"thing number {i}." in full for i in range(n))


def test_the_full_report_cuts_no_text_and_the_comment_does():
    long = " ".join(f"word{i}" for i in range(120))  # about 900 characters
    report = Report("main", "feature")
    report.added = ["ra2.k8s.001"]
    report.titles["ra2.k8s.001"] = long
    report.findings_introduced = [Finding("RA401", long, "catalogue/a.yaml", 3, 0, "ra2.k8s.001", "", "error")]
    report.duplicates = [Duplicate("ra2.k8s.002", "b.yaml", 1, {"title": long}, "a.yaml", 1, {"title": "first"})]
    full = as_markdown(report, max_chars=None)
    assert full.count(long) == 3  # the title, the finding, the second definition
    comment = as_markdown(report)
    assert long not in comment and "word0 word1" in comment and "…" in comment
