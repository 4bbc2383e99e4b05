"""What was fetched: ``DIR/.nashra/fetch.sqlite3`` beside the articles it wrote.

One row per article URL (saved, skipped for good, failed, or deferred with
the time to try again), one per feed (its ETag and Last-Modified for
conditional requests) and one per host that asked us to wait. A second run
reads it to fetch only what it has not seen; a URL seen before is not fetched
again. A lock (:mod:`filelock`) keeps two runs from writing the same folder
at once.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import NashraError

RECORD_NAME = "fetch.sqlite3"
#: A page that failed this many times is not tried again.
MAX_ATTEMPTS = 3

_SCHEMA = """
CREATE TABLE IF NOT EXISTS pages (url TEXT PRIMARY KEY, state TEXT NOT NULL, reason TEXT, file TEXT,
    updated REAL, attempts INTEGER DEFAULT 0, retry_at REAL, outlet TEXT, feed_date TEXT);
CREATE TABLE IF NOT EXISTS feeds (url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT, checked REAL);
CREATE TABLE IF NOT EXISTS hosts (host TEXT PRIMARY KEY, retry_at REAL);
"""


@dataclass
class Pending:
    """A page to try again: it failed, or its site asked us to wait."""

    url: str
    outlet: str | None
    feed_date: str | None


class FetchRecord:
    """The fetch record of one article folder; use as a context manager (it holds the lock)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / ".nashra" / RECORD_NAME
        self._conn: sqlite3.Connection | None = None
        self._lock: Any = None

    def __enter__(self) -> FetchRecord:
        from filelock import FileLock, Timeout

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise NashraError(f"cannot make the folder of the fetch record {self.path.parent}:"
                              f" {exc.strerror or exc}") from None
        self._lock = FileLock(str(self.path) + ".lock")
        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            raise NashraError(f"another nashra fetch is writing to {self.folder}; wait for it to finish") from None
        try:
            self._conn = self._open()
        except sqlite3.Error as exc:
            self._lock.release()
            raise NashraError(f"cannot open the fetch record {self.path}: {exc}") from None
        return self

    def _open(self) -> sqlite3.Connection:
        """The record's database; a damaged one is moved aside (the articles' file names still say what was saved)."""
        from ..state.sqlite import connect

        def setup(conn: sqlite3.Connection) -> None:
            conn.executescript(_SCHEMA)

        return connect(self.path, "fetch record", setup)

    def __exit__(self, *exc: object) -> None:
        if self._conn is not None:
            self._conn.commit()
            self._conn.close()
            self._conn = None
        if self._lock is not None:
            self._lock.release()

    @property
    def conn(self) -> sqlite3.Connection:
        assert self._conn is not None, "use FetchRecord as a context manager"
        return self._conn

    # -- pages -----------------------------------------------------------------------

    def state(self, url: str) -> str | None:
        """``saved``, ``skipped``, ``failed`` or ``deferred`` when ``url`` was seen before; else None."""
        row = self.conn.execute("SELECT state FROM pages WHERE url = ?", (url,)).fetchone()
        return row[0] if row else None

    def seen(self, url: str) -> bool:
        """Whether ``url`` is done with: saved, skipped for good, or failed too often (pending ones are not)."""
        row = self.conn.execute("SELECT state, attempts FROM pages WHERE url = ?", (url,)).fetchone()
        if row is None:
            return False
        state, attempts = row
        return state in ("saved", "skipped") or (state == "failed" and attempts >= MAX_ATTEMPTS)

    def saved_file(self, url: str) -> str | None:
        row = self.conn.execute("SELECT file FROM pages WHERE url = ? AND state = 'saved'", (url,)).fetchone()
        return row[0] if row else None

    def mark(self, url: str, state: str, reason: str = "", file: str | None = None, retry_at: float | None = None,
             outlet: str | None = None, feed_date: str | None = None) -> None:
        attempts = 1 if state == "failed" else 0
        self.conn.execute(
            "INSERT INTO pages (url, state, reason, file, updated, attempts, retry_at, outlet, feed_date)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET state = excluded.state,"
            " reason = excluded.reason, file = excluded.file, updated = excluded.updated,"
            " attempts = pages.attempts + excluded.attempts, retry_at = excluded.retry_at,"
            " outlet = COALESCE(excluded.outlet, pages.outlet), feed_date = COALESCE(excluded.feed_date, pages.feed_date)",
            (url, state, reason, file, time.time(), attempts, retry_at, outlet, feed_date))
        self.conn.commit()

    def pending(self, now: float | None = None) -> list[Pending]:
        """Pages to try again now: failed fewer than MAX_ATTEMPTS times, or deferred until a time now past."""
        now = time.time() if now is None else now
        rows = self.conn.execute(
            "SELECT url, outlet, feed_date FROM pages WHERE (state = 'failed' AND attempts < ?)"
            " OR (state = 'deferred' AND COALESCE(retry_at, 0) <= ?) ORDER BY updated", (MAX_ATTEMPTS, now))
        return [Pending(*row) for row in rows]

    def waiting(self, now: float | None = None) -> int:
        """Deferred pages whose time has not come yet."""
        now = time.time() if now is None else now
        return self.conn.execute("SELECT COUNT(*) FROM pages WHERE state = 'deferred' AND retry_at > ?",
                                 (now,)).fetchone()[0]

    # -- feeds and hosts -----------------------------------------------------------

    def validators(self, feed: str) -> dict[str, str]:
        """Headers of a conditional request for ``feed`` (If-None-Match, If-Modified-Since)."""
        row = self.conn.execute("SELECT etag, last_modified FROM feeds WHERE url = ?", (feed,)).fetchone()
        headers: dict[str, str] = {}
        if row and row[0]:
            headers["If-None-Match"] = row[0]
        if row and row[1]:
            headers["If-Modified-Since"] = row[1]
        return headers

    def is_feed(self, url: str) -> bool:
        return self.conn.execute("SELECT 1 FROM feeds WHERE url = ?", (url,)).fetchone() is not None

    def feed_checked(self, feed: str, etag: str | None, last_modified: str | None) -> None:
        self.conn.execute("INSERT INTO feeds (url, etag, last_modified, checked) VALUES (?, ?, ?, ?)"
                          " ON CONFLICT(url) DO UPDATE SET etag = excluded.etag,"
                          " last_modified = excluded.last_modified, checked = excluded.checked",
                          (feed, etag, last_modified, time.time()))
        self.conn.commit()

    def blocked_hosts(self) -> dict[str, float]:
        now = time.time()
        return {host: when for host, when in self.conn.execute("SELECT host, retry_at FROM hosts") if when > now}

    def block_hosts(self, blocked: dict[str, float]) -> None:
        self.conn.executemany("INSERT INTO hosts (host, retry_at) VALUES (?, ?) ON CONFLICT(host)"
                              " DO UPDATE SET retry_at = excluded.retry_at", blocked.items())
        self.conn.commit()
