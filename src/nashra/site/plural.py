"""A number with its noun, in English and in Arabic grammar.

English: ``1 article``, ``0 articles``, ``2 articles``.

Arabic (written with Western digits, as the site's dates are): a noun's form
depends on the number and, for the dual, on the case the phrase stands in:

======================  ==================  =============================
number                  form                example (article)
======================  ==================  =============================
0                       لا + plural         لا مقالات
1                       singular + واحد     مقالة واحدة
2                       dual, no digits     مقالتان (after من: مقالتين)
3–10 (and 103–110 …)    plural              3 مقالات
11–99 (and 111–199 …)   singular accusative 11 مقالة، 11 مصدرًا
100–102, 200–202 …      singular genitive   100 مقالة، 101 مصدر
======================  ==================  =============================

The classes follow the last two digits of the number, as Unicode CLDR's plural
rules for Arabic do (``few``: n % 100 in 3..10, ``many``: n % 100 in 11..99).
"""

from __future__ import annotations

from dataclasses import dataclass

#: Cases that change an Arabic dual: the subject of a phrase, or after a preposition or as an object.
CASES = ("nominative", "oblique")


@dataclass(frozen=True)
class ArabicNoun:
    """Every form an Arabic noun takes after a number."""

    singular: str  #: مقالة, مصدر (after 100, 101, 102 …)
    accusative: str  #: مقالة, مصدرًا (after 11 … 99)
    plural: str  #: مقالات, مصادر (after 3 … 10; and with لا for 0)
    one: str  #: مقالة واحدة
    dual: str  #: مقالتان
    dual_oblique: str  #: مقالتين
    zero: str = ""  #: لا مقالات (default: لا + plural)


@dataclass(frozen=True)
class EnglishNoun:
    singular: str
    plural: str


NOUNS: dict[str, tuple[EnglishNoun, ArabicNoun]] = {
    "article": (EnglishNoun("article", "articles"),
                ArabicNoun("مقالة", "مقالة", "مقالات", "مقالة واحدة", "مقالتان", "مقالتين")),
    "other_article": (EnglishNoun("other article", "other articles"),
                      ArabicNoun("مقالة أخرى", "مقالة أخرى", "مقالات أخرى", "مقالة أخرى", "مقالتان أخريان",
                                 "مقالتين أخريين")),
    "story": (EnglishNoun("story", "stories"),
              ArabicNoun("قصة", "قصة", "قصص", "قصة واحدة", "قصتان", "قصتين")),
    "outlet": (EnglishNoun("outlet", "outlets"),
               ArabicNoun("مصدر", "مصدرًا", "مصادر", "مصدر واحد", "مصدران", "مصدرين")),
    "sentence": (EnglishNoun("sentence", "sentences"),
                 ArabicNoun("جملة", "جملة", "جمل", "جملة واحدة", "جملتان", "جملتين")),
    "day": (EnglishNoun("day", "days"),
            ArabicNoun("يوم", "يومًا", "أيام", "يوم واحد", "يومان", "يومين")),
}


def plural_class(count: int) -> str:
    """The Arabic plural class of ``count`` (CLDR's names): zero, one, two, few, many or other."""
    if count == 0:
        return "zero"
    if count == 1:
        return "one"
    if count == 2:
        return "two"
    rest = count % 100
    if 3 <= rest <= 10:
        return "few"
    if 11 <= rest <= 99:
        return "many"
    return "other"


def count_phrase(count: int, noun: str, lang: str, case: str = "nominative") -> str:
    """``count`` with ``noun`` (a key of :data:`NOUNS`) in ``lang``'s grammar.

    ``case`` matters in Arabic only, for the dual: ``oblique`` after a
    preposition (قصة واحدة من مقالتين).
    """
    if count < 0:
        raise ValueError(f"a count cannot be negative: {count}")
    if case not in CASES:
        raise ValueError(f"case must be one of {', '.join(CASES)}")
    english, arabic = NOUNS[noun]
    if lang != "ar":
        return f"{count} {english.singular if count == 1 else english.plural}"
    kind = plural_class(count)
    if kind == "zero":
        return arabic.zero or f"لا {arabic.plural}"
    if kind == "one":
        return arabic.one
    if kind == "two":
        return arabic.dual_oblique if case == "oblique" else arabic.dual
    form = {"few": arabic.plural, "many": arabic.accusative}.get(kind, arabic.singular)
    return f"{count} {form}"


__all__ = ["NOUNS", "count_phrase", "plural_class"]
