"""Lines as files and ``wc -l`` count them: ended by ``\\n``, ``\\r\\n`` or ``\\r``, nothing else.

``str.splitlines()`` also breaks at form feeds, vertical tabs, U+001C–U+001E, NEL (U+0085) and
U+2028/U+2029, which web text carries inside a paragraph: a command that promises one output line
per input line, or pairs a source file's lines with a reference file's, splits with this instead.
"""

from __future__ import annotations

import re

_BREAK = re.compile(r"\r\n|\r|\n")


def split_lines(text: str) -> list[str]:
    """The lines of ``text`` without their endings; a final line ending starts no extra line."""
    if not text:
        return []
    lines = _BREAK.split(text)
    if lines[-1] == "":
        lines.pop()
    return lines
