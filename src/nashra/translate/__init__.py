"""Translation engines behind one interface, chosen by name.

>>> translator = get_translator("transformers", "Helsinki-NLP/opus-mt-ar-en")  # doctest: +SKIP
>>> translator.translate(["..."])  # doctest: +SKIP
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from ..errors import ConfigError
from .base import Translator
from .model_files import DEFAULT_MODEL
from .models import MODELS, resolve_name

#: Precision of the weights with --engine ctranslate2 (CTranslate2's compute types).
COMPUTE_TYPES = ("int8", "int8_float32", "int8_float16", "int16", "float16", "bfloat16", "float32")

#: Engine name -> "module:Class", imported only when the engine is used.
ENGINES: dict[str, str] = {
    "transformers": "nashra.translate.marian:MarianTranslator",
    "ctranslate2": "nashra.translate.ct2:CTranslate2Translator",
}

__all__ = ["COMPUTE_TYPES", "DEFAULT_MODEL", "ENGINES", "MODELS", "Translator", "get_translator"]


def get_translator(engine: str, model: str = DEFAULT_MODEL, **options: Any) -> Translator:
    """Create the translator registered as ``engine`` (the model loads on first use).

    ``model`` is a short name of :data:`MODELS` (``opus-mt``, ``tc-big``), a model id or a folder.
    """
    try:
        target = ENGINES[engine]
    except KeyError:
        raise ConfigError(f"unknown translation engine '{engine}' (choose from {', '.join(ENGINES)})") from None
    module_name, class_name = target.split(":")
    cls = getattr(import_module(module_name), class_name)
    return cls(resolve_name(model), **options)
