"""Speed-ups that change the whole Python process, taken only where ra2docs owns the process.

Loading and checking a large catalogue go faster when the cyclic garbage collector
waits (they allocate hundreds of thousands of objects and make no cycles) and when a
forked worker reads half of the files. Both act on the whole process: a program that
runs ra2docs in-process (Sphinx with other extensions, a language server, a test suite)
would find its collector paused or its threads copied into a fork. So they are taken
only inside ``owned()``: the ``ra2docs`` command enters it for the whole run, a Sphinx
build only when conf.py sets ``ra2docs_process_tuning = True`` (ra2docs.sphinx.collector).
Called as a library, ra2docs leaves the process as it found it.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_OWNED: ContextVar[bool] = ContextVar("ra2docs_owns_process", default=False)


@contextmanager
def owned() -> Iterator[None]:
    """Within it, the process is ra2docs' own: the collector may wait and a worker may be forked."""
    token = _OWNED.set(True)
    try:
        yield
    finally:
        _OWNED.reset(token)


def is_owned() -> bool:
    return _OWNED.get()


@contextmanager
def collector_paused(then: Callable[[], object] | None = None) -> Iterator[None]:
    """In a process ra2docs owns, pause the cyclic garbage collector; elsewhere, nothing.

    The collector would rescan the growing heap again and again (half the time of a
    10,000-item check), so it waits until the end. ``then`` runs just before it
    resumes, when this pause is the outermost one (to freeze what was made: see
    ``ra2docs.cli`` and ``ra2docs.sphinx.collector``).
    """
    if not is_owned():
        yield
        return
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if then is not None:
                then()
            gc.enable()
