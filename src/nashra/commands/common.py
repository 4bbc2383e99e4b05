"""Pieces shared by the commands: the translator a settings object asks for, input text."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..translate.options import TranslationOptions

if TYPE_CHECKING:
    from ..translate import Translator


def make_translator(settings: TranslationOptions) -> Translator:
    """The translator of the translation settings: model, engine, device, threads, cache and precision."""
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
    """The text of file ``path``, or of standard input for ``-``, at most the file size limit of a build.

    A named pipe is read as standard input is (so ``nashra translate <(command)`` works); other special
    files (``/dev/zero``, sockets) are refused.
    """
    import stat

    from ..errors import InputError
    from ..ingest.files import decode

    if path == "-":
        if sys.stdin is None:  # started with its standard input closed (`<&-`)
            raise InputError("<stdin>", "standard input is closed")
        return decode(_read_limited(sys.stdin.buffer, "<stdin>"), "<stdin>")
    file = Path(path)
    try:
        is_pipe = stat.S_ISFIFO(file.stat().st_mode)
    except OSError:
        is_pipe = False
    if not is_pipe and not file.is_file():
        raise InputError(path, "a folder, not a file" if file.is_dir() else
                         "not a regular file" if os.path.lexists(file) else "no such file")
    with file.open("rb") as handle:
        return decode(_read_limited(handle, path), file)


def _read_limited(stream: Any, name: str) -> bytes:
    """All of ``stream``, refused past the file size limit of a build (``cat /dev/zero |`` ends, with a line)."""
    from ..errors import InputError
    from ..ingest.files import MAX_FILE_BYTES

    data = stream.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise InputError(name, f"more than {MAX_FILE_BYTES:,} bytes; the limit is {MAX_FILE_BYTES:,}")
    return data  # type: ignore[no-any-return]


def check_stdout() -> None:
    """Refuse to start a command that prints its result when standard output is closed (``>&-``)."""
    if sys.stdout is None:
        from ..errors import NashraError

        raise NashraError("<stdout>: standard output is closed")
