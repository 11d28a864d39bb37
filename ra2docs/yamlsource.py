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

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ra2docs.findings import Finding
from ra2docs.rules import ra101_unreadable_file as ra101
from ra2docs.rules import ra102_yaml_syntax as ra102
from ra2docs.rules import ra103_duplicate_key as ra103
from ra2docs.rules import ra104_yaml_value as ra104

try:  # The C composer is several times faster on large catalogues.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

Path_ = tuple[str | int, ...]

_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
# Scalars with these tags are plain YAML 1.1 data; anything else
# (!!python/object, custom !tags, !!binary ...) is refused.
_PLAIN_TAGS = {
    _STR,
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    _MAP,
    _SEQ,
}

MAX_DEPTH = 64


@dataclass
class YamlDocument:
    """The data of one YAML file and, on demand, the position of each value in it."""

    path: Path
    data: Any = None
    root: Any = None  # the composed node tree
    findings: list[Finding] = field(default_factory=list)
    fatal: bool = False

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


class _Builder:
    def __init__(self, doc: YamlDocument, display: str) -> None:
        self.doc = doc
        self.display = display
        self.constructor = yaml.constructor.SafeConstructor()
        self.seen: set[int] = set()
        self.reported: set[int] = set()

    def error(self, finding: Finding, node: yaml.Node) -> None:
        """Place a rule's finding at ``node``."""
        self.doc.findings.append(finding.placed(self.display, node.start_mark.line + 1, node.start_mark.column + 1))

    def build(self, node: yaml.Node, depth: int = 0) -> Any:
        tag = node.tag
        if tag == _STR and type(node) is yaml.ScalarNode:  # the common case, fast
            if id(node) in self.seen:
                return self._alias(node)
            self.seen.add(id(node))
            return node.value
        if depth > MAX_DEPTH:
            self.error(ra104.too_deep(MAX_DEPTH), node)
            self.doc.fatal = True
            return None
        if id(node) in self.seen:
            return self._alias(node)
        if tag not in _PLAIN_TAGS:
            self.error(ra104.tag_not_allowed(tag), node)
            return None
        self.seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(child, depth + 1) for child in node.value]
        try:
            value = self.constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError) as exc:
            self.error(ra104.unreadable_value(exc), node)
            return None
        return self._checked_scalar(node, value)

    def _alias(self, node: yaml.Node) -> None:
        # The composer hands back the same node object for every *alias; say it once per anchor.
        self.doc.fatal = True
        if id(node) in self.reported:
            return None
        self.reported.add(id(node))
        self.error(ra104.alias(), node)
        return None

    def _checked_scalar(self, node: yaml.ScalarNode, value: Any) -> Any:
        """Catch YAML 1.1 surprises: ``1:1`` read as 61, ``No`` as false, dates."""
        text = node.value
        if node.tag == "tag:yaml.org,2002:timestamp":
            return text  # dates stay as written: '2024-05-01'
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
        first_seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                self.error(ra104.key_not_scalar(), key_node)
                continue
            key = self.build(key_node, depth + 1)
            if not isinstance(key, (str, int, float, bool)) and key is not None:
                self.error(ra104.key_not_plain(key), key_node)
                continue
            if key in first_seen:
                self.error(ra103.duplicate_key(key, first_seen[key]), key_node)
                continue
            first_seen[key] = key_node.start_mark.line + 1
            result[key] = self.build(value_node, depth + 1)
        return result


def read_yaml(path: Path, display: str | None = None, text: str | None = None) -> YamlDocument:
    """Read one YAML file safely; problems become findings on the document."""
    display = display or str(path)
    doc = YamlDocument(path=path)
    if text is None:
        try:
            raw = path.read_bytes()
        except OSError as exc:
            doc.findings.append(ra101.cannot_read(str(exc.strerror)).placed(display, 1, 1))
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
    builder = _Builder(doc, display)
    try:
        doc.data = builder.build(nodes[0])
    except RecursionError:
        doc.findings.append(ra104.nested_too_deeply().placed(display, 1, 1))
        doc.fatal = True
    return doc
