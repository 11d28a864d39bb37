"""Which removed and added items of a change are one item renamed (``ra2docs diff``).

First the pairs with the same content, also once the renames already found
are applied to the IDs the old item's text names; then the pairs whose words
are alike enough (:data:`RENAME_SIMILARITY`), each one "renamed and changed"
with its score. :class:`Renames` maps old IDs to new ones in IDs and in text,
so that findings and links that only moved with a rename are recognised.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from ra2docs import gfm, wordchanges
from ra2docs.model import Item, natural_key

# A removed and an added item of one kind are one item renamed (and changed) when this share of
# their words match, field by field (case ignored; a field on one side only matches nothing), and
# their titles keep at least half their words.
RENAME_SIMILARITY = 0.8
TITLE_SIMILARITY = 0.5
MAX_SIMILARITY_PAIRS = 100_000  # removed x added items of one kind compared (~1 s); past it, identical content only

# Words of a message that may be IDs: IDs are written without spaces, quotes or
# brackets ('traces 'req.gen.cnt.02': no such item', "subject to req.gen.rsl.01.").
_TOKEN = re.compile(r"[^\s'\"`,;()\[\]{}<>|]+")


class Renames:
    """Old ID -> new ID, applied to IDs and to the IDs that texts mention."""

    def __init__(self, pairs: Iterable[tuple[str, str]] = ()) -> None:
        self.map = dict(pairs)
        self.reverse = {new: old for old, new in self.map.items()}
        # IDs a token cannot hold (a space, a quote) are rare; replaced as whole words.
        odd = [old for old in self.map if not _TOKEN.fullmatch(old)]
        self._odd = re.compile("|".join(rf"(?<![\w.-]){re.escape(old)}(?![\w-]|\.\w)" for old in odd)) if odd else None

    def id(self, ident: str) -> str:
        return self.map.get(ident, ident)

    def old_id(self, ident: str) -> str:
        """The ID a new ID had before (itself when it was not renamed)."""
        return self.reverse.get(ident, ident)

    def text(self, text: str) -> str:
        if not self.map:
            return text
        out = _TOKEN.sub(self._token, text)
        return self._odd.sub(lambda m: self.map[m.group()], out) if self._odd else out

    def _token(self, match: re.Match[str]) -> str:
        word = match.group()
        if word in self.map:
            return self.map[word]
        bare = word.rstrip(".:")  # an ID at the end of a sentence or before a colon
        return self.map[bare] + word[len(bare) :] if bare in self.map else word


def content(item: Item) -> str:
    return json.dumps({k: v for k, v in item.data.items() if k != "id"}, sort_keys=True, default=str)


def find_renames(
    old_items: dict[str, Item],
    new_items: dict[str, Item],
    removed: list[str],
    added: list[str],
    similar: bool = True,
) -> tuple[list[tuple[str, str]], dict[str, float]]:
    """Pairs (old, new) of a removed and an added item that are one item renamed; scores of the similar ones.

    First the pairs with the same content, counted after the renames already
    found are applied to the old item: a requirement that says 'not subject to
    req.gen.rsl.01' is renamed too when req.gen.rsl.01 is. Passes repeat until
    none finds more; then the pairs whose content is similar
    (:data:`RENAME_SIMILARITY`) are taken, best first, and the exact passes
    run again with them. ``similar=False``: identical content only.
    """
    pairs: list[tuple[str, str]] = []
    scores: dict[str, float] = {}
    removed, added = list(removed), list(added)
    renames = Renames()
    # each item's content once: a pass only changes which IDs are left and the names renames give
    contents = {i: content(old_items[i]) for i in removed}
    new_contents = {i: content(new_items[i]) for i in added}
    while removed and added:
        by_content: dict[str, list[str]] = {}
        for old_id in removed:
            written = contents[old_id]
            # as written, or naming the renamed items by their new IDs (a change may update the mention or not)
            for key in dict.fromkeys((written, renames.text(written))):
                by_content.setdefault(key, []).append(old_id)
        found = []
        taken: set[str] = set()
        for new_id in added:
            matches = [old_id for old_id in by_content.get(new_contents[new_id], []) if old_id not in taken]
            if matches:
                taken.add(matches[0])
                found.append((matches[0], new_id))
        if not found and similar:
            alike = _similar_pairs(old_items, new_items, removed, added, renames)
            scores.update((new, score) for score, _, new in alike)
            found = [(old, new) for _, old, new in alike]
        if not found:
            break
        pairs += found
        gone = {old for old, _ in found} | {new for _, new in found}
        removed = [i for i in removed if i not in gone]
        added = [i for i in added if i not in gone]
        renames = Renames(pairs)
    return pairs, scores


@dataclass
class _Words:
    """An item's words, field by field (case ignored), as the similarity of two items counts them."""

    fields: dict[str, list[str]]
    total: int
    bag: Counter[tuple[str, str]]

    @classmethod
    def of(cls, item: Item, renames: Renames | None = None) -> _Words:
        fields = {}
        for key, value in item.data.items():
            if key != "id":
                text = gfm.flatten(value)
                fields[key] = (renames.text(text) if renames else text).casefold().split()
        bag = Counter((key, word) for key, words in fields.items() for word in words)
        return cls(fields, sum(len(words) for words in fields.values()), bag)


def _item_similarity(old: _Words, new: _Words) -> float:
    """0 to 1: the share of the two items' words that match, field by field (see :data:`RENAME_SIMILARITY`).

    Cheap upper bounds come first, so that most pairs are let go before any
    word-by-word comparison.
    """
    total = old.total + new.total
    if not total:
        return 1.0
    reach = sum(min(len(words), len(new.fields.get(key, ()))) for key, words in old.fields.items())
    if 2 * reach / total < RENAME_SIMILARITY:
        return 0.0
    if 2 * sum((old.bag & new.bag).values()) / total < RENAME_SIMILARITY:
        return 0.0
    if ("title" in old.fields or "title" in new.fields) and (
        wordchanges.similarity(" ".join(old.fields.get("title", [])), " ".join(new.fields.get("title", [])))
        < TITLE_SIMILARITY
    ):
        return 0.0
    matched = sum(
        wordchanges.matching(words, new.fields[key]) for key, words in old.fields.items() if key in new.fields
    )
    return 2 * matched / total


def _similar_pairs(
    old_items: dict[str, Item], new_items: dict[str, Item], removed: list[str], added: list[str], renames: Renames
) -> list[tuple[float, str, str]]:
    """(score, old, new) of removed and added items of one kind alike enough, each item in one pair at most."""
    olds: dict[str, list[str]] = {}
    news: dict[str, list[str]] = {}
    for old_id in removed:
        olds.setdefault(old_items[old_id].kind, []).append(old_id)
    for new_id in added:
        news.setdefault(new_items[new_id].kind, []).append(new_id)
    candidates: list[tuple[float, str, str]] = []
    for kind, old_ids in olds.items():
        new_ids = news.get(kind, [])
        if not new_ids or len(old_ids) * len(new_ids) > MAX_SIMILARITY_PAIRS:
            continue
        old_words = {old_id: _Words.of(old_items[old_id], renames) for old_id in old_ids}
        for new_id in new_ids:
            words = _Words.of(new_items[new_id])
            for old_id in old_ids:
                score = _item_similarity(old_words[old_id], words)
                if score >= RENAME_SIMILARITY:
                    candidates.append((score, old_id, new_id))
    candidates.sort(key=lambda c: (-c[0], natural_key(c[2]), natural_key(c[1])))
    taken: set[str] = set()
    chosen = []
    for score, old_id, new_id in candidates:  # the best pairs first
        if old_id not in taken and new_id not in taken:
            taken |= {old_id, new_id}
            chosen.append((score, old_id, new_id))
    return chosen
