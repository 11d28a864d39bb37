"""Normalised test results, whatever tool wrote them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Protocol

from ra2docs.findings import Finding, Ra2docsError

STATUSES = ("pass", "fail", "skip", "error")
_TAG = re.compile(r"\[([^\[\]]+)\]")


@dataclass
class Result:
    """One test's outcome in one run."""

    name: str
    status: str  # pass | fail | skip | error
    source: str  # the result file (and member, for tarballs)
    time: float | None = None  # seconds
    run: str = ""  # run identity: build tag, suite and timestamp, ...
    date: datetime | None = None
    suite: str = ""
    case_name: str = ""  # Xtesting case_name
    verifies: list[str] = field(default_factory=list)  # JUnit <property name="verifies">
    message: str = ""

    @property
    def tags(self) -> list[str]:
        """Bracketed tags in the name: [sig-network], [Conformance], [Feature:X] ..."""
        return [f"[{t}]" for t in _TAG.findall(self.name)]


class ResultsError(Ra2docsError):
    """A result file that cannot be read (the one error type of the readers)."""

    def __init__(self, file: str, message: str, line: int = 0, column: int = 0, hint: str = "") -> None:
        finding = Finding(
            "RA801", message, file, line, column, suggestion=hint, severity="error", name="unreadable-results"
        )
        super().__init__(finding.format(), [finding])
        self.finding = finding


class Reader(Protocol):
    """A result-file reader; register one under the ``ra2docs.result_readers`` entry-point group."""

    name: str
    description: str

    def sniff(self, path: Path, head: bytes) -> bool:
        """Whether this reader reads the file (``head``: its first 4 KiB)."""
        ...

    def read(self, path: Path, display: str) -> list[Result]:
        """The file's results; raise ``ResultsError`` on anything malformed."""
        ...


MAX_BYTES = 512 * 1024 * 1024  # a result file larger than this is refused


def parse_date(text: str | None) -> datetime | None:
    """ISO dates as the tools write them ('2024-09-09T16:08:29', '2024-05-02 10:12:31')."""
    if not text:
        return None
    value = str(text).strip().replace("Z", "+00:00")
    for candidate in (value, value.replace(" ", "T", 1)):
        try:
            parsed = datetime.fromisoformat(candidate)
        except ValueError:
            continue
        return parsed.replace(tzinfo=None) if parsed.tzinfo is None else parsed.astimezone().replace(tzinfo=None)
    return None
