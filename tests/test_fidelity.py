"""Fidelity of the shipped catalogue to upstream RA2 2020 (issue 15).

The catalogue restates every whole upstream sentence in this project's words
(CC BY: facts may be used, sentences may not). A restatement must keep the
norm exactly. These tests find, for every shipped text, the upstream
sentence(s) it restates, by ID, in ``upstream/anuket-2020-08`` and fail when

(a) a modal word is lost, added or changed: the multiset of *must not*,
    *must*, *should not*, *should* and *may* (``shall`` counts as *must*,
    ``required`` as *must*) of the upstream text equals the restatement's;
(b) a literal is lost: every command-line flag, every number (with its unit),
    every ``code``-quoted name, every catalogue ID and every capitalised
    product or standard name of the upstream text appears in the restatement
    (acronyms and mixed-case names exactly; a capitalised word such as
    "Integrity" in any case and with any ending), and every one-word member of
    an enumeration ("suspended, hibernated, migrated and restarted");
(c) a limiting word is lost: "must support X" is not "does X", "must be
    possible to enable" is not "enables", "must allow" is not "lets"
    (HEDGES below).

The upstream Markdown is parsed here with a few lines of plain code, on
purpose: these tests must not depend on ``ra2docs import`` (or on the loader),
which they are meant to check. The catalogue is read with PyYAML alone.

Further tests keep what issue 15 restored: upstream row order, RA2's
"Reference Model Section" column, RA2's short descriptions, the footnotes of
Tables 2-1, 2-3 and 2-4, Table 4-5, and flags written as RST literals.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml
from conftest import EDITION_2020, SHARED

RA2 = SHARED / "upstream" / "anuket-2020-08" / "ra2"
SEED = SHARED / "seed" / "ra2-chapter03.md"
CATALOGUE = EDITION_2020 / "catalogue"
CHAPTERS = EDITION_2020 / "source" / "chapters"

# ---------------------------------------------------------------------------
# Exceptions. Only where upstream contradicts itself, each with its reason.
# (item ID, check) -> reason. Checks: "modal", "literal", "hedge".
EXCEPTIONS: dict[tuple[str, str], str] = {
    # none needed: every restatement keeps every modal word and literal of
    # its upstream text. Add an entry only with the upstream contradiction
    # that makes a faithful restatement impossible, and say so in
    # catalogue/CHANGES.md.
}

# Cells of the security table (2.2.6) that are editorial remarks, not
# requirement text; catalogue/CHANGES.md records that they were dropped.
EDITORIAL_CELLS = {"Details", "Details on OS", "Expand/Delete based on other requirements"}

# Rows of upstream tables without an ID, and the ID the catalogue gives them
# (catalogue/CHANGES.md, "Fixes"): chapter02.md line -> ID.
IDLESS_ROWS = {196: "req.sec.sys.001", 264: "req.sec.std.006"}
# Upstream IDs the catalogue corrects (catalogue/CHANGES.md, "Fixes").
RENAMED = {"nn10": "n10", "nn50": "n50"}

# Upstream typos that a restatement corrects (catalogue/CHANGES.md): the
# corrected word is the literal to keep.
TYPOS = {"Sold State Drives": "Solid State Drives"}

# Capitalised words that are ordinary English or the Reference Model's own
# generic terms, not product or standard names: a restatement may reword them.
GENERIC = set(
    re.split(
        r"\s+",
        """
    A All An As Beyond Defined There For Further If In Note See The These This To Today When Whether Finally Alternatively
    Trying Use New Changes Indicates Max Number Total Table
    Platform Cloud Infrastructure Operator Workload Workloads Architecture Pod Pods POD Node Nodes Masters
    Images Image Registries Entity Entities Systems System Implementation Operational Time Host Virtual Machines
    Card Plugins Application High Availability Hardening Out-of-tree Cluster-side Capability Ability Support
    """.strip(),
    )
)

MODALS = re.compile(r"\b(must\s+not|shall\s+not|should\s+not|must|shall|should|may|required)\b", re.I)
MODAL_NAME = {"shall not": "must not", "shall": "must", "required": "must"}
UNITS = r"(?:KiB|MiB|GiB|TiB|KB|MB|GB|TB|Gbps|Mbps)"
FLAG = re.compile(r"(?<![\w-])--[A-Za-z][\w-]*(?:=(?:\"[^\"]*\"|[^\s`]+))?")
ITEM_ID = re.compile(r"\b(?:req|ra2|e|i|infra|sec)\.[a-z]+(?:\.[a-z]+)*\.[0-9]{2,3}\b")
NAME = re.compile(r"(?<![\w-])[A-Za-z][A-Za-z0-9]*(?:[-/][A-Za-z0-9]+)*")
# Words that limit what a norm asks for ("must support X" is not "does X"; "must be
# possible to enable" is not "enables"): a restatement keeps each one upstream has.
HEDGES = ("support", "able to", "possible", "allow", "capab", "enable", "optional", "ability")
ENUMERATION = re.compile(r"\b[A-Za-z][\w/-]*(?:, [A-Za-z][\w/-]*)+,? (?:and|or) [A-Za-z][\w/-]*")
VALUE = re.compile(rf"(?<![\w.\-])v?\d+(?:[.:]\d+)*(?:\s?{UNITS}(?![\w]))?(?![\w])")


# --------------------------------------------------------------- upstream --
def _lines(path: Path) -> list[str]:
    """The file's lines, HTML comments blanked (line numbers are kept)."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"<!--.*?-->", lambda m: "\n" * m.group().count("\n"), text, flags=re.S)
    return text.splitlines()


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def _markdown_to_text(md: str) -> str:
    """Upstream Markdown as plain text: footnote markers, HTML, emphasis and link targets removed."""
    for typo, fix in TYPOS.items():
        md = md.replace(typo, fix)
    md = re.sub(r"<su[pb]>\s*\(?\d\)?\s*(</?su[pb]>)?", "", md)
    md = re.sub(r"<br\s*/?>", " ", md)
    md = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", md)  # [text](url) -> text
    md = re.sub(r"https?://\S+", "", md)
    md = re.sub(r"(?<![\w*])[*_]{1,3}([^*_]+?)[*_]{1,3}(?![\w*])", r"\1", md)
    return " ".join(md.split())


def _is_sentence(text: str) -> bool:
    """The licence test's notion: a cell ending in a full stop or holding a modal word."""
    return text.rstrip().endswith(".") or bool(re.search(r"\b(must|should|shall|may)\b", text, re.I))


def chapter02_rows() -> list[dict]:
    """Every ID'd row of RA2 chapter 2's tables, in upstream order."""
    rows: list[dict] = []
    section = None
    for number, line in enumerate(_lines(RA2 / "chapter02.md"), 1):
        heading = re.match(r"#+\s+(2\.\d(?:\.\d)?)\s", line)
        if heading:
            section = heading.group(1)
            continue
        if not line.lstrip().startswith("|") or re.match(r"\s*\|\s*-", line) or section is None:
            continue
        cells = _cells(line)
        if section == "2.3":
            if not cells[0].startswith("`req."):
                continue
            rows.append({"line": number, "section": section, "ids": [cells[0].strip("`")], "text": cells[3]})
            continue
        rm_link = re.match(r"\[([\d.]+)\]\(([^)]*)\)", cells[0])
        if not rm_link:
            continue
        raw_ids = [i.strip("* ") for i in cells[1].split(",") if i.strip("* ")]
        ids = [RENAMED.get(i, f"req.{i}" if i.startswith("sec.") else i) for i in raw_ids]
        if not ids:
            ids = [IDLESS_ROWS[number]]
        row = {
            "line": number,
            "section": section,
            "ids": ids,
            "rm_section": rm_link.group(1),
            "rm_link": rm_link.group(2),
            "text": cells[2],
        }
        if section == "2.2.6":
            row["extra"] = [c for c in cells[3:] if c and c not in EDITORIAL_CELLS]
        else:
            row["values"] = cells[3:-1] if section != "2.2.5" else cells[3:4]
        rows.append(row)
    return rows


def chapter04_rows() -> list[dict]:
    rows, seen = [], set()
    for number, line in enumerate(_lines(RA2 / "chapter04.md"), 1):
        match = re.match(r"\s*\|\s*`(ra2\.[a-z0-9]+\.\d{3})`", line)
        if not match:
            continue
        cells = _cells(line)
        item_id = match.group(1)
        if item_id in seen:  # the second ra2.ch.015 (catalogue/CHANGES.md)
            assert item_id == "ra2.ch.015"
            item_id = "ra2.ch.022"
        seen.add(item_id)
        rows.append(
            {
                "line": number,
                "ids": [item_id],
                "text": cells[2] if len(cells) > 2 else "",
                "trace": cells[3] if len(cells) > 3 else "",
            }
        )
    return rows


def chapter06_gaps() -> list[dict]:
    """Gaps 6.2.1 ... 6.2.8: their whole text (description and notes), baseline."""
    gaps: list[dict] = []
    current = None
    for number, line in enumerate(_lines(RA2 / "chapter06.md"), 1):
        heading = re.match(r"#+\s+(6\.\d(?:\.\d)?)\s+(.*)", line)
        if heading:
            current = None
            if re.fullmatch(r"6\.2\.[1-9]", heading.group(1)):
                current = {"line": number, "section": heading.group(1), "title": heading.group(2).strip(), "text": []}
                gaps.append(current)
            continue
        if current is None or line.startswith("<a name"):
            continue
        body = re.sub(r"^>\s?", "", line).strip()
        baseline = re.match(r"\*\*Baseline project:\*\*\s*(.*)", body)
        if baseline:
            current["baseline"] = baseline.group(1).replace("_", "").strip()
        elif body and not body.startswith("**Related requirements:**"):
            current["text"].append(body.replace("**Gap description:**", "").strip())
    for gap in gaps:
        gap["text"] = " ".join(gap["text"])
    return gaps


def table_footnotes(path: Path, caption: str) -> dict[str, str]:
    """The numbered footnotes printed after the table with this caption: {'1': text, ...}."""
    lines = _lines(path)
    start = next(i for i, line in enumerate(lines) if caption in line)
    notes: dict[str, str] = {}
    for line in lines[start + 1 :]:
        if line.startswith(("#", "<a name", "|")):
            break
        marker = re.match(r"\s*(?:\*\*)?\(?(\d)\)(?:\*\*)?:?\s+(.*?)\s*(?:<br>)?\s*$", line)
        if marker:  # '**(1)** text<br>', '(1): text', '1): text'
            notes[marker.group(1)] = marker.group(2)
    return notes


# -------------------------------------------------------------- catalogue --
def catalogue_files() -> dict[str, dict]:
    return {p.name: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(CATALOGUE.glob("*.yaml"))}


def catalogue_items() -> dict[str, dict]:
    return {i["id"]: i for data in catalogue_files().values() for i in data.get("items") or [] if "id" in i}


def _rst_to_text(text: str) -> str:
    """Shipped text without footnote references; literals and links stay readable."""
    text = re.sub(r"\s*\[#[\w-]+\]_", "", text)
    text = re.sub(r"`([^`<]*?)\s*<[^>]+>`__?", r"\1", text)  # `text <url>`__ -> text
    return " ".join(text.split())


def restated(item: dict) -> str:
    return " ".join(_rst_to_text(str(item[k])) for k in ("statement", "details", "description", "notes") if item.get(k))


# ----------------------------------------------------------------- checks --
def modal_words(text: str) -> Counter:
    found = (" ".join(m.lower().split()) for m in MODALS.findall(text))
    return Counter(MODAL_NAME.get(m, m) for m in found)


def literals(upstream: str) -> list[str]:
    """The literals of an upstream text that a restatement must keep."""
    code = re.findall(r"`([^`]+)`", upstream)
    prose = re.sub(r"`[^`]+`", " ", upstream)
    found = [f for c in code for f in FLAG.findall(c)] + FLAG.findall(prose)
    found += [" ".join(c.split()) for c in code if not FLAG.fullmatch(c.strip())]
    found += ITEM_ID.findall(prose)
    found += [_join_unit(v) for v in VALUE.findall(re.sub(FLAG, " ", prose))]
    for name in NAME.findall(re.sub(ITEM_ID, " ", prose)):
        if len(name) < 2 or name in GENERIC or not re.search(r"[A-Z0-9]", name) or MODALS.fullmatch(name):
            continue
        if re.fullmatch(r"v\d+", name):  # the 'v1' of 'v1.18' (a value)
            continue
        if name[0].isupper() and name[1:].islower() and name.rstrip("s") in GENERIC:
            continue
        found.append(re.sub(r"(?<=[A-Z])s$", "", name))  # NICs -> NIC, VFs -> VF
    return list(dict.fromkeys(found))


def list_members(upstream: str) -> list[str]:
    """The one-word members of each enumeration ('suspended, hibernated, migrated and restarted')."""
    prose = re.sub(r"`[^`]+`", " ", upstream)
    members = []
    for enumeration in ENUMERATION.finditer(prose):
        members += re.split(r",? (?:and|or) |, ", enumeration.group())
    return list(dict.fromkeys(members))


def _join_unit(value: str) -> str:
    return re.sub(rf"(\d)\s+(?={UNITS})", r"\1", value)


def missing_literals(upstream: str, restatement: str) -> list[str]:
    text = _join_unit(" ".join(restatement.split()))
    missing = []
    for literal in literals(upstream):
        if re.fullmatch(r"v?\d[\w.:]*", literal):
            core = literal.lstrip("v")
            if not re.search(rf"(?<![\w.])v?{re.escape(core)}(?![\w]|\.\d)", text):
                missing.append(literal)
        elif re.fullmatch(r"[A-Z][a-z]+(?:-[a-z]+)*", literal):  # a capitalised word: any case, any ending
            if literal.lower() not in text.lower():
                missing.append(literal)
        elif literal not in text and literal not in re.sub(r"(?<=[A-Za-z])\s+(?=\d)", "", text):
            missing.append(literal)  # 'SSAE16' is kept by 'SSAE 16'
    missing += [m for m in list_members(upstream) if m.lower() not in text.lower() and m not in missing]
    return missing


def upstream_texts() -> dict[str, tuple[str, str]]:
    """Catalogue ID -> (where upstream, the upstream text its restated fields restate)."""
    texts: dict[str, tuple[str, str]] = {}

    def add(item_id: str, where: str, text: str) -> None:
        if item_id in texts:  # a second row for the same item (the ID-less GUI row)
            texts[item_id] = (texts[item_id][0], texts[item_id][1] + " " + text)
        else:
            texts[item_id] = (where, text)

    for row in chapter02_rows():
        where = f"ra2/chapter02.md:{row['line']}"
        if row["section"] == "2.2.2":  # 'n1, n2, ...' against '1, 2, ... Gbps'
            numbers, unit = row["text"].rsplit(" ", 1)
            for item_id, number in zip(row["ids"], numbers.split(","), strict=True):
                texts.setdefault(item_id, (where, f"{number.strip()} {unit}"))
            continue
        text = _markdown_to_text(row["text"])
        if row.get("extra"):
            text += " " + " ".join(_markdown_to_text(c) for c in row["extra"])
        add(row["ids"][0], where, text)
    for row in chapter04_rows():
        if row["text"]:
            texts[row["ids"][0]] = (f"ra2/chapter04.md:{row['line']}", _markdown_to_text(row["text"]))
    gap_ids = {i["section"]: i["id"] for i in catalogue_items().values() if i.get("kind") == "gap"}
    for gap in chapter06_gaps():
        texts[gap_ids[gap["section"]]] = (f"ra2/chapter06.md:{gap['line']}", _markdown_to_text(gap["text"]))
    return texts


def restatement_cases() -> list[tuple[str, str, str, str]]:
    items = catalogue_items()
    texts = upstream_texts()
    missing = sorted(set(texts) - set(items))
    assert not missing, f"upstream items missing from the catalogue: {missing}"
    cases = []
    for item_id, (where, upstream) in texts.items():
        item = items[item_id]
        text = restated(item) or str(item.get("title", ""))
        cases.append((item_id, where, upstream, text))
    return cases


def comparison_note_cases() -> list[tuple[str, str, str, str]]:
    sources = {
        "cni-multiplexers": (SEED, "Table 3-1:"),
        "cni-multiplexers-ch04": (RA2 / "chapter04.md", "Table 4-5:"),
    }
    cases = []
    for data in catalogue_files().values():
        for comparison in data.get("comparisons") or []:
            assert comparison["id"] in sources, f"comparison {comparison['id']}: name its upstream table in sources"
            path, caption = sources[comparison["id"]]
            upstream = table_footnotes(path, caption)
            for note in comparison.get("notes") or []:
                where = f"{path.name}, footnote {note['id']} of {caption.rstrip(':')}"
                cases.append((f"{comparison['id']} note {note['id']}", where, upstream[str(note["id"])], note["text"]))
    return cases


def _report(item_id: str, where: str, upstream: str, text: str, problem: str) -> str:
    return f"{item_id}: {problem}\n  upstream ({where}): {upstream}\n  catalogue:  {text}"


def _check(item_id: str, where: str, upstream: str, text: str) -> list[str]:
    problems = []
    if (item_id, "modal") not in EXCEPTIONS:
        before, after = modal_words(upstream), modal_words(text)
        if before != after:
            problem = (
                f"modal words changed: upstream {dict(sorted(before.items()))}, catalogue {dict(sorted(after.items()))}"
            )
            problems.append(_report(item_id, where, upstream, text, problem))
    if (item_id, "literal") not in EXCEPTIONS:
        lost = missing_literals(upstream, text)
        if lost:
            problems.append(_report(item_id, where, upstream, text, f"literals lost: {lost}"))
    if (item_id, "hedge") not in EXCEPTIONS:
        lost = missing_hedges(upstream, text)
        if lost:
            problems.append(_report(item_id, where, upstream, text, f"limiting words lost: {lost}"))
    return problems


def missing_hedges(upstream: str, restatement: str) -> list[str]:
    def has(text: str, hedge: str) -> bool:
        return bool(re.search(rf"\b{hedge}", text, re.I))

    return [h for h in HEDGES if has(upstream, h) and not has(restatement, h)]


def test_upstream_parse_finds_every_restated_item():
    texts = upstream_texts()
    assert len(texts) > 200
    assert "req.sec.sys.001" in texts and "GUI" in texts["req.sec.sys.001"][1]
    assert "--cpu-manager-policy=static" in texts["ra2.k8s.006"][1]
    assert texts["n600"][1] == "600 Gbps"
    assert len([i for i in texts if i.startswith("gap.")]) == 8


def test_every_restatement_keeps_modal_words_and_literals():
    problems = [p for case in restatement_cases() for p in _check(*case)]
    assert not problems, f"{len(problems)} restatement(s) changed their upstream norm:\n\n" + "\n\n".join(problems)


def test_comparison_notes_keep_modal_words_and_literals():
    cases = comparison_note_cases()
    assert len(cases) >= 2
    problems = [p for case in cases for p in _check(*case)]
    assert not problems, "\n\n".join(problems)


def test_exceptions_are_still_needed():
    """An exception that no longer hides a failure is stale: drop it."""
    cases = {case[0]: case for case in restatement_cases() + comparison_note_cases()}
    for (item_id, check), reason in EXCEPTIONS.items():
        assert reason.strip(), (item_id, check)
        _, _where, upstream, text = cases[item_id]
        if check == "modal":
            assert modal_words(upstream) != modal_words(text), f"{item_id}: exception not needed"
        elif check == "hedge":
            assert missing_hedges(upstream, text), f"{item_id}: exception not needed"
        else:
            assert missing_literals(upstream, text), f"{item_id}: exception not needed"


@pytest.mark.parametrize(
    ("upstream", "restatement", "ok"),
    [
        ("it must be possible to enable Huge Pages", "Huge Pages can be enabled", False),
        ("Volume plugins must allow for X", "Volume plugins must allow X", True),
        ("A CNI plugin may be used", "A CNI plugin provides it", False),
        ("The Platform must support A", "The platform must support A", True),
        ("must use SNMPv3, SSH v2, ICMP, NTP", "must use SNMPv3, SSH v2 and NTP", False),
        (
            "must update suspended, hibernated, migrated and restarted images",
            "must update suspended, hibernated or restarted images",
            False,
        ),
        (
            "the kubelet must be started with the `--cpu-manager-policy=static` option",
            "the kubelet must run with --cpu-manager-policy",
            False,
        ),
        ("at least 320GB of storage must be there", "there must be 320 GB or more", True),
        ("Huge Pages (2048KiB and 1048576KiB) must be possible", "must be possible: 2 MiB and 1 GiB pages", False),
        ("must not be shared; the extra should be provisioned", "should be provisioned but must not be shared", True),
        ("any overhead required by the OS must be met", "the OS overhead must be met", False),
        (
            "The Architecture must support immutable infrastructure",
            "The Architecture must be immutable infrastructure",
            False,
        ),
        (
            "Volume plugins must allow for the use of a range of backends",
            "Volume plugins must let many backends be used",
            False,
        ),
    ],
)
def test_checker_catches_the_defects_of_issue_15(upstream, restatement, ok):
    assert (not _check("x", "here", upstream, restatement)) is ok


# ------------------------------------------------------- literal hygiene --
def _shipped_strings():
    for name, data in catalogue_files().items():
        for item in data.get("items") or []:
            for key, value in item.items():
                if isinstance(value, str):
                    yield f"{name}: {item.get('id')}.{key}", value
                elif isinstance(value, dict):
                    for sub, text in value.items():
                        if isinstance(text, str):
                            yield f"{name}: {item.get('id')}.{key}.{sub}", text
        for comparison in data.get("comparisons") or []:
            for note in comparison.get("notes") or []:
                yield f"{name}: {comparison['id']} note {note['id']}", note["text"]
            for level in comparison.get("levels") or []:
                yield f"{name}: {comparison['id']} level {level['id']}", level["label"]
    for path in sorted(CHAPTERS.glob("*.rst")):
        yield f"source/chapters/{path.name}", path.read_text(encoding="utf-8")


def test_no_en_or_em_dash_in_front_of_a_flag():
    """Smart quotes turn ``--flag`` into ``–flag``, which a shell does not accept."""
    bad = [
        f"{where}: {m.group()!r}"
        for where, text in _shipped_strings()
        for m in re.finditer(r"[\u2013\u2014\u2212]-?[A-Za-z][\w-]*(?:=\S*)?", text)
    ]
    assert not bad, "\n".join(bad)


def test_flags_are_rst_literals():
    """``--cpu-manager-policy=static``, never bare: RST would make a dash of ``--`` in some writers."""
    bad = []
    for where, text in _shipped_strings():
        outside = re.sub(r"``.+?``", " ", text, flags=re.S)
        outside = re.sub(r"^\.\. .*$", " ", outside, flags=re.M)  # RST comments and directives
        bad += [f"{where}: {m.group()!r}" for m in FLAG.finditer(outside)]
    assert not bad, "\n".join(bad)


# ------------------------------------------------------ restored structure --
def _comment_lines(name: str) -> list[tuple[str, int]]:
    text = (CATALOGUE / name).read_text(encoding="utf-8")
    return [(m.group(1), int(m.group(2))) for m in re.finditer(r"#\s*anuket-2020-08/ra2/(chapter0\d\.md):(\d+)", text)]


@pytest.mark.parametrize(
    "name",
    [
        "ch02-rm-requirements.yaml",
        "ch02-security-requirements.yaml",
        "ch02-ra2-requirements.yaml",
        "ch04-specifications.yaml",
        "ch06-gaps.yaml",
    ],
)
def test_items_follow_upstream_order(name):
    """Items are in upstream row order (and gap order), not sorted by ID."""
    items = catalogue_files()[name]["items"]
    comments = _comment_lines(name)
    assert len(comments) == len(items), "every item keeps its '# anuket-2020-08/...:LINE' comment"
    assert comments == sorted(comments), "items out of upstream order"
    order = {}
    for row in chapter02_rows() + chapter04_rows():
        for position, item_id in enumerate(row["ids"]):
            order.setdefault(item_id, (row["line"], position))
    keys = [order[i["id"]] for i in items if i["id"] in order]
    assert keys == sorted(keys), "items out of upstream order"


def test_rm_section_is_what_ra2_prints():
    items = catalogue_items()
    wrong = []
    for row in chapter02_rows():
        for item_id in row["ids"] if "rm_section" in row else []:
            if items[item_id].get("rm-section") != row["rm_section"]:
                wrong.append(f"{item_id}: {items[item_id].get('rm-section')!r}, RA2 prints {row['rm_section']!r}")
    assert not wrong, "\n".join(wrong)


def test_short_descriptions_are_ra2s():
    """Where RA2's Description cell is a label (not a sentence), the catalogue shows that label."""
    items = catalogue_items()
    wrong = []
    for row in chapter02_rows():
        if row["section"] in ("2.2.2", "2.2.6", "2.3"):
            continue
        label = _markdown_to_text(row["text"])
        if _is_sentence(label):
            continue
        item = items[row["ids"][0]]
        shown = _rst_to_text(str(item.get("description") or item.get("title")))
        if shown != label:
            wrong.append(f"{item['id']}: {shown!r}, RA2 prints {label!r}")
    assert not wrong, "\n".join(wrong)


def test_gap_baselines_and_titles_are_upstreams():
    items = {i["section"]: i for i in catalogue_items().values() if i.get("kind") == "gap"}
    for gap in chapter06_gaps():
        item = items[gap["section"]]
        assert item["title"] == gap["title"], gap["section"]
        assert item.get("baseline") == gap.get("baseline"), gap["section"]


FOOTNOTE_TABLES = {"2.2.1": ("2-1", "Table 2-1:"), "2.2.3": ("2-3", "Table 2-3:"), "2.2.4": ("2-4", "Table 2-4:")}


def expected_footnote_markers() -> dict[tuple[str, str], str]:
    """(item ID, field) -> footnote label, for every upstream cell of Tables 2-1, 2-3, 2-4 with a marker."""
    markers = {}
    for row in chapter02_rows():
        if row["section"] not in FOOTNOTE_TABLES:
            continue
        table = FOOTNOTE_TABLES[row["section"]][0]
        fields = [("description", row["text"])] + list(
            zip(("values.basic", "values.network-intensive"), row["values"], strict=False)
        )
        for field, cell in fields:
            for number in re.findall(r"<sup>\s*\((\d)\)", cell):
                markers[(row["ids"][0], field)] = f"t{table}-{number}"
    return markers


def test_footnote_markers_are_on_the_cells_that_carry_them_upstream():
    items = catalogue_items()
    expected = expected_footnote_markers()
    assert len(set(expected.values())) == 7
    found = {}
    for item in items.values():
        fields = {"description": item.get("description")}
        fields |= {f"values.{k}": v for k, v in (item.get("values") or {}).items()}
        for field, text in fields.items():
            for label in re.findall(r"\[#(t2-\d-\d)\]_", str(text or "")):
                found[(item["id"], field)] = label
    assert found == expected


def test_footnotes_are_restated_in_chapter_2():
    text = (CHAPTERS / "chapter02.rst").read_text(encoding="utf-8")
    problems = []
    for _section, (table, caption) in FOOTNOTE_TABLES.items():
        for number, upstream in table_footnotes(RA2 / "chapter02.md", caption).items():
            label = f"t{table}-{number}"
            match = re.search(rf"^\.\. \[#{label}\] (.+(?:\n   .+)*)", text, re.M)
            assert match, f"footnote [#{label}] missing in source/chapters/chapter02.rst"
            restatement = _rst_to_text(match.group(1))
            upstream_text = _markdown_to_text(upstream)
            assert " ".join(restatement.split()) != upstream_text, f"{label} copies upstream"
            problems += _check(label, f"ra2/chapter02.md {caption}", upstream_text, restatement)
    assert not problems, "\n\n".join(problems)


def test_table_4_5_is_carried_in_upstream_order():
    comparisons = {c["id"]: c for d in catalogue_files().values() for c in d.get("comparisons") or []}
    comparison = comparisons["cni-multiplexers-ch04"]
    levels = {level["id"]: level["label"] for level in comparison["levels"]}
    lines = _lines(RA2 / "chapter04.md")
    start = next(i for i, line in enumerate(lines) if line.startswith("| Requirement | Support in Multus"))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append(_cells(line))
    assert [r["item"] for r in comparison["rows"]] == [re.search(r"`([^`]+)`", r[0]).group(1) for r in rows]
    typos = {"suported": "supported"}
    for row, upstream in zip(comparison["rows"], rows, strict=True):
        for solution, cell in zip(("multus", "danm"), upstream[1:], strict=True):
            value = row["cells"][solution]
            level = value if isinstance(value, str) else value["level"]
            expected = re.sub(r"<sub>.*", "", cell).strip()
            for typo, fix in typos.items():
                expected = re.sub(typo, fix, expected, flags=re.I)
            assert levels[level].lower() == expected.lower(), (row["item"], solution)
            assert ("<sub>" in cell) == (not isinstance(value, str)), (row["item"], solution)


# ---------------------------------------------- what the site shows (issue 24) --
CHANGES = CATALOGUE / "CHANGES.md"


def _table_columns(path: Path) -> dict[str, list[str]]:
    """The ``:columns:`` of each ``ra2:table`` of a chapter, by its ``:section:``."""
    found = {}
    for block in re.finditer(r"^\.\. ra2:table::.*\n((?:   :.*\n)+)", path.read_text(encoding="utf-8"), re.M):
        options = dict(re.findall(r"^   :([\w-]+):\s*(.*)$", block.group(1), re.M))
        found[options["section"]] = options["columns"].split()
    return found


def test_description_column_shows_what_upstream_prints():
    """Tables 2-1 to 2-6 show each item's description, else its title (upstream's label): never an empty cell.

    Once 18 cells were empty: ``e.cap.010`` "Transcoding Acceleration", ``infra.stg.cfg.002``-``004``,
    ``infra.net.acc.cfg.001``-``004``, ... had their label in ``title`` and the column showed ``text`` alone.
    """
    columns = _table_columns(CHAPTERS / "chapter02.rst")
    items = catalogue_items()
    empty, wrong = [], []
    for row in chapter02_rows():
        if row["section"] == "2.3":
            continue
        assert "text-or-title" in columns[row["section"]], row["section"]  # the column that falls back to the title
        label = _markdown_to_text(row["text"])
        for item_id in row["ids"]:
            item = items[item_id]
            shown = _rst_to_text(str(item.get("statement") or item.get("details") or item.get("description") or ""))
            shown = shown or _rst_to_text(str(item.get("title") or ""))
            if not shown and label:
                empty.append(f"{item_id} (upstream: {label!r})")
            elif row["section"] not in ("2.2.2", "2.2.6") and not _is_sentence(label) and shown != label:
                wrong.append(f"{item_id}: {shown!r}, upstream {label!r}")
    assert not empty, "empty Description cells:\n" + "\n".join(empty)
    assert not wrong, "\n".join(wrong)


def _trace_words(text: str) -> tuple[list[str], str]:
    """The IDs of a Requirement Trace cell, and its other words."""
    text = re.sub(r"\]\([^)]*\)", "]", text).replace("[", " ").replace("]", " ")
    text = re.sub(r":ra2:item:`([^`]+)`", r"\1", text)
    text = re.sub(r"<[^>]*>|`", " ", text)  # markup (<br>, a code span of a blank) is no word
    ids = ITEM_ID.findall(text)
    rest = " ".join(ITEM_ID.sub(" ", text).replace(",", " ").split())
    return ids, rest


def test_requirement_trace_cells_say_what_upstream_says():
    """Chapter 4's Requirement Trace column: the IDs upstream names, and its words ("Various, e.g.", "TBC")."""
    items = catalogue_items()
    assert "traces" in _table_columns(CHAPTERS / "chapter04.rst")["4.3"]
    wrong = []
    for row in chapter04_rows():
        item = items[row["ids"][0]]
        upstream_ids, upstream_words = _trace_words(row["trace"])
        shown = (item.get("cells") or {}).get("traces")
        if shown is None:
            shown_ids, shown_words = list(item.get("traces") or []), ""
        else:
            shown_ids, shown_words = _trace_words(str(shown))
            assert set(shown_ids) == set(item.get("traces") or []), (
                f"{item['id']}: its cell names other IDs than its links"
            )
        if sorted(shown_ids) != sorted(upstream_ids) and upstream_ids:
            continue  # a trace the catalogue corrects: the fixes and the importer's RA404 report list them
        if shown_words != upstream_words:
            wrong.append(f"{item['id']}: shows {shown_words!r}, upstream {upstream_words!r}")
    assert not wrong, "\n".join(wrong)
    assert _trace_words(items["ra2.k8s.007"]["cells"]["traces"])[1] == "Various e.g."


def test_gaps_state_no_status_that_upstream_has_not():
    gaps = [i for i in catalogue_items().values() if i.get("kind") == "gap"]
    assert len(gaps) == 8
    assert not [g["id"] for g in gaps if "status" in g]  # upstream's chapter 6 gives none
    assert "Gaps have no status" in CHANGES.read_text(encoding="utf-8")


def test_table_2_2_grouping_is_declared_on_the_page_and_in_the_changes():
    rows = [r for r in chapter02_rows() if r["section"] == "2.2.2"]
    assert len(rows) == 5 and sum(len(r["ids"]) for r in rows) == 30
    unique = list(dict.fromkeys(i for r in rows for i in r["ids"]))
    shipped = [i["id"] for i in catalogue_items().values() if i.get("section") == "2.2.2"]
    assert shipped == unique and len(shipped) == 23
    page = (CHAPTERS / "chapter02.rst").read_text(encoding="utf-8")
    after = page[page.index("Table 2-2:") : page.index("2.2.3 Cloud")]
    assert "five rows" in after and ":doc:`record of changes <../changes>`" in after
    changes = CHANGES.read_text(encoding="utf-8")
    assert "**Table 2-2** groups" in changes and "23 rows" in changes


# Support levels the two comparisons word differently but mean alike (catalogue/CHANGES.md, "Table 4-5").
SAME_LEVEL = {"via-additional-cni": "via-another-cni"}


def test_tables_3_1_and_4_5_disagree_only_where_both_pages_say_so():
    comparisons = {c["id"]: c for d in catalogue_files().values() for c in d.get("comparisons") or []}
    ch03, ch04 = comparisons["cni-multiplexers"], comparisons["cni-multiplexers-ch04"]

    def ratings(comparison: dict) -> dict[str, dict[str, str]]:
        levels = {level["id"]: level["label"] for level in comparison["levels"]}
        out = {}
        for row in comparison["rows"]:
            cells = {}
            for solution, value in row["cells"].items():
                level = value if isinstance(value, str) else value["level"]
                cells[solution] = (SAME_LEVEL.get(level, level), levels[level])
            out[row["item"]] = cells
        return out

    three, four = ratings(ch03), ratings(ch04)
    differ = {
        item
        for item in three.keys() & four.keys()
        if {s: c[0] for s, c in three[item].items()} != {s: c[0] for s, c in four[item].items()}
    }
    assert differ == {"req.inf.ntw.03"}
    for page, other, theirs in (("chapter03.rst", "4-5", four), ("chapter04.rst", "3-1", three)):
        text = (CHAPTERS / page).read_text(encoding="utf-8")
        notes = re.findall(r"^\.\. note::\n\n((?:   .*\n|\n)+)", text, re.M)
        note = " ".join(next(n for n in notes if f"Table {other}" in n and "req.inf.ntw.03" in n).split())
        for _level, label in theirs["req.inf.ntw.03"].values():
            assert f'"{label}"' in note, (page, label)


def test_changes_are_published_on_the_site():
    page = (EDITION_2020 / "source" / "changes.rst").read_text(encoding="utf-8")
    assert ".. ra2:markdown:: ../catalogue/CHANGES.md" in page
    assert re.search(r"^   changes$", (EDITION_2020 / "source" / "index.rst").read_text(encoding="utf-8"), re.M)


RM_CHAPTERS = "https://github.com/cntt-n/CNTT/blob/84d0b207/doc/ref_model/chapters/"


def test_rm_section_links_to_the_reference_models_section():
    """The Reference Model Section column links where upstream's does (its chapter and heading, at 84d0b207)."""
    items = catalogue_items()
    wrong = []
    for row in chapter02_rows():
        for item_id in row["ids"] if "rm_section" in row else []:
            target = RM_CHAPTERS + row["rm_link"].removeprefix("../../../ref_model/chapters/")
            want = f"`{row['rm_section']} <{target}>`__"
            if (items[item_id].get("cells") or {}).get("rm-section") != want:
                wrong.append(f"{item_id}: {(items[item_id].get('cells') or {}).get('rm-section')!r}, want {want!r}")
    assert not wrong, "\n".join(wrong[:10])
    assert "rm-section" in _table_columns(CHAPTERS / "chapter02.rst")["2.2.1"]


def test_chapter_4_as_printed_keeps_every_modal_word():
    """The Details column as the site prints it (the markup read as text), not only the YAML, keeps upstream's norm.

    Issue 24 found ``ra2.stg.005`` ("Volume plugins must allow for the use of ...") losing its modal word.
    """
    from ra2docs.views.table import markup, plain

    items = catalogue_items()
    lost = []
    for row in chapter04_rows():
        item = items[row["ids"][0]]
        shown = plain(markup(item.get("details") or ""))
        upstream = _markdown_to_text(row["text"])
        if modal_words(upstream) != modal_words(shown):
            lost.append(f"{item['id']}: {dict(modal_words(shown))}, upstream {dict(modal_words(upstream))}")
    assert not lost, "\n".join(lost)
    assert modal_words(plain(markup(items["ra2.stg.005"]["details"]))) == Counter({"must": 1})
