"""Render reStructuredText pages from Jinja2 templates and the catalogue (no Sphinx here).

Used by the Sphinx extension (into ``source/_generated``) and usable on its
own. A page is only rewritten when its text changes, so that Sphinx's
incremental build leaves untouched pages alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from ra2docs import trace
from ra2docs.findings import Ra2docsError
from ra2docs.graph import TraceGraph
from ra2docs.markup import escape, heading
from ra2docs.model import Catalogue, Item, Section, is_mandatory, natural_key
from ra2docs.outputs import OutputFolder
from ra2docs.rules import all_rules

# What ``ra2docs render`` writes: the generated chapters as plain reStructuredText.
RENDER_PAGES: list[dict[str, str]] = [
    {"template": "chapter02.rst.j2", "output": "chapter02.rst"},
    {"template": "chapter04.rst.j2", "output": "chapter04.rst"},
    {"template": "chapter06.rst.j2", "output": "chapter06.rst"},
    {"template": "traceability.rst.j2", "output": "traceability.rst"},
    {"template": "comparisons.rst.j2", "output": "comparisons.rst"},
]


class Helpers:
    """What chapter templates may ask of the catalogue (``t`` in templates).

    ``mode="sphinx"`` writes IDs as ``:ra2:item:`` links; ``mode="plain"``
    writes them as literals, for RST that needs no ra2docs to read.
    """

    def __init__(self, catalogue: Catalogue, graph: TraceGraph, mode: str = "sphinx", verdicts: Any = None) -> None:
        self.catalogue = catalogue
        self.graph = graph
        self.mode = mode
        self.verdicts = verdicts

    @property
    def has_results(self) -> bool:
        """Whether result files were read (a verdict column is worth showing)."""
        return self.verdicts is not None

    def verdict(self, item: Item) -> str:
        """The item's verdict, as a badge (sphinx) or a word (plain)."""
        word = self.verdicts.of(item.id) if self.verdicts is not None else "no test"
        return f":ra2:verdict:`{word}`" if self.mode == "sphinx" else word

    def ref(self, item_id: str) -> str:
        if self.mode == "sphinx":
            return f":ra2:item:`{item_id.replace('`', '')}`"
        return f"``{item_id.replace('`', '')}``"

    def refs(self, ids: Iterable[str], empty: str = "") -> str:
        text = ", ".join(self.ref(i) for i in ids)
        return text or empty

    def section(self, number: str) -> Section:
        return self.catalogue.sections.get(number) or Section(number, "")

    def subsections(self, prefix: str) -> list[Section]:
        """Sections directly below ``prefix`` that hold items, in order."""
        numbers = {i.section for i in self.catalogue.items.values() if i.section}
        numbers |= set(self.catalogue.sections)
        depth = prefix.count(".") + 1
        chosen = [n for n in numbers if n.startswith(prefix + ".") and n.count(".") == depth]
        return [self.section(n) for n in sorted(chosen, key=natural_key) if self.items_in_section(n)]

    def items_in_section(self, number: str, kind: str | None = None) -> list[Item]:
        found = [i for i in self.catalogue.items.values() if i.section == number and (kind is None or i.kind == kind)]
        return sorted(found, key=lambda i: natural_key(i.id))

    def kind_items(self, kind: str) -> list[Item]:
        return self.catalogue.by_kind(kind)

    def has_values(self, items: Iterable[Item]) -> bool:
        return any(i.values for i in items)

    def mandatory(self, item: Item) -> bool:
        return is_mandatory(item)

    def specifications(self, item_id: str) -> list[str]:
        return trace.specifications_of(self.graph, item_id)

    def spec_refs(self, item: Item) -> str:
        """The chapter 2 'Specification Reference' cell: links, else N/A (bold when mandatory)."""
        specs = self.specifications(item.id)
        if specs:
            return self.refs(specs)
        return "**N/A**" if self.mandatory(item) else "N/A"

    def tests(self, item_id: str) -> list[str]:
        return trace.tests_of(self.graph, item_id)

    def text(self, item: Item) -> str:
        return item.data.get("description") or item.text or item.title

    # -- what the traceability report shows, for plain output (Sphinx uses directives) --

    def coverage(self, by: str = "section") -> list[trace.CoverageRow]:
        rows = trace.coverage(self.graph, by)
        return [*rows, trace.total(self.graph, rows)]

    def forward(self) -> list[trace.ForwardRow]:
        return trace.forward(self.graph)

    def tests_of_row(self, row: trace.ForwardRow) -> list[str]:
        return sorted({t for _, ts in row.specifications for t in ts} | set(row.direct_tests), key=natural_key)

    def gaps(self) -> trace.ComputedGaps:
        return trace.computed_gaps(self.graph)

    def level(self, comparison: Any, cell: Any) -> str:
        label = comparison.level_label(cell.level)
        return f"{label} ({cell.note})" if cell.note else label


@dataclass
class PageSpec:
    template: str
    output: str
    for_each: str = ""


def page_specs(raw: Iterable[dict[str, str]]) -> list[PageSpec]:
    specs = []
    for entry in raw:
        unknown = set(entry) - {"template", "output", "for_each"}
        if unknown or "template" not in entry or "output" not in entry:
            raise Ra2docsError(
                f"ra2docs_pages entry {entry!r}: needs 'template' and 'output' (and optionally 'for_each')"
            )
        if entry.get("for_each", "") not in ("", "kind", "comparison"):
            raise Ra2docsError(f"ra2docs_pages: for_each must be 'kind' or 'comparison', not {entry['for_each']!r}")
        specs.append(PageSpec(entry["template"], entry["output"], entry.get("for_each", "")))
    return specs


PACKAGE_TEMPLATES = Path(__file__).resolve().parent / "templates"


@lru_cache(maxsize=8)
def _environment(template_dir: Path | None) -> jinja2.Environment:
    """One environment per templates folder, so each template is compiled once (a diff renders twice).

    The package's templates are the defaults; a project's folder overrides them by name.
    """
    folders = [str(template_dir)] if template_dir is not None else []
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([*folders, str(PACKAGE_TEMPLATES)]),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # the output is reStructuredText; text goes through |rst
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["rst"] = escape
    env.filters["heading"] = heading
    env.filters["natural_sort"] = lambda values: sorted(values, key=natural_key)
    return env


def render_pages(
    catalogue: Catalogue,
    graph: TraceGraph,
    template_dir: Path | None,
    specs: list[PageSpec],
    mode: str = "sphinx",
    verdicts: Any = None,
) -> dict[str, str]:
    """Relative output path -> page text."""
    env = _environment(template_dir)
    base: dict[str, Any] = {
        "catalogue": catalogue,
        "graph": graph,
        "kinds": catalogue.kinds,
        "profiles": catalogue.profiles,
        "comparisons": catalogue.comparisons,
        "t": Helpers(catalogue, graph, mode, verdicts),
        "rules": list(all_rules().values()),
    }
    pages: dict[str, str] = {}
    for spec in specs:
        try:
            template = env.get_template(spec.template)
            if spec.for_each == "kind":
                for kind in catalogue.kinds.values():
                    items = catalogue.by_kind(kind.name)
                    pages[spec.output.format(kind=kind.name)] = template.render(base, kind=kind, items=items)
            elif spec.for_each == "comparison":
                for comp in catalogue.comparisons.values():
                    pages[spec.output.format(comparison=comp.id)] = template.render(base, comparison=comp)
            else:
                pages[spec.output] = template.render(base)
        except jinja2.TemplateNotFound as exc:
            where = f"{template_dir} or the package's templates" if template_dir else "the package's templates"
            raise Ra2docsError(f"template {exc.name!r} not found in {where}") from None
        except jinja2.TemplateSyntaxError as exc:
            raise Ra2docsError(f"{exc.filename}:{exc.lineno}: template syntax error: {exc.message}") from None
        except jinja2.UndefinedError as exc:
            raise Ra2docsError(f"template {spec.template!r}: {exc.message}") from None
    return pages


def write_pages(pages: dict[str, str], out_dir: Path, force: bool = False) -> list[Path]:
    """Write changed pages and delete the stale pages ra2docs wrote before; return the paths written.

    Only files ra2docs wrote (listed in the folder's manifest, unchanged since)
    are replaced or deleted; any other file is refused, or overwritten with ``force``.
    """
    folder = OutputFolder(out_dir, force)
    written = []
    try:
        for rel, text in sorted(pages.items()):
            if folder.write(rel, text.encode("utf-8")):
                written.append(out_dir / rel)
        folder.remove_stale(set(pages))
    finally:
        folder.save()  # what was written is recorded even when a later page is refused
    return written
