"""A file is not valid YAML.

Reported with the line and column where the parser stopped. Tabs used for
indentation are the most common cause. The file is skipped (exit code 2).

FAIL::

    items:
      - id: req.inf.ntw.01
        title: Network resiliency   # a tab

PASS::

    items:
      - id: req.inf.ntw.01
        title: Network resiliency
"""

CODE = "RA102"
NAME = "yaml-syntax"
SEVERITY = "error"
SUMMARY = "A catalogue file is not valid YAML (or holds more than one document)."
