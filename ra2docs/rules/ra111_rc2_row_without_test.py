"""A row of RC2's traceability or mandatory-test tables that yields no test (``ra2docs import``).

RC2 (Anuket's Reference Conformance for Kubernetes) names the test of each RA2
workload requirement in chapter 4, and the Functest-Kubernetes cases in
chapter 2. The importer turns each named test into a test-case item; a row
that yields none (its test column says N/A or TBD, is empty, links
documentation only, or names a test the CNF Test Suite does not have) is
reported here with the reason, at the row's line. So are the rows read with a
remark (a renamed test, a case listed twice) as infos. Only ``import`` and
``adopt`` report it.

FAIL (upstream, RC2 chapter 4)::

    | ra2.app.024 | ... | N/A |

PASS::

    | ra2.app.011 | ... | `helm_chart_published <https://.../RATIONALE.md#...-helm_chart_published>`__ |
"""

from __future__ import annotations

from ra2docs.findings import Finding

CODE = "RA111"
NAME = "rc2-row-without-test"
SEVERITY = "warning"
SUMMARY = "A row of RC2's test tables yields no test, or is read with a remark (import report)."


def traceability_row(reason: str) -> Finding:
    """A traceability row that cannot be read at all (it names no requirement)."""
    return Finding(CODE, f"RC2 traceability row: {reason}")


def no_test(requirement: str, reason: str) -> Finding:
    return Finding(CODE, f"RC2 traceability row {requirement}: {reason}; no test", item=requirement)


def not_a_priority(requirement: str) -> Finding:
    return Finding(CODE, f"{requirement}: the priority column does not hold a priority", item=requirement)


def renamed_test(requirement: str, name: str, now: list[str]) -> Finding:
    return Finding(
        CODE, f"{requirement}: RC2 names {name!r}, which the suite renamed {' and '.join(now)}", item=requirement
    )


def also(requirement: str, problem: str) -> Finding:
    """A row that yields a test, and names something else that is not one."""
    return Finding(CODE, f"{requirement}: also {problem}", item=requirement)


def mandatory_row(reason: str) -> Finding:
    return Finding(CODE, f"RC2 mandatory test case row: {reason}")


def case_without_link(name: str, reason: str) -> Finding:
    return Finding(CODE, f"{name}: {reason}")


def case_listed_again(name: str, first_line: int) -> Finding:
    return Finding(CODE, f"{name} is listed again (first at line {first_line})")
