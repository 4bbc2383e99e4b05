"""The plain data objects that flow between Nashra's stages.

ingest -> :class:`Article`; segment -> :class:`SegmentedArticle`;
translate -> :class:`TranslatedArticle`; summarize -> :class:`BriefingArticle`.
Every stage takes one of these and returns the next, so each can be used alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path


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


@dataclass(frozen=True)
class TranslatedArticle:
    """An article with its English translation, aligned sentence by sentence.

    ``translations[i]`` is the translation of ``segmented.sentences[i]``.
    """

    segmented: SegmentedArticle
    title_translation: str
    translations: tuple[str, ...]

    def __post_init__(self) -> None:
        if len(self.translations) != len(self.segmented.sentences):
            raise ValueError(
                f"article {self.article.id}: {len(self.translations)} translations for "
                f"{len(self.segmented.sentences)} sentences"
            )

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

    @property
    def article(self) -> Article:
        return self.translated.article
