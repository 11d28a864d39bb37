"""Findings: what the loader and the check rules report, in one form everywhere."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import IntEnum
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from ra2docs.model import Item, Link


class ExitCode(IntEnum):
    """Exit codes of every ra2docs command (documented in the README)."""

    CLEAN = 0
    FINDINGS = 1  # findings at error level (or a gate such as --fail-on tripped)
    CANNOT_LOAD = 2  # the input could not be read at all, or the command line is wrong


Severity = Literal["error", "warning", "info"]
SeveritySetting = Literal["error", "warning", "info", "off"]  # what a settings file may give a rule
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
SEVERITY_SETTINGS: tuple[SeveritySetting, ...] = (*SEVERITIES, "off")


@dataclass
class Finding:
    """One problem, located as precisely as the input allows."""

    rule: str
    message: str
    file: str = ""
    line: int = 0
    column: int = 0
    item: str = ""
    suggestion: str = ""
    severity: Severity | Literal[""] = ""  # filled in from the rule registry and configuration
    name: str = ""  # the rule's name, filled in with the severity
    known: bool = False  # in the baseline (ra2docs.baseline): reported, never failing a run

    @classmethod
    def at_item(cls, rule: str, message: str, item: Item, suggestion: str = "") -> Finding:
        """A finding about an item, placed where the item is defined."""
        return cls(rule, message, item.file, item.line, item=item.id, suggestion=suggestion)

    @classmethod
    def at_link(cls, rule: str, message: str, link: Link, suggestion: str = "") -> Finding:
        """A finding about a link, placed on the link and named after the item that owns it."""
        return cls(rule, message, link.file, link.line, link.column, item=link.source, suggestion=suggestion)

    def placed(self, file: str, line: int = 0, column: int = 0, item: str = "") -> Finding:
        """This finding at ``file:line:column`` (about ``item``, when given).

        Rules reported while reading word their findings in their own module;
        the reader knows where they are and places them with this.
        """
        self.file, self.line, self.column = file, line, column
        if item:
            self.item = item
        return self

    def location(self) -> str:
        """``file:line:column`` as far as it is known."""
        if not self.file:
            return "<catalogue>"
        parts = [self.file]
        if self.line:
            parts.append(str(self.line))
            if self.column:
                parts.append(str(self.column))
        return ":".join(parts)

    def format(self) -> str:
        """The one-line form used by the CLI and the Sphinx build alike."""
        item = f"{self.item}: " if self.item else ""
        severity = (self.severity or "error") + (" (known)" if self.known else "")
        text = f"{self.location()}: {severity}: {item}{self.message} [{self.rule} {self.name}]".rstrip()
        if self.suggestion:
            text += f"\n    hint: {self.suggestion}"
        return text

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line, self.column, self.rule, self.message)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


class Ra2docsError(Exception):
    """The one error type ra2docs raises for bad input; carries findings."""

    def __init__(self, message: str, findings: list[Finding] | None = None) -> None:
        super().__init__(message)
        self.findings = findings or []
