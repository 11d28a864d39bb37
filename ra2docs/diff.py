"""``ra2docs diff``: what a change to the catalogue adds, breaks or uncovers.

Both sides are loaded from git (or the working tree for HEAD) into temporary
folders, checked, and compared: items added, removed, renamed and changed
field by field; links gained and lost; findings introduced and fixed (not
the ones already there); coverage before and after; generated chapters that
change.
"""

from __future__ import annotations

import json
import re
import subprocess
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ra2docs import trace
from ra2docs.check import analyse
from ra2docs.findings import Finding, Ra2docsError
from ra2docs.generate import PageSpec, render_pages
from ra2docs.graph import TraceGraph
from ra2docs.loader import CATALOGUE_SUFFIXES, LoadResult, load_catalogue
from ra2docs.model import natural_key

WORKTREE = ""  # HEAD side read from the working tree


def _git(repo: Path, *args: str) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise Ra2docsError("git is not installed; ra2docs diff reads revisions with git") from None
    if done.returncode != 0:
        raise Ra2docsError(f"git {' '.join(args)}: {done.stderr.strip() or 'failed'}")
    return done.stdout


def repository_root(start: Path) -> Path:
    return Path(_git(start, "rev-parse", "--show-toplevel").strip())


def materialise(repo: Path, revision: str, subdir: str, into: Path) -> Path:
    """Copy ``subdir`` of the catalogue at ``revision`` into ``into``; return its path there."""
    target = into / subdir
    target.mkdir(parents=True, exist_ok=True)
    _git(repo, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    listing = _git(repo, "ls-tree", "-r", "-z", "--name-only", revision, "--", subdir)
    for name in filter(None, listing.split("\0")):
        if not name.endswith(CATALOGUE_SUFFIXES):
            continue
        blob = subprocess.run(["git", "show", f"{revision}:{name}"], cwd=repo, capture_output=True, check=True).stdout
        path = into / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(blob)
    return target


@dataclass
class Side:
    label: str
    result: LoadResult
    findings: list[Finding]
    graph: TraceGraph


def _side(label: str, folder: Path, base: Path, options: dict[str, Any]) -> Side:
    result = load_catalogue(folder, base=base)
    findings = analyse(result, options)
    return Side(label, result, findings, TraceGraph(result.catalogue))


@dataclass
class FieldChange:
    field: str
    before: Any
    after: Any


@dataclass
class Report:
    base: str
    head: str
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)
    changed: dict[str, list[FieldChange]] = field(default_factory=dict)
    links_gained: list[tuple[str, str, str]] = field(default_factory=list)
    links_lost: list[tuple[str, str, str]] = field(default_factory=list)
    findings_introduced: list[Finding] = field(default_factory=list)
    findings_fixed: list[Finding] = field(default_factory=list)
    coverage_before: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    coverage_after: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    chapters_changed: list[str] = field(default_factory=list)
    base_fatal: bool = False
    head_fatal: bool = False

    @property
    def empty(self) -> bool:
        return not (
            self.added
            or self.removed
            or self.renamed
            or self.changed
            or self.links_gained
            or self.links_lost
            or self.findings_introduced
            or self.findings_fixed
        )

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["changed"] = {k: [asdict(c) for c in v] for k, v in self.changed.items()}
        keys = ("rule", "name", "severity", "item", "file", "line", "message", "suggestion")
        for name in ("findings_introduced", "findings_fixed"):
            data[name] = [{k: getattr(f, k) for k in keys} for f in getattr(self, name)]
        data["renamed"] = [{"from": a, "to": b} for a, b in self.renamed]
        for name in ("links_gained", "links_lost"):
            data[name] = [{"source": s, "field": f, "target": t} for s, f, t in getattr(self, name)]
        data["coverage"] = {
            "before": {
                k: dict(zip(("items", "specified", "verified"), v, strict=True))
                for k, v in self.coverage_before.items()
            },
            "after": {
                k: dict(zip(("items", "specified", "verified"), v, strict=True)) for k, v in self.coverage_after.items()
            },
        }
        del data["coverage_before"], data["coverage_after"]
        return data


_LOCATION = re.compile(r"\S+\.ya?ml:\d+(:\d+)?")


def _finding_key(finding: Finding) -> tuple[str, str, str]:
    """Findings are 'the same' across revisions regardless of line numbers."""
    return (finding.rule, finding.item, _LOCATION.sub("<where>", finding.message))


def _coverage(side: Side) -> dict[str, tuple[int, int, int]]:
    rows = trace.coverage(side.graph, "section")
    out = {row.group: (row.total, row.specified, row.verified) for row in rows}
    whole = trace.total(side.graph, rows)
    out["total"] = (whole.total, whole.specified, whole.verified)
    return out


def _chapters(side: Side, templates: Path | None) -> dict[str, str]:
    if templates is None or not templates.is_dir():
        return {}
    specs = []
    for template in sorted(templates.glob("*.rst.j2")):
        stem = template.name[: -len(".rst.j2")]
        if "{kind}" in stem or stem.endswith("-kind"):
            specs.append(PageSpec(template.name, f"{stem}/{{kind}}.rst", "kind"))
        else:
            specs.append(PageSpec(template.name, f"{stem}.rst"))
    return render_pages(side.result.catalogue, side.graph, templates, specs, mode="plain")


def compare(before: Side, after: Side, templates: Path | None = None) -> Report:
    report = Report(before.label, after.label, base_fatal=before.result.fatal, head_fatal=after.result.fatal)
    old_items, new_items = before.result.catalogue.items, after.result.catalogue.items
    removed = sorted(set(old_items) - set(new_items), key=natural_key)
    added = sorted(set(new_items) - set(old_items), key=natural_key)

    def content(item: Any) -> str:
        return json.dumps({k: v for k, v in item.data.items() if k != "id"}, sort_keys=True, default=str)

    by_content: dict[str, list[str]] = {}
    for item_id in removed:
        by_content.setdefault(content(old_items[item_id]), []).append(item_id)
    for item_id in list(added):
        matches = by_content.get(content(new_items[item_id]))
        if matches:
            old_id = matches.pop(0)
            report.renamed.append((old_id, item_id))
            removed.remove(old_id)
            added.remove(item_id)
    report.added, report.removed = added, removed
    for item_id in sorted(set(old_items) & set(new_items), key=natural_key):
        old, new = old_items[item_id].data, new_items[item_id].data
        changes = [
            FieldChange(key, old.get(key), new.get(key))
            for key in sorted(set(old) | set(new))
            if old.get(key) != new.get(key)
        ]
        if changes:
            report.changed[item_id] = changes

    def links(side: Side) -> set[tuple[str, str, str]]:
        """Links that resolve: one whose target disappears is lost (and its dangling end a finding)."""
        items = side.result.catalogue.items
        return {(link.source, link.field, link.target) for link in side.result.catalogue.links if link.target in items}

    old_links, new_links = links(before), links(after)
    order = lambda t: (natural_key(t[0]), t[1], natural_key(t[2]))  # noqa: E731
    report.links_gained = sorted(new_links - old_links, key=order)
    report.links_lost = sorted(old_links - new_links, key=order)
    old_keys = {_finding_key(f) for f in before.findings}
    new_keys = {_finding_key(f) for f in after.findings}
    report.findings_introduced = [f for f in after.findings if _finding_key(f) not in old_keys]
    report.findings_fixed = [f for f in before.findings if _finding_key(f) not in new_keys]
    report.coverage_before, report.coverage_after = _coverage(before), _coverage(after)
    old_pages, new_pages = _chapters(before, templates), _chapters(after, templates)
    report.chapters_changed = sorted(p for p in set(old_pages) | set(new_pages) if old_pages.get(p) != new_pages.get(p))
    return report


def diff(
    repo: Path, base: str, head: str, catalogue: str, options: dict[str, Any], templates: str | None = "templates"
) -> Report:
    """Compare the catalogue folder ``catalogue`` (relative to the repository) at two revisions."""
    root = repository_root(repo)
    with tempfile.TemporaryDirectory(prefix="ra2docs-diff-") as tmp:
        tmp_path = Path(tmp)
        old_dir = materialise(root, base, catalogue, tmp_path / "base")
        before = _side(base, old_dir, tmp_path / "base", options)
        if head == WORKTREE:
            after = _side("working tree", root / catalogue, root, options)
        else:
            new_dir = materialise(root, head, catalogue, tmp_path / "head")
            after = _side(head, new_dir, tmp_path / "head", options)
        template_dir = (root / templates) if templates else None
        return compare(before, after, template_dir)


# -- rendering ------------------------------------------------------------------------


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "-"


def _short(value: Any, width: int = 70) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def as_text(report: Report) -> str:
    out = [f"ra2docs diff {report.base} -> {report.head}", ""]
    if report.empty:
        out.append("no change to the catalogue's items, links or findings")
    for title, ids in (("added", report.added), ("removed", report.removed)):
        if ids:
            out.append(f"items {title} ({len(ids)}): {', '.join(ids)}")
    for old, new in report.renamed:
        out.append(f"renamed: {old} -> {new}")
    for item_id, changes in report.changed.items():
        out.append(f"changed {item_id}:")
        out.extend(f"    {c.field}: {_short(c.before)} -> {_short(c.after)}" for c in changes)
    for title, links in (("gained", report.links_gained), ("lost", report.links_lost)):
        for source, name, target in links:
            out.append(f"link {title}: {source} {name} {target}")
    for title, findings in (("introduced", report.findings_introduced), ("fixed", report.findings_fixed)):
        if findings:
            out.append(f"findings {title} ({len(findings)}):")
            out.extend(f"    {f.format()}" for f in findings)
    b, a = report.coverage_before.get("total", (0, 0, 0)), report.coverage_after.get("total", (0, 0, 0))
    specified = f"specified {_pct(b[1], b[0])} -> {_pct(a[1], a[0])}"
    out.append(f"coverage: {specified}, verified {_pct(b[2], b[0])} -> {_pct(a[2], a[0])}")
    if report.chapters_changed:
        out.append(f"generated pages that change: {', '.join(report.chapters_changed)}")
    return "\n".join(out) + "\n"


def as_json(report: Report) -> str:
    return json.dumps(report.as_dict(), indent=2, ensure_ascii=False, default=str) + "\n"


def _md(text: Any) -> str:
    """Text safe inside a Markdown table cell."""
    return _short(text, 90).replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")


def as_markdown(report: Report) -> str:
    """A pull-request comment: summary first, details folded."""
    introduced_errors = [f for f in report.findings_introduced if f.severity == "error"]
    headline = "❌" if introduced_errors else ("⚠️" if report.findings_introduced else "✅")
    out = [
        f"### {headline} ra2docs: catalogue changes `{_md(report.base)}` → `{_md(report.head)}`",
        "",
        "| | count |",
        "|---|---|",
        f"| items added | {len(report.added)} |",
        f"| items removed | {len(report.removed)} |",
        f"| items renamed | {len(report.renamed)} |",
        f"| items changed | {len(report.changed)} |",
        f"| links gained / lost | {len(report.links_gained)} / {len(report.links_lost)} |",
        f"| findings introduced | {len(report.findings_introduced)} ({len(introduced_errors)} errors) |",
        f"| findings fixed | {len(report.findings_fixed)} |",
    ]
    b, a = report.coverage_before.get("total", (0, 0, 0)), report.coverage_after.get("total", (0, 0, 0))
    out += [
        "",
        f"**Coverage** (requirements with a specification / with a test): "
        f"{_pct(b[1], b[0])} → {_pct(a[1], a[0])} / {_pct(b[2], b[0])} → {_pct(a[2], a[0])}",
    ]
    if report.findings_introduced:
        out += [
            "",
            "**Findings this change introduces**",
            "",
            "| severity | where | item | finding |",
            "|---|---|---|---|",
        ]
        for f in report.findings_introduced:
            out.append(f"| {f.severity} | `{_md(f.location())}` | `{_md(f.item)}` | {_md(f.message)} [{f.rule}] |")
    if report.findings_fixed:
        out += ["", "**Findings this change fixes**", ""]
        out.extend(f"- {f.rule} `{_md(f.item)}`: {_md(f.message)}" for f in report.findings_fixed)
    details: list[str] = []
    if report.added:
        details.append("Added: " + ", ".join(f"`{_md(i)}`" for i in report.added))
    if report.removed:
        details.append("Removed: " + ", ".join(f"`{_md(i)}`" for i in report.removed))
    if report.renamed:
        details.append("Renamed: " + ", ".join(f"`{_md(a)}` → `{_md(b)}`" for a, b in report.renamed))
    if report.changed:
        details += ["", "| item | field | before | after |", "|---|---|---|---|"]
        for item_id, changes in report.changed.items():
            details.extend(f"| `{_md(item_id)}` | {_md(c.field)} | {_md(c.before)} | {_md(c.after)} |" for c in changes)
    if report.links_gained or report.links_lost:
        details += [""]
        details.extend(f"- link gained: `{_md(s)}` {f} `{_md(t)}`" for s, f, t in report.links_gained)
        details.extend(f"- link lost: `{_md(s)}` {f} `{_md(t)}`" for s, f, t in report.links_lost)
    if report.chapters_changed:
        details += ["", "Generated pages that change: " + ", ".join(f"`{_md(p)}`" for p in report.chapters_changed)]
    if details:
        out += ["", "<details><summary>Details</summary>", "", *details, "", "</details>"]
    return "\n".join(out) + "\n"
