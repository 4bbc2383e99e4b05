"""What an article is matched on: the content terms of its title and lead, and its digest."""

from __future__ import annotations

import re
import sys
from collections.abc import Collection, Sequence

from ..document import Article, ArticleDigest, BriefingArticle
from ..text.arabic import arabic_ratio
from ..text.boilerplate import clean_paragraphs
from ..text.dateline import strip_dateline
from ..text.lexicon import arabic_lexicon
from ..text.segment import split_sentences
from ..text.tokens import content_terms, stop_words


#: The version of :func:`match_terms`: stored digests whose terms were made by another are made again.
MATCH_VERSION = 2

LEAD_SENTENCES = 3

#: English terms are marked so that they never meet an Arabic term.
ENGLISH_MARK = "en:"
#: A translation is taken as English when this share of its words are English stop words, at least.
MIN_ENGLISH_STOP_SHARE = 0.2

_LATIN_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'-]*")


def looks_english(texts: Sequence[str]) -> bool:
    """True when ``texts`` read as English: Latin letters, and enough English stop words.

    A stand-in that returns the Arabic, or a model with random weights that
    returns word pieces, fails it; a real translation passes.
    """
    text = " ".join(texts)
    tokens = [w.lower() for w in _LATIN_WORD_RE.findall(text)]
    if len(tokens) < 5 or arabic_ratio(text) > 0.2:
        return False
    stops = stop_words("en")
    return sum(1 for w in tokens if w in stops) >= MIN_ENGLISH_STOP_SHARE * len(tokens)


def english_terms(texts: Sequence[str]) -> list[str]:
    """The proper nouns of English ``texts`` (capitalized words not opening a sentence), marked."""
    terms: list[str] = []
    stops = stop_words("en")
    for text in texts:
        for sentence in re.split(r"(?<=[.!?])\s+", text):
            for word in _LATIN_WORD_RE.findall(sentence)[1:]:
                if word[0].isupper() and len(word) > 1 and word.lower() not in stops:
                    terms.append(ENGLISH_MARK + word.lower())
    return terms


def lead_sentences(article: Article, boilerplate: Collection[int] = ()) -> list[str]:
    """The first LEAD_SENTENCES sentences of the article's text without boilerplate, datelines stripped.

    ``boilerplate``: indices of paragraphs learnt to be the outlet's boilerplate (see
    :class:`nashra.state.lines.OutletLineIndex`), left out besides the fixed patterns.
    """
    lead: list[str] = []
    for paragraph in clean_paragraphs(article.paragraphs, boilerplate):
        lead.extend(split_sentences(paragraph))
        if len(lead) >= LEAD_SENTENCES:
            break
    return [strip_dateline(s) for s in lead[:LEAD_SENTENCES]]


def match_terms(article: Article, english: Sequence[str] = (), boilerplate: Collection[int] = ()) -> tuple[str, ...]:
    """The terms an article is matched on: content terms of its title (twice) and lead sentences.

    ``english``: the translation of the title and lead; its proper nouns are
    added when it reads as English (:func:`looks_english`). ``boilerplate``:
    see :func:`lead_sentences`.
    """
    lead = lead_sentences(article, boilerplate)
    title_text = article.title if not article.title_derived else ""
    # Name-safe: a one-letter proclitic comes off only when the rest is a word of the lexicon or of the
    # same text, so بوتين, ليفربول and بريطانيا stay whole and match وبوتين, لليفربول and وبريطانيا.
    known = arabic_lexicon()
    title = content_terms(title_text, "ar", known) if title_text else []
    terms = title * 2 + content_terms(" ".join(lead), "ar", known)
    if english and looks_english(english):
        terms += english_terms(english)
    # Interned: a digest per article of a large archive shares the strings of common terms.
    return tuple(sys.intern(t) for t in terms)


def digest(item: BriefingArticle, boilerplate: Collection[int] = ()) -> ArticleDigest:
    """The digest of a processed article: what its story, the index pages and feeds show of it.

    ``boilerplate``: paragraphs learnt to be the outlet's boilerplate, left out of its matching terms.
    """
    article = item.article
    indices = sorted(set(item.summary_ar) | set(item.summary_en))
    return ArticleDigest(
        id=article.id, title=article.title, title_translation=item.translated.title_translation,
        source=article.source, url=article.url, date=article.date, summary_ar=item.summary_ar,
        summary_en=item.summary_en, provenance=item.provenance, summary_scores=item.summary_scores,
        summary_sentences=tuple((i, item.sentence_in(i, "ar"), item.sentence_in(i, "en")) for i in indices),
        terms=match_terms(article, _english_lead(item), boilerplate),
    )


def _english_lead(item: BriefingArticle) -> list[str]:
    """The translation of the title and the first LEAD_SENTENCES sentences (the English view)."""
    translated = item.translated
    return [translated.title_translation, *translated.translations[:LEAD_SENTENCES]]
