"""The catalog of a briefing: its stories, and the queries its pages and feeds are written from.

It answers, over the build records' SQLite file, the questions of the grouping
stage (:class:`nashra.stories.stage.StoryStore`: digests in date order, stories
stored as soon as they are complete) and those of the site
(:class:`nashra.site.inputs.Archive`: the home page, story pages, archive,
sources page, feeds and sitemap read what they show from the database). Memory
follows the stories open at one time and the few pages being written, never
the size of the archive.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from typing import Any
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, UTC

from ..document import ArticleDigest, BriefingArticle, Provenance
from ..errors import BuildError
from .sqlite import PAGE_ROWS, paged, transaction
from .records import RecordStore, StoredArticle, TermFrequencies, date_order, digest_from_json
from ..stories.grouping import Checkpoint
from ..stories.stage import StoryConflict
from ..stories.home import HOME_DAYS, HOME_LIMIT, HOME_MINIMUM, home_period
from ..stories.story import Story, StorySentence

log = logging.getLogger(__name__)

#: Stories kept decoded for the article pages that link to them.
STORY_CACHE = 256


def _timestamp(value: datetime | None) -> float | None:
    return value.astimezone(UTC).timestamp() if value else None


class Catalog:
    """A processed briefing as its site reads it: articles, stories, days and sources.

    Built on a :class:`RecordStore` whose records hold every article of the
    build with its digest; :func:`nashra.stories.stage.group_stories` makes the stories.
    """

    def __init__(self, store: RecordStore, provenance: Provenance) -> None:
        self.store = store
        self.provenance = provenance
        self._conn = store.connection
        self._cache: OrderedDict[str, Story] = OrderedDict()
        try:
            columns = {row[1] for row in self._conn.execute("PRAGMA table_info(stories)")}
            if columns and "page_key" not in columns:  # stories of an older release: grouped again
                self._conn.execute("DROP TABLE stories")
                self._conn.execute("DROP TABLE IF EXISTS story_members")
            # ``seq``: the order stories were completed in; ``completed``: 1 for a story that can no longer
            # change (completed before the grouping's checkpoint, see nashra.stories.grouping.Grouping); ``page_key``:
            # what the published story page was written under (a story grouped again has none).
            self._conn.execute("CREATE TABLE IF NOT EXISTS stories (id TEXT PRIMARY KEY, size INTEGER,"
                               " outlets INTEGER, latest TEXT, latest_ts REAL, members TEXT, summary TEXT,"
                               " seq INTEGER, completed INTEGER, page_key TEXT)")
            self._conn.execute("CREATE TEMP TABLE IF NOT EXISTS staged_story_keys (id TEXT PRIMARY KEY, key TEXT)")
            # The key each published listing page (a day's, an outlet's) was written under (nashra.site.archive).
            self._conn.execute("CREATE TABLE IF NOT EXISTS listing_keys (page TEXT PRIMARY KEY, key TEXT)")
            self._conn.execute("CREATE TEMP TABLE IF NOT EXISTS staged_listing_keys (page TEXT PRIMARY KEY, key TEXT)")
            self._conn.execute("CREATE TABLE IF NOT EXISTS grouping (key TEXT PRIMARY KEY, value TEXT)")
            self._conn.execute("CREATE TABLE IF NOT EXISTS story_members (article TEXT PRIMARY KEY, story TEXT)")
            # An article that joins or leaves a story (a story grouped again, grown, renamed) has stale pages.
            for event, row in (("INSERT", "NEW"), ("DELETE", "OLD")):
                self._conn.execute(f"CREATE TEMP TRIGGER IF NOT EXISTS page_stale_story_{event.lower()} AFTER {event}"
                                   f" ON main.story_members BEGIN UPDATE records SET page_stale = '1'"
                                   f" WHERE id = {row}.article; END")
            self._conn.execute("CREATE INDEX IF NOT EXISTS stories_latest ON stories (latest_ts)")
        except sqlite3.Error as exc:
            raise BuildError(f"cannot prepare the stories in {store.path}: {exc}") from None

    # -- grouping --------------------------------------------------------------------

    def term_frequencies(self) -> tuple[TermFrequencies, int]:
        """In how many articles each story-matching term appears, and how many articles have terms."""
        return self.store.term_frequencies()

    def dated_terms(self, since: datetime | None, before: datetime | None) -> Iterator[tuple[str, ...]]:
        """The terms of each article dated from ``since`` to before ``before`` (None: no bound; undated ones too
        with no ``before``)."""
        return self.store.dated_terms(since, before)

    def count_since(self, since: datetime) -> int:
        """How many articles are dated from ``since`` on, or undated."""
        return self.store.count_since(since)

    def nth_date(self, n: int) -> datetime | None:
        """The date of the ``n``-th oldest dated article; None when there are fewer."""
        return self.store.nth_date(n)

    def saved_grouping(self) -> dict[str, str]:
        """What :meth:`save_grouping` kept of the last grouping."""
        return dict(self._conn.execute("SELECT key, value FROM grouping").fetchall())

    def changed_before(self, checkpoint: Checkpoint) -> bool:
        """Whether a digest older than the checkpoint's first article was added, changed or removed by this build."""
        change = self.store.earliest_change()
        return change is not None and change < date_order(checkpoint.first_id, checkpoint.first_date)

    def digests(self, ids: Iterable[str]) -> list[ArticleDigest]:
        """The digests of ``ids``, in that order."""
        return self.store.digests(ids, self.provenance)

    def digests_by_date(self, start: Checkpoint | None) -> Iterator[ArticleDigest]:
        """Every digest, oldest first and undated last (from the checkpoint's first article on)."""
        since = date_order(start.first_id, start.first_date) if start is not None else None
        return self.store.digests_by_date(self.provenance, since)

    def clear_stories(self, completed_too: bool) -> None:
        """Remove the stories not completed for good (every story with ``completed_too``)."""
        self._cache.clear()
        with transaction(self._conn):
            if completed_too:
                self._conn.execute("DELETE FROM story_members")
                self._conn.execute("DELETE FROM stories")
                return
            self._conn.execute("DELETE FROM story_members WHERE story IN"
                               " (SELECT id FROM stories WHERE completed IS NOT 1)")
            self._conn.execute("DELETE FROM stories WHERE completed IS NOT 1")

    def next_seq(self) -> int:
        """The number the next story completed is stored under."""
        return self._conn.execute("SELECT coalesce(max(seq) + 1, 0) FROM stories").fetchone()[0]

    def write_stories(self, stories: list[tuple[Story, int]]) -> None:
        """Store stories with their numbers (:class:`StoryConflict` when a story's id or one of its articles is
        already a stored story's)."""
        try:
            with transaction(self._conn):
                self._conn.executemany("INSERT INTO stories VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, NULL)", [
                    (s.id, len(s.items), s.outlets, s.latest.isoformat() if s.latest else None, _timestamp(s.latest),
                     json.dumps([i.id for i in s.items], ensure_ascii=False),
                     json.dumps([[p.item.id, p.index] for p in s.summary], ensure_ascii=False), seq)
                    for s, seq in stories])
                self._conn.executemany("INSERT INTO story_members VALUES (?, ?)",
                                       [(i.id, s.id) for s, _ in stories for i in s.items])
        except sqlite3.IntegrityError as exc:
            raise StoryConflict(f"{self.store.path}: a story clashes with a stored one ({exc})") from None

    def save_grouping(self, signature: str, completed: range, checkpoint: Checkpoint | None) -> None:
        """Mark the stories numbered ``completed`` as completed for good, and keep the signature and checkpoint
        the next grouping goes on from."""
        with transaction(self._conn):
            self._conn.execute("UPDATE stories SET completed = 1 WHERE seq >= ? AND seq < ?",
                               (completed.start, completed.stop))
            self._conn.execute("DELETE FROM grouping")
            self._conn.execute("DELETE FROM digest_changes")  # the grouping saved has seen them
            if checkpoint is not None:
                self._conn.executemany("INSERT INTO grouping VALUES (?, ?)",
                                       [("signature", signature), ("checkpoint", checkpoint.to_json())])

    # -- stories ---------------------------------------------------------------------

    def _story(self, row: tuple[str, str, str]) -> Story:
        story_id, members, summary = row
        items = self.store.digests(json.loads(members), self.provenance)
        by_id = {item.id: item for item in items}
        return Story(id=story_id, items=tuple(items),
                     summary=tuple(StorySentence(by_id[a], int(i)) for a, i in json.loads(summary)))

    def story(self, story_id: str) -> Story:
        cached = self._cache.get(story_id)
        if cached is not None:
            self._cache.move_to_end(story_id)
            return cached
        row = self._conn.execute("SELECT id, members, summary FROM stories WHERE id = ?", (story_id,)).fetchone()
        if row is None:
            raise BuildError(f"{self.store.path}: no story '{story_id}' (remove the file and build again)")
        story = self._cache[story_id] = self._story(row)
        if len(self._cache) > STORY_CACHE:
            self._cache.popitem(last=False)
        return story

    def story_of(self, article_id: str) -> Story | None:
        row = self._conn.execute("SELECT story FROM story_members WHERE article = ?", (article_id,)).fetchone()
        return self.story(row[0]) if row else None

    def count(self) -> int:
        """How many stories there are."""
        return self._conn.execute("SELECT COUNT(*) FROM stories").fetchone()[0]

    def stories(self, several: bool = False) -> Iterator[Story]:
        """Every story (only those of several articles with ``several``), by id, a page of rows at a time."""
        for row in paged(self._conn, "SELECT id, members, summary FROM stories WHERE id > ? AND size >= ?"
                                     " ORDER BY id LIMIT ?", "", 2 if several else 1):
            yield self._story(row)  # type: ignore[arg-type]

    def story_page_keys(self, settled: tuple[date, str] | None = None) -> Iterator[tuple[str, str | None]]:
        """(id, key of its published page) of every story of several articles, by id. A story kept from the
        last grouping keeps its key; one grouped again has none. With ``settled`` (a day and a key), without the
        stories whose newest article is dated before that day and whose page was published under that key
        (:meth:`settled_story_count`)."""
        condition, parameters = _unsettled_story(settled)
        yield from paged(self._conn, f"SELECT id, page_key FROM stories WHERE id > ? AND size >= 2{condition}"
                                     " ORDER BY id LIMIT ?", "", *parameters)

    def settled_story_count(self, settled: tuple[date, str]) -> int:
        """How many stories :meth:`story_page_keys` leaves out given ``settled``."""
        condition, parameters = _unsettled_story(settled)
        row = self._conn.execute(f"SELECT count(*) FROM stories WHERE size >= 2 AND NOT (1{condition})",
                                 parameters).fetchone()
        return int(row[0])

    def stage_story_keys(self, rows: list[tuple[str, str]]) -> None:
        """Note the key each story page just written was made under, applied by :meth:`commit_pages`."""
        with transaction(self._conn):
            self._conn.executemany("INSERT OR REPLACE INTO staged_story_keys VALUES (?, ?)", rows)

    def listing_keys(self) -> dict[str, str]:
        """The key each published listing page (a day's, an outlet's) was written under, by page."""
        return dict(self._conn.execute("SELECT page, key FROM listing_keys"))

    def stage_listing_keys(self, rows: list[tuple[str, str]]) -> None:
        """Note the key each listing page just written was made under, applied by :meth:`commit_pages`."""
        with transaction(self._conn):
            self._conn.executemany("INSERT OR REPLACE INTO staged_listing_keys VALUES (?, ?)", rows)

    def home(self, days: int = HOME_DAYS, minimum: int = HOME_MINIMUM, limit: int = HOME_LIMIT) -> list[Story]:
        """The stories the home page lists (the rule of :mod:`nashra.stories.home`): the most covered
        (outlets, then articles, then the newest) of the latest period, widened to a screenful."""
        order = " ORDER BY outlets DESC, size DESC, latest_ts DESC, id LIMIT ?"
        newest, dated = self._conn.execute("SELECT MAX(latest_ts), COUNT(latest_ts) FROM stories").fetchone()
        if newest is None:
            rows = self._conn.execute("SELECT id, members, summary FROM stories" + order, (limit,)).fetchall()
            return [self._story(row) for row in rows]

        def count_since(since: datetime) -> int:
            return self._conn.execute("SELECT COUNT(*) FROM stories WHERE latest_ts >= ?",
                                      (since.timestamp(),)).fetchone()[0]

        since = home_period(datetime.fromtimestamp(newest, UTC), count_since, dated, days, minimum)
        rows = self._conn.execute("SELECT id, members, summary FROM stories WHERE latest_ts >= ?" + order,
                                  (since.timestamp(), limit)).fetchall()
        return [self._story(row) for row in rows]

    def newest(self, limit: int) -> list[Story]:
        """The ``limit`` stories with the newest articles (undated last, then by id)."""
        rows = self._conn.execute("SELECT id, members, summary FROM stories"
                                  " ORDER BY latest_ts IS NULL, latest_ts DESC, id LIMIT ?", (limit,)).fetchall()
        return [self._story(row) for row in rows]

    # -- the keys pages are written under (see nashra.site.inputs.Archive) -------------

    def start_pages(self, signature: str) -> None:
        """Forget keys staged by a build that did not publish, and note ``signature``: what every article
        page of this build is made under (see :meth:`RecordStore.commit_page_keys`)."""
        self.store.discard_page_keys()
        self._conn.execute("DELETE FROM staged_story_keys")
        self._conn.execute("DELETE FROM staged_listing_keys")
        self.store.stage_page_signature(signature)

    def page_signature(self) -> str | None:
        """The signature the published article pages were made under."""
        return self.store.page_signature()

    def stage_page_keys(self, rows: list[tuple[str, str]]) -> None:
        """Note the key each article page just written was made under: (article id, key)."""
        self.store.stage_page_keys(rows)

    def commit_pages(self) -> None:
        """The article, story and listing pages staged since :meth:`start_pages` are the published ones."""
        self.store.commit_page_keys(self.store.staged_page_signature())
        with transaction(self._conn):
            self._conn.execute("UPDATE stories SET page_key = (SELECT key FROM staged_story_keys s"
                               " WHERE s.id = stories.id) WHERE id IN (SELECT id FROM staged_story_keys)")
            self._conn.execute("DELETE FROM staged_story_keys")
            # A listing page the build did not write (linked or gone) keeps or loses its key with it.
            self._conn.execute("INSERT OR REPLACE INTO listing_keys SELECT page, key FROM staged_listing_keys")
            self._conn.execute("DELETE FROM staged_listing_keys")

    # -- articles, days, sources -------------------------------------------------------

    def article_count(self) -> int:
        """How many articles the build read."""
        return self.store.read_count()

    def page_states(self, settled_before: date | None = None) -> Iterator[tuple[str, str | None, bool]]:
        """The articles in the order read: (id, key of its published pages, whether they are made from its
        record and story as they are now); with ``settled_before``, without those dated before it whose pages are
        made from their record and story as they are now."""
        return self.store.read_page_states(settled_before)

    def stored(self, article_id: str) -> StoredArticle:
        """One article as stored (see :meth:`RecordStore.stored`)."""
        return self.store.stored(article_id)

    def articles(self) -> Iterator[tuple[BriefingArticle, Story | None]]:
        """Every article in the order read, with its story, one at a time."""
        for stored, story in self.stored_articles():
            yield self.restore(stored), story

    def stored_articles(self) -> Iterator[tuple[StoredArticle, Story | None]]:
        """Every article as stored (decoded on demand, see :meth:`restore`), with its story."""
        for stored in self.store.read_stored():
            yield stored, self.story_of(stored.id)

    def restore(self, stored: StoredArticle) -> BriefingArticle:
        """A stored article, translated and summarized as its record says."""
        return stored.record.restore(stored.segmented(), self.provenance)

    def days(self) -> list[tuple[date | None, int]]:
        """Each day with articles (in the articles' own time zones), newest first, undated last; with counts."""
        rows = self._conn.execute("SELECT day, COUNT(*) FROM records WHERE digest_sha IS NOT NULL GROUP BY day"
                                  " ORDER BY day IS NULL, day DESC").fetchall()
        return [(date.fromisoformat(day) if day else None, count) for day, count in rows]

    def on_day(self, day: date | None) -> list[ArticleDigest]:
        """The digests of a day's articles (``None``: undated ones)."""
        return [self._digest(text) for text in self.day_texts(day)]

    def day_texts(self, day: date | None) -> list[str]:
        """The digests of a day's articles as stored (JSON), by id."""
        if day is None:
            rows = self._conn.execute("SELECT digest FROM records WHERE day IS NULL AND digest IS NOT NULL ORDER BY id")
        else:
            rows = self._conn.execute("SELECT digest FROM records WHERE day = ? AND digest IS NOT NULL ORDER BY id",
                                      (day.isoformat(),))
        return [text for (text,) in rows]

    def day_keys(self, day: date | None) -> list[str]:
        """What tells the digests of a day's articles apart (each one's SHA-256 as stored), by id."""
        if day is None:
            rows = self._conn.execute("SELECT digest_sha FROM records WHERE day IS NULL AND digest_sha IS NOT NULL"
                                      " ORDER BY id")
        else:
            rows = self._conn.execute("SELECT digest_sha FROM records WHERE day = ? AND digest_sha IS NOT NULL"
                                      " ORDER BY id", (day.isoformat(),))
        return [sha for (sha,) in rows]

    def sources(self, latest: int) -> list[tuple[str | None, int, list[ArticleDigest]]]:
        """Each source (``None``: unknown) with its number of articles and its ``latest`` newest digests."""
        counts = self._conn.execute("SELECT source, COUNT(*) FROM records WHERE digest_sha IS NOT NULL GROUP BY source"
                                    ).fetchall()
        out = []
        for source, count in counts:
            # date_order is "0" + the UTC time (26 characters) + "|" + id for a dated article.
            # The newest ids from the index alone, then only their digests read.
            ids = [article_id for (article_id,) in self._conn.execute(
                "SELECT id FROM records WHERE source IS ? AND digest_sha IS NOT NULL"
                " ORDER BY day IS NULL, CASE WHEN day IS NULL THEN '' ELSE substr(date_order, 2, 26) END DESC, id"
                " LIMIT ?", (source, latest))]
            out.append((source, count, [self._digest(text) for text in self.texts_of(ids)]))
        return out

    def source_texts(self, sources: Iterable[str | None], oldest_first: bool = False) -> Iterator[str]:
        """The digests of every article of any of ``sources`` (``None``: unknown) as stored (JSON), newest first
        and undated last (or the reverse), read as needed; :meth:`decode` reads one."""
        for (text,) in self._source_rows("digest", sources, oldest_first):
            yield text

    def _source_rows(self, columns: str, sources: Iterable[str | None], oldest_first: bool) -> Iterator[tuple[Any, ...]]:
        wanted = list(sources)
        named = sorted({s for s in wanted if s is not None})
        unknown = None in wanted
        where = " OR ".join([*(["source IN (%s)" % ", ".join("?" * len(named))] if named else []),
                             *(["source IS NULL"] if unknown else [])]) or "0"
        undated, dated, ids = ("DESC", "ASC", "DESC") if oldest_first else ("", "DESC", "")
        cursor = self._conn.execute(
            f"SELECT {columns} FROM records WHERE ({where}) AND digest_sha IS NOT NULL ORDER BY day IS NULL {undated},"
            f" CASE WHEN day IS NULL THEN '' ELSE substr(date_order, 2, 26) END {dated}, id {ids}", named)
        while rows := cursor.fetchmany(PAGE_ROWS):
            yield from rows

    def source_keys(self, sources: Iterable[str | None], oldest_first: bool = False
                    ) -> Iterator[tuple[str, str, str | None]]:
        """(id, SHA-256 of its digest as stored, day or None) of every article of any of ``sources``, in the order
        of :meth:`source_texts`, read as needed."""
        yield from self._source_rows("id, digest_sha, day", sources, oldest_first)

    def texts_of(self, ids: Sequence[str]) -> list[str]:
        """The digests of ``ids`` as stored, in that order."""
        return self.store.digest_texts(ids)

    def decode(self, text: str) -> ArticleDigest:
        """A digest as stored (see :meth:`day_texts`) as the object."""
        return self._digest(text)

    def _digest(self, text: str) -> ArticleDigest:
        return digest_from_json(text, self.provenance)

    def newest_date(self) -> datetime | None:
        """The date of the newest article of any story."""
        row = self._conn.execute(
            "SELECT latest FROM stories WHERE latest_ts IS NOT NULL ORDER BY latest_ts DESC LIMIT 1").fetchone()
        return datetime.fromisoformat(row[0]) if row else None

    def story_dates(self, several: bool = True, since: date | None = None,
                    before: date | None = None) -> Iterator[tuple[str, datetime | None]]:
        """(id, newest article's date) of every story (of several articles with ``several``), by id; with ``since``,
        only the undated ones and those whose newest article is of that day or later (in its own time zone); with
        ``before``, only those whose newest article is dated before that day."""
        minimum = 2 if several else 1
        later, parameters = _since("substr(latest, 1, 10)", since, before)
        for story_id, latest in paged(self._conn, f"SELECT id, latest FROM stories WHERE id > ? AND size >= ?{later}"
                                                  " ORDER BY id LIMIT ?", "", minimum, *parameters):
            yield story_id, datetime.fromisoformat(latest) if latest else None

    def article_days(self, since: date | None = None, before: date | None = None) -> Iterator[tuple[str, date | None]]:
        """(id, day in the article's own time zone) of every article, by id: from an index of the records alone.
        With ``since``, only the undated articles and those of that day or later; with ``before``, only those dated
        before that day."""
        later, parameters = _since("day", since, before)
        for article_id, day in paged(self._conn, "SELECT id, day FROM records WHERE id > ? AND digest_sha IS NOT NULL"
                                                 f"{later} ORDER BY id LIMIT ?", "", *parameters):
            yield article_id, date.fromisoformat(day) if day else None

    def close(self) -> None:
        self.store.close()


def _unsettled_story(settled: tuple[date, str] | None) -> tuple[str, tuple[str, ...]]:
    """SQL (a condition on ``stories`` to add with AND, and its parameters): the story's newest article is undated
    or not before the day of ``settled``, or its page was not published under its key; nothing without it."""
    if settled is None:
        return "", ()
    day, key = settled
    return " AND (latest IS NULL OR substr(latest, 1, 10) >= ? OR page_key IS NOT ?)", (day.isoformat(), key)


def _since(column: str, since: date | None, before: date | None = None) -> tuple[str, tuple[str, ...]]:
    """SQL (a condition to add with AND, and its parameters): ``column`` (an ISO day, or text that starts with one)
    is missing or not before ``since``, and is there and before ``before``; nothing without either."""
    sql = ""
    parameters: tuple[str, ...] = ()
    if since is not None:
        sql, parameters = f" AND ({column} IS NULL OR {column} >= ?)", (since.isoformat(),)
    if before is not None:
        sql, parameters = f"{sql} AND {column} < ?", (*parameters, before.isoformat())
    return sql, parameters
