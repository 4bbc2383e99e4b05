"""Word tokens for matching sentences: normalized, stop words removed, lightly stemmed."""

from __future__ import annotations

import re
from collections.abc import Container, Iterable
from functools import lru_cache, cache
from importlib import resources

from .arabic import normalize_arabic

_WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)

_AR_PREFIXES = ("وبال", "وال", "بال", "كال", "فال", "لل", "ال")
#: One-letter proclitics (and, so, with, for, like): they come off a word only when what remains is
#: a known word, so that names which start with these letters stay whole (بوتين, ليفربول, بروكسل).
PROCLITICS = ("و", "ف", "ب", "ل", "ك")
#: The one-letter prefixes the summarizers' matching strips whenever three letters remain.
_AR_PROCLITICS = ("و", "ف", "ب", "ل")
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


def strip_proclitic(word: str, known: Container[str] = frozenset()) -> str:
    """``word`` without a one-letter proclitic when what remains is a known word (in ``known`` or the
    stop words), at least three letters long; otherwise ``word`` as it is."""
    if len(word) >= 4 and word.startswith(PROCLITICS):
        rest = word[1:]
        if rest in known or rest in stop_words("ar") or light_stem(rest, "ar", False) in known:
            return rest
    return word


def vocabulary(texts: Iterable[str]) -> frozenset[str]:
    """The normalized words of ``texts`` and their stems: what :func:`content_terms` may take as known."""
    found = {w for text in texts for w in words(text)}
    return frozenset(found | {light_stem(w, "ar", False) for w in found})


def light_stem(word: str, lang: str, proclitics: bool = True) -> str:
    """Strip one common prefix and one common suffix, keeping at least three letters.

    With ``proclitics=False`` a one-letter proclitic is not a prefix (see :func:`strip_proclitic`).
    """
    if lang == "ar":
        for prefix in _AR_PREFIXES + (_AR_PROCLITICS if proclitics else ()):
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
def stem(word: str, lang: str, proclitics: bool = True) -> str:
    """Stem ``word``: nltk's Snowball for English, ISRI or the light stemmer for Arabic (see ARABIC_STEMMER)."""
    if lang == "en":
        return _snowball().stem(word)
    if ARABIC_STEMMER == "isri":
        return _isri().stem(word)
    return light_stem(word, lang, proclitics)


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


def content_terms(text: str, lang: str, known: frozenset[str] | None = None) -> list[str]:
    """Stemmed content words of ``text``: the unit sentences are compared by.

    Stop words and one-letter tokens are dropped; numbers are kept whole
    because they carry the facts of a news sentence. With ``known`` (the
    article's own words, see :func:`vocabulary`), matching is name-safe: an
    Arabic one-letter proclitic comes off a word only when the rest is a word
    of ``text``, of ``known`` or a stop word, so names stay whole (story
    matching). Without it, the proclitic comes off whenever three letters
    remain: the summarizers match sentences of one article, where that scores
    better (ROUGE on the ANT sample, ``benchmarks/summarize.py``). Ranking, redundancy checks and story summaries all ask for the same
    sentences' terms, so the result is cached.
    """
    return list(_content_terms(text, lang, known))


@lru_cache(maxsize=2_048)  # one article's or story's sentences, asked for again and again
def _content_terms(text: str, lang: str, known: frozenset[str] | None) -> tuple[str, ...]:
    stops = stop_words(lang)
    terms: list[str] = []
    tokens = words(text)
    if lang == "ar" and known is not None:
        own = vocabulary([text])
        tokens = [strip_proclitic(w, own if w[1:] in own else known) for w in tokens]
    for word in tokens:
        if word in stops or len(word) < 2:
            continue
        terms.append(word if word.isdigit() else stem(word, lang, known is None))
    return tuple(terms)
