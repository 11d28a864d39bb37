"""A mapping has the same key twice.

YAML readers silently keep the last of two equal keys, so the first value
would be lost without a word. ra2docs reports both lines instead.

FAIL::

    - id: req.inf.ntw.03
      priority: SHOULD
      priority: MUST

PASS::

    - id: req.inf.ntw.03
      priority: SHOULD
"""

CODE = "RA103"
NAME = "duplicate-key"
SEVERITY = "error"
SUMMARY = "A YAML mapping repeats a key; the first value would be silently lost."
