"""Each item's life across the 11 Anuket releases (``ra2docs.history``, ``ra2docs history``; issue 23).

Every fact asserted below was checked by hand in the release snapshots
(``SHARED/upstream/releases/<release>/ra2/``); the file and line of the
evidence is written beside it.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SHARED, ra2docs

from ra2docs import history as history_module
from ra2docs.findings import Ra2docsError
from ra2docs.history import History, Life, load, releases_in
from ra2docs.views.history import describe_change

RELEASES_FOLDER = SHARED / "upstream" / "releases"
SNAPSHOTS = SHARED / "upstream" / "history"


@pytest.fixture(scope="module")
def cache_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One cache for the module, also for the commands it runs (they read $XDG_CACHE_HOME/ra2docs)."""
    home = tmp_path_factory.mktemp("cache-home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(home))
        yield home


@pytest.fixture(scope="module")
def history(cache_home: Path) -> History:
    return load(RELEASES_FOLDER, cache_dir=cache_home / "ra2docs")


def one_life(history: History, item_id: str) -> Life:
    lives = history.lives_of(item_id)
    assert len(lives) == 1, [life.ids for life in lives]
    return lives[0]


def actions(life: Life) -> list[tuple[str, str]]:
    return [(e.release, e.action) for e in life.events]


def test_the_releases_are_in_order_with_their_dates(history: History) -> None:
    assert [(r.name, r.date) for r in history.releases][:3] == [
        ("Snezka", "2020-01-11"),
        ("Baldy", "2020-05-16"),
        ("Baldy.1", "2020-09-05"),
    ]
    assert history.releases[-1].label() == "Quinnipiac (2024-11-18)"
    assert [r.name for r in releases_in(RELEASES_FOLDER, until="baldy.1")] == ["Snezka", "Baldy", "Baldy.1"]


def test_gen_cnt_02_was_snezkas_req_gen_cnt_03_renumbered_in_baldy_renamed_in_lakelse(history: History) -> None:
    """Baldy renumbered chapter 2: an ID kept but given to another item is not a change of wording."""
    life = one_life(history, "gen.cnt.02")
    assert life.ids == ["req.gen.cnt.03", "req.gen.cnt.02", "gen.cnt.02"]
    # Snezka/ra2/chapter02.md:169  | `req.gen.cnt.03` | Cloud nativeness | The Architecture **must** support immutable ...
    assert (life.introduced.release, life.introduced.origin) == ("Snezka", "ra2/chapter02.md:169")
    # Baldy/ra2/chapter02.md:286   | `req.gen.cnt.02` | General | Cloud nativeness | ... **must** support immutable ...
    baldy = life.in_release("Baldy")[0]
    assert (baldy.action, baldy.former_id, baldy.id, baldy.inferred) == (
        "renamed",
        "req.gen.cnt.03",
        "req.gen.cnt.02",
        "similar text 1.00",
    )
    assert "priority" not in [c.field for c in baldy.changes]  # a must in Snezka already
    # Kali/ra2/chapter02.md:286 `req.gen.cnt.02`, Lakelse/ra2/chapter02.md:315 `gen.cnt.02`, the same row otherwise
    lakelse = life.in_release("Lakelse")[0]
    assert (lakelse.action, lakelse.former_id, lakelse.id, lakelse.inferred) == (
        "renamed",
        "req.gen.cnt.02",
        "gen.cnt.02",
        "same content",
    )
    # Moselle/ra2/chapter02.rst: the move to reStructuredText dropped the bold of 'must': markup, not wording
    moselle = life.in_release("Moselle")[0]
    assert ("statement", "markup") in [(c.field, c.aspect) for c in moselle.changes]
    assert not moselle.substantive and "gen.cnt.02" in history.notes["Moselle"].reformatted
    assert life.retired is None  # Quinnipiac/ra2/chapter02.rst:1465  * - gen.cnt.02
    # Snezka's own req.gen.cnt.02 (chapter02.md:168, '... service components implemented as microservices ...') is
    # Baldy's req.gen.cnt.01 (Baldy/ra2/chapter02.md:285), gone in Kali: the ID req.gen.cnt.02 names two lives
    first = next(other for other in history.lives_of("req.gen.cnt.02") if other is not life)
    assert first.ids == ["req.gen.cnt.02", "req.gen.cnt.01"] and first.introduced.origin == "ra2/chapter02.md:168"
    assert "req.gen.cnt.02" in history.notes["Baldy"].reused
    assert ("req.gen.cnt.03", "req.gen.cnt.02", "similar text 1.00") in history.notes["Baldy"].renamed


def test_sec_wl_007_arrives_in_baldy_and_becomes_a_must_in_lakelse(history: History) -> None:
    life = one_life(history, "sec.wl.007")
    # not in Snezka/ra2/*.md; Baldy/ra2/chapter02.md:223 | [7.11.4](...) | sec.wl.007 | The Operator **should** ...
    assert (life.introduced.release, life.introduced.origin) == ("Baldy", "ra2/chapter02.md:223")
    # Kali/ra2/chapter02.md:220 '**should** implement', Lakelse/ra2/chapter02.md:218 '**must** implement'
    lakelse = life.in_release("Lakelse")[0]
    assert [(c.before, c.after) for c in lakelse.changes if c.field == "priority"] == [("SHOULD", "MUST")]
    assert [e.release for e in life.events if any(c.aspect == "priority" for c in e.changes)] == ["Lakelse"]
    assert life.retired is None  # Quinnipiac/ra2/chapter02.rst:1015      - sec.wl.007


def test_ra2_app_001_arrives_in_baraque_and_is_retired_in_orinoco(history: History) -> None:
    life = one_life(history, "ra2.app.001")
    # not in Baldy.1/ra2/chapter04.md; Baraque/ra2/chapter04.md:270 |`ra2.app.001`|[Root](...) Parameter Group ...
    assert (life.introduced.release, life.introduced.origin) == ("Baraque", "ra2/chapter04.md:270")
    # Nile/ra2/chapter04.rst:711  * - ra2.app.001; Orinoco/ra2/chapter04.rst names no ra2.app.001 .. 005
    assert life.retired is not None and life.retired.release == "Orinoco"
    assert {"ra2.app.001", "ra2.app.002", "ra2.app.003", "ra2.app.004", "ra2.app.005"} <= set(
        history.notes["Orinoco"].retired
    )


def test_kali_renumbers_chapter_4_the_second_ra2_ch_015_row_and_ra2_ch_016_move_up(history: History) -> None:
    # Baraque/ra2/chapter04.md:67 |`ra2.ch.017`|||| (a placeholder); Elbrus/ra2/chapter04.md: no ra2.ch.017
    placeholder, moved = sorted(history.lives_of("ra2.ch.017"), key=lambda life: len(life.ids))
    assert actions(placeholder) == [("Baraque", "introduced"), ("Elbrus", "retired")]
    # Elbrus/ra2/chapter04.md:65 |`ra2.ch.016`|Immutable infrastructure|Whether physical or virtual machines ...
    # Kali/ra2/chapter04.md:65   |`ra2.ch.017`|Immutable infrastructure|Whether physical or virtual machines ...
    assert moved.ids == ["ra2.ch.016", "ra2.ch.017"] and moved.title == "Immutable infrastructure"
    kali = moved.in_release("Kali")[0]
    assert (kali.action, kali.former_id, kali.origin) == ("renamed", "ra2.ch.016", "ra2/chapter04.md:65")
    # Elbrus/ra2/chapter04.md:63-64 give ra2.ch.015 to two rows; the second, 'Physical PCIe slots', is
    # Kali/ra2/chapter04.md:64 |`ra2.ch.016`|Physical PCIe slots|...: both rows are followed, the duplicate said once
    pcie, immutable = history.lives_of("ra2.ch.016")
    assert immutable is moved
    assert pcie.ids[-1] == "ra2.ch.016" and pcie.former_ids == ["ra2.ch.015 (row 2)"]
    assert (pcie.introduced.release, pcie.introduced.origin) == ("Baraque", "ra2/chapter04.md:65")
    assert [lf.id for lf in history.lives_of("ra2.ch.015")] == ["ra2.ch.015", "ra2.ch.016"]
    assert ("ra2.ch.015", ["ra2/chapter04.md:63", "ra2/chapter04.md:64"]) in history.notes["Elbrus"].duplicates
    assert [i for i, _ in history.notes["Kali"].duplicates] == ["ra2.k8s.012", "req.int.api.03"]
    assert "ra2.ch.016" in history.notes["Kali"].reused
    assert [e.action for e in pcie.in_release("Kali")] == ["renamed"]


def test_e_cap_013_changes_its_profile_values_in_baraque(history: History) -> None:
    life = one_life(history, "e.cap.013")
    # Baldy/ra2/chapter02.md:60   | e.cap.013 | SR-IOV over PCI-PT | Must support | Not required |
    # Baraque/ra2/chapter02.md:60 | e.cap.013 | SR-IOV over PCI-PT | Not required | Must support |
    values = next(c for c in life.in_release("Baraque")[0].changes if c.field == "values")
    assert values.aspect == "values"
    assert (values.before["basic"], values.after["basic"]) == ("Must support", "Not required")
    assert (values.before["network-intensive"], values.after["network-intensive"]) == ("Not required", "Must support")


def test_nfvi_com_cfg_004_is_renamed_infra_com_cfg_004_in_baldy(history: History) -> None:
    life = one_life(history, "infra.com.cfg.004")
    # Snezka/ra2/chapter02.md:114 | nfvi.com.cfg.004 | Huge Pages  | | Y |
    # Baldy/ra2/chapter02.md:107  | [5.2.1](...) | infra.com.cfg.004 | Huge Pages | Must support | ...
    assert life.introduced.id == "nfvi.com.cfg.004" and life.introduced.origin == "ra2/chapter02.md:114"
    baldy = life.in_release("Baldy")[0]
    assert (baldy.action, baldy.former_id, baldy.inferred) == ("renamed", "nfvi.com.cfg.004", "similar text 1.00")
    # Moselle/ra2/chapter02.rst writes 'infra.com. cfg.004' (a blank in the ID), Quinnipiac without it again
    assert [(e.release, e.inferred) for e in life.events if e.action == "renamed"][1:] == [
        ("Moselle", "same ID without blanks"),
        ("Quinnipiac", "same ID without blanks"),
    ]
    assert life.former_ids == ["nfvi.com.cfg.004", "infra.com. cfg.004"]


def test_an_id_given_to_another_item_later_has_two_lives(history: History) -> None:
    # Snezka/ra2/chapter02.md:208 `req.inf.ntw.14` ... integrating SDN controllers: Baldy/ra2/chapter02.md:301 makes
    # it req.inf.ntw.05; Elbrus/ra2/chapter02.md:311 gives req.inf.ntw.14 to 'NATless traffic'.
    first, second = history.lives_of("req.inf.ntw.14")
    assert first.ids == ["req.inf.ntw.14", "req.inf.ntw.05", "inf.ntw.05"]
    assert (second.introduced.release, second.id) == ("Elbrus", "inf.ntw.14")


def test_lakelse_drops_the_req_prefix_of_chapter_2_each_rename_inferred(history: History) -> None:
    renamed = history.notes["Lakelse"].renamed
    prefix = [(old, new) for old, new, _ in renamed if old == f"req.{new}"]
    # 30 at the release: of the PR's 34 (see the next test), four were added after Kali (2021-06) with 'req.'
    # and are new in Lakelse without it (inf.ntw.15 .. 18); one, req.inf.ntw.11, was gone since Baldy; and
    # int.api.04 is the second row Kali gave req.int.api.03 (Kali/ra2/chapter02.md:316, Lakelse chapter02.md:349)
    assert len(prefix) == 30
    assert ("req.int.api.03 (row 2)", "int.api.04", "same content") in renamed
    assert all(
        why in ("same content", "similar text 0.98", "similar text 0.99", "similar text 1.00") for *_, why in renamed
    )
    assert {"inf.ntw.15", "inf.ntw.16", "inf.ntw.17", "inf.ntw.18"} <= set(history.notes["Lakelse"].added)
    assert history.notes["Lakelse"].retired == []


def test_the_pr_dropping_the_req_prefix_is_34_renames_by_content(tmp_path: Path) -> None:
    """Two commits laid out as releases with their own releases.yaml: the 2021-11 PR, 34 renames by content.

    ``ra2docs diff`` finds the 34 whose content is the same (tests/test_history.py); the 35th ID that lost
    'req.', gen.rsl.02, also changed its words (it quoted ``req.gen.rsl.01``): history finds it by its text.
    """
    for name in ("2021-11-04-3c4c8883", "2021-11-09-1a2f3b59"):
        shutil.copytree(SNAPSHOTS / name / "ra2", tmp_path / name / "ra2")
    (tmp_path / "releases.yaml").write_text(
        "releases:\n- {name: 2021-11-04-3c4c8883, date: 2021-11-04}\n- {name: 2021-11-09-1a2f3b59, date: 2021-11-09}\n",
        encoding="utf-8",
    )
    computed = load(tmp_path)
    note = computed.notes["2021-11-09-1a2f3b59"]
    prefix = [(old, why) for old, new, why in note.renamed if old == f"req.{new}"]
    assert len(prefix) == 35 and len([1 for _, why in prefix if why == "same content"]) == 34
    assert [old for old, why in prefix if why != "same content"] == ["req.gen.rsl.02"]
    assert note.added == [] and note.retired == []


def test_the_history_is_read_back_from_its_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "releases"
    for name in ("Snezka", "Baldy"):
        shutil.copytree(RELEASES_FOLDER / name, folder / name)
    first = load(folder, cache_dir=tmp_path / "cache")
    [entry] = (tmp_path / "cache").glob("history-*.json")
    history_module._computed.clear()

    def not_again(*_: object) -> History:
        raise AssertionError("computed again")

    monkeypatch.setattr(history_module, "compute", not_again)
    again = load(folder, cache_dir=tmp_path / "cache")
    assert again.as_dict() == first.as_dict()
    # a planted or damaged entry is not believed: computed again
    entry.write_text(json.dumps({"format": "ra2docs-history", "version": 1, "releases": 3}), encoding="utf-8")
    history_module._computed.clear()
    with pytest.raises(AssertionError, match="computed again"):
        load(folder, cache_dir=tmp_path / "cache")
    # a changed source is a new entry
    monkeypatch.undo()
    chapter = folder / "Baldy" / "ra2" / "chapter02.md"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace("| sec.wl.007 |", "| sec.wl.070 |"), "utf-8")
    changed = load(folder, cache_dir=tmp_path / "cache")
    assert "sec.wl.070" in changed.notes["Baldy"].added and "sec.wl.007" not in changed.notes["Baldy"].added


def test_a_folder_that_is_no_release_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "Snezka").mkdir()
    (tmp_path / "Zugspitze").mkdir()
    with pytest.raises(Ra2docsError, match="Zugspitze are no known release"):
        releases_in(tmp_path)
    (tmp_path / "Zugspitze").rmdir()
    (tmp_path / "Zugspitze").symlink_to(RELEASES_FOLDER / "Kali")  # a link out of the tree is not followed
    assert [r.name for r in releases_in(tmp_path)] == ["Snezka"]
    with pytest.raises(Ra2docsError, match="no release 'Kali'"):
        releases_in(tmp_path, until="Kali")


# -- the command line --------------------------------------------------------------------------------


def history_cli(tmp_path: Path, *args: str) -> tuple[int, str, str]:
    result = ra2docs("history", *args, "--releases", str(RELEASES_FOLDER), cwd=tmp_path)
    assert "Traceback" not in result.stderr
    return result.returncode, result.stdout, result.stderr


def test_history_of_an_id_as_text_and_json(history: History, tmp_path: Path) -> None:
    code, out, _ = history_cli(tmp_path, "gen.cnt.02")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "gen.cnt.02 (RA2 requirement)"
    assert "  former IDs: req.gen.cnt.03, req.gen.cnt.02" in lines
    assert "  introduced in Snezka (2020-01-11) as req.gen.cnt.03  [ra2/chapter02.md:169]" in lines
    assert any(
        "renamed in Lakelse (2022-01-31): req.gen.cnt.02 -> gen.cnt.02 (inferred: same content)" in x for x in lines
    )
    assert lines[-1] == "  still in Quinnipiac (2024-11-18), the last release of the history"
    # sec.wl.007 Kali/ra2/chapter02.md:220 '**should** implement', Lakelse/ra2/chapter02.md:218 '**must** implement'
    code, out, _ = history_cli(tmp_path, "sec.wl.007")
    assert any(
        x.startswith("  changed in Lakelse (2022-01-31): ") and "priority SHOULD -> MUST" in x for x in out.splitlines()
    )
    code, out, _ = history_cli(tmp_path, "ra2.app.001", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["lives"][0]["introduced"] == "Baraque" and data["lives"][0]["retired"] == "Orinoco"
    assert data["lives"][0]["events"][-1] == {
        "release": "Orinoco",
        "date": "2023-08-17",
        "action": "retired",
        "id": "ra2.app.001",
        "origin": "",
        "former_id": "",
        "inferred": "",
        "changes": [],
    }


def test_history_of_a_release_as_text_and_json(history: History, tmp_path: Path) -> None:
    code, out, _ = history_cli(tmp_path, "--release", "lakelse")
    assert code == 0
    assert out.startswith("Lakelse (2022-01-31), against Kali (2021-06-28): 346 items\n")
    assert "    req.kcm.gen.02 -> kcm.gen.02 (same content)\n" in out
    code, out, _ = history_cli(tmp_path, "--release", "Orinoco", "--format", "json")
    data = json.loads(out)
    assert (data["release"], data["date"], data["commit"], data["previous"]) == (
        "Orinoco",
        "2023-08-17",
        "45f82c91",
        "Nile",
    )
    assert "ra2.app.001" in data["retired"]


def test_history_errors_are_one_line_and_exit_2(history: History, tmp_path: Path) -> None:
    code, _, err = history_cli(tmp_path, "gen.cnt.2")
    assert code == 2 and "no item 'gen.cnt.2' in any release" in err and "did you mean 'gen.cnt.02'?" in err
    code, _, err = history_cli(tmp_path, "--release", "Zugspitze")
    assert code == 2 and "unknown release 'Zugspitze'" in err
    result = ra2docs("history", "gen.cnt.02", "--releases", str(tmp_path / "none"), cwd=tmp_path)
    assert result.returncode == 2 and "no such history folder" in result.stderr


def test_ra2_k8s_012_follows_the_renamed_requirements_it_traces_in_moselle(history: History) -> None:
    """A link rewritten because its target was renamed a release before is said so, not as a new link."""
    life = next(life for life in history.lives_of("ra2.k8s.012") if life.id == "ra2.k8s.012")
    # Lakelse/ra2/chapter04.md:81 traces req.gen.rsl.02, req.gen.avl.01 (renamed gen.rsl.02, gen.avl.01 in Lakelse's
    # chapter 2); Moselle/ra2/chapter04.rst:267-268 names gen.rsl.02, gen.avl.01
    moselle = life.in_release("Moselle")[0]
    traces = next(c for c in moselle.changes if c.field == "traces")
    assert traces.aspect == "renamed-links"
    assert dict(traces.renamed) == {"req.gen.rsl.02": "gen.rsl.02", "req.gen.avl.01": "gen.avl.01"}
    # Lakelse/ra2/chapter04.md:81 Reference Implementation Trace '4.3.1'; Moselle/ra2/chapter04.rst:269 'RI2 ...'
    said = "; ".join(describe_change(c) for c in moselle.changes)
    assert "column reference-implementation-trace: [-4.3.1-] {+RI2 Installation on Bare Metal Infratructure+}" in said
    assert "{'" not in said and "traces req.gen.avl.01 -> gen.avl.01, req.gen.rsl.02 -> gen.rsl.02 (targets" in said
    # Kali/ra2/chapter04.md:79 and :88 give ra2.k8s.012 to two rows, and every release since: one line per release
    assert [
        r.name for r in history.releases if any(i == "ra2.k8s.012" for i, _ in history.notes[r.name].duplicates)
    ] == [
        "Kali",
        "Lakelse",
        "Moselle",
        "Nile",
        "Orinoco",
        "Quinnipiac",
    ]
