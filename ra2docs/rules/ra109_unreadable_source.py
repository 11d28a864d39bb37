"""An upstream chapter given to ``ra2docs import`` (or ``adopt``) cannot be read.

The importer reads Markdown and reStructuredText chapters of RA2 and the
Reference Model. A chapter larger than a spec chapter may be, one that is not
UTF-8 text, one the system refuses to open or one its parser cannot read is
skipped and reported here; the import ends with exit code 2 (``adopt``
changes nothing). Only ``import`` and ``adopt`` report it.

FAIL (a chapter saved as Latin-1)::

    | req.inf.ntw.01 | Résilience |     <- byte 0xe9, not UTF-8

PASS: save the chapter as UTF-8.
"""

from __future__ import annotations

from ra2docs.findings import Finding

CODE = "RA109"
NAME = "unreadable-source"
SEVERITY = "error"
SUMMARY = "An upstream chapter given to import or adopt cannot be read (too large, not UTF-8, or unparsable)."


def too_large(size: int, limit: int) -> Finding:
    return Finding(CODE, f"{size} bytes: too large for a spec chapter (limit {limit})")


def not_utf8(offset: int) -> Finding:
    return Finding(CODE, f"not UTF-8 (byte at offset {offset}); file skipped, save it as UTF-8")


def cannot_read(reason: str) -> Finding:
    return Finding(CODE, f"cannot read: {reason}")


def cannot_parse(error: Exception) -> Finding:
    return Finding(CODE, f"cannot parse this file: {type(error).__name__}: {error}")
