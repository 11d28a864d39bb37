"""A catalogue file (or the catalogue folder) cannot be read.

The folder does not exist, holds no ``.yaml`` files, or a file is not UTF-8
text. Nothing else can be checked in such a file, so the run ends with exit
code 2 after reporting every other problem it found.

FAIL (a file saved as Latin-1)::

    items:
      - id: req.inf.ntw.01
        title: Résilience      # byte 0xe9, not UTF-8

PASS: save the file as UTF-8.
"""

CODE = "RA101"
NAME = "unreadable-file"
SEVERITY = "error"
SUMMARY = "The catalogue folder or a file in it cannot be read as UTF-8 text."
