"""Pieces shared by the commands: the translator a settings object asks for, the progress bar, input text."""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..config import Settings


def make_translator(settings: Settings) -> Any:
    """The translator of ``settings``: model, engine, device, threads, cache and precision."""
    from ..translate import get_translator
    from ..translate.cache import TranslationCache, default_cache_path

    cache = None if settings.cache is False else TranslationCache(
        Path(settings.cache) if settings.cache else default_cache_path())
    options: dict[str, Any] = {"device": settings.device, "cache": cache, "threads": settings.threads}
    if settings.engine == "ctranslate2":
        options["compute_type"] = settings.compute_type
    return get_translator(settings.engine, settings.model, **options)


def _format_seconds(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}" if seconds >= 3600 else f"{seconds // 60:02d}:{seconds % 60:02d}"


@contextmanager
def progress_bar(total: int, label: str) -> Iterator[Callable[[int], None]]:
    """A progress bar with sentences/s and ETA on a terminal; nothing in CI, pipes or with -q."""
    interactive = sys.stderr.isatty() and not os.environ.get("CI")
    if total == 0 or not interactive or logging.getLogger().level > logging.WARNING:
        yield lambda done: None
        return
    started = time.monotonic()
    done = 0
    width = 30

    def draw() -> None:
        elapsed = max(time.monotonic() - started, 1e-9)
        rate = done / elapsed
        eta = _format_seconds((total - done) / rate) if rate > 0 else "--:--"
        filled = int(width * done / total)
        sys.stderr.write(f"\r{label} [{'#' * filled}{'-' * (width - filled)}] {done}/{total} "
                         f"{rate:.1f} sentences/s ETA {eta} ")
        sys.stderr.flush()

    def update(count: int) -> None:
        nonlocal done
        done = min(total, done + count)
        draw()

    draw()
    try:
        yield update
    finally:
        sys.stderr.write("\n")
        sys.stderr.flush()


def read_input(path: str) -> str:
    """The text of file ``path``, or of standard input for ``-``."""
    from ..ingest import decode

    if path == "-":
        return decode(sys.stdin.buffer.read(), "<stdin>")
    file = Path(path)
    if not file.is_file():
        from ..errors import InputError

        raise InputError(path, "no such file")
    return decode(file.read_bytes(), file)
