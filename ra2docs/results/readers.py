"""Built-in readers: e2e / Sonobuoy JUnit XML, Sonobuoy results YAML and tarballs,
Xtesting result records, CNF test suite results.

Untrusted input throughout, read with limits on work, not only on bytes
(``ra2docs.results.model``): XML is streamed through defusedxml's SAX parser
(no DTDs, entities or external references) with element and depth limits;
YAML goes through the safe loader without anchors, aliases or duplicate keys;
JSON refuses duplicate keys; tarballs are decompressed by their real format
(never their name) within a byte budget and read member by member in memory,
never extracted. Every error names the file and, where the format allows, the line.
"""

from __future__ import annotations

import bz2
import gzip
import io
import json
import lzma
import math
import re
import tarfile
import zlib
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, NoReturn
from xml.sax import SAXException, SAXParseException
from xml.sax.handler import ContentHandler
from xml.sax.xmlreader import AttributesImpl, Locator

import yaml
from defusedxml import DefusedXmlException
from yaml.constructor import ConstructorError

from ra2docs.results.model import (
    MAX_ARCHIVE_BYTES,
    MAX_ARCHIVE_MEMBERS,
    MAX_BYTES,
    MAX_DEPTH,
    MAX_DOCUMENT_BYTES,
    MAX_RESULTS,
    MAX_XML_ELEMENTS,
    Result,
    ResultsError,
    parse_date,
    spend,
)
from ra2docs.xmlsafe import CappedExpatParser, XmlTokenTooLong

try:
    from yaml import CSafeLoader as _YamlLoader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _YamlLoader  # type: ignore[assignment]

MESSAGE_LENGTH = 500  # characters of a failure message kept


def _read_bytes(path: Path, display: str, limit: int = MAX_BYTES) -> bytes:
    """The file's bytes, refused when it holds more than ``limit`` (read no further than that)."""
    try:
        with path.open("rb") as stream:
            data = stream.read(limit + 1)
    except OSError as exc:
        raise ResultsError(display, f"cannot read: {exc.strerror}") from None
    if len(data) > limit:
        raise ResultsError(display, f"the file holds more than {limit} bytes, the most a result file of its kind may")
    spend(display, len(data))
    return data


def _check_count(results: list[Result], display: str, line: int = 0) -> None:
    if len(results) > MAX_RESULTS:
        raise ResultsError(display, f"more than {MAX_RESULTS} results in one file", line)


def _text(value: Any, what: str, display: str, line: int, required: bool = False) -> str:
    """A field that must be text (a number is taken as its text); anything else is an error."""
    if value is None and not required:
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ResultsError(display, f"{what} must be text, not {_kind_of(value)}", line)
    text = str(value)
    if required and not text:
        raise ResultsError(display, f"{what} is empty", line)
    return text


def _kind_of(value: Any) -> str:
    names = {dict: "a mapping", list: "a list", bool: "a boolean", type(None): "nothing"}
    return names.get(type(value), f"{type(value).__name__} {value!r}"[:60])


def _date(value: Any, what: str, display: str, line: int) -> Any:
    try:
        return parse_date(value)
    except ValueError as exc:
        hint = "write dates as ISO 8601: 2024-09-09T16:08:29"
        raise ResultsError(display, f"{what}: {exc}", line, hint=hint) from None


# -- JUnit XML (Kubernetes e2e, Ginkgo; also any JUnit) ------------------------------------

# Ginkgo v2 writes the first five and the last four; other JUnit writers leave it out.
_JUNIT_STATUS = {
    "passed": "pass",
    "failed": "fail",
    "skipped": "skip",
    "pending": "skip",
    "error": "error",
    "aborted": "error",
    "panicked": "error",
    "interrupted": "error",
    "timedout": "error",
}


class _JUnitHandler(ContentHandler):
    """Streams a JUnit document: each <testcase> counted once, under its innermost <testsuite>."""

    def __init__(self, display: str) -> None:
        super().__init__()
        self.display = display
        self.locator: Locator | None = None
        self.results: list[Result] = []
        self.depth = 0
        self.elements = 0
        self.suites: list[tuple[str, Any, str]] = []  # name, date, run of each open <testsuite>
        self.case: dict[str, Any] | None = None
        self.message: list[str] | None = None  # collecting a failure's text

    def setDocumentLocator(self, locator: Locator) -> None:
        self.locator = locator

    def line(self) -> int:
        return self.locator.getLineNumber() if self.locator else 0

    def fail(self, message: str, hint: str = "") -> NoReturn:
        raise ResultsError(self.display, message, self.line(), hint=hint)

    def startElement(self, name: str, attrs: AttributesImpl) -> None:
        self.elements += 1
        self.depth += 1
        if self.elements > MAX_XML_ELEMENTS:
            self.fail(f"more than {MAX_XML_ELEMENTS} XML elements")
        if self.depth > MAX_DEPTH:
            self.fail(f"XML elements nested more than {MAX_DEPTH} deep")
        if self.depth == 1 and name not in ("testsuites", "testsuite"):
            self.fail(f"not JUnit XML: the root element is <{name}>", "expected <testsuites>")
        if name == "testsuite":
            suite = attrs.get("name", "")
            stamp = attrs.get("timestamp", "")
            run = " ".join(filter(None, [suite, stamp]))
            self.suites.append((suite, _date(stamp, "testsuite timestamp", self.display, self.line()), run))
        elif name == "testcase":
            if self.case is not None:
                self.fail("a <testcase> inside a <testcase>")
            self.case = self._start_case(attrs)
        elif self.case is not None:
            if name in ("failure", "error"):
                self.case["status"] = "fail" if name == "failure" else "error"
                self.case["message"] = attrs.get("message", "")
                self.message = [] if not self.case["message"] else None
            elif name == "skipped" and not self.case["status"]:
                self.case["status"] = "skip"
            elif name == "property" and attrs.get("name") == "verifies":
                self.case["verifies"] += [v for v in re.split(r"[\s,]+", attrs.get("value", "")) if v]

    def _start_case(self, attrs: AttributesImpl) -> dict[str, Any]:
        raw_status = attrs.get("status")
        status = ""
        if raw_status:
            status = _JUNIT_STATUS.get(raw_status.lower(), "")
            if not status:
                self.fail(f"testcase status {raw_status!r} is unknown", "known: " + ", ".join(_JUNIT_STATUS))
        seconds = None
        if attrs.get("time"):
            try:
                seconds = float(attrs["time"].strip())
            except ValueError:
                seconds = math.nan
            if not math.isfinite(seconds):
                self.fail(f"testcase time {attrs['time']!r} is not a number of seconds")
        return {"name": attrs.get("name", ""), "status": status, "time": seconds, "message": "", "verifies": []}

    def characters(self, content: str) -> None:
        if self.message is not None and sum(map(len, self.message)) < MESSAGE_LENGTH:
            self.message.append(content)

    def endElement(self, name: str) -> None:
        self.depth -= 1
        if name in ("failure", "error") and self.message is not None and self.case is not None:
            self.case["message"] = "".join(self.message)
            self.message = None
        elif name == "testsuite" and self.suites:
            self.suites.pop()
        elif name == "testcase" and self.case is not None:
            case, self.case = self.case, None
            suite, date, run = self.suites[-1] if self.suites else ("", None, "")
            self.results.append(
                Result(
                    name=case["name"],
                    status=case["status"] or "pass",
                    source=self.display,
                    time=case["time"],
                    run=run,
                    date=date,
                    suite=suite,
                    verifies=case["verifies"],
                    message=case["message"].strip()[:MESSAGE_LENGTH],
                )
            )
            _check_count(self.results, self.display, self.line())


def parse_junit(source: bytes | IO[bytes], display: str) -> list[Result]:
    """The results of a JUnit document (bytes, or a binary stream read as it is parsed)."""
    handler = _JUnitHandler(display)
    parser = CappedExpatParser()  # no <!DOCTYPE>, so no entities of any kind; no token past its cap
    parser.setContentHandler(handler)
    stream = io.BytesIO(source) if isinstance(source, bytes) else source
    try:
        parser.parse(stream)
    except XmlTokenTooLong as exc:
        raise ResultsError(display, str(exc), handler.line()) from None
    except DefusedXmlException as exc:
        raise ResultsError(
            display,
            f"refused: {type(exc).__name__} (DTDs, entities and external references are not allowed)",
            handler.line(),
            hint="result files are plain XML; remove the <!DOCTYPE> declaration",
        ) from None
    except SAXParseException as exc:
        raise ResultsError(
            display,
            f"not well-formed XML: {exc.getMessage()}",
            exc.getLineNumber(),
            exc.getColumnNumber() + 1,
            "is the file complete?",
        ) from None
    except SAXException as exc:
        raise ResultsError(display, f"cannot read the XML: {exc.getMessage()}", handler.line()) from None
    if handler.elements == 0:
        raise ResultsError(display, "not well-formed XML: no element found", 1, 1, "is the file complete?")
    return handler.results


class JUnitReader:
    name = "junit"
    description = "JUnit XML: Kubernetes e2e (junit_01.xml, Ginkgo reporter) and any JUnit report"

    def sniff(self, path: Path, head: bytes) -> bool:
        return path.suffix.lower() == ".xml" or b"<testsuite" in head[:4096]

    def read(self, path: Path, display: str) -> list[Result]:
        try:
            size = path.stat().st_size
            if size > MAX_BYTES:
                raise ResultsError(display, f"the file holds {size} bytes, more than the {MAX_BYTES} a result file may")
            with path.open("rb") as stream:
                return parse_junit(_Budget(stream, MAX_BYTES, display, "the file"), display)
        except OSError as exc:
            raise ResultsError(display, f"cannot read: {exc.strerror}") from None


# -- YAML: safe, no anchors or aliases, no duplicate keys, positions kept -------------------


class _ResultYamlLoader(_YamlLoader):  # type: ignore[misc, valid-type]
    """The safe loader, refusing duplicate keys, and remembering the line each mapping starts on."""

    def __init__(self, stream: bytes) -> None:
        super().__init__(stream)
        self.lines: dict[int, int] = {}  # id(dict) -> line

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, Hashable):
                raise ConstructorError(None, None, "a mapping key must be text", key_node.start_mark)
            if key in mapping:
                raise ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping

    def construct_yaml_map(self, node: yaml.MappingNode) -> Iterator[dict[Any, Any]]:
        data: dict[Any, Any] = {}
        self.lines[id(data)] = node.start_mark.line + 1
        yield data
        data.update(self.construct_mapping(node))


_ResultYamlLoader.add_constructor("tag:yaml.org,2002:map", _ResultYamlLoader.construct_yaml_map)


def _refuse_anchors_and_depth(data: bytes, display: str) -> None:
    """Anchors and aliases can make a 500-byte file expand to gigabytes: result files need neither."""
    depth = 0
    for event in yaml.parse(data, Loader=_YamlLoader):
        mark = event.start_mark
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise ResultsError(
                display,
                "YAML anchors and aliases (&name, *name) are not allowed in result files",
                mark.line + 1,
                mark.column + 1,
            )
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise ResultsError(display, f"YAML nested more than {MAX_DEPTH} deep", mark.line + 1, mark.column + 1)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _load_yaml(data: bytes, display: str) -> tuple[Any, dict[int, int]]:
    """The document and the line of each mapping in it (``lines[id(mapping)]``)."""
    if len(data) > MAX_DOCUMENT_BYTES:
        raise ResultsError(display, f"the YAML document holds more than {MAX_DOCUMENT_BYTES} bytes")
    try:
        _refuse_anchors_and_depth(data, display)
        loader = _ResultYamlLoader(data)
        try:
            return loader.get_single_data(), loader.lines
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise ResultsError(
            display,
            f"YAML: {exc.problem or exc.context}",
            mark.line + 1 if mark else 0,
            mark.column + 1 if mark else 0,
        ) from None
    except (yaml.YAMLError, RecursionError, ValueError) as exc:
        raise ResultsError(display, f"cannot read YAML: {exc}") from None


# -- Sonobuoy ------------------------------------------------------------------------

_SONOBUOY_STATUS = {"passed": "pass", "failed": "fail", "skipped": "skip", "unknown": "skip", "timeout": "fail"}


def parse_sonobuoy(data: Any, lines: dict[int, int], display: str) -> list[Result]:
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise ResultsError(
            display, "not a Sonobuoy results file: no 'items' list", hint="expected sonobuoy_results.yaml"
        )
    results: list[Result] = []
    plugin = _text(data.get("name"), "the plugin's name", display, lines.get(id(data), 0))
    stack: list[tuple[Any, str, int]] = [(child, "", lines.get(id(data), 0)) for child in reversed(data["items"])]
    while stack:
        node, suite, parent_line = stack.pop()
        if not isinstance(node, dict):
            raise ResultsError(display, f"an entry of 'items' is {_kind_of(node)}, not a mapping", parent_line)
        line = lines.get(id(node), parent_line)
        name = _text(node.get("name"), "'name'", display, line)
        children = node.get("items")
        if children is not None and not isinstance(children, list):
            raise ResultsError(display, f"'items' must be a list, not {_kind_of(children)}", line)
        if children:
            stack.extend((child, name or suite, line) for child in reversed(children))
            continue
        meta = node.get("meta")
        if isinstance(meta, dict) and meta.get("type") in ("file", "summary"):
            continue  # a file or summary node without tests under it
        raw_status = _text(node.get("status"), "'status'", display, line)
        status = _SONOBUOY_STATUS.get(raw_status.lower())
        if status is None:
            raise ResultsError(
                display, f"{name!r}: unknown status {raw_status!r}", line, hint="known: " + ", ".join(_SONOBUOY_STATUS)
            )
        details = node.get("details")
        failure = details.get("failure") if isinstance(details, dict) else None
        results.append(
            Result(
                name=name,
                status=status,
                source=display,
                run=plugin,
                suite=suite,
                message=_text(failure, "'details.failure'", display, line)[:MESSAGE_LENGTH],
            )
        )
        _check_count(results, display, line)
    return results


class SonobuoyReader:
    name = "sonobuoy"
    description = "Sonobuoy processed results (plugins/<plugin>/sonobuoy_results.yaml)"

    def sniff(self, path: Path, head: bytes) -> bool:
        return (
            path.suffix.lower() in (".yaml", ".yml") and b"items:" in head and (b"meta:" in head or b"status:" in head)
        )

    def read(self, path: Path, display: str) -> list[Result]:
        data, lines = _load_yaml(_read_bytes(path, display, MAX_DOCUMENT_BYTES), display)
        return parse_sonobuoy(data, lines, display)


# -- Tarballs ---------------------------------------------------------------------------------


class _Budget(io.RawIOBase):
    """A read-only stream that refuses to yield more than ``limit`` bytes (what a decompressor may expand to)."""

    def __init__(self, inner: IO[bytes], limit: int, display: str, what: str) -> None:
        super().__init__()
        self.inner, self.limit, self.display, self.what = inner, limit, display, what
        self.used = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        room = self.limit - self.used + 1  # one byte more than allowed tells that the limit is crossed
        size = room if size is None or size < 0 else min(size, room)
        data = self.inner.read(size)
        self.used += len(data)
        if self.used > self.limit:
            raise ResultsError(self.display, f"{self.what} holds more than {self.limit} bytes, the most allowed")
        spend(self.display, len(data))
        return data

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


# Magic bytes and decompressors (each closed by ``_decompressed``).
_COMPRESSIONS: list[tuple[bytes, Callable[[IO[bytes]], IO[bytes]]]] = [
    (b"\x1f\x8b", lambda raw: gzip.GzipFile(fileobj=raw)),
    (b"BZh", lambda raw: bz2.BZ2File(raw)),
    (b"\xfd7zXZ\x00", lambda raw: lzma.LZMAFile(raw)),  # noqa: SIM115
]


@contextmanager
def _decompressed(path: Path, display: str) -> Iterator[IO[bytes]]:
    """The tarball's bytes, decompressed by the format its first bytes show (never its name), within budget."""
    with path.open("rb") as raw:
        magic = raw.read(6)
        raw.seek(0)
        opener = next((open_ for prefix, open_ in _COMPRESSIONS if magic.startswith(prefix)), None)
        inner = opener(raw) if opener else raw
        try:
            yield _Budget(inner, MAX_ARCHIVE_BYTES, display, "the tarball, decompressed,")  # type: ignore[misc]
        finally:
            inner.close()


def _tar_magic(head: bytes) -> bool:
    return any(head.startswith(prefix) for prefix, _ in _COMPRESSIONS) or head[257:262] == b"ustar"


class SonobuoyTarballReader:
    """The tarball ``sonobuoy retrieve`` writes; members are read in memory, never extracted."""

    name = "sonobuoy-tarball"
    description = "Sonobuoy results tarball (plugins/e2e/results/global/junit_01.xml inside)"

    def sniff(self, path: Path, head: bytes) -> bool:
        return path.name.endswith((".tar.gz", ".tgz", ".tar", ".tar.bz2", ".tar.xz")) or _tar_magic(head)

    def read(self, path: Path, display: str) -> list[Result]:
        junit: list[Result] = []
        summary: list[Result] = []
        try:
            with _decompressed(path, display) as stream, tarfile.open(fileobj=stream, mode="r|") as archive:
                for count, member in enumerate(archive, start=1):
                    if count > MAX_ARCHIVE_MEMBERS:
                        raise ResultsError(display, f"the tarball holds more than {MAX_ARCHIVE_MEMBERS} members")
                    spend(display, members=1)
                    where = f"{display}:{member.name}"
                    self._check_member(member, where)
                    is_junit = re.fullmatch(r"(.*/)?plugins/[^/]+/results/global/.*\.xml", member.name)
                    is_summary = re.fullmatch(r"(.*/)?plugins/[^/]+/sonobuoy_results\.yaml", member.name)
                    if not member.isfile() or not (is_junit or is_summary):
                        continue
                    limit = MAX_BYTES if is_junit else MAX_DOCUMENT_BYTES
                    if member.size > limit:
                        raise ResultsError(where, f"member is {member.size} bytes, more than the {limit} allowed")
                    content = archive.extractfile(member)
                    if content is None:  # pragma: no cover - regular files always have content
                        continue
                    if is_junit:
                        junit.extend(parse_junit(content, where))
                    else:
                        data, lines = _load_yaml(content.read(), where)
                        summary.extend(parse_sonobuoy(data, lines, where))
                    _check_count(junit + summary, display)
        except (tarfile.TarError, EOFError, OSError, zlib.error, lzma.LZMAError) as exc:
            raise ResultsError(
                display, f"cannot read the tarball: {exc}", hint="gzip, bzip2 or xz compressed, or plain tar"
            ) from None
        if not junit and not summary:
            raise ResultsError(
                display,
                "no results in the tarball (plugins/<plugin>/results/global/*.xml or sonobuoy_results.yaml)",
            )
        # The summary repeats the JUnit files' cases; keep one of each.
        return junit or summary

    @staticmethod
    def _check_member(member: tarfile.TarInfo, where: str) -> None:
        name = member.name
        unsafe = name.startswith(("/", "\\")) or ".." in Path(name).parts
        if unsafe or member.islnk() or member.issym() or member.isdev() or member.issparse():
            raise ResultsError(
                where,
                "refused: the archive holds a link, a device, a sparse file or a path leaving the archive",
                hint="only tarballs written by 'sonobuoy retrieve' are read; nothing is extracted",
            )


# -- JSON: one record, a list, or records one after the other ------------------------------


class _DuplicateKeyError(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    mapping: dict[str, Any] = {}
    for key, value in pairs:
        if key in mapping:
            raise _DuplicateKeyError(key)
        mapping[key] = value
    return mapping


def json_records(text: str, display: str) -> list[tuple[int, Any]]:
    """(line, record) for one JSON record, a list of them, or records one after the other (the file:// dump)."""
    text = text.strip()
    if not text:
        raise ResultsError(display, "the file is empty")
    decoder = json.JSONDecoder(object_pairs_hook=_no_duplicates)
    records: list[tuple[int, Any]] = []
    position = 0
    line = 1
    while position < len(text):
        try:
            value, end = decoder.raw_decode(text, position)
        except json.JSONDecodeError as exc:
            raise ResultsError(display, f"not JSON: {exc.msg}", exc.lineno, exc.colno) from None
        except _DuplicateKeyError as exc:
            raise ResultsError(
                display,
                f"duplicate key {exc.args[0]!r} in the JSON value starting here",
                line,
                hint="a result must say one thing: remove one of the two",
            ) from None
        except RecursionError:
            raise ResultsError(display, "JSON nested too deep to read", line) from None
        records.extend((line, v) for v in (value if isinstance(value, list) else [value]))
        line += text.count("\n", position, end)
        position = end
        while position < len(text) and text[position] in " \t\r\n,":
            line += text[position] == "\n"
            position += 1
    return records


class XtestingReader:
    name = "xtesting"
    description = "Xtesting (Functest-Kubernetes) result records: a record, a list, or the file:// dump"

    def sniff(self, path: Path, head: bytes) -> bool:
        return path.suffix.lower() == ".json" or (head.lstrip()[:1] in (b"{", b"[") and b"case_name" in head)

    def read(self, path: Path, display: str) -> list[Result]:
        try:
            text = _read_bytes(path, display, MAX_DOCUMENT_BYTES).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ResultsError(display, f"not UTF-8 (offset {exc.start})") from None
        results: list[Result] = []
        for index, (line, record) in enumerate(json_records(text, display)):
            if not isinstance(record, dict) or "case_name" not in record or "criteria" not in record:
                raise ResultsError(
                    display, f"record {index + 1} is not an Xtesting result (needs 'case_name' and 'criteria')", line
                )
            case_name = _text(record["case_name"], "'case_name'", display, line, required=True)
            criteria = _text(record["criteria"], "'criteria'", display, line).upper()
            if criteria not in ("PASS", "FAIL"):
                message = f"{case_name}: criteria {record['criteria']!r} is neither PASS nor FAIL"
                raise ResultsError(display, message, line)
            start = _date(record.get("start_date"), "'start_date'", display, line)
            stop = _date(record.get("stop_date"), "'stop_date'", display, line)
            seconds = (stop - start).total_seconds() if start and stop else None
            results.append(
                Result(
                    name=case_name,
                    status="pass" if criteria == "PASS" else "fail",
                    source=display,
                    time=seconds,
                    run=_text(record.get("build_tag"), "'build_tag'", display, line),
                    date=stop or start,
                    suite=_text(record.get("project_name"), "'project_name'", display, line),
                    case_name=case_name,
                )
            )
            _check_count(results, display, line)
        return results


# -- CNF test suite --------------------------------------------------------------------

_CNF_STATUS = {"passed": "pass", "failed": "fail", "skipped": "skip", "na": "skip", "error": "error"}
_CNF_DATE = re.compile(r"(\d{8})-(\d{6})")


class CnfReader:
    name = "cnf-testsuite"
    description = "CNCF CNF test suite results (cnf-testsuite-results-*.yml)"

    def sniff(self, path: Path, head: bytes) -> bool:
        return path.suffix.lower() in (".yml", ".yaml") and (b"testsuite_version" in head or b"points:" in head)

    def read(self, path: Path, display: str) -> list[Result]:
        data, lines = _load_yaml(_read_bytes(path, display, MAX_DOCUMENT_BYTES), display)
        if not isinstance(data, dict) or not isinstance(data.get("items"), list):
            raise ResultsError(display, "not a CNF test suite results file: no 'items' list", lines.get(id(data), 0))
        top = lines.get(id(data), 0)
        date = None
        stamp = _CNF_DATE.search(path.name)  # cnf-testsuite-results-YYYYMMDD-HHMMSS-mmm.yml
        if stamp:
            day, clock = stamp.group(1), stamp.group(2)
            text = f"{day[:4]}-{day[4:6]}-{day[6:]}T{clock[:2]}:{clock[2:4]}:{clock[4:]}"
            date = _date(text, "the date in the file name", display, 0)
        run = _text(data.get("name"), "'name'", display, top)
        suite = _text(data.get("testsuite_version"), "'testsuite_version'", display, top)
        results: list[Result] = []
        for index, item in enumerate(data["items"]):
            line = lines.get(id(item), top)
            if not isinstance(item, dict) or "name" not in item:
                raise ResultsError(display, f"item {index + 1} has no 'name'", line)
            name = _text(item["name"], "'name'", display, line, required=True)
            raw_status = _text(item.get("status"), "'status'", display, line)
            status = _CNF_STATUS.get(raw_status.lower())
            if status is None:
                raise ResultsError(
                    display,
                    f"item {name!r}: unknown status {item.get('status')!r}",
                    line,
                    hint="known: " + ", ".join(_CNF_STATUS),
                )
            results.append(Result(name=name, status=status, source=display, run=run, date=date, suite=suite))
            _check_count(results, display, line)
        return results


BUILTIN_READERS = [SonobuoyTarballReader(), JUnitReader(), XtestingReader(), CnfReader(), SonobuoyReader()]


def head_of(path: Path) -> bytes:
    try:
        with path.open("rb") as stream:
            return stream.read(4096)
    except OSError:
        return b""
