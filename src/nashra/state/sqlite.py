"""SQLite plumbing of the build state (and of the other stores Nashra can rebuild).

Opening a file that Nashra can rebuild (build records, page records, translation cache):
a file that is not a database, or whose pages are damaged, is no dead end:
it is moved aside (``NAME.corrupt-TIME``, kept for whoever wants to look at
it) with a warning, and a new, empty file takes its place. What it held is
made again: the records by the build, the translations by the translator.

Streams through large tables a page of rows at a time (:func:`paged`) and
writes in short transactions (:func:`transaction`).
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

#: Rows read at a time when a query streams through the whole archive (and keys in one ``IN (...)``).
PAGE_ROWS = 500
#: Rows a stream writes in one transaction as it goes (records, stories, page keys, page records).
WRITE_ROWS = 500


def rows_in(conn: sqlite3.Connection, sql: str, keys: Sequence[Any], *parameters: Any) -> Iterator[Any]:
    """Rows of ``sql`` for ``keys``, :data:`PAGE_ROWS` of them in one ``IN ({marks})`` at a time: ``sql`` holds
    ``{marks}`` where the keys' placeholders go, and takes ``parameters`` before the keys."""
    for start in range(0, len(keys), PAGE_ROWS):
        chunk = list(keys[start:start + PAGE_ROWS])
        yield from conn.execute(sql.format(marks=",".join("?" * len(chunk))), [*parameters, *chunk]).fetchall()


def paged(conn: sqlite3.Connection, sql: str, start: Any = "", *parameters: Any,
          row_factory: Any = None) -> Iterator[Any]:
    """Rows of ``sql`` a page of :data:`PAGE_ROWS` at a time, by keyset.

    ``sql`` selects its key first, is ordered by it, and takes the last key
    seen, then ``parameters``, then the row limit. Each page is read to its
    end before the caller sees a row, so the caller may write in between.
    ``row_factory``: the cursor's (``sqlite3.Row`` to read columns by name).
    """
    last = start
    cursor = conn.cursor()
    cursor.row_factory = row_factory
    while True:
        page = cursor.execute(sql, (last, *parameters, PAGE_ROWS)).fetchall()
        yield from page
        if len(page) < PAGE_ROWS:
            return
        last = page[-1][0]


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """One write transaction on a connection in autocommit mode: committed, or rolled back on any error."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        if conn.in_transaction:  # SQLite has rolled back already after some errors (a full disk)
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


#: SQLite's result codes for a damaged file and for a file that is not a database.
_CORRUPT_CODES = {11, 26}


def is_corrupt(exc: BaseException) -> bool:
    """Whether ``exc`` says the database file itself is damaged (not locked, read-only or missing)."""
    if not isinstance(exc, sqlite3.DatabaseError):
        return False
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in _CORRUPT_CODES
    text = str(exc).lower()
    return "not a database" in text or "malformed" in text


def move_aside(path: Path) -> Path:
    """Rename a damaged database (and its journal files) to ``NAME.corrupt-TIME``; return the new name."""
    aside = path.with_name(f"{path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
    path.replace(aside)
    for suffix in ("-wal", "-shm", "-journal"):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            companion.replace(aside.with_name(aside.name + suffix))
    return aside


def connect(path: Path, what: str, setup: Callable[[sqlite3.Connection], None], **options: Any) -> sqlite3.Connection:
    """A connection to ``path`` made ready by ``setup`` (tables, pragmas).

    When the file is damaged, it is moved aside with a warning naming ``what`` it held, and a new
    one is made. Other errors (permissions, a locked file) are raised as they are.
    """
    for attempt in (1, 2):
        conn = sqlite3.connect(path, **options)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            setup(conn)
            return conn
        except sqlite3.DatabaseError as exc:
            conn.close()
            if attempt == 2 or not is_corrupt(exc) or not path.exists():
                raise
            aside = move_aside(path)
            log.warning("%s: the %s file is damaged (%s); moved aside to %s and made again", path, what, exc,
                        aside.name)
    raise AssertionError("unreachable")  # pragma: no cover
