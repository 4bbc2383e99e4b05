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

import hashlib
import logging
import os
import tempfile
from functools import cache
from importlib import metadata, resources
from pathlib import Path

from ..cachedir import default_cache_dir
from .arabic import normalize_arabic

log = logging.getLogger(__name__)

#: Words at least this frequent (Zipf scale: 3.5 is about 3 per million words) are known; about 26,000.
MIN_ZIPF = 3.5


@cache
def arabic_lexicon(min_zipf: float = MIN_ZIPF) -> frozenset[str]:
    """The normalized Arabic words at least ``min_zipf`` frequent in wordfreq's list.

    Made once a process, and kept in Nashra's cache folder (see :func:`nashra.cachedir.default_cache_dir`)
    under a key of wordfreq's version, ``min_zipf`` and the normalizing code, so that a build does not
    spend a second making it again (read back: a few milliseconds). A cache that cannot be read or
    written is passed by.
    """
    cached = _cache_file(min_zipf)
    try:
        return frozenset(cached.read_text(encoding="utf-8").split("\n")) - {""}
    except (OSError, UnicodeDecodeError):
        pass
    known = _make(min_zipf)
    temporary = None
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=cached.parent, delete=False,
                                         prefix=".lexicon-") as file:
            temporary = file.name
            file.write("\n".join(sorted(known)) + "\n")
        os.replace(temporary, cached)  # whole or not at all, even with builds running side by side
    except OSError as exc:
        log.debug("cannot keep the Arabic lexicon in %s: %s", cached.parent, exc)
        if temporary is not None:
            try:
                os.unlink(temporary)
            except OSError:
                pass
    return known


def _make(min_zipf: float) -> frozenset[str]:
    from wordfreq import iter_wordlist, zipf_frequency

    known: set[str] = set()
    for word in iter_wordlist("ar"):  # most frequent first
        if zipf_frequency(word, "ar") < min_zipf:
            break
        known.add(normalize_arabic(word))
    return frozenset(known)


def _cache_file(min_zipf: float) -> Path:
    """The lexicon's file in the cache folder, named by what makes it what it is."""
    digest = hashlib.sha256(f"{metadata.version('wordfreq')}\0{min_zipf}\0".encode())
    digest.update(resources.files("nashra.text").joinpath("arabic.py").read_bytes())
    digest.update(resources.files("nashra.text").joinpath("lexicon.py").read_bytes())
    return default_cache_dir() / "lexicon" / f"ar-{digest.hexdigest()[:16]}.txt"
