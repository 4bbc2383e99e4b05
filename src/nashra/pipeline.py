"""The stages tied together: ingest -> segment -> translate -> summarize -> publish."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .document import BriefingArticle, Provenance, SegmentedArticle, TranslatedArticle
from .errors import InputError
from .ingest import load
from .summarize import Summarizer
from .text.segment import segment
from .translate import Translator
from .translate.base import ProgressFactory, no_progress

log = logging.getLogger(__name__)


@dataclass
class BuildReport:
    """What a build did, for the closing summary and for tests."""

    articles: int = 0
    sentences: int = 0
    skipped: list[InputError] = field(default_factory=list)
    seconds: float = 0.0
    site_dir: Path | None = None
    docs_dir: Path | None = None


def translate_articles(
    segmented: Sequence[SegmentedArticle],
    translator: Translator,
    progress: ProgressFactory = no_progress,
) -> list[TranslatedArticle]:
    """Stage: translate the titles and sentences of many articles in one pass.

    All sentences go to the translator together so that batches are full and
    sentences shared between articles are translated once.
    """
    texts: list[str] = []
    for item in segmented:
        texts.append(item.article.title)
        texts.extend(s.text for s in item.sentences)
    translated = translator.translate(texts, progress=progress)
    out: list[TranslatedArticle] = []
    position = 0
    for item in segmented:
        count = len(item.sentences)
        title = translated[position]
        sentences = translated[position + 1 : position + 1 + count]
        position += 1 + count
        out.append(TranslatedArticle(segmented=item, title_translation=title, translations=tuple(sentences)))
    return out


def summarize_article(
    translated: TranslatedArticle,
    summarizer: Summarizer,
    n: int,
    provenance: Provenance,
    independent: bool = False,
    max_words: int | None = None,
) -> BriefingArticle:
    """Stage: pick the summary sentences of one translated article.

    By default each aligned pair (Arabic sentence, its translation) is scored
    from both languages' signals and the same sentences are picked for both
    summaries, so both languages say the same thing. ``independent`` ranks
    each language on its own.
    """
    headings = {i for i, s in enumerate(translated.sentences) if s.heading}
    arabic = [s.text for s in translated.sentences]
    english = list(translated.translations)
    title_ar, title_en = translated.article.title, translated.title_translation
    if independent:
        summary_ar = summarizer.summarize(arabic, n, "ar", title=title_ar, exclude=headings, max_words=max_words)
        summary_en = summarizer.summarize(english, n, "en", title=title_en, exclude=headings, max_words=max_words)
    else:
        summary_ar = summarizer.summarize_pair(arabic, english, n, title_ar, title_en, exclude=headings, max_words=max_words)
        summary_en = summary_ar
    return BriefingArticle(
        translated=translated, summary_ar=tuple(summary_ar), summary_en=tuple(summary_en), provenance=provenance
    )


def make_provenance(translator: Translator, summarizer: Summarizer) -> Provenance:
    return Provenance(
        model=translator.model_id, engine=translator.engine, summarizer=summarizer.describe(), nashra_version=__version__
    )


def process(
    sources: Sequence[str | Path],
    translator: Translator,
    summarizer: Summarizer,
    sentences: int = 3,
    independent: bool = False,
    progress: ProgressFactory = no_progress,
    max_words: int | None = None,
) -> tuple[list[BriefingArticle], BuildReport]:
    """Ingest, segment, translate and summarize every article under ``sources``."""
    started = time.monotonic()
    report = BuildReport()
    result = load(sources)
    for problem in result.problems:
        log.warning("skipped %s", problem)
    report.skipped = list(result.problems)
    segmented = [segment(article) for article in result.articles]
    report.sentences = sum(len(s.sentences) for s in segmented)
    log.info("%d articles, %d sentences to translate", len(segmented), report.sentences)
    translated = translate_articles(segmented, translator, progress=progress)
    provenance = make_provenance(translator, summarizer)
    briefing = [summarize_article(t, summarizer, sentences, provenance, independent, max_words) for t in translated]
    report.articles = len(briefing)
    report.seconds = time.monotonic() - started
    return briefing, report
