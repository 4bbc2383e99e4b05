"""SQLite helpers shared by the build records, the catalog and the page builder."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

#: Rows read at a time when a query streams through the whole archive (and keys in one ``IN (...)``).
PAGE_ROWS = 500
#: Rows a stream writes in one transaction as it goes (records, stories, page keys, page records).
WRITE_ROWS = 500


def paged(conn: sqlite3.Connection, sql: str, start: Any = "", *parameters: Any) -> Iterator[tuple[Any, ...]]:
    """Rows of ``sql`` a page of :data:`PAGE_ROWS` at a time, by keyset.

    ``sql`` selects its key first, is ordered by it, and takes the last key
    seen, then ``parameters``, then the row limit. Each page is read to its
    end before the caller sees a row, so the caller may write in between.
    """
    last = start
    while True:
        rows = conn.execute(sql, (last, *parameters, PAGE_ROWS)).fetchall()
        yield from rows
        if len(rows) < PAGE_ROWS:
            return
        last = rows[-1][0]


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """One write transaction on a connection in autocommit mode: committed, or rolled back on any error."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
