"""What each article produced, from which input and settings: the basis of incremental builds.

For every article the record keeps the article as read, the sentences it
was split into (a build segments each article once, as it reads it; the
later stages take the stored sentences) and a fingerprint of it, the
translation namespace (engine, model, revision, settings) with the
translations, and the summary settings with the sentences they picked. A
rebuild reuses an unchanged article's translation without asking the
translator, re-summarizes only when the summary settings changed, and forgets
articles whose input is gone. The records are also the build's working set:
pages are written from them one article at a time, so a build never holds
the whole archive's text. Beside each record lies the article's digest (what
stories, index pages and feeds show of it), with the columns they are
queried by, so that no stage holds the whole archive in memory.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sqlite3
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, NamedTuple

from .. import __version__
from .lines import OutletLineIndex, note_removed_records
from .reading import KeptReading, create_tables as create_reading_tables, forget as forget_reading
from .sqlite import connect, paged, rows_in, transaction
from ..document import (Article, ArticleDigest, BriefingArticle, Provenance, SegmentedArticle, Sentence,
                        TranslatedArticle)
from ..errors import BuildError
from ..quality import Flag, count_kinds, signature
from ..stories.grouping import document_frequencies
from ..stories.terms import MATCH_VERSION

FILE_NAME = "records.sqlite3"


def state_dir(out_dir: Path) -> Path:
    """Where a build keeps what the next build reuses: ``OUT/.nashra``."""
    return out_dir / ".nashra"


def fingerprint(article: Article) -> str:
    """Everything about an article's input that can change its pages (and Nashra's version)."""
    payload = json.dumps(
        [__version__, article.id, article.title, article.title_derived, list(article.paragraphs),
         sorted(article.headings), article.source, article.url, article.date.isoformat() if article.date else None],
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def article_to_json(article: Article) -> str:
    return json.dumps({
        "id": article.id, "title": article.title, "paragraphs": list(article.paragraphs), "source": article.source,
        "url": article.url, "date": article.date.isoformat() if article.date else None,
        "path": str(article.path) if article.path else None, "title_derived": article.title_derived,
        "abstract": article.abstract, "language": article.language, "headings": sorted(article.headings),
        "inferred": list(article.inferred), "date_hijri": article.date_hijri,
    }, ensure_ascii=False)


def article_from_json(text: str) -> Article:
    data: dict[str, Any] = json.loads(text)
    return Article(
        id=data["id"], title=data["title"], paragraphs=tuple(data["paragraphs"]), source=data["source"],
        url=data["url"], date=datetime.fromisoformat(data["date"]) if data["date"] else None,
        path=Path(data["path"]) if data["path"] else None, title_derived=data["title_derived"],
        abstract=data["abstract"], language=data["language"], headings=frozenset(data["headings"]),
        inferred=tuple(data.get("inferred", ())), date_hijri=data.get("date_hijri"),
    )


def sentences_to_json(segmented: SegmentedArticle) -> str:
    """An article's sentences as stored: the build segments each article once, when it reads it."""
    return json.dumps([[s.text, s.paragraph, s.heading] for s in segmented.sentences], ensure_ascii=False)


def segmented_from_json(article: Article, text: str) -> SegmentedArticle:
    return SegmentedArticle(article=article, sentences=tuple(Sentence(str(s), int(p), bool(h))
                                                             for s, p, h in json.loads(text)))


def digest_to_json(item: ArticleDigest) -> str:
    """An article digest as stored (without its provenance, which is the build's)."""
    return json.dumps({
        "id": item.id, "title": item.title, "title_translation": item.title_translation, "source": item.source,
        "url": item.url, "date": item.date.isoformat() if item.date else None, "summary_ar": list(item.summary_ar),
        "summary_en": list(item.summary_en), "summary_sentences": [list(s) for s in item.summary_sentences],
        "terms": list(item.terms), "match": MATCH_VERSION, "summary_scores": list(item.summary_scores),
    }, ensure_ascii=False)


def digest_from_json(text: str, provenance: Provenance) -> ArticleDigest:
    data: dict[str, Any] = json.loads(text)
    return ArticleDigest(
        id=data["id"], title=data["title"], title_translation=data["title_translation"], source=data["source"],
        url=data["url"], date=datetime.fromisoformat(data["date"]) if data["date"] else None,
        summary_ar=tuple(data["summary_ar"]), summary_en=tuple(data["summary_en"]),
        summary_sentences=tuple((int(i), ar, en) for i, ar, en in data["summary_sentences"]), provenance=provenance,
        terms=tuple(sys.intern(t) for t in data["terms"]),
        summary_scores=tuple(float(s) for s in data.get("summary_scores", ())),
    )


def _has_digest(column: str = "digest") -> str:
    """SQL: the record's ``column`` holds a digest whose matching terms the current
    :func:`nashra.stories.terms.match_terms` made."""
    return f"({column} IS NOT NULL AND json_extract({column}, '$.match') IS {MATCH_VERSION})"


#: The columns of ``records r`` a :class:`Record` is made from (:meth:`Record.from_row`), by name.
RECORD_COLUMNS = ("r.fingerprint, r.namespace, r.title_translation, r.translations, r.summary_key, r.summary_ar,"
                  " r.summary_en, r.article IS NOT NULL AND r.sentences IS NOT NULL AS has_article, "
                  + _has_digest("r.digest") + " AS has_digest, r.flags, r.summary_scores")
#: And those of a :class:`StoredArticle`.
STORED_COLUMNS = "r.id, r.article, r.sentences, r.page_key, " + RECORD_COLUMNS


def date_order(article_id: str, date: datetime | None) -> str:
    """Text that sorts articles oldest first (by their UTC time), undated last, then by id."""
    if date is None:
        return f"1|{article_id}"
    return f"0{date.astimezone(UTC):%Y-%m-%dT%H:%M:%S.%f}|{article_id}"


def _date_bound(when: datetime) -> str:
    """The :func:`date_order` that articles dated from ``when`` on sort at or after (and the older ones before)."""
    return f"0{when.astimezone(UTC):%Y-%m-%dT%H:%M:%S.%f}"


@dataclass(frozen=True)
class Record:
    """What was produced for one article. An article read but not yet translated has no namespace."""

    fingerprint: str
    namespace: str | None
    title_translation: str
    translations: tuple[str, ...]
    summary_key: str | None
    summary_ar: tuple[int, ...]
    summary_en: tuple[int, ...]
    #: False for records of older builds, which did not keep the article (or its sentences).
    has_article: bool = True
    #: False until the article's digest is stored beside its summary.
    has_digest: bool = True
    #: The translations' quality flags; None when not stored or stored by other checks (then recomputed).
    flags: tuple[tuple[Flag, ...], ...] | None = None
    #: The summarizer's score of each sentence of ``summary_ar`` (empty in records of older builds).
    summary_scores: tuple[float, ...] = ()

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Record:
        """The record of a row selecting :data:`RECORD_COLUMNS`."""
        return cls(row["fingerprint"], row["namespace"], row["title_translation"] or "",
                   tuple(json.loads(row["translations"] or "[]")), row["summary_key"],
                   tuple(json.loads(row["summary_ar"] or "[]")), tuple(json.loads(row["summary_en"] or "[]")),
                   bool(row["has_article"]), bool(row["has_digest"]), flags_from_json(row["flags"]),
                   _scores(row["summary_scores"]))

    def restore(self, segmented: SegmentedArticle, provenance: Provenance) -> BriefingArticle:
        """The article with the translation and summary this record holds."""
        flags = self.flags if self.flags is not None and len(self.flags) == len(self.translations) else None
        translated = TranslatedArticle(segmented=segmented, title_translation=self.title_translation,
                                       translations=self.translations, flags=flags)
        return BriefingArticle(translated=translated, summary_ar=self.summary_ar, summary_en=self.summary_en,
                               provenance=provenance, summary_scores=self.summary_scores)


class Settled(NamedTuple):
    """An article settled in the records (see :meth:`RecordStore.settled_files`): its number of sentences, how
    many of them are flagged, and how many sentences each kind of flag marks."""

    sentences: int
    flagged: int
    kinds: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class StoredArticle:
    """An article of the build as stored: its record, what its published pages were made from
    (``page_key``, None when unknown), and the article itself, decoded when asked for."""

    id: str
    record: Record
    page_key: str | None
    article_json: str
    sentences_json: str

    def article(self) -> Article:
        return article_from_json(self.article_json)

    def segmented(self) -> SegmentedArticle:
        """The article with the sentences it was split into when the build read it."""
        return segmented_from_json(self.article(), self.sentences_json)


#: Columns added since the first release, created in older record files when opened.
_ADDED_COLUMNS = ("article", "digest", "terms", "date_order", "day", "source", "page_key", "flags", "sentences",
                  "summary_scores", "page_stale", "digest_sha", "settled")
#: The columns an article's pages are made from: a change to one makes its published pages stale.
_PAGE_COLUMNS = ("fingerprint", "namespace", "title_translation", "translations", "summary_key", "summary_ar",
                 "summary_en", "flags", "article", "sentences", "digest")


def _sha256(text: str | None) -> str | None:
    return hashlib.sha256(text.encode("utf-8")).hexdigest() if text is not None else None


def _scores(text: str | None) -> tuple[float, ...]:
    """Summary scores as stored (none in records of older builds)."""
    return tuple(float(s) for s in json.loads(text)) if text else ()


def flags_to_json(flags: tuple[tuple[Flag, ...], ...] | None) -> str | None:
    """Flags as stored: versioned by the checks' signature, so that other checks' flags are recomputed."""
    if flags is None:
        return None
    return json.dumps({"signature": signature(), "sentences": [list(f) for f in flags]}, ensure_ascii=False)


def flag_counts_from_json(text: str | None) -> tuple[int, tuple[tuple[str, int], ...]] | None:
    """What :func:`nashra.quality.count_kinds` counts of the flags as stored (None as :func:`flags_from_json`):
    the sentences flagged and, by kind, the sentences it marks. Many articles' flags are stored alike (no
    flag, one sentence each): each text is decoded and counted once."""
    return _flag_counts(text, signature()) if text else None


def _settled_key() -> str:
    """What a record's ``settled`` column was computed under: the flags' checks and the digests' matching terms."""
    return f"{signature()}/{MATCH_VERSION}"


def _settled_text(sentences: int | None, flags: str | None, has_article: int | None,
                  has_digest: int | None) -> str | None:
    """The ``settled`` column (SQL function ``nashra_settled``, kept by the records' triggers): for a record
    translated (``sentences``: how many), with flags, the article as read and a digest, ``key TAB sentences
    TAB flagged TAB kinds`` (see :class:`Settled`); None for any other."""
    if sentences is None or not has_article or not has_digest:
        return None
    counted = flag_counts_from_json(flags)
    if counted is None:
        return None
    flagged, kinds = counted
    return f"{_settled_key()}\t{sentences}\t{flagged}\t{json.dumps(kinds, ensure_ascii=False)}"


def _settled_sql(row: str = "") -> str:
    """SQL: the ``settled`` column of a record, its columns named with ``row`` before them (``NEW.`` in a trigger)."""
    return (f"nashra_settled(json_array_length({row}translations), {row}flags, {row}article IS NOT NULL"
            f" AND {row}sentences IS NOT NULL, {_has_digest(row + 'digest')})")


@functools.lru_cache(maxsize=4096)
def _settled_value(text: str, key: str) -> Settled | None:
    """A ``settled`` column read back; None when computed under other checks or terms than ``key``."""
    stored_key, sentences, flagged, kinds = text.split("\t")
    if stored_key != key:
        return None
    return Settled(int(sentences), int(flagged), tuple((kind, int(n)) for kind, n in json.loads(kinds)))


@functools.lru_cache(maxsize=4096)
def _flag_counts(text: str, current: str) -> tuple[int, tuple[tuple[str, int], ...]] | None:
    """Cached by the text and the flags' signature ``current`` (which :func:`flags_from_json` checks)."""
    flags = flags_from_json(text)
    if flags is None:
        return None
    return sum(1 for reasons in flags if reasons), tuple(sorted(count_kinds(flags).items()))


def flags_from_json(text: str | None) -> tuple[tuple[Flag, ...], ...] | None:
    if not text:
        return None
    data = json.loads(text)
    if data.get("signature") != signature():
        return None
    return tuple(tuple(Flag.parse(f) for f in reasons) for reasons in data["sentences"])


class RecordStore:
    """Build records in SQLite: ``OUT/.nashra/records.sqlite3``, or in memory when ``path`` is None.

    Besides the records, the store knows which articles the current build has
    read (:meth:`mark_read`), in the order it read them.
    """

    def __init__(self, path: Path | None) -> None:
        self._staged_signature: str | None = None
        self.path = path

        def setup(conn: sqlite3.Connection) -> None:
            conn.execute("PRAGMA journal_mode=WAL")
            # Records can be rebuilt from the inputs: a power cut may lose the last writes, never corrupt them.
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA temp_store=MEMORY")
            conn.execute(
                "CREATE TABLE IF NOT EXISTS records (id TEXT PRIMARY KEY, fingerprint TEXT, namespace TEXT,"
                " title_translation TEXT, translations TEXT, summary_key TEXT, summary_ar TEXT, summary_en TEXT)"
            )
            present = {row[1] for row in conn.execute("PRAGMA table_info(records)")}
            added = [column for column in _ADDED_COLUMNS if column not in present]
            for column in added:
                conn.execute(f"ALTER TABLE records ADD COLUMN {column} TEXT")
            # The site's queries (nashra.state.catalog) list the records by date, day and outlet.
            for column in ("date_order", "day", "source"):
                conn.execute(f"CREATE INDEX IF NOT EXISTS records_{column} ON records ({column})")
            # ``digest_sha``: the SHA-256 of the digest as stored, kept by these triggers, so that a listing page
            # is keyed by what it lists without reading every digest (nashra.site.archive.Listing).
            conn.create_function("nashra_sha256", 1, _sha256, deterministic=True)
            conn.execute("CREATE TEMP TRIGGER IF NOT EXISTS digest_sha_set AFTER UPDATE OF digest ON main.records"
                         " WHEN OLD.digest IS NOT NEW.digest BEGIN"
                         " UPDATE records SET digest_sha = nashra_sha256(NEW.digest) WHERE id = NEW.id; END")
            conn.execute("CREATE TEMP TRIGGER IF NOT EXISTS digest_sha_added AFTER INSERT ON main.records"
                         " WHEN NEW.digest IS NOT NULL BEGIN"
                         " UPDATE records SET digest_sha = nashra_sha256(NEW.digest) WHERE id = NEW.id; END")
            if "digest_sha" not in present:  # records of a version before the column: theirs made once
                conn.execute("UPDATE records SET digest_sha = nashra_sha256(digest) WHERE digest IS NOT NULL")
            # A record with a digest has its hash (the listing queries count on it): a version before the
            # triggers may have written digests since; found through the few records without a hash.
            conn.execute("CREATE INDEX IF NOT EXISTS records_sha_missing ON records (id) WHERE digest_sha IS NULL")
            conn.execute("UPDATE records SET digest_sha = nashra_sha256(digest)"
                         " WHERE digest_sha IS NULL AND digest IS NOT NULL")
            # The listing pages' keys (nashra.state.catalog: day_keys, source_keys, the counts) are read from these
            # indexes alone: a record's row holds its article, translations and digest, and reaching a column
            # after them walks its overflow pages (every record, every build, at 100,000 articles).
            conn.execute("CREATE INDEX IF NOT EXISTS records_day_keys ON records (day, id, digest_sha)")
            conn.execute("CREATE INDEX IF NOT EXISTS records_source_keys ON records (source, day, date_order, id,"
                         " digest_sha)")
            conn.execute("CREATE INDEX IF NOT EXISTS records_id_day ON records (id, day, digest_sha)")
            # An outlet's articles in the order its pages list them (nashra.state.catalog: source_keys, sources),
            # newest first read forward and oldest first backward: without it, every daily build sorted every
            # outlet's articles four times (its newest for the sources page and its own, all of them for its
            # numbered pages; 0.2 s at 100,000 articles).
            conn.execute("CREATE INDEX IF NOT EXISTS records_source_order ON records (source, day IS NULL, CASE WHEN"
                         " day IS NULL THEN '' ELSE substr(date_order, 2, 26) END DESC, id, digest_sha, day, date_order)"
                         " WHERE digest_sha IS NOT NULL")
            # ``settled``: what a daily build needs of an article of an unchanged input file (settled_files) in
            # one short column, kept by these triggers, read from an index with the record's settings: the
            # columns it is made from (translations, flags, digest) walk the row's overflow pages.
            conn.create_function("nashra_settled", 4, _settled_text, deterministic=True)
            settled = f"UPDATE records SET settled = {_settled_sql('NEW.')} WHERE id = NEW.id"
            conn.execute("CREATE TEMP TRIGGER IF NOT EXISTS settled_changed AFTER UPDATE OF translations, flags,"
                         f" article, sentences, digest ON main.records BEGIN {settled}; END")
            conn.execute(f"CREATE TEMP TRIGGER IF NOT EXISTS settled_added AFTER INSERT ON main.records BEGIN {settled}; END")
            if "settled" in present and not present.issuperset(("flags", "article", "sentences", "digest")):
                conn.execute("UPDATE records SET settled = NULL")  # made from a column this file did not have
            # Records written by a version before the column (or without these triggers) get theirs now; the
            # records still to translate are the few rows of this index that stay without one.
            conn.execute("CREATE INDEX IF NOT EXISTS records_settled_missing ON records (id) WHERE settled IS NULL")
            conn.execute(f"UPDATE records SET settled = {_settled_sql()}"
                         " WHERE settled IS NULL AND translations IS NOT NULL AND flags IS NOT NULL")
            # The settings after the column: with them right after the id, SQLite's planner met an older version's
            # query (by id and settings, reading the long columns) with an index of the whole table made each time.
            conn.execute("CREATE INDEX IF NOT EXISTS records_settled ON records (id, settled, namespace, summary_key)")
            # The story terms of every article, by date (terms: the story grouping's document frequencies).
            conn.execute("CREATE INDEX IF NOT EXISTS records_date_terms ON records (date_order, terms)")
            # The records still to translate (iter_pending), in the order stored: a daily build's few, without
            # reading every row (0.36 s a build for 100,000 records).
            conn.execute("CREATE INDEX IF NOT EXISTS records_untranslated ON records (namespace) WHERE namespace IS NULL")
            conn.execute("CREATE TEMP TABLE IF NOT EXISTS read (position INTEGER PRIMARY KEY, id TEXT UNIQUE)")
            conn.execute("CREATE TEMP TABLE IF NOT EXISTS first_read (id TEXT PRIMARY KEY, path TEXT) WITHOUT ROWID")
            # The articles of the input files last asked of (settled_files), the files a build takes without reading
            # them (take_files), in order, and their articles.
            conn.execute("CREATE TEMP TABLE IF NOT EXISTS candidates (path TEXT, place INTEGER, id TEXT, settled TEXT,"
                         " PRIMARY KEY (path, place)) WITHOUT ROWID")
            conn.execute("CREATE TEMP TABLE IF NOT EXISTS taking (place INTEGER PRIMARY KEY, path TEXT)")
            conn.execute("CREATE TEMP TABLE IF NOT EXISTS taken (file INTEGER, place INTEGER, path TEXT, id TEXT,"
                         " settled TEXT)")
            conn.execute("CREATE TEMP TABLE IF NOT EXISTS staged_page_keys (id TEXT PRIMARY KEY, key TEXT)")
            conn.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
            _keep_term_frequencies(conn)
            # ``page_stale``: '0' while an article's published pages are made from its record and story as they
            # are (set by commit_page_keys); these triggers, and the story membership's (nashra.state.catalog),
            # set it to '1' when either changes, in any build, published or not.
            conn.execute("CREATE TEMP TRIGGER IF NOT EXISTS page_stale_changed AFTER UPDATE OF "
                         + ", ".join(_PAGE_COLUMNS) + " ON main.records BEGIN"
                         " UPDATE records SET page_stale = '1' WHERE id = NEW.id; END")
            conn.execute("CREATE TEMP TRIGGER IF NOT EXISTS page_stale_added AFTER INSERT ON main.records BEGIN"
                         " UPDATE records SET page_stale = '1' WHERE id = NEW.id; END")
            note_removed_records(conn)  # the outlets' lines of a record that goes are forgotten
            # The few records whose pages are not settled: a published build settles those it read, found here
            # (the column lies after the row's long ones, and setting it rewrites the row).
            conn.execute("CREATE INDEX IF NOT EXISTS records_page_unsettled ON records (id) WHERE page_stale IS NOT '0'")
            # What a build's article pages need to know of every record read (read_page_states), from an index: the
            # columns lie after the row's long ones (0.71 s for 100,000 records from the rows, 0.14 s from this).
            # (Records of an earlier version have it without the day.)
            conn.execute("DROP INDEX IF EXISTS records_page_state")
            conn.execute("CREATE INDEX IF NOT EXISTS records_page_states ON records (id, page_key, page_stale, day)")
            conn.execute("CREATE TEMP TABLE IF NOT EXISTS kept (id TEXT PRIMARY KEY)")
            # Input files as last read whole, with the articles they gave: an unchanged file is not read again.
            conn.execute("CREATE TABLE IF NOT EXISTS input_files (path TEXT PRIMARY KEY, stamp TEXT, ids TEXT)")
            # What the last build found of them (nashra.state.reading): a daily build takes its runs of settled files
            # without asking of each.
            create_reading_tables(conn)
            if added:  # records of an older version (or another program's) made up to date: all asked of again
                forget_reading(conn)
            # A record written since by a program without this connection's triggers (an older version, the sqlite3
            # shell) has a ``settled`` column of its columns before: made again, found by the file's own triggers.
            conn.execute(f"UPDATE records SET settled = {_settled_sql()} WHERE id IN (SELECT id FROM reading_changes)")
            # Where in date order the digests changed since the last story grouping was saved (it goes on from
            # there): in the file, so that a build stopped between its reading and its grouping leaves them to the next.
            conn.execute("CREATE TABLE IF NOT EXISTS digest_changes (date_order TEXT)")
            conn.execute("CREATE TEMP TRIGGER IF NOT EXISTS digest_set AFTER UPDATE OF digest ON main.records"
                         " WHEN OLD.digest IS NOT NEW.digest BEGIN"
                         " INSERT INTO digest_changes VALUES (OLD.date_order), (NEW.date_order); END")
            conn.execute("CREATE TEMP TRIGGER IF NOT EXISTS digest_added AFTER INSERT ON main.records"
                         " WHEN NEW.digest IS NOT NULL BEGIN INSERT INTO digest_changes VALUES (NEW.date_order); END")
            conn.execute("CREATE TEMP TRIGGER IF NOT EXISTS digest_gone AFTER DELETE ON main.records"
                         " WHEN OLD.digest IS NOT NULL BEGIN INSERT INTO digest_changes VALUES (OLD.date_order); END")

        try:
            if path is not None:
                path.parent.mkdir(parents=True, exist_ok=True)
                self._conn = connect(path, "build records", setup, timeout=60.0, isolation_level=None)
            else:
                self._conn = sqlite3.connect(":memory:", timeout=60.0, isolation_level=None)
                setup(self._conn)
        except (sqlite3.Error, OSError) as exc:
            raise BuildError(f"cannot open the build records {path}: {exc} (check the output folder's permissions, "
                             "or use another -o folder)") from None
        self._reading = KeptReading(self._conn)

    @classmethod
    def for_output(cls, out_dir: Path) -> RecordStore:
        return cls(state_dir(out_dir) / FILE_NAME)

    def outlet_lines(self) -> OutletLineIndex:
        """The outlets' recurring lines, kept beside the records."""
        return OutletLineIndex(self._conn)

    @property
    def connection(self) -> sqlite3.Connection:
        """The store's connection, for the tables built beside the records (see :mod:`nashra.state.catalog`)."""
        return self._conn

    def _rows(self, sql: str, parameters: tuple[Any, ...] = ()) -> sqlite3.Cursor:
        """A cursor over ``sql`` whose rows are read by column name."""
        cursor = self._conn.cursor()
        cursor.row_factory = sqlite3.Row
        return cursor.execute(sql, parameters)

    def get(self, article_id: str) -> Record | None:
        row = self._rows(f"SELECT {RECORD_COLUMNS} FROM records r WHERE r.id = ?", (article_id,)).fetchone()
        return None if row is None else Record.from_row(row)

    def article(self, article_id: str) -> Article:
        row = self._conn.execute("SELECT article FROM records WHERE id = ?", (article_id,)).fetchone()
        if row is None or row[0] is None:
            raise BuildError(f"{self.path}: no stored article '{article_id}' (remove the file and build again)")
        return article_from_json(row[0])

    def segmented(self, article_id: str) -> SegmentedArticle:
        """A stored article with the sentences it was split into when read."""
        row = self._conn.execute("SELECT sentences FROM records WHERE id = ?", (article_id,)).fetchone()
        if row is None or row[0] is None:
            raise BuildError(f"{self.path}: no stored article '{article_id}' (remove the file and build again)")
        return segmented_from_json(self.article(article_id), row[0])

    def _write(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        with transaction(self._conn):
            self._conn.executemany(sql, rows)

    def put_articles(self, articles: Iterable[tuple[SegmentedArticle, str]]) -> None:
        """Store articles as read and segmented, with their fingerprints, to be translated (earlier results
        dropped)."""
        rows = [(s.article.id, print_of, article_to_json(s.article), sentences_to_json(s)) for s, print_of in articles]
        if not rows:
            return
        with transaction(self._conn):
            # Deleted, then inserted: not INSERT OR REPLACE, whose replaced rows go without their delete triggers
            # (SQLite fires them only with recursive triggers), so that the term frequencies lose the old terms and
            # the story grouping sees where in date order the old digest was.
            self._conn.executemany("DELETE FROM records WHERE id = ?", [(row[0],) for row in rows])
            self._conn.executemany("INSERT INTO records (id, fingerprint, article, sentences) VALUES (?, ?, ?, ?)", rows)

    def set_articles(self, articles: Iterable[SegmentedArticle]) -> None:
        """Keep the article as read and segmented beside results that stay valid (records of older builds
        lack it)."""
        self._write("UPDATE records SET article = ?, sentences = ? WHERE id = ?",
                    [(article_to_json(s.article), sentences_to_json(s), s.article.id) for s in articles])

    def put_many(self, records: Iterable[tuple[Record, ArticleDigest]]) -> None:
        """Store translations, summaries and digests of articles already stored with :meth:`put_articles`."""
        self._write(
            "UPDATE records SET fingerprint = ?, namespace = ?, title_translation = ?, translations = ?,"
            " summary_key = ?, summary_ar = ?, summary_en = ?, digest = ?, terms = ?, date_order = ?, day = ?,"
            " source = ?, flags = ?, summary_scores = ? WHERE id = ?",
            [(r.fingerprint, r.namespace, r.title_translation, json.dumps(list(r.translations), ensure_ascii=False),
              r.summary_key, json.dumps(list(r.summary_ar)), json.dumps(list(r.summary_en)), *_digest_columns(d),
              flags_to_json(r.flags), json.dumps(list(r.summary_scores)), d.id)
             for r, d in records])

    def set_digests(self, digests: Iterable[ArticleDigest]) -> None:
        """Store the digests of articles whose results stay valid (records of older builds lack them)."""
        self._write("UPDATE records SET digest = ?, terms = ?, date_order = ?, day = ?, source = ? WHERE id = ?",
                    [(*_digest_columns(d), d.id) for d in digests])

    def iter_pending(self) -> Iterator[tuple[SegmentedArticle, str]]:
        """The stored articles not yet translated, segmented, in the order stored, with their fingerprints."""
        for _, text, sentences, print_of in paged(
            self._conn, "SELECT rowid, article, sentences, fingerprint FROM records"
                        " WHERE namespace IS NULL AND rowid > ? ORDER BY rowid LIMIT ?", 0):
            yield segmented_from_json(article_from_json(text), sentences), print_of

    # -- the articles of this build ------------------------------------------------------

    def mark_read(self, ids: Iterable[str]) -> None:
        """Note articles the current build read (the first mark of an id wins its place)."""
        self._write("INSERT OR IGNORE INTO read (id) VALUES (?)", [(i,) for i in ids])

    def forget_unread(self, keep_paths: Iterable[object] = ()) -> tuple[int, int]:
        """Forget every article the current build did not read; return how many were forgotten, and how many kept.

        An article last read from a file in ``keep_paths`` (files this build skipped: damaged, unreadable,
        half-written) is kept out of the site but not forgotten: its digest goes, so no listing or story
        shows it, and its translation is reused once the file reads again as before.
        """
        keep = {os.path.realpath(os.fsdecode(p)) for p in keep_paths if isinstance(p, (str, Path))}
        with transaction(self._conn):
            kept: list[tuple[str]] = []
            if keep:
                unread = self._conn.execute("SELECT id, json_extract(article, '$.path') FROM records"
                                            " WHERE id NOT IN (SELECT id FROM read) AND json_valid(article)")
                kept = [(i,) for i, path in unread if path and os.path.realpath(path) in keep]
            self._conn.execute("DELETE FROM kept")
            self._conn.executemany("INSERT OR IGNORE INTO kept (id) VALUES (?)", kept)
            self._conn.execute("UPDATE records SET digest = NULL, terms = NULL, date_order = NULL, day = NULL,"
                               " source = NULL WHERE id IN (SELECT id FROM kept)")
            # Found by the ids' index (a scan of the table itself reads every row's first page: an archive's
            # records); usually none.
            gone = self._conn.execute("SELECT id FROM records WHERE id NOT IN (SELECT id FROM read)"
                                      " AND id NOT IN (SELECT id FROM kept)").fetchall()
            self._conn.executemany("DELETE FROM records WHERE id = ?", gone)
        return len(gone), len(kept)

    def start_reading(self) -> None:
        """Begin a build: no article read yet."""
        self._conn.execute("DELETE FROM read")
        self._conn.execute("DELETE FROM first_read")
        self._reading.start()

    def first_read(self) -> FirstRead:
        """Where each article id of this build was first read from (for :func:`nashra.ingest.stage.iter_articles`)."""
        return FirstRead(self._conn)

    def with_digests(self, ids: Sequence[str]) -> list[str]:
        """Those of ``ids`` read in this build whose record has a digest (its translation and summary made)."""
        return [row[0] for row in rows_in(self._conn, "SELECT r.id FROM records r JOIN read p ON p.id = r.id"
                                                      " WHERE r.id IN ({marks}) AND r.digest IS NOT NULL", ids)]

    def read_count(self) -> int:
        return self._conn.execute("SELECT COUNT(*) FROM read").fetchone()[0]

    def read_stored(self) -> Iterator[StoredArticle]:
        """The articles of this build with their records, in the order read (articles decoded on demand)."""
        for row in paged(self._conn, f"SELECT p.position, {STORED_COLUMNS} FROM read p JOIN records r ON r.id = p.id"
                                     " WHERE p.position > ? ORDER BY p.position LIMIT ?", 0, row_factory=sqlite3.Row):
            yield self._stored(row)

    def _stored(self, row: sqlite3.Row) -> StoredArticle:
        if row["article"] is None or row["sentences"] is None:
            raise BuildError(f"{self.path}: the stored article of a record disappeared during the build")
        return StoredArticle(row["id"], Record.from_row(row), row["page_key"], row["article"], row["sentences"])

    def read_articles(self) -> Iterator[tuple[SegmentedArticle, Record]]:
        """The articles of this build, segmented, with their records, in the order read."""
        for stored in self.read_stored():
            yield stored.segmented(), stored.record

    # -- article pages ------------------------------------------------------------------

    def discard_page_keys(self) -> None:
        """Forget keys staged by a build that did not publish (call before writing pages)."""
        self._conn.execute("DELETE FROM staged_page_keys")

    def stage_page_keys(self, rows: list[tuple[str, str]]) -> None:
        """Note what the article pages just written were made from: (id, key), applied by :meth:`commit_page_keys`."""
        self._write("INSERT OR REPLACE INTO staged_page_keys VALUES (?, ?)", rows)

    def commit_page_keys(self, signature: str | None = None) -> None:
        """The pages staged with :meth:`stage_page_keys` are now the published ones: record their keys. Every
        article of the build has published pages made from its record and story as they are, under
        ``signature`` (what every article page is made under: code, outlets' names, provenance)."""
        with transaction(self._conn):
            self._conn.execute("UPDATE records SET page_key = (SELECT key FROM staged_page_keys s WHERE s.id = records.id)"
                               " WHERE id IN (SELECT id FROM staged_page_keys)")
            self._conn.execute("DELETE FROM staged_page_keys")
            self._conn.execute("UPDATE records SET page_stale = '0' WHERE id IN (SELECT id FROM records INDEXED BY"
                               " records_page_unsettled WHERE page_stale IS NOT '0') AND id IN (SELECT id FROM read)")
            if signature is not None:
                self._conn.execute("INSERT OR REPLACE INTO meta VALUES ('page_signature', ?)", (signature,))

    def stage_page_signature(self, signature: str) -> None:
        """Note the signature the article pages being written are made under (see :meth:`commit_page_keys`)."""
        self._staged_signature = signature

    def staged_page_signature(self) -> str | None:
        return self._staged_signature

    def page_signature(self) -> str | None:
        """The signature the published article pages were made under (see :meth:`commit_page_keys`)."""
        row = self._conn.execute("SELECT value FROM meta WHERE key = 'page_signature'").fetchone()
        return row[0] if row else None

    def read_page_states(self, settled_before: date | None = None) -> Iterator[tuple[str, str | None, bool]]:
        """The articles of this build in the order read: (id, key of its published pages, whether they are
        made from its record and story as they are now). With ``settled_before``, without those of them dated
        before that day whose pages are published and made from their record and story as they are now."""
        condition, parameters = _unsettled_since(settled_before)
        for _, article_id, page_key, stale in paged(
                self._conn, "SELECT p.position, r.id, r.page_key, r.page_stale FROM read p"
                            " JOIN records r INDEXED BY records_page_states ON r.id = p.id"
                            f" WHERE p.position > ?{condition} ORDER BY p.position LIMIT ?", 0, *parameters):
            yield article_id, page_key, stale == "0"

    def stored(self, article_id: str) -> StoredArticle:
        """One article of this build as :meth:`read_stored` gives it."""
        row = self._rows(f"SELECT {STORED_COLUMNS} FROM records r WHERE r.id = ?", (article_id,)).fetchone()
        if row is None:
            raise BuildError(f"{self.path}: the stored article of a record disappeared during the build")
        return self._stored(row)

    # -- digests ----------------------------------------------------------------------

    def digests_by_date(self, provenance: Provenance, since: str | None = None) -> Iterator[ArticleDigest]:
        """Every digest (from date order ``since`` on), oldest first and undated last (the order stories are
        grouped in)."""
        start = ""
        if since is not None:
            row = self._conn.execute("SELECT max(date_order) FROM records WHERE date_order < ?", (since,)).fetchone()
            start = row[0] or ""
        for _, text in paged(self._conn, "SELECT date_order, digest FROM records WHERE date_order > ?"
                                    " AND digest IS NOT NULL ORDER BY date_order LIMIT ?", start):
            yield digest_from_json(text, provenance)

    def digests(self, ids: Iterable[str], provenance: Provenance) -> list[ArticleDigest]:
        """The digests of ``ids``, in that order."""
        return [digest_from_json(text, provenance) for text in self.digest_texts(list(ids))]

    def digest_texts(self, ids: Sequence[str]) -> list[str]:
        """The digests of ``ids`` as stored (JSON), in that order."""
        found = dict(rows_in(self._conn, "SELECT id, digest FROM records WHERE id IN ({marks})", ids))
        missing = [i for i in ids if found.get(i) is None]
        if missing:
            raise BuildError(f"{self.path}: no digest of article '{missing[0]}' (remove the file and build again)")
        return [found[i] for i in ids]

    # -- input files ----------------------------------------------------------------

    def remember_file(self, path: str, stamp: str, ids: Sequence[str]) -> None:
        """Note that the file at ``path``, as ``stamp`` describes it, was read whole and gave ``ids``."""
        self._conn.execute("INSERT OR REPLACE INTO input_files VALUES (?, ?, ?)",
                           (path, stamp, json.dumps(list(ids), ensure_ascii=False)))
        self._reading.note_read(path)

    def settled_files(self, files: Sequence[tuple[str, str]], namespace: str, summary_key: str) -> set[str]:
        """Those of ``files`` (path, stamp) unchanged since they were read whole (the same stamp) whose articles
        are all settled under these translation and summary settings (translated, summarized, with flags, a
        digest and the article as read): they need not be read, and :meth:`take_files` takes them until the
        next call. A daily build asks it of every file of the archive: those the last build's reading kept
        (:mod:`nashra.state.reading`, :meth:`keep_reading`) are found there, in the order of the folders' walk;
        the others are answered in SQL, all of them at once."""
        found, others = self._reading.find(files, KeptReading.settings(namespace, summary_key, _settled_key()))
        return found | self._settled_in_sql(others, namespace, summary_key)

    def _settled_in_sql(self, files: Sequence[tuple[str, str]], namespace: str, summary_key: str) -> set[str]:
        key = _settled_key() + "\t"
        with transaction(self._conn):
            self._conn.execute("DELETE FROM candidates")
            if not files:
                return set()
            wanted = ", ".join(["(?, ?)"] * len(files))
            self._conn.execute(
                f"WITH wanted(path, stamp) AS (VALUES {wanted}) INSERT OR IGNORE INTO candidates"
                " SELECT f.path, CAST(j.key AS INTEGER), j.value, r.settled"
                " FROM wanted w JOIN input_files f ON f.path = w.path AND f.stamp = w.stamp, json_each(f.ids) j"
                " LEFT JOIN records r INDEXED BY records_settled ON r.id = j.value AND r.namespace IS ?"
                " AND r.summary_key IS ?", [*(value for row in files for value in row), namespace, summary_key])
            return {path for (path,) in self._conn.execute(
                "SELECT path FROM candidates GROUP BY path HAVING min(coalesce(substr(settled, 1, ?) = ?, 0)) = 1",
                (len(key), key))}

    def take_files(self, paths: Sequence[str]) -> tuple[int, Counter[Settled]]:
        """Take the articles of the first files of ``paths`` (files the last :meth:`settled_files` found settled, in
        the order found) as read from them, without reading them: each id noted as first read from its file
        (:meth:`first_read`) and marked read (:meth:`mark_read`), in the files' order and each file's; up to the
        first file that cannot be (an id read before, or in a file before it, or an article no longer settled),
        to be read in its place. Return how many files were taken, and what the records count of their articles:
        how many articles each :class:`Settled` value has.

        A few statements for the lot: a daily build takes every file of the archive (0.8 s a day for 100,000
        articles when each came back to Python to be noted, marked and counted), each run of files found in the
        last build's reading that lie together there in three statements over a range of it."""
        key = _settled_key() + "\t"
        taken, texts = 0, Counter[str]()
        for kept, run in self._reading.runs(paths):
            count, counts = self._reading.take(run) if kept else self._take_in_sql(run, key)
            taken += count
            texts.update(counts)
            if count < len(run):
                break
        tally: Counter[Settled] = Counter()
        for text, articles in texts.items():
            value = _settled_value(text, key[:-1])
            assert value is not None  # checked when found
            tally[value] += articles
        return taken, tally

    def keep_reading(self, namespace: str | None, summary_key: str | None) -> None:
        """Keep what this build's reading found (:mod:`nashra.state.reading`), for the next build to take its
        settled files from: call once the build has read every file (and forgotten what it did not read) and
        translated and summarized what it read."""
        key = _settled_key()
        self._reading.keep(KeptReading.settings(namespace, summary_key, key), namespace, summary_key, key + "\t")

    def _take_in_sql(self, paths: Sequence[str], key: str) -> tuple[int, Counter[str]]:
        """:meth:`take_files` of files the last :meth:`settled_files` answered in SQL."""
        with transaction(self._conn):
            self._conn.execute("DELETE FROM taking")
            self._conn.execute("DELETE FROM taken")
            self._conn.executemany("INSERT INTO taking (place, path) VALUES (?, ?)", list(enumerate(paths)))
            self._conn.execute("INSERT INTO taken SELECT t.place, c.place, c.path, c.id, c.settled FROM taking t"
                               " JOIN candidates c ON c.path = t.path")
            # A file none of whose articles is found, or one that is not settled, stops the run.
            (first,) = self._conn.execute(
                "SELECT min(place) FROM (SELECT place FROM taking WHERE path NOT IN (SELECT path FROM taken) UNION ALL"
                " SELECT file FROM taken WHERE coalesce(substr(settled, 1, ?) IS NOT ?, 1))", (len(key), key)).fetchone()
            self._stop(first)
            self._conn.execute("SAVEPOINT noting")
            try:
                self._conn.execute("INSERT INTO first_read SELECT id, path FROM taken")
            except sqlite3.IntegrityError:  # an id read before, or twice: the run stops at the first file with one
                self._conn.execute("ROLLBACK TO noting")
                (again,) = self._conn.execute(
                    "SELECT min(file) FROM (SELECT file, id, row_number() OVER (PARTITION BY id ORDER BY file, place)"
                    " AS seen FROM taken) WHERE seen > 1 OR id IN (SELECT id FROM first_read)").fetchone()
                if again is None:
                    raise
                self._stop(again)
                first = again if first is None else min(first, again)
                self._conn.execute("INSERT INTO first_read SELECT id, path FROM taken")
            self._conn.execute("RELEASE noting")
            self._conn.execute("INSERT OR IGNORE INTO read (id) SELECT id FROM taken ORDER BY file, place")
            counts = self._conn.execute("SELECT settled, count(*) FROM taken GROUP BY settled").fetchall()
            self._reading.note_added()
        return len(paths) if first is None else first, Counter({text: articles for text, articles in counts})

    def _stop(self, place: int | None) -> None:
        """Leave the files from ``place`` on (their place in the run) out of what is taken."""
        if place is not None:
            self._conn.execute("DELETE FROM taken WHERE file >= ?", (place,))

    def earliest_change(self) -> str | None:
        """The oldest date order (:func:`date_order`) at which a digest was added, changed or removed since the
        last story grouping was saved (:meth:`nashra.state.catalog.Catalog.save_grouping`); None when none was."""
        row = self._conn.execute("SELECT min(date_order) FROM digest_changes").fetchone()
        return row[0] if row else None

    def term_frequencies(self) -> tuple[TermFrequencies, int]:
        """In how many articles each story-matching term appears, and how many articles have terms: what
        :func:`nashra.stories.grouping.document_frequencies` makes of :meth:`terms`, kept in the records."""
        row = self._conn.execute("SELECT articles FROM term_frequencies WHERE term = ?", (_ALL_TERMS,)).fetchone()
        return TermFrequencies(self._conn), int(row[0]) if row else 0

    def terms(self) -> Iterator[tuple[str, ...]]:
        """Each article's story-matching terms (what :meth:`term_frequencies` keeps counted)."""
        return _stored_terms(self._conn)

    def dated_terms(self, since: datetime | None, before: datetime | None) -> Iterator[tuple[str, ...]]:
        """The terms of each article with terms dated from ``since`` (None: the oldest) to before ``before`` (None:
        every newer one, and the undated ones), from the index that holds them with the date."""
        return _stored_terms(self._conn, since, before)

    def count_since(self, since: datetime) -> int:
        """How many articles with terms are dated from ``since`` on, or undated."""
        return int(self._conn.execute("SELECT count(*) FROM records INDEXED BY records_date_terms"
                                      " WHERE terms IS NOT NULL AND date_order >= ?", (_date_bound(since),)).fetchone()[0])

    def nth_date(self, n: int) -> datetime | None:
        """The date of the ``n``-th oldest dated article with terms (1: the oldest); None when there are fewer."""
        if n < 1:
            return None
        row = self._conn.execute("SELECT date_order FROM records INDEXED BY records_date_terms WHERE terms IS NOT NULL"
                                 " AND date_order < '1' ORDER BY date_order LIMIT 1 OFFSET ?", (n - 1,)).fetchone()
        if row is None:
            return None
        return datetime.strptime(row[0][1:].partition("|")[0], "%Y-%m-%dT%H:%M:%S.%f").replace(tzinfo=UTC)

    def close(self) -> None:
        self._conn.close()


#: The row of ``term_frequencies`` that counts the articles with terms (a space: never a term, which spaces separate).
_ALL_TERMS = " "
#: Version of the ``term_frequencies`` table's content, in the records' meta: another one makes it again.
#: "2": counted again once, since builds before it replaced a changed article's record without taking its old terms
#: out of the counts.
_TERM_FREQUENCIES = "2"


def _terms_json(column: str) -> str:
    """SQL: a record's space-separated terms as a JSON array (for ``json_each``)."""
    escaped = f"replace(replace({column}, '\\', '\\\\'), '\"', '\\\"')"
    return f"(CASE WHEN {column} = '' THEN '[]' ELSE '[\"' || replace({escaped}, ' ', '\",\"') || '\"]' END)"


def _stored_terms(conn: sqlite3.Connection, since: datetime | None = None,
                  before: datetime | None = None) -> Iterator[tuple[str, ...]]:
    """Each record's story-matching terms, from the index that holds them with the date (a record's row holds them
    past its long columns); records without terms left out; with ``since`` or ``before``, those dated from and
    before them (the undated ones sort after every date)."""
    bounds = [(">=", since), ("<", before)]
    where = "".join(f" AND date_order {op} ?" for op, when in bounds if when is not None)
    for (terms,) in conn.execute(f"SELECT terms FROM records INDEXED BY records_date_terms WHERE terms IS NOT NULL"
                                 f"{where}", [_date_bound(when) for _, when in bounds if when is not None]):
        yield tuple(terms.split(" ")) if terms else ()


def _keep_term_frequencies(conn: sqlite3.Connection) -> None:
    """Keep ``term_frequencies`` (term, articles): in how many records' terms each term appears, and under
    :data:`_ALL_TERMS` how many records have terms, by triggers of the file (not of a connection: a version that
    does not know the table keeps it too), made once from the records when missing or of another version.

    The story grouping's document frequencies are read from it (:meth:`RecordStore.term_frequencies`), a term at a
    time, instead of counted over every record's terms on every build."""
    conn.execute("CREATE TABLE IF NOT EXISTS term_frequencies (term TEXT PRIMARY KEY, articles INTEGER NOT NULL)"
                 " WITHOUT ROWID")

    def add(row: str, step: str) -> str:
        return (f"INSERT INTO term_frequencies SELECT DISTINCT value, {step} FROM json_each({_terms_json(f'{row}.terms')})"
                f" WHERE {row}.terms IS NOT NULL UNION ALL SELECT '{_ALL_TERMS}', {step} WHERE {row}.terms IS NOT NULL"
                f" ON CONFLICT (term) DO UPDATE SET articles = articles + excluded.articles;")

    conn.execute(f"CREATE TRIGGER IF NOT EXISTS term_frequencies_added AFTER INSERT ON records BEGIN {add('NEW', '1')} END")
    conn.execute(f"CREATE TRIGGER IF NOT EXISTS term_frequencies_removed AFTER DELETE ON records BEGIN {add('OLD', '-1')}"
                 " END")
    conn.execute("CREATE TRIGGER IF NOT EXISTS term_frequencies_changed AFTER UPDATE OF terms ON records"
                 f" WHEN OLD.terms IS NOT NEW.terms BEGIN {add('OLD', '-1')} {add('NEW', '1')} END")
    made = conn.execute("SELECT value FROM meta WHERE key = 'term_frequencies'").fetchone()
    if made is None or made[0] != _TERM_FREQUENCIES:
        # Counted here as builds counted them before the table (one archive's vocabulary in memory); in SQL, the
        # distinct terms of every record were sorted in memory (hundreds of MB at 100,000 articles).
        counts, total = document_frequencies(_stored_terms(conn))
        with transaction(conn):
            conn.execute("DELETE FROM term_frequencies")
            conn.executemany("INSERT INTO term_frequencies VALUES (?, ?)", [*counts.items(), (_ALL_TERMS, total)])
            conn.execute("INSERT OR REPLACE INTO meta VALUES ('term_frequencies', ?)", (_TERM_FREQUENCIES,))


class TermFrequencies(Mapping[str, int]):
    """In how many articles of the records each story-matching term appears (0 for a term none has), read from
    ``term_frequencies`` a term at a time as grouping asks (:meth:`load` reads them all at once)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._known: dict[str, int] = {}

    def load(self) -> None:
        """Read every term's frequency at once (for grouping the whole archive)."""
        self._known.update(self._conn.execute("SELECT term, articles FROM term_frequencies WHERE term != ?",
                                              (_ALL_TERMS,)))

    def __getitem__(self, term: str) -> int:
        count = self._known.get(term)
        if count is None:
            row = self._conn.execute("SELECT articles FROM term_frequencies WHERE term = ?", (term,)).fetchone()
            count = self._known[term] = int(row[0]) if row and term != _ALL_TERMS else 0
        return count

    def __iter__(self) -> Iterator[str]:
        for (term,) in self._conn.execute("SELECT term FROM term_frequencies WHERE term != ? AND articles > 0",
                                          (_ALL_TERMS,)):
            yield term

    def __len__(self) -> int:
        return int(self._conn.execute("SELECT count(*) FROM term_frequencies WHERE term != ? AND articles > 0",
                                      (_ALL_TERMS,)).fetchone()[0])


class FirstRead:
    """The ids a build has read and the file each came from first, in a temporary table."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def __contains__(self, article_id: object) -> bool:
        return self._conn.execute("SELECT 1 FROM first_read WHERE id = ?", (article_id,)).fetchone() is not None

    def __getitem__(self, article_id: str) -> str:
        row = self._conn.execute("SELECT path FROM first_read WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            raise KeyError(article_id)
        return row[0]

    def __setitem__(self, article_id: str, path: str) -> None:
        self._conn.execute("INSERT OR REPLACE INTO first_read VALUES (?, ?)", (article_id, path))


def _unsettled_since(day: date | None) -> tuple[str, tuple[str, ...]]:
    """SQL (a condition on ``records r`` to add with AND, and its parameters): the record's pages are not
    published, or not made from it and its story as they are now, or it is undated or dated ``day`` or later;
    nothing without ``day``."""
    if day is None:
        return "", ()
    return (" AND (r.page_stale IS NOT '0' OR r.page_key IS NULL OR r.day IS NULL OR r.day >= ?)",
            (day.isoformat(),))


def _digest_columns(item: ArticleDigest) -> tuple[str, str, str, str | None, str | None]:
    """The digest as stored, and the columns it is queried by: date order, day, source."""
    day = item.date.date().isoformat() if item.date else None
    return digest_to_json(item), " ".join(item.terms), date_order(item.id, item.date), day, item.source
