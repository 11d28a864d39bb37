"""The ``ra2`` domain: every catalogue ID is a cross-reference target.

Items are *defined* (get their anchor) on the generated reference pages;
``:ra2:item:`req.inf.ntw.03``` links to that definition from anywhere, and
every definition lands in ``objects.inv`` for intersphinx.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from docutils import nodes
from docutils.nodes import Element
from sphinx.addnodes import pending_xref
from sphinx.builders import Builder
from sphinx.domains import Domain, ObjType
from sphinx.environment import BuildEnvironment
from sphinx.roles import XRefRole
from sphinx.util import logging
from sphinx.util.nodes import make_refnode

from ra2docs.kinds import builtin_kinds
from ra2docs.sphinx.state import note_usage, state
from ra2docs.suggest import suggest_id

logger = logging.getLogger(__name__)


class ItemRole(XRefRole):
    """``:ra2:item:`ID``` — warns at parse time, with a did-you-mean, for unknown IDs."""

    def process_link(
        self, env: BuildEnvironment, refnode: Element, has_explicit_title: bool, title: str, target: str
    ) -> tuple[str, str]:
        target = target.strip()
        items = state(env).catalogue.items
        if target not in items:
            hint = suggest_id(target, items.keys())
            logger.warning(
                f"unknown catalogue ID {target!r}" + (f"; did you mean {hint!r}?" if hint else ""),
                location=refnode,
                type="ra2docs",
                subtype="unknown-id",
            )
        else:
            note_usage(env, target)
            item = items[target]
            refnode["reftitle"] = item.title
        return title, target


class RA2Domain(Domain):
    name = "ra2"
    label = "RA2 catalogue"
    object_types = {kind.name: ObjType(kind.label, "item") for kind in builtin_kinds().values()}
    roles = {"item": ItemRole(innernodeclass=nodes.literal)}
    initial_data: dict[str, Any] = {"objects": {}}  # id -> (docname, anchor, kind, title)
    data_version = 1

    @property
    def objects(self) -> dict[str, tuple[str, str, str, str]]:
        return self.data.setdefault("objects", {})  # type: ignore[no-any-return]

    def note_object(self, item_id: str, kind: str, title: str, anchor: str, location: Any = None) -> None:
        if item_id in self.objects and self.objects[item_id][0] != self.env.docname:
            other = self.objects[item_id][0]
            logger.warning(
                f"catalogue item {item_id!r} is defined on two pages ({other} and {self.env.docname})",
                location=location,
                type="ra2docs",
            )
        self.objects[item_id] = (self.env.docname, anchor, kind, title)

    def clear_doc(self, docname: str) -> None:
        for key, (doc, *_rest) in list(self.objects.items()):
            if doc == docname:
                del self.objects[key]

    def merge_domaindata(self, docnames: set[str], otherdata: dict[str, Any]) -> None:
        for key, value in otherdata["objects"].items():
            if value[0] in docnames:
                self.objects[key] = value

    def resolve_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        typ: str,
        target: str,
        node: pending_xref,
        contnode: Element,
    ) -> nodes.reference | None:
        found = self.objects.get(target)
        if found is None:
            return None
        docname, anchor, _kind, title = found
        return make_refnode(builder, fromdocname, docname, anchor, contnode, title or target)

    def resolve_any_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        target: str,
        node: pending_xref,
        contnode: Element,
    ) -> list[tuple[str, nodes.reference]]:
        ref = self.resolve_xref(env, fromdocname, builder, "item", target, node, contnode)
        return [("ra2:item", ref)] if ref is not None else []

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        for item_id, (docname, anchor, kind, title) in sorted(self.objects.items()):
            yield item_id, f"{item_id} {title}".strip(), kind, docname, anchor, 1
