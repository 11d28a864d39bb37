"""``ra2docs diff``: what a change to the catalogue adds, breaks or uncovers.

Both sides are copied from git (or the working tree for HEAD) into temporary
folders (:mod:`ra2docs.gitread`), checked with the base revision's settings
(:mod:`ra2docs.revisionsettings`), and compared: items added, removed,
renamed (also with other edits, found by similarity: :mod:`ra2docs.renames`)
and changed field by field, word by word (:mod:`ra2docs.wordchanges`); items
moved to another section, one line per move; items reordered; links gained
and lost; findings introduced and fixed (not the ones already there, nor the
ones that only moved with a rename); coverage before and after; generated
chapters that change. The Markdown form is a pull-request comment that fits
GitHub's size limit, with every catalogue-derived text made inert
(:mod:`ra2docs.gfm`).
"""

from __future__ import annotations

import json
import re
import tempfile
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ra2docs import coverage, gfm, revisionsettings, wordchanges
from ra2docs.baseline import BASELINE_FILE
from ra2docs.check import analyse, settle
from ra2docs.context import CheckOptions
from ra2docs.findings import Finding, Ra2docsError
from ra2docs.gitread import Skipped, files_changed, from_revision, from_worktree, repository_root, resolve
from ra2docs.graph import TraceGraph
from ra2docs.kinds import KindSpec
from ra2docs.loader import LoadResult, load_catalogue
from ra2docs.model import natural_key
from ra2docs.renames import Renames, find_renames
from ra2docs.rules import ra101_unreadable_file as ra101
from ra2docs.rules import ra301_duplicate_id as ra301
from ra2docs.rules.ra901_settings_changed import baseline_changed, unreadable_settings
from ra2docs.settings import Settings
from ra2docs.yamlsource import read_yaml

__all__ = ["WORKTREE", "Report", "as_json", "as_markdown", "as_text", "compare", "diff", "repository_root"]

WORKTREE = ""  # HEAD side read from the working tree
MAX_CHARS = 60_000  # GitHub refuses comments over 65,536 characters; room for what the workflow adds
FIRST_ROWS = 10  # rows every part of a shortened comment shows before any part shows more
# Fields that say where an item is listed, not what it says: when a section is renumbered, every
# item of it changes them. Shown as one line per move, not as a change of each item.
PLACEMENT_FIELDS = ("section", "rm-section")
CHANGE_CONTEXT = 5  # words kept around each change in the comment
CHANGE_WIDTH = 300  # characters of a change shown in the comment (the full report has all)


@dataclass
class Side:
    label: str
    result: LoadResult
    findings: list[Finding]
    graph: TraceGraph
    base: Path  # file names in findings are relative to it
    skipped: list[Skipped] = field(default_factory=list)


def _side(
    label: str,
    folder: Path,
    base: Path,
    options: CheckOptions,
    skipped: list[Skipped],
    kinds: dict[str, KindSpec] | None = None,
) -> Side:
    result = load_catalogue(folder, base=base, kinds=kinds)
    # An entry that was not read is a finding like an unreadable file: it is
    # reported when a change introduces it, and fails the gate as an error.
    result.findings.extend(ra101.not_read_at_revision(entry.reason).placed(entry.path) for entry in skipped)
    findings = analyse(result, options)
    return Side(label, result, findings, TraceGraph(result.catalogue), base, skipped)


@dataclass
class FieldChange:
    field: str
    before: Any
    after: Any

    def as_dict(self) -> dict[str, Any]:
        words = wordchanges.as_plain(wordchanges.compare(self.before, self.after))
        return {"field": self.field, "before": self.before, "after": self.after, "words": words}


@dataclass
class SectionMove:
    """Items whose ``field`` (a section number) went from ``before`` to ``after``: a renumbered section."""

    field: str
    before: Any
    after: Any
    items: list[str]


@dataclass
class Reordered:
    """An item listed at another place among the items of its file; ``after`` is the one it now follows."""

    item: str
    file: str
    after: str  # empty: now first


@dataclass
class Duplicate:
    """An ID the change defines a second time: the second definition is not loaded, so it is kept here."""

    item: str
    file: str
    line: int
    fields: dict[str, Any]
    first_file: str
    first_line: int
    first_fields: dict[str, Any]


@dataclass
class Report:
    base: str
    head: str
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)
    similarity: dict[str, float] = field(default_factory=dict)  # new ID -> score, for renames with other edits
    changed: dict[str, list[FieldChange]] = field(default_factory=dict)
    moved: list[SectionMove] = field(default_factory=list)
    reordered: list[Reordered] = field(default_factory=list)
    links_gained: list[tuple[str, str, str]] = field(default_factory=list)
    links_lost: list[tuple[str, str, str]] = field(default_factory=list)
    findings_introduced: list[Finding] = field(default_factory=list)
    findings_fixed: list[Finding] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    skipped: list[tuple[str, Skipped]] = field(default_factory=list)  # (side label, entry)
    coverage_before: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    coverage_after: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    chapters_changed: list[str] = field(default_factory=list)
    head_fatal: bool = False
    # Items as each side defines them, for titles in the report (not serialised).
    titles: dict[str, str] = field(default_factory=dict, repr=False)
    kinds: dict[str, str] = field(default_factory=dict, repr=False)

    @property
    def empty(self) -> bool:
        return not (
            self.added
            or self.removed
            or self.renamed
            or self.changed
            or self.moved
            or self.reordered
            or self.links_gained
            or self.links_lost
            or self.findings_introduced
            or self.findings_fixed
        )

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        del data["titles"], data["kinds"], data["similarity"]
        data["changed"] = {k: [c.as_dict() for c in v] for k, v in self.changed.items()}
        keys = ("rule", "name", "severity", "item", "file", "line", "message", "suggestion")
        for name in ("findings_introduced", "findings_fixed"):
            data[name] = [{k: getattr(f, k) for k in keys} for f in getattr(self, name)]
        data["renamed"] = [
            {"from": a, "to": b, **({"similarity": round(self.similarity[b], 3)} if b in self.similarity else {})}
            for a, b in self.renamed
        ]
        data["skipped"] = [{"side": label, "path": s.path, "reason": s.reason} for label, s in self.skipped]
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


# -- comparing ---------------------------------------------------------------------------

_LOCATION = re.compile(r"\S+\.ya?ml:\d+(:\d+)?")


def _finding_key(finding: Finding, renames: Renames | None = None) -> tuple[str, str, str]:
    """Findings are 'the same' across revisions regardless of line numbers and of renames."""
    message = _LOCATION.sub("<where>", finding.message)
    if renames is None:
        return (finding.rule, finding.item, message)
    return (finding.rule, renames.id(finding.item), renames.text(message))


def _coverage(side: Side) -> dict[str, tuple[int, int, int]]:
    rows = coverage.coverage(side.graph, "section")
    out = {row.group: (row.total, row.specified, row.verified) for row in rows}
    whole = coverage.total(side.graph, rows)
    out["total"] = (whole.total, whole.specified, whole.verified)
    return out


def _sections_touched(before: Side, after: Side, report: Report) -> list[str]:
    """The sections whose tables show an item the change adds, removes or edits (the pages a reviewer opens)."""
    old_items, new_items = before.result.catalogue.items, after.result.catalogue.items
    ids = {*report.added, *report.removed, *report.changed, *(new for _, new in report.renamed)}
    ids |= {item for move in report.moved for item in move.items} | {r.item for r in report.reordered}
    ids |= {old for old, _ in report.renamed}
    # a link gained or lost also changes its target's row: the column of links to it (specified-by, ...)
    ids |= {target for _, _, target in (*report.links_gained, *report.links_lost)}
    titles: dict[str, str] = {}
    touched: set[str] = set()
    for side, items in ((before, old_items), (after, new_items)):
        titles.update({number: section.title for number, section in side.result.catalogue.sections.items()})
        # an item that fills another's row (row-with) changes that row
        leaders = {item.id for item in items.values() if ids & set(map(str, item.data.get("row-with") or []))}
        for item_id in ids | leaders:
            item = items.get(item_id)
            if item is None:
                continue
            sections = [
                item.section,
                *(str(x.get("section", "")) for x in item.data.get("listings") or [] if isinstance(x, dict)),
            ]
            touched.update(section for section in sections if section)
    return [f"{number} {titles.get(number, '')}".strip() for number in sorted(touched, key=natural_key)]


def _field_changes(old: dict[str, Any], new: dict[str, Any]) -> list[FieldChange]:
    keys = sorted((set(old) | set(new)) - {"id"})
    return [FieldChange(key, old.get(key), new.get(key)) for key in keys if old.get(key) != new.get(key)]


def _moves(changes: dict[str, list[FieldChange]]) -> list[SectionMove]:
    """Changes of the placement fields, one entry per (field, before, after); taken out of ``changes``."""
    moves: dict[tuple[str, str, str], SectionMove] = {}
    for item_id in list(changes):
        kept = []
        for change in changes[item_id]:
            if change.field not in PLACEMENT_FIELDS:
                kept.append(change)
                continue
            key = (change.field, json.dumps(change.before), json.dumps(change.after))
            moves.setdefault(key, SectionMove(change.field, change.before, change.after, [])).items.append(item_id)
        if kept:
            changes[item_id] = kept
        else:
            del changes[item_id]

    def order(move: SectionMove) -> tuple[Any, ...]:
        field_order = PLACEMENT_FIELDS.index(move.field)  # the spec's own sections first
        return (field_order, natural_key(str(move.before or "")), natural_key(str(move.after or "")))

    return sorted(moves.values(), key=order)


def _reordered(before: Side, after: Side, renames: Renames) -> list[Reordered]:
    """Items of both sides, in the same file, whose order among each other changed.

    The fewest items that explain the new order are reported: those outside a
    longest run that kept its order (so moving one row reports that row, not
    every row it passed).
    """
    new_items = after.result.catalogue.items
    old_files: dict[str, list[str]] = {}
    for old_id, item in before.result.catalogue.items.items():
        new_id = renames.id(old_id)
        if new_id in new_items and new_items[new_id].file == item.file:
            old_files.setdefault(item.file, []).append(new_id)
    new_order: dict[str, list[str]] = {}
    for new_id, item in new_items.items():
        new_order.setdefault(item.file, []).append(new_id)
    old_items = before.result.catalogue.items
    for ids in new_order.values():  # by line; items of one line (a flow list) as read
        ids.sort(key=lambda i: new_items[i].line)
    found = []
    for file, ids in old_files.items():
        ids.sort(key=lambda i: old_items[renames.old_id(i)].line)
        listed = new_order[file]
        place = {item_id: index for index, item_id in enumerate(listed)}
        kept = _longest_increasing([place[i] for i in ids])
        for index, item_id in enumerate(ids):
            if index not in kept:
                at = place[item_id]
                found.append(Reordered(item_id, file, listed[at - 1] if at else ""))
    return sorted(found, key=lambda r: (r.file, natural_key(r.item)))


def _longest_increasing(values: list[int]) -> set[int]:
    """Indexes of a longest strictly increasing subsequence of ``values`` (patience sorting, n log n)."""
    tails: list[int] = []  # value ending the best run of each length
    tail_index: list[int] = []
    previous = [-1] * len(values)
    for index, value in enumerate(values):
        length = bisect_left(tails, value)
        if length == len(tails):
            tails.append(value)
            tail_index.append(index)
        else:
            tails[length] = value
            tail_index[length] = index
        previous[index] = tail_index[length - 1] if length else -1
    kept: set[int] = set()
    at = tail_index[-1] if tail_index else -1
    while at >= 0:
        kept.add(at)
        at = previous[at]
    return kept


class _Entries:
    """Catalogue entries read back from a side's files by position (for duplicates, which the loader drops)."""

    SECTIONS = ("items", "profiles", "sections", "sources", "comparisons")

    def __init__(self, base: Path) -> None:
        self.base = base
        self.by_file: dict[str, dict[tuple[int, int], dict[str, Any]]] = {}

    def at(self, file: str, line: int, column: int) -> dict[str, Any] | None:
        """The entry whose ``id`` value is written at ``line``:``column`` of ``file``."""
        if file not in self.by_file:
            self.by_file[file] = self._read(file)
        return self.by_file[file].get((line, column))

    def _read(self, file: str) -> dict[tuple[int, int], dict[str, Any]]:
        path = self.base / file
        if not path.is_file() or path.is_symlink():
            return {}
        doc = read_yaml(path, file)
        if doc.fatal or not isinstance(doc.data, dict):
            return {}
        entries: dict[tuple[int, int], dict[str, Any]] = {}
        for section in self.SECTIONS:
            listed = doc.data.get(section)
            for index, entry in enumerate(listed if isinstance(listed, list) else []):
                if isinstance(entry, dict) and "id" in entry:
                    entries[doc.position((section, index, "id"))] = entry
        return entries


def _duplicates(side: Side, introduced: list[Finding]) -> list[Duplicate]:
    entries = _Entries(side.base)
    found = []
    for finding in introduced:
        if finding.rule != ra301.CODE or not finding.item or not finding.line:
            continue
        definitions = side.result.catalogue.definitions.get(finding.item) or []
        first = definitions[0] if definitions else None
        again = entries.at(finding.file, finding.line, finding.column)
        if first is None or again is None:
            continue
        first_fields = entries.at(first.file, first.line, first.column) or {}
        found.append(Duplicate(finding.item, finding.file, finding.line, again, first.file, first.line, first_fields))
    return found


def compare(before: Side, after: Side) -> Report:
    report = Report(before.label, after.label, head_fatal=after.result.fatal)
    old_items, new_items = before.result.catalogue.items, after.result.catalogue.items
    removed = sorted(set(old_items) - set(new_items), key=natural_key)
    added = sorted(set(new_items) - set(old_items), key=natural_key)
    report.renamed, report.similarity = find_renames(old_items, new_items, removed, added)
    renames = Renames(report.renamed)
    report.removed = [i for i in removed if i not in renames.map]
    renamed_to = set(renames.map.values())
    report.added = [i for i in added if i not in renamed_to]
    pairs = [(i, i) for i in set(old_items) & set(new_items)] + report.renamed
    for old_id, new_id in sorted(pairs, key=lambda pair: natural_key(pair[1])):
        changes = _field_changes(old_items[old_id].data, new_items[new_id].data)
        if changes:
            report.changed[new_id] = changes
    report.moved = _moves(report.changed)
    report.reordered = _reordered(before, after, renames)
    for items in (old_items, new_items):
        report.titles.update((i, item.title) for i, item in items.items())
        report.kinds.update((i, item.kind) for i, item in items.items())

    def links(side: Side) -> set[tuple[str, str, str]]:
        """Links that resolve: one whose target disappears is lost (and its dangling end a finding)."""
        items = side.result.catalogue.items
        return {(link.source, link.field, link.target) for link in side.result.catalogue.links if link.target in items}

    # A link that only moved with a rename of its source or target is neither gained nor lost.
    old_links, new_links = links(before), links(after)
    old_moved = {(renames.id(s), f, renames.id(t)) for s, f, t in old_links}
    order = lambda t: (natural_key(t[0]), t[1], natural_key(t[2]))  # noqa: E731
    report.links_gained = sorted(new_links - old_moved, key=order)
    report.links_lost = sorted(
        (link for link in old_links if (renames.id(link[0]), link[1], renames.id(link[2])) not in new_links), key=order
    )
    # The same for findings: one about req.gen.cnt.02 before and gen.cnt.02 after only moved.
    old_keys = {_finding_key(f, renames) for f in before.findings}
    new_keys = {_finding_key(f) for f in after.findings}
    report.findings_introduced = [f for f in after.findings if _finding_key(f) not in old_keys]
    report.findings_fixed = [f for f in before.findings if _finding_key(f, renames) not in new_keys]
    report.duplicates = _duplicates(after, report.findings_introduced)
    report.skipped = [(side.label, entry) for side in (before, after) for entry in side.skipped]
    report.coverage_before, report.coverage_after = _coverage(before), _coverage(after)
    report.chapters_changed = _sections_touched(before, after, report)
    return report


def diff(
    repo: Path,
    base: str,
    head: str,
    catalogue: str,
    settings: Settings | None = None,
    catalogue_from_settings: bool = False,
) -> Report:
    """Compare the catalogue folder ``catalogue`` (relative to the repository) at two revisions.

    Both sides are judged with ``settings`` when given (``--config``), else
    with the settings of the BASE revision: a change cannot lower its own
    gate. Each setting it changes is a finding of its own (RA901). When the
    folder itself came from settings (``catalogue_from_settings``), the base
    revision's ``catalogue`` setting names it: a change cannot point the
    review at another folder either.
    """
    root = repository_root(repo)
    base_commit = resolve(root, base)
    head_commit = resolve(root, head) if head != WORKTREE else WORKTREE
    with tempfile.TemporaryDirectory(prefix="ra2docs-diff-") as tmp:
        tmp_path = Path(tmp)
        base_settings, base_file = revisionsettings.settings_at(
            root, base_commit, catalogue, tmp_path / "settings-base", base
        )
        if catalogue_from_settings and settings is None and base_settings.catalogue is not None:
            named = base_settings.catalogue.as_posix()
            if named == ".." or named.startswith("../"):
                where = base_file.path if base_file else "settings"
                raise Ra2docsError(f"{where} at {base}: catalogue = {named!r} is outside the git repository")
            if named != catalogue:
                catalogue = named
                scratch = tmp_path / "settings-base-again"
                base_settings, base_file = revisionsettings.settings_at(root, base_commit, catalogue, scratch, base)
        head_label = head if head != WORKTREE else "the working tree"
        try:
            scratch = tmp_path / "settings-head"
            head_settings, head_file = revisionsettings.settings_at(root, head_commit, catalogue, scratch, head_label)
            head_error = ""
        except Ra2docsError as exc:
            head_settings, head_file, head_error = None, None, str(exc)
        judge = settings or base_settings
        options = CheckOptions(dict(judge.severity))
        kinds = judge.kinds()
        old_dir, old_skipped = from_revision(root, base_commit, catalogue, tmp_path / "base")
        before = _side(base, old_dir, tmp_path / "base", options, old_skipped, kinds)
        if head == WORKTREE:
            new_dir, new_skipped = from_worktree(root, catalogue, tmp_path / "head")
            after = _side("working tree", new_dir, tmp_path / "head", options, new_skipped, kinds)
        else:
            new_dir, new_skipped = from_revision(root, head_commit, catalogue, tmp_path / "head")
            after = _side(head, new_dir, tmp_path / "head", options, new_skipped, kinds)
        report = compare(before, after)
    if head_error:
        changed = [unreadable_settings("ra2docs settings", head_error)]
    else:
        changed = revisionsettings.settings_changes(base_settings, base_file, head_settings or Settings(), head_file)
        changed += revisionsettings.other_settings_changes(
            root, base_commit, head_commit, {f.path for f in (base_file, head_file) if f}
        )
    # The baseline decides what check and the build let pass: a reviewer sees it change.
    baseline = (Path(catalogue) / BASELINE_FILE).as_posix()
    changed += [baseline_changed(path) for path in files_changed(root, base_commit, head_commit, [baseline])]
    # The first thing a reviewer reads: the rules this change is judged by were changed by it.
    report.findings_introduced[:0] = settle(changed, judge.severity)
    return report


# -- rendering ---------------------------------------------------------------------------


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "-"


def _short(value: Any, width: int = 70) -> str:
    """One line for the terminal: no control characters (an ESC sequence could rewrite the screen)."""
    return gfm.shorten(value, width)


def _coverage_totals(report: Report) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    return report.coverage_before.get("total", (0, 0, 0)), report.coverage_after.get("total", (0, 0, 0))


def as_text(report: Report) -> str:
    out = [f"ra2docs diff {_short(report.base)} -> {_short(report.head)}", ""]
    if report.empty:
        out.append("no change to the catalogue's items, links or findings")
    for title, ids in (("added", report.added), ("removed", report.removed)):
        if ids:
            out.append(f"items {title} ({len(ids)}): {', '.join(_short(i) for i in ids)}")
    for old, new in report.renamed:
        similar = f" (and changed: {report.similarity[new]:.0%} alike)" if new in report.similarity else ""
        out.append(f"renamed: {_short(old)} -> {_short(new)}{similar}")
    for item_id, changes in report.changed.items():
        out.append(f"changed {_short(item_id)}:")
        for change in changes:
            out.extend(_text_change(change))
    for move in report.moved:
        out.append(
            f"{_short(move.field)} {_short(move.before or '(none)')} -> {_short(move.after or '(none)')}: "
            f"{_count(len(move.items), 'item')} "
            f"({', '.join(_short(i) for i in move.items)})"
        )
    for entry in report.reordered:
        place = f"now after {_short(entry.after)}" if entry.after else "now first"
        out.append(f"reordered: {_short(entry.item)} in {_short(entry.file)}, {place}")
    for title, links in (("gained", report.links_gained), ("lost", report.links_lost)):
        for source, name, target in links:
            out.append(f"link {title}: {_short(source)} {_short(name)} {_short(target)}")
    for title, findings in (("introduced", report.findings_introduced), ("fixed", report.findings_fixed)):
        if findings:
            out.append(f"findings {title} ({len(findings)}):")
            out.extend("    " + "\n    ".join(_short(line, 400) for line in f.format().splitlines()) for f in findings)
    for dup in report.duplicates:
        out.append(
            f"defined again: {_short(dup.item)} at {_short(dup.file)}:{dup.line} "
            f"(first at {_short(dup.first_file)}:{dup.first_line}):"
        )
        out.extend(f"    {_short(k)}: {gfm.flatten(v)}" for k, v in dup.fields.items() if k != "id")
    b, a = _coverage_totals(report)
    specified = f"specified {_pct(b[1], b[0])} -> {_pct(a[1], a[0])}"
    out.append(f"coverage: {specified}, verified {_pct(b[2], b[0])} -> {_pct(a[2], a[0])}")
    if report.chapters_changed:
        out.append(f"sections whose tables change: {', '.join(report.chapters_changed)}")
    return "\n".join(out) + "\n"


def _count(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def _text_change(change: FieldChange) -> list[str]:
    """A field's change in full: short values on one line, else before, after and the words that changed."""
    before, after = gfm.flatten(change.before), gfm.flatten(change.after)
    if len(before) + len(after) <= 100:
        return [f"    {_short(change.field)}: {before or '(none)'} -> {after or '(none)'}"]
    words = wordchanges.as_plain(wordchanges.compare(change.before, change.after))
    return [
        f"    {_short(change.field)}:",
        f"        before: {before or '(none)'}",
        f"        after:  {after or '(none)'}",
        f"        words:  {words}",
    ]


def as_json(report: Report) -> str:
    return json.dumps(report.as_dict(), indent=2, ensure_ascii=False, default=str) + "\n"


# -- Markdown: a pull-request comment within a size budget -------------------------------


@dataclass
class _Block:
    """A part of the comment: lines before its rows, the rows, lines after them."""

    name: str  # in the summary of what is not shown
    head: list[str]
    rows: list[str]
    tail: list[str] = field(default_factory=list)
    shown: int = 0


def _cost(lines: Iterable[str]) -> int:
    return sum(len(line) + 1 for line in lines)


def _more(count: int) -> list[str]:
    return ["", f"_… and {count:,} more not shown here_"]


def _collapsed(summary: str, head: list[str], rows: list[str], name: str) -> _Block:
    return _Block(name, ["", f"<details><summary>{summary}</summary>", "", *head], rows, ["", "</details>"])


def _item_row(report: Report, item_id: str, full: bool) -> str:
    kind, title = report.kinds.get(item_id, ""), report.titles.get(item_id, "")
    return f"| {gfm.code(item_id)} | {gfm.text(kind, 30)} | {gfm.text(title, None if full else 90)} |"


def _finding_row(f: Finding, full: bool) -> str:
    item = gfm.code(f.item) if f.item else ""
    message = gfm.text(f.message, None if full else 200)
    return f"| {f.severity} | {gfm.code(f.location(), 120)} | {item} | {message} [{f.rule}] |"


def _duplicate_row(dup: Duplicate, full: bool) -> str:
    width = None if full else 200
    first = f"{dup.first_file}:{dup.first_line}"
    again = f"{dup.file}:{dup.line}"
    lines = [
        "",
        f"{gfm.code(dup.item, table=False)} at {gfm.code(again, 120, table=False)} "
        f"(already defined at {gfm.code(first, 120, table=False)}):",
        "",
        f"| field | {gfm.code(first, 120)} (loaded) | {gfm.code(again, 120)} (not loaded) |",
        "|---|---|---|",
    ]
    keys = [k for k in dict.fromkeys([*dup.first_fields, *dup.fields]) if k != "id"]
    for key in keys:
        first_value, again_value = (
            gfm.text(dup.first_fields.get(key, ""), width),
            gfm.text(dup.fields.get(key, ""), width),
        )
        lines.append(f"| {gfm.text(key, 40)} | {first_value} | {again_value} |")
    return "\n".join(lines)


def _changes_block(report: Report, full: bool, where: str) -> _Block:
    """Field changes: in the comment, each change in context (cut); in the full report, all of both texts too."""
    rows = []
    for item_id, changes in report.changed.items():
        for change in changes:
            pieces = wordchanges.compare(change.before, change.after)
            if full:
                rows.append(
                    f"| {gfm.code(item_id)} | {gfm.text(change.field, 40)} | {gfm.text(change.before, None)} | "
                    f"{gfm.text(change.after, None)} | {wordchanges.as_markdown(pieces)} |"
                )
            else:
                shown, _ = wordchanges.in_context(pieces, CHANGE_CONTEXT, CHANGE_WIDTH)
                rows.append(
                    f"| {gfm.code(item_id)} | {gfm.text(change.field, 40)} | {wordchanges.as_markdown(shown)} |"
                )
    legend = "words removed in <del>struck</del>, words added in <ins>underlined</ins>"
    if full:
        head = [legend, "", "| item | field | before | after | what changed |", "|---|---|---|---|---|"]
    else:
        head = [
            f"Each change in context ({legend}); long texts are cut around the change (…): {where}",
            "",
            "| item | field | what changed |",
            "|---|---|---|",
        ]
    return _collapsed(f"Items changed ({len(report.changed):,})", head, rows, "field changes")


def _move_row(move: SectionMove, full: bool) -> str:
    listed = move.items if full else move.items[:5]
    items = ", ".join(gfm.code(i) for i in listed) + (" …" if len(listed) < len(move.items) else "")
    before = gfm.code(move.before, 40) if move.before else "(none)"
    after = gfm.code(move.after, 40) if move.after else "(none)"
    return f"| {gfm.text(move.field, 40)} | {before} | {after} | {len(move.items):,}: {items} |"


def _blocks(
    report: Report, serious_in: list[Finding], serious_out: list[Finding], full: bool, where: str = ""
) -> list[_Block]:
    blocks: list[_Block] = []
    if serious_in:
        head = [
            "",
            "**Findings this change introduces**",
            "",
            "| severity | where | item | finding |",
            "|---|---|---|---|",
        ]
        blocks.append(_Block("findings introduced", head, [_finding_row(f, full) for f in serious_in]))
    if report.duplicates:
        head = ["", "**IDs this change defines twice** (the second definition is not loaded, so here is what it holds)"]
        blocks.append(_Block("duplicate definitions", head, [_duplicate_row(d, full) for d in report.duplicates]))
    if serious_out:
        width = None if full else 200
        rows = [
            f"- {f.rule} {gfm.code(f.item, table=False) if f.item else ''}: {gfm.text(f.message, width)}"
            for f in serious_out
        ]
        blocks.append(_Block("findings fixed", ["", "**Findings this change fixes**", ""], rows))
    info_in = [f for f in report.findings_introduced if f.severity == "info"]
    info_out = [f for f in report.findings_fixed if f.severity == "info"]
    if info_in or info_out:
        summary = f"ℹ️ Info-level findings: {len(info_in):,} introduced, {len(info_out):,} fixed"
        if full:
            head = ["| | where | item | finding |", "|---|---|---|---|"]
            rows = [_finding_row(f, full).replace("| info |", "| introduced |", 1) for f in info_in]
            rows += [_finding_row(f, full).replace("| info |", "| fixed |", 1) for f in info_out]
        else:
            counts_in = Counter((f.rule, f.name) for f in info_in)
            counts_out = Counter((f.rule, f.name) for f in info_out)
            head = ["| rule | introduced | fixed |", "|---|---|---|"]
            rows = [
                f"| {rule} {name} | {counts_in[(rule, name)]:,} | {counts_out[(rule, name)]:,} |"
                for rule, name in sorted(set(counts_in) | set(counts_out))
            ]
        blocks.append(_collapsed(summary, head, rows, "info-level findings"))
    for title, ids in (("Items added", report.added), ("Items removed", report.removed)):
        if ids:
            head = ["| item | kind | title |", "|---|---|---|"]
            blocks.append(
                _collapsed(f"{title} ({len(ids):,})", head, [_item_row(report, i, full) for i in ids], title.lower())
            )
    if report.renamed:
        rows = [
            f"| {gfm.code(a)} | {gfm.code(b)} | "
            + (f"renamed and changed ({report.similarity[b]:.0%} alike)" if b in report.similarity else "renamed")
            + " |"
            for a, b in report.renamed
        ]
        head = ["| from | to | |", "|---|---|---|"]
        blocks.append(_collapsed(f"Items renamed ({len(rows):,})", head, rows, "items renamed"))
    if report.moved:  # before the changes: a few lines that would otherwise be hundreds of changes
        moved = sum(len(m.items) for m in report.moved)
        head = ["| field | before | after | items |", "|---|---|---|---|"]
        rows = [_move_row(move, full) for move in report.moved]
        summary = f"Items moved to another section ({moved:,} in {len(rows):,} moves)"
        blocks.append(_collapsed(summary, head, rows, "section moves"))
    if report.changed:
        blocks.append(_changes_block(report, full, where))
    if report.reordered:
        head = ["| item | file | now after |", "|---|---|---|"]
        rows = [
            f"| {gfm.code(r.item)} | {gfm.code(r.file, 120)} | {gfm.code(r.after) if r.after else '(first)'} |"
            for r in report.reordered
        ]
        blocks.append(_collapsed(f"Items reordered ({len(rows):,})", head, rows, "items reordered"))
    links = [("gained", *link) for link in report.links_gained] + [("lost", *link) for link in report.links_lost]
    if links:
        rows = [f"| {what} | {gfm.code(s)} | {gfm.text(f, 40)} | {gfm.code(t)} |" for what, s, f, t in links]
        head = ["| | source | field | target |", "|---|---|---|---|"]
        summary = f"Links gained / lost ({len(report.links_gained):,} / {len(report.links_lost):,})"
        blocks.append(_collapsed(summary, head, rows, "links"))
    if report.chapters_changed:
        rows = [f"- {gfm.code(p, table=False)}" for p in report.chapters_changed]
        summary = f"Sections whose tables change ({len(rows):,})"
        blocks.append(_collapsed(summary, [], rows, "sections"))
    return blocks


def _top(report: Report, serious_in: list[Finding], serious_out: list[Finding]) -> list[str]:
    errors = sum(1 for f in serious_in if f.severity == "error")
    warnings = len(serious_in) - errors
    headline = "❌" if errors else ("⚠️" if warnings else "✅")
    b, a = _coverage_totals(report)
    base, head = gfm.code(report.base, 60, table=False), gfm.code(report.head, 60, table=False)
    out = [
        f"### {headline} ra2docs: catalogue changes {base} → {head}",
        "",
        "| | count |",
        "|---|---|",
        f"| items added | {len(report.added):,} |",
        f"| items removed | {len(report.removed):,} |",
        f"| items renamed | {len(report.renamed):,} |",
        f"| items changed | {len(report.changed):,} |",
        f"| items moved to another section | {sum(len(m.items) for m in report.moved):,} |",
        f"| items reordered | {len(report.reordered):,} |",
        f"| links gained / lost | {len(report.links_gained):,} / {len(report.links_lost):,} |",
        f"| findings introduced | {len(serious_in):,} ({errors:,} errors, {warnings:,} warnings) |",
        f"| findings fixed | {len(serious_out):,} |",
        "",
        f"**Coverage** (requirements with a specification / with a test): "
        f"{_pct(b[1], b[0])} → {_pct(a[1], a[0])} / {_pct(b[2], b[0])} → {_pct(a[2], a[0])}",
    ]
    if report.head_fatal:
        out += ["", f"**The catalogue at {head} could not be read completely**: see the findings below."]
    return out


def is_report_url(url: str) -> bool:
    """An http(s) URL that cannot end the Markdown link early or carry markup."""
    return bool(re.fullmatch(r"https?://[^\s()<>\[\]`\\]+", url))


def _link_line(report_url: str | None, report_files: Iterable[str]) -> list[str]:
    files = list(report_files)
    if report_url:
        if not is_report_url(report_url):
            raise Ra2docsError(f"--report-url {report_url!r}: give an http(s) URL without spaces or brackets")
        return [
            "",
            f"Full report (every finding, every change): [{gfm.text(', '.join(files) or 'report')}]({report_url})",
        ]
    if files:
        return [
            "",
            "Full report (every finding, every change): " + ", ".join(gfm.code(f, 200, table=False) for f in files),
        ]
    return []


def _where_in_full(report_url: str | None, report_files: Iterable[str]) -> str:
    """Where the comment says the full before and after texts are."""
    files = [gfm.code(f, 200, table=False) for f in report_files]
    if report_url:
        return f"the full report has them all ([{gfm.text(', '.join(report_files) or 'report')}]({report_url}))"
    if files:
        return f"the full report has them all ({', '.join(files)})"
    return "the full report has them all (`ra2docs diff --report-file report.md`)"


def _not_shown(blocks: list[_Block], budget: int) -> list[str]:
    hidden = [b for b in blocks if b.shown < len(b.rows)]
    total = sum(len(b.rows) - b.shown for b in hidden)
    lines = [
        "",
        f"<details><summary>✂️ Shortened to fit {budget:,} characters: {total:,} more entries not shown</summary>",
        "",
        "| part | shown | not shown |",
        "|---|---|---|",
    ]
    lines += [f"| {b.name} | {b.shown:,} | {len(b.rows) - b.shown:,} |" for b in hidden]
    return [*lines, "", "</details>"]


def as_markdown(
    report: Report, max_chars: int | None = MAX_CHARS, report_url: str | None = None, report_files: Iterable[str] = ()
) -> str:
    """A pull-request comment: summary first, details folded, at most ``max_chars`` characters.

    ``max_chars=None`` gives the full report (info-level findings listed one
    by one), as written to a report file. Within a budget, rows are kept in
    the order shown until the budget is spent; each part that is cut says how
    many rows it leaves out, and a folded summary at the end counts them.
    """
    report_files = list(report_files)
    serious_in = [f for f in report.findings_introduced if f.severity != "info"]
    serious_out = [f for f in report.findings_fixed if f.severity != "info"]
    top = _top(report, serious_in, serious_out)
    footer = _link_line(report_url, report_files)
    blocks = _blocks(report, serious_in, serious_out, max_chars is None, _where_in_full(report_url, report_files))
    for block in blocks:
        block.shown = len(block.rows)

    def render() -> str:
        lines = list(top)
        for block in blocks:
            if block.shown:
                lines += block.head + block.rows[: block.shown]
                if block.shown < len(block.rows):
                    lines += _more(len(block.rows) - block.shown)
                lines += block.tail
        if any(b.shown < len(b.rows) for b in blocks):
            lines += _not_shown(blocks, max_chars or 0)
        return "\n".join(lines + footer) + "\n"

    whole = render()
    if max_chars is None or len(whole) <= max_chars:
        return whole
    # The summary of what is left out, at its longest: every row of every part.
    for block in blocks:
        block.shown = 0
    # Shown counts may have more digits than the zeros counted here.
    reserve = _cost(_not_shown(blocks, max_chars)) + 24 * len(blocks)
    used = _cost(top) + _cost(footer) + reserve
    if used > max_chars:
        raise Ra2docsError(f"--max-chars {max_chars:,} is too small even for the summary ({used:,} characters)")
    # First a few rows of every part, so that a long first part does not hide
    # the others entirely; then the rest, in the order shown.
    for cap in (FIRST_ROWS, None):
        for block in blocks:
            more = _cost(_more(len(block.rows)))  # at its longest
            limit = len(block.rows) if cap is None else min(cap, len(block.rows))
            while block.shown < limit:
                row = _cost([block.rows[block.shown]])
                opening = _cost(block.head) + _cost(block.tail) + more if block.shown == 0 else 0
                closing = more if block.shown + 1 == len(block.rows) else 0  # all shown: no '... more' line
                delta = opening + row - closing
                if used + delta > max_chars:
                    break
                used += delta
                block.shown += 1
    text = render()
    while len(text) > max_chars:  # not expected: the arithmetic above leaves room; never post an oversize comment
        last = next(b for b in reversed(blocks) if b.shown)
        last.shown -= 1
        text = render()
    return text


# -- verdict regressions when result files change ----------------------------------------

MAX_RESULT_FILES = 10_000  # result files read from one revision


@dataclass
class VerdictChange:
    item: str
    kind: str
    before: str
    after: str


def _result_files_at(root: Path, commit: str, folder: str, into: Path) -> Path:
    """Copy the regular files under ``folder`` at ``commit`` into ``into`` (links are not followed)."""
    from ra2docs.gitread import git

    listing = git(root, "ls-tree", "-r", "-z", "--full-tree", commit, "--", folder)
    entries = [e for e in listing.split(b"\0") if e]
    if len(entries) > MAX_RESULT_FILES:
        raise Ra2docsError(f"{folder} at {commit[:12]} holds more than {MAX_RESULT_FILES} files")
    for entry in entries:
        meta, _, raw_name = entry.partition(b"\t")
        mode, _kind, sha = meta.decode("ascii").split(" ")
        name = raw_name.decode("utf-8", "surrogateescape")
        target = into / name
        if mode not in ("100644", "100755") or not target.resolve().is_relative_to(into.resolve()):
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(git(root, "cat-file", "blob", sha))
    return into / folder


def _verdicts_at(root: Path, revision: str, catalogue: str, results: str, into: Path) -> tuple[Any, list[str]]:
    from ra2docs.results import load_results
    from ra2docs.results.verdicts import compute

    if revision == WORKTREE:
        folder, _ = from_worktree(root, catalogue, into / "catalogue")
        result_folder = root / results
    else:
        commit = resolve(root, revision)
        folder, _ = from_revision(root, commit, catalogue, into / "catalogue")
        result_folder = _result_files_at(root, commit, results, into / "results")
    graph = TraceGraph(load_catalogue(folder).catalogue)
    # every file under the folder, a refused one (a link out of it) reported like an unreadable one
    read, errors = load_results(["**/*"], result_folder) if result_folder.is_dir() else ([], [])
    return compute(graph, read), [e.finding.format() for e in errors]


def verdict_regressions(
    repo: Path, base: str, head: str, catalogue: str, results: str
) -> tuple[list[VerdictChange], list[str]]:
    """Test cases and items whose verdict got worse from ``base`` to ``head``, with the result files
    under ``results`` (a folder of the repository) and the catalogue of each side; and the files
    that could not be read."""
    from ra2docs.results.verdicts import ORDER

    root = repository_root(repo)
    with tempfile.TemporaryDirectory(prefix="ra2docs-verdicts-") as tmp:
        before, problems = _verdicts_at(root, base, catalogue, results, Path(tmp) / "base")
        after, more = _verdicts_at(root, head, catalogue, results, Path(tmp) / "head")
    changes: list[VerdictChange] = []
    now = {**{t: v.verdict for t, v in after.tests.items()}, **{i: v.verdict for i, v in after.items.items()}}
    then = {**{t: v.verdict for t, v in before.tests.items()}, **{i: v.verdict for i, v in before.items.items()}}
    for item_id in sorted(now, key=natural_key):
        old, new = then.get(item_id), now[item_id]
        if old in ORDER and new in ORDER and ORDER.index(new) < ORDER.index(old):
            kind = "test-case" if item_id in after.tests else "item"
            changes.append(VerdictChange(item_id, kind, old, new))
    return changes, problems + more


def verdict_regressions_text(changes: list[VerdictChange], results: str) -> str:
    if not changes:
        return f"\nverdict regressions (result files in {results}): none\n"
    lines = [f"\nverdict regressions (result files in {results}): {len(changes)}"]
    lines += [f"  {c.before} -> {c.after}  {c.item} ({c.kind})" for c in changes]
    return "\n".join(lines) + "\n"
