"""``ra2docs_process_tuning``: a build may tune the whole process, when conf.py says so.

Off by default: Sphinx runs ra2docs inside a process it shares with other extensions (and
with whatever runs Sphinx in-process), so a build leaves the garbage collector and the
process alone. Set ``ra2docs_process_tuning = True`` (or ``-D ra2docs_process_tuning=1``)
when the build is a ``sphinx-build`` of its own, to build a large catalogue faster
(benchmarks/RESULTS.md, "Process tuning"):

- the collector waits while the catalogue is loaded and checked, and a large catalogue is
  read by a forked worker as well (``ra2docs.process``);
- what is alive once the catalogue is loaded, and again once each page is read, is collected
  once and moved to the permanent generation (``gc.freeze``), where the collector does not look;
  it is given back when the build finishes, whatever its outcome.

Why it pays: CPython's collector rescans every tracked object at each full collection, and
starts one whenever the objects that survived since the last grow by a quarter of the heap.
A build keeps the catalogue, its trace graph, the environment and every page's doctree alive
to the end; writing a page then allocates enough to start a full collection every few pages,
each rescanning all of that again. A process that froze objects of its own (``gc.freeze``
before the build) is left alone: unfreezing would hand its objects back too.
"""

from __future__ import annotations

import gc
from contextlib import AbstractContextManager, ExitStack, nullcontext
from typing import Any

from sphinx.application import Sphinx

from ra2docs.process import collector_paused, owned

_FROZEN = "_ra2docs_froze_gc"


def tuning(app: Sphinx) -> bool:
    return bool(app.config.ra2docs_process_tuning)


def freeze(app: Sphinx, *args: Any) -> None:
    """builder-inited (after loading), doctree-read and env-updated: what exists now lives to the end of the build."""
    if not tuning(app):
        return
    # Objects someone else froze: unfreezing at the end would release theirs. (Asked only before
    # ra2docs freezes anything: the count walks the whole permanent generation, a million objects
    # at 100,000 items, and asking at every page made reading 8x slower.)
    if not getattr(app, _FROZEN, False) and gc.get_freeze_count():
        return
    # A collection first, so that no garbage of the reading is kept until the end.
    gc.collect()
    gc.freeze()
    setattr(app, _FROZEN, True)


def held(app: Sphinx) -> AbstractContextManager[object]:
    """Around loading and checking the catalogue: with tuning on, the process is ra2docs' own meanwhile.

    Loading and checking create no cycles. Once the collector runs again, the objects made
    meanwhile (a million at 100,000 items) are all young: it would go through them as the
    young generation, again as the middle one, and again before freezing them. Paused, and
    frozen when it resumes, they are gone through once. With tuning off, nothing is changed.
    """
    if not tuning(app):
        return nullcontext()
    stack = ExitStack()
    stack.enter_context(owned())
    stack.enter_context(collector_paused(then=lambda: freeze(app)))
    return stack


def thaw(app: Sphinx, exception: BaseException | None) -> None:
    """build-finished: give the objects back to the collector."""
    if getattr(app, _FROZEN, False):
        gc.unfreeze()
        setattr(app, _FROZEN, False)


def setup_collector(app: Sphinx) -> None:
    # Whether a build may tune the whole process (see above); it changes no output.
    app.add_config_value("ra2docs_process_tuning", False, "", [bool])
    # After the catalogue is loaded (400) and the generated pages written (450).
    app.connect("builder-inited", freeze, priority=900)
    # After each page is read: what the environment gained (its targets, what it shows, its doctree) stays.
    app.connect("doctree-read", freeze, priority=900)
    # After ra2docs remembers what each page showed (500, the default): the last change to the environment.
    app.connect("env-updated", freeze, priority=900)
    app.connect("build-finished", thaw, priority=900)
