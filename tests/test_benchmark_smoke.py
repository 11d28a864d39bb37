"""The benchmark's two projects at N = 200: both build, and they hold the same items."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from conftest import ROOT, ra2docs, run
from sphinx.util.inventory import InventoryFile

pytestmark = [pytest.mark.build, pytest.mark.slow]


def test_generator_and_both_builds_hold_the_same_items(tmp_path: Path):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generate import make_items, needs_id

    generated = run(
        sys.executable.rsplit("/", 1)[-1],
        str(ROOT / "benchmarks" / "generate.py"),
        "--items",
        "200",
        "--out",
        str(tmp_path / "b"),
    )
    assert generated.returncode == 0, generated.stderr
    for tool in ("ra2docs", "needs"):
        result = run(
            "sphinx-build", "-q", "-b", "html", str(tmp_path / "b" / tool / "source"), str(tmp_path / f"out-{tool}")
        )
        assert result.returncode == 0, result.stderr
    check = ra2docs("check", "--catalogue", str(tmp_path / "b" / "ra2docs" / "catalogue"))
    assert check.returncode == 0
    with open(tmp_path / "out-ra2docs" / "objects.inv", "rb") as stream:
        inventory = InventoryFile.load(stream, "", lambda base, uri: uri)
    ra2docs_ids = {name for kind, objects in inventory.items() if kind.startswith("ra2:") for name in objects}
    needs_ids = set()
    for page in (tmp_path / "out-needs").glob("page*.html"):
        needs_ids |= set(re.findall(r'<table class="need [^"]*" id="([A-Z0-9_]+)"', page.read_text()))
    expected = [item.id for item in make_items(200)]
    assert ra2docs_ids == set(expected)
    assert needs_ids == {needs_id(i) for i in expected}
    assert len(needs_ids) == len(ra2docs_ids) == 200
