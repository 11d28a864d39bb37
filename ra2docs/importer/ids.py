"""Recognising catalogue IDs in upstream text, and the kind an ID stands for."""

from __future__ import annotations

import re

from ra2docs.markup import plain_text

# Any ID the spec has used: dotted names ending in two or three digits (RA2
# requirements end in two, the Reference Model and RA2 specifications in three),
# and the interface options n1 ... n600.
ID_SHAPE = re.compile(r"(?:(?:ra2|[a-z]+)(?:\.[a-z][a-z0-9-]*)*\.[0-9]{2,3}|n[0-9]{1,3})")
_ID_TOKEN = re.compile(r"(?<![\w.-])(" + ID_SHAPE.pattern + r")(?![\w-]|\.[a-z0-9])")
_RANGE = re.compile(r"(?<![\w.-])(" + ID_SHAPE.pattern + r")\s*[-–]\s*(" + ID_SHAPE.pattern + r")(?![\w.-])")
# A first cell that names an ID but is not well formed (nn10, e.pm.xxx, infra.hw.pci.cfg. 001,
# infra.net.acc.cfg.00 1, infra.com.cfg .002): still a row's ID.
_DOTTED = re.compile(r"^[a-z][a-z0-9-]*(?:\s?\.\s?[a-z0-9][a-z0-9-]*)+(?:\s[0-9]+)?$")
# An ID written with stray blanks, as the 2022 conversion of the chapters left some ('infra.hw.cpu. cfg.003',
# 'infra.com.cfg .002', 'infra.net.acc.cfg.00 1', 'infra. net.cfg.002'): at most one blank beside a dot or
# inside the number. Read whole, as written, so that check can name it; its parts are not IDs of their own.
_LOOSE = re.compile(
    r"(?<![\w.-])([a-z][a-z0-9-]*(?: ?\. ?[a-z][a-z0-9-]*)+ ?\. ?[0-9]{1,3}(?: [0-9]{1,2})?)(?![\w-]|\.[a-z0-9])"
)
# A line break in a wrapped cell (a grid table's narrow column) inside an ID: 'infra.com.acc.cfg' / '.001'.
_WRAPPED = re.compile(r"(?<=[a-z0-9]\.)[ \t]*\n[ \t]*(?=[a-z0-9])|(?<=[a-z0-9])[ \t]*\n[ \t]*(?=\.[a-z0-9])")


def is_id(token: str) -> bool:
    return ID_SHAPE.fullmatch(token) is not None


def unwrap(text: str) -> str:
    """A cell's text with the line breaks that split an ID taken out (the author wrapped it to fit a column)."""
    return _WRAPPED.sub("", text)


def first_id(cell_plain: str) -> str:
    """The ID a row's ID cell names: its first word, marks and quotes taken off ('' when none).

    A number that runs on past a blank ('infra.net.acc.cfg.00 1') is not the
    ID '...cfg.00': the cell names no well-formed ID.
    """
    text = cell_plain.strip().strip("*").strip()
    head = re.split(r"[\s,;(]", text, maxsplit=1)[0].strip("`*.:")
    if re.match(r"^\S*[0-9]\s+[0-9]+(?![\w.])", text):
        return ""
    return head if is_id(head) else ""


def looks_like_malformed_id(cell_plain: str) -> bool:
    text = cell_plain.strip().strip("*").strip().rstrip(".")
    return bool(text) and (_DOTTED.match(text) is not None or re.fullmatch(r"n+[0-9]+", text) is not None)


def _expand(start: str, end: str) -> list[str]:
    """``i.pm.017 - i.pm.022`` -> every ID between, when both share their prefix."""
    head_a, _, num_a = start.rpartition(".")
    head_b, _, num_b = end.rpartition(".")
    if head_a != head_b or not num_a.isdigit() or not num_b.isdigit() or len(num_a) != len(num_b):
        return [start, end]
    first, last = int(num_a), int(num_b)
    if last < first or last - first > 500:
        return [start, end]
    return [f"{head_a}.{n:0{len(num_a)}d}" for n in range(first, last + 1)]


def _loose(token: str) -> bool:
    """Whether a token with blanks is an ID written loosely.

    Not prose: a blank stands between parts of two characters or more, or
    inside the number ('e.g. e.cap.013' and 'e.g. 10' are not IDs).
    """
    if " " not in token or not is_id(token.replace(" ", "")):
        return False
    parts = re.split(r"( ?\. ?| )", token)
    for index in range(1, len(parts), 2):
        before, after = parts[index - 1], parts[index + 1]
        digits = before.isdigit() and after.isdigit()
        if " " in parts[index] and not digits and (len(before) < 2 or len(after) < 2):
            return False
    return True


def ids_in(text: str, markup: bool = True) -> list[str]:
    """Catalogue IDs named in a cell or paragraph, in order, ranges expanded, each once.

    An ID written with stray blanks ('infra.hw.cpu. cfg.003') is given as
    written: reading 'cfg.003' out of it would invent a link to an ID nobody
    wrote, and dropping it would lose the link without a word.
    """
    plain = plain_text(unwrap(text)) if markup else unwrap(text)
    found: list[str] = []
    spans: list[tuple[int, int]] = []
    for match in _RANGE.finditer(plain):
        for item_id in _expand(match.group(1), match.group(2)):
            if item_id not in found:
                found.append(item_id)
        spans.append(match.span())
    loose: list[tuple[re.Match[str], int]] = []
    position = 0
    while (loose_match := _LOOSE.search(plain, position)) is not None:
        # a span that is not one ID ('e.g. infra. net.cfg.002') may still hold one further on
        accepted = _loose(loose_match.group(1))
        if accepted:
            loose.append((loose_match, 0))
        position = loose_match.end() if accepted else loose_match.start() + 1
    strict = [(m, 1) for m in _ID_TOKEN.finditer(plain)]
    for match, _rank in sorted([*loose, *strict], key=lambda pair: (pair[0].start(), pair[1])):
        if any(a <= match.start() < b for a, b in spans):
            continue
        spans.append(match.span())
        token = match.group(1)
        if token not in found:
            found.append(token)
    return found


def kind_for(item_id: str, headers: set[str]) -> str:
    """The kind an ID stands for, from its shape (and the table's headers where the shape is ambiguous)."""
    if item_id.startswith("ra2.exc."):
        return "exception"
    if item_id.startswith("ra2."):
        return "specification"
    last = item_id.rsplit(".", 1)[-1]
    if re.fullmatch(r"n+[0-9]+", item_id) or item_id.startswith(("e.", "i.")):
        return "rm-capability"
    if len(last) == 2 and last.isdigit():
        return "ra-requirement"  # RA2's own: req.gen.cnt.02, gen.cnt.02, kcm.gen.01, req.kcm.07
    if "category" in headers or "sub-category" in headers:
        return "ra-requirement"
    if "requirement trace" in headers:
        return "specification"
    return "rm-requirement"


_BOLD_WORD = re.compile(
    r"\*\*\s*(must not|must|shall not|shall|should not|should|may|required|recommended|optional)\s*\*\*", re.I
)
_WORD = re.compile(r"\b(must not|must|shall not|shall|should not|should|may)\b", re.I)


def priority_of(text: str) -> str:
    """The RFC 2119 keyword of a statement: the first bold one, else the first one."""
    words = _BOLD_WORD.findall(text) or _WORD.findall(plain_text(text))
    if not words:
        return ""
    word = " ".join(words[0].upper().split())
    return {
        "SHALL": "MUST",
        "SHALL NOT": "MUST NOT",
        "REQUIRED": "MUST",
        "RECOMMENDED": "SHOULD",
        "OPTIONAL": "MAY",
    }.get(word, word)
