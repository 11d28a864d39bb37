"""A key the schema does not know, with the closest known key as a hint.

Misspelt keys would otherwise be ignored and their content lost.

FAIL::

    - id: ra2.ch.001
      kind: specification
      trace: [infra.com.cfg.004]     # did you mean 'traces'?

PASS::

    - id: ra2.ch.001
      kind: specification
      traces: [infra.com.cfg.004]
"""

from __future__ import annotations

from collections.abc import Collection

from ra2docs.findings import Finding
from ra2docs.schema import did_you_mean

CODE = "RA202"
NAME = "unknown-key"
SEVERITY = "error"
SUMMARY = "A key that the catalogue schema does not define (with a did-you-mean)."


def unknown_key(key: object, allowed: Collection[str]) -> Finding:
    hint = did_you_mean(str(key), list(allowed))
    return Finding(
        CODE,
        f"unknown key {key!r}",
        suggestion=f"did you mean {hint!r}?" if hint else f"allowed keys: {', '.join(sorted(allowed))}",
    )
