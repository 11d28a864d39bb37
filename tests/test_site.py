"""The built site: the commissioned chapter, Table 3-1, cross-references, objects.inv."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
import yaml
from conftest import EDITION_2020, ROOT, SHARED, ra2docs, run, sphinx_project, write
from htmlparse import parse
from sphinx.util.inventory import InventoryFile

pytestmark = pytest.mark.build


def catalogue_data() -> dict[str, dict]:
    """The catalogue read straight from YAML, independently of ra2docs' loader."""
    items, comparisons = {}, {}
    for path in sorted((EDITION_2020 / "catalogue").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        items.update({i["id"]: i for i in data.get("items", [])})
        comparisons.update({c["id"]: c for c in data.get("comparisons", [])})
    return {"items": items, "comparisons": comparisons}


def seed_table_3_1() -> list[list[str]]:
    """Table 3-1 rows of the commissioned Markdown chapter, markup removed."""
    text = (SHARED / "seed" / "ra2-chapter03.md").read_text(encoding="utf-8")
    block = text[text.index("| Requirement | Networking Solution with Multus") :]
    rows = []
    for line in block.splitlines()[2:]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        rows.append([re.sub(r"\s*<sub>\(?(\d)\)?<sub>", r" (\1)", c).replace("`", "") for c in cells])
    return rows


def test_table_3_1_comes_from_the_catalogue_and_matches_the_seed(built_site: Path):
    html = (built_site / "chapters/chapter03.html").read_text(encoding="utf-8")
    table = parse(html).tables["comparison-cni-multiplexers"]
    header, *rows = table
    comp = catalogue_data()["comparisons"]["cni-multiplexers"]
    items = catalogue_data()["items"]
    levels = {lv["id"]: lv["label"] for lv in comp["levels"]}
    assert header == [comp["row-header"], *(s["title"] for s in comp["solutions"])]
    expected = []
    for row in comp["rows"]:
        cells = [f"{row.get('label') or items[row['item']]['title']} ({row['item']})"]
        for solution in comp["solutions"]:
            cell = row["cells"][solution["id"]]
            if isinstance(cell, dict):
                cells.append(f"{levels[cell['level']]} ({cell['note']})")
            else:
                cells.append(levels[cell])
        expected.append(cells)
    assert rows == expected
    assert rows == seed_table_3_1()
    assert "Table 3-1: Comparison of CNI multiplexers/meta-plugins within the networking solution" in html
    assert "(1): Under implementation in the current release." in html


def test_every_id_in_the_chapter_prose_is_a_live_link(built_site: Path):
    source = (EDITION_2020 / "source" / "chapters" / "chapter03.rst").read_text(encoding="utf-8")
    ids = re.findall(r":ra2:item:`([^`]+)`", source)
    assert {"i.cap.018", "req.inf.vir.01", "req.inf.ntw.05", "infra.net.cfg.003"} <= set(ids)
    links = parse((built_site / "chapters/chapter03.html").read_text(encoding="utf-8")).links
    targets = {text: href for href, text in links}
    for item_id in [*ids, *(r["item"] for r in catalogue_data()["comparisons"]["cni-multiplexers"]["rows"])]:
        href = targets.get(item_id)
        assert href and href.endswith(f"#{item_id}"), item_id
        page, anchor = href.split("#")
        assert f'id="{anchor}"' in (built_site / "chapters" / page).resolve().read_text(encoding="utf-8")


def test_every_catalogue_item_is_in_objects_inv(built_site: Path):
    with open(built_site / "objects.inv", "rb") as stream:
        inventory = InventoryFile.load(stream, "", lambda base, uri: uri)
    entries = {name: (kind, data) for kind, objects in inventory.items() for name, data in objects.items()}
    items = catalogue_data()["items"]
    for item_id, item in items.items():
        kind, data = entries[item_id]
        assert kind == f"ra2:{item['kind']}"
        uri = data[2] if isinstance(data, tuple) else data.uri
        assert uri.endswith(f"#{item_id}")


def test_entries_show_links_in_both_directions(built_site: Path):
    page = (built_site / "_generated" / "reference" / "ra-requirement.html").read_text(encoding="utf-8")
    entry = page[page.index('id="req.inf.ntw.04"') :][:3000]
    assert "specified-by" in entry and "ra2.ch.007" in entry and "ra2.k8s.010" in entry
    spec = (built_site / "_generated" / "reference" / "specification.html").read_text(encoding="utf-8")
    entry = spec[spec.index('id="ra2.ntw.001"') :][:3000]
    assert "traces" in entry and "req.inf.ntw.03" in entry and "req.inf.ntw.06" in entry


@pytest.mark.slow
def test_a_catalogue_error_fails_the_build_with_the_loaders_message(tmp_path: Path):
    """Catalogue errors are Sphinx errors at their file and line: the build goes on, and fails under -W."""
    catalogue = tmp_path / "cat"
    write(catalogue, {})
    for path in (EDITION_2020 / "catalogue").glob("*.yaml"):
        (catalogue / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    gaps = catalogue / "ch06-gaps.yaml"
    head, _, tail = gaps.read_text().partition("id: gap.hw-topology-aware-hugepages")
    gaps.write_text(head + _ + tail.replace("- infra.com.cfg.004", "- nfvi.com.cfg.004", 1))
    project = sphinx_project(tmp_path, catalogue)
    result = run(
        "sphinx-build", "-W", "--keep-going", "-q", "-b", "html", str(project / "source"), str(tmp_path / "out")
    )
    assert result.returncode != 0
    assert "catalogue/ch06-gaps.yaml:" in result.stderr
    assert (
        "gap.hw-topology-aware-hugepages: related 'nfvi.com.cfg.004': no such item [RA401 dangling-link]"
        in result.stderr
    )
    assert "did you mean 'infra.com.cfg.004'?" in result.stderr
    assert "ra2docs: the catalogue in" in result.stderr and "has 1 error(s)" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_an_unknown_id_in_prose_is_a_warning_with_a_suggestion(tmp_path: Path):
    page = (
        ":orphan:\n\nTypo\n====\n\nSee :ra2:item:`req.inf.ntw.3`.\n\n.. ra2:item:: req.inf.ntw.03\n\n"
        ".. ra2:item:: req.inf.ntw.033\n\n.. ra2:graph:: req.inf.nt.03\n"
    )
    project = sphinx_project(tmp_path, extra_pages={"typo.rst": page})
    result = run("sphinx-build", "-q", "-b", "html", str(project / "source"), str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    warnings = [line.split("typo.rst:", 1)[1] for line in result.stderr.splitlines() if "typo.rst:" in line]
    # a role, an item and a graph naming an unknown ID: one wording, one type that suppress_warnings can name
    assert warnings == [
        "6: WARNING: unknown catalogue ID 'req.inf.ntw.3'; did you mean 'req.inf.ntw.03'? [ra2docs.unknown-id]",
        "10: WARNING: unknown catalogue ID 'req.inf.ntw.033'; did you mean 'req.inf.ntw.03'? [ra2docs.unknown-id]",
        "12: WARNING: unknown catalogue ID 'req.inf.nt.03'; did you mean 'req.inf.ntw.03'? [ra2docs.unknown-id]",
    ], result.stderr
    quiet = run(
        "sphinx-build", "-W", "-q", "-b", "html", "-D", "suppress_warnings=ra2docs.unknown-id",
        str(project / "source"), str(tmp_path / "quiet"),
    )  # fmt: skip
    assert quiet.returncode == 0, quiet.stderr


def test_nothing_is_lost_every_item_link_and_cell_is_in_the_site_and_the_export(built_site: Path, tmp_path: Path):
    import json

    from ra2docs.loader import load_catalogue

    cat = load_catalogue(EDITION_2020 / "catalogue", base=ROOT).catalogue
    with open(built_site / "objects.inv", "rb") as stream:
        inventory = InventoryFile.load(stream, "", lambda base, uri: uri)
    where = {
        name: (data[2] if isinstance(data, tuple) else data.uri)
        for objects in inventory.values()
        for name, data in objects.items()
    }
    assert set(cat.items) <= set(where)
    pages: dict[str, str] = {}

    def entry_html(item_id: str) -> str:
        page, anchor = where[item_id].split("#")
        if page not in pages:
            pages[page] = (built_site / page).read_text()
        html = pages[page]
        start = html.index(f'id="{anchor}"')
        return html[start : html.index("</dd></dl>", start)]

    for link in cat.links:  # both ends show it: the source lists its target, the target its source
        assert f">{link.target}<" in entry_html(link.source), (link.source, link.target)
        assert f">{link.source}<" in entry_html(link.target), (link.target, link.source)
    chapters = "".join(p.read_text() for p in (built_site / "chapters").glob("*.html"))
    for comp in cat.comparisons.values():
        assert f'id="comparison-{comp.id}"' in chapters, comp.id
        for row in comp.rows:
            for cell in row.cells.values():
                assert comp.level_label(cell.level) in chapters
    exported = ra2docs("export", "--format", "json", "--output", str(tmp_path / "all.json"), cwd=EDITION_2020)
    assert exported.returncode == 0, exported.stderr
    data = json.loads((tmp_path / "all.json").read_text())
    assert {i["id"] for i in data["items"]} == set(cat.items)
    exported_links = {(i["id"], f, t) for i in data["items"] for f, ts in i["links"].items() for t in ts}
    assert exported_links == {(link.source, link.field, link.target) for link in cat.links}
    assert sum(len(c["rows"]) for c in data["comparisons"]) == sum(len(c.rows) for c in cat.comparisons.values())


@pytest.mark.slow
def test_two_clean_builds_give_identical_pages(built_site: Path, tmp_path: Path):
    project = sphinx_project(tmp_path)
    out = tmp_path / "again"
    result = run("sphinx-build", "-W", "-q", "-b", "html", str(project / "source"), str(out))
    assert result.returncode == 0, result.stderr
    first = {p.relative_to(built_site): p.read_bytes() for p in built_site.rglob("*.html")}
    second = {p.relative_to(out): p.read_bytes() for p in out.rglob("*.html")}
    assert first.keys() == second.keys()
    assert [str(p) for p in first if first[p] != second[p]] == []
    svgs = lambda root: {p.name: p.read_bytes() for p in (root / "_images").glob("*.svg")}  # noqa: E731
    assert svgs(built_site) == svgs(out)


@pytest.mark.slow
def test_the_fast_html_path_writes_the_very_pages_the_node_path_writes(built_site: Path, tmp_path: Path):
    """Large views are written from templates learnt from the translator; with that off, Sphinx writes every node."""
    project = sphinx_project(tmp_path)
    out = tmp_path / "nodes"
    result = run(
        "sphinx-build", "-W", "-q", "-b", "html", "-D", "ra2docs_fast_html=0", str(project / "source"), str(out)
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    fast = {p.relative_to(built_site): p.read_bytes() for p in built_site.rglob("*.html")}
    slow = {p.relative_to(out): p.read_bytes() for p in out.rglob("*.html")}
    assert fast.keys() == slow.keys()
    assert [str(p) for p in fast if fast[p] != slow[p]] == []


@pytest.mark.slow
def test_a_row_typed_into_a_table_s_body_is_an_error_and_a_plain_table_keeps_the_page_s_look(tmp_path: Path):
    """Rows of an ra2:table come from the catalogue: one typed below the header rows is refused, with the fix."""
    page = textwrap.dedent(
        """\
        :orphan:

        Tables
        ======

        .. ra2:table:: Typed
           :section: 2.3
           :columns: id title
           :header-rows: 1

           * - Ref
             - Title
           * - req.inf.ntw.99
             - A row typed here

        .. ra2:table:: Plain
           :section: 2.3
           :columns: id title
           :plain:
        """
    )
    project = sphinx_project(tmp_path, extra_pages={"tables.rst": page})
    result = run("sphinx-build", "-q", "-b", "html", str(project / "source"), str(tmp_path / "out"))
    assert "the content has 2 rows, and :header-rows: is 1" in result.stderr, result.stderr
    assert "add the item there" in result.stderr and "Traceback" not in result.stderr
    html = (tmp_path / "out" / "tables.html").read_text(encoding="utf-8")
    plain = html[html.index("Plain") - 2000 :]
    assert 'class="ra2-plain' in plain or "ra2-plain" in plain[:2500]
    assert "A row typed here" not in html
