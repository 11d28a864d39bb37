"""What changed in a field, word by word, for the ``diff`` reports.

A field's value before and after a change is compared as words (split at
blanks, so that a word is never cut and every escape of :mod:`ra2docs.gfm`
still sees whole words) with :mod:`difflib`. The result is a list of pieces
(same, removed, added) that each report renders in its own form: ``[-old-]
{+new+}`` in text and JSON, ``<del>``/``<ins>`` around escaped words in
Markdown. The same comparison scores how alike two items are (renames found
by similarity).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from ra2docs import gfm

SAME, REMOVED, ADDED, SKIPPED = "same", "removed", "added", "skipped"
# difflib's work grows with the product of the two lengths on repetitive text; past this product
# (e.g. two texts of 1,000 words) a value is shown as replaced whole, and items are compared by
# the words they share, not their order.
MAX_WORD_PAIRS = 1_000_000


@dataclass(frozen=True)
class Piece:
    kind: str  # SAME, REMOVED, ADDED, or SKIPPED (words left out of a shortened view)
    words: tuple[str, ...]


def words(value: Any) -> list[str]:
    """The words of a field's value: text as written, a list of IDs or words one word each, others as JSON."""
    if value is None:
        return []
    if isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
        return [word for v in value for word in words(str(v))]
    flat = gfm.flatten(value)
    return flat.split(" ") if flat else []


def compare(before: Any, after: Any) -> list[Piece]:
    """Every word of both values, each run marked the same, removed or added."""
    old, new = words(before), words(after)
    if len(old) * len(new) > MAX_WORD_PAIRS:
        return [Piece(kind, tuple(side)) for kind, side in ((REMOVED, old), (ADDED, new)) if side]
    pieces: list[Piece] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            pieces.append(Piece(SAME, tuple(old[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(Piece(REMOVED, tuple(old[i1:i2])))
        if j2 > j1:
            pieces.append(Piece(ADDED, tuple(new[j1:j2])))
    return pieces


def similarity(before: Any, after: Any) -> float:
    """How alike two values are, 0 to 1, by their words (case ignored): 1 when both are empty."""
    old = [w.casefold() for w in words(before)]
    new = [w.casefold() for w in words(after)]
    if not old and not new:
        return 1.0
    return 2 * matching(old, new) / (len(old) + len(new))


def matching(old: list[str], new: list[str]) -> int:
    """How many words of ``old`` and ``new`` match in order (in any order, past :data:`MAX_WORD_PAIRS`)."""
    if old == new:
        return len(old)
    if len(old) * len(new) > MAX_WORD_PAIRS:
        return sum((Counter(old) & Counter(new)).values())
    return sum(block.size for block in SequenceMatcher(None, old, new, autojunk=False).get_matching_blocks())


def in_context(pieces: list[Piece], context: int = 5, width: int | None = None) -> tuple[list[Piece], bool]:
    """The changes with ``context`` words around each, cut to about ``width`` characters.

    Returns the pieces and whether anything was left out (then the full text
    is only in the full report).
    """
    shown: list[Piece] = []
    cut = False
    for index, piece in enumerate(pieces):
        if piece.kind != SAME:
            shown.append(piece)
            continue
        first, last = index == 0, index == len(pieces) - 1
        keep_start = 0 if first else context  # words after the change before it
        keep_end = 0 if last else context  # words before the change after it
        if len(piece.words) <= keep_start + keep_end + 1:
            shown.append(piece)
            continue
        cut = True
        if keep_start:
            shown.append(Piece(SAME, piece.words[:keep_start]))
        shown.append(Piece(SKIPPED, ()))
        if keep_end:
            shown.append(Piece(SAME, piece.words[-keep_end:]))
    if width is None:
        return shown, cut
    out: list[Piece] = []
    used = 0
    for piece in shown:
        taken: list[str] = []
        for word in piece.words:
            if used + len(word) + 1 > width:
                if not used:  # one word longer than the whole view: its start
                    taken.append(word[: max(width - 1, 1)])
                if taken:
                    out.append(Piece(piece.kind, tuple(taken)))
                out.append(Piece(SKIPPED, ()))
                return out, True
            taken.append(word)
            used += len(word) + 1
        out.append(Piece(piece.kind, tuple(taken)))
    return out, cut


def as_plain(pieces: list[Piece]) -> str:
    """``kept [-removed-] {+added+} …`` (terminal-safe: the words were flattened)."""
    parts = []
    for piece in pieces:
        text = " ".join(piece.words)
        parts.append({REMOVED: f"[-{text}-]", ADDED: f"{{+{text}+}}", SKIPPED: "…"}.get(piece.kind, text))
    return " ".join(parts)


def as_markdown(pieces: list[Piece]) -> str:
    """Escaped words (:func:`ra2docs.gfm.text`), removed ones in ``<del>``, added ones in ``<ins>``."""
    parts = []
    for piece in pieces:
        text = gfm.text(" ".join(piece.words), None)
        if piece.kind == REMOVED:
            text = f"<del>{text}</del>"
        elif piece.kind == ADDED:
            text = f"<ins>{text}</ins>"
        elif piece.kind == SKIPPED:
            text = "…"
        parts.append(text)
    return " ".join(parts)
