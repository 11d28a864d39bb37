"""Safe YAML reading that keeps the line and column of every value.

PyYAML's loaders lose positions and silently keep the last of two duplicate
keys. Catalogue files are composed into a node tree with the safe (C where
present) composer and then turned into plain Python data here, so that every
value can be traced back to ``file:line:column`` and duplicate keys, aliases
and non-standard tags become findings instead of silent data loss.

Positions are looked up on demand by walking the kept node tree along a path
of keys and indexes, so that reading a large catalogue costs no bookkeeping
for the many values that never need a position.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ra2docs.findings import Finding
from ra2docs.rules import ra101_unreadable_file as ra101
from ra2docs.rules import ra102_yaml_syntax as ra102
from ra2docs.rules import ra103_duplicate_key as ra103
from ra2docs.rules import ra104_yaml_value as ra104
from ra2docs.rules import ra105_not_a_catalogue_file as ra105
from ra2docs.rules import ra107_line_endings as ra107
from ra2docs.rules import ra108_unsafe_yaml as ra108
from ra2docs.rules import ra604_control_character as ra604

try:  # The C composer is several times faster on large catalogues.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]  # libyaml missing: the same API

Path_ = tuple[str | int, ...]

_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_NUMBERS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
# Scalars with these tags are plain YAML 1.1 data; anything else
# (!!python/object, custom !tags, !!binary ...) is refused.
_PLAIN_TAGS = {
    _STR,
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    _TIMESTAMP,
    _MAP,
    _SEQ,
}

# Limits on the work of reading one file, whatever it holds (README, "What input is
# trusted"). Composing YAML costs about 300 bytes of memory a value, so a file of
# short values ('a, a, a, ...') would cost 150 times its size: values are counted
# before the file is composed. A catalogue file of 25,000 items (the benchmark's
# shape) holds about 8 MB and 400,000 values.
MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_VALUES = 1_000_000  # YAML values of one file: scalars, keys, lists and mappings
MAX_KEYS = 1_000  # keys of one mapping (an item has a few dozen at most)
MAX_TEXT = 65_536  # characters of one value; RA2's longest is under 1,000
MAX_FINDINGS = 10_000  # findings while reading one file; past this, the rest of it is not checked
MAX_DEPTH = 64
MAX_NUMBER_CHARS = 100  # an unquoted number longer than this is read as text, with a finding


@dataclass
class YamlDocument:
    """The data of one YAML file and, on demand, the position of each value in it."""

    path: Path
    data: Any = None
    root: Any = None  # the composed node tree
    findings: list[Finding] = field(default_factory=list)
    fatal: bool = False
    values: int = 0  # YAML values read (counted against the catalogue's limit)

    def _node(self, where: Path_, start: Any = None) -> tuple[Any, Any]:
        """The deepest node along ``where`` (from ``start``, else the root), and the key node of its last step."""
        node, key_node = (self.root if start is None else start), None
        for step in where:
            if isinstance(node, yaml.MappingNode):
                for k, v in node.value:
                    if isinstance(k, yaml.ScalarNode) and k.value == str(step):
                        node, key_node = v, k
                        break
                else:
                    return node, None
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
                node, key_node = node.value[step], None
            else:
                return node, None
        return node, key_node

    def position(self, where: Path_, start: Any = None) -> tuple[int, int]:
        """Line and column (1-based) of the value at ``where`` (below ``start``) or its nearest parent."""
        if self.root is None:
            return (1, 1)
        node, _ = self._node(where, start)
        return (node.start_mark.line + 1, node.start_mark.column + 1)

    def node(self, where: Path_) -> Any:
        """The node at ``where``, to look up several positions below it cheaply."""
        return self._node(where)[0] if self.root is not None else None

    def key_position(self, where: Path_) -> tuple[int, int]:
        """Line and column of the key of the mapping entry at ``where``."""
        if self.root is None:
            return (1, 1)
        node, key_node = self._node(where)
        mark = (key_node or node).start_mark
        return (mark.line + 1, mark.column + 1)

    def end_line(self, where: Path_) -> int:
        """The last line of the collection at ``where``."""
        if self.root is None:
            return 0
        node, _ = self._node(where)
        end = node.end_mark
        # A flow collection ends just past its closing bracket, on its own
        # line; a block one ends where the next token starts.
        return end.line + 1 if getattr(node, "flow_style", False) else end.line


class _TooManyFindings(Exception):
    """Reading a file stops: it has more problems than anyone will read."""


class _Builder:
    def __init__(self, doc: YamlDocument, display: str, raw_unsafe: bool) -> None:
        self.doc = doc
        self.display = display
        self.constructor = yaml.constructor.SafeConstructor()
        self.seen: set[int] = set()
        self.reported: set[int] = set()
        # Whether unescaped unsafe characters occur in the file: then every text is
        # looked at, else only double-quoted ones (the only others that can hold any).
        self.raw_unsafe = raw_unsafe

    def error(self, finding: Finding, node: yaml.Node) -> None:
        """Place a rule's finding at ``node``."""
        if len(self.doc.findings) >= MAX_FINDINGS:
            raise _TooManyFindings
        self.doc.findings.append(finding.placed(self.display, node.start_mark.line + 1, node.start_mark.column + 1))

    def refuse(self, finding: Finding, node: yaml.Node) -> None:
        """Place a safety finding (RA108) at ``node``: it is fatal, the file is not read."""
        self.doc.fatal = True
        self.error(finding, node)

    def build(self, node: yaml.Node, depth: int = 0) -> Any:
        tag = node.tag
        if tag == _STR and type(node) is yaml.ScalarNode:  # the common case, fast
            if id(node) in self.seen:
                return self._alias(node)
            self.seen.add(id(node))
            value = node.value
            if len(value) > MAX_TEXT or node.style == '"' or self.raw_unsafe:
                return self._text(node, value)
            return value
        if depth > MAX_DEPTH:
            self.refuse(ra108.too_deep(MAX_DEPTH), node)
            return None
        if id(node) in self.seen:
            return self._alias(node)
        if tag not in _PLAIN_TAGS:
            self.refuse(ra108.tag_not_allowed(tag), node)
            return None
        self.seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(child, depth + 1) for child in node.value]
        assert isinstance(node, yaml.ScalarNode)  # the composer makes no other node
        if tag in _NUMBERS and len(node.value) > MAX_NUMBER_CHARS:
            # No number in a catalogue is this long; int() of 4,300 digits or more fails (and
            # takes quadratic time before that): refused before it is converted.
            self.refuse(ra108.long_number(len(node.value), MAX_NUMBER_CHARS), node)
            return node.value
        if tag == _TIMESTAMP:
            # Dates stay as written ('2024-05-01'); whether the day exists is the schema's question
            # (RA201), not a construction error that would lose the value.
            return node.value
        try:
            value = self.constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError) as exc:
            self.error(ra104.unreadable_value(exc), node)
            return None
        return self._checked_scalar(node, value)

    def _text(self, node: yaml.ScalarNode, value: str) -> str:
        """A text value, cut to the limit (the file is refused) and with control characters replaced."""
        if len(value) > MAX_TEXT:
            self.refuse(ra108.value_too_long(len(value), MAX_TEXT), node)
            value = value[:MAX_TEXT]
        value, unsafe = ra604.clean(value)
        if unsafe:
            self.error(ra604.control_character(unsafe[0], len(unsafe)), node)
        return value

    def _alias(self, node: yaml.Node) -> None:
        # The composer hands back the same node object for every *alias; say it once per anchor.
        if id(node) in self.reported:
            return None
        self.reported.add(id(node))
        self.refuse(ra108.alias(), node)
        return None

    def _checked_scalar(self, node: yaml.ScalarNode, value: Any) -> Any:
        """Catch YAML 1.1 surprises: ``1:1`` read as 61, ``No`` as false, dates."""
        text = node.value
        if isinstance(value, bool):
            if text.lower() not in ("true", "false"):
                self.error(ra104.read_as_boolean(text, value), node)
                return text
        elif isinstance(value, (int, float)):
            canonical = {str(value), repr(value)}
            if text not in canonical and text.lstrip("+") not in canonical:
                self.error(ra104.read_as_number(text, value), node)
                return text
        return value

    def _mapping(self, node: yaml.MappingNode, depth: int) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        if len(node.value) > MAX_KEYS:
            # Every finding about a key looks it up in this mapping: thousands of keys would
            # make reporting them quadratic, and no catalogue mapping needs them.
            self.refuse(ra108.too_many_keys(MAX_KEYS), node)
            return result
        first_seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                self.refuse(ra108.key_not_scalar(), key_node)
                continue
            key = self.build(key_node, depth + 1)
            if not isinstance(key, (str, int, float, bool)) and key is not None:
                self.refuse(ra108.key_not_plain(key), key_node)
                continue
            if key in first_seen:
                self.error(ra103.duplicate_key(key, first_seen[key]), key_node)
                continue
            first_seen[key] = key_node.start_mark.line + 1
            result[key] = self.build(value_node, depth + 1)
        return result


def read_regular_file(path: Path, limit: int = MAX_FILE_BYTES) -> bytes | Finding:
    """The bytes of ``path`` if it is a regular file of at most ``limit`` bytes, else why not.

    A symbolic link is refused at the open itself (O_NOFOLLOW), so a link put in
    place after the folder was listed is not followed either; a FIFO or a device
    is refused before anything is read from it.
    """
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return ra101.symbolic_link(folder=False)
        return ra101.cannot_read(str(exc.strerror or exc))
    with os.fdopen(descriptor, "rb") as stream:
        info = os.fstat(stream.fileno())
        if not stat.S_ISREG(info.st_mode):
            return ra101.not_a_regular_file()
        if info.st_size > limit:
            return ra101.file_too_large(info.st_size, limit)
        raw = stream.read(limit + 1)
    if len(raw) > limit:  # it grew since it was looked at
        return ra101.file_too_large(len(raw), limit)
    return raw


def count_values(text: str, limit: int = MAX_VALUES) -> tuple[int, int]:
    """``(0, 0)`` when ``text`` holds at most ``limit`` YAML values, else the line and column where it passes it.

    Every value but the first ends at one of ``,:-[]{}?`` or a line end, and a
    flow mapping key may bring an implicit null: at most twice those plus one
    values. Only a file over that bound is counted exactly, by the parser's
    events, which cost no memory (a file with a syntax error is left to the
    composer to report).
    """
    if 2 * sum(text.count(c) for c in ",:-[]{}?\n") + 1 <= limit:
        return 0, 0
    parser = _Loader(text)
    count = 0
    try:
        while parser.check_event():
            event = parser.get_event()
            if isinstance(event, (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent, yaml.AliasEvent)):
                count += 1
                if count > limit:
                    mark = event.start_mark
                    assert mark is not None  # the parser marks every event it makes
                    return mark.line + 1, mark.column + 1
    except yaml.YAMLError:
        pass
    finally:
        parser.dispose()
    return 0, 0


def read_yaml(
    path: Path, display: str | None = None, text: str | None = None, raw: bytes | Finding | None = None
) -> YamlDocument:
    """Read one YAML file safely; problems become findings on the document.

    ``text`` or ``raw`` (what ``read_regular_file`` gave) are what the file holds, when already read.
    """
    display = display or str(path)
    doc = YamlDocument(path=path)
    if text is None:
        raw = read_regular_file(path) if raw is None else raw
        if isinstance(raw, Finding):
            doc.findings.append(raw.placed(display, 1, 1))
            doc.fatal = True
            return doc
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            doc.findings.append(ra101.not_utf8(raw[exc.start], exc.start).placed(display, line, 1))
            doc.fatal = True
            return doc
    else:
        text = text.removeprefix("\ufeff")
    if "\r" in text:
        carriage_returns = text.count("\r")
        doc.findings.append(
            ra107.carriage_returns(carriage_returns).placed(display, text.count("\n", 0, text.index("\r")) + 1, 1)
        )
    line, column = count_values(text)
    if line:
        doc.findings.append(ra108.too_many_values(MAX_VALUES).placed(display, line, column))
        doc.fatal = True
        return doc
    try:
        nodes = list(yaml.compose_all(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or str(exc)
        lines = text.splitlines()
        line_text = lines[line - 1] if 0 < line <= len(lines) else ""
        indentation = line_text[: len(line_text) - len(line_text.lstrip())]
        tabs = "\t" in problem or "tab" in problem or "\t" in indentation
        doc.findings.append(ra102.syntax_error(problem, tabs).placed(display, line, col))
        doc.fatal = True
        return doc
    except (yaml.YAMLError, RecursionError) as exc:
        doc.findings.append(ra102.syntax_error(str(exc), located=False).placed(display, 1, 1))
        doc.fatal = True
        return doc
    if len(nodes) > 1:
        second = nodes[1]
        line = second.start_mark.line + 1 if second is not None else 1
        doc.findings.append(ra102.several_documents().placed(display, line, 1))
        doc.fatal = True
        return doc
    if not nodes or nodes[0] is None:
        doc.data = None
        return doc
    doc.root = nodes[0]
    builder = _Builder(doc, display, raw_unsafe=bool(ra604.RAW.search(text)))
    try:
        doc.data = builder.build(nodes[0])
    except RecursionError:
        doc.findings.append(ra108.nested_too_deeply().placed(display, 1, 1))
        doc.fatal = True
    except _TooManyFindings:
        last = doc.findings[-1]
        doc.findings.append(ra105.too_many_findings(MAX_FINDINGS).placed(display, last.line, last.column))
        doc.data = None
        doc.fatal = True
    doc.values = len(builder.seen)
    return doc
