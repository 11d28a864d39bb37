"""Render findings for people (text) and machines (JSON)."""

from __future__ import annotations

import json
from collections import Counter
from itertools import groupby

from ra2docs.findings import Finding


def summary(findings: list[Finding], files: int, items: int) -> dict[str, object]:
    counts = Counter(f.severity for f in findings)
    return {
        "files": files,
        "items": items,
        "errors": counts.get("error", 0),
        "warnings": counts.get("warning", 0),
        "infos": counts.get("info", 0),
        "by_rule": dict(sorted(Counter(f.rule for f in findings).items())),
    }


def as_text(findings: list[Finding], info: dict[str, object], color: bool = False, verbose: bool = False) -> str:
    """Findings grouped by file, then a summary line; info-level ones only with ``verbose``."""
    lines: list[str] = []
    shown = findings if verbose else [f for f in findings if f.severity != "info"]
    for file, group in groupby(shown, key=lambda f: f.file):
        lines.append(file or "<catalogue>")
        for finding in group:
            where = (
                (f"{finding.line}:{finding.column}" if finding.column else str(finding.line)) if finding.line else "-"
            )
            item = f"{finding.item}: " if finding.item else ""
            sev = finding.severity
            if color:
                sev = {"error": "\x1b[31merror\x1b[0m", "warning": "\x1b[33mwarning\x1b[0m"}.get(sev, sev)
            lines.append(f"  {where:>8}  {sev:<7}  {item}{finding.message}  [{finding.rule} {finding.name}]")
            if finding.suggestion:
                lines.append(f"  {'':>8}  {'':<7}  hint: {finding.suggestion}")
        lines.append("")
    hidden = len(findings) - len(shown)
    lines.append(
        f"{_count(len(findings), 'finding')} ({_count(info['errors'], 'error')}, "
        f"{_count(info['warnings'], 'warning')}, {_count(info['infos'], 'info')}) "
        f"in {_count(info['files'], 'file')}, {_count(info['items'], 'item')}"
        + (f"; {hidden} infos not shown (--verbose shows them)" if hidden else "")
    )
    return "\n".join(lines) + "\n"


def _count(n: object, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def as_json(findings: list[Finding], info: dict[str, object]) -> str:
    keys = ("rule", "name", "severity", "item", "file", "line", "column", "message", "suggestion")
    payload = {
        "findings": [{k: getattr(f, k) for k in keys} for f in findings],
        "summary": info,
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def _escape_property(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A").replace(":", "%3A").replace(",", "%2C")


def _escape_data(text: str) -> str:
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
        lines.append(f"::{command.get(f.severity, 'error')} {','.join(props)}::{_escape_data(item + f.message + hint)}")
    return "\n".join(lines) + ("\n" if lines else "")


def as_junit(findings: list[Finding], info: dict[str, object]) -> str:
    """JUnit XML: one test case per rule, failing with one <failure> per error or warning."""
    from xml.sax.saxutils import quoteattr

    from ra2docs.rules import all_rules

    rules = all_rules()
    by_rule: dict[str, list[Finding]] = {}
    for f in findings:
        by_rule.setdefault(f.rule, []).append(f)
    failures = sum(1 for f in findings if f.severity in ("error", "warning"))
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<testsuites name="ra2docs check" tests="{len(rules)}" failures="{failures}">',
        f'  <testsuite name="ra2docs check" tests="{len(rules)}" failures="{failures}" errors="0">',
    ]
    for code, rule in rules.items():
        out.append(
            f"    <testcase classname={quoteattr('ra2docs.' + rule.name)} name={quoteattr(code + ' ' + rule.summary)}>"
        )
        for f in by_rule.get(code, []):
            text = f"{f.location()}: {f.item + ': ' if f.item else ''}{f.message}"
            if f.suggestion:
                text += f" (hint: {f.suggestion})"
            tag = "failure" if f.severity in ("error", "warning") else "system-out"
            if tag == "failure":
                out.append(f"      <failure type={quoteattr(f.severity)} message={quoteattr(text)}/>")
            else:
                out.append(f"      <system-out>{_xml_text(text)}</system-out>")
        out.append("    </testcase>")
    out += ["  </testsuite>", "</testsuites>"]
    return "\n".join(out) + "\n"


def _xml_text(text: str) -> str:
    from xml.sax.saxutils import escape

    return escape(text)


def as_sarif(findings: list[Finding], info: dict[str, object], version: str = "") -> str:
    """SARIF 2.1.0: one run of the ra2docs tool, its rules, and a result per finding."""
    from ra2docs.rules import all_rules

    rules = list(all_rules().values())
    index = {r.code: i for i, r in enumerate(rules)}
    level = {"error": "error", "warning": "warning", "info": "note"}
    results = []
    for f in findings:
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
        if f.item:
            result["partialFingerprints"] = {"ra2docsItem/v1": f"{f.rule}:{f.item}"}
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
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
