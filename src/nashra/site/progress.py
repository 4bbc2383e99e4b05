"""Say what publishing is doing while it runs: writing pages, rendering HTML, feeds.

On a terminal each step shows a tqdm bar on stderr; elsewhere (a pipe, CI)
each step is one INFO line when it starts and one when it ends, seen with
``-v``. Nothing is shown when logging is quieter than WARNING (``-q``).

MkDocs renders a site of one part in this process: its hooks report each page
(:func:`page_rendered`), so the bar moves page by page. A larger site is
rendered by other processes, and the bar moves a part at a time.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from ..progress import interactive, quiet

log = logging.getLogger(__name__)

#: What the page being rendered in this process reports to (see :func:`page_rendered`).
_page_listener: list[Callable[[int], None]] = []


@contextmanager
def step(what: str, total: int | None, unit: str = "page", pages: bool = False) -> Iterator[Callable[[int], None]]:
    """One step of publishing: yields ``update(count)``; ``pages``: pages rendered here report to it."""
    started = time.monotonic()
    done = 0
    bar = None
    if not quiet() and interactive():
        from tqdm import tqdm  # type: ignore[import-untyped]

        bar = tqdm(total=total, desc=what, unit=unit, file=sys.stderr, leave=False, dynamic_ncols=True,
                   mininterval=0.3)
    else:
        log.info("%s%s...", what, f" ({total} {unit}s)" if total else "")

    def update(count: int) -> None:
        nonlocal done
        done += count
        if bar is not None:
            bar.update(count)

    if pages:
        _page_listener.append(update)
    try:
        yield update
    finally:
        if pages:
            _page_listener.remove(update)
        if bar is not None:
            bar.close()
        counted = f"{done} {unit}{'s' if done != 1 else ''} in " if done else ""
        line = f"{what}: {counted}{time.monotonic() - started:.1f} s"
        if bar is not None and not quiet():
            # The bar goes (leave=False); one line says what the step did and how long it took.
            sys.stderr.write(line + "\n")
            sys.stderr.flush()
        else:
            log.info("%s", line)


def page_rendered() -> None:
    """Called by the site's MkDocs hooks for each page written (nothing when no step listens)."""
    if _page_listener:
        _page_listener[-1](1)


__all__ = ["page_rendered", "step"]
