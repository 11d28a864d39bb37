"""Does a restated catalogue keep its upstream norm, in this project's own words?

The content rule: facts from upstream (IDs, values, links, short labels) may be
carried; a whole upstream sentence is restated, keeping every modal word,
condition, value, name and flag. This module compares an upstream catalogue
(what ``ra2docs adopt`` or ``import`` made of upstream's chapters, upstream
wording) with its restatement, text by text:

- the same items in the same order, the same fields; every value that is not a
  sentence (IDs, links, labels, values, priorities) unchanged;
- a sentence (a text ending in a full stop or holding a modal word) is
  restated: it shares no run of ``COPIED_RUN`` ordinary words with upstream;
- the restatement keeps the multiset of modal words (``test_fidelity``'s
  notion), each literal, flag, value and name, each limiting word, and every
  piece of RST markup that is a fact: roles (citations, references), literals,
  link targets, footnote references and substitutions, and the bold on a modal.

Run it on two files: ``python tests/restating.py UPSTREAM.yaml RESTATED.yaml``.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from test_fidelity import missing_hedges, missing_literals, modal_words

COPIED_RUN = 8  # this many ordinary words in a row, as upstream has them, are a copied sentence
MODAL = r"(?:must\s+not|shall\s+not|should\s+not|must|shall|should|may)"
ROLE = re.compile(r":[\w:+-]+:`[^`]+`")
LITERAL = re.compile(r"``.+?``")
LINK_TARGET = re.compile(r"<([^<>`\s]+)>`__?")
FOOTNOTE_REF = re.compile(r"\[(?:#[\w-]*|\d+|\*)\]_")
SUBSTITUTION = re.compile(r"(?<![\w|])\|[^|\s][^|]*\|(?![\w|])")
BOLD_MODAL = re.compile(rf"\*\*{MODAL}\*\*", re.I)


def is_sentence(text: str) -> bool:
    return len(text.split()) >= 4 and (
        text.rstrip().endswith(".") or bool(re.search(r"\b(must|should|shall|may)\b", text, re.I))
    )


def _as_prose(rst: str) -> str:
    """RST as the Markdown-ish plain text test_fidelity's checks read: literals in single backquotes."""
    text = ROLE.sub(" ", rst)
    text = re.sub(r"``(.+?)``", r"`\1`", text)
    text = re.sub(r"`([^`<]*?)\s*<[^>]+>`__?", r"\1", text)  # `text <url>`_ -> text
    text = FOOTNOTE_REF.sub(" ", text)
    text = re.sub(r"\*\*?([^*]+)\*\*?", r"\1", text)
    return " ".join(text.split())


def _ordinary_words(rst: str) -> list[str]:
    text = ROLE.sub(" \0 ", LITERAL.sub(" \0 ", rst))
    text = re.sub(r"`[^`]*`__?", " \0 ", text)
    return [w.lower() for w in re.findall(r"[A-Za-z][A-Za-z'-]*|\0", text)]


def copied_run(upstream: str, restated: str) -> str | None:
    """A run of COPIED_RUN ordinary words the restatement shares with upstream, if any."""
    words = _ordinary_words(upstream)
    runs = {tuple(words[i : i + COPIED_RUN]) for i in range(len(words) - COPIED_RUN + 1)}
    runs = {run for run in runs if "\0" not in run}
    mine = _ordinary_words(restated)
    for i in range(len(mine) - COPIED_RUN + 1):
        run = tuple(mine[i : i + COPIED_RUN])
        if run in runs:
            return " ".join(run)
    return None


def markup_facts(rst: str) -> Counter:
    facts: Counter = Counter()
    facts.update("role " + m for m in ROLE.findall(rst))
    facts.update("literal " + m for m in LITERAL.findall(rst))
    facts.update("link " + m for m in LINK_TARGET.findall(rst))
    facts.update("footnote " + m for m in FOOTNOTE_REF.findall(rst))
    facts.update("substitution " + m for m in SUBSTITUTION.findall(LITERAL.sub(" ", rst)))
    facts.update("bold " + " ".join(m.lower().split()) for m in BOLD_MODAL.findall(rst))
    return facts


def text_problems(upstream: str, restated: str) -> list[str]:
    """What a restatement of one upstream text does wrong (nothing: an empty list)."""
    if not is_sentence(upstream):
        return [] if restated == upstream else ["a label or value, not a sentence: keep it exactly as upstream has it"]
    if " ".join(restated.split()) == " ".join(upstream.split()):
        return ["not restated: upstream's sentence as it is"]
    problems = []
    copied = copied_run(upstream, restated)
    if copied:
        problems.append(f"copies upstream's words: '{copied}'")
    before, after = modal_words(_as_prose(upstream)), modal_words(_as_prose(restated))
    if before != after:
        problems.append(
            f"modal words changed: upstream {dict(sorted(before.items()))}, restated {dict(sorted(after.items()))}"
        )
    lost = missing_literals(_as_prose(upstream), _as_prose(restated))
    if lost:
        problems.append(f"literals lost: {lost}")
    hedges = missing_hedges(_as_prose(upstream), _as_prose(restated))
    if hedges:
        problems.append(f"limiting words lost: {hedges}")
    want, have = markup_facts(upstream), markup_facts(restated)
    if want != have:
        problems.append(
            f"markup changed: lost {sorted((want - have).elements())}, added {sorted((have - want).elements())}"
        )
    return problems


def _pairs(upstream: object, restated: object, where: str) -> Iterator[tuple[str, str, str]]:
    """(where, upstream text, restated text) for every string; a differing shape is a problem string."""
    if isinstance(upstream, dict) and isinstance(restated, dict):
        if list(upstream) != list(restated):
            yield where, "", f"\0fields differ: upstream {list(upstream)}, restated {list(restated)}"
            return
        for key in upstream:
            yield from _pairs(upstream[key], restated[key], f"{where}.{key}")
    elif isinstance(upstream, list) and isinstance(restated, list):
        if len(upstream) != len(restated):
            yield where, "", f"\0{len(upstream)} entries upstream, {len(restated)} restated"
            return
        for index, (a, b) in enumerate(zip(upstream, restated, strict=True)):
            label = a.get("id", index) if isinstance(a, dict) else index
            yield from _pairs(a, b, f"{where}[{label}]")
    elif isinstance(upstream, str) and isinstance(restated, str):
        yield where, upstream, restated
    elif upstream != restated:
        yield where, "", f"\0value changed: upstream {upstream!r}, restated {restated!r}"


def catalogue_problems(upstream: object, restated: object, name: str = "") -> list[str]:
    problems = []
    for where, before, after in _pairs(upstream, restated, name):
        if after.startswith("\0"):
            problems.append(f"{where}: {after[1:]}")
            continue
        if ".values." in where:  # a per-profile value ("Must support DPDK (3)") is a fact, kept as it is
            if before != after:
                problems.append(f"{where}: a profile value: keep it exactly as upstream has it\n  upstream: {before}")
            continue
        for problem in text_problems(before, after):
            problems.append(f"{where}: {problem}\n  upstream: {before}\n  restated: {after}")
    return problems


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    upstream, restated = (yaml.safe_load(Path(p).read_text(encoding="utf-8")) for p in argv)
    problems = catalogue_problems(upstream, restated)
    for problem in problems:
        print(problem, end="\n\n")
    sentences = sum(1 for _, before, after in _pairs(upstream, restated, "") if is_sentence(before))
    print(f"{len(problems)} problem(s) in {sentences} sentence texts")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
