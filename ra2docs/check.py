"""Run the check rules over a loaded catalogue and settle each finding's severity."""

from __future__ import annotations

import itertools
from collections.abc import Mapping

from ra2docs.context import CheckContext, CheckOptions
from ra2docs.findings import Finding, SeveritySetting
from ra2docs.loader import LoadResult
from ra2docs.process import collector_paused
from ra2docs.rules import all_rules, more_not_listed

MAX_RULE_FINDINGS = 100_000  # listed per rule; the benchmark's 100,000 items give at most 23,000


def analyse(
    result: LoadResult, options: CheckOptions | None = None, context: CheckContext | None = None
) -> list[Finding]:
    """Loader findings plus every analysis rule's findings, sorted, with severities.

    ``options.severity`` maps rule codes or names to 'error', 'warning',
    'info' or 'off' (from the settings file); ``options.baseline`` holds the fingerprints of known
    findings (``ra2docs.baseline``), which are marked, never dropped. A caller that
    goes on to use the trace graph passes its own ``context`` and reuses
    ``context.graph`` rather than building it twice.
    """
    options = options or CheckOptions()
    ctx = context or CheckContext(result.catalogue, options)
    findings = list(result.findings)
    with collector_paused():
        for rule in all_rules().values():
            if rule.check is not None:
                found = rule.check(ctx)
                findings.extend(itertools.islice(found, MAX_RULE_FINDINGS))
                # The rest is counted, not kept: a hostile catalogue of 150,000 empty items
                # would otherwise hold (and print) hundreds of thousands of findings.
                more = sum(1 for _ in found)
                if more:
                    findings.append(more_not_listed(rule.code, more, MAX_RULE_FINDINGS))
    settled = settle(findings, options.severity)
    known = options.baseline
    if known is not None:
        from ra2docs.baseline import mark
        from ra2docs.rules.ra106_stale_baseline import unused

        left = mark(settled, known)
        if left:
            where = options.baseline_file
            settled.extend(settle([unused(sum(left.values())).placed(where)], options.severity))
    return settled


def settle(findings: list[Finding], overrides: Mapping[str, SeveritySetting] | None = None) -> list[Finding]:
    rules = all_rules()
    by_name = {r.name: r.code for r in rules.values()}
    wanted = {by_name.get(k, k): v for k, v in (overrides or {}).items()}
    kept = []
    for finding in findings:
        rule = rules.get(finding.rule)
        finding.name = rule.name if rule else ""
        override = wanted.get(finding.rule) if rule is None or rule.configurable else None
        severity = override or finding.severity or (rule.severity if rule else "error")
        if severity == "off":
            continue
        finding.severity = severity
        kept.append(finding)
    return sorted(kept, key=Finding.sort_key)
