"""A YAML file in the catalogue folder that holds no catalogue content.

An empty file is a warning; a file whose top level is a list or a single
value instead of a mapping (``items:``, ``profiles:``, ``sources:``,
``comparisons:``) is an error.

FAIL::

    - id: req.inf.ntw.01

PASS::

    items:
      - id: req.inf.ntw.01
        kind: ra-requirement
"""

CODE = "RA105"
NAME = "not-a-catalogue-file"
SEVERITY = "error"
SUMMARY = "A file is empty or its top level is not a mapping of catalogue sections."
