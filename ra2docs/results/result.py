"""Normalised test results, whatever tool wrote them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Protocol

from ra2docs.findings import Ra2docsError
from ra2docs.rules import ra801_unreadable_results as ra801

_TAG = re.compile(r"\[([^\[\]]+)\]")


@dataclass
class Result:
    """One test's outcome in one run."""

    name: str
    status: str  # pass | fail | skip | error | other (a status the tool wrote that none of these is)
    source: str  # the result file (and member, for tarballs)
    time: float | None = None  # seconds
    run: str = ""  # run identity: build tag, suite and timestamp, Sonobuoy's UUID, ...
    date: datetime | None = None
    suite: str = ""
    case_name: str = ""  # Xtesting case_name (for sub-results: the case they belong to)
    verifies: list[str] = field(default_factory=list)  # JUnit <property name="verifies">
    message: str = ""
    environment: str = ""  # where it ran, as the results say (Xtesting pod_name); a run's label overrides it
    tool: str = ""  # the reader that read it: runs of different tools are different runs
    complete: bool = True  # False when the tool wrote the file while still running

    @property
    def tags(self) -> list[str]:
        """Bracketed tags in the name: [sig-network], [Conformance], [Feature:X] ..."""
        return [f"[{t}]" for t in _TAG.findall(self.name)]


class ResultsError(Ra2docsError):
    """A result file that cannot be read (the one error type of the readers)."""

    def __init__(self, file: str, message: str, line: int = 0, column: int = 0, hint: str = "") -> None:
        finding = ra801.unreadable(message, hint).placed(file, line, column)
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


STATUSES = ("pass", "fail", "skip", "error", "other")


# Limits on the work one run may do, whatever the input (documented in the README).
# The filters of the test database's results API (Anuket/OPNFV TestAPI): the CLI's --testapi-* options.
TESTAPI_FILTERS = ("project", "case", "pod", "installer", "version", "scenario", "criteria", "build_tag", "from", "to")

MAX_BYTES = 256 * 1024 * 1024  # a result file, or a result file inside a tarball (XML is streamed)
MAX_DOCUMENT_BYTES = 32 * 1024 * 1024  # a YAML or JSON result document (parsed whole)
MAX_ARCHIVE_BYTES = 1024 * 1024 * 1024  # all members of a tarball, decompressed, read or skipped
MAX_ARCHIVE_MEMBERS = 50_000
MAX_XML_ELEMENTS = 2_000_000  # elements of one XML file
MAX_DEPTH = 64  # nesting of XML elements, YAML and JSON collections
MAX_RESULTS = 500_000  # results of one run, all files together (an e2e run has about 7,500)
MAX_GLOB_ENTRIES = 200_000  # directory entries one glob pattern may look at
MAX_ZIP_MEMBERS = 50_000  # members of a Functest campaign zip
# One budget for all the result files of a command or a build: four small tarballs that each
# inflate to 900 MiB stay within every per-file limit, and together cost half a minute.
MAX_RUN_BYTES = 1024 * 1024 * 1024  # bytes read or decompressed, all files together
MAX_RUN_MEMBERS = 50_000  # tarball members, all tarballs together


@dataclass
class RunBudget:
    """What the result files of one run may still cost; ``spend`` raises once it is gone."""

    bytes_left: int = MAX_RUN_BYTES
    members_left: int = MAX_RUN_MEMBERS

    @property
    def spent(self) -> bool:
        return self.bytes_left < 0 or self.members_left < 0

    def spend(self, display: str, size: int = 0, members: int = 0) -> None:
        self.bytes_left -= size
        self.members_left -= members
        if self.bytes_left < 0:
            raise ResultsError(display, f"the result files together hold more than {MAX_RUN_BYTES} bytes; not read")
        if self.members_left < 0:
            raise ResultsError(
                display, f"the result tarballs together hold more than {MAX_RUN_MEMBERS} members; not read"
            )


_RUN_BUDGET: ContextVar[RunBudget | None] = ContextVar("ra2docs_results_budget", default=None)


@contextmanager
def run_budget() -> Iterator[RunBudget]:
    """One budget for the files read inside (``read_all``); readers charge it through ``spend``."""
    budget = RunBudget()
    token = _RUN_BUDGET.set(budget)
    try:
        yield budget
    finally:
        _RUN_BUDGET.reset(token)


def spend(display: str, size: int = 0, members: int = 0) -> None:
    """Charge the current run's budget (nothing outside ``run_budget``: one file read alone has its own limits)."""
    budget = _RUN_BUDGET.get()
    if budget is not None:
        budget.spend(display, size, members)


UTC = timezone.utc
_ISO_DATE = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?"
    r"\s*(Z|[+-]\d{2}(?::?\d{2})?)?"
)


def parse_date(text: object) -> datetime | None:
    """ISO 8601 dates as the tools write them ('2024-09-09T16:08:29', '2024-05-02 10:12:31', '...Z', '...+02:00').

    None for no date; ``ValueError`` (with the reason) for text that is not one.
    A date with a UTC offset is converted to UTC, so the result does not depend
    on the machine's time zone.
    """
    if text is None or text == "":
        return None
    if isinstance(text, datetime):  # YAML reads unquoted timestamps itself
        value = text
    else:
        if not isinstance(text, str):
            raise ValueError(f"the date {text!r} is not text")
        found = _ISO_DATE.fullmatch(text.strip())
        if not found:
            raise ValueError(f"{text!r} is not an ISO 8601 date")
        year, month, day, hour, minute, second, fraction, offset = found.groups()
        try:
            value = datetime(
                int(year),
                int(month),
                int(day),
                int(hour or 0),
                int(minute or 0),
                int(second or 0),
                int((fraction or "0")[:6].ljust(6, "0")),
                tzinfo=_zone(offset) if offset else None,
            )
        except ValueError as exc:
            raise ValueError(f"{text!r} is not a valid date: {exc}") from None
    if value.tzinfo is None:
        return value
    try:
        return value.astimezone(UTC).replace(tzinfo=None)
    except OverflowError:
        raise ValueError(f"{str(text)!r} is out of the range of dates") from None


def _zone(offset: str) -> timezone:
    if offset == "Z":
        return UTC
    digits = offset[1:].replace(":", "")
    minutes = int(digits[:2]) * 60 + int(digits[2:4] or 0)
    if minutes >= 24 * 60:
        raise ValueError(f"UTC offset {offset} is out of range")
    return timezone((-1 if offset[0] == "-" else 1) * timedelta(minutes=minutes))
