"""The last build's reading, kept: which input files a daily build may take without asking of each in SQL.

A daily build asks of every input file of the archive whether it is settled (unchanged since it was read whole, its
articles translated, summarized and digested under the build's settings) and takes the articles of those that are
(:meth:`nashra.state.records.RecordStore.settled_files` and ``take_files``). Asked of each file and article in SQL,
that is 1 s a build for 100,000 articles, however few changed. This module keeps what the last build found instead:

- ``reading``: the files a build read whole or took whose articles were all settled at the end of its reading, each
  article a row (the file's path, stamp and order key, the article's place in it, its id, its ``settled`` value), in
  the order of the files' paths (:func:`order_key`, the order a walk of their folders gives them);
- ``reading_changes``: the id of every record written since (added, removed, or changed in a column its being
  settled depends on), kept by triggers of the database itself, so that writes by any program count, a build killed
  half-way or an older version of Nashra included;
- under the key ``reading`` of ``meta``: the settings it was found under (translation namespace, summary key, what
  the ``settled`` values were computed under).

A file is settled for a build under those settings when the kept reading has it with the same stamp and none of its
records was written since (:meth:`KeptReading.find`, a merge of the walk with the kept files in their order); a run
of such files that lie together in the kept order is taken in three statements over a range of the table
(:meth:`KeptReading.take`). Any other file is asked of in SQL as before. At the end of a build's reading
(:meth:`KeptReading.keep`) the kept files it did not take are dropped, those whose records were written are checked
again, and the files it read or asked of are added where settled: the work of the files that changed.
"""

from __future__ import annotations

import json
import os
import sqlite3
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import NamedTuple

from .sqlite import paged, transaction

#: The key of ``meta`` under which the settings of the kept reading are.
META_KEY = "reading"
#: Written with a record's columns, and what ``reading_changes`` is told of (the record's id).
_WATCHED = ("id", "namespace", "summary_key", "translations", "flags", "article", "sentences", "digest")


def create_tables(conn: sqlite3.Connection) -> None:
    """The kept reading's tables and the triggers that note every record written since (see the module)."""
    conn.execute("CREATE TABLE IF NOT EXISTS reading (key TEXT, place INTEGER, path TEXT, stamp TEXT, id TEXT,"
                 " settled TEXT, PRIMARY KEY (key, place)) WITHOUT ROWID")
    conn.execute("CREATE INDEX IF NOT EXISTS reading_id ON reading (id)")
    conn.execute("CREATE INDEX IF NOT EXISTS reading_path ON reading (path)")
    conn.execute("CREATE TABLE IF NOT EXISTS reading_changes (id TEXT)")
    # Triggers of the file (not of the connection): an older version, or another program, that writes a record
    # notes it too. Plain SQL only, so that any connection can run them.
    changed = " OR ".join(f"OLD.{column} IS NOT NEW.{column}" for column in _WATCHED)
    conn.execute(f"CREATE TRIGGER IF NOT EXISTS reading_changed AFTER UPDATE OF {', '.join(_WATCHED)} ON records"
                 f" WHEN {changed} BEGIN INSERT INTO reading_changes VALUES (OLD.id);"
                 " INSERT INTO reading_changes SELECT NEW.id WHERE NEW.id IS NOT OLD.id; END")
    conn.execute("CREATE TRIGGER IF NOT EXISTS reading_added AFTER INSERT ON records BEGIN"
                 " INSERT INTO reading_changes VALUES (NEW.id); END")
    conn.execute("CREATE TRIGGER IF NOT EXISTS reading_removed AFTER DELETE ON records BEGIN"
                 " INSERT INTO reading_changes VALUES (OLD.id); END")
    # The files of this build's reading asked of in SQL or read whole: what :meth:`KeptReading.keep` adds.
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS reading_added (path TEXT PRIMARY KEY) WITHOUT ROWID")
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS reading_new (key TEXT, place INTEGER, path TEXT, stamp TEXT,"
                 " id TEXT, settled TEXT, first TEXT)")
    conn.create_function("nashra_order_key", 1, order_key, deterministic=True)


def forget(conn: sqlite3.Connection) -> None:
    """Drop the kept reading: the next build asks of every file in SQL (records made up to date from an older
    version's, whose changes its triggers may not have seen)."""
    conn.execute("DELETE FROM meta WHERE key = ?", (META_KEY,))


def order_key(path: str) -> str:
    """A file's place in the kept reading: its path with the folders' separators as the lowest character, so that
    paths sort as a walk of their folders, sorted by name, gives them ("a/x.xml" before "a.xml")."""
    key = path.replace(os.sep, "\x01")
    return key.replace(os.altsep, "\x01") if os.altsep else key


class Kept(NamedTuple):
    """A file of the kept reading found settled: its place in the table's order (0 for the first file) and its
    order key."""

    order: int
    key: str


class KeptReading:
    """The kept reading of one build records' connection (see the module); one build's reading at a time."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._found: dict[str, Kept] = {}  # the files the last find() found settled (taken until the next find)
        self.start()

    def start(self) -> None:
        """A build's reading begins: the kept files are looked up from the first on, none taken yet (the files
        found last stay found, as those SQL found stay its candidates)."""
        self._conn.execute("DELETE FROM reading_added")
        self._files: Iterator[tuple[str, str, str]] | None = None  # the kept files in order: key, path, stamp
        self._head: tuple[str, str, str] | None = None
        self._index = -1  # the head's place
        self._settings: str | None = None  # what the kept reading was made under (None: not read yet)
        self._touched: set[str] = set()  # paths of kept files with a record written since
        self._changes_seen = 0  # the last ``reading_changes`` row looked at
        self._taken: list[tuple[str, str]] = []  # the ranges of order keys taken

    @staticmethod
    def settings(namespace: str | None, summary_key: str | None, settled_key: str) -> str:
        return json.dumps([namespace, summary_key, settled_key])

    def _made_under(self) -> str:
        if self._settings is None:
            row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (META_KEY,)).fetchone()
            self._settings = row[0] if row else ""
        return self._settings

    def _note_changes(self) -> None:
        """Add to the touched files those of the records written since last looked."""
        rows = self._conn.execute("SELECT max(rowid) FROM reading_changes").fetchone()
        last = rows[0] or 0
        if last <= self._changes_seen:
            return
        self._touched.update(path for (path,) in self._conn.execute(
            "SELECT DISTINCT r.path FROM reading_changes c JOIN reading r INDEXED BY reading_id ON r.id = c.id"
            " WHERE c.rowid > ? AND c.rowid <= ?", (self._changes_seen, last)))
        self._changes_seen = last

    def _kept(self, key: str) -> tuple[str, str, str] | None:
        """The kept file of order key ``key`` (None if none): the kept files are walked forward, the keys asked of
        in increasing order (a key lower than one asked before is not found)."""
        if self._files is None:
            self._files = paged(self._conn, "SELECT key, path, stamp FROM reading WHERE key > ? AND place = 0"
                                            " ORDER BY key LIMIT ?")
            self._head = next(self._files, None)
            self._index = 0
        while self._head is not None and self._head[0] < key:
            self._head = next(self._files, None)
            self._index += 1
        return self._head if self._head is not None and self._head[0] == key else None

    def find(self, files: Sequence[tuple[str, str]], settings: str) -> tuple[set[str], list[tuple[str, str]]]:
        """Those of ``files`` (path, stamp) that the kept reading made under ``settings`` has settled, and the
        others, to be asked of in SQL."""
        self._found = {}
        if self._made_under() != settings:
            return set(), list(files)
        self._note_changes()
        others: list[tuple[str, str]] = []
        for path, stamp in files:
            key = order_key(path)
            kept = self._kept(key)
            if kept is not None and kept[1] == path and kept[2] == stamp and path not in self._touched:
                self._found[path] = Kept(self._index, key)
            else:
                others.append((path, stamp))
        return set(self._found), others

    def runs(self, paths: Sequence[str]) -> Iterator[tuple[bool, list[str]]]:
        """``paths`` in runs, in order: (True, files found settled that lie together in the kept order) or (False,
        files to take as SQL found them)."""
        run: list[str] = []
        kept_run = False
        for path in paths:
            found = self._found.get(path)
            together = (found is not None and kept_run and run
                        and self._found[run[-1]].order + 1 == found.order)
            if run and not together and (found is not None or kept_run):
                yield kept_run, run
                run = []
            if not run:
                kept_run = found is not None
            run.append(path)
        if run:
            yield kept_run, run

    def take(self, paths: list[str]) -> tuple[int, Counter[str]]:
        """Take the articles of ``paths``, a run of files found settled that lie together in the kept order, as
        :meth:`nashra.state.records.RecordStore.take_files` does: each id noted first read from its file and marked
        read, in order, up to the first file that cannot be (an id read before in this build, or a record written
        since it was found). Return how many files were taken and how many articles each ``settled`` value has."""
        self._note_changes()
        touched = next((place for place, path in enumerate(paths) if path in self._touched), len(paths))
        keys = [self._found[path].key for path in paths[:touched]]
        if not keys:
            return 0, Counter()
        conn = self._conn
        with transaction(conn):
            conn.execute("SAVEPOINT noting")
            try:
                conn.execute("INSERT INTO first_read SELECT id, path FROM reading WHERE key BETWEEN ? AND ?",
                             (keys[0], keys[-1]))
            except sqlite3.IntegrityError:  # an id read before: the run stops at the first file with one
                conn.execute("ROLLBACK TO noting")
                (again,) = conn.execute(
                    "SELECT min(key) FROM (SELECT key, id, row_number() OVER (PARTITION BY id ORDER BY key, place)"
                    " AS seen FROM reading WHERE key BETWEEN ? AND ?) WHERE seen > 1 OR id IN (SELECT id FROM"
                    " first_read)", (keys[0], keys[-1])).fetchone()
                if again is None:
                    raise
                keys = keys[:bisect_left(keys, again)]
                if keys:
                    conn.execute("INSERT INTO first_read SELECT id, path FROM reading WHERE key BETWEEN ? AND ?",
                                 (keys[0], keys[-1]))
            conn.execute("RELEASE noting")
            if not keys:
                return 0, Counter()
            conn.execute("INSERT OR IGNORE INTO read (id) SELECT id FROM reading WHERE key BETWEEN ? AND ?"
                         " ORDER BY key, place", (keys[0], keys[-1]))
            counts = conn.execute("SELECT settled, count(*) FROM reading WHERE key BETWEEN ? AND ? GROUP BY settled",
                                  (keys[0], keys[-1])).fetchall()
        self._taken.append((keys[0], keys[-1]))
        return len(keys), Counter({text: articles for text, articles in counts})

    def note_added(self) -> None:
        """Note the files just taken as SQL found them (the ``taken`` table) as this build's, to be kept if
        settled."""
        self._conn.execute("INSERT OR IGNORE INTO reading_added SELECT DISTINCT path FROM taken")

    def note_read(self, path: str) -> None:
        """Note a file read whole by this build, to be kept if settled."""
        self._conn.execute("INSERT OR IGNORE INTO reading_added VALUES (?)", (path,))

    def keep(self, settings: str, namespace: str | None, summary_key: str | None, settled_prefix: str) -> None:
        """Keep this build's reading (see the module): the kept files it did not take dropped, those with a record
        written since checked again with the files it read or asked of in SQL, each kept if all its articles are
        settled under ``settings`` (their ``settled`` values starting with ``settled_prefix``) and were first read
        from it in this build (as a file taken notes them, or a file read, with the article's place after it:
        "PATH (line 3)")."""
        conn = self._conn
        with transaction(conn):
            if self._made_under() != settings:
                conn.execute("DELETE FROM reading")
            else:
                self._drop_untaken()
                conn.execute("INSERT OR IGNORE INTO reading_added SELECT DISTINCT r.path FROM reading_changes c"
                             " JOIN reading r INDEXED BY reading_id ON r.id = c.id")
                conn.execute("DELETE FROM reading WHERE path IN (SELECT path FROM reading_added)")
            conn.execute("DELETE FROM reading_new")
            conn.execute(
                "INSERT INTO reading_new SELECT nashra_order_key(f.path), CAST(j.key AS INTEGER), f.path, f.stamp,"
                " j.value, r.settled, fr.path FROM reading_added a JOIN input_files f ON f.path = a.path,"
                " json_each(f.ids) j LEFT JOIN records r INDEXED BY records_settled ON r.id = j.value"
                " AND r.namespace IS ? AND r.summary_key IS ? LEFT JOIN first_read fr ON fr.id = j.value",
                (namespace, summary_key))
            conn.execute(
                "INSERT OR REPLACE INTO reading SELECT key, place, path, stamp, id, settled FROM reading_new"
                " WHERE path IN (SELECT path FROM reading_new GROUP BY path"
                " HAVING min(coalesce(substr(settled, 1, ?) = ? AND (first = path OR substr(first, 1, length(path) + 2)"
                " = path || ' ('), 0)) = 1)",
                (len(settled_prefix), settled_prefix))
            conn.execute("DELETE FROM reading_new")
            conn.execute("DELETE FROM reading_changes")
            conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (META_KEY, settings))
        self._found = {}
        self.start()

    def _drop_untaken(self) -> None:
        """Drop the kept files outside the ranges this build took (changed, gone, or not asked of)."""
        ranges = sorted(self._taken)
        low: str | None = None  # files after this key (all when None) and before the next range go
        for first, last in ranges:
            if low is None:
                self._conn.execute("DELETE FROM reading WHERE key < ?", (first,))
            else:
                self._conn.execute("DELETE FROM reading WHERE key > ? AND key < ?", (low, first))
            low = last if low is None or last > low else low
        if low is None:
            self._conn.execute("DELETE FROM reading")
        else:
            self._conn.execute("DELETE FROM reading WHERE key > ?", (low,))
