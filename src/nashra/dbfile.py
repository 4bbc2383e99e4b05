"""Open a SQLite file that Nashra can rebuild (build records, page records, translation cache).

A file that is not a database, or whose pages are damaged, is no dead end:
it is moved aside (``NAME.corrupt-TIME``, kept for whoever wants to look at
it) with a warning, and a new, empty file takes its place. What it held is
made again: the records by the build, the translations by the translator.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

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
