"""Mark the words of the other language in a piece of text, so that a screen reader switches voice.

An English translation keeps the Arabic words the model left untranslated, a quality flag quotes
the Arabic it found, and an Arabic article quotes English names and titles ("ذا فويس" … "I Love
You So Much"). A screen reader reads a passage in the voice of its ``lang``: Arabic words in an
English voice are spelled out or skipped, and the reverse. Each run of the other script is wrapped
in ``<span lang="…">`` (WCAG 3.1.2, language of parts). The span says the language only: it does
not isolate the run, so the line is laid out exactly as before.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from .escape import escape_html, escape_markdown, one_line

#: Letters of the Arabic script (Arabic, its supplements and presentation forms).
_ARABIC = "\u0600-\u06ff\u0750-\u077f\u0870-\u08ff\ufb50-\ufdff\ufe70-\ufefc"
#: Latin letters, with the accented ones of other European languages' names.
_LATIN = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"
#: What may join two words of one run: spaces, digits and punctuation that belongs to either script.
_JOIN = r"[\s\d.,;:!?'’\"&()\-–—/%\u060c\u061b\u061f\u066b\u066c\u0660-\u0669]*"


def _run(letters: str) -> re.Pattern[str]:
    return re.compile(rf"[{letters}]+(?:{_JOIN}[{letters}]+)*")


#: For a passage in each language, the runs of the other script and the language they are marked with.
_OTHER: dict[str, tuple[re.Pattern[str], str]] = {"en": (_run(_ARABIC), "ar"), "ar": (_run(_LATIN), "en")}


def runs(text: str, lang: str) -> Iterator[tuple[str, str | None]]:
    """``text`` (in ``lang``) in pieces: (piece, the other language) for a run of the other script,
    (piece, None) for the rest."""
    pattern, other = _OTHER[lang]
    at = 0
    for match in pattern.finditer(text):
        if match.start() > at:
            yield text[at:match.start()], None
        yield match.group(), other
        at = match.end()
    if at < len(text):
        yield text[at:], None


def _mark(text: str, lang: str, escape: Callable[[str], str]) -> str:
    def escaped(piece: str) -> str:  # the escapers make a piece one line: its spaces at the ends are kept
        core = piece.strip()
        return piece[:len(piece) - len(piece.lstrip())] + escape(core) + piece[len(piece.rstrip()):] if core else piece

    return "".join(escaped(piece) if other is None else f'<span lang="{other}">{escape(piece)}</span>'
                   for piece, other in runs(one_line(text), lang))


def mark_html(text: str, lang: str) -> str:
    """Untrusted ``text`` in ``lang``, escaped for HTML, each run of the other script marked with its language."""
    return _mark(text, lang, escape_html)


def mark_markdown(text: str, lang: str) -> str:
    """Untrusted ``text`` in ``lang``, escaped for Markdown, each run of the other script marked (inline HTML)."""
    return _mark(text, lang, escape_markdown)


__all__ = ["mark_html", "mark_markdown", "runs"]
