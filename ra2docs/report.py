"""Render findings for people (text) and machines (JSON, GitHub annotations, JUnit XML, SARIF).

Findings carry text from untrusted files (IDs, titles, file names); each format
escapes it through ``ra2docs.escaping``, never by hand.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import textwrap
import xml.etree.ElementTree as ET
from collections import Counter
from itertools import groupby

from ra2docs.escaping import for_terminal, for_xml, json_dumps
from ra2docs.findings import Finding


def for_terminal_finding(finding: Finding) -> str:
    """``Finding.format()`` with every field made safe for a terminal (one line, plus its hint line)."""
    return dataclasses.replace(
        finding,
        file=for_terminal(finding.file),
        item=for_terminal(finding.item),
        message=for_terminal(finding.message),
        suggestion=for_terminal(finding.suggestion),
    ).format()


def summary(findings: list[Finding], files: int, items: int) -> dict[str, object]:
    """Counts of a check; errors and warnings leave out the known ones (ra2docs.baseline), counted apart."""
    counts = Counter(f.severity for f in findings if not f.known)
    return {
        "files": files,
        "items": items,
        "errors": counts.get("error", 0),
        "warnings": counts.get("warning", 0),
        "infos": counts.get("info", 0),
        "known": sum(1 for f in findings if f.known),
        "by_rule": dict(sorted(Counter(f.rule for f in findings).items())),
    }


def as_text(findings: list[Finding], info: dict[str, object], color: bool = False, verbose: bool = False) -> str:
    """Findings grouped by file, then a summary line; info-level and known ones only with ``verbose``."""
    lines: list[str] = []
    shown = findings if verbose else [f for f in findings if f.severity != "info" and not f.known]
    for file, group in groupby(shown, key=lambda f: f.file):
        lines.append(for_terminal(file) if file else "<catalogue>")
        for finding in group:
            where = (
                (f"{finding.line}:{finding.column}" if finding.column else str(finding.line)) if finding.line else "-"
            )
            item = f"{for_terminal(finding.item)}: " if finding.item else ""
            sev: str = finding.severity
            if finding.known:
                sev = f"{sev} (known)"
            elif color:
                sev = {"error": "\x1b[31merror\x1b[0m", "warning": "\x1b[33mwarning\x1b[0m"}.get(sev, sev)
            message = for_terminal(finding.message)
            lines.append(f"  {where:>8}  {sev:<7}  {item}{message}  [{finding.rule} {finding.name}]")
            if finding.suggestion:
                lines.append(f"  {'':>8}  {'':<7}  hint: {for_terminal(finding.suggestion)}")
        lines.append("")
    hidden = len(findings) - len(shown)
    lines.append(
        f"{_count(len(findings), 'finding')} ({_count(info['errors'], 'error')}, "
        f"{_count(info['warnings'], 'warning')}, {_count(info['infos'], 'info')}"
        + (f", {info['known']} known from the baseline" if info.get("known") else "")
        + ") "
        f"in {_count(info['files'], 'file')}, {_count(info['items'], 'item')}"
        + (f"; {hidden} infos and known findings not shown (--verbose shows them)" if hidden else "")
    )
    return "\n".join(lines) + "\n"


def _count(n: object, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def as_json(findings: list[Finding], info: dict[str, object]) -> str:
    """``{"findings": [...], "summary": {...}}``, indented by two.

    Written finding by finding (the same text as one ``json.dumps`` of the whole):
    indented JSON is encoded in pure Python, and a million findings at once took
    gigabytes of small strings before the first byte was written.
    """
    keys = ("rule", "name", "severity", "known", "item", "file", "line", "column", "message", "suggestion")
    if not findings:
        return json_dumps({"findings": [], "summary": info}) + "\n"
    entries = ",\n".join(textwrap.indent(json_dumps({k: getattr(f, k) for k in keys}), "    ") for f in findings)
    summary_text = textwrap.indent(json_dumps(info), "  ").lstrip()
    return f'{{\n  "findings": [\n{entries}\n  ],\n  "summary": {summary_text}\n}}\n'


# Controls other than line ends would reach the CI log's terminal; line ends are %-encoded below.
_GITHUB_UNSAFE = re.compile("[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _github_visible(text: str) -> str:
    return _GITHUB_UNSAFE.sub(lambda m: for_terminal(m.group()), text)


def _escape_property(text: str) -> str:
    text = _github_visible(text)
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A").replace(":", "%3A").replace(",", "%2C")


def _escape_data(text: str) -> str:
    text = _github_visible(text)
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def as_github(findings: list[Finding], info: dict[str, object], verbose: bool = False) -> str:
    """GitHub Actions workflow commands: one ::error / ::warning (/ ::notice with verbose) per finding."""
    command = {"error": "error", "warning": "warning", "info": "notice"}
    lines = []
    for f in findings:
        if f.severity == "info" and not verbose:
            continue
        props = [f"file={_escape_property(f.file)}"] if f.file else []
        if f.line:
            props.append(f"line={f.line}")
            if f.column:
                props.append(f"col={f.column}")
        props.append(f"title={_escape_property(f'{f.rule} {f.name}')}")
        item = f"{f.item}: " if f.item else ""
        hint = f" (hint: {f.suggestion})" if f.suggestion else ""
        known = " (known: in the baseline)" if f.known else ""
        level = "notice" if f.known else command.get(f.severity, "error")
        lines.append(f"::{level} {','.join(props)}::{_escape_data(item + f.message + known + hint)}")
    return "\n".join(lines) + ("\n" if lines else "")


def as_junit(findings: list[Finding], info: dict[str, object]) -> str:
    """JUnit XML: one test case per rule, failing with one <failure> per error or warning."""
    from ra2docs.rules import all_rules

    rules = all_rules()
    by_rule: dict[str, list[Finding]] = {}
    for f in findings:
        by_rule.setdefault(f.rule, []).append(f)
    failures = str(sum(1 for f in findings if f.severity in ("error", "warning") and not f.known))
    root = ET.Element("testsuites", name="ra2docs check", tests=str(len(rules)), failures=failures)
    suite = ET.SubElement(root, "testsuite", name="ra2docs check", tests=str(len(rules)), failures=failures, errors="0")
    for code, rule in rules.items():
        case = ET.SubElement(suite, "testcase", classname=f"ra2docs.{rule.name}", name=f"{code} {rule.summary}")
        for f in by_rule.get(code, []):
            text = f"{f.location()}: {f.item + ': ' if f.item else ''}{f.message}"
            if f.suggestion:
                text += f" (hint: {f.suggestion})"
            if f.severity in ("error", "warning") and not f.known:
                ET.SubElement(case, "failure", type=f.severity, message=for_xml(text))
            else:
                ET.SubElement(case, "system-out").text = for_xml(text)
    return xml_document(root)


def xml_document(root: ET.Element) -> str:
    """An XML document with its declaration, indented, as text."""
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


# Places quoted in a message ('defined first at catalogue/a.yaml:12') move with every edit above them.
_QUOTED_LOCATION = re.compile(r"\S+\.ya?ml:\d+(:\d+)?")


def fingerprints(findings: list[Finding]) -> list[str]:
    """One value per finding, unique in the list, that stays the same when lines move.

    Code scanning matches results of two runs by it: made of the rule, item,
    file and message (places quoted in the message left out), not the line;
    findings alike in all of these are told apart by their order.
    """
    seen: Counter[str] = Counter()
    out = []
    for f in findings:
        key = "\0".join((f.rule, f.item, f.file, _QUOTED_LOCATION.sub("<where>", f.message)))
        digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]
        seen[digest] += 1
        out.append(f"{digest}:{seen[digest]}")
    return out


def as_sarif(findings: list[Finding], info: dict[str, object], version: str = "", verbose: bool = False) -> str:
    """SARIF 2.1.0: one run of the ra2docs tool, its rules, and a result per finding.

    Info-level findings (notes) only with ``verbose``: code scanning shows every
    result as an alert, and hundreds of notes would bury the errors.
    """
    from ra2docs.rules import all_rules

    rules = list(all_rules().values())
    index = {r.code: i for i, r in enumerate(rules)}
    level = {"error": "error", "warning": "warning", "info": "note"}
    results = []
    shown = findings if verbose else [f for f in findings if f.severity != "info"]
    for f, fingerprint in zip(shown, fingerprints(shown), strict=True):
        result: dict[str, object] = {
            "ruleId": f.rule,
            "level": level.get(f.severity, "error"),
            "message": {
                "text": (f"{f.item}: " if f.item else "")
                + f.message
                + (f" (hint: {f.suggestion})" if f.suggestion else "")
            },
        }
        if f.rule in index:
            result["ruleIndex"] = index[f.rule]
        if f.known:
            result["baselineState"] = "unchanged"  # SARIF's own word for a finding the baseline holds
        if f.file:
            region: dict[str, int] = {}
            if f.line:
                region["startLine"] = f.line
                if f.column:
                    region["startColumn"] = f.column
            location: dict[str, object] = {"artifactLocation": {"uri": f.file.replace("\\", "/")}}
            if region:
                location["region"] = region
            result["locations"] = [{"physicalLocation": location}]
        result["partialFingerprints"] = {"ra2docsFinding/v1": fingerprint}
        results.append(result)
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "ra2docs",
                        "version": version or "0",
                        "informationUri": "https://github.com/anuket-project/RA2",
                        "rules": [
                            {
                                "id": r.code,
                                "name": r.name,
                                "shortDescription": {"text": r.summary},
                                "fullDescription": {"text": r.doc.split("\n\n")[0].replace("\n", " ")},
                                "defaultConfiguration": {"level": level.get(r.severity, "error")},
                            }
                            for r in rules
                        ],
                    }
                },
                "results": results,
            }
        ],
    }
    return json_dumps(log) + "\n"
