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

from .document import ArticleDigest, BriefingArticle, Provenance, SegmentedArticle, TranslatedArticle
from .errors import InputError
from .ingest.stage import iter_inputs, segment_or_skip
from .lock import output_lock
from .outputs import check_not_foreign, check_output, output_failure
from .progress import ProgressCallback, ProgressFactory, no_progress
from .quality import Flag, count_kinds
from .signatures import TranslationSignature
from .signatures import provenance as provenance_of
from .state.catalog import Catalog
from .state.lines import OutletLineIndex
from .state.records import Record, RecordStore, Settled, date_order, fingerprint
from .state.sqlite import WRITE_ROWS
from .stories.stage import group_stories
from .stories.terms import digest
from .summarize import Summarizer
from .summarize.options import SummaryOptions
from .text.boilerplate import boilerplate_sentences
from .translate import Translator

if TYPE_CHECKING:
    from .site.build import Published
    from .site.options import SiteOptions
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

    def count_record_flags(self, flags: Sequence[Sequence[Flag]]) -> None:
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
    options: SummaryOptions,
    provenance: Provenance,
) -> BriefingArticle:
    """Stage: pick the summary sentences of one translated article.

    By default each aligned pair (Arabic sentence, its translation) is scored
    from both languages' signals and the same sentences are picked for both
    summaries, so both languages say the same thing. ``options.independent``
    ranks each language on its own.
    """
    headings = {i for i, s in enumerate(translated.sentences) if s.heading} | boilerplate_sentences(translated.segmented)
    arabic = [s.text for s in translated.sentences]
    english = list(translated.translations)
    title_ar, title_en = translated.article.title, translated.title_translation
    n, max_words, flagged = options.sentences, options.words, translated.flagged
    paragraphs = [s.paragraph for s in translated.sentences]
    if options.independent:
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


def make_provenance(translator: Translator, summarizer: Summarizer,
                    options: SummaryOptions = SummaryOptions()) -> Provenance:
    """The provenance a build with these settings gives its articles (see :func:`run`)."""
    return provenance_of(TranslationSignature.of(translator), options.signature(summarizer))


#: Articles are translated in chunks of about this many titles and sentences: enough for
#: full, length-sorted batches, small enough that memory does not grow with the archive.
CHUNK_SENTENCES = 2000


@dataclass
class Briefing:
    """A processed briefing: every article, translated and summarized, with its digest, in the records.

    No list of the archive is held in memory: :meth:`articles` streams the
    articles back one at a time; :func:`group` makes the stories and the
    catalog the site is written from.
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


@dataclass
class Stage:
    """What the stages of one build share: the records, the settings' keys, the report, the work in hand."""

    store: RecordStore
    translator: Translator
    summarizer: Summarizer
    summary: SummaryOptions
    report: BuildReport
    #: The translation and summary signatures as the records keep them (see :mod:`nashra.signatures`).
    namespace: str
    key: str
    provenance: Provenance
    #: Lines that recur across an outlet's articles: its boilerplate, left out of story matching.
    outlet_lines: OutletLineIndex
    #: Articles whose digest is made again once every article is read (their outlet's lines are known then).
    redigest: list[str] = field(default_factory=list)
    #: Titles and sentences the translator will be asked for.
    pending: int = 0

    @classmethod
    def start(cls, sources: Sequence[str | Path], translator: Translator, summarizer: Summarizer,
              store: RecordStore, summary: SummaryOptions) -> Stage:
        translation, summary_signature = TranslationSignature.of(translator), summary.signature(summarizer)
        return cls(store, translator, summarizer, summary, BuildReport(sources=tuple(Path(s) for s in sources)),
                   str(translation), str(summary_signature), provenance_of(translation, summary_signature),
                   store.outlet_lines())

    def summarized(self, translated: TranslatedArticle) -> BriefingArticle:
        self.report.summarized += 1
        return summarize_article(translated, self.summarizer, self.summary, self.provenance)

    def record(self, item: BriefingArticle, print_of: str) -> Record:
        return Record(print_of, self.namespace, item.translated.title_translation, item.translated.translations,
                      self.key, item.summary_ar, item.summary_en, flags=item.translated.flags,
                      summary_scores=item.summary_scores)

    def digest_of(self, item: BriefingArticle) -> ArticleDigest:
        """The article's digest, its outlet's boilerplate lines left out."""
        article = item.article
        lines = self.outlet_lines.lines(article.source, date_order(article.id, article.date), article.paragraphs)
        return digest(item, lines)


class _Writes:
    """Rows the reading stage writes to the records in batches of about WRITE_ROWS."""

    def __init__(self, stage: Stage) -> None:
        self.stage = stage
        self.lines: list[tuple[str | None, str, str, tuple[str, ...]]] = []
        self.read: list[str] = []
        self.to_store: list[tuple[SegmentedArticle, str]] = []
        self.missing_article: list[SegmentedArticle] = []
        self.missing_digest: list[ArticleDigest] = []
        self.resummarized: list[tuple[Record, ArticleDigest]] = []

    def __len__(self) -> int:
        return (len(self.read) + len(self.to_store) + len(self.missing_article) + len(self.missing_digest)
                + len(self.resummarized))

    def flush(self) -> None:
        if not len(self) and not self.lines:
            return
        store = self.stage.store
        self.stage.outlet_lines.add(self.lines)
        store.mark_read(self.read)
        store.put_articles(self.to_store)
        store.set_articles(self.missing_article)
        store.set_digests(self.missing_digest)
        store.put_many(self.resummarized)
        for batch in (self.lines, self.read, self.to_store, self.missing_article, self.missing_digest,
                      self.resummarized):
            batch.clear()


class _KnownInputs:
    """The input files a build need not read, as its records tell (:class:`nashra.ingest.stage.KnownFiles`), and
    what the records count of the articles taken from them."""

    def __init__(self, stage: Stage, writes: _Writes) -> None:
        self.stage, self.writes = stage, writes
        self.tally: Counter[Settled] = Counter()  # the articles taken, by what their records count

    def settled(self, files: Sequence[tuple[str, str]]) -> set[str]:
        return self.stage.store.settled_files(files, self.stage.namespace, self.stage.key)

    def take(self, paths: Sequence[str]) -> int:
        self.writes.flush()  # the articles read before these files are marked read before theirs
        taken, tally = self.stage.store.take_files(paths)
        self.tally.update(tally)
        return taken


def read(stage: Stage, sources: Sequence[str | Path]) -> None:
    """Stage: read every article under ``sources``, and reuse what its record holds.

    A file unchanged since a build read it whole, whose articles are all settled under these
    settings, is not read again: its articles are taken from their records as they are. Each
    other article is segmented; its record's translation is reused when its input and the
    translation settings match (and its summary when the summary settings match too); the
    others are stored as read, for :func:`translate`.
    """
    store, report = stage.store, stage.report
    writes = _Writes(stage)
    known = _KnownInputs(stage, writes)

    def read_whole(path: str, stamp: str, ids: list[str]) -> None:
        store.remember_file(path, stamp, ids)

    store.start_reading()
    for article in iter_inputs(sources, report.skipped, store.first_read(), known, read_whole):
        if len(writes) >= WRITE_ROWS:
            writes.flush()
        segmented = segment_or_skip(article, report.skipped)
        if segmented is not None:
            _reuse(stage, segmented, writes)
    writes.flush()
    for value, articles in known.tally.items():
        report.sentences += value.sentences * articles
        report.flagged += value.flagged * articles
        for kind, sentences in value.kinds:
            report.flag_counts[kind] += sentences * articles
    for problem in report.skipped:
        log.warning("skipped %s", problem)
    # A file skipped this build (damaged, being written) keeps its articles' translations for when it reads again.
    report.removed, kept = store.forget_unread(problem.path for problem in report.skipped)
    if kept:
        log.warning("%d article(s) of skipped files left out of the site; their translations are kept for when "
                    "the files read again", kept)
    report.articles = store.read_count()
    stage.outlet_lines.keep_recorded()
    # Digests made while reading could not see the lines of articles read after them, and the digests kept from
    # earlier builds not those of articles added, changed or removed before them: made again where they may differ.
    again = set(stage.redigest)
    stage.redigest.extend(sorted(set(store.with_digests(sorted(stage.outlet_lines.affected()))) - again))
    for start in range(0, len(stage.redigest), WRITE_ROWS):
        store.set_digests([stage.digest_of(_restored(store, article_id, stage.provenance))
                           for article_id in stage.redigest[start:start + WRITE_ROWS]])
    stage.outlet_lines.forget_changes()
    log.info("%d articles, %d titles and sentences to translate", report.articles, stage.pending)


def _reuse(stage: Stage, segmented: SegmentedArticle, writes: _Writes) -> None:
    """One article read: its lines noted (its outlet's boilerplate), what of its record may serve, and what
    is left to translate."""
    article, report = segmented.article, stage.report
    writes.read.append(article.id)
    writes.lines.append((article.source, article.id, date_order(article.id, article.date), article.paragraphs))
    report.sentences += len(segmented.sentences)
    print_of = fingerprint(article)
    record = stage.store.get(article.id)
    if record is None or not (record.fingerprint == print_of and record.namespace == stage.namespace
                              and len(record.translations) == len(segmented.sentences)):
        writes.to_store.append((segmented, print_of))
        stage.pending += 1 + len(segmented.sentences)
        return
    restored = record.restore(segmented, stage.provenance)
    report.count_flags(restored.translated)
    if record.summary_key != stage.key or record.flags is None:
        item = stage.summarized(restored.translated)
        writes.resummarized.append((stage.record(item, print_of), digest(item)))
        stage.redigest.append(article.id)
    elif not record.has_digest:
        writes.missing_digest.append(digest(restored))
        stage.redigest.append(article.id)
    if not record.has_article:
        writes.missing_article.append(segmented)


def translate(stage: Stage, progress: ProgressFactory = no_progress) -> None:
    """Stage: translate and summarize the articles :func:`read` stored, in chunks of about
    :data:`CHUNK_SENTENCES` titles and sentences; each chunk's records are written as it finishes."""
    report = stage.report
    with progress(stage.pending) as update:
        for chunk, size in _chunks(stage.store):
            done = 0

            def counted(count: int) -> None:
                nonlocal done
                done += count
                update(count)

            translations = translate_articles([segmented for segmented, _ in chunk], stage.translator,
                                              progress=_shared(counted))
            results = []
            for translated, (_, print_of) in zip(translations, chunk, strict=True):
                report.count_flags(translated)
                item = stage.summarized(translated)
                results.append((stage.record(item, print_of), stage.digest_of(item)))
            stage.store.put_many(results)
            report.translated += len(chunk)
            update(size - done)  # sentences served by the cache or repeated count as done too


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
    summary: SummaryOptions = SummaryOptions(),
    progress: ProgressFactory = no_progress,
) -> Briefing:
    """Read, translate and summarize every article under ``sources``, streaming: the stages before grouping.

    Articles are read one at a time; an article whose input and translation
    settings match its record reuses its translation (and its summary when the
    summary settings match too) without asking the translator. The others are
    stored in ``records`` as read, then translated and summarized in chunks of
    about :data:`CHUNK_SENTENCES`. Each article's digest is stored beside its
    record; no list of the archive stays in memory. Without ``records``, a
    store in memory serves for this one build.
    """
    started = time.monotonic()
    stage = Stage.start(sources, translator, summarizer, records if records is not None else RecordStore(None), summary)
    read(stage, sources)
    translate(stage, progress)
    # Every article read is settled now: what the next build may take of this reading without asking is kept.
    stage.store.keep_reading(stage.namespace, stage.key)
    stage.report.seconds = time.monotonic() - started
    return Briefing(report=stage.report, provenance=stage.provenance, store=stage.store)


def group(briefing: Briefing, summary: SummaryOptions = SummaryOptions()) -> Catalog:
    """Stage: group the briefing's articles into stories; the catalog the site is written from."""
    catalog = Catalog(briefing.store, briefing.provenance)
    briefing.report.stories = group_stories(catalog, summary.sentences)
    return catalog


def _restored(store: RecordStore, article_id: str, provenance: Provenance) -> BriefingArticle:
    record = store.get(article_id)
    assert record is not None  # read in this build
    return record.restore(store.segmented(article_id), provenance)




def build_briefing(
    sources: Sequence[str | Path],
    out_dir: Path,
    translator: Translator,
    summarizer: Summarizer,
    site: SiteOptions | None = None,
    summary: SummaryOptions = SummaryOptions(),
    progress: ProgressFactory = no_progress,
) -> BuildReport:
    """The whole job, stage by stage: read (and reuse), translate and summarize, group, publish; with
    ``out_dir``'s build records.

    Holds the output lock on ``out_dir`` throughout. The HTML of a large site is rendered by worker
    processes (``site.jobs``; see :func:`nashra.site.pagebuild.build_html`): call it from a script
    under ``if __name__ == "__main__":``.
    """
    from .site.build import publish

    check_output(out_dir, sources)
    check_not_foreign(out_dir)
    try:
        with output_lock(out_dir):
            records = RecordStore.for_output(out_dir)
            try:
                briefing = run(sources, translator, summarizer, records, summary, progress)
                catalog = group(briefing, summary)
                published = publish(catalog, out_dir, site)
            finally:
                records.close()
    except (OSError, sqlite3.Error) as exc:
        raise output_failure(exc, out_dir) from None
    report = briefing.report
    report.pages, report.site_dir, report.docs_dir = published.pages, published.site_dir, published.docs_dir
    report.search = published.search
    report.published = published
    return report
