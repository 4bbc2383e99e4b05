"""Arabic normalization for *matching* text (never for displaying it).

Removes diacritics (tashkeel) and tatweel, and unifies the letter forms that
writers use interchangeably: alef with hamza or madda, alef maqsura and ya,
ta marbuta and ha.
"""

from __future__ import annotations

import re

#: Harakat, tanween, shadda, sukun, superscript alef and Quranic marks.
DIACRITICS_RE = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed]")
TATWEEL = "\u0640"
_LETTER_MAP = str.maketrans(
    {
        "\u0622": "\u0627",  # آ -> ا
        "\u0623": "\u0627",  # أ -> ا
        "\u0625": "\u0627",  # إ -> ا
        "\u0671": "\u0627",  # ٱ -> ا
        "\u0649": "\u064a",  # ى -> ي
        "\u0629": "\u0647",  # ة -> ه
        "\u06cc": "\u064a",  # Farsi yeh -> ي
        "\u06a9": "\u0643",  # keheh -> ك
        TATWEEL: None,
    }
)
_ARABIC_LETTER_RE = re.compile("[\u0621-\u064a\u0671-\u06d3]")


def strip_diacritics(text: str) -> str:
    """Remove Arabic diacritics and tatweel, keeping every letter."""
    return DIACRITICS_RE.sub("", text).replace(TATWEEL, "")


def normalize_arabic(text: str) -> str:
    """Normalize Arabic letters for matching; Latin text is case-folded."""
    return DIACRITICS_RE.sub("", text).translate(_LETTER_MAP).casefold()


def is_arabic_letter(char: str) -> bool:
    return bool(_ARABIC_LETTER_RE.match(char))


#: Letters of any script (word characters that are not digits or the underscore).
_LETTER_RE = re.compile(r"[^\W\d_]")


def arabic_ratio(text: str) -> float:
    """Share of the letters in ``text`` that are Arabic (0.0 when there are none)."""
    letters = len(_LETTER_RE.findall(text))
    if not letters:
        return 0.0
    return len(_ARABIC_LETTER_RE.findall(text)) / letters
