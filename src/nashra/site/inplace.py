"""Publishing in place: a build stages what it changes, and a journal applies it to the published site.

A daily build of a large archive changes a few dozen of its hundreds of
thousands of files. Making the new docs and site whole beside the old ones
(every unchanged file linked into them, the old folders removed) made each
daily build touch every file of the archive. Instead the staging folder holds
only the files the build wrote (its Markdown, the HTML it rendered, feeds,
sitemaps, the search parts it indexed), and the build lists what it keeps of
the published folders (:class:`Kept`) and what it removes from them
(:func:`removed_docs`, :func:`removed_site`).

Publishing is a roll-forward journal: the lists of files to remove are
written into the staging folder, then the mark :data:`JOURNAL` says that the
staging is complete; only then are its files moved into the published folders
(a rename each, replacing the old file) and the listed files removed
(:func:`apply`). A build killed before the mark leaves the published site as
it was (the staging is removed or salvaged, see
:func:`nashra.site.build.recover`); killed while applying, the next build
applies the rest of the journal before anything else, so the site becomes the
new one whole. Every step of :func:`apply` can be done twice.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from ..state.pages import PageStore
from .labels import LANGUAGES
from .search import PARTS_DIR
from .urls import (ARCHIVE_DIR, ARTICLES_DIR, HOME, SEARCH_BUNDLE_DIR, SOURCES_DIR, STORIES_DIR, html_file,
                   site_path)

log = logging.getLogger(__name__)

#: The mark, in a staging folder, that its files are to be published (written last).
JOURNAL = "publish.journal"
#: In a staging folder: the docs files and the site files the build removes, one relative path a line.
REMOVED = {"docs": "docs.removed", "site": "site.removed"}
#: Folders (in docs, and in each language's root of the site) that hold pages only, listed by the page records.
PAGE_FOLDERS = (ARTICLES_DIR, STORIES_DIR, ARCHIVE_DIR, SOURCES_DIR)
#: The page records' key of the site's size: "bytes files".
SIZE_KEY = "site_size"


def docs_stamp(info: os.stat_result) -> str:
    """A docs file's stamp as the page records keep it (device, inode, size, modification time): a file kept from
    the published docs (:class:`Kept`) is compared with what a build recorded of it (``pagebuild._scan``)."""
    return f"{info.st_dev}:{info.st_ino}:{info.st_size}:{info.st_mtime_ns}"


class Kept:
    """Files of a published folder that a build keeps as they are, with their stamps, listed in a file.

    The list is a table of an SQLite file (``kept``: relative path, stamp), written a batch at a time, so
    that an archive's worth of kept files is never held in memory, and the page records take it in one
    statement (:meth:`nashra.state.pages.PageStore.note_kept`) instead of a row at a time from Python: 0.5 s
    a daily build for the 250,000 docs files of a year's archive, when it was a text file of lines.
    """

    #: Rows written at once.
    BATCH = 2000

    def __init__(self, base: Path, listing: Path) -> None:
        self.base = base
        self.listing = listing
        self.count = 0
        self._prefix = os.path.join(os.fspath(base), "")
        self._rows: list[tuple[str, str]] = []
        listing.unlink(missing_ok=True)
        self._conn: sqlite3.Connection | None = sqlite3.connect(listing, isolation_level=None)
        # A file of the staging folder, made again by any build that needs it: nothing to flush or journal.
        self._conn.execute("PRAGMA journal_mode=OFF")
        self._conn.execute("PRAGMA synchronous=OFF")
        self._conn.execute("CREATE TABLE kept (relative TEXT NOT NULL, stamp TEXT NOT NULL)")

    def keep(self, files: Sequence[str]) -> bool:
        """Keep ``files`` (relative paths) of the published folder; False, none kept, when one of them is not a
        regular file there (a symbolic link is followed to see)."""
        # Called for every page of an archive a daily build keeps (two stats an article): kept lean.
        rows = []
        for relative in files:
            try:
                info = os.stat(self._prefix + relative)
            except (OSError, ValueError):
                return False
            if not stat.S_ISREG(info.st_mode):
                return False
            rows.append((relative, docs_stamp(info)))
        self._rows.extend(rows)
        self.count += len(files)
        if len(self._rows) >= self.BATCH:
            self._write()
        return True

    def _write(self) -> None:
        if self._conn is None:
            raise ValueError(f"{self.listing}: the list of kept files is closed")
        self._conn.execute("BEGIN")
        self._conn.executemany("INSERT INTO kept VALUES (?, ?)", self._rows)
        self._conn.execute("COMMIT")
        self._rows.clear()

    def close(self, write: bool = True) -> None:
        """Write what is left of the list (unless not ``write``: a build that stops) and close it; then it is read
        (:meth:`__iter__`, ``note_kept``)."""
        if self._conn is not None:
            if self._rows and write:
                self._write()
            self._conn.close()
            self._conn = None

    def __iter__(self) -> Iterator[tuple[str, str]]:
        """The files kept, in the order kept: (relative path, stamp)."""
        if self._conn is not None and self._rows:
            self._write()
        conn = sqlite3.connect(self.listing)
        try:
            yield from conn.execute("SELECT relative, stamp FROM kept ORDER BY rowid")
        finally:
            conn.close()


def find(relative: str, *folders: Path | None) -> Path | None:
    """The file ``relative`` in the first of ``folders`` that has it (the staging, then the published folder)."""
    for folder in folders:
        if folder is not None:
            path = folder / relative
            if os.path.isfile(path):
                return path
    return None


# -- what a build removes ----------------------------------------------------------------

def _walk(root: Path, skip: Callable[[str], bool] = lambda _: False) -> Iterator[str]:
    """The files under ``root`` (relative, with "/"), leaving out the folders ``skip`` names (relative)."""
    base = os.fspath(root)
    start = len(os.path.join(base, ""))
    folders = [base]
    while folders:
        try:
            entries = list(os.scandir(folders.pop()))
        except FileNotFoundError:
            continue
        for entry in entries:
            relative = entry.path[start:].replace(os.sep, "/")
            if entry.is_dir(follow_symlinks=False):
                if not skip(relative):
                    folders.append(entry.path)
            else:
                yield relative


def _page_folders(site: bool) -> set[str]:
    if not site:
        return set(PAGE_FOLDERS)
    return {site_path(lang, folder) for lang in LANGUAGES for folder in PAGE_FOLDERS}


def _records(previous_pages: Path, new_pages: Path, query: str) -> Iterator[str]:
    """Rows of ``query`` over the previous page records (``previous``) and the new ones (``main``)."""
    conn = sqlite3.connect(new_pages)
    try:
        conn.execute("ATTACH DATABASE ? AS previous", (os.fspath(previous_pages),))
        for (value,) in conn.execute(query):
            yield value
    finally:
        conn.close()


def removed_docs(previous_docs: Path, staged_docs: Path, previous_pages: Path, new_pages: Path) -> Iterator[str]:
    """The files of the published docs that the new ones do not have: the Markdown of pages no longer made
    (by the page records' files), and the other files (assets) the staging does not have again.

    New records carried forward from the previous ones name the files they dropped; others are compared with
    the previous ones file by file (0.14 s a build for the 250,000 docs files of a year's archive)."""
    records = PageStore(new_pages)
    try:
        dropped = records.dropped_since(previous_pages)
    finally:
        records.close()
    if dropped is not None:
        yield from dropped
    else:
        yield from _records(previous_pages, new_pages, "SELECT relative FROM previous.file_stamps"
                                                       " EXCEPT SELECT relative FROM main.file_stamps")
    folders = _page_folders(site=False)
    for relative in _walk(previous_docs, lambda folder: folder in folders):
        if not relative.endswith(".md") and not (staged_docs / relative).exists():
            yield relative


def removed_site(previous_site: Path, staged_site: Path, previous_pages: Path, new_pages: Path,
                 kept_files: Iterable[str], bundles: Iterable[str]) -> Iterator[str]:
    """The files of the published site that the new one does not have.

    The HTML of pages no longer in the site (by the page records: articles gone, or given up for compact
    entries); of the files outside the page folders and the search bundle (the theme's, the feeds, the
    sitemaps), those neither written again nor in ``kept_files``; in each search bundle folder of
    ``bundles`` (indexed again, or no longer in the site), the files the staging does not have.
    """
    for page in _records(previous_pages, new_pages, "SELECT page FROM previous.pages EXCEPT SELECT page FROM main.pages"):
        for lang in LANGUAGES:
            yield html_file(page, lang)
    folders = _page_folders(site=True) | {SEARCH_BUNDLE_DIR}
    kept = set(kept_files) | {html_file(HOME, lang) for lang in LANGUAGES}
    for relative in _walk(previous_site, lambda folder: folder in folders):
        if relative not in kept and not (staged_site / relative).exists():
            yield relative
    for bundle in bundles:
        # The main bundle's folder holds the other parts' bundles (each a unit of its own) in PARTS_DIR.
        main = bundle == SEARCH_BUNDLE_DIR
        for relative in _walk(previous_site / bundle, lambda folder: main and folder == PARTS_DIR):
            path = f"{bundle}/{relative}"
            if not (staged_site / path).exists():
                yield path


def write_list(path: Path, lines: Iterable[str]) -> int:
    """Write ``lines`` into ``path``, one a line; return how many."""
    count = 0
    with path.open("w", encoding="utf-8") as out:
        for line in lines:
            out.write(f"{line}\n")
            count += 1
    return count


def read_list(path: Path) -> Iterator[str]:
    if path.is_file():
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                if line.strip("\n"):
                    yield line.rstrip("\n")


# -- what the site weighs after ------------------------------------------------------------

def size_change(staged_site: Path, previous_site: Path, removed: Iterable[str]) -> tuple[int, int]:
    """How many bytes and files publishing the staged site adds to the published one (negative: frees)."""
    change_bytes = change_files = 0
    for relative in _walk(staged_site):
        change_bytes += os.stat(staged_site / relative).st_size
        change_files += 1
        try:
            change_bytes -= os.stat(previous_site / relative).st_size
            change_files -= 1
        except FileNotFoundError:
            pass
    for relative in removed:
        try:
            change_bytes -= os.stat(previous_site / relative).st_size
            change_files -= 1
        except FileNotFoundError:
            pass
    return change_bytes, change_files


# -- applying ----------------------------------------------------------------------------

def _move_all(source: Path, target: Path) -> int:
    """Move every file under ``source`` to the same place under ``target``, replacing what is there; a folder
    ``target`` lacks is moved whole. Return how many files and folders were moved."""
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        os.rename(source, target)
        return 1
    moved = 0
    pending = [(os.fspath(source), os.fspath(target))]
    while pending:
        here, there = pending.pop()
        for entry in list(os.scandir(here)):
            destination = os.path.join(there, entry.name)
            if entry.is_dir(follow_symlinks=False):
                if os.path.isdir(destination):
                    pending.append((entry.path, destination))
                    continue
            os.replace(entry.path, destination)
            moved += 1
    return moved


def _remove_listed(listing: Path, root: Path) -> int:
    """Remove the files ``listing`` names from ``root`` (those already gone are skipped), and the folders
    that leaves empty."""
    removed = 0
    folders: set[str] = set()
    for relative in read_list(listing):
        try:
            os.unlink(root / relative)
            removed += 1
        except FileNotFoundError:
            pass
        parent = os.path.dirname(relative)
        if parent:
            folders.add(parent)
    for folder in sorted(folders, key=len, reverse=True):
        while folder:
            try:
                os.rmdir(root / folder)
            except OSError:
                break
            folder = os.path.dirname(folder)
    return removed


def commit(staging: Path, in_place: bool = True) -> None:
    """Mark ``staging`` as complete: from now on its files are published, by this build or the next.
    ``in_place``: over the published folders; otherwise its folders replace them whole."""
    partial = staging / f"{JOURNAL}.part"
    partial.write_text(f"nashra publish journal 1\n{_IN_PLACE if in_place else _WHOLE}\n", encoding="utf-8")
    os.replace(partial, staging / JOURNAL)


_IN_PLACE, _WHOLE = "in place", "whole"


def committed(staging: Path) -> bool:
    return (staging / JOURNAL).is_file()


def apply_folder(staging: Path, out_dir: Path, name: str, in_place: bool) -> None:
    """Publish the staged ``name`` folder (docs or site): in place, its files moved in and the listed files
    removed; otherwise the folder swapped in whole for the published one."""
    staged, final = staging / name, out_dir / name
    if not in_place:
        if staged.is_dir():
            _swap_in(staged, final)
        return
    if staged.is_dir():
        _move_all(staged, final)
    _remove_listed(staging / REMOVED[name], final)
    (staging / REMOVED[name]).unlink(missing_ok=True)


def apply(staging: Path, out_dir: Path, pages_file: Path, pages_db: str,
          between: Callable[[], None] = lambda: None) -> None:
    """Apply a committed staging to ``out_dir``: docs, then ``between()``, then the site, the page records
    (``pages_db`` in the staging, to ``pages_file``) and the MkDocs configuration; the journal's mark last."""
    in_place = _IN_PLACE in (staging / JOURNAL).read_text(encoding="utf-8").splitlines()
    apply_folder(staging, out_dir, "docs", in_place)
    between()
    apply_folder(staging, out_dir, "site", in_place)
    staged_pages = staging / pages_db
    if staged_pages.is_file():
        pages_file.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staged_pages, pages_file)
    config = staging / "mkdocs.yml"
    if config.is_file():
        os.replace(config, out_dir / "mkdocs.yml")
    (staging / JOURNAL).unlink(missing_ok=True)


#: A published folder being replaced whole is first renamed with this suffix (and the process id).
OLD_SUFFIX = ".old-"


def _swap_in(new: Path, final: Path) -> None:
    """Replace ``final`` with ``new`` (``final`` may not exist): ``final`` renamed to ``final.old-PID``, ``new``
    to ``final``, the old one removed. Done again after a crash between the renames, it finishes the swap."""
    if final.exists():
        old = final.with_name(f"{final.name}{OLD_SUFFIX}{os.getpid()}")
        final.rename(old)
        new.rename(final)
        remove_tree(old)
    else:
        final.parent.mkdir(parents=True, exist_ok=True)
        new.rename(final)


def remove_tree(path: Path) -> None:
    """Delete ``path`` and everything in it, as ``shutil.rmtree(path, ignore_errors=True)`` does, but
    reading each folder entry by entry: ``rmtree`` lists a whole folder at once, which for an
    archive's pages is tens of thousands of names. Symbolic links are removed, never followed."""
    pending: list[tuple[str, bool]] = [(os.fspath(path), False)]
    while pending:
        folder, emptied = pending.pop()
        if emptied:
            try:
                os.rmdir(folder)
            except OSError as exc:
                log.debug("cannot remove %s: %s", folder, exc)
            continue
        pending.append((folder, True))
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    try:
                        if entry.is_dir(follow_symlinks=False):
                            pending.append((entry.path, False))
                        else:
                            os.unlink(entry.path)
                    except OSError as exc:
                        log.debug("cannot remove %s: %s", entry.path, exc)
        except OSError as exc:
            log.debug("cannot read %s: %s", folder, exc)
