"""The same ID is defined twice; both places are named.

IDs are global across the catalogue: a link to a duplicated ID is
ambiguous. Upstream RA2 of August 2020 defines ``ra2.ch.015`` twice.

FAIL::

    - id: ra2.ch.015
      title: Physical NIC Speed - Network Intensive Profile
    - id: ra2.ch.015
      title: Physical PCIe slots

PASS: give the second one a new ID (``ra2.ch.022``) and record the change.
"""

CODE = "RA301"
NAME = "duplicate-id"
SEVERITY = "error"
SUMMARY = "An ID is defined more than once in the catalogue."
