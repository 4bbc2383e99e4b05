"""Input normalization matching what OPUS-MT models saw in training.

Control and format characters (ZWNJ, ZWJ, LRM/RLM, the Arabic letter mark,
zero-width space, BOM, bidi embeddings) become spaces, runs of whitespace
collapse to one space, the ellipsis character becomes three dots, and
punctuation is normalized as Moses' ``normalize-punctuation`` does (the
OPUS-MT training data went through it): typographic quotes and guillemets
become ``"``, dashes ``-``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import cache

_FORMAT_CHARS = "\u200b\u200c\u200d\u200e\u200f\u061c\ufeff\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u00ad"
_FORMAT_RE = re.compile(f"[{_FORMAT_CHARS}\x00-\x1f\x7f-\x9f]")
_SPACE_RE = re.compile(r"\s+")


@cache
def punctuation_normalizer(lang: str = "ar") -> Callable[[str], str]:
    """Moses' punctuation normalizer for ``lang`` (built once; importing sacremoses takes ~0.4 s)."""
    try:
        from sacremoses import MosesPunctNormalizer
    except ImportError:  # pragma: no cover - a dependency; degrade gracefully
        return lambda text: text
    return MosesPunctNormalizer(lang).normalize


def normalize_source(text: str, lang: str = "ar") -> str:
    """Normalize one source sentence for translation (and for the cache key)."""
    text = _FORMAT_RE.sub(" ", text)
    if any(unicodedata.category(c) == "Cf" for c in text):
        text = "".join(" " if unicodedata.category(c) == "Cf" else c for c in text)
    text = _SPACE_RE.sub(" ", text.replace("…", "...")).strip()
    if not text:
        return ""
    return _SPACE_RE.sub(" ", punctuation_normalizer(lang)(text)).strip()
