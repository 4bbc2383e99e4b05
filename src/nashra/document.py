"""The plain data objects that flow between Nashra's stages.

ingest -> :class:`Article`; segment -> :class:`SegmentedArticle`;
translate -> :class:`TranslatedArticle`; summarize -> :class:`BriefingArticle`.
Every stage takes one of these and returns the next, so each can be used alone.
Stories, index pages and feeds need only an :class:`ArticleDigest` of each
article, small enough to hold for a whole archive.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from .quality import Flag, check_all, count_kinds


@dataclass(frozen=True)
class Article:
    """One news article as read from its file, untouched apart from whitespace."""

    id: str
    title: str
    paragraphs: tuple[str, ...]
    source: str | None = None
    url: str | None = None
    date: datetime | None = None
    path: Path | None = None
    #: True when the input had no title and it was derived from the lead sentence.
    title_derived: bool = False
    #: Editor's abstract when the input carries one (TREC ``ABSTRACT``).
    abstract: str | None = None
    language: str = "ar"
    #: Indices of paragraphs the input marks as headings (Markdown ``#`` lines).
    headings: frozenset[int] = frozenset()
    #: Fields read from the text rather than given by the file ("date", "source"); see nashra.text.metadata.
    inferred: tuple[str, ...] = ()
    #: A Hijri date the text gives, as written (never converted).
    date_hijri: str | None = None
    #: Where in its file the article was read, for messages: " (line 3)" of a .jsonl, " (item 2)" of a .json list.
    where: str = field(default="", compare=False)

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


@dataclass(frozen=True)
class Sentence:
    """One sentence of an article, with the paragraph it came from."""

    text: str
    paragraph: int
    #: A short unterminated line standing alone (a sub-heading); never summarized.
    heading: bool = False


@dataclass(frozen=True)
class SegmentedArticle:
    article: Article
    sentences: tuple[Sentence, ...]


@dataclass(frozen=True)
class Provenance:
    """What produced a page: recorded on every generated page."""

    model: str
    engine: str
    summarizer: str
    nashra_version: str
    #: The model's licence (an SPDX id such as ``CC-BY-4.0``), None when unknown.
    licence: str | None = None
    #: The translation and summary stages' signatures (:mod:`nashra.signatures`): the keys that
    #: decided whether the stored translation and summary were reused. None when not known.
    translation_signature: str | None = None
    summary_signature: str | None = None


@dataclass(frozen=True)
class TranslatedArticle:
    """An article with its English translation, aligned sentence by sentence.

    ``translations[i]`` is the translation of ``segmented.sentences[i]``.
    """

    segmented: SegmentedArticle
    title_translation: str
    translations: tuple[str, ...]
    #: ``flags[i]``: the quality flags of ``translations[i]`` (see :mod:`nashra.quality`);
    #: computed from the sentences when not given.
    flags: tuple[tuple[Flag, ...], ...] | None = None

    def __post_init__(self) -> None:
        if len(self.translations) != len(self.segmented.sentences):
            raise ValueError(
                f"article {self.article.id}: {len(self.translations)} translations for "
                f"{len(self.segmented.sentences)} sentences"
            )
        if self.flags is None:
            object.__setattr__(self, "flags", check_all([s.text for s in self.segmented.sentences], self.translations))
        elif len(self.flags) != len(self.translations):
            raise ValueError(f"article {self.article.id}: {len(self.flags)} flags for {len(self.translations)} sentences")

    @property
    def sentence_flags(self) -> tuple[tuple[Flag, ...], ...]:
        """The flags of every sentence (never None after construction)."""
        assert self.flags is not None
        return self.flags

    @property
    def flagged(self) -> frozenset[int]:
        """Indices of the sentences with at least one flag."""
        return frozenset(i for i, reasons in enumerate(self.sentence_flags) if reasons)

    @property
    def flag_kinds(self) -> Counter[str]:
        """How many sentences each kind of flag marks."""
        return count_kinds(self.sentence_flags)

    @property
    def article(self) -> Article:
        return self.segmented.article

    @property
    def sentences(self) -> tuple[Sentence, ...]:
        return self.segmented.sentences


@dataclass(frozen=True)
class BriefingArticle:
    """A translated article with the indices of its summary sentences in each language."""

    translated: TranslatedArticle
    summary_ar: tuple[int, ...]
    summary_en: tuple[int, ...]
    provenance: Provenance
    extra: dict[str, object] = field(default_factory=dict)
    #: The summarizer's score of each sentence of ``summary_ar`` (best candidate 1.0); empty when not known.
    summary_scores: tuple[float, ...] = ()

    @property
    def article(self) -> Article:
        return self.translated.article

    def title_in(self, lang: str) -> str:
        """The title in ``lang``: the original in Arabic, its translation in English."""
        if lang == "ar":
            return self.article.title
        return self.translated.title_translation or self.article.title

    def sentence_in(self, index: int, lang: str) -> str:
        """Sentence ``index``: the original in Arabic, its translation in English."""
        return self.translated.sentences[index].text if lang == "ar" else self.translated.translations[index]


@dataclass(frozen=True)
class ArticleDigest:
    """What stories, index pages and feeds need of an article, without its full text."""

    id: str
    title: str
    title_translation: str
    source: str | None
    url: str | None
    date: datetime | None
    summary_ar: tuple[int, ...]
    summary_en: tuple[int, ...]
    #: The summary sentences: (index, Arabic, English) for every index in either summary.
    summary_sentences: tuple[tuple[int, str, str], ...]
    provenance: Provenance
    #: Content terms of the title and lead, for grouping articles into stories.
    terms: tuple[str, ...] = ()
    #: The summarizer's score of each sentence of ``summary_ar`` (best candidate 1.0); empty when not known.
    summary_scores: tuple[float, ...] = ()

    def title_in(self, lang: str) -> str:
        if lang == "ar":
            return self.title
        return self.title_translation or self.title

    def sentence_in(self, index: int, lang: str) -> str:
        for number, arabic, english in self.summary_sentences:
            if number == index:
                return arabic if lang == "ar" else english
        raise KeyError(f"article {self.id}: sentence {index} is not a summary sentence")
