"""The outlets' recurring lines (boilerplate), kept beside the build records."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence

from ..text.boilerplate import line_key
from .sqlite import rows_in, transaction


class OutletLineIndex:
    """:class:`RecurringLines` kept in SQLite beside a build's records, for archives of any size.

    Each article's short lines are stored by key with its outlet and its
    place in date order. A line is boilerplate in an article when it recurs
    in at least ``min_articles`` articles of the outlet dated no later than
    that article: what later articles add never changes an earlier article's
    lines, so the digests of an archive that grows day by day stay valid and
    a build gives the same stories as building the whole archive at once.
    """

    def __init__(self, conn: sqlite3.Connection, min_articles: int = 3, max_words: int = 40) -> None:
        self._conn = conn
        self.min_articles = min_articles
        self.max_words = max_words
        conn.execute("CREATE TABLE IF NOT EXISTS outlet_lines (source TEXT, key TEXT, article TEXT,"
                     " date_order TEXT, PRIMARY KEY (source, key, article)) WITHOUT ROWID")
        conn.execute("CREATE INDEX IF NOT EXISTS outlet_lines_article ON outlet_lines (article)")
        # The lines added, removed or moved in date order since the digests they may change were last made again
        # (:meth:`affected`, :meth:`forget_changes`): in the file, so that a build stopped between leaves them to the next.
        conn.execute("CREATE TABLE IF NOT EXISTS outlet_line_changes (source TEXT, key TEXT, date_order TEXT)")
        note_removed_records(conn)

    def _keys(self, paragraphs: Iterable[str]) -> set[str]:
        return {line_key(p) for p in paragraphs if p.strip() and len(p.split()) <= self.max_words}

    def add(self, articles: Iterable[tuple[str | None, str, str, Sequence[str]]]) -> None:
        """Store the lines of articles given as (outlet, id, date order, paragraphs), instead of their earlier ones
        (a line an article no longer has, or its lines under another outlet, go)."""
        articles = list(articles)
        if not articles:
            return
        rows = {(source or "", key, article_id, order)
                for source, article_id, order, paragraphs in articles for key in self._keys(paragraphs)}
        ids = [article_id for _, article_id, _, _ in articles]
        with transaction(self._conn):
            self._replace(ids, set(self._rows_of(ids)) ^ rows)
            self._conn.executemany("INSERT INTO outlet_lines VALUES (?, ?, ?, ?)", sorted(rows))
            # Checked against the records once the build has read (a build stopped before it writes their records
            # leaves them to the next build's check).
            self._conn.executemany(f"INSERT INTO {_TO_CHECK} VALUES (?)", [(article_id,) for article_id in ids])

    def _rows_of(self, ids: Sequence[str]) -> list[tuple[str, str, str, str]]:
        """The stored lines of articles ``ids``: (outlet, key, id, date order)."""
        return list(rows_in(self._conn, "SELECT source, key, article, date_order FROM outlet_lines"
                                        " WHERE article IN ({marks})", ids))

    def _replace(self, ids: Sequence[str], changed: Iterable[tuple[str, str, str, str]]) -> None:
        """Note lines ``changed`` (see :meth:`affected`) and delete every stored line of articles ``ids``."""
        self._conn.executemany("INSERT INTO outlet_line_changes VALUES (?, ?, ?)",
                               [(source, key, order) for source, key, _, order in changed])
        self._conn.executemany("DELETE FROM outlet_lines WHERE article = ?", [(article_id,) for article_id in ids])

    def keep_only(self, ids_sql: str) -> None:
        """Forget the lines of articles whose id ``ids_sql`` (a SELECT of ids) does not list."""
        with transaction(self._conn):
            self._forget_unlisted(ids_sql)

    def _forget_unlisted(self, ids_sql: str, among: str = "outlet_lines INDEXED BY outlet_lines_article") -> None:
        gone = [article for (article,) in self._conn.execute(
            f"SELECT article FROM {among} WHERE article NOT IN ({ids_sql}) GROUP BY article")]
        if gone:
            self._replace(gone, self._rows_of(gone))

    def keep_recorded(self) -> None:
        """Forget the lines of articles the build records no longer hold: of the articles whose record went, or
        whose lines were stored, since the last time (:func:`note_removed_records`), not every article's (0.14 s a
        build at 100,000 articles)."""
        with transaction(self._conn):
            if self._conn.execute(f"SELECT 1 FROM {_TO_CHECK} WHERE article IS NULL LIMIT 1").fetchone() is not None:
                self._forget_unlisted("SELECT id FROM records")
            else:
                self._forget_unlisted("SELECT id FROM records", _TO_CHECK)
            self._conn.execute(f"DELETE FROM {_TO_CHECK}")

    def forget_changes(self) -> None:
        """Forget the changes noted (the digests of the articles :meth:`affected` names were made again)."""
        self._conn.execute("DELETE FROM outlet_line_changes")

    def affected(self) -> set[str]:
        """The articles whose recurring lines (:meth:`lines`) the changes noted since :meth:`forget_changes` may have
        changed: an article's line is recurring by how many of the outlet's articles dated no later have it, so a
        line added, removed or moved in date order changes it only for the articles dated from there on that have
        the line, and only for the first few of them (once as many as ``min_articles`` and the changes to the line
        have it before an article, it stays recurring there whatever the changes)."""
        found: set[str] = set()
        changes = self._conn.execute("SELECT source, key, min(date_order), count(*) FROM outlet_line_changes"
                                     " GROUP BY source, key").fetchall()
        for source, key, since, count in changes:
            enough = self.min_articles + count
            (before,) = self._conn.execute(
                "SELECT count(*) FROM (SELECT 1 FROM outlet_lines WHERE source = ? AND key = ? AND date_order < ?"
                " LIMIT ?)", (source, key, since, enough)).fetchone()
            if before < enough:
                found.update(article for (article,) in self._conn.execute(
                    "SELECT article FROM outlet_lines WHERE source = ? AND key = ? AND date_order >= ?"
                    " ORDER BY date_order LIMIT ?", (source, key, since, enough - before)))
        return found

    def lines(self, source: str | None, order: str, paragraphs: Sequence[str]) -> set[int]:
        """Indices of ``paragraphs`` that recur across the outlet's articles up to ``order`` (date order)."""
        keys = {i: line_key(p) for i, p in enumerate(paragraphs)
                if p.strip() and len(p.split()) <= self.max_words}
        if not keys:
            return set()
        wanted = sorted(set(keys.values()))
        recurring = {key for (key,) in self._conn.execute(
            f"SELECT key FROM outlet_lines WHERE source = ? AND date_order <= ? AND key IN ({','.join('?' * len(wanted))})"
            " GROUP BY key HAVING COUNT(*) >= ?", (source or "", order, *wanted, self.min_articles))}
        return {i for i, key in keys.items() if key in recurring}


#: The articles whose lines may be left without a record, to be checked against the records
#: (:meth:`OutletLineIndex.keep_recorded`): those whose record went, and those whose lines were stored; a row without
#: an article says to check every article. In the file, so that a build stopped in between leaves them to the next.
_TO_CHECK = "outlet_lines_to_check"


def note_removed_records(conn: sqlite3.Connection) -> None:
    """Have ``conn`` note in the file each build record it deletes (:meth:`OutletLineIndex.keep_recorded`): a
    trigger of this connection, made by every connection to the records (every article is to be checked once when
    the notes are new: records of a version before them)."""
    new = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (_TO_CHECK,)).fetchone() is None
    conn.execute("DROP TABLE IF EXISTS outlet_lines_unchecked")  # a note of one version, without the articles
    conn.execute(f"CREATE TABLE IF NOT EXISTS {_TO_CHECK} (article TEXT)")
    if new:
        conn.execute(f"INSERT INTO {_TO_CHECK} VALUES (NULL)")
    if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'records'").fetchone() is not None:
        conn.execute(f"CREATE TEMP TRIGGER IF NOT EXISTS outlet_lines_record_removed AFTER DELETE ON main.records"
                     f" BEGIN INSERT INTO {_TO_CHECK} VALUES (OLD.id); END")
