"""A lexicon of common Arabic words, for name-safe normalization.

A one-letter proclitic (و ف ب ل ك) comes off a word only when what remains
is a known word (:func:`nashra.text.tokens.strip_proclitic`), so that names
which start with these letters stay whole: بوتين, ليفربول and بروكسل are not
وتين, يفربول and روكسل. The words known are those of wordfreq's Arabic list
(Wikipedia, subtitles, news, web text and more) at or above a Zipf frequency
of ``MIN_ZIPF``, normalized as Nashra normalizes text. A fixed lexicon, not
the words of the articles at hand: an article's matching terms must not
change when other articles are added to the archive.
"""

from __future__ import annotations

from functools import cache

from .arabic import normalize_arabic

#: Words at least this frequent (Zipf scale: 3.5 is about 3 per million words) are known; about 26,000.
MIN_ZIPF = 3.5


@cache
def arabic_lexicon(min_zipf: float = MIN_ZIPF) -> frozenset[str]:
    """The normalized Arabic words at least ``min_zipf`` frequent in wordfreq's list (read once, ~0.6 s)."""
    from wordfreq import iter_wordlist, zipf_frequency

    known: set[str] = set()
    for word in iter_wordlist("ar"):  # most frequent first
        if zipf_frequency(word, "ar") < min_zipf:
            break
        known.add(normalize_arabic(word))
    return frozenset(known)
