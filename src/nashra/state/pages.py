"""The page database of a site: per page, a digest of its Markdown files.

Kept at ``OUT/.nashra/pages.sqlite3`` (see :mod:`nashra.site.pagebuild`). Records
written before search moved to Pagefind have a third column, ``entries`` (each
page's entries for MkDocs's own search index); it is no longer read or written,
and such a file still opens and serves as the previous build's records.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from itertools import groupby
from operator import itemgetter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from ..errors import BuildError
from .sqlite import WRITE_ROWS, paged, transaction


#: SQL: a docs file (``relative``) named PAGE.LANG.md (every page's files), and its page.
_PAGE_FILE = "relative GLOB '*?.[a-z][a-z].md'"
_PAGE_OF_FILE = "substr(relative, 1, length(relative) - 6)"
#: SQL: a docs file of a page left out.
_LEFT_OUT = f"{_PAGE_FILE} AND {_PAGE_OF_FILE} IN (SELECT page FROM left_out)"
#: The key of ``meta`` naming the records a store was carried forward from (:meth:`PageStore.carried_forward`).
CARRIED_FROM = "carried_from"


class PageStore:
    """Per page: a digest of its Markdown files (both languages).

    While a site is built, the store also lists the docs folder's pages
    (``found``: page, digest, its files), so that no list of the whole site is
    held in memory.
    """

    def __init__(self, path: Path, unsynced: bool = False) -> None:
        """``unsynced``: a store being made in a build's staging folder, whose writes are not flushed to the
        disk one by one (a power cut loses the staging folder anyway; a killed process loses nothing the
        system was given). The next write of a store opened without it flushes the whole file, as a build
        does before it publishes the store."""
        self.path = path
        try:
            self._conn = sqlite3.connect(path, isolation_level=None)
            if unsynced:
                self._conn.execute("PRAGMA synchronous=OFF")
            # Each page: the digest of its Markdown files and, for an article or story page rendered since its row was
            # written, its search key (nashra.site.search.search_key), which its search part's digest takes. A row
            # written again (the page changed) has no key until the page is rendered.
            self._conn.execute("CREATE TABLE IF NOT EXISTS pages (page TEXT PRIMARY KEY, digest TEXT, search TEXT)")
            if not self._has_search_keys("main"):  # records of a version before the keys
                self._conn.execute("ALTER TABLE pages ADD COLUMN search TEXT")
            self._conn.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
            self._conn.execute("CREATE TEMP TABLE IF NOT EXISTS files (relative TEXT PRIMARY KEY, page TEXT, digest TEXT,"
                               " size INTEGER)")
            # settle_pages reads the files a page of pages at a time, by page: without this index each of those
            # queries grouped every file after the last page read (quadratic in the archive's pages).
            self._conn.execute("CREATE INDEX IF NOT EXISTS temp.files_page ON files (page)")
            # Each docs file's stamp (device, inode, size, modification time) and digest: a file of the next
            # build with the same stamp (linked from these docs) has the same digest, and is not read.
            self._conn.execute("CREATE TABLE IF NOT EXISTS file_stamps (relative TEXT PRIMARY KEY, stamp TEXT,"
                               " digest TEXT)")
            # Records carried forward: the docs files their build dropped (drop_unlisted), which the published docs
            # lose (nashra.site.inplace.removed_docs reads them instead of comparing every file's row).
            self._conn.execute("CREATE TABLE IF NOT EXISTS dropped_files (relative TEXT PRIMARY KEY) WITHOUT ROWID")
            self._conn.execute("CREATE TEMP TABLE IF NOT EXISTS found (page TEXT PRIMARY KEY, digest TEXT, files TEXT,"
                               " size INTEGER)")
            # The archive's parts (nashra.site.archive_parts): each search part's and each sitemap's
            # digest, and while the site is finished, each page's search part, month and date.
            self._conn.execute("CREATE TABLE IF NOT EXISTS search_parts (part TEXT PRIMARY KEY, digest TEXT)")
            self._conn.execute("CREATE TABLE IF NOT EXISTS sitemaps (month TEXT PRIMARY KEY, digest TEXT)")
            self._conn.execute("CREATE TEMP TABLE IF NOT EXISTS page_parts (page TEXT PRIMARY KEY, part TEXT,"
                               " month TEXT, lastmod TEXT)")
            # While a site is built: the pages left out of it (compact entries); where the records are carried
            # forward, the docs files kept from the published docs and the pages the build changes.
            # Without a rowid: one tree, not a table and its index (the left out pages are most of a year's archive).
            self._conn.execute("CREATE TEMP TABLE IF NOT EXISTS left_out (page TEXT PRIMARY KEY) WITHOUT ROWID")
            self._conn.execute("CREATE TEMP TABLE IF NOT EXISTS kept (relative TEXT PRIMARY KEY, stamp TEXT)"
                               " WITHOUT ROWID")
            self._conn.execute("CREATE TEMP TABLE IF NOT EXISTS reopened (page TEXT PRIMARY KEY) WITHOUT ROWID")
        except sqlite3.Error as exc:
            raise BuildError(f"cannot open the page records {path}: {exc}") from None

    def _has_search_keys(self, schema: str) -> bool:
        """Whether the pages of ``schema`` (these records, "main", or the attached "previous") have search keys."""
        return "search" in {row[1] for row in self._conn.execute(f"PRAGMA {schema}.table_info(pages)")}

    def get_meta(self, key: str) -> str | None:
        row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self._conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def _many(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        with transaction(self._conn):
            self._conn.executemany(sql, rows)

    def add_files(self, rows: list[tuple[str, str, str, str]]) -> None:
        """Docs files found: (path in docs, page, digest of path and content, stamp: device, inode, size and
        modification time)."""
        with transaction(self._conn):
            self._conn.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?)",
                                   [(*row[:3], int(row[3].split(":")[2])) for row in rows])
            self._conn.executemany("INSERT OR REPLACE INTO file_stamps VALUES (?, ?, ?)",
                                   [(relative, stamp, digest) for relative, _, digest, stamp in rows])

    def attach_known(self, other: Path) -> bool:
        """Attach another build's records to look up its files' digests (:meth:`known_digest`); False when they
        have none."""
        try:
            self._conn.execute("ATTACH DATABASE ? AS known", (str(other),))
        except sqlite3.Error:
            return False
        try:
            found = self._conn.execute("SELECT 1 FROM known.sqlite_master WHERE name = 'file_stamps'").fetchone()
        except sqlite3.Error:
            found = None
        if found is None:
            self._conn.execute("DETACH DATABASE known")
            return False
        return True

    def known_digest(self, relative: str, stamp: str) -> str | None:
        """The digest the attached build's records give a docs file of this stamp, if any."""
        row = self._conn.execute("SELECT digest FROM known.file_stamps WHERE relative = ? AND stamp = ?",
                                 (relative, stamp)).fetchone()
        return row[0] if row else None

    def has_docs_files(self) -> bool:
        """Whether these records list their docs files (records of a version before those lists do not)."""
        return self._conn.execute("SELECT 1 FROM file_stamps LIMIT 1").fetchone() is not None

    def known_stamps(self, relatives: list[str]) -> dict[str, tuple[str, str]]:
        """The attached build's records of these docs files: relative path -> (stamp, digest)."""
        rows = self._conn.execute("SELECT relative, stamp, digest FROM known.file_stamps WHERE relative IN"
                                  f" ({','.join('?' * len(relatives))})", relatives)
        return {relative: (stamp, digest) for relative, stamp, digest in rows}

    def detach_known(self) -> None:
        self._conn.execute("DETACH DATABASE known")

    def settle_pages(self) -> int:
        """Turn the files found into pages with one digest each; return how many pages."""
        rows: list[tuple[str, str, str, int]] = []
        count = 0
        for page, joined, size in paged(self._conn, "SELECT page, group_concat(relative || ' ' || digest, '\n'),"
                                                    " sum(size) FROM files WHERE page > ? GROUP BY page ORDER BY page"
                                                    " LIMIT ?"):
            files = sorted(line.split(" ") for line in joined.split("\n"))
            digest = hashlib.sha256("".join(f"{relative}\0{file_digest}\n" for relative, file_digest in files).encode())
            rows.append((page, digest.hexdigest(), "\n".join(relative for relative, _ in files), size))
            if len(rows) >= WRITE_ROWS:  # written between pages of the query (see nashra.state.sqlite.paged)
                count += self._add_found(rows)
        return count + self._add_found(rows)

    def _add_found(self, rows: list[tuple[str, str, str, int]]) -> int:
        self._many("INSERT OR REPLACE INTO found VALUES (?, ?, ?, ?)", rows)
        count = len(rows)
        rows.clear()
        return count

    def found(self, unrendered: bool = False, previous: bool = False) -> Iterator[tuple[str, str, list[str]]]:
        """Pages found, by name: (page, digest, files). ``unrendered``: only those not in ``pages`` yet;
        ``previous``: only those whose digest equals their digest in the attached previous store."""
        condition = " AND page NOT IN (SELECT page FROM pages)" if unrendered else ""
        if previous:
            condition += " AND digest = (SELECT p.digest FROM previous.pages p WHERE p.page = found.page)"
        for page, digest, files in paged(self._conn, f"SELECT page, digest, files FROM found WHERE page > ?{condition}"
                                               " ORDER BY page LIMIT ?"):
            yield page, digest, files.split("\n")

    def unrendered_sizes(self) -> Iterator[tuple[str, list[str], int]]:
        """The pages found and not yet in ``pages``, by name: (page, files, their bytes)."""
        for page, files, size in paged(self._conn, "SELECT page, files, size FROM found WHERE page > ?"
                                                   " AND page NOT IN (SELECT page FROM pages) ORDER BY page LIMIT ?"):
            yield page, files.split("\n"), size or 0

    def _fill(self, table: str, rows: Iterable[tuple[Any, ...]], columns: int = 1) -> None:
        """Insert ``rows`` into ``table``, a temporary table of this build, in one transaction (streamed: SQLite
        takes the rows one at a time)."""
        with transaction(self._conn):
            self._conn.executemany(f"INSERT OR IGNORE INTO {table} VALUES ({','.join('?' * columns)})", rows)

    def note_left_out(self, pages: Iterable[str]) -> None:
        """Note ``pages`` as not part of the site (:meth:`leave_out` drops them from the pages found)."""
        self._fill("left_out", ((page,) for page in pages))

    def leave_out(self) -> int:
        """Drop the pages noted left out from the pages found; return how many pages are noted left out."""
        with transaction(self._conn):
            self._conn.execute("DELETE FROM found WHERE page IN (SELECT page FROM left_out)")
            self._conn.execute("DELETE FROM files WHERE page IN (SELECT page FROM left_out)")
        return int(self._conn.execute("SELECT count(*) FROM left_out").fetchone()[0])

    def file_pages(self) -> list[str]:
        """The pages of the docs files added (:meth:`add_files`), by name."""
        return [page for (page,) in self._conn.execute("SELECT DISTINCT page FROM files ORDER BY page")]

    # -- carried forward: the previous build's records, changed where this build changes something ---------------

    @classmethod
    def carried_forward(cls, previous: Path, path: Path) -> PageStore:
        """New records at ``path``, a copy of the previous build's at ``previous``, written in a staging folder
        (``unsynced``, see :meth:`__init__`). Made where a build publishes in place over the previous site: it
        then changes only the rows of the pages it changes (:meth:`note_kept`, :meth:`drop_unlisted`,
        :meth:`reopen_pages`), where a new store records every page of the archive.

        The file is copied as it is when no journal lies beside it (nothing is being written to it, and it holds
        every write committed: 0.03 s for a year's archive, against 0.13 s page by page through SQLite)."""
        if not any(previous.with_name(previous.name + suffix).exists() for suffix in ("-journal", "-wal")):
            try:
                shutil.copyfile(previous, path)
            except OSError as exc:
                raise BuildError(f"cannot copy the page records {previous}: {exc}") from None
            return cls(path, unsynced=True)._carried_from(previous)
        try:
            source = sqlite3.connect(previous)
            try:
                target = sqlite3.connect(path)
                try:
                    target.execute("PRAGMA synchronous=OFF")
                    source.backup(target)
                finally:
                    target.close()
            finally:
                source.close()
        except sqlite3.Error as exc:
            raise BuildError(f"cannot copy the page records {previous}: {exc}") from None
        return cls(path, unsynced=True)._carried_from(previous)

    def _carried_from(self, previous: Path) -> PageStore:
        with transaction(self._conn):
            self._conn.execute("DELETE FROM dropped_files")
            self._conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (CARRIED_FROM, str(previous)))
        return self

    def dropped_since(self, previous: Path) -> list[str] | None:
        """The docs files these records, carried forward from ``previous``, dropped (:meth:`drop_unlisted`); None
        when they were not carried forward from it."""
        if self.get_meta(CARRIED_FROM) != str(previous):
            return None
        return [relative for (relative,) in self._conn.execute("SELECT relative FROM dropped_files ORDER BY relative")]

    def note_kept(self, listing: Path) -> list[tuple[str, str]]:
        """Note the Markdown files kept from the published docs, as ``listing`` lists them
        (:class:`nashra.site.inplace.Kept`: a table ``kept`` of relative paths and stamps); return those whose stamp
        is not the one recorded (changed since, or not recorded): their digests are to be made again."""
        # Each kept file's recorded stamp read from an index (made once, in the records being carried forward)
        # instead of the table's row: 0.49 s → 0.07 s for the 250,000 docs files of 100,000 articles.
        self._conn.execute("CREATE INDEX IF NOT EXISTS file_stamps_stamp ON file_stamps (relative, stamp)")
        self._conn.execute("ATTACH DATABASE ? AS listing", (str(listing),))
        try:
            with transaction(self._conn):
                self._conn.execute("INSERT OR IGNORE INTO temp.kept SELECT relative, stamp FROM listing.kept"
                                   " WHERE relative GLOB '*.md'")
        finally:
            self._conn.execute("DETACH DATABASE listing")
        return self._conn.execute("SELECT k.relative, k.stamp FROM kept k LEFT JOIN file_stamps f INDEXED BY"
                                  " file_stamps_stamp USING (relative) WHERE f.stamp IS NOT k.stamp").fetchall()

    def keep_left_out(self) -> None:
        """Copy into this new store the attached previous build's records (:meth:`attach_known`) of the docs files
        of the pages left out (:meth:`note_left_out`) that this build neither found nor listed (:meth:`add_files`):
        kept as they are, as :meth:`drop_unlisted` keeps them in records carried forward."""
        with transaction(self._conn):
            self._conn.execute(f"INSERT OR IGNORE INTO file_stamps SELECT relative, stamp, digest FROM known.file_stamps"
                               f" WHERE {_LEFT_OUT} AND relative NOT IN (SELECT relative FROM files)")

    def drop_unlisted(self) -> list[str]:
        """Drop the recorded docs files that are neither kept (:meth:`note_kept`) nor found (:meth:`add_files`)
        nor files of a page left out (:meth:`note_left_out`): files the published docs lose. Return them.

        A build published in place does not list the docs of the unchanged articles that gave way to compact
        entries (nothing renders them: most of a year's archive, 190,000 files a daily build looked at, 0.8 s);
        they stay as they are in the published docs, and as recorded here."""
        with transaction(self._conn):
            gone = [relative for (relative,) in self._conn.execute(
                "SELECT relative FROM file_stamps WHERE relative NOT IN (SELECT relative FROM kept)"
                f" AND relative NOT IN (SELECT relative FROM files) AND NOT ({_LEFT_OUT})")]
            self._conn.executemany("DELETE FROM file_stamps WHERE relative = ?", [(relative,) for relative in gone])
            self._conn.executemany("INSERT OR IGNORE INTO dropped_files VALUES (?)", [(relative,) for relative in gone])
        return gone

    def carried_pages(self) -> Iterator[str]:
        """The pages recorded with the previous site that this build has not changed (none of their files found,
        none dropped) nor left out, by name."""
        for (page,) in paged(self._conn, "SELECT page FROM pages WHERE page > ? AND page NOT IN (SELECT page FROM"
                                         " reopened) AND page NOT IN (SELECT page FROM left_out) ORDER BY page"
                                         " LIMIT ?"):
            yield page

    def note_reopened(self, pages: Iterable[str]) -> None:
        """Note ``pages`` as changed by this build (:meth:`reopen_pages` takes them out of the recorded pages)."""
        self._fill("reopened", ((page,) for page in pages))

    def unrecorded_pages(self, page_of: Callable[[str], str]) -> list[str]:
        """The pages of the recorded docs files (``page_of`` a file's path) that the recorded pages lack and that are
        neither changed nor left out: pages of the docs the previous site did not have (given up for compact
        entries under an earlier budget, say)."""
        self._conn.create_function("nashra_page", 1, page_of, deterministic=True)
        # A file named PAGE.LANG.md (every page's file) is taken apart in SQL; ``page_of`` is called for the others
        # only (a call a file cost 0.3 s over the 250,000 docs files of a year's archive).
        return [page for (page,) in self._conn.execute(
            f"SELECT DISTINCT page FROM (SELECT CASE WHEN {_PAGE_FILE}"
            f" THEN {_PAGE_OF_FILE} ELSE nashra_page(relative) END AS page FROM file_stamps)"
            " WHERE page NOT IN (SELECT page FROM pages) AND page NOT IN (SELECT page FROM reopened)"
            " AND page NOT IN (SELECT page FROM left_out)")]

    def reopen_pages(self, page_of: Callable[[str], str]) -> None:
        """Take the pages noted changed, and those left out, out of the recorded pages, and list every recorded docs
        file of a changed page with the files found, to be settled into pages again (:meth:`settle_pages`)."""
        rows: list[tuple[str, str, str, int]] = []
        with transaction(self._conn):
            self._conn.execute("DELETE FROM pages WHERE page IN (SELECT page FROM reopened)"
                               " OR page IN (SELECT page FROM left_out)")
            for (page,) in self._conn.execute("SELECT page FROM reopened").fetchall():
                # A page's files are named after it (PAGE.LANG.md): they lie between "PAGE." and "PAGE/".
                for relative, stamp, digest in self._conn.execute(
                        "SELECT relative, stamp, digest FROM file_stamps WHERE relative > ? AND relative < ?"
                        " AND relative NOT IN (SELECT relative FROM files)", (f"{page}.", f"{page}/")):
                    if page_of(relative) == page:
                        rows.append((relative, page, digest, int(stamp.split(":")[2])))
            self._conn.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?)", rows)

    def unrendered_files(self) -> int:
        """How many docs files the pages found but not yet in ``pages`` have."""
        row = self._conn.execute("SELECT sum(length(files) - length(replace(files, char(10), '')) + 1) FROM found"
                                 " WHERE page NOT IN (SELECT page FROM pages)").fetchone()
        return int(row[0] or 0)

    def unrendered_bytes(self) -> int:
        """How many bytes the docs files of the pages found but not yet in ``pages`` hold."""
        row = self._conn.execute("SELECT sum(size) FROM found WHERE page NOT IN (SELECT page FROM pages)").fetchone()
        return int(row[0] or 0)

    def files_of(self, page: str) -> list[str]:
        row = self._conn.execute("SELECT files FROM found WHERE page = ?", (page,)).fetchone()
        return row[0].split("\n") if row else []

    def attach_previous(self, other: Path) -> None:
        self._conn.execute("ATTACH DATABASE ? AS previous", (str(other),))

    def detach_previous(self) -> None:
        self._conn.execute("DETACH DATABASE previous")

    def copy_previous(self, pages: list[str]) -> None:
        """Take the rows of ``pages`` from the attached previous store, with their search keys."""
        marks = ",".join("?" * len(pages))
        search = "search" if self._has_search_keys("previous") else "NULL"  # records of a version before the keys
        with transaction(self._conn):
            self._conn.execute(f"INSERT OR REPLACE INTO pages (page, digest, search) SELECT page, digest, {search}"
                               f" FROM previous.pages WHERE page IN ({marks})", pages)

    def take_rendered(self, pages: Iterable[str]) -> None:
        """Record ``pages``, just rendered, with the digests found for them."""
        self._many("INSERT OR REPLACE INTO pages (page, digest) SELECT page, digest FROM found WHERE page = ?",
                   [(page,) for page in pages])

    def set_search_keys(self, keys: Iterable[tuple[str, str]]) -> None:
        """Record the search keys of pages just rendered (:meth:`take_rendered`): (page, key)."""
        self._many("UPDATE pages SET search = ? WHERE page = ?", [(key, page) for page, key in keys])

    def add_page_parts(self, rows: list[tuple[str, str | None, str, str | None]]) -> None:
        """Pages and where they lie in the archive: (page, search part or None, month, date or None)."""
        self._many("INSERT OR REPLACE INTO page_parts VALUES (?, ?, ?, ?)", rows)

    def _digests(self, sql: str, signature: str) -> dict[str, str]:
        """Each group's digest: of ``signature`` and of its rows in the order selected. ``sql`` selects the group
        (its rows together), then each row as one text: its values joined by NUL (a missing one as "None"), a
        newline after — made in SQL, hashed a group at a time (a site's pages by the hundred thousand)."""
        head = signature.encode() + b"\n"
        return {group: hashlib.sha256(head + "".join(line for _, line in rows).encode()).hexdigest()
                for group, rows in groupby(self._conn.execute(sql), key=itemgetter(0))}

    def part_digests(self, signature: str) -> dict[str, str]:
        """Each search part's digest: of ``signature`` and of its pages' names and search keys, or Markdown digests
        where a page has no key."""
        return self._digests("SELECT part, page || char(0) || coalesce('key ' || search, digest, 'None') || char(10)"
                             " FROM page_parts JOIN pages USING (page) WHERE part IS NOT NULL ORDER BY part, page",
                             signature)

    def month_digests(self, signature: str) -> dict[str, str]:
        """Each month's digest (for its sitemap): of ``signature`` and of its pages' names and dates."""
        return self._digests("SELECT month, page || char(0) || coalesce(lastmod, 'None') || char(10) FROM page_parts"
                             " JOIN pages USING (page) ORDER BY month, page", signature)

    def part_pages(self, part: str) -> Iterator[str]:
        """The pages of a search part, by name."""
        for (page,) in paged(self._conn, "SELECT page FROM page_parts JOIN pages USING (page) WHERE page > ?"
                                         " AND part = ? ORDER BY page LIMIT ?", "", part):
            yield page

    def month_pages(self, month: str) -> Iterator[tuple[str, str | None]]:
        """The pages of a month with their dates, by name."""
        for page, lastmod in paged(self._conn, "SELECT page, lastmod FROM page_parts JOIN pages USING (page)"
                                               " WHERE page > ? AND month = ? ORDER BY page LIMIT ?", "", month):
            yield page, lastmod

    def month_counts(self) -> dict[str, int]:
        """How many pages each month has."""
        return dict(self._conn.execute("SELECT month, count(*) FROM page_parts JOIN pages USING (page)"
                                       " GROUP BY month").fetchall())

    def month_newest(self) -> dict[str, str | None]:
        """Each month's newest date."""
        return dict(self._conn.execute("SELECT month, max(lastmod) FROM page_parts JOIN pages USING (page)"
                                       " GROUP BY month").fetchall())

    def _set_digests(self, table: str, digests: dict[str, str]) -> None:
        with transaction(self._conn):
            self._conn.execute(f"DELETE FROM {table}")
            self._conn.executemany(f"INSERT INTO {table} VALUES (?, ?)", sorted(digests.items()))

    def set_search_parts(self, digests: dict[str, str]) -> None:
        """Record the search parts of the site and their digests (replacing the previous ones)."""
        self._set_digests("search_parts", digests)

    def search_parts(self) -> dict[str, str]:
        """The search parts recorded with the site and their digests."""
        return dict(self._conn.execute("SELECT part, digest FROM search_parts").fetchall())

    def set_sitemaps(self, digests: dict[str, str]) -> None:
        """Record the months of the site's sitemaps and their digests (replacing the previous ones)."""
        self._set_digests("sitemaps", digests)

    def sitemaps(self) -> dict[str, str]:
        """The sitemaps' months recorded with the site and their digests."""
        return dict(self._conn.execute("SELECT month, digest FROM sitemaps").fetchall())

    def close(self) -> None:
        self._conn.close()

