"""One settings file for the CLI and the Sphinx build: catalogue path, severities, ID patterns.

Where the settings are found, first match wins:

1. the file named explicitly (``--config`` on the command line, ``ra2docs_settings`` in conf.py);
2. walking up from the catalogue folder (or from the current folder when no catalogue is
   named) to the top of the git repository: in each folder ``ra2docs.toml``, then the
   ``[tool.ra2docs]`` table of ``pyproject.toml``;
3. with no catalogue named and nothing found: ``catalogue/ra2docs.toml`` below the current folder.

So one file at the top of a repository (``ra2docs adopt`` writes it there, naming the
catalogue folder) serves the repository root, the documentation folder, the catalogue
folder and the Sphinx build alike. The walk stops at the repository's top: settings
outside the repository are never read.

``ra2docs.toml`` holds the keys at its top level; ``pyproject.toml`` under ``[tool.ra2docs]``::

    catalogue = "catalogue"        # relative to the settings file
    baseline = "catalogue/ra2docs-baseline.json"  # known findings (default: that name in the catalogue folder)
    ids = "ra2-today"              # ID preset: ra2-today (gen.cnt.02) or ra2-2020 (req.gen.cnt.02)

    [id-patterns]                  # a regular expression per kind, matched against the whole ID
    specification = '^ra2\\.[a-z0-9]+\\.[0-9]{3}$'

    [severity]                     # rule code or name -> error, warning, info or off
    duplicate-id = "warning"
"""

from __future__ import annotations

import dataclasses
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ra2docs.context import CheckOptions
from ra2docs.findings import SEVERITY_SETTINGS, Ra2docsError, SeveritySetting
from ra2docs.kinds import KindSpec, builtin_kinds
from ra2docs.patterns import PatternError, compile_pattern
from ra2docs.rules.ra101_unreadable_file import bad_settings

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10, as on RA2's Read the Docs
    import tomli as tomllib

SETTINGS_FILE = "ra2docs.toml"
KNOWN_KEYS = {"catalogue", "baseline", "ids", "id-patterns", "severity"}

# ID shapes of RA2 requirements over time; the other kinds keep the patterns of kinds.yaml.
ID_PRESETS: dict[str, dict[str, str]] = {
    "ra2-2020": {"ra-requirement": r"req\.[a-z]{3}\.[a-z]{3}\.[0-9]{2}"},
    "ra2-today": {"ra-requirement": r"[a-z]{3}\.[a-z]{3}\.[0-9]{2}"},
}
DEFAULT_PRESET = "ra2-2020"


@dataclass
class Settings:
    """What a settings file says; every field has a default, so no file is needed."""

    path: Path | None = None  # the file read, if any
    catalogue: Path | None = None  # absolute, when the file names one
    baseline: Path | None = None  # absolute, when the file names one (else ra2docs-baseline.json in the catalogue)
    ids: str = DEFAULT_PRESET
    id_patterns: dict[str, str] = field(default_factory=dict)
    severity: dict[str, SeveritySetting] = field(default_factory=dict)

    def kinds(self) -> dict[str, KindSpec]:
        """The built-in kinds with this project's ID patterns (patterns match whole IDs)."""
        patterns = {**ID_PRESETS[self.ids], **self.id_patterns}
        kinds = {}
        for name, kind in builtin_kinds().items():
            wanted = patterns.get(name)
            # RE2, as for match patterns: the settings file sits in the catalogue folder, which pull requests edit
            kinds[name] = dataclasses.replace(kind, id_pattern=compile_pattern(wanted)) if wanted else kind
        return kinds

    def check_options(self, catalogue: Path) -> CheckOptions:
        """What the checks of ``catalogue`` take from the settings: severities and the known findings."""
        from ra2docs.baseline import BASELINE_FILE, read

        path = self.baseline or catalogue / BASELINE_FILE
        if self.baseline is not None or path.is_file() or path.is_symlink():
            return CheckOptions(dict(self.severity), read(path), str(path))
        return CheckOptions(dict(self.severity))

    def describe(self) -> str:
        return str(self.path) if self.path else "built-in defaults"


def _error(path: Path, message: str) -> Ra2docsError:
    return Ra2docsError(f"{path}: {message}", [bad_settings(message).placed(str(path))])


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise _error(path, f"cannot read settings: {exc}") from None


def repository_top(start: Path) -> Path | None:
    """The top of the git working tree holding ``start`` (the nearest folder with ``.git``), if any."""
    for folder in [start, *start.parents]:
        if (folder / ".git").exists():
            return folder
    return None


def settings_in(folder: Path) -> tuple[Path | None, bool]:
    candidate = folder / SETTINGS_FILE
    if candidate.is_file() or candidate.is_symlink():  # a link is found, and refused where it is read
        return candidate, False
    candidate = folder / "pyproject.toml"
    if candidate.is_symlink():
        return candidate, True
    if candidate.is_file() and _read_toml(candidate).get("tool", {}).get("ra2docs") is not None:
        return candidate, True
    return None, False


def find_settings(catalogue: Path | None = None, start: Path | None = None) -> tuple[Path | None, bool]:
    """The settings file for a catalogue folder (or, with none, for ``start``): (path, is_pyproject)."""
    origin = Path(os.path.abspath(catalogue if catalogue is not None else (start or Path.cwd())))
    top = repository_top(origin)
    for folder in [origin, *origin.parents]:
        found = settings_in(folder)
        if found[0] is not None:
            return found
        if folder == top:
            break
    if catalogue is None:
        below = origin / "catalogue" / SETTINGS_FILE
        if below.is_file():
            return below, False
    return None, False


def load_settings(path: Path | None, is_pyproject: bool | None = None) -> Settings:
    """Read and check a settings file (``None``: the defaults)."""
    if path is None:
        return Settings()
    if path.is_symlink():
        # a link could name settings outside the repository: its severities would judge the catalogue
        raise _error(path, "a settings file must be a regular file, not a link; not read")
    if not path.is_file():
        raise _error(path, "settings file not found")
    data = _read_toml(path)
    if is_pyproject is None:
        is_pyproject = path.name == "pyproject.toml"
    table = data.get("tool", {}).get("ra2docs", {}) if is_pyproject else data
    where = "[tool.ra2docs]" if is_pyproject else path.name
    if not isinstance(table, dict):
        raise _error(path, f"{where} must be a table")
    unknown = sorted(set(table) - KNOWN_KEYS)
    if unknown:
        from ra2docs.schema import did_you_mean

        hint = did_you_mean(unknown[0], sorted(KNOWN_KEYS))
        raise _error(
            path,
            f"{where}: unknown setting {unknown[0]!r}"
            + (f"; did you mean {hint!r}?" if hint else f"; settings: {', '.join(sorted(KNOWN_KEYS))}"),
        )
    settings = Settings(path=path)
    if "catalogue" in table:
        if not isinstance(table["catalogue"], str) or not table["catalogue"]:
            raise _error(path, f"{where}: catalogue must be a folder name")
        # no link is followed here: a catalogue folder that is a link is refused where it is read
        settings.catalogue = Path(os.path.normpath(path.parent.absolute() / table["catalogue"]))
        # A pull request edits the settings: they must not point the checks at files outside the
        # repository holding them (their folder, outside git). A catalogue folder that is a link
        # is refused where it is read (the loader; diff), with its own message.
        home = repository_top(path.parent.absolute()) or path.parent.absolute()
        if not settings.catalogue.is_relative_to(home):
            raise _error(
                path, f"{where}: catalogue = {table['catalogue']!r}: the catalogue folder must be inside {home}"
            )
    if "baseline" in table:
        if not isinstance(table["baseline"], str) or not table["baseline"]:
            raise _error(path, f"{where}: baseline must be a file name")
        settings.baseline = Path(os.path.normpath(path.parent.absolute() / table["baseline"]))
    ids = table.get("ids", DEFAULT_PRESET)
    if ids not in ID_PRESETS:
        raise _error(path, f"{where}: ids = {ids!r}; use one of: {', '.join(ID_PRESETS)}")
    settings.ids = ids
    settings.id_patterns = _patterns(path, where, table.get("id-patterns", {}))
    settings.severity = check_severities(table.get("severity", {}), f"{where} severity", path)
    return settings


def _patterns(path: Path, where: str, table: Any) -> dict[str, str]:
    if not isinstance(table, dict):
        raise _error(path, f"{where}: id-patterns must be a table of kind = 'regular expression'")
    kinds = builtin_kinds()
    patterns: dict[str, str] = {}
    for kind, pattern in table.items():
        if kind not in kinds:
            raise _error(path, f"{where} id-patterns: unknown kind {kind!r}; kinds: {', '.join(kinds)}")
        if not isinstance(pattern, str):
            raise _error(path, f"{where} id-patterns: {kind} must be a regular expression in quotes")
        try:
            compile_pattern(pattern)
        except PatternError as exc:
            raise _error(
                path,
                f"{where} id-patterns: {kind}: not a regular expression RE2 can run ({exc}); RE2 has no "
                "backreferences or lookaround",
            ) from None
        patterns[kind] = pattern
    return patterns


def check_severities(table: Any, where: str, path: Path | None = None) -> dict[str, SeveritySetting]:
    """Rule codes or names mapped to a severity; anything else is a clear error."""
    from ra2docs.rules import all_rules
    from ra2docs.schema import did_you_mean

    def fail(message: str) -> Ra2docsError:
        return _error(path, message) if path is not None else Ra2docsError(message)

    if not isinstance(table, dict):
        raise fail(f"{where} must be a table of rule = severity")
    rules = all_rules()
    names = {r.name for r in rules.values()}
    checked: dict[str, SeveritySetting] = {}
    for key, value in table.items():
        if key not in rules and key not in names:
            hint = did_you_mean(str(key), [*rules, *names])
            raise fail(f"{where}: unknown rule {key!r}" + (f"; did you mean {hint!r}?" if hint else ""))
        if value not in SEVERITY_SETTINGS:
            raise fail(f"{where}: {key} = {value!r}; use one of: error, warning, info, off")
        rule = rules.get(key) or next(r for r in rules.values() if r.name == key)
        if not rule.configurable and value != rule.severity:
            raise fail(
                f"{where}: {key} = {value!r}; {rule.code} {rule.name} is a safety rule and always "
                f"{rule.severity}: remove the setting (the file it refuses is never read)"
            )
        checked[str(key)] = value
    return checked


def settings_for(catalogue: Path | None, explicit: Path | None = None, start: Path | None = None) -> Settings:
    """The settings that apply to ``catalogue``: the CLI and the Sphinx build both ask here."""
    if explicit is not None:
        return load_settings(explicit)
    path, is_pyproject = find_settings(catalogue, start)
    return load_settings(path, is_pyproject)
