"""Keep the cyclic garbage collector off what lives for the whole build.

CPython's collector rescans every tracked object at each full collection, and
starts one whenever the objects that survived since the last grow by a quarter
of the heap. A build keeps the catalogue, its trace graph, the environment and
every page's doctree (Sphinx holds them from reading to writing) alive to the
end; writing a page then allocates enough to start a full collection every few
pages, each rescanning all of that again. At 40,000 items that was 14 full
collections and a third of the build, growing faster than the catalogue.

So what is alive once the catalogue is loaded, and again once every page is
read, is collected once and moved to the permanent generation (``gc.freeze``),
where the collector does not look; it is given back when the build finishes,
whatever its outcome. A process that froze objects of its own (``gc.freeze``
before the build) is left alone: unfreezing would hand its objects back too.
"""

from __future__ import annotations

import gc
from contextlib import AbstractContextManager
from typing import Any

from sphinx.application import Sphinx

from ra2docs.loader import collector_paused

_FROZEN = "_ra2docs_froze_gc"


def freeze(app: Sphinx, *args: Any) -> None:
    """builder-inited (after loading) and env-updated: what exists now lives to the end of the build."""
    # Objects someone else froze: unfreezing at the end would release theirs. (Asked only before
    # ra2docs freezes anything: the count walks the whole permanent generation, a million objects
    # at 100,000 items, and asking at every page made reading 8x slower.)
    if not getattr(app, _FROZEN, False) and gc.get_freeze_count():
        return
    # A collection first, so that no garbage of the reading is kept until the end.
    gc.collect()
    gc.freeze()
    setattr(app, _FROZEN, True)


def held(app: Sphinx) -> AbstractContextManager[None]:
    """The collector waits while the catalogue is loaded and checked, then collects once and freezes.

    Loading and checking create no cycles. Once the collector runs again, the objects made
    meanwhile (a million at 100,000 items) are all young: it would go through them as the
    young generation, again as the middle one, and again before freezing them. Here they
    are gone through once.
    """
    return collector_paused(then=lambda: freeze(app))


def thaw(app: Sphinx, exception: BaseException | None) -> None:
    """build-finished: give the objects back to the collector."""
    if getattr(app, _FROZEN, False):
        gc.unfreeze()
        setattr(app, _FROZEN, False)


def setup_collector(app: Sphinx) -> None:
    # After the catalogue is loaded (400) and the generated pages written (450).
    app.connect("builder-inited", freeze, priority=900)
    # After each page is read: what the environment gained (its targets, what it shows, its doctree) stays.
    app.connect("doctree-read", freeze, priority=900)
    # After ra2docs remembers what each page showed (500, the default): the last change to the environment.
    app.connect("env-updated", freeze, priority=900)
    app.connect("build-finished", thaw, priority=900)
