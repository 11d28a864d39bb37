"""Did-you-mean for IDs: renamed prefixes, a dropped 'req.', or a near spelling."""

from __future__ import annotations

import difflib
from collections.abc import Collection


def suggest_id(wanted: str, known: Collection[str]) -> str:
    """The defined ID ``wanted`` most likely meant, or ''."""
    if not wanted:
        return ""
    known_set = known if isinstance(known, (set, frozenset, dict)) else set(known)
    _, _, rest = wanted.partition(".")
    # A dropped or added leading segment: 'sec.gen.001' -> 'req.sec.gen.001'.
    for prefix in ("req.",):
        if prefix + wanted in known_set:
            return prefix + wanted
    if rest and rest in known_set:
        return rest
    # A renamed leading segment: 'nfvi.com.cfg.004' -> 'infra.com.cfg.004'.
    if rest:
        renamed = sorted(k for k in known_set if k.partition(".")[2] == rest)
        if len(renamed) == 1:
            return renamed[0]
    close = difflib.get_close_matches(wanted, sorted(known_set), n=1, cutoff=0.85)
    return close[0] if close else ""
