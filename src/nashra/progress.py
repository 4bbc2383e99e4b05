"""Progress reporting shared by the stages: the callback types and the translation progress bar.

A stage that reports progress takes a :data:`ProgressFactory`: called with the
amount of work, it yields a :data:`ProgressCallback` to call with each amount
finished. :func:`no_progress` reports nothing; :func:`progress_bar` draws a
``tqdm`` bar on an interactive terminal.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager

#: Called with the number of items (sentences) just finished.
ProgressCallback = Callable[[int], None]
#: Called with the total number of items to do; yields the callback.
ProgressFactory = Callable[[int], AbstractContextManager[ProgressCallback]]


@contextmanager
def no_progress(total: int) -> Iterator[ProgressCallback]:
    """A progress factory that reports nothing."""
    yield lambda done: None


def interactive() -> bool:
    """Whether stderr is a terminal a person watches (not a pipe, not CI)."""
    return sys.stderr.isatty() and not os.environ.get("CI")


def quiet() -> bool:
    """Whether logging is quieter than WARNING (``-q``)."""
    return logging.getLogger().getEffectiveLevel() > logging.WARNING


@contextmanager
def progress_bar(total: int, label: str, unit: str = "sentence") -> Iterator[ProgressCallback]:
    """A progress bar with the rate and time left on a terminal; nothing in CI, pipes or with ``-q``."""
    if total == 0 or not interactive() or quiet():
        yield lambda done: None
        return
    from tqdm import tqdm  # type: ignore[import-untyped]

    with tqdm(total=total, desc=label, unit=unit, file=sys.stderr, dynamic_ncols=True, mininterval=0.2) as bar:
        def update(count: int) -> None:
            bar.update(min(count, total - bar.n))

        yield update


__all__ = ["ProgressCallback", "ProgressFactory", "interactive", "no_progress", "progress_bar", "quiet"]
