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

    def error(self, rule: str, node: yaml.Node, message: str, hint: str = "") -> None:
        line, col = node.start_mark.line + 1, node.start_mark.column + 1
        self.doc.findings.append(Finding(rule, message, file=self.display, line=line, column=col, suggestion=hint))

    def build(self, node: yaml.Node, depth: int = 0) -> Any:
        tag = node.tag
        if tag == _STR and type(node) is yaml.ScalarNode:  # the common case, fast
            if id(node) in self.seen:
                return self._alias(node)
            self.seen.add(id(node))
            return node.value
        if depth > MAX_DEPTH:
            self.error(
                "RA104",
                node,
                f"nesting deeper than {MAX_DEPTH} levels",
                "flatten the structure; catalogue files need only a few levels",
            )
            self.doc.fatal = True
            return None
        if id(node) in self.seen:
            return self._alias(node)
        if tag not in _PLAIN_TAGS:
            self.error(
                "RA104",
                node,
                f"YAML tag {tag!r} is not allowed",
                "remove the tag; catalogue files hold plain strings, numbers, lists and mappings",
            )
            return None
        self.seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(child, depth + 1) for child in node.value]
        try:
            value = self.constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError) as exc:
            self.error("RA104", node, f"value cannot be read: {exc}", "quote the value to make it a string")
            return None
        return self._checked_scalar(node, value)

    def _alias(self, node: yaml.Node) -> None:
        # The composer hands back the same node object for every *alias; say it once per anchor.
        self.doc.fatal = True
        if id(node) in self.reported:
            return None
        self.reported.add(id(node))
        self.error(
            "RA104",
            node,
            "YAML anchors and aliases are not allowed in catalogue files",
            "write the value out where it is used",
        )
        return None

    def _checked_scalar(self, node: yaml.ScalarNode, value: Any) -> Any:
        """Catch YAML 1.1 surprises: ``1:1`` read as 61, ``No`` as false, dates."""
        text = node.value
        if node.tag == "tag:yaml.org,2002:timestamp":
            return text  # dates stay as written: '2024-05-01'
        if isinstance(value, bool):
            if text.lower() not in ("true", "false"):
                self.error(
                    "RA104",
                    node,
                    f"{text!r} is read by YAML as the boolean {str(value).lower()}",
                    f"quote it if you mean the text: '{text}'",
                )
                return text
        elif isinstance(value, (int, float)):
            canonical = {str(value), repr(value)}
            if text not in canonical and text.lstrip("+") not in canonical:
                self.error(
                    "RA104",
                    node,
                    f"{text!r} is read by YAML as the number {value!r}",
                    f"quote it to keep it as written: '{text}'",
                )
                return text
        return value

    def _mapping(self, node: yaml.MappingNode, depth: int) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        first_seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                self.error("RA104", key_node, "mapping keys must be plain scalars (no merge keys)", "")
                continue
            key = self.build(key_node, depth + 1)
            if not isinstance(key, (str, int, float, bool)) and key is not None:
                self.error("RA104", key_node, f"mapping key {key!r} is not a plain value", "")
                continue
            if key in first_seen:
                self.error(
                    "RA103",
                    key_node,
                    f"duplicate key {key!r} (first at line {first_seen[key]})",
                    "remove one of the two; YAML readers keep only the last, losing the first",
                )
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
            doc.findings.append(Finding("RA101", f"cannot read file: {exc.strerror}", file=display, line=1, column=1))
            doc.fatal = True
            return doc
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            doc.findings.append(
                Finding(
                    "RA101",
                    f"file is not UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})",
                    file=display,
                    line=line,
                    column=1,
                    suggestion="save the file as UTF-8",
                )
            )
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
        hint = (
            "YAML does not allow tabs for indentation; use spaces"
            if "\t" in problem or "tab" in problem or "\t" in indentation
            else "check the indentation and quoting on this line and the one before it"
        )
        doc.findings.append(
            Finding("RA102", f"YAML syntax error: {problem}", file=display, line=line, column=col, suggestion=hint)
        )
        doc.fatal = True
        return doc
    except (yaml.YAMLError, RecursionError) as exc:
        doc.findings.append(Finding("RA102", f"YAML syntax error: {exc}", file=display, line=1, column=1))
        doc.fatal = True
        return doc
    if len(nodes) > 1:
        second = nodes[1]
        doc.findings.append(
            Finding(
                "RA102",
                "file holds more than one YAML document ('---' separator)",
                file=display,
                line=second.start_mark.line + 1 if second is not None else 1,
                column=1,
                suggestion="keep one document per catalogue file",
            )
        )
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
        doc.findings.append(Finding("RA104", "structure nested too deeply", file=display, line=1, column=1))
        doc.fatal = True
    return doc
