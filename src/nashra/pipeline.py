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
from .records import Record, RecordStore, fingerprint
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
    #: Articles whose translation was made in this build (the others came from their record).
    translated: int = 0
    #: Articles summarized in this build (the others' summaries came from their record).
    summarized: int = 0
    #: Articles whose input is gone, forgotten in this build.
    removed: int = 0
    #: The files and folders the articles were read from.
    sources: tuple[Path, ...] = ()
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


def summary_key(summarizer: Summarizer, sentences: int, independent: bool, max_words: int | None) -> str:
    return f"{summarizer.describe()}|sentences={sentences}|independent={independent}|max_words={max_words}"


def process(
    sources: Sequence[str | Path],
    translator: Translator,
    summarizer: Summarizer,
    sentences: int = 3,
    independent: bool = False,
    progress: ProgressFactory = no_progress,
    max_words: int | None = None,
    records: RecordStore | None = None,
) -> tuple[list[BriefingArticle], BuildReport]:
    """Ingest, segment, translate and summarize every article under ``sources``.

    With ``records``, an article whose input and translation settings are
    unchanged reuses its translation, and its summary too when the summary
    settings are unchanged; nothing is asked of the translator for it.
    """
    started = time.monotonic()
    report = BuildReport(sources=tuple(Path(s) for s in sources))
    result = load(sources)
    for problem in result.problems:
        log.warning("skipped %s", problem)
    report.skipped = list(result.problems)
    segmented = [segment(article) for article in result.articles]
    report.sentences = sum(len(s.sentences) for s in segmented)
    key = summary_key(summarizer, sentences, independent, max_words)
    previous: dict[str, Record] = {}
    fingerprints: dict[str, str] = {}
    if records is not None:
        namespace = translator.namespace
        for item in segmented:
            fingerprints[item.article.id] = fingerprint(item.article)
            record = records.get(item.article.id)
            if (record and record.fingerprint == fingerprints[item.article.id] and record.namespace == namespace
                    and len(record.translations) == len(item.sentences)):
                previous[item.article.id] = record
    fresh = [item for item in segmented if item.article.id not in previous]
    log.info("%d articles, %d to translate", len(segmented), len(fresh))
    translated_now = {t.article.id: t for t in translate_articles(fresh, translator, progress=progress)}
    report.translated = len(translated_now)
    provenance = make_provenance(translator, summarizer)
    briefing: list[BriefingArticle] = []
    for item in segmented:
        record = previous.get(item.article.id)
        if record is None:
            translated = translated_now[item.article.id]
        else:
            translated = TranslatedArticle(segmented=item, title_translation=record.title_translation,
                                           translations=record.translations)
        if record is not None and record.summary_key == key:
            briefing.append(BriefingArticle(translated=translated, summary_ar=record.summary_ar,
                                            summary_en=record.summary_en, provenance=provenance))
        else:
            briefing.append(summarize_article(translated, summarizer, sentences, provenance, independent, max_words))
            report.summarized += 1
    if records is not None:
        records.put_many(
            (b.article.id, Record(fingerprints[b.article.id], namespace, b.translated.title_translation,
                                  b.translated.translations, key, b.summary_ar, b.summary_en))
            for b in briefing
        )
        report.removed = records.keep_only(b.article.id for b in briefing)
    report.articles = len(briefing)
    report.seconds = time.monotonic() - started
    return briefing, report
