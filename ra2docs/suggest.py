"""Did-you-mean for IDs: renamed prefixes, a dropped 'req.', or a near spelling.

A catalogue may hold 100,000 IDs and a broken import thousands of dangling
links, so no question scans every ID: ``IdIndex`` files the IDs once (in
linear time, and only when a near spelling is first asked for) by their
dot-separated segments, and each question looks at the few IDs that differ
from it in one segment, or only in their separators, before ``difflib``
ranks those.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterable, Iterator
from collections.abc import Set as AbstractSet

CUTOFF = 0.85  # difflib's similarity a near spelling needs
CANDIDATES = 48  # IDs ranked per question, at most: a bucket this small is ranked whole
# IDs longer than this are not spelling-matched (filing one costs its length
# times its segments; real IDs are a few dozen characters).
MAX_LENGTH = 200
MAX_SEGMENTS = 12
_SEPARATORS = str.maketrans("", "", "._- ")


def _squashed(ident: str) -> str:
    """The ID without separators or case: 'req.inf.ntw 01' and 'REQ_INF.NTW.01' are one."""
    return ident.translate(_SEPARATORS).casefold()


class IdIndex:
    """Defined IDs filed for did-you-mean questions (``suggest``)."""

    def __init__(self, known: Iterable[str]) -> None:
        # A set or a dict's keys answer 'in' as they are; anything else is copied once.
        self.known: Collection[str] = known if isinstance(known, (AbstractSet, dict)) else set(known)
        # (segment count, wildcard position, the other segments) -> segment at that position -> IDs
        self._shapes: dict[tuple[int, int, str], dict[str, list[str]]] | None = None
        self._squashed: dict[str, list[str]] = {}
        self._alphabets: dict[tuple[int, int, str], str] = {}

    def _build(self) -> dict[tuple[int, int, str], dict[str, list[str]]]:
        if self._shapes is None:
            shapes: dict[tuple[int, int, str], dict[str, list[str]]] = {}
            for ident in self.known:
                if not _fileable(ident):
                    continue
                segments = ident.split(".")
                count = len(segments)
                for position, segment in enumerate(segments):
                    key = (count, position, ".".join(segments[:position] + ["*"] + segments[position + 1 :]))
                    shapes.setdefault(key, {}).setdefault(segment, []).append(ident)
                self._squashed.setdefault(_squashed(ident), []).append(ident)
            self._shapes = shapes
        return self._shapes

    def same_but_first(self, wanted: str) -> list[str]:
        """IDs that differ from ``wanted`` only in their first segment (a renamed prefix)."""
        segments = wanted.split(".")
        if len(segments) < 2 or not _fileable(wanted):
            return []
        bucket = self._build().get((len(segments), 0, ".".join(["*", *segments[1:]])), {})
        return sorted(ident for segment, idents in bucket.items() if segment != segments[0] for ident in idents)

    def candidates(self, wanted: str) -> list[str]:
        """A few defined IDs that could be ``wanted`` misspelt (at most ``CANDIDATES``, best first)."""
        if not _fileable(wanted):
            return []
        shapes = self._build()
        segments = wanted.split(".")
        found: dict[str, None] = dict.fromkeys(self._squashed.get(_squashed(wanted), ()))
        # A dot typed as another character: 'ra2.c0a448' for 'ra2.c0.448'.
        found.update(
            dict.fromkeys(v for i in range(len(wanted)) if (v := f"{wanted[:i]}.{wanted[i + 1 :]}") in self.known)
        )
        for position, segment in enumerate(segments):
            key = (len(segments), position, ".".join(segments[:position] + ["*"] + segments[position + 1 :]))
            bucket = shapes.get(key)
            if not bucket:
                continue
            if sum(len(idents) for idents in bucket.values()) <= CANDIDATES:
                found.update(dict.fromkeys(i for idents in bucket.values() for i in idents))
                continue
            # A large bucket (all of 'ra2.c0.*'): only the segments one typo away.
            for variant in _one_edit(segment, self._alphabet(key, bucket)):
                found.update(dict.fromkeys(bucket.get(variant, ())))
        found.pop(wanted, None)
        ranked = sorted(found, key=lambda c: -difflib.SequenceMatcher(None, wanted, c).quick_ratio())
        return ranked[:CANDIDATES]

    def _alphabet(self, key: tuple[int, int, str], bucket: dict[str, list[str]]) -> str:
        if key not in self._alphabets:
            self._alphabets[key] = "".join(sorted(set("".join(bucket))))
        return self._alphabets[key]

    def suggest(self, wanted: str, exclude: str = "") -> str:
        """The defined ID ``wanted`` most likely meant, or '' (never ``exclude``)."""
        if not wanted:
            return ""
        known = self.known

        def ok(ident: str) -> bool:
            return ident in known and ident != exclude

        # A dropped or added leading segment: 'sec.gen.001' -> 'req.sec.gen.001'.
        if ok("req." + wanted):
            return "req." + wanted
        _, _, rest = wanted.partition(".")
        if rest and ok(rest):
            return rest
        # A renamed leading segment: 'nfvi.com.cfg.004' -> 'infra.com.cfg.004'.
        if rest:
            renamed = [i for i in self.same_but_first(wanted) if i != exclude]
            if len(renamed) == 1:
                return renamed[0]
        # The same letters and digits, other separators or case: 'REQ_INF_NTW_01'.
        if _fileable(wanted):
            self._build()
            same = [i for i in self._squashed.get(_squashed(wanted), ()) if i != exclude and i != wanted]
            if len(same) == 1:
                return same[0]
        close = difflib.get_close_matches(
            wanted, sorted(c for c in self.candidates(wanted) if c != exclude), n=1, cutoff=CUTOFF
        )
        return close[0] if close else ""


def _fileable(ident: str) -> bool:
    return len(ident) <= MAX_LENGTH and ident.count(".") < MAX_SEGMENTS


def _one_edit(word: str, alphabet: str) -> Iterator[str]:
    """Every string one deletion, transposition, substitution or insertion away from ``word``."""
    for i in range(len(word) + 1):
        head, tail = word[:i], word[i:]
        if tail:
            yield head + tail[1:]
            if len(tail) > 1:
                yield head + tail[1] + tail[0] + tail[2:]
            for c in alphabet:
                yield head + c + tail[1:]
        for c in alphabet:
            yield head + c + tail


def suggest_id(wanted: str, known: IdIndex | Collection[str]) -> str:
    """The defined ID ``wanted`` most likely meant, or ''.

    Asking many questions of one catalogue? Build one ``IdIndex`` and pass it:
    a collection is filed again on every call.
    """
    index = known if isinstance(known, IdIndex) else IdIndex(known)
    return index.suggest(wanted)
