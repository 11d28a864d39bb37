"""ra2docs' stylesheet and script reach the output under content-hashed names, the project's settings untouched."""

from __future__ import annotations

import hashlib
import io
import re
import shutil
from pathlib import Path

import pytest
from conftest import EDITION_2020, write
from sphinx.application import Sphinx
from sphinx.util.docutils import docutils_namespace

from ra2docs.sphinx import STATIC

pytestmark = pytest.mark.build

CONF = 'extensions = ["ra2docs.sphinx"]\nra2docs_catalogue = "../catalogue"\nra2docs_downloads = False\n'


def _project(tmp_path: Path) -> Path:
    shutil.copytree(EDITION_2020 / "catalogue", tmp_path / "catalogue")
    return write(
        tmp_path / "source",
        {
            "conf.py": CONF + 'html_static_path = ["own"]\n',
            "own/site.css": "body { color: black; }\n",
            "index.rst": "Index\n=====\n\n.. ra2:item:: req.gen.cnt.01\n",
        },
    )


def _build(source: Path, out: Path) -> tuple[Sphinx, str]:
    warnings = io.StringIO()
    with docutils_namespace():  # as sphinx-build: what the build registers in docutils goes with it
        app = Sphinx(str(source), str(source), str(out), str(out / ".doctrees"), "html", status=None, warning=warnings)
        app.build()
    return app, warnings.getvalue()


def _hashed(name: str) -> str:
    stem, suffix = name.rsplit(".", 1)
    return f"{stem}.{hashlib.sha256((STATIC / name).read_bytes()).hexdigest()[:12]}.{suffix}"


def test_the_files_are_copied_under_hashed_names_and_the_pages_link_them(tmp_path: Path):
    source = _project(tmp_path)
    out = tmp_path / "out"
    app, warnings = _build(source, out)
    assert app.statuscode == 0, warnings
    # as conf.py says (Sphinx's graphviz extension, which ra2docs loads, adds its own stylesheet)
    assert [p for p in app.config.html_static_path if not p.endswith("graphviz.css")] == ["own"]
    assert not any(Path(p).is_relative_to(STATIC.parent.parent) for p in app.config.html_static_path)
    static = out / "_static"
    for name in ("ra2docs.css", "ra2docs.js"):
        assert (static / _hashed(name)).read_bytes() == (STATIC / name).read_bytes()
        assert not (static / name).exists()
    assert (static / "site.css").is_file()  # the project's own static files still copied
    page = (out / "index.html").read_text(encoding="utf-8")
    assert re.search(rf'<link rel="stylesheet"[^>]*href="_static/{re.escape(_hashed("ra2docs.css"))}(\?v=\w+)?"', page)
    assert re.search(rf'<script defer="defer" src="_static/{re.escape(_hashed("ra2docs.js"))}(\?v=\w+)?"', page)


def test_a_rebuild_removes_earlier_copies_and_keeps_other_files(tmp_path: Path):
    source = _project(tmp_path)
    out = tmp_path / "out"
    _build(source, out)
    static = out / "_static"
    (static / "ra2docs.0123456789ab.css").write_text("old", encoding="utf-8")  # an earlier version's
    (static / "ra2docs.custom.css").write_text("mine", encoding="utf-8")  # not a copy of ra2docs'
    app, warnings = _build(source, out)
    assert app.statuscode == 0, warnings
    assert not (static / "ra2docs.0123456789ab.css").exists()
    assert (static / "ra2docs.custom.css").read_text(encoding="utf-8") == "mine"
    assert (static / _hashed("ra2docs.css")).is_file()


def test_a_link_in_place_of_the_copy_is_not_written_through(tmp_path: Path):
    source = _project(tmp_path)
    out = tmp_path / "out"
    elsewhere = tmp_path / "elsewhere.css"
    elsewhere.write_text("not ra2docs'", encoding="utf-8")
    (out / "_static").mkdir(parents=True)
    (out / "_static" / _hashed("ra2docs.css")).symlink_to(elsewhere)
    _, warnings = _build(source, out)
    assert elsewhere.read_text(encoding="utf-8") == "not ra2docs'"
    assert "ra2docs:" in warnings and _hashed("ra2docs.css") in warnings
