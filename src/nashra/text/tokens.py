"""Word tokens for matching sentences: normalized, stop words removed, lightly stemmed."""

from __future__ import annotations

import re
from functools import lru_cache, cache
from importlib import resources

from .arabic import normalize_arabic

_WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)

_AR_PREFIXES = ("وبال", "وال", "بال", "كال", "فال", "لل", "ال", "و", "ف", "ب", "ل")
_AR_SUFFIXES = ("هما", "كما", "ات", "ون", "ين", "ان", "ها", "هم", "ية", "يه", "نا", "ه", "ي")
_EN_SUFFIXES = ("ing", "ed", "es", "s")


@cache
def stop_words(lang: str) -> frozenset[str]:
    """The stop words shipped with Nashra for ``lang`` ('ar' or 'en'), normalized."""
    name = f"stopwords-{lang}.txt"
    try:
        data = resources.files("nashra.text").joinpath("data").joinpath(name).read_text(encoding="utf-8")
    except FileNotFoundError:
        return frozenset()
    words = (line.split("#", 1)[0].strip() for line in data.splitlines())
    return frozenset(normalize_arabic(w) for w in words if w)


def words(text: str) -> list[str]:
    """Normalized word tokens of ``text`` (digits kept, punctuation dropped)."""
    return _WORD_RE.findall(normalize_arabic(text))


def light_stem(word: str, lang: str) -> str:
    """Strip one common prefix and one common suffix, keeping at least three letters."""
    if lang == "ar":
        for prefix in _AR_PREFIXES:
            if word.startswith(prefix) and len(word) - len(prefix) >= 3:
                word = word[len(prefix):]
                break
        for suffix in _AR_SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                return word[: -len(suffix)]
        return word
    for suffix in _EN_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


# Cache sizes are bounded for memory: with 200,000 stems and 20,000 sentences the caches grew with
# an archive's vocabulary (20 MB more after 500 ANT articles, far more over a year of news), and the
# smaller ones summarize the ANT sample as fast (2.9 s; the words of a news article are mostly common).
@lru_cache(maxsize=20_000)
def stem(word: str, lang: str) -> str:
    """Stem ``word``: nltk's Snowball for English, ISRI or the light stemmer for Arabic (see ARABIC_STEMMER)."""
    if lang == "en":
        return _snowball().stem(word)
    if ARABIC_STEMMER == "isri":
        return _isri().stem(word)
    return light_stem(word, lang)


#: "light" (prefix/suffix stripping, the default) or "isri" (nltk's root stemmer). Measured with
#: benchmarks/summarize.py on the ANT sample: ISRI lowered 3-sentence ROUGE-1/2 by 0.5/0.4 and
#: grouped more articles into stories (41 multi-article stories instead of 26, 98% category-pure).
ARABIC_STEMMER = "light"


@cache
def _snowball():  # type: ignore[no-untyped-def]
    from nltk.stem.snowball import SnowballStemmer

    return SnowballStemmer("english")


@cache
def _isri():  # type: ignore[no-untyped-def]
    from nltk.stem.isri import ISRIStemmer

    return ISRIStemmer()


def content_terms(text: str, lang: str) -> list[str]:
    """Stemmed content words of ``text``: the unit sentences are compared by.

    Stop words and one-letter tokens are dropped; numbers are kept whole
    because they carry the facts of a news sentence. Ranking, redundancy
    checks and story summaries all ask for the same sentences' terms, so the
    result is cached.
    """
    return list(_content_terms(text, lang))


@lru_cache(maxsize=2_048)  # one article's or story's sentences, asked for again and again
def _content_terms(text: str, lang: str) -> tuple[str, ...]:
    stops = stop_words(lang)
    terms: list[str] = []
    for word in words(text):
        if word in stops or len(word) < 2:
            continue
        terms.append(word if word.isdigit() else stem(word, lang))
    return tuple(terms)
