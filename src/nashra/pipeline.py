"""The stages tied together: ingest -> segment -> translate -> summarize -> publish."""

from __future__ import annotations

import logging
import sqlite3
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .document import Article, ArticleDigest, BriefingArticle, Provenance, SegmentedArticle, TranslatedArticle
from .errors import InputError
from .ingest import MAX_ARTICLE_SENTENCES, KnownArticle, iter_inputs
from .state.catalog import Catalog
from .state.sqlite import WRITE_ROWS
from .state.records import Record, RecordStore, date_order, fingerprint
from .stories import digest
from .summarize import Summarizer
from .text.boilerplate import boilerplate_sentences
from .text.segment import segment
from .translate import Translator
from .translate.base import ProgressCallback, ProgressFactory, no_progress
from .signatures import SummarySignature, TranslationSignature
from .signatures import provenance as provenance_of
from .quality import count_kinds

if TYPE_CHECKING:
    from .site.build import Published, SiteOptions
    from .site.pagebuild import PageReport
    from .site.search_parts import SearchReport

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
    #: Stories the articles form, and what the HTML build rendered and reused (set by build_briefing).
    stories: int = 0
    pages: PageReport | None = None
    search: SearchReport | None = None
    site_dir: Path | None = None
    docs_dir: Path | None = None
    #: The published site: its size, budget and compact entries (set by build_briefing).
    published: Published | None = None
    #: Sentences of the build's articles with quality flags, and how many each kind of flag marks.
    flagged: int = 0
    flag_counts: Counter[str] = field(default_factory=Counter)

    def count_flags(self, translated: TranslatedArticle) -> None:
        self.count_record_flags(translated.sentence_flags)

    def count_record_flags(self, flags: Sequence[Sequence[str]]) -> None:
        """Count an article's quality flags, one tuple of reasons per sentence."""
        self.flagged += sum(1 for reasons in flags if reasons)
        self.flag_counts.update(count_kinds(flags))


def translation_texts(segmented: SegmentedArticle) -> list[str]:
    """What a build gives the translator of an article: its title, then its sentences."""
    return [segmented.article.title, *(s.text for s in segmented.sentences)]


def translate_articles(
    segmented: Sequence[SegmentedArticle],
    translator: Translator,
    progress: ProgressFactory = no_progress,
) -> list[TranslatedArticle]:
    """Stage: translate the titles and sentences of many articles in one pass.

    All sentences go to the translator together so that batches are full and
    sentences shared between articles are translated once.
    """
    texts = [text for item in segmented for text in translation_texts(item)]
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
    headings = {i for i, s in enumerate(translated.sentences) if s.heading} | boilerplate_sentences(translated.segmented)
    arabic = [s.text for s in translated.sentences]
    english = list(translated.translations)
    title_ar, title_en = translated.article.title, translated.title_translation
    flagged = translated.flagged
    paragraphs = [s.paragraph for s in translated.sentences]
    if independent:
        ranked = summarizer.ranked(arabic, n, "ar", title=title_ar, exclude=headings, max_words=max_words,
                                   flagged=flagged, paragraphs=paragraphs)
        summary_en = summarizer.summarize(english, n, "en", title=title_en, exclude=headings, max_words=max_words,
                                          flagged=flagged, paragraphs=paragraphs)
    else:
        ranked = summarizer.ranked_pair(arabic, english, n, title_ar, title_en, exclude=headings, max_words=max_words,
                                        flagged=flagged, paragraphs=paragraphs)
        summary_en = list(ranked.indices)
    return BriefingArticle(translated=translated, summary_ar=ranked.indices, summary_en=tuple(summary_en),
                           provenance=provenance, summary_scores=ranked.scores)


def make_provenance(translator: Translator, summarizer: Summarizer, sentences: int = 3, independent: bool = False,
                    max_words: int | None = None) -> Provenance:
    """The provenance a build with these settings gives its articles (see :func:`run`)."""
    return provenance_of(TranslationSignature.of(translator),
                         SummarySignature.of(summarizer, sentences, independent, max_words))


def summary_key(summarizer: Summarizer, sentences: int, independent: bool, max_words: int | None) -> str:
    """The summary stage's signature as its key (see :class:`nashra.signatures.SummarySignature`)."""
    return str(SummarySignature.of(summarizer, sentences, independent, max_words))


#: Articles are translated in chunks of about this many titles and sentences: enough for
#: full, length-sorted batches, small enough that memory does not grow with the archive.
CHUNK_SENTENCES = 2000


@dataclass
class Briefing:
    """A processed briefing: every article, translated and summarized, with its digest, in the records.

    No list of the archive is held in memory: :meth:`articles` streams the
    articles back one at a time, and :meth:`catalog` groups the stories and
    answers the site's queries from the same database.
    """

    report: BuildReport
    provenance: Provenance
    store: RecordStore

    def articles(self) -> Iterator[BriefingArticle]:
        """Every article, translated and summarized, in input order."""
        for segmented, record in self.store.read_articles():
            yield record.restore(segmented, self.provenance)

    def digests(self) -> Iterator[ArticleDigest]:
        """Every article's digest, oldest first."""
        return self.store.digests_by_date(self.provenance)

    def catalog(self, sentences: int = 3) -> Catalog:
        """The briefing's stories (grouped now) and the queries its site is written from."""
        catalog = Catalog(self.store, self.provenance)
        self.report.stories = catalog.group(sentences)
        return catalog


def _reusable(record: Record, print_of: str, namespace: str, sentences: int) -> bool:
    return record.fingerprint == print_of and record.namespace == namespace and len(record.translations) == sentences


def _chunks(store: RecordStore) -> Iterator[tuple[list[tuple[SegmentedArticle, str]], int]]:
    """The stored articles still to translate, segmented with their fingerprints, in chunks of about
    CHUNK_SENTENCES titles and sentences."""
    chunk: list[tuple[SegmentedArticle, str]] = []
    size = 0
    for segmented, print_of in store.iter_pending():
        chunk.append((segmented, print_of))
        size += 1 + len(segmented.sentences)
        if size >= CHUNK_SENTENCES:
            yield chunk, size
            chunk, size = [], 0
    if chunk:
        yield chunk, size


def _shared(update: ProgressCallback) -> ProgressFactory:
    """A progress factory that hands every chunk's translation the build's one progress callback."""
    return lambda total: nullcontext(update)


def run(
    sources: Sequence[str | Path],
    translator: Translator,
    summarizer: Summarizer,
    records: RecordStore | None = None,
    sentences: int = 3,
    independent: bool = False,
    max_words: int | None = None,
    progress: ProgressFactory = no_progress,
) -> Briefing:
    """Ingest, segment, translate and summarize every article under ``sources``, streaming.

    Articles are read one at a time; an article whose input and translation
    settings match its record reuses its translation (and its summary when the
    summary settings match too) without asking the translator. The others are
    stored in ``records`` as read, then translated and summarized in chunks of
    about :data:`CHUNK_SENTENCES`. Each article's digest is stored beside its
    record; no list of the archive stays in memory. Without ``records``, a
    store in memory serves for this one build.
    """
    started = time.monotonic()
    store = records if records is not None else RecordStore(None)
    report = BuildReport(sources=tuple(Path(s) for s in sources))
    summary_signature = SummarySignature.of(summarizer, sentences, independent, max_words)
    translation_signature = TranslationSignature.of(translator)
    key, namespace = str(summary_signature), str(translation_signature)
    provenance = provenance_of(translation_signature, summary_signature)

    def summarized(translated: TranslatedArticle) -> BriefingArticle:
        report.summarized += 1
        return summarize_article(translated, summarizer, sentences, provenance, independent, max_words)

    # Lines that recur across an outlet's articles are its boilerplate, left out of story matching.
    outlet_lines = store.outlet_lines()
    lines: list[tuple[str | None, str, str, tuple[str, ...]]] = []
    redigest: list[str] = []

    def digest_of(item: BriefingArticle) -> ArticleDigest:
        article = item.article
        return digest(item, outlet_lines.lines(article.source, date_order(article.id, article.date), article.paragraphs))

    pending_texts = 0
    read: list[str] = []
    to_store: list[tuple[SegmentedArticle, str]] = []
    missing_article: list[SegmentedArticle] = []
    missing_digest: list[ArticleDigest] = []
    resummarized: list[tuple[Record, ArticleDigest]] = []
    batches = (read, to_store, missing_article, missing_digest, resummarized)

    def flush() -> None:
        outlet_lines.add(lines)
        lines.clear()
        store.mark_read(read)
        store.put_articles(to_store)
        store.set_articles(missing_article)
        store.set_digests(missing_digest)
        store.put_many(resummarized)
        for batch in batches:
            batch.clear()

    # A file unchanged since a build read it whole, whose articles are all settled under these settings,
    # is not read again: its articles are taken from their records as they are.
    settled: dict[str, Record] = {}

    def known(path: Path, stamp: str) -> list[str] | None:
        records = store.settled_file(str(path), stamp, namespace, key)
        settled.update(records or {})
        return list(records) if records else None

    def read_whole(path: Path, stamp: str, ids: list[str]) -> None:
        store.remember_file(str(path), stamp, ids)

    store.start_reading()
    for article in iter_inputs(sources, report.skipped, store.first_read(), known, read_whole):
        if sum(len(batch) for batch in batches) >= WRITE_ROWS:
            flush()
        if isinstance(article, KnownArticle):
            settled_record = settled.pop(article.id)
            read.append(article.id)
            report.sentences += len(settled_record.translations)
            report.count_record_flags(settled_record.flags or ())
            continue
        segmented = segment_or_skip(article, report.skipped)
        if segmented is None:
            continue
        report.sentences += len(segmented.sentences)
        print_of = fingerprint(article)
        record = store.get(article.id)
        read.append(article.id)
        lines.append((article.source, article.id, date_order(article.id, article.date), article.paragraphs))
        if record is not None and _reusable(record, print_of, namespace, len(segmented.sentences)):
            restored = record.restore(segmented, provenance)
            report.count_flags(restored.translated)
            if record.summary_key != key or record.flags is None:
                item = summarized(restored.translated)
                resummarized.append((_record(item, print_of, namespace, key), digest(item)))
                redigest.append(article.id)
            elif not record.has_digest:
                missing_digest.append(digest(restored))
                redigest.append(article.id)
            if not record.has_article:
                missing_article.append(segmented)
        else:
            to_store.append((segmented, print_of))
            pending_texts += 1 + len(segmented.sentences)
    flush()
    for problem in report.skipped:
        log.warning("skipped %s", problem)
    # A file skipped this build (damaged, being written) keeps its articles' translations for when it reads again.
    report.removed, kept = store.forget_unread(problem.path for problem in report.skipped)
    if kept:
        log.warning("%d article(s) of skipped files left out of the site; their translations are kept for when "
                    "the files read again", kept)
    report.articles = store.read_count()
    outlet_lines.keep_recorded()
    # Digests made while reading could not see the lines of articles read after them: made again.
    for start in range(0, len(redigest), WRITE_ROWS):
        store.set_digests([digest_of(_restored(store, article_id, provenance))
                           for article_id in redigest[start:start + WRITE_ROWS]])
    log.info("%d articles, %d titles and sentences to translate", report.articles, pending_texts)

    with progress(pending_texts) as update:
        for chunk, size in _chunks(store):
            done = 0

            def counted(count: int) -> None:
                nonlocal done
                done += count
                update(count)

            prints = [print_of for _, print_of in chunk]
            results = []
            translations = translate_articles([segmented for segmented, _ in chunk], translator,
                                              progress=_shared(counted))
            for translated, print_of in zip(translations, prints, strict=True):
                report.count_flags(translated)
                item = summarized(translated)
                results.append((_record(item, print_of, namespace, key), digest_of(item)))
            store.put_many(results)
            report.translated += len(chunk)
            update(size - done)  # sentences served by the cache or repeated count as done too

    report.seconds = time.monotonic() - started
    return Briefing(report=report, provenance=provenance, store=store)


def _restored(store: RecordStore, article_id: str, provenance: Provenance) -> BriefingArticle:
    record = store.get(article_id)
    assert record is not None  # read in this build
    return record.restore(store.segmented(article_id), provenance)


def segment_or_skip(article: Article, problems: list[InputError]) -> SegmentedArticle | None:
    """The article segmented, or None with a skip line in ``problems`` (too many sentences, or any error)."""
    label = f"{article.path} (article '{article.id}')" if article.path is not None else f"article '{article.id}'"
    try:
        segmented = segment(article)
    except Exception as exc:  # noqa: BLE001 - one article's problem is that article's skip line
        log.debug("%s: cannot segment", label, exc_info=True)
        problems.append(InputError(label, f"cannot split it into sentences ({type(exc).__name__}: {exc})"))
        return None
    if len(segmented.sentences) > MAX_ARTICLE_SENTENCES:
        count = len(segmented.sentences)
        problems.append(InputError(label, f"{count:,} sentences; the limit is {MAX_ARTICLE_SENTENCES:,}"))
        return None
    return segmented


def _record(item: BriefingArticle, print_of: str, namespace: str, key: str) -> Record:
    return Record(print_of, namespace, item.translated.title_translation, item.translated.translations, key,
                  item.summary_ar, item.summary_en, flags=item.translated.flags, summary_scores=item.summary_scores)


def build_briefing(
    sources: Sequence[str | Path],
    out_dir: Path,
    translator: Translator,
    summarizer: Summarizer,
    site: SiteOptions | None = None,
    sentences: int = 3,
    independent: bool = False,
    max_words: int | None = None,
    progress: ProgressFactory = no_progress,
) -> BuildReport:
    """The whole job: process ``sources`` with ``out_dir``'s build records, group stories, publish.

    Holds the output lock on ``out_dir`` throughout. The HTML of a large site is rendered by worker
    processes (``site.jobs``; see :func:`nashra.site.pagebuild.build_html`): call it from a script
    under ``if __name__ == "__main__":``.
    """
    from .lock import output_lock
    from .outputs import check_not_foreign, check_output, output_failure
    from .site.build import publish

    check_output(out_dir, sources)
    check_not_foreign(out_dir)
    try:
        with output_lock(out_dir):
            records = RecordStore.for_output(out_dir)
            try:
                briefing = run(sources, translator, summarizer, records, sentences, independent, max_words, progress)
                published = publish(briefing.catalog(sentences), out_dir, site)
            finally:
                records.close()
    except (OSError, sqlite3.Error) as exc:
        raise output_failure(exc, out_dir) from None
    report = briefing.report
    report.pages, report.site_dir, report.docs_dir = published.pages, published.site_dir, published.docs_dir
    report.search = published.search
    report.published = published
    return report
