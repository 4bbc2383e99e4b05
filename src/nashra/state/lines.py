"""The outlets' recurring lines (boilerplate), kept beside the build records."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence

from ..text.boilerplate import line_key
from .sqlite import transaction


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

    def _keys(self, paragraphs: Iterable[str]) -> set[str]:
        return {line_key(p) for p in paragraphs if p.strip() and len(p.split()) <= self.max_words}

    def add(self, articles: Iterable[tuple[str | None, str, str, Sequence[str]]]) -> None:
        """Store the lines of articles given as (outlet, id, date order, paragraphs), instead of their earlier ones
        (a line an article no longer has, or its lines under another outlet, go)."""
        articles = list(articles)
        rows = [(source or "", key, article_id, order)
                for source, article_id, order, paragraphs in articles for key in self._keys(paragraphs)]
        if articles:
            with transaction(self._conn):
                self._conn.executemany("DELETE FROM outlet_lines WHERE article = ?", [(a[1],) for a in articles])
                self._conn.executemany("INSERT OR REPLACE INTO outlet_lines VALUES (?, ?, ?, ?)", rows)

    def keep_only(self, ids_sql: str) -> None:
        """Forget the lines of articles whose id ``ids_sql`` (a SELECT of ids) does not list."""
        with transaction(self._conn):
            self._conn.execute(f"DELETE FROM outlet_lines WHERE article NOT IN ({ids_sql})")

    def keep_recorded(self) -> None:
        """Forget the lines of articles the build records no longer hold."""
        self.keep_only("SELECT id FROM records")

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
