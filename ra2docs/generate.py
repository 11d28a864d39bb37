"""Render reStructuredText pages from Jinja2 templates and the catalogue (no Sphinx here).

Used by the Sphinx extension (into ``source/_generated``) and usable on its
own. A page is only rewritten when its text changes, so that Sphinx's
incremental build leaves untouched pages alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from ra2docs.findings import Ra2docsError
from ra2docs.graph import TraceGraph
from ra2docs.model import Catalogue, natural_key

DEFAULT_PAGES: list[dict[str, str]] = [
    {"template": "reference-index.rst.j2", "output": "reference/index.rst"},
    {"template": "reference-kind.rst.j2", "output": "reference/{kind}.rst", "for_each": "kind"},
]

_INLINE = re.compile(r"([\\`*_|\[\]<>:])")


def rst_escape(text: Any) -> str:
    """Text safe to place inline in reStructuredText: no markup, no directives."""
    flat = " ".join(str(text).split())
    return _INLINE.sub(r"\\\1", flat)


def heading(text: Any, char: str = "=") -> str:
    title = rst_escape(text)
    return f"{title}\n{char * max(len(title), 4)}"


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


def _environment(template_dir: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(template_dir)),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # the output is reStructuredText; text goes through |rst
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["rst"] = rst_escape
    env.filters["heading"] = heading
    env.filters["natural_sort"] = lambda values: sorted(values, key=natural_key)
    return env


def render_pages(catalogue: Catalogue, graph: TraceGraph, template_dir: Path, specs: list[PageSpec]) -> dict[str, str]:
    """Relative output path -> page text."""
    env = _environment(template_dir)
    base: dict[str, Any] = {
        "catalogue": catalogue,
        "graph": graph,
        "kinds": catalogue.kinds,
        "profiles": catalogue.profiles,
        "comparisons": catalogue.comparisons,
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
            raise Ra2docsError(f"template {exc.name!r} not found in {template_dir}") from None
        except jinja2.TemplateSyntaxError as exc:
            raise Ra2docsError(f"{exc.filename}:{exc.lineno}: template syntax error: {exc.message}") from None
        except jinja2.UndefinedError as exc:
            raise Ra2docsError(f"template {spec.template!r}: {exc.message}") from None
    return pages


def write_pages(pages: dict[str, str], out_dir: Path) -> list[Path]:
    """Write changed pages, delete stale ones; return the paths written."""
    written = []
    out_dir.mkdir(parents=True, exist_ok=True)
    for rel, text in sorted(pages.items()):
        path = out_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        path.write_text(text, encoding="utf-8")
        written.append(path)
    wanted = {(out_dir / rel).resolve() for rel in pages}
    for path in sorted(out_dir.rglob("*.rst")):
        if path.resolve() not in wanted:
            path.unlink()
    return written
