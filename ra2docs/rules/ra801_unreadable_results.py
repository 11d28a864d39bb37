"""A result file given to ``ra2docs results`` (or ``ra2docs_results`` in conf.py) cannot be read.

Result files come from clusters we do not control, so every reader refuses
what it cannot read exactly: XML with a DTD or entities, malformed XML, JSON
or YAML, unknown statuses, bad dates, tarballs with links or paths leaving
the archive, and anything past the limits on work (see the README, "What
input is trusted"). The finding names the file (and the member of a
tarball) and the line; the run ends with exit code 2.

FAIL (an external entity in a JUnit file)::

    <?xml version="1.0"?>
    <!DOCTYPE t [<!ENTITY x SYSTEM "file:///etc/passwd">]>
    <testsuites><testsuite name="&x;"/></testsuites>

PASS::

    <testsuites><testsuite name="e2e"><testcase name="x"/></testsuite></testsuites>
"""

from __future__ import annotations

from ra2docs.findings import Finding, Severity

CODE = "RA801"
NAME = "unreadable-results"
SEVERITY: Severity = "error"
SUMMARY = "A result file cannot be read (malformed, refused for safety, or past a limit on work)."


def unreadable(message: str, hint: str = "") -> Finding:
    """The finding a result reader raises (``ra2docs.results.result.ResultsError``) for bad input."""
    return Finding(CODE, message, suggestion=hint, severity=SEVERITY, name=NAME)
