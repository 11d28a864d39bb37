"""A build leaves the process alone unless conf.py opts in; the ``ra2docs`` program tunes its own.

The garbage collector paused and frozen, and a worker forked for a large catalogue, act on the
whole process: a build does them only with ``ra2docs_process_tuning = True``, the CLI only as the
``ra2docs`` program (``console_main``), never when ``main`` is called in-process.
"""

from __future__ import annotations

import gc
import io
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import EDITION_2020, write
from sphinx.application import Sphinx
from sphinx.search import IndexBuilder
from sphinx.util.docutils import docutils_namespace

from ra2docs import cli, loader
from ra2docs.loader import load_catalogue
from ra2docs.process import owned

pytestmark = pytest.mark.build


class Watch:
    """What the collector and the loader did during a build, seen from the build's own events."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.forks = 0
        self.collector_on_while_loading: set[bool] = set()  # for each file this process reads
        self.frozen_during_build: list[int] = []
        monkeypatch.setattr(loader, "PARALLEL_BYTES", 0)  # any catalogue of 4 files or more would be split
        executor = loader.ProcessPoolExecutor
        read_yaml = loader.read_yaml

        def counting_executor(*args: Any, **kwargs: Any) -> Any:
            self.forks += 1
            return executor(*args, **kwargs)

        def watched_read_yaml(*args: Any, **kwargs: Any) -> Any:
            self.collector_on_while_loading.add(gc.isenabled())
            return read_yaml(*args, **kwargs)

        monkeypatch.setattr(loader, "ProcessPoolExecutor", counting_executor)
        monkeypatch.setattr(loader, "read_yaml", watched_read_yaml)

    def build(self, source: Path, out: Path, **overrides: Any) -> Sphinx:
        warnings = io.StringIO()
        with docutils_namespace():  # as sphinx-build: what the build registers in docutils goes with it
            app = Sphinx(
                str(source),
                str(source),
                str(out / "html"),
                str(out / "doctrees"),
                "html",
                confoverrides=overrides,
                status=None,
                warning=warnings,
                freshenv=True,
            )
            for event in ("builder-inited", "doctree-read", "env-updated"):
                app.connect(event, lambda *args: self.frozen_during_build.append(gc.get_freeze_count()), priority=950)
            app.build()
        assert app.statuscode == 0, warnings.getvalue()
        return app


def _project(tmp_path: Path) -> Path:
    shutil.copytree(EDITION_2020 / "catalogue", tmp_path / "catalogue")
    chapter = (EDITION_2020 / "source" / "chapters" / "chapter02.rst").read_text(encoding="utf-8")
    conf = 'extensions = ["ra2docs.sphinx"]\nra2docs_catalogue = "../catalogue"\nra2docs_downloads = False\n'
    return write(tmp_path / "source", {"conf.py": conf, "index.rst": chapter})


def _pages(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted((out / "html").rglob("*.html"))}


def test_a_build_leaves_the_collector_and_the_process_alone_by_default(tmp_path: Path, monkeypatch):
    source = _project(tmp_path)
    watch = Watch(monkeypatch)
    frozen_before = gc.get_freeze_count()
    word_collector = IndexBuilder._word_collector
    watch.build(source, tmp_path / "default")
    assert IndexBuilder._word_collector is word_collector  # Sphinx's class as it was (no-search: search.py)
    assert watch.forks == 0
    assert watch.collector_on_while_loading == {True}
    assert set(watch.frozen_during_build) == {frozen_before}
    assert gc.isenabled()


def test_tuning_opted_in_pauses_freezes_and_forks_then_gives_everything_back(tmp_path: Path, monkeypatch):
    source = _project(tmp_path)
    watch = Watch(monkeypatch)
    frozen_before = gc.get_freeze_count()
    watch.build(source, tmp_path / "tuned", ra2docs_process_tuning=True)
    assert watch.forks == 1  # half the files read by a forked worker
    assert watch.collector_on_while_loading == {False}  # this process's half (the worker's is not seen here)
    assert min(watch.frozen_during_build) > frozen_before
    assert gc.get_freeze_count() == frozen_before and gc.isenabled()
    # and it changes nothing of the site
    Watch(monkeypatch).build(source, tmp_path / "default")
    assert _pages(tmp_path / "tuned") == _pages(tmp_path / "default")


def test_a_catalogue_read_by_two_processes_is_the_one_read_by_one(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(loader, "PARALLEL_BYTES", 0)
    folder = shutil.copytree(EDITION_2020 / "catalogue", tmp_path / "catalogue")
    (folder / "broken.yaml").write_text("items:\n  - id: [unclosed\n", encoding="utf-8")  # a finding to merge
    alone = load_catalogue(folder, base=tmp_path)
    with owned():
        assert loader._split_point(sorted(folder.glob("*.yaml"))) > 0
        split = load_catalogue(folder, base=tmp_path)
    assert [f.format() for f in split.findings] == [f.format() for f in alone.findings]
    assert split.fatal == alone.fatal
    assert list(split.catalogue.items) == list(alone.catalogue.items)
    assert split.catalogue.items == alone.catalogue.items and split.catalogue.links == alone.catalogue.links


def test_the_command_called_in_process_leaves_the_collector_alone(capsys):
    frozen_before = gc.get_freeze_count()
    assert cli.main(["check", str(EDITION_2020 / "catalogue")]) == 0
    assert gc.get_freeze_count() == frozen_before and gc.isenabled()


def test_the_ra2docs_program_freezes_what_check_made(monkeypatch, capsys):
    frozen_before = gc.get_freeze_count()
    monkeypatch.setattr(sys, "argv", ["ra2docs", "check", str(EDITION_2020 / "catalogue")])
    try:
        assert cli.console_main() == 0
        assert gc.get_freeze_count() > frozen_before and gc.isenabled()
    finally:
        if frozen_before == 0:
            gc.unfreeze()  # the test process is not the program's own
