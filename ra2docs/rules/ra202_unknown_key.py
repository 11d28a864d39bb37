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

CODE = "RA202"
NAME = "unknown-key"
SEVERITY = "error"
SUMMARY = "A key that the catalogue schema does not define (with a did-you-mean)."
