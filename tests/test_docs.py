"""The README and the documentation site (docs/) say what the code is.

The README stays short and its diagram names modules and classes that exist; docs/ builds with
-W using ra2docs itself, its rules page lists every rule module, and every conf.py value the
extension registers is documented.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ROOT

from ra2docs.rules import all_rules

DOCS = ROOT / "docs"


def diagram(text: str) -> str:
    """The code block that follows the 'How a page is made' heading."""
    section = text.split("How a page is made", 1)[1]
    return re.search(r"(?s)(?:```|::)\n(.*?)\n(?:```|\S)", section).group(1)


@pytest.mark.parametrize("source", ["README.md", "docs/architecture.rst"])
def test_the_diagram_of_how_a_page_is_made_names_the_code_as_it_is(source: str):
    drawn = diagram((ROOT / source).read_text(encoding="utf-8"))
    package = ROOT / "ra2docs"
    modules = set(re.findall(r"\b([a-z_]+)\.py\b", drawn))
    assert {"loader", "yamlsource", "tables", "deferred", "expand", "export"} <= modules
    for module in modules:
        assert list(package.rglob(f"{module}.py")), f"{source}: {module}.py is drawn but not in ra2docs/"
    for folder in re.findall(r"\b([a-z]+)/(?!\w)", drawn):
        assert folder == "catalogue" or (package / folder).is_dir(), f"{source}: {folder}/ is drawn but not a package"
    for module, name in re.findall(r"\b([a-z]+)\.([A-Z]\w+)", drawn):
        assert re.search(rf"^class {name}\b", (package / f"{module}.py").read_text(), re.M), f"{module}.{name}"
    for name in re.findall(r"\b([A-Z][a-z]+[A-Z]\w+) \((\w+)\.py\)", drawn):
        assert re.search(rf"^class {name[0]}\b", next(package.rglob(f"{name[1]}.py")).read_text(), re.M), name


def test_the_readme_is_short_and_points_at_every_page_of_the_documentation():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 150
    pages = sorted(p.name for p in DOCS.glob("*.rst") if p.name != "index.rst")
    assert [p for p in pages if p not in readme] == []
    assert "ra2docs render" not in readme and "`render`" not in readme  # a command that no longer exists


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    """docs/ built in-process with -W (as `make docs`), and the conf values the extension registered."""
    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace

    out = tmp_path_factory.mktemp("docs")
    with docutils_namespace():  # as sphinx-build: what the build registers in docutils goes with it
        app = Sphinx(
            str(DOCS), str(DOCS), str(out / "html"), str(out / "doctrees"), "html", warningiserror=True, status=None
        )
        app.build()
    names = [getattr(value, "name", value) for value in app.config]  # Sphinx 7.3+ yields ConfigValue, older names
    return out / "html", {name: app.config[name] for name in names if name.startswith("ra2docs_")}


@pytest.mark.build
def test_the_documentation_builds_and_its_rules_page_lists_every_rule(built):
    html, _ = built
    rules = (html / "_generated" / "rules.html").read_text(encoding="utf-8")
    for rule in all_rules().values():
        assert f'id="rule-{rule.code.lower()}"' in rules, rule.code
    catalogue = (html / "catalogue.html").read_text(encoding="utf-8")
    # the example catalogue, rendered by the directives on the page
    assert "IPv6DualStack" in catalogue and "Networking Solution with DANM" in catalogue
    assert catalogue.count("req.inf.ntw.04") >= 3  # in the YAML shown, its table's row and the entry's trace


@pytest.mark.build
def test_every_conf_value_of_the_extension_is_documented(built):
    _, values = built
    assert len(values) >= 18
    documented = "\n".join(p.read_text(encoding="utf-8") for p in DOCS.glob("*.rst"))
    missing = [name for name in values if f"``{name}``" not in documented]
    assert missing == []
    table = (DOCS / "extension.rst").read_text(encoding="utf-8")
    listed = set(re.findall(r"^   \* - ``(ra2docs_\w+)``", table, re.M))
    assert set(values) - listed == {"ra2docs_severity"}  # refused since it moved to the settings file
