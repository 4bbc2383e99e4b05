"""Pieces shared by the commands: the translator a settings object asks for, input text."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from ..config import Settings


def make_translator(settings: Settings) -> Any:
    """The translator of ``settings``: model, engine, device, threads, cache and precision."""
    from ..translate import get_translator
    from ..translate.cache import default_cache_path

    cache = None if settings.cache is False else _cache(settings.cache or None, default_cache_path())
    options: dict[str, Any] = {"device": settings.device, "cache": cache, "threads": settings.threads}
    if settings.engine == "ctranslate2":
        options["compute_type"] = settings.compute_type
    return get_translator(settings.engine, settings.model, **options)


def _cache(given: Any, default: Path) -> Any:
    """The translation cache the user gave (an error when it cannot be opened), else the default one; where
    the default one cannot be made (a read-only or missing home, say) the build goes on without a cache."""
    import logging

    from ..errors import ConfigError
    from ..translate.cache import TranslationCache

    if given is not None:
        return TranslationCache(Path(given))
    try:
        return TranslationCache(default)
    except ConfigError as exc:
        logging.getLogger(__name__).warning("%s; translating without a cache (set NASHRA_CACHE_DIR or --cache to "
                                            "keep translations between builds)", exc)
        return None


def read_input(path: str) -> str:
    """The text of file ``path``, or of standard input for ``-``."""
    from ..ingest import decode

    if path == "-":
        if sys.stdin is None:  # started with its standard input closed (`<&-`)
            from ..errors import InputError

            raise InputError("<stdin>", "standard input is closed")
        return decode(sys.stdin.buffer.read(), "<stdin>")
    file = Path(path)
    if not file.is_file():
        from ..errors import InputError

        raise InputError(path, "a folder, not a file" if file.is_dir() else
                         "not a regular file" if os.path.lexists(file) else "no such file")
    return decode(file.read_bytes(), file)


def check_stdout() -> None:
    """Refuse to start a command that prints its result when standard output is closed (``>&-``)."""
    if sys.stdout is None:
        from ..errors import NashraError

        raise NashraError("<stdout>: standard output is closed")
