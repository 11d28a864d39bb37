"""A catalogue file (or the catalogue folder) cannot be read.

The folder does not exist or holds no ``.yaml`` files; a file is not UTF-8
text, is larger than a catalogue file may be, or is not a regular file; the
catalogue is larger, or defines more items, than the limits allow. A
symbolic link in the catalogue (a file or a folder, wherever it points) is
never followed: it is reported here by its own name, and what it points at
is never read or printed. Nothing else can be checked in such a file, so the
run ends with exit code 2 after reporting every other problem it found.

FAIL (a file saved as Latin-1)::

    items:
      - id: req.inf.ntw.01
        title: Résilience      # byte 0xe9, not UTF-8

PASS: save the file as UTF-8.
"""

from __future__ import annotations

from ra2docs.findings import Finding

CODE = "RA101"
NAME = "unreadable-file"
SEVERITY = "error"
SUMMARY = "The catalogue folder or a file in it cannot be read as UTF-8 text (or is a link, or too large)."


def folder_missing(exists: bool) -> Finding:
    return Finding(
        CODE,
        "not a folder" if exists else "catalogue folder not found",
        suggestion="give the folder that holds the catalogue's .yaml files",
    )


def no_files() -> Finding:
    return Finding(
        CODE,
        "no catalogue files (*.yaml) in this folder",
        suggestion="point at the folder that holds the catalogue, e.g. catalogue/",
    )


def cannot_read(reason: str) -> Finding:
    return Finding(CODE, f"cannot read file: {reason}")


def not_utf8(byte: int, offset: int) -> Finding:
    return Finding(
        CODE, f"file is not UTF-8 (byte 0x{byte:02x} at offset {offset})", suggestion="save the file as UTF-8"
    )


def symbolic_link(folder: bool) -> Finding:
    """A link is refused whatever it points at: the target is never read, so its content cannot leak."""
    what = "folder" if folder else "file"
    return Finding(
        CODE,
        f"a symbolic link to a {what}; not followed",
        suggestion=f"put the catalogue {what} itself here; ra2docs reads no catalogue content through a link",
    )


def not_a_regular_file() -> Finding:
    return Finding(CODE, "not a regular file; not read", suggestion="catalogue files are plain .yaml files")


def file_too_large(size: int, limit: int) -> Finding:
    return Finding(
        CODE,
        f"file holds {size:,} bytes, more than the {limit:,} a catalogue file may hold; not read",
        suggestion="split it into several files (one per chapter section or topic)",
    )


def catalogue_too_large(size: int, limit: int) -> Finding:
    return Finding(
        CODE,
        f"the catalogue files hold {size:,} bytes together, more than the {limit:,} allowed; nothing was read",
        suggestion="is this the catalogue folder? A catalogue of 100,000 items holds about 32 MB",
    )


def too_many_items(limit: int, files_left: int) -> Finding:
    after = f" and the {files_left:,} after it" if files_left else ""
    return Finding(
        CODE,
        f"the catalogue defines more than {limit:,} items; this file{after} were not read",
        suggestion="is this the catalogue folder? RA2 has about 1,000 items",
    )


def not_read_at_revision(reason: str) -> Finding:
    """``ra2docs diff``: an entry of the catalogue folder at a revision that is not read (a link, too large, ...)."""
    return Finding(
        CODE,
        f"not read: {reason}",
        suggestion="commit the catalogue file itself; ra2docs diff reads regular files only",
    )


def bad_settings(message: str) -> Finding:
    return Finding(CODE, message)
