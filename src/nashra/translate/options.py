"""The translation settings (``[translation]`` of nashra.toml), as the translation stage takes them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from .. import options as check
from ..options import setting
from . import COMPUTE_TYPES, DEFAULT_MODEL, ENGINES

#: The most CPU threads a setting may ask for (torch refuses more than a 32-bit count).
MAX_THREADS = 1024


def threads(value: Any) -> int:
    if check.count(value) > MAX_THREADS:
        raise ValueError(f"must be a whole number from 1 to {MAX_THREADS}")
    return value  # type: ignore[no-any-return]


def cache(value: Any) -> str | Literal[False]:
    if value is False or (isinstance(value, str) and value):
        return value  # type: ignore[no-any-return]
    raise ValueError("must be a file name, or false for no cache")


@dataclass
class TranslationOptions:
    """Which model translates, with which engine, where, and the cache of its translations."""

    SECTION = "translation"

    model: str = setting(
        DEFAULT_MODEL, key="model", check=check.model_name, option=("--model",), envvar="NASHRA_MODEL",
        metavar="NAME|ID|PATH",
        help="opus-mt (this model: faster) or tc-big (better, CC-BY-4.0; see the Models page of the docs), a Hugging"
             " Face model id, or a folder holding the model (works offline).",
        file_note="A folder is relative to nashra.toml.")
    engine: str = setting(
        "transformers", key="engine", check=check.named_choice("translation engine", lambda: tuple(ENGINES)),
        option=("--engine",), envvar="NASHRA_ENGINE",
        help="transformers, or ctranslate2 (pip install 'nashra[ctranslate2]').")
    compute_type: str = setting(
        "int8", key="compute_type", check=check.choice(COMPUTE_TYPES), option=("--compute-type",),
        help=f"Precision of the weights with ctranslate2: {', '.join(COMPUTE_TYPES)}.")
    device: str = setting(
        "auto", key="device", check=check.device, option=("--device",), example="auto",
        help="cpu, cuda, cuda:N, or auto (CUDA when available).")
    threads: int | None = setting(
        None, key="threads", check=threads, option=("--threads",), kind=int, shown="the CPUs available", example=4,
        help=f"CPU threads for translation, 1 to {MAX_THREADS:,}.")
    #: The cache file (None: the default one in the user cache folder; False: no cache).
    cache: str | Literal[False] | None = setting(
        None, key="cache", check=cache, option=("--cache",), envvar="NASHRA_CACHE", kind="file",
        off="--no-cache", off_help="Neither read nor write the translation cache.", example="translations.sqlite3",
        shown="`translations.sqlite3` in the user cache folder",
        help="The translation cache file.", file_note="Relative to nashra.toml, or false for none.")
