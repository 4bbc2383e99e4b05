"""The catalog of a briefing: its stories, and the queries its pages and feeds are written from.

Stories are grouped from the article digests in the build records, read in
date order, and each is stored as soon as it is complete (see
:class:`nashra.stories.grouping.Grouping`); the home page, story pages, archive,
sources page, feeds and sitemap then read what they show from the database.
Memory follows the stories open at one time and the few pages being written,
never the size of the archive.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections import Counter, OrderedDict
from collections.abc import Iterable, Iterator
from datetime import date, datetime, UTC

from ..document import ArticleDigest, BriefingArticle, Provenance
from ..errors import BuildError
from .sqlite import PAGE_ROWS, WRITE_ROWS, paged, transaction
from .records import RecordStore, StoredArticle, date_order, digest_from_json
from ..stories.grouping import Checkpoint, Grouping, StoryGroup, THRESHOLD, WINDOW, document_frequencies
from ..stories.home import HOME_DAYS, HOME_LIMIT, HOME_MINIMUM, home_period
from ..stories.story import Story, StorySentence
from ..stories.summary import make_story

log = logging.getLogger(__name__)

#: Changes when grouping changes in a way its settings do not show: every story is grouped again.
GROUPING_VERSION = "1"
#: Stories kept decoded for the article pages that link to them.
STORY_CACHE = 256


def _timestamp(value: datetime | None) -> float | None:
    return value.astimezone(UTC).timestamp() if value else None


class Catalog:
    """A processed briefing as its site reads it: articles, stories, days and sources.

    Built on a :class:`RecordStore` whose records hold every article of the
    build with its digest; :meth:`group` makes the stories.
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

    def group(self, sentences: int = 3) -> int:
        """Group the records' articles into stories; return how many stories there are.

        When the digests changed only from the day the last grouping's checkpoint
        stands at (:class:`nashra.stories.grouping.Checkpoint`: the newest dated day it
        grouped), the stories completed before it are kept as they are and the
        grouping goes on from there: a daily build groups its days, not the
        archive. Otherwise (a first build, an older article changed or removed,
        other settings) every story is grouped again.
        """
        self._cache.clear()
        frequency, total = document_frequencies(self.store.terms())
        signature = json.dumps([GROUPING_VERSION, sentences, THRESHOLD, WINDOW.total_seconds()])
        grouping, since = self._resume(signature, frequency, total)
        if grouping is None:
            grouping = Grouping(frequency, total)
        seq = self._conn.execute("SELECT coalesce(max(seq) + 1, 0) FROM stories").fetchone()[0]
        first_seq = seq
        batch: list[tuple[Story, int]] = []

        def write(groups: Iterator[StoryGroup[ArticleDigest]]) -> None:
            nonlocal seq
            for group in groups:
                batch.append((make_story(group, sentences), seq))
                seq += 1
                if len(batch) >= WRITE_ROWS:
                    self._write_stories(batch)

        for article in self.store.digests_by_date(self.provenance, since):
            write(grouping.add(article))
        checkpoint = grouping.checkpoint  # the last, taken as the newest dated day began
        write(grouping.finish())
        self._write_stories(batch)
        completed = checkpoint.completed if checkpoint is not None else 0
        with transaction(self._conn):
            # The stories completed before the checkpoint can no longer change; the others are grouped again.
            self._conn.execute("UPDATE stories SET completed = 1 WHERE seq >= ? AND seq < ?",
                               (first_seq, first_seq + completed))
            self._conn.execute("DELETE FROM grouping")
            if checkpoint is not None:
                self._conn.executemany("INSERT INTO grouping VALUES (?, ?)",
                                       [("signature", signature), ("checkpoint", checkpoint.to_json())])
        return self.count()

    def _resume(self, signature: str, frequency: Counter[str], total: int
                ) -> tuple[Grouping[ArticleDigest] | None, str | None]:
        """The grouping to go on with and the date order to feed it from; (None, None) to group everything
        (all stories are removed then; when going on, the stories not completed are)."""
        saved = dict(self._conn.execute("SELECT key, value FROM grouping").fetchall())
        change = self.store.earliest_change()
        resumable = saved.get("signature") == signature and "checkpoint" in saved
        checkpoint = Checkpoint.from_json(saved["checkpoint"]) if resumable else None
        since = date_order(checkpoint.first_id, checkpoint.first_date) if checkpoint is not None else ""
        if checkpoint is None or (change is not None and change < since):
            self._clear_stories(completed_too=True)
            return None, None
        ids = [i for story in checkpoint.stories for i in story]
        try:
            open_articles = self.store.digests(ids, self.provenance)
        except BuildError:  # an article of an open story has no digest any more: group everything
            self._clear_stories(completed_too=True)
            return None, None
        self._clear_stories(completed_too=False)
        log.debug("stories: going on from %s (%d open stories)", checkpoint.first_date, len(checkpoint.stories))
        return Grouping.resume(checkpoint, open_articles, frequency, total), since

    def _clear_stories(self, completed_too: bool) -> None:
        """Remove the stories not completed for good (every story with ``completed_too``)."""
        with transaction(self._conn):
            if completed_too:
                self._conn.execute("DELETE FROM story_members")
                self._conn.execute("DELETE FROM stories")
                return
            self._conn.execute("DELETE FROM story_members WHERE story IN"
                               " (SELECT id FROM stories WHERE completed IS NOT 1)")
            self._conn.execute("DELETE FROM stories WHERE completed IS NOT 1")

    def _write_stories(self, stories: list[tuple[Story, int]]) -> None:
        with transaction(self._conn):
            self._conn.executemany("INSERT INTO stories VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, NULL)", [
                (s.id, len(s.items), s.outlets, s.latest.isoformat() if s.latest else None, _timestamp(s.latest),
                 json.dumps([i.id for i in s.items], ensure_ascii=False),
                 json.dumps([[p.item.id, p.index] for p in s.summary], ensure_ascii=False), seq)
                for s, seq in stories])
            self._conn.executemany("INSERT INTO story_members VALUES (?, ?)",
                                   [(i.id, s.id) for s, _ in stories for i in s.items])
        stories.clear()

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

    def story_page_keys(self) -> Iterator[tuple[str, str | None]]:
        """(id, key of its published page) of every story of several articles, by id. A story kept from the
        last grouping keeps its key; one grouped again has none."""
        yield from paged(self._conn, "SELECT id, page_key FROM stories WHERE id > ? AND size >= 2 ORDER BY id LIMIT ?")

    def stage_story_keys(self, rows: list[tuple[str, str]]) -> None:
        """Note the key each story page just written was made under, applied by :meth:`commit_story_keys`."""
        with transaction(self._conn):
            self._conn.executemany("INSERT OR REPLACE INTO staged_story_keys VALUES (?, ?)", rows)

    def discard_story_keys(self) -> None:
        """Forget keys staged by a build that did not publish (call before writing pages)."""
        self._conn.execute("DELETE FROM staged_story_keys")

    def commit_story_keys(self) -> None:
        """The story pages staged with :meth:`stage_story_keys` are now the published ones: record their keys."""
        with transaction(self._conn):
            self._conn.execute("UPDATE stories SET page_key = (SELECT key FROM staged_story_keys s"
                               " WHERE s.id = stories.id) WHERE id IN (SELECT id FROM staged_story_keys)")
            self._conn.execute("DELETE FROM staged_story_keys")

    def listing_keys(self) -> dict[str, str]:
        """The key each published listing page (a day's, an outlet's) was written under, by page."""
        return dict(self._conn.execute("SELECT page, key FROM listing_keys"))

    def stage_listing_keys(self, rows: list[tuple[str, str]]) -> None:
        """Note the key each listing page just written was made under, applied by :meth:`commit_listing_keys`."""
        with transaction(self._conn):
            self._conn.executemany("INSERT OR REPLACE INTO staged_listing_keys VALUES (?, ?)", rows)

    def discard_listing_keys(self) -> None:
        """Forget keys staged by a build that did not publish (call before writing pages)."""
        self._conn.execute("DELETE FROM staged_listing_keys")

    def commit_listing_keys(self) -> None:
        """The listing pages staged with :meth:`stage_listing_keys` are the published ones: record their keys (and
        only theirs: a page the build did not write, linked or gone, keeps or loses its key with it)."""
        with transaction(self._conn):
            self._conn.execute("INSERT OR REPLACE INTO listing_keys SELECT page, key FROM staged_listing_keys")
            self._conn.execute("DELETE FROM staged_listing_keys")

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

    # -- articles, days, sources -------------------------------------------------------

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
        rows = self._conn.execute("SELECT day, COUNT(*) FROM records WHERE digest IS NOT NULL GROUP BY day"
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

    def sources(self, latest: int) -> list[tuple[str | None, int, list[ArticleDigest]]]:
        """Each source (``None``: unknown) with its number of articles and its ``latest`` newest digests."""
        counts = self._conn.execute("SELECT source, COUNT(*) FROM records WHERE digest IS NOT NULL GROUP BY source"
                                    ).fetchall()
        out = []
        for source, count in counts:
            # date_order is "0" + the UTC time (26 characters) + "|" + id for a dated article.
            rows = self._conn.execute(
                "SELECT digest FROM records WHERE source IS ? AND digest IS NOT NULL"
                " ORDER BY day IS NULL, CASE WHEN day IS NULL THEN '' ELSE substr(date_order, 2, 26) END DESC, id"
                " LIMIT ?", (source, latest))
            out.append((source, count, [self._digest(text) for (text,) in rows]))
        return out

    def source_digests(self, sources: Iterable[str | None], oldest_first: bool = False) -> Iterator[ArticleDigest]:
        """Every article of any of ``sources`` (``None``: unknown), newest first and undated last (or the
        reverse), read as needed."""
        for text in self.source_texts(sources, oldest_first):
            yield self._digest(text)

    def source_texts(self, sources: Iterable[str | None], oldest_first: bool = False) -> Iterator[str]:
        """The digests of :meth:`source_digests` as stored (JSON)."""
        wanted = list(sources)
        named = sorted({s for s in wanted if s is not None})
        unknown = None in wanted
        where = " OR ".join([*(["source IN (%s)" % ", ".join("?" * len(named))] if named else []),
                             *(["source IS NULL"] if unknown else [])]) or "0"
        undated, dated, ids = ("DESC", "ASC", "DESC") if oldest_first else ("", "DESC", "")
        cursor = self._conn.execute(
            f"SELECT digest FROM records WHERE ({where}) AND digest IS NOT NULL ORDER BY day IS NULL {undated},"
            f" CASE WHEN day IS NULL THEN '' ELSE substr(date_order, 2, 26) END {dated}, id {ids}", named)
        while rows := cursor.fetchmany(PAGE_ROWS):
            for (text,) in rows:
                yield text

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

    def story_dates(self, several: bool = True) -> Iterator[tuple[str, datetime | None]]:
        """(id, newest article's date) of every story (of several articles with ``several``), by id."""
        minimum = 2 if several else 1
        for story_id, latest in paged(self._conn, "SELECT id, latest FROM stories WHERE id > ? AND size >= ?"
                                             " ORDER BY id LIMIT ?", "", minimum):
            yield story_id, datetime.fromisoformat(latest) if latest else None

    def article_dates(self) -> Iterator[tuple[str, datetime | None]]:
        """(id, date) of every article, by id."""
        for article_id, when in paged(self._conn, "SELECT id, json_extract(digest, '$.date') FROM records"
                                             " WHERE id > ? AND digest IS NOT NULL ORDER BY id LIMIT ?"):
            yield article_id, datetime.fromisoformat(when) if when else None

    def close(self) -> None:
        self.store.close()
