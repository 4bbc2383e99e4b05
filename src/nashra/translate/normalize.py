"""Input normalization matching what OPUS-MT models saw in training.

Control and format characters (ZWNJ, ZWJ, LRM/RLM, the Arabic letter mark,
zero-width space, BOM, bidi embeddings) become spaces, runs of whitespace
collapse to one space, and the ellipsis character becomes three dots.
"""

from __future__ import annotations

import re
import unicodedata

_FORMAT_CHARS = "\u200b\u200c\u200d\u200e\u200f\u061c\ufeff\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u00ad"
_FORMAT_RE = re.compile(f"[{_FORMAT_CHARS}\x00-\x1f\x7f-\x9f]")
_SPACE_RE = re.compile(r"\s+")


def normalize_source(text: str) -> str:
    """Normalize one source sentence for translation (and for the cache key)."""
    text = _FORMAT_RE.sub(" ", text)
    if any(unicodedata.category(c) == "Cf" for c in text):
        text = "".join(" " if unicodedata.category(c) == "Cf" else c for c in text)
    text = text.replace("…", "...")
    return _SPACE_RE.sub(" ", text).strip()
