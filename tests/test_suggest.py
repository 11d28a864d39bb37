"""Did-you-mean for IDs: the hints people rely on, in time linear in the catalogue."""

from __future__ import annotations

import random
import time

import pytest
from conftest import PROFILES, write

from ra2docs.check import analyse
from ra2docs.loader import load_catalogue
from ra2docs.suggest import IdIndex, suggest_id

KNOWN = ["infra.com.cfg.004", "req.sec.gen.001", "req.inf.ntw.01", "ra2.ch.001", "ra2.ch.010", "k8s_conformance"]


@pytest.mark.parametrize(
    ("wanted", "meant"),
    [
        ("nfvi.com.cfg.004", "infra.com.cfg.004"),  # a renamed leading segment
        ("sec.gen.001", "req.sec.gen.001"),  # 'req.' dropped
        ("req.req.sec.gen.001", "req.sec.gen.001"),  # a segment added
        ("req.\u0456nf.ntw.01", "req.inf.ntw.01"),  # a Cyrillic look-alike
        ("req.inf.ntw01", "req.inf.ntw.01"),  # a dot dropped
        ("req.inf.ntwx01", "req.inf.ntw.01"),  # a dot typed as a letter
        ("REQ_INF_NTW_01", "req.inf.ntw.01"),  # other separators and case
        ("ra2.ch.0010", "ra2.ch.010"),  # a typo in the number
        ("k8s_conformanse", "k8s_conformance"),
        ("something.else.entirely", ""),
        ("", ""),
    ],
)
def test_hints(wanted, meant):
    assert suggest_id(wanted, KNOWN) == meant
    assert IdIndex(dict.fromkeys(KNOWN).keys()).suggest(wanted) == meant


def test_an_id_is_never_its_own_hint():
    index = IdIndex(["req.inf.ntw 01"])
    assert index.suggest("req.inf.ntw01", exclude="req.inf.ntw 01") == ""


def test_an_added_req_is_suggested_away():
    assert suggest_id("req.sec.gen.001", ["sec.gen.001"]) == "sec.gen.001"


def test_very_long_ids_cost_nothing_and_get_no_hint():
    long_ids = ["x" * 5000 + str(n) for n in range(200)] + ["." * 3000]
    index = IdIndex([*long_ids, *KNOWN])
    start = time.perf_counter()
    assert index.suggest("y" * 5000) == ""
    assert index.suggest("nfvi.com.cfg.004") == "infra.com.cfg.004"
    assert time.perf_counter() - start < 1


def test_thousands_of_dangling_links_are_checked_in_linear_time(tmp_path):
    """2,500 broken links against 5,000 items took a minute when every hint scanned every ID."""
    rng = random.Random(7)
    ids = [f"ra2.c{n // 1000}.{n % 1000:03d}" for n in range(2500)]
    ids += [f"req.gen.{chr(97 + n // 26 % 26)}{chr(97 + n % 26)}x.{n % 100:02d}" for n in range(2500)]
    ids = sorted(set(ids))
    targets = []
    for ident in rng.choices(ids, k=2500):
        cut = rng.randrange(len(ident))
        targets.append(ident[:cut] + "z" + ident[cut + 1 :])
    lines = ["items:"]
    lines += [f"  - {{id: '{i}', kind: gap, title: T}}" for i in ids]
    lines += [f"  - {{id: gap.g{n}, kind: gap, title: T, related: ['{t}']}}" for n, t in enumerate(targets)]
    folder = write(tmp_path / "cat", {"profiles.yaml": PROFILES, "a.yaml": "\n".join(lines) + "\n"})
    loaded = load_catalogue(folder, base=tmp_path)
    start = time.perf_counter()
    findings = [f for f in analyse(loaded) if f.rule == "RA401"]
    assert time.perf_counter() - start < 10
    dangling = sum(1 for t in targets if t not in set(ids))
    assert len(findings) == dangling > 2000
    hinted = [f for f in findings if f.suggestion.startswith("did you mean")]
    assert len(hinted) > 0.9 * len(findings)  # a one-character typo is nearly always recognised
