"""Did-you-mean for IDs: the hints people rely on, in time linear in the catalogue.

The cost is measured as the pairs of IDs difflib compares (what made hints slow), never by the
clock: a test on a shared machine must not fail because another process ran.
"""

from __future__ import annotations

import difflib
import random

import pytest
from conftest import PROFILES, write

from ra2docs import suggest
from ra2docs.check import analyse
from ra2docs.loader import load_catalogue
from ra2docs.suggest import CANDIDATES, MAX_LENGTH, IdIndex, suggest_id

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


class CountingDifflib:
    """ra2docs.suggest's difflib, counting the pairs of IDs it compares and the longest pair."""

    def __init__(self) -> None:
        self.pairs = 0
        self.longest = 0

    def _compared(self, a: str, b: str) -> None:
        self.pairs += 1
        self.longest = max(self.longest, len(a) + len(b))

    def SequenceMatcher(self, isjunk: None, a: str, b: str) -> difflib.SequenceMatcher[str]:  # difflib's name
        self._compared(a, b)
        return difflib.SequenceMatcher(isjunk, a, b)

    def get_close_matches(self, word: str, possibilities: list[str], n: int, cutoff: float) -> list[str]:
        for possibility in possibilities:
            self._compared(word, possibility)
        return difflib.get_close_matches(word, possibilities, n=n, cutoff=cutoff)


@pytest.fixture
def compared(monkeypatch: pytest.MonkeyPatch) -> CountingDifflib:
    counting = CountingDifflib()
    monkeypatch.setattr(suggest, "difflib", counting)
    return counting


def test_very_long_ids_cost_nothing_and_get_no_hint(compared: CountingDifflib):
    long_ids = ["x" * 5000 + str(n) for n in range(200)] + ["." * 3000]
    index = IdIndex([*long_ids, *KNOWN])
    assert index.suggest("y" * 5000) == ""
    assert compared.pairs == 0  # too long to be a real ID: never spelling-matched
    assert index.suggest("nfvi.com.cfg.004") == "infra.com.cfg.004"
    assert index.suggest("infra.com.cfg.04") == "infra.com.cfg.004"
    assert 0 < compared.pairs <= 2 * CANDIDATES and compared.longest <= 2 * MAX_LENGTH


def test_thousands_of_dangling_links_are_checked_in_linear_time(tmp_path, compared: CountingDifflib):
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
    findings = [f for f in analyse(loaded) if f.rule == "RA401"]
    dangling = sum(1 for t in targets if t not in set(ids))
    assert len(findings) == dangling > 2000
    # each hint ranks a few candidates (ranking, then the closest): scanning every ID would be 5,000 pairs a link
    assert compared.pairs <= 2 * CANDIDATES * dangling
    hinted = [f for f in findings if f.suggestion.startswith("did you mean")]
    assert len(hinted) > 0.9 * len(findings)  # a one-character typo is nearly always recognised
