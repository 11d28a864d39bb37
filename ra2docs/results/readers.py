"""Built-in readers: e2e / Sonobuoy JUnit XML, Sonobuoy results YAML and tarballs,
Xtesting result records, CNF test suite results.

Untrusted input throughout: XML goes through defusedxml (no DTDs, no entities,
no external references), YAML through the safe loader, tarballs are read
member by member in memory and never extracted.
"""

from __future__ import annotations

import json
import re
import tarfile
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree as SafeET
import yaml
from defusedxml import DefusedXmlException

from ra2docs.results.model import MAX_BYTES, Result, ResultsError, parse_date

try:
    from yaml import CSafeLoader as _YamlLoader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _YamlLoader  # type: ignore[assignment]


def _read_bytes(path: Path, display: str) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ResultsError(display, f"file is {size} bytes, more than the {MAX_BYTES} a result file may have")
        return path.read_bytes()
    except OSError as exc:
        raise ResultsError(display, f"cannot read: {exc.strerror}") from None


# -- JUnit XML (Kubernetes e2e, Ginkgo; also any JUnit) ------------------------------------

_JUNIT_STATUS = {"passed": "pass", "failed": "fail", "skipped": "skip", "pending": "skip", "error": "error"}


def parse_junit(data: bytes, display: str) -> list[Result]:
    try:
        root = SafeET.fromstring(data, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise ResultsError(
            display,
            f"refused: {type(exc).__name__} (DTDs, entities and external references are not allowed)",
            hint="result files are plain XML; remove the <!DOCTYPE> declaration",
        ) from None
    except ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        raise ResultsError(display, f"not well-formed XML: {exc}", line, column + 1, "is the file complete?") from None
    if root.tag not in ("testsuites", "testsuite"):
        raise ResultsError(display, f"not JUnit XML: the root element is <{root.tag}>", hint="expected <testsuites>")
    suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
    results: list[Result] = []
    for suite in suites:
        suite_name = suite.get("name", "")
        date = parse_date(suite.get("timestamp"))
        run = " ".join(filter(None, [suite_name, suite.get("timestamp", "")]))
        for case in suite.iter("testcase"):
            name = case.get("name", "")
            status = _JUNIT_STATUS.get((case.get("status") or "").lower(), "")
            message = ""
            for child in case:
                if child.tag in ("failure", "error"):
                    status = "fail" if child.tag == "failure" else "error"
                    message = (child.get("message") or child.text or "").strip()[:500]
                elif child.tag == "skipped" and not status:
                    status = "skip"
            verifies: list[str] = []
            for prop in case.iter("property"):
                if prop.get("name") == "verifies":
                    verifies += [v for v in re.split(r"[\s,]+", prop.get("value", "")) if v]
            try:
                seconds = float(case.get("time", "")) if case.get("time") else None
            except ValueError:
                seconds = None
            results.append(
                Result(
                    name=name,
                    status=status or "pass",
                    source=display,
                    time=seconds,
                    run=run,
                    date=date,
                    suite=suite_name,
                    verifies=verifies,
                    message=message,
                )
            )
    return results


class JUnitReader:
    name = "junit"
    description = "JUnit XML: Kubernetes e2e (junit_01.xml, Ginkgo reporter) and any JUnit report"

    def sniff(self, path: Path, head: bytes) -> bool:
        return path.suffix.lower() == ".xml" or b"<testsuite" in head[:4096]

    def read(self, path: Path, display: str) -> list[Result]:
        return parse_junit(_read_bytes(path, display), display)


# -- Sonobuoy ------------------------------------------------------------------------

_SONOBUOY_STATUS = {"passed": "pass", "failed": "fail", "skipped": "skip", "unknown": "skip"}


def _load_yaml(data: bytes, display: str) -> Any:
    try:
        return yaml.load(data, Loader=_YamlLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        raise ResultsError(
            display, f"YAML syntax error: {exc.problem}", mark.line + 1 if mark else 0, mark.column + 1 if mark else 0
        ) from None
    except (yaml.YAMLError, RecursionError, ValueError) as exc:
        raise ResultsError(display, f"cannot read YAML: {exc}") from None


def parse_sonobuoy(data: Any, display: str) -> list[Result]:
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise ResultsError(
            display, "not a Sonobuoy results file: no 'items' list", hint="expected sonobuoy_results.yaml"
        )
    results: list[Result] = []
    plugin = str(data.get("name", ""))
    stack: list[tuple[Any, str]] = [(child, "") for child in reversed(data["items"])]
    while stack:
        node, suite = stack.pop()
        if not isinstance(node, dict):
            continue
        children = node.get("items")
        if isinstance(children, list) and children:
            stack.extend((child, str(node.get("name", suite))) for child in reversed(children))
            continue
        meta = node.get("meta")
        if isinstance(meta, dict) and meta.get("type") in ("file", "summary"):
            continue
        status = _SONOBUOY_STATUS.get(str(node.get("status", "")).lower())
        if status is None:
            continue
        details = node.get("details") if isinstance(node.get("details"), dict) else {}
        results.append(
            Result(
                name=str(node.get("name", "")),
                status=status,
                source=display,
                run=plugin,
                suite=suite,
                message=str(details.get("failure", ""))[:500],
            )
        )
    return results


class SonobuoyReader:
    name = "sonobuoy"
    description = "Sonobuoy processed results (plugins/<plugin>/sonobuoy_results.yaml)"

    def sniff(self, path: Path, head: bytes) -> bool:
        return (
            path.suffix.lower() in (".yaml", ".yml") and b"items:" in head and (b"meta:" in head or b"status:" in head)
        )

    def read(self, path: Path, display: str) -> list[Result]:
        return parse_sonobuoy(_load_yaml(_read_bytes(path, display), display), display)


class SonobuoyTarballReader:
    """The tarball ``sonobuoy retrieve`` writes; members are read in memory, never extracted."""

    name = "sonobuoy-tarball"
    description = "Sonobuoy results tarball (plugins/e2e/results/global/junit_01.xml inside)"
    member_limit = 256 * 1024 * 1024

    def sniff(self, path: Path, head: bytes) -> bool:
        return path.name.endswith((".tar.gz", ".tgz", ".tar")) or head[:2] == b"\x1f\x8b"

    def read(self, path: Path, display: str) -> list[Result]:
        results: list[Result] = []
        try:
            with tarfile.open(path, "r:*") as archive:
                found = False
                for member in archive:
                    name = member.name
                    unsafe = name.startswith(("/", "\\")) or ".." in Path(name).parts
                    if unsafe or member.islnk() or member.issym() or member.isdev():
                        raise ResultsError(
                            f"{display}:{name}",
                            "refused: the archive holds a link, a device or a path leaving the archive",
                            hint="only tarballs written by 'sonobuoy retrieve' are read; nothing is extracted",
                        )
                    if not member.isfile():
                        continue
                    is_junit = re.fullmatch(r"(.*/)?plugins/[^/]+/results/global/.*\.xml", name)
                    is_summary = re.fullmatch(r"(.*/)?plugins/[^/]+/sonobuoy_results\.yaml", name)
                    if not (is_junit or is_summary):
                        continue
                    if member.size > self.member_limit:
                        raise ResultsError(f"{display}:{name}", f"member is {member.size} bytes, too large")
                    stream = archive.extractfile(member)
                    if stream is None:
                        continue
                    data = stream.read()
                    where = f"{display}:{name}"
                    if is_junit:
                        found = True
                        results.extend(parse_junit(data, where))
                    elif not any(r.source.endswith(".xml") for r in results):
                        summary = parse_sonobuoy(_load_yaml(data, where), where)
                        results.extend(summary)
                        found = found or bool(summary)
        except (tarfile.TarError, EOFError, OSError) as exc:
            raise ResultsError(display, f"cannot read the tarball: {exc}") from None
        if not found:
            raise ResultsError(
                display,
                "no results in the tarball (plugins/<plugin>/results/global/*.xml or sonobuoy_results.yaml)",
            )
        # The summary repeats the JUnit file's cases; keep one of each.
        if any(r.source.endswith(".xml") for r in results):
            results = [r for r in results if r.source.endswith(".xml")]
        return results


# -- Xtesting ------------------------------------------------------------------------


def _json_records(text: str, display: str) -> list[Any]:
    """One JSON record, a list of them, or records one after the other (the file:// dump)."""
    text = text.strip()
    if not text:
        raise ResultsError(display, "the file is empty")
    decoder = json.JSONDecoder()
    records: list[Any] = []
    position = 0
    while position < len(text):
        try:
            value, end = decoder.raw_decode(text, position)
        except json.JSONDecodeError as exc:
            raise ResultsError(display, f"not JSON: {exc.msg}", exc.lineno, exc.colno) from None
        records.extend(value if isinstance(value, list) else [value])
        position = end
        while position < len(text) and text[position] in " \t\r\n,":
            position += 1
    return records


class XtestingReader:
    name = "xtesting"
    description = "Xtesting (Functest-Kubernetes) result records: a record, a list, or the file:// dump"

    def sniff(self, path: Path, head: bytes) -> bool:
        return path.suffix.lower() == ".json" or (head.lstrip()[:1] in (b"{", b"[") and b"case_name" in head)

    def read(self, path: Path, display: str) -> list[Result]:
        try:
            text = _read_bytes(path, display).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ResultsError(display, f"not UTF-8 (offset {exc.start})") from None
        results: list[Result] = []
        for index, record in enumerate(_json_records(text, display)):
            if not isinstance(record, dict) or "case_name" not in record or "criteria" not in record:
                raise ResultsError(
                    display,
                    f"record {index + 1} is not an Xtesting result (needs 'case_name' and 'criteria')",
                )
            criteria = str(record.get("criteria", "")).upper()
            start, stop = parse_date(record.get("start_date")), parse_date(record.get("stop_date"))
            seconds = (stop - start).total_seconds() if start and stop else None
            results.append(
                Result(
                    name=str(record["case_name"]),
                    status="pass" if criteria == "PASS" else "fail",
                    source=display,
                    time=seconds,
                    run=str(record.get("build_tag", "")),
                    date=stop or start,
                    suite=str(record.get("project_name", "")),
                    case_name=str(record["case_name"]),
                )
            )
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
        data = _load_yaml(_read_bytes(path, display), display)
        if not isinstance(data, dict) or not isinstance(data.get("items"), list):
            raise ResultsError(display, "not a CNF test suite results file: no 'items' list")
        date = None
        stamp = _CNF_DATE.search(path.name)  # cnf-testsuite-results-YYYYMMDD-HHMMSS-mmm.yml
        if stamp:
            day, clock = stamp.group(1), stamp.group(2)
            date = parse_date(f"{day[:4]}-{day[4:6]}-{day[6:]}T{clock[:2]}:{clock[2:4]}:{clock[4:]}")
        results = []
        for index, item in enumerate(data["items"]):
            if not isinstance(item, dict) or "name" not in item:
                raise ResultsError(display, f"item {index + 1} has no 'name'")
            status = _CNF_STATUS.get(str(item.get("status", "")).lower())
            if status is None:
                raise ResultsError(display, f"item {item['name']!r}: unknown status {item.get('status')!r}")
            results.append(
                Result(
                    name=str(item["name"]),
                    status=status,
                    source=display,
                    run=str(data.get("name", "")),
                    date=date,
                    suite=str(data.get("testsuite_version", "")),
                )
            )
        return results


BUILTIN_READERS = [SonobuoyTarballReader(), JUnitReader(), XtestingReader(), CnfReader(), SonobuoyReader()]


def head_of(path: Path) -> bytes:
    try:
        with path.open("rb") as stream:
            return stream.read(4096)
    except OSError:
        return b""
