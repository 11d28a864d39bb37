"""The ``ra2docs`` console script: see ``ra2docs.commands``, where the commands are."""

from __future__ import annotations

import sys

from ra2docs.commands import build_parser, console_main, main

__all__ = ["build_parser", "console_main", "main"]

if __name__ == "__main__":  # pragma: no cover
    sys.exit(console_main())
