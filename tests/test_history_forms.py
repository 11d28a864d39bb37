"""Forms real RA2 history takes, in small snippets written as upstream wrote them (issue 23).

Each snippet is imported in-process (``ra2docs.importer.build``) or laid out as
releases and followed by ``ra2docs.history.compute``: rows of RST simple
tables whose first cell is a double-backquoted ID, Markdown rows next to HTML
comments, the Reference Model's 2020 profile table inside a comment, an ID given
to two rows of one table, an ID given to another item when a table is
renumbered, and how each kind of change reads.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import SHARED

from ra2docs.commands.history import life_text
from ra2docs.history import Change, compute, id_of, row_key
from ra2docs.importer import build
from ra2docs.views.history import describe_change

# The header and rows of RA2 chapter 4's node table (Elbrus/ra2/chapter04.md:47-65), shortened.
NODE_TABLE_HEADER = (
    "|Ref|Specification|Details|Requirement Trace|Reference Implementation Trace|\n|---|---|---|---|---|\n"
)
NIC = (
    "|`ra2.ch.015`|Physical NIC Speed - Network Intensive Profile|The NIC ports housed in the physical machines "
    "on which the Kubernetes Nodes run for workloads matching the Network Intensive profile must be at least "
    "25Gbps.|||\n"
)
PCIE = (
    "|`{id}`|Physical PCIe slots|The physical machines on which the Kubernetes Nodes run must be equipped "
    "with at least eight (8) Gen3.0 PCIe slots, each with at least eight (8) lanes.|||\n"
)
IMMUTABLE = (
    "|`{id}`|Immutable infrastructure|Whether physical or virtual machines are used, the Kubernetes Node is "
    "not changed after it is made ready for use. New changes to the Kubernetes Node are rolled out as new "
    "instances.|||\n"
)


def imported_ids(root: Path) -> set[str]:
    result = build(root)
    return {str(item["id"]) for data in result.files.values() for item in data.get("items") or [] if "id" in item}


def chapter(root: Path, name: str, text: str) -> Path:
    path = root / "ra2" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def releases(tmp_path: Path, chapters: dict[str, str], name: str = "chapter04.md") -> Path:
    """One release folder per entry (oldest first), each with one chapter, and their releases.yaml."""
    manifest = ["releases:"]
    for number, (release, text) in enumerate(chapters.items(), 1):
        chapter(tmp_path / release, name, "# 4 Component Level Architecture\n\n## 4.2 Kubernetes Node\n\n" + text)
        manifest.append(f"- {{name: {release}, date: 2021-0{number}-01}}")
    (tmp_path / "releases.yaml").write_text("\n".join(manifest) + "\n", encoding="utf-8")
    return tmp_path


def test_rst_simple_table_rows_with_a_double_backquoted_id_are_imported(tmp_path: Path) -> None:
    chapter(
        tmp_path,
        "chapter04.rst",
        """Kubernetes Node
===============

.. table:: Node Specifications

   ================ ========================= ===================================================
   Reference        Specification             Details
   ================ ========================= ===================================================
   ``ra2.ch.017``   Immutable infrastructure  Whether physical or virtual machines are used, the
                                              Kubernetes Node must not be changed after
                                              instantiation.
   ``ra2.ch.018``   NFD                       Node Feature Discovery must be used to advertise the
                                              detailed software and hardware capabilities.
   ================ ========================= ===================================================

Networking
==========

================ ============== =========================================
Reference        Specification  Details
================ ============== =========================================
``ra2.ntw.009``  Multus         A multiplexer must be used.
================ ============== =========================================

..
   ================ ============== =========================================
   Reference        Specification  Details
   ================ ============== =========================================
   ``ra2.ntw.010``  Hidden         An RST comment: not part of the spec.
   ================ ============== =========================================
""",
    )
    assert imported_ids(tmp_path) == {"ra2.ch.017", "ra2.ch.018", "ra2.ntw.009"}


def test_a_markdown_row_next_to_an_html_comment_is_read_and_the_rows_inside_it_are_not(tmp_path: Path) -> None:
    # As Snezka/ra2/chapter02.md:198-222: real rows, then rows kept inside <!-- ... -->
    chapter(
        tmp_path,
        "chapter02.md",
        """# 2 Architecture Requirements

## 2.3 Kubernetes Architecture Requirements

| Reference | sub-category | Description |
|---|---|---|
| `req.inf.ntw.10` | Network | The networking solution **should** be configurable in an automated manner. |
<!-- | `req.inf.ntw.11` | Network | A row commented out on its own line. | -->
| `req.inf.ntw.12` | Network | The Architecture **must** support dual stack IPv4 and IPv6 for Kubernetes workloads. |
<!--
| `req.inf.ntw.13` | Network | The Architecture **should** support IPv6 for Kubernetes workloads. |
| `req.inf.com.02` | Compute | A row of the commented-out block. |
-->
| `req.inf.ntw.14` | Network | The Architecture **must** support capabilities for integrating SDN controllers. |

<p align="center"><b>Table 2-2:</b> Kubernetes Architecture: Infrastructure Requirements</p>
""",
    )
    assert imported_ids(tmp_path) == {"req.inf.ntw.10", "req.inf.ntw.12", "req.inf.ntw.14"}


def test_the_reference_models_2020_profile_table_is_read_where_it_is_not_commented_out(tmp_path: Path) -> None:
    # 2020-01-10-b9efeafa/rm/chapter04.md:530-537: the profile table holds e.nfvi.per.cap.001 .. 007 and
    # e.nfvi.mon.cap.001; anuket-2020-08/rm/chapter04.md:501-525 keeps e.per.cap.001 .. 007 and e.mon.cap.001
    # inside <!-- ... --> (lines 501 and 525): GitHub does not show them, so they are no items of that edition.
    early = SHARED / "upstream" / "history" / "2020-01-10-b9efeafa" / "rm" / "chapter04.md"
    later = SHARED / "upstream" / "anuket-2020-08" / "rm" / "chapter04.md"
    lines = later.read_text(encoding="utf-8").splitlines()
    assert lines[500] == "<!--" and lines[524] == "-->" and "`e.per.cap.001`" in lines[508]
    for name, source in (("early", early), ("later", later)):
        (tmp_path / name / "rm").mkdir(parents=True)
        shutil.copy(source, tmp_path / name / "rm" / "chapter04.md")
    profile = {f"e.nfvi.per.cap.00{n}" for n in range(1, 8)} | {"e.nfvi.mon.cap.001"}
    assert profile <= imported_ids(tmp_path / "early")
    commented = {f"e.per.cap.00{n}" for n in range(1, 8)} | {"e.mon.cap.001", "i.sla.cap.001", "i.mon.cap.007"}
    later_ids = imported_ids(tmp_path / "later")
    assert later_ids & commented == set()
    assert {"i.cap.018", "i.pm.001", "i.pm.007"} <= later_ids  # the rows just above the comment


def test_an_id_given_to_two_rows_keeps_both_rows_and_is_reported_once_per_release(tmp_path: Path) -> None:
    """As Elbrus/ra2/chapter04.md:63-64 (and RA1's sec.wl.007): one ID, two different rows of one table."""
    folder = releases(
        tmp_path,
        {
            "First": NODE_TABLE_HEADER + NIC + PCIE.format(id="ra2.ch.015"),
            "Second": NODE_TABLE_HEADER + NIC + PCIE.format(id="ra2.ch.015"),
            "Third": NODE_TABLE_HEADER + NIC + PCIE.format(id="ra2.ch.016"),
        },
    )
    history = compute(folder)
    first, second = history.lives_of("ra2.ch.015")
    assert first.ids == ["ra2.ch.015"] and first.title.startswith("Physical NIC Speed")
    assert second.ids == [row_key("ra2.ch.015", 2), "ra2.ch.016"] and second.title == "Physical PCIe slots"
    assert id_of(row_key("ra2.ch.015", 2)) == "ra2.ch.015" and id_of("ra2.ch.015") == "ra2.ch.015"
    assert (second.introduced.release, second.introduced.origin) == ("First", "ra2/chapter04.md:8")
    # the third release gives the second row its own ID: a rename found by content
    assert ("ra2.ch.015 (row 2)", "ra2.ch.016", "same content") in history.notes["Third"].renamed
    assert history.notes["First"].duplicates == [("ra2.ch.015", ["ra2/chapter04.md:7", "ra2/chapter04.md:8"])]
    assert [i for i, _ in history.notes["Second"].duplicates] == ["ra2.ch.015"]
    assert history.notes["Third"].duplicates == [] and history.notes["First"].items == 1
    assert history.notes["Second"].changed == history.notes["Second"].reformatted == []
    said = [line for life in history.lives_of("ra2.ch.015") for line in life_text(history, life) if "rows" in line]
    assert said == [
        "  given to several rows of one table: First (2021-01-01) .. Second (2021-02-01), "
        "first ra2/chapter04.md:7, ra2/chapter04.md:8"
    ]


def test_a_row_written_twice_word_for_word_is_no_duplicate(tmp_path: Path) -> None:
    history = compute(releases(tmp_path, {"First": NODE_TABLE_HEADER + NIC + NIC}))
    assert history.notes["First"].duplicates == [] and [life.ids for life in history.lives] == [["ra2.ch.015"]]


def test_an_id_given_to_another_item_is_a_rename_of_the_item_that_had_it(tmp_path: Path) -> None:
    """As Kali/ra2/chapter04.md:63-65: a row is inserted and the ones below move up an ID."""
    folder = releases(
        tmp_path,
        {
            "First": NODE_TABLE_HEADER + NIC + IMMUTABLE.format(id="ra2.ch.016"),
            "Second": NODE_TABLE_HEADER + NIC + PCIE.format(id="ra2.ch.016") + IMMUTABLE.format(id="ra2.ch.017"),
        },
    )
    history = compute(folder)
    note = history.notes["Second"]
    assert note.reused == ["ra2.ch.016"] and note.renamed == [("ra2.ch.016", "ra2.ch.017", "same content")]
    assert note.added == ["ra2.ch.016"] and note.changed == note.retired == []
    moved, pcie = history.lives_of("ra2.ch.016")
    assert moved.ids == ["ra2.ch.016", "ra2.ch.017"] and moved.title == "Immutable infrastructure"
    assert [(e.release, e.action) for e in pcie.events] == [("Second", "introduced")]


def test_an_item_reworded_beyond_recognition_under_its_own_id_is_still_changed(tmp_path: Path) -> None:
    """Nothing else holds its old words: the ID kept is the same item, rewritten (Elbrus' ra2.ntw.001 .. 006)."""
    rewritten = IMMUTABLE.format(id="ra2.ch.016").replace(
        "Whether physical or virtual machines are used, the Kubernetes Node is not changed after it is made ready "
        "for use. New changes to the Kubernetes Node are rolled out as new instances.",
        "Nodes are replaced, never patched in place: an update is a new node image.",
    )
    history = compute(
        releases(
            tmp_path,
            {
                "First": NODE_TABLE_HEADER + NIC + IMMUTABLE.format(id="ra2.ch.016"),
                "Second": NODE_TABLE_HEADER + NIC + rewritten,
            },
        )
    )
    note = history.notes["Second"]
    assert note.reused == note.renamed == note.added == [] and note.changed == ["ra2.ch.016"]
    [life] = history.lives_of("ra2.ch.016")
    assert [c.field for c in life.in_release("Second")[0].changes] == ["details"]


def test_each_kind_of_change_reads_as_what_changed() -> None:
    cells = Change(
        "cells",
        "text",
        {"reference-implementation-trace": "4.3.1", "column-5": "N/A"},
        {"reference-implementation-trace": ":ref:`RI2 Installation <ref_impl2:chapters/chapter04:Installation>`"},
    )
    said = describe_change(cells)
    assert "{'" not in said and "column reference-implementation-trace: [-4.3.1-] {+RI2 Installation+}" in said
    assert 'column column-5 removed (was "N/A")' in said
    heading = Change("cells", "placement", {"column-5": "N/A"}, {"reference-implementation-trace": "N/A"})
    assert describe_change(heading) == "column column-5 now headed reference-implementation-trace"
    listings = Change("listings", "placement", None, [{"section": "4.2", "cells": {"title": "Physical PCIe slots"}}])
    assert describe_change(listings) == "listed again in 4.2"
    renamed = Change(
        "traces",
        "renamed-links",
        ["req.gen.avl.01", "req.gen.rsl.02"],
        ["gen.avl.01", "gen.rsl.02"],
        (("req.gen.avl.01", "gen.avl.01"), ("req.gen.rsl.02", "gen.rsl.02")),
    )
    assert (
        describe_change(renamed)
        == "traces req.gen.avl.01 -> gen.avl.01, req.gen.rsl.02 -> gen.rsl.02 (targets renamed)"
    )
    links = Change("traces", "links", ["infra.hw.nic.cfg.002"], ["infra.hw.nic.cfg.001", "infra.hw.nic.cfg.002"])
    assert describe_change(links) == "traces +infra.hw.nic.cfg.001"
    assert describe_change(Change("omitted", "other", {"a": 1}, None)) == "omitted changed"


def test_markup_only_and_placement_only_changes_are_reformatted_not_changed(tmp_path: Path) -> None:
    bold = NIC.replace("must be at least", "**must** be at least")
    history = compute(
        releases(
            tmp_path,
            {
                "First": NODE_TABLE_HEADER + NIC,
                "Second": NODE_TABLE_HEADER + bold,
                "Third": NODE_TABLE_HEADER + bold.replace("25Gbps", "50Gbps"),
            },
        )
    )
    assert history.notes["Second"].changed == [] and history.notes["Second"].reformatted == ["ra2.ch.015"]
    [life] = history.lives_of("ra2.ch.015")
    [second] = life.in_release("Second")
    assert [(c.field, c.aspect) for c in second.changes] == [("details", "markup")] and not second.substantive
    assert history.notes["Third"].changed == ["ra2.ch.015"] and history.notes["Third"].reformatted == []
