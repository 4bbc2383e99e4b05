"""Quality flags on a translated sentence, computed without a reference translation.

Machine translation fails in ways a check can see. :func:`check` compares a
source sentence with its translation and returns one short reason per problem
found, each starting with the flag's kind:

``empty``
    the translation is empty although the source is not.
``numbers``
    a number of the source (Western or Arabic-Indic digits, decimals and
    thousands separators, scale words such as مليون/million, simple number
    words such as خمسة/five) is missing from the translation, or the
    translation has a number in digits the source lacks: ``numbers: 27, 2023 missing``.
``arabic``
    Arabic script left in the English.
``repetition``
    a word or phrase repeated in a loop (a known MarianMT failure), when the
    source does not repeat itself as much.
``length``
    the translation is far shorter or longer than the source, in characters,
    than the bounds in :class:`FlagSettings`.

Flags are a pure function of the source, the translation and the settings,
so they can be recomputed at any time; :func:`signature` names the version
of the checks and their settings, so stored flags are known to be current.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from .errors import ConfigError

#: Bump when a check changes what it flags: stored flags with another version are recomputed.
FLAGS_VERSION = 1

#: Every kind of flag, in the order reasons are listed.
KINDS = ("empty", "numbers", "arabic", "repetition", "length")


@dataclass(frozen=True)
class FlagSettings:
    """Thresholds of the checks.

    The length bounds are the ratio of the translation's characters to the
    source's. Arabic script is compact (short vowels unwritten, articles,
    prepositions and pronouns attached to words), so English translations run
    longer: about 1.2 to 1.3 times the characters of the Arabic in parallel
    news and UN text. The defaults flag a translation under half or over three
    times the source's length (see ``docs/models.md`` for how they were
    chosen). ``nashra evaluate`` prints the ratios a model gives on your own
    material, to set them from; ``NASHRA_LENGTH_RATIO=MIN:MAX`` or
    :func:`use_settings` changes them.
    """

    min_length_ratio: float = 0.5
    max_length_ratio: float = 3.0
    #: Sources shorter than this many characters are too short for a length ratio to mean anything.
    min_length_chars: int = 25
    #: A single word repeated this many times in a row is a loop.
    word_repeats: int = 4
    #: A phrase of 2 to ``max_phrase`` words repeated this many times in a row is a loop.
    phrase_repeats: int = 3
    max_phrase: int = 6


DEFAULT_SETTINGS = FlagSettings()


def _from_environment() -> FlagSettings:
    """The defaults, with ``NASHRA_LENGTH_RATIO=MIN:MAX`` (say ``0.6:2.5``) when set."""
    value = os.environ.get("NASHRA_LENGTH_RATIO", "").strip()
    if not value:
        return DEFAULT_SETTINGS
    try:
        low, high = (float(x) for x in value.split(":"))
    except ValueError:
        raise ConfigError(f"NASHRA_LENGTH_RATIO={value!r}: expected MIN:MAX, such as 0.5:3.0") from None
    if not 0 <= low < high:
        raise ConfigError(f"NASHRA_LENGTH_RATIO={value!r}: MIN must be below MAX")
    return replace(DEFAULT_SETTINGS, min_length_ratio=low, max_length_ratio=high)


_current: list[FlagSettings] = []


def current_settings() -> FlagSettings:
    """The settings checks use when given none: :func:`use_settings`, else the defaults and the environment."""
    if not _current:
        _current.append(_from_environment())
    return _current[0]


def use_settings(settings: FlagSettings) -> None:
    """Make ``settings`` the process's settings (flags stored with others are recomputed)."""
    _current[:] = [settings]


def signature(settings: FlagSettings | None = None) -> str:
    """The version of the checks and their settings, as stored beside flags."""
    s = settings or current_settings()
    return (f"v{FLAGS_VERSION}:{s.min_length_ratio}-{s.max_length_ratio}/{s.min_length_chars}:"
            f"{s.word_repeats}/{s.phrase_repeats}/{s.max_phrase}")


class Flag(str):
    """One quality flag of a sentence: its :attr:`kind` (one of :data:`KINDS`) and what is wrong.

    A string, ``kind: detail`` (``numbers: 27 missing``), as pages, JSON output and the records show
    and keep it; its kind is known from its making, or read once from its stored text (:meth:`parse`).
    """

    kind: str

    def __new__(cls, kind: str, detail: str) -> Flag:
        flag = super().__new__(cls, f"{kind}: {detail}")
        flag.kind = kind
        return flag

    def __reduce__(self) -> tuple[Any, tuple[str, str]]:
        return _restore_flag, (str(self), self.kind)

    @classmethod
    def parse(cls, text: str) -> Flag:
        """A flag from its text as stored or given (``kind: detail``), the text kept as it is."""
        if isinstance(text, Flag):
            return text
        return _restore_flag(text, text.partition(":")[0].strip())

    @property
    def detail(self) -> str:
        return self.partition(":")[2].strip()


def _restore_flag(text: str, kind: str) -> Flag:
    flag = str.__new__(Flag, text)
    flag.kind = kind
    return flag


# -- numbers -------------------------------------------------------------------------------

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
#: A number: digits with thousands groups (, ٬ or a thin space) and a decimal part (. or ٫).
_NUMBER_RE = re.compile(r"(?<![\d.])\d{1,3}(?:[,٬]\d{3})+(?:[.٫]\d+)?(?!\d)|\d+(?:[.٫]\d+)?")

_AR_WORDS: dict[str, int] = {}
for _number, _forms in {
    2: "اثنان اثنين اثنتان اثنتين", 3: "ثلاث ثلاثة", 4: "أربع أربعة اربع اربعة", 5: "خمس خمسة",
    6: "ستة", 7: "سبع سبعة", 8: "ثمان ثماني ثمانية", 9: "تسع تسعة", 10: "عشر عشرة",
    20: "عشرون عشرين", 30: "ثلاثون ثلاثين", 40: "أربعون أربعين اربعون اربعين",
    50: "خمسون خمسين", 60: "ستون ستين", 70: "سبعون سبعين", 80: "ثمانون ثمانين", 90: "تسعون تسعين",
    100: "مئة مائة", 200: "مئتان مئتين مائتان مائتين", 1000: "ألف الف", 2000: "ألفان ألفين",
}.items():
    for _form in _forms.split():
        _AR_WORDS[_form] = _number
_AR_TEEN_UNITS = {"أحد": 1, "احد": 1, "إحدى": 1, "احدى": 1, "اثنا": 2, "اثني": 2, "اثنتا": 2}
#: Arabic scale words following a number: "5 ملايين" is 5,000,000.
_AR_SCALES = {"ألف": 10**3, "الف": 10**3, "آلاف": 10**3, "الاف": 10**3, "مليون": 10**6, "ملايين": 10**6,
              "مليار": 10**9, "مليارات": 10**9, "بليون": 10**9}
#: Proclitics stripped from an Arabic word before it is looked up (و, ف, ب, ل and the article).
_AR_PREFIX_RE = re.compile(r"^(?:[وف])?(?:[بل])?(?:ال)?")

_EN_UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
             "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_EN_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
            "ninety": 90}
_EN_WORDS: dict[str, int] = {w: i for i, w in enumerate(_EN_UNITS)} | _EN_TENS | {"hundred": 100, "thousand": 1000}
_EN_SCALES = {"thousand": 10**3, "million": 10**6, "millions": 10**6, "billion": 10**9, "billions": 10**9,
              "trillion": 10**12}
_EN_MONTHS = {m: i for i, m in enumerate(
    ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
     "November", "December"], start=1)}
_EN_TOKEN_RE = re.compile(r"\d+(?:[.,]\d+)*|[A-Za-z]+(?:-[A-Za-z]+)?")
_AR_TOKEN_RE = re.compile(r"[\d٠-٩۰-۹]+(?:[.,٫٬][\d٠-٩۰-۹]+)*|[\u0621-\u064A]+")


@dataclass(frozen=True)
class Number:
    """A number found in a sentence: how it was written and the values it may stand for."""

    text: str
    values: frozenset[float]
    #: Written in digits (only those count as added when the source lacks them).
    digits: bool


def _value(text: str) -> float | None:
    plain = text.translate(_DIGITS)
    if re.fullmatch(r"\d{1,3}(?:[,٬]\d{3})+(?:[.٫]\d+)?", plain):
        plain = re.sub("[,٬]", "", plain)
    plain = plain.replace("٫", ".")
    if plain.count(".") > 1 or "," in plain or "٬" in plain:
        return None
    try:
        return float(plain)
    except ValueError:
        return None


def _digit_numbers(token: str) -> list[str]:
    return _NUMBER_RE.findall(token.translate(_DIGITS).replace("٫", ".").replace("٬", ","))


_AR_ARTICLE_RE = re.compile(r"^(?:[وف])?(?:[بلك])?ال")


def _ar_word(token: str) -> int | None:
    """The value of a number word, without the definite article: with it, the word is most often
    an ordinal or a name ("الحادية عشرة" 11th, "دور الثمانية" the quarter-finals, "الاثنين" Monday,
    "في المئة" per cent), which a translation rightly renders without the number."""
    if _AR_ARTICLE_RE.match(token) and token not in _AR_WORDS:
        return None
    return _AR_WORDS.get(token, _AR_WORDS.get(_AR_PREFIX_RE.sub("", token)))


def source_numbers(text: str) -> list[Number]:
    """Numbers of an Arabic sentence, in digits or simple number words ("خمسة وعشرون" is 25)."""
    found: list[Number] = []
    tokens = _AR_TOKEN_RE.findall(text)
    position = 0
    while position < len(tokens):
        token = tokens[position]
        nxt = tokens[position + 1] if position + 1 < len(tokens) else ""
        scale = _AR_SCALES.get(nxt) or _AR_SCALES.get(_AR_PREFIX_RE.sub("", nxt))
        position += 1
        if token[0].isdigit():
            for part in _digit_numbers(token):
                value = _value(part)
                if value is not None:
                    values = {value} | ({value * scale} if scale else set())
                    found.append(Number(part, frozenset(values), True))
            if scale:
                position += 1  # "5 آلاف": the scale word belongs to the number
            continue
        value = _ar_word(token)
        if token in ("عشر", "عشرة") and position > 1 and _AR_ARTICLE_RE.match(tokens[position - 2]):
            continue  # "الحادية عشرة": the second word of an ordinal
        if value is None and nxt in ("عشر", "عشرة"):
            value = _AR_TEEN_UNITS.get(token)  # أحد عشر 11, اثنا عشر 12
        if value is None:
            continue
        text_of = token
        added = _AR_WORDS.get(nxt[1:]) if nxt.startswith("و") else None
        if value < 10 and nxt in ("عشر", "عشرة"):
            value, text_of, position = value + 10, f"{token} {nxt}", position + 1
        elif added is not None and (value < 10 and added in _EN_TENS.values() or value >= 100 and added < value):
            # خمسة وعشرون 25 (units first), مائة وخمسون 150 (hundreds first)
            value, text_of, position = value + added, f"{token} {nxt}", position + 1
        after = tokens[position] if position < len(tokens) else ""
        scale = _AR_SCALES.get(after) if value < 1000 else None
        if scale:
            position += 1
        values = {float(value)} | ({float(value * scale)} if scale else set())
        found.append(Number(text_of, frozenset(values), False))
    return found


def target_numbers(text: str) -> list[Number]:
    """Numbers of an English sentence: digits, number words and month names next to a number."""
    found: list[Number] = []
    matches = list(_EN_TOKEN_RE.finditer(text))
    tokens = [m.group() for m in matches]
    for position, token in enumerate(tokens):
        nxt = tokens[position + 1].lower() if position + 1 < len(tokens) else ""
        scale = _EN_SCALES.get(nxt)
        if token[0].isdigit():
            # An ordinal (23rd) renders an Arabic ordinal word: it may match a number, never counts as added.
            ordinal = text[matches[position].end():matches[position].end() + 2].lower() in ("st", "nd", "rd", "th")
            for part in _digit_numbers(token):
                value = _value(part)
                if value is not None:
                    values = {value} | ({value * scale} if scale else set())
                    found.append(Number(part, frozenset(values), not ordinal))
            continue
        if token in _EN_MONTHS:
            neighbours = tokens[max(0, position - 1):position] + tokens[position + 1:position + 2]
            if any(n[0].isdigit() for n in neighbours):
                found.append(Number(token, frozenset({float(_EN_MONTHS[token])}), False))
            continue
        lower = token.lower()
        if "-" in lower:
            tens, _, unit = lower.partition("-")
            if tens in _EN_TENS and unit in _EN_WORDS and _EN_WORDS[unit] < 10:
                found.append(Number(token, frozenset({float(_EN_TENS[tens] + _EN_WORDS[unit])}), False))
            continue
        if lower in _EN_WORDS and not (lower in ("hundred", "thousand") and position > 0
                                       and (tokens[position - 1][0].isdigit() or tokens[position - 1].lower() in _EN_WORDS)):
            value = _EN_WORDS[lower]
            values = {float(value)} | ({float(value * scale)} if scale else set())
            if lower == "one" and not scale:
                values |= {1.0}
            found.append(Number(token, frozenset(values), False))
    return found


def _show(value: float) -> str:
    return f"{value:g}" if value < 1e15 else str(value)


def number_problems(source: str, translation: str) -> tuple[list[str], list[str]]:
    """Source numbers missing from the translation, and numbers in digits the translation adds."""
    wanted = source_numbers(source)
    offered = target_numbers(translation)
    unused = list(range(len(offered)))
    missing: list[str] = []
    for number in wanted:
        match = next((i for i in unused if number.values & offered[i].values), None)
        if match is None:
            if number.values != {1.0}:  # "one" is too often an article or a pronoun to expect
                missing.append(number.text.translate(_DIGITS).replace("٫", ".").replace("٬", ",")
                               if number.digits else f"{number.text} ({_show(min(number.values))})")
        else:
            unused.remove(match)
    added = [offered[i].text for i in unused if offered[i].digits]
    return missing, added


# -- the other checks ----------------------------------------------------------------------

_ARABIC_LETTERS_RE = re.compile(r"[\u0620-\u064A\u066E-\u06D3\u06FA-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFC]+")
_WORD_RE = re.compile(r"\w+")


def arabic_left(translation: str) -> list[str]:
    """Words of Arabic script in the translation."""
    return _ARABIC_LETTERS_RE.findall(translation)


def longest_loop(words: Sequence[str], max_phrase: int = 6) -> tuple[int, int, int]:
    """The most repeated phrase repeated back to back: (start, phrase length, repeats)."""
    best = (0, 1, 1)
    count = len(words)
    for size in range(1, max_phrase + 1):
        start = 0
        while start + 2 * size <= count:
            repeats = 1
            while (start + (repeats + 1) * size <= count
                   and words[start + repeats * size:start + (repeats + 1) * size] == words[start:start + size]):
                repeats += 1
            if repeats > 1 and repeats * size > best[2] * best[1]:
                best = (start, size, repeats)
            start += max(1, (repeats - 1) * size) if repeats > 1 else 1
    return best


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD_RE.findall(text)]


def repetition(source: str, translation: str, settings: FlagSettings | None = None) -> str | None:
    """The phrase repeated in a loop, or None."""
    settings = settings or current_settings()
    words = _words(translation)
    start, size, repeats = longest_loop(words, settings.max_phrase)
    needed = settings.word_repeats if size == 1 else settings.phrase_repeats
    if repeats < needed:
        return None
    _, _, source_repeats = longest_loop(_words(source), settings.max_phrase)
    if source_repeats >= repeats:
        return None  # the source repeats itself as much (a chant, a list)
    return " ".join(words[start:start + size])


def length_ratio(source: str, translation: str) -> float:
    """Characters of the translation per character of the source (spaces collapsed)."""
    def size(text: str) -> int:
        return len(" ".join(text.split()))

    return size(translation) / max(1, size(source))


def _listed(items: list[str], most: int = 5) -> str:
    distinct = list(dict.fromkeys(items))
    return ", ".join(distinct[:most]) + (f" and {len(distinct) - most} more" if len(distinct) > most else "")


def check(source: str, translation: str, settings: FlagSettings | None = None) -> tuple[Flag, ...]:
    """The quality flags of one translated sentence: short reasons, empty when nothing is wrong."""
    settings = settings or current_settings()
    if not source.strip():
        return ()
    if not translation.strip():
        return (Flag("empty", "no translation"),)
    reasons: list[Flag] = []
    missing, added = number_problems(source, translation)
    if missing or added:
        parts = [f"{_listed(missing)} missing"] if missing else []
        parts += [f"{_listed(added)} not in the source"] if added else []
        reasons.append(Flag("numbers", "; ".join(parts)))
    arabic = arabic_left(translation)
    if arabic:
        shown = " ".join(arabic[:3]) + (" …" if len(arabic) > 3 else "")
        reasons.append(Flag("arabic", f"untranslated {shown}"))
    loop = repetition(source, translation, settings)
    if loop is not None:
        reasons.append(Flag("repetition", f"“{loop}” repeated in a loop"))
    if len(" ".join(source.split())) >= settings.min_length_chars:
        ratio = length_ratio(source, translation)
        if ratio < settings.min_length_ratio:
            reasons.append(Flag("length", f"{ratio:.2f}× the source, too short"))
        elif ratio > settings.max_length_ratio:
            reasons.append(Flag("length", f"{ratio:.2f}× the source, too long"))
    return tuple(reasons)


def check_all(sources: Sequence[str], translations: Sequence[str],
              settings: FlagSettings | None = None) -> tuple[tuple[Flag, ...], ...]:
    """:func:`check` of aligned sentences."""
    return tuple(check(s, t, settings) for s, t in zip(sources, translations, strict=True))


def count_kinds(flags: Iterable[Iterable[Flag]]) -> Counter[str]:
    """How many sentences each kind of flag marks."""
    counts: Counter[str] = Counter()
    for reasons in flags:
        counts.update({r.kind for r in reasons})
    return counts


def describe_counts(counts: Counter[str]) -> str:
    """``numbers 3, repetition 1`` in the order of :data:`KINDS`."""
    return ", ".join(f"{k} {counts[k]}" for k in KINDS if counts.get(k))
