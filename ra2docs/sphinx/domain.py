"""The ``ra2`` domain: every catalogue ID is a cross-reference target.

Items are *defined* (get their anchor) on the generated reference pages;
``:ra2:item:`req.inf.ntw.03``` links to that definition from anywhere, and
every definition lands in ``objects.inv`` for intersphinx.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Set
from typing import Any, ClassVar, cast

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
from ra2docs.sphinx.state import known_item, loaded, note_references

logger = logging.getLogger(__name__)


class ItemRole(XRefRole):
    """``:ra2:item:`ID``` — warns at parse time, with a did-you-mean, for unknown IDs."""

    def process_link(
        self, env: BuildEnvironment, refnode: Element, has_explicit_title: bool, title: str, target: str
    ) -> tuple[str, str]:
        target = target.strip()
        known_item(env, target, refnode)
        # Shown as a link only: also noted when unknown, so that the page is read again once it exists.
        note_references(env, (target,))
        return title, target


class RA2Domain(Domain):
    name = "ra2"
    label = "RA2 catalogue"
    object_types = {kind.name: ObjType(kind.label, "item") for kind in builtin_kinds().values()}
    roles = {"item": ItemRole(innernodeclass=nodes.literal)}
    # id -> {docname: (anchor, kind, title, priority)}: every place that can be an item's link target.
    # The target is the one of lowest priority (0: a catalogue entry; 1: the row of the table of the
    # item's own section), then of first page name, whatever order pages were read in (-j).
    initial_data: ClassVar[dict[str, Any]] = {"targets": {}, "pages": {}}  # pages: docname -> the IDs it defines
    data_version = 3

    @property
    def targets(self) -> dict[str, dict[str, tuple[str, str, str, int]]]:
        return self.data.setdefault("targets", {})

    def target_of(self, item_id: str) -> tuple[str, str, str, str] | None:
        """(docname, anchor, kind, title) of the item's link target, if any page defines it.

        Kept once found, until a page is read, cleared or merged again: writing asks for the
        target of every link, hundreds of thousands of times on a large catalogue.
        """
        found: dict[str, tuple[str, str, str, str] | None] | None = self.__dict__.get("_found")
        if found is None:
            found = self.__dict__["_found"] = {}
        elif item_id in found:
            return found[item_id]
        places = self.targets.get(item_id)
        target = None
        if places:
            docname, (anchor, kind, title, _priority) = min(places.items(), key=lambda p: (p[1][3], p[0]))
            target = (docname, anchor, kind, title)
        found[item_id] = target
        return target

    def _forget_targets(self) -> None:
        self.__dict__.pop("_found", None)

    def _keep_before(self, item_ids: Iterable[str]) -> None:
        """Remember where these items' links pointed before this build changed their places."""
        before: dict[str, tuple[str, str] | None] = self.__dict__.setdefault("_before", {})
        for item_id in item_ids:
            if item_id not in before:
                target = self.target_of(item_id)
                before[item_id] = target[:2] if target else None

    def moved_targets(self) -> set[str]:
        """The items whose link target (page, anchor) this build moved, added or removed; then forgotten.

        Links are resolved when a page is written, so a page linking to such an item
        must be written again, though nothing it shows changed (see ``state.moved``).
        """
        before: dict[str, tuple[str, str] | None] = self.__dict__.pop("_before", {})
        moved = set()
        for item_id, was in before.items():
            target = self.target_of(item_id)
            if (target[:2] if target else None) != was:
                moved.add(item_id)
        return moved

    def note_object(
        self, item_id: str, kind: str, title: str, anchor: str, location: Any = None, priority: int = 0
    ) -> None:
        self._keep_before((item_id,))
        self._forget_targets()
        places = self.targets.setdefault(item_id, {})
        docname = self.env.docname
        same = [d for d, place in places.items() if place[3] == priority and d != docname]
        if same and priority == 0:
            logger.warning(
                f"catalogue item {item_id!r} is defined on two pages ({same[0]} and {docname})",
                location=location,
                type="ra2docs",
                subtype="defined-twice",
            )
        previous = places.get(docname)
        if previous is None or priority < previous[3]:
            places[docname] = (anchor, kind, title, priority)
        self.data.setdefault("pages", {}).setdefault(docname, set()).add(item_id)

    def clear_doc(self, docname: str) -> None:
        self._keep_before(self.data.setdefault("pages", {}).get(docname, ()))
        self._forget_targets()
        for key in self.data.setdefault("pages", {}).pop(docname, set()):
            places = self.targets.get(key, {})
            places.pop(docname, None)
            if not places:
                self.targets.pop(key, None)

    def check_consistency(self) -> None:
        """Every catalogue item is shown somewhere: one that no page anchors is a warning (-W fails).

        A table whose ``:ids:`` leave out a new item, a gap no ``ra2:fields`` shows:
        an edit of such an item would change no page, so the build says so.
        """
        st = loaded(self.env)
        if st is None or not self.env.config.ra2docs_every_item_shown:
            return
        missing = [item_id for item_id in st.catalogue.items if item_id not in self.targets]
        if missing:
            shown = ", ".join(missing[:10]) + (f" and {len(missing) - 10} more" if len(missing) > 10 else "")
            logger.warning(
                f"ra2docs: {len(missing)} catalogue item(s) are shown on no page (no table row, entry or "
                f"ra2:fields anchors them): {shown}; add them to a table's :ids: or a directive, or set "
                "ra2docs_every_item_shown = False",
                type="ra2docs",
                subtype="not-shown",
            )

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        self._keep_before(key for key, places in otherdata["targets"].items() if not docnames.isdisjoint(places))
        self._forget_targets()
        for key, places in otherdata["targets"].items():
            mine = self.targets.setdefault(key, {})
            for docname, place in places.items():
                if docname in docnames:
                    mine[docname] = place
        pages = self.data.setdefault("pages", {})
        for docname, ids in otherdata.get("pages", {}).items():
            if docname in docnames:
                pages[docname] = set(ids)

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
        found = self.target_of(target)
        if found is None:
            return None
        docname, anchor, _kind, _title = found
        # No tooltip with the target's title: a page depends on what its own items say,
        # so that editing one item's title rewrites only the pages that show that item.
        return make_refnode(builder, fromdocname, docname, anchor, contnode)

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
        for item_id in sorted(self.targets):
            found = self.target_of(item_id)
            if found is not None:
                docname, anchor, kind, _title = found
                # The display name is the ID alone: Sphinx's search builds a result's anchor from it
                # (an ID and a title would give an anchor that does not exist).
                yield item_id, item_id, kind, docname, anchor, 1


def ra2_domain(env: BuildEnvironment) -> RA2Domain:
    """The build's ra2 domain, as its own type (``env.get_domain`` names only the base class)."""
    return cast(RA2Domain, env.get_domain("ra2"))
