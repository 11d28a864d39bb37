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


def as_text(findings: list[Finding], info: dict[str, object], color: bool = False) -> str:
    lines: list[str] = []
    for file, group in groupby(findings, key=lambda f: f.file):
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
    lines.append(
        f"{_count(len(findings), 'finding')} ({_count(info['errors'], 'error')}, "
        f"{_count(info['warnings'], 'warning')}, {_count(info['infos'], 'info')}) "
        f"in {_count(info['files'], 'file')}, {_count(info['items'], 'item')}"
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
