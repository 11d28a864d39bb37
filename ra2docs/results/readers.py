"""Built-in readers: e2e / Sonobuoy / kube-bench JUnit XML, Sonobuoy results YAML and
tarballs (every layout since 0.8), Xtesting result records (a record, a list, the
``file://`` dump, TestAPI responses, Functest's campaign zip), kube-bench JSON, CNF test
suite results. A file is recognised by its content, never its name; a status a tool writes
that is not pass, fail, skip or error is counted as "other", never refusing the file.

Untrusted input throughout, read with limits on work, not only on bytes
(``ra2docs.results.result``): XML is streamed through defusedxml's SAX parser
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
import zipfile
import zlib
from collections.abc import Callable, Generator, Hashable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import IO, Any, NoReturn, Protocol
from xml.sax import SAXException, SAXParseException
from xml.sax.handler import ContentHandler
from xml.sax.xmlreader import AttributesImpl, Locator

import yaml
from defusedxml import DefusedXmlException
from yaml.constructor import ConstructorError

from ra2docs.jsonkeys import DuplicateKeyError, no_duplicate_keys
from ra2docs.results.result import (
    MAX_ARCHIVE_BYTES,
    MAX_ARCHIVE_MEMBERS,
    MAX_BYTES,
    MAX_DEPTH,
    MAX_DOCUMENT_BYTES,
    MAX_RESULTS,
    MAX_XML_ELEMENTS,
    MAX_ZIP_MEMBERS,
    UTC,
    Reader,
    Result,
    ResultsError,
    parse_date,
    spend,
)
from ra2docs.xmlsafe import CappedExpatParser, XmlTokenTooLong

try:
    from yaml import CSafeLoader as _YamlLoader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _YamlLoader  # type: ignore[assignment]  # libyaml missing: the same API

MESSAGE_LENGTH = 500  # characters of a failure message kept


class ByteStream(Protocol):
    """What a reader reads bytes through: a file, a decompressor, a budget."""

    def read(self, size: int = -1, /) -> bytes: ...

    def close(self) -> None: ...


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
        return (self.locator.getLineNumber() or 0) if self.locator else 0

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
            elif name == "skipped" and self.case["status"] in ("", "other"):
                self.case["status"] = "skip"
            elif name == "property" and attrs.get("name") == "verifies":
                self.case["verifies"] += [v for v in re.split(r"[\s,]+", attrs.get("value", "")) if v]

    def _start_case(self, attrs: AttributesImpl) -> dict[str, Any]:
        raw_status = attrs.get("status")
        status = _JUNIT_STATUS.get(raw_status.lower(), "other") if raw_status else ""
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


def parse_junit(source: bytes | ByteStream, display: str) -> list[Result]:
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
            exc.getLineNumber() or 0,
            (exc.getColumnNumber() or 0) + 1,
            "is the file complete?",
        ) from None
    except SAXException as exc:
        raise ResultsError(display, f"cannot read the XML: {exc.getMessage()}", handler.line()) from None
    if handler.elements == 0:
        raise ResultsError(display, "not well-formed XML: no element found", 1, 1, "is the file complete?")
    return handler.results


def _starts_with(head: bytes, *prefixes: bytes) -> bool:
    """Whether the text starts with one of ``prefixes`` (after a byte-order mark and white space)."""
    return head.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(prefixes)


class JUnitReader:
    name = "junit"
    description = "JUnit XML: Kubernetes e2e (junit_01.xml, Ginkgo reporter), kube-bench --junit, any JUnit report"

    def sniff(self, path: Path, head: bytes) -> bool:
        return _starts_with(head, b"<") and b"<testsuite" in head

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


class _ResultYamlLoader(_YamlLoader):
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

    def construct_yaml_map(self, node: yaml.MappingNode) -> Generator[dict[Any, Any], None, None]:
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
        assert mark is not None  # the parser marks every event it makes
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
        status = _SONOBUOY_STATUS.get(raw_status.lower(), "other")  # plugins may report any status
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
            not _starts_with(head, b"{", b"[", b"<") and b"items:" in head and (b"meta:" in head or b"status:" in head)
        )

    def read(self, path: Path, display: str) -> list[Result]:
        data, lines = _load_yaml(_read_bytes(path, display, MAX_DOCUMENT_BYTES), display)
        return parse_sonobuoy(data, lines, display)


# -- Tarballs ---------------------------------------------------------------------------------


class _Budget(io.RawIOBase):
    """A read-only stream that refuses to yield more than ``limit`` bytes (what a decompressor may expand to)."""

    def __init__(self, inner: ByteStream, limit: int, display: str, what: str) -> None:
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
_COMPRESSIONS: list[tuple[bytes, Callable[[IO[bytes]], ByteStream]]] = [
    (b"\x1f\x8b", lambda raw: gzip.GzipFile(fileobj=raw)),
    (b"BZh", lambda raw: bz2.BZ2File(raw)),
    (b"\xfd7zXZ\x00", lambda raw: lzma.LZMAFile(raw)),  # noqa: SIM115
]


@contextmanager
def _decompressed(path: Path, display: str) -> Iterator[_Budget]:
    """The tarball's bytes, decompressed by the format its first bytes show (never its name), within budget."""
    with path.open("rb") as raw:
        magic = raw.read(6)
        raw.seek(0)
        opener = next((open_ for prefix, open_ in _COMPRESSIONS if magic.startswith(prefix)), None)
        inner = opener(raw) if opener else raw
        try:
            yield _Budget(inner, MAX_ARCHIVE_BYTES, display, "the tarball, decompressed,")
        finally:
            inner.close()


def _tar_magic(head: bytes) -> bool:
    return any(head.startswith(prefix) for prefix, _ in _COMPRESSIONS) or head[257:262] == b"ustar"


_RESULT_XML = re.compile(
    r"(?:.*/)?plugins/[^/]+/results/(?:.*/)?(?!\._)[^/]+\.xml"
)  # global/, a node, or (before 0.10) none
_SUMMARY_YAML = re.compile(r"(?:.*/)?plugins/[^/]+/sonobuoy_results\.yaml")
_RUN_LOG = re.compile(r"(?:.*/)?meta/run\.log")
_CONFIG = re.compile(r"(?:\./)?(?:meta/)?config\.json")
_SONOBUOY_NAME_DATE = re.compile(r"(\d{12})_sonobuoy_")  # 202409091608_sonobuoy_<uuid>.tar.gz


class SonobuoyTarballReader:
    """The tarball ``sonobuoy retrieve`` writes; members are read in memory, never extracted.

    The run is the UUID of Sonobuoy's ``config.json`` (``meta/config.json`` from 0.9); its date
    the first entry of ``meta/run.log``, else the JUnit timestamp, else the date in the
    tarball's name, else the JUnit file's own modification time in the archive.
    """

    name = "sonobuoy-tarball"
    description = "Sonobuoy results tarball (plugins/<plugin>/results/[global/]*.xml, sonobuoy_results.yaml)"

    def sniff(self, path: Path, head: bytes) -> bool:
        return _tar_magic(head)

    def read(self, path: Path, display: str) -> list[Result]:
        junit: dict[str, list[Result]] = {}  # plugin -> results of its JUnit files
        summary: dict[str, list[Result]] = {}  # plugin -> results of its sonobuoy_results.yaml
        run_id, started, member_date = "", None, None
        try:
            with _decompressed(path, display) as stream, tarfile.open(fileobj=stream, mode="r|") as archive:
                for count, member in enumerate(archive, start=1):
                    if count > MAX_ARCHIVE_MEMBERS:
                        raise ResultsError(display, f"the tarball holds more than {MAX_ARCHIVE_MEMBERS} members")
                    spend(display, members=1)
                    where = f"{display}:{member.name}"
                    self._check_member(member, where)
                    if not member.isfile():
                        continue
                    kind = self._kind(member.name)
                    if kind is None:
                        continue
                    limit = MAX_BYTES if kind == "junit" else MAX_DOCUMENT_BYTES
                    if member.size > limit:
                        raise ResultsError(where, f"member is {member.size} bytes, more than the {limit} allowed")
                    content = archive.extractfile(member)
                    if content is None:  # pragma: no cover - regular files always have content
                        continue
                    plugin = _plugin_of(member.name)
                    if kind == "junit":
                        junit.setdefault(plugin, []).extend(parse_junit(content, where))
                        member_date = member_date or _date_of_mtime(member.mtime)
                    elif kind == "summary":
                        data, lines = _load_yaml(content.read(), where)
                        summary.setdefault(plugin, []).extend(parse_sonobuoy(data, lines, where))
                    elif kind == "run.log":
                        started = _first_log_time(content.read(), where) or started
                    else:
                        run_id = _sonobuoy_uuid(content.read(), where) or run_id
                    _check_count([r for found in (*junit.values(), *summary.values()) for r in found], display)
        except (tarfile.TarError, EOFError, OSError, zlib.error, lzma.LZMAError) as exc:
            raise ResultsError(
                display, f"cannot read the tarball: {exc}", hint="gzip, bzip2 or xz compressed, or plain tar"
            ) from None
        if not junit and not summary:
            raise ResultsError(
                display,
                "no results in the tarball (plugins/<plugin>/results/**/*.xml or sonobuoy_results.yaml)",
            )
        # A plugin's summary repeats its JUnit files' cases: its JUnit files when it has any, else its summary
        # (plugins that report no JUnit: manual results, single files).
        results = [r for plugin in sorted({*junit, *summary}) for r in junit.get(plugin) or summary[plugin]]
        named = _SONOBUOY_NAME_DATE.search(path.name)
        from_name = None
        if named:
            digits = named[1]
            stamp = f"{digits[:4]}-{digits[4:6]}-{digits[6:8]}T{digits[8:10]}:{digits[10:]}"
            from_name = _date(stamp, "the date in the tarball's name", display, 0)
        for result in results:
            result.tool = "sonobuoy"
            result.run = run_id or result.run or path.name
            result.date = started or result.date or from_name or member_date
        return results

    @staticmethod
    def _kind(name: str) -> str | None:
        if Path(name).name.startswith("._"):  # macOS resource forks ride along in tarballs made on a Mac
            return None
        if _RESULT_XML.fullmatch(name):
            return "junit"
        if _SUMMARY_YAML.fullmatch(name):
            return "summary"
        if _RUN_LOG.fullmatch(name):
            return "run.log"
        if _CONFIG.fullmatch(name):
            return "config"
        return None

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


def _plugin_of(name: str) -> str:
    found = re.search(r"(?:^|/)plugins/([^/]+)/", name)
    return found[1] if found else ""


def _date_of_mtime(seconds: float) -> Any:
    try:
        return datetime.fromtimestamp(seconds, UTC).replace(tzinfo=None) if seconds > 0 else None
    except (OverflowError, OSError, ValueError):
        return None


def _first_log_time(data: bytes, where: str) -> Any:
    """The time of the first entry of Sonobuoy's run.log (JSON lines with a "time")."""
    for line in data.splitlines()[:50]:
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict) and isinstance(entry.get("time"), str):
            try:
                return parse_date(entry["time"])
            except ValueError:
                return None
    return None


def _sonobuoy_uuid(data: bytes, where: str) -> str:
    try:
        config = json.loads(data)
    except ValueError:
        return ""
    uuid = config.get("UUID") if isinstance(config, dict) else None
    return uuid if isinstance(uuid, str) else ""


# -- JSON: one record, a list, records one after the other, each perhaps behind a request --------


# What xtesting's file:// dump writes before each record: the request line, one line per
# header ("Content-Type application/json"), then a blank line (xtesting/utils/decorators.py).
_DUMPED_REQUEST = re.compile(r"(?:POST|PUT|PATCH) \S+[ \t]*\r?\n(?:[^\r\n]+\r?\n)*?\r?\n")


def json_records(text: str, display: str) -> list[tuple[int, Any]]:
    """(line, value) for one JSON value, a list of them, or values one after the other.

    Each value may follow the request line and headers of Xtesting's ``file://`` dump.
    """
    text = text.strip()
    if not text:
        raise ResultsError(display, "the file is empty")
    decoder = json.JSONDecoder(object_pairs_hook=no_duplicate_keys)
    records: list[tuple[int, Any]] = []
    position = 0
    line = 1
    while position < len(text):
        request = _DUMPED_REQUEST.match(text, position)
        if request:
            line += text.count("\n", position, request.end())
            position = request.end()
        try:
            value, end = decoder.raw_decode(text, position)
        except json.JSONDecodeError as exc:
            raise ResultsError(display, f"not JSON: {exc.msg}", exc.lineno, exc.colno) from None
        except DuplicateKeyError as exc:
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


def _json_text(data: bytes, display: str) -> str:
    if len(data) > MAX_DOCUMENT_BYTES:
        raise ResultsError(display, f"the JSON document holds more than {MAX_DOCUMENT_BYTES} bytes")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ResultsError(display, f"not UTF-8 (offset {exc.start})") from None


def _is_testapi(value: Any) -> bool:
    """A TestAPI response: ``{"results": [...], "pagination": {...}}`` (what Functest's campaign zip holds too)."""
    return isinstance(value, dict) and isinstance(value.get("results"), list) and "case_name" not in value


def _is_kube_bench(value: Any) -> bool:
    if isinstance(value, dict) and isinstance(value.get("Controls"), list):
        return True
    return isinstance(value, dict) and isinstance(value.get("tests"), list) and "node_type" in value


def _xtesting_results(text: str, display: str) -> list[Result]:
    results: list[Result] = []
    for index, (line, value) in enumerate(json_records(text, display)):
        records = value["results"] if _is_testapi(value) else [value]
        for record in records:
            if not isinstance(record, dict) or "case_name" not in record or "criteria" not in record:
                raise ResultsError(
                    display, f"record {index + 1} is not an Xtesting result (needs 'case_name' and 'criteria')", line
                )
            results.extend(_xtesting_record(record, display, line))
            _check_count(results, display, line)
    return results


def _xtesting_record(record: dict[str, Any], display: str, line: int) -> list[Result]:
    case_name = _text(record["case_name"], "'case_name'", display, line, required=True)
    criteria = _text(record["criteria"], "'criteria'", display, line).upper()
    start = _date(record.get("start_date"), "'start_date'", display, line)
    stop = _date(record.get("stop_date"), "'stop_date'", display, line)
    seconds = (stop - start).total_seconds() if start and stop else None
    case = Result(
        name=case_name,
        status={"PASS": "pass", "FAIL": "fail"}.get(criteria, "other"),
        source=display,
        time=seconds,
        run=_text(record.get("build_tag"), "'build_tag'", display, line),
        date=stop or start,
        suite=_text(record.get("project_name"), "'project_name'", display, line),
        case_name=case_name,
        environment=_text(record.get("pod_name"), "'pod_name'", display, line),
        tool="xtesting",
    )
    found = [case]
    details = record.get("details")
    # Sub-results: Functest's cnf_testsuite keeps the CNF results file as its details,
    # kube-bench cases their JSON report.
    sub: list[Result] = []
    if isinstance(details, dict) and isinstance(details.get("items"), list):
        sub = _cnf_items(details, {}, display, line, "cnf-testsuite")
    elif _is_kube_bench(details) or (isinstance(details, list) and details and all(map(_is_kube_bench, details))):
        sub = _kube_bench_checks(details, display, line)
    for result in sub:
        result.case_name, result.run, result.date = case_name, case.run, case.date
        result.environment, result.tool = case.environment, case.tool
    return found + sub


class XtestingReader:
    name = "xtesting"
    description = (
        "Xtesting (Functest-Kubernetes) result records: a record, a list, the file:// dump, a TestAPI response"
    )

    def sniff(self, path: Path, head: bytes) -> bool:
        return _starts_with(head, b"{", b"[") or _DUMPED_REQUEST.match(head.decode("utf-8", "replace")) is not None

    def read(self, path: Path, display: str) -> list[Result]:
        return _xtesting_results(_json_text(_read_bytes(path, display, MAX_DOCUMENT_BYTES), display), display)


class CampaignZipReader:
    """Functest's campaign archive ``{BUILD_TAG}.zip``: ``{BUILD_TAG}.json`` is the TestAPI's answer
    for the build tag (xtesting/core/campaign.py); the artifacts beside it are not read."""

    name = "functest-campaign"
    description = "Functest campaign zip ({BUILD_TAG}.zip holding {BUILD_TAG}.json, a TestAPI response)"

    def sniff(self, path: Path, head: bytes) -> bool:
        return head.startswith(b"PK\x03\x04")

    def read(self, path: Path, display: str) -> list[Result]:
        results: list[Result] = []
        try:
            with zipfile.ZipFile(path) as archive:
                members = archive.infolist()
                if len(members) > MAX_ZIP_MEMBERS:
                    raise ResultsError(display, f"the zip holds more than {MAX_ZIP_MEMBERS} members")
                for member in members:
                    if member.is_dir() or "/" in member.filename.strip("/") or not member.filename.endswith(".json"):
                        continue  # the campaign's JSON sits at the top; artifacts live in a folder
                    where = f"{display}:{member.filename}"
                    with archive.open(member) as stream:
                        data = _Budget(stream, MAX_DOCUMENT_BYTES, where, "the member, decompressed,").read()
                    results.extend(_xtesting_results(_json_text(data, where), where))
                    _check_count(results, display)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, zlib.error, NotImplementedError) as exc:
            raise ResultsError(display, f"cannot read the zip: {exc}") from None
        if not results:
            raise ResultsError(display, "no results in the zip (expected {BUILD_TAG}.json at its top)")
        return results


# -- kube-bench --------------------------------------------------------------------------

# kube-bench itself reports WARN and INFO as skipped in its JUnit output.
_KUBE_BENCH_STATUS = {"PASS": "pass", "FAIL": "fail", "WARN": "skip", "INFO": "skip"}


def _kube_bench_checks(report: Any, display: str, line: int) -> list[Result]:
    """Every check of a kube-bench --json report: ``{"Controls": [...]}`` or (older) a list of controls."""
    controls = report.get("Controls") if isinstance(report, dict) and "Controls" in report else report
    if isinstance(controls, dict):
        controls = [controls]
    if not isinstance(controls, list):
        raise ResultsError(display, "not a kube-bench report: no list of controls", line)
    results: list[Result] = []
    for control in controls:
        if not isinstance(control, dict) or not isinstance(control.get("tests"), list):
            raise ResultsError(display, "a kube-bench control has no 'tests' list", line)
        suite = _text(control.get("text"), "a control's 'text'", display, line)
        for group in control["tests"]:
            checks = group.get("results") if isinstance(group, dict) else None
            if not isinstance(checks, list):
                raise ResultsError(display, "a kube-bench group has no 'results' list", line)
            for check in checks:
                if not isinstance(check, dict):
                    raise ResultsError(display, f"a kube-bench check is {_kind_of(check)}, not a mapping", line)
                number = _text(check.get("test_number"), "'test_number'", display, line, required=True)
                described = _text(check.get("test_desc"), "'test_desc'", display, line)
                raw_status = _text(check.get("status"), "'status'", display, line).upper()
                results.append(
                    Result(
                        name=f"{number} {described}".strip(),  # as kube-bench names it in its JUnit output
                        status=_KUBE_BENCH_STATUS.get(raw_status, "other"),
                        source=display,
                        suite=suite,
                        tool="kube-bench",
                    )
                )
                _check_count(results, display, line)
    return results


class KubeBenchReader:
    name = "kube-bench"
    description = 'kube-bench --json reports ({"Controls": [...]} or a list of controls)'

    def sniff(self, path: Path, head: bytes) -> bool:
        # Xtesting records may hold a kube-bench report in their details: those name a case first
        report = b'"Controls"' in head or b'"node_type"' in head
        return _starts_with(head, b"{", b"[") and report and b'"case_name"' not in head

    def read(self, path: Path, display: str) -> list[Result]:
        text = _json_text(_read_bytes(path, display, MAX_DOCUMENT_BYTES), display)
        results: list[Result] = []
        for line, value in json_records(text, display):
            results.extend(_kube_bench_checks(value, display, line))
        for result in results:
            result.run = path.name  # a kube-bench report names no run
        return results


# -- CNF test suite --------------------------------------------------------------------

_CNF_STATUS = {"passed": "pass", "failed": "fail", "skipped": "skip", "na": "skip", "error": "error"}
_CNF_DATE = re.compile(r"(\d{8})-(\d{6})")


def _cnf_items(data: dict[str, Any], lines: dict[int, int], display: str, top: int, suite: str) -> list[Result]:
    results: list[Result] = []
    for index, item in enumerate(data["items"]):
        line = lines.get(id(item), top)
        if not isinstance(item, dict) or "name" not in item:
            raise ResultsError(display, f"item {index + 1} has no 'name'", line)
        name = _text(item["name"], "'name'", display, line, required=True)
        raw_status = _text(item.get("status"), "'status'", display, line)
        # "running" (schema v1: the task had not finished) and any other status: neither pass nor fail
        status = _CNF_STATUS.get(raw_status.lower(), "other")
        # start_time / end_time: only when the suite ran with TASK_TIMESTAMPS set
        ended = item.get("end_time") or item.get("start_time")
        try:  # the suite's own time format may vary: a time it cannot read leaves the item undated
            when = parse_date(ended if isinstance(ended, (str, datetime)) else None)
        except ValueError:
            when = None
        results.append(Result(name=name, status=status, source=display, date=when, suite=suite, tool="cnf-testsuite"))
        _check_count(results, display, line)
    return results


class CnfReader:
    name = "cnf-testsuite"
    description = "CNCF CNF test suite results (cnf-testsuite-results-*.yml, schema v0 and v1)"

    def sniff(self, path: Path, head: bytes) -> bool:
        return not _starts_with(head, b"{", b"[", b"<") and (b"testsuite_version" in head or b"points:" in head)

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
        state = _text(data.get("status"), "'status'", display, top).lower()
        results = _cnf_items(data, lines, display, top, suite)
        newest = max((r.date for r in results if r.date), default=None)
        for result in results:
            result.run = f"{run} {path.name}".strip()
            result.date = newest or date
            result.complete = state != "running"  # written while the suite was still running
        return results


BUILTIN_READERS: list[Reader] = [
    SonobuoyTarballReader(),
    CampaignZipReader(),
    JUnitReader(),
    KubeBenchReader(),
    XtestingReader(),
    CnfReader(),
    SonobuoyReader(),
]


def head_of(path: Path) -> bytes:
    try:
        with path.open("rb") as stream:
            return stream.read(4096)
    except OSError:
        return b""
