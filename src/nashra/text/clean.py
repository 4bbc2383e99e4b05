"""Characters that have no place in a single-line field (a title, a source name, a URL).

Bidirectional controls (embeddings, overrides, isolates and marks) can make a
title display as something other than what it says; zero-width characters
make two equal-looking names differ. Both are removed from single-line
fields, with the other control characters. Body text keeps them, where the
writing may need them.
"""

from __future__ import annotations

import re

#: The Unicode ``Bidi_Control`` characters: ALM, LRM, RLM, LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI.
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
#: Zero-width space, non-joiner, joiner, word joiner, and the byte order mark (zero-width no-break space).
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"

_INVISIBLE_RE = re.compile(f"[{BIDI_CONTROLS}{ZERO_WIDTH}\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def single_line(text: str) -> str:
    """``text`` on one line: whitespace runs collapsed to one space, invisible and control characters removed."""
    return " ".join(_INVISIBLE_RE.sub("", text).split())
