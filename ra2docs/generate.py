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

from ra2docs.findings import Ra2docsError
from ra2docs.graph import TraceGraph
from ra2docs.markup import escape, heading
from ra2docs.model import Catalogue, Section, natural_key
from ra2docs.outputs import OutputFolder
from ra2docs.rules import all_rules


class Helpers:
    """What templates may ask of the catalogue beyond its data (``t`` in templates)."""

    def __init__(self, catalogue: Catalogue, graph: TraceGraph, verdicts: Any = None) -> None:
        self.catalogue = catalogue
        self.graph = graph
        self.verdicts = verdicts

    @property
    def has_results(self) -> bool:
        """Whether result files were read (a verdict column is worth showing)."""
        return self.verdicts is not None

    def ref(self, item_id: str) -> str:
        return f":ra2:item:`{item_id.replace('`', '')}`"

    def section(self, number: str) -> Section:
        return self.catalogue.sections.get(number) or Section(number, "")


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
        "t": Helpers(catalogue, graph, verdicts),
        "rules": list(all_rules().values()),
    }
    pages: dict[str, str] = {}
    for spec in specs:
        try:
            template = env.get_template(spec.template)
            if spec.for_each == "kind":
                for kind in catalogue.kinds.values():
                    items = catalogue.by_kind(kind.name)
                    if items:  # a kind the catalogue has no item of gets no page: no empty page in the navigation
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
