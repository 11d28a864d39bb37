"""A change reviewed by ``ra2docs diff`` changes the ra2docs settings.

``ra2docs diff`` judges both revisions with the settings of the base
revision (``ra2docs.toml``, or ``[tool.ra2docs]`` in ``pyproject.toml``, as
found from the catalogue folder at that revision): a pull request cannot
lower its own gate by switching a rule off, lowering a severity or widening
an ID pattern in the same change that needs it. Each setting the change
adds, removes or alters is reported here, so that the reviewer sees it, and
so is a change to the ra2docs settings of any other ``ra2docs.toml`` or
``pyproject.toml`` of the repository; the new settings apply once the
change is merged. A change to the catalogue's baseline of known findings
(``ra2docs-baseline.json``) is reported the same way. Only ``diff`` reports it.

FAIL (in a pull request that also adds a dangling trace)::

    [tool.ra2docs.severity]
    dangling-link = "off"      # the dangling trace still fails the gate, and this is reported

PASS: change the settings in a pull request of their own, reviewed as such.
"""

from __future__ import annotations

from ra2docs.findings import Finding

CODE = "RA901"
NAME = "settings-changed"
SEVERITY = "warning"
SUMMARY = "The change alters ra2docs settings; diff judges it with the base revision's settings."


def setting_changed(where: str, setting: str, before: str, after: str) -> Finding:
    return Finding(
        CODE,
        f"{where}: {setting}: {before} -> {after}",
        suggestion="this change is judged with the settings of the base revision; "
        "change the settings in a pull request of their own",
    )


def other_settings_changed(path: str) -> Finding:
    """A settings file changed that is not the one found from the catalogue folder (commands run elsewhere read it)."""
    return Finding(
        CODE,
        f"{path}: ra2docs settings changed (not the file found from the catalogue folder, "
        "but a command run from another folder may read it)",
        suggestion="change the settings in a pull request of their own",
    )


def baseline_changed(path: str) -> Finding:
    """The catalogue's baseline of known findings changed: what it lists never fails check or a build."""
    return Finding(
        CODE,
        f"{path}: the baseline of known findings changed (a finding it lists never fails check or a build)",
        suggestion="diff judges new findings against the base revision, whatever the baseline says; "
        "grow the baseline only in a pull request of its own, shrink it when a defect is fixed",
    )


def unreadable_settings(where: str, reason: str) -> Finding:
    return Finding(
        CODE,
        f"{where}: the changed settings cannot be read: {reason}",
        suggestion="this change is judged with the settings of the base revision",
    )
