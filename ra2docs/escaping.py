"""Escaping of text for each output format, in one place per format.

Every text ra2docs writes to a terminal, an XML file (JUnit, ReqIF), a CSV or
XLSX cell or JSON passes through one function here. Catalogue and result
files are untrusted: a title may hold an escape sequence, a control
character, a lone surrogate or a spreadsheet formula.
"""

from __future__ import annotations

import json
import re
from typing import Any

# C0 and C1 controls, DEL, bidirectional overrides and isolates (text that
# reorders what follows it on screen) and lone surrogates (not encodable).
_TERMINAL_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
# Characters XML 1.0 cannot hold, not even as character references.
_XML_ILLEGAL_CHARS = "\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff"
_XML_ILLEGAL = re.compile(f"[{_XML_ILLEGAL_CHARS}]")
# OOXML (and ReqIF, by our convention) write a character as _xHHHH_; a literal
# _xHHHH_ in the text is written _x005F_xHHHH_ so that reading it back is exact.
_OOXML_LITERAL = re.compile("_(?=x[0-9A-Fa-f]{4}_)")
_OOXML_ESCAPED = re.compile("_x([0-9A-Fa-f]{4})_")
# A cell starting with one of these (after any blanks and controls) is a formula
# in Excel, LibreOffice or Google Sheets; fullwidth forms count in some locales.
_FORMULA_START = re.compile("^[\\s\x00-\x1f\x7f]*[=+\\-@\uff1d\uff0b\uff0d\uff20]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def for_terminal(text: object) -> str:
    """One line of text safe for a terminal: controls (newlines too) shown as ``\\x1b``, never sent."""
    return _TERMINAL_UNSAFE.sub(_visible, str(text))


def for_terminal_text(text: str, keep: str = "\n") -> str:
    """Several lines for a terminal: the characters in ``keep`` pass, every other control is shown."""
    return _TERMINAL_UNSAFE.sub(lambda m: m.group() if m.group() in keep else _visible(m), text)


def for_xml(text: object) -> str:
    """Text XML 1.0 can hold, for people to read (JUnit): illegal characters shown as ``\\x01``.

    Markup characters are left to the XML serialiser (ElementTree escapes them).
    """
    return _XML_ILLEGAL.sub(_visible, str(text))


def xml_attribute_text(text: str) -> str:
    """Text for an XML attribute value between double quotes, for writers that do not escape it themselves.

    Line ends and tabs become character references (XML would read them as spaces).
    """
    escaped = for_xml(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    return escaped.replace("\t", "&#9;").replace("\n", "&#10;").replace("\r", "&#13;")


def _ooxml_code(match: re.Match[str]) -> str:
    return f"_x{ord(match.group()):04X}_"


def to_ooxml(text: str, also: str = "") -> str:
    """``_xHHHH_`` escaping (OOXML's, reversible): XML-illegal characters and those in ``also``."""
    escaped = _OOXML_LITERAL.sub("_x005F_", text)
    pattern = re.compile(f"[{_XML_ILLEGAL_CHARS}{re.escape(also)}]") if also else _XML_ILLEGAL
    return pattern.sub(_ooxml_code, escaped)


def from_ooxml(text: str) -> str:
    """The inverse of ``to_ooxml``."""
    return _OOXML_ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


def is_formula(text: str) -> bool:
    """Whether a spreadsheet would read the cell as a formula (or could, once edited)."""
    return bool(_FORMULA_START.match(text)) or text[:1] in ("\t", "\r")


def csv_cell(text: str) -> str:
    """A CSV cell: a leading apostrophe makes a would-be formula plain text (quoting is the writer's)."""
    return "'" + text if is_formula(text) else text


def xlsx_cell(text: str) -> str:
    """An XLSX string cell: formulas neutralised as in CSV, then OOXML's escaping of control characters."""
    return to_ooxml(csv_cell(text))


def json_dumps(payload: Any, indent: int | None = 2) -> str:
    """JSON that any UTF-8 stream can take: lone surrogates written as ``\\udXXX`` escapes, not raw."""
    text = json.dumps(payload, indent=indent, ensure_ascii=False)
    # Surrogates can only occur inside JSON strings, where \\uXXXX is their escape.
    return text.encode("utf-8", "backslashreplace").decode("utf-8") if _has_surrogate(text) else text


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False
