"""The ra2docs settings of a git revision, and what a change does to them (``ra2docs diff``).

``diff`` judges both revisions with the base revision's settings, read here
from git the way :mod:`ra2docs.settings` finds them from the catalogue
folder; every setting a change alters, in that file or in any other
``ra2docs.toml`` or ``pyproject.toml`` ``[tool.ra2docs]`` of the repository,
becomes an RA901 finding.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from ra2docs.findings import Finding, Ra2docsError
from ra2docs.gitread import SettingsFile, settings_file, settings_files_changed, settings_table
from ra2docs.rules import all_rules
from ra2docs.rules.ra901_settings_changed import other_settings_changed, setting_changed, unreadable_settings
from ra2docs.settings import Settings, load_settings


def settings_at(
    root: Path, commit: str, catalogue: str, scratch: Path, label: str
) -> tuple[Settings, SettingsFile | None]:
    """The settings of a revision, read through ``ra2docs.settings`` from a scratch copy of their file."""
    found = settings_file(root, commit, catalogue)
    if found is None:
        return Settings(), None
    local = scratch / found.path
    local.parent.mkdir(parents=True, exist_ok=True)
    local.write_bytes(found.content)
    try:
        settings = load_settings(local, found.is_pyproject)
    except Ra2docsError as exc:
        raise Ra2docsError(str(exc).replace(str(local), f"{found.path} at {label}"), exc.findings) from None
    if settings.catalogue is not None:  # compared as written, relative to the repository
        settings.catalogue = Path(os.path.relpath(settings.catalogue, scratch))
    return settings, found


def _setting_values(settings: Settings) -> dict[str, str]:
    """Each setting as a name and a value that two revisions can compare (rule names made codes)."""
    rules = all_rules()
    codes = {rule.name: rule.code for rule in rules.values()}
    values = {"ids": settings.ids}
    if settings.catalogue is not None:
        values["catalogue"] = settings.catalogue.as_posix()
    for kind, pattern in settings.id_patterns.items():
        values[f"id-patterns {kind}"] = pattern
    for key, severity in settings.severity.items():
        code = codes.get(key, key)
        values[f"severity {code} {rules[code].name}" if code in rules else f"severity {key}"] = severity
    return values


def settings_changes(
    before: Settings, before_file: SettingsFile | None, after: Settings, after_file: SettingsFile | None
) -> list[Finding]:
    old, new = _setting_values(before), _setting_values(after)
    changed_file = after_file or before_file
    if changed_file is None:
        return []
    where = changed_file.path + (" [tool.ra2docs]" if changed_file.is_pyproject else "")
    found = []
    for name in sorted(old.keys() | new.keys()):
        if old.get(name) != new.get(name):
            finding = setting_changed(where, name, _setting_text(old.get(name)), _setting_text(new.get(name)))
            found.append(finding.placed(changed_file.path))
    return found


def other_settings_changes(root: Path, base: str, head: str, compared: set[str]) -> list[Finding]:
    """Changed ra2docs settings in the repository's other settings files (``check`` run elsewhere reads them)."""
    found = []
    for path in settings_files_changed(root, base, head):
        if path in compared:
            continue
        try:
            if settings_table(root, base, path) == settings_table(root, head, path):
                continue  # a pyproject.toml whose other tables changed
        except Ra2docsError as exc:
            found.append(unreadable_settings(path, str(exc)).placed(path))
            continue
        found.append(other_settings_changed(path).placed(path))
    return found


def _setting_text(value: str | None) -> str:
    return "not set" if value is None else json.dumps(value, ensure_ascii=False)
