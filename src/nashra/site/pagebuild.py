"""Build the site's HTML from its docs folder with MkDocs: in parts, reusing unchanged pages.

MkDocs keeps every page of a build in memory and renders every page on every
build. Nashra gives it the docs in parts of about :data:`PART_FILES` files,
each part with the home, archive and sources pages so that the navigation
resolves, and keeps a digest of each page's Markdown in a small database
beside the site (:mod:`nashra.state.pages`). A site of
several parts is rendered by worker processes, a few parts at a time, each
process rendering one part and exiting: memory is that of the parts being
rendered, whatever the size of the archive and however many parts came
before. A page whose Markdown is unchanged since the previous build, under
the same site configuration and versions, is not rendered again: its HTML
is taken from the previous site, so a build that adds
one article renders the pages that changed. The search index is Pagefind's,
made from the finished HTML (:mod:`nashra.site.search`).
"""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
import os
import shutil
import signal
import sqlite3
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from ..cpus import available_cpus
from ..errors import BuildError
from ..signatures import PageSignature
from ..state.pages import PageStore
from ..state.sqlite import WRITE_ROWS
from .inplace import Kept, docs_stamp
from .mkdocs_adapter import HOOK_MODULES, RENDERER_LOGGERS, RENDERER_PACKAGES, run_mkdocs
from .progress import step
from .search import search_key
from .search_stems import stemmer_sources
from .labels import LANGUAGES
from .urls import ARCHIVE_INDEX, ARTICLES_DIR, HOME, SOURCES_INDEX, STORIES_DIR, html_file, split_docs_file

log = logging.getLogger(__name__)

#: Docs files MkDocs renders in one run, at most.
PART_FILES = 2000
#: Bytes of Markdown MkDocs renders in one run, at most (MkDocs holds a run's pages in memory, and the
#: archive's day pages of compact entries are a hundred times an article page's size).
PART_BYTES = 32 * 1024 * 1024
#: Pages in every part: the navigation's sections (without the language suffix).
CORE_PAGES = (HOME, ARCHIVE_INDEX, SOURCES_INDEX)
#: The pages the search index holds, whose search keys are recorded as they are rendered (nashra.site.search_parts).
_SEARCHED = (f"{ARTICLES_DIR}/", f"{STORIES_DIR}/")
#: The database that describes the HTML pages of a site, kept at OUT/.nashra/pages.sqlite3.
PAGES_DB = "pages.sqlite3"
#: The page records' layout (their tables and what their rows mean), kept in their ``meta`` under LAYOUT_KEY: a
#: build carries forward only the records of its own layout (those of an older version are made anew).
LAYOUT_KEY, LAYOUT = "layout", "2"


@dataclass
class PageReport:
    """What the HTML build did."""

    rendered: int = 0  #: pages (one per language) rendered by MkDocs
    reused: int = 0  #: pages whose HTML came from the previous site
    parts: int = 0  #: MkDocs runs
    left_out: int = 0  #: pages whose docs are left out of the site (see nashra.site.budget)
    read_files: int = 0  #: Markdown files read for their digests (the others' came from the previous records)
    salvaged: int = 0  #: of the pages reused, those a killed build had rendered (see nashra.site.build.recover)


def site_signature(config_file: Path) -> PageSignature:
    """What every page's HTML depends on besides its Markdown: the hooks MkDocs runs, the renderer's
    versions and the site's configuration.

    The configuration names the hooks file where Nashra is installed: its content counts (above), not
    where it lies, so that a new environment (a scheduled job's new Python, a virtualenv made again
    elsewhere) does not render every page again.
    """
    package = resources.files("nashra.site")
    hooks = [package.joinpath(module).read_bytes() for module in HOOK_MODULES]
    hooks += stemmer_sources()  # Arabic pages carry their words' search stems
    config = config_file.read_bytes().replace(os.fsencode(str(package.joinpath("hooks.py"))), b"hooks.py")
    return PageSignature.of(hooks, ("nashra", *RENDERER_PACKAGES), config)




def default_jobs() -> int:
    """Processes rendering HTML at once by default: one per CPU this process may use, at most 4."""
    return max(1, min(4, available_cpus()))


class _Here:
    """Runs each part in this process: a site of one part needs no other process."""

    def submit(self, function: Callable[..., Any], *args: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(function(*args))
        except Exception as exc:  # noqa: BLE001 - handed over as the pool's futures do
            future.set_exception(exc)
        return future

    def __enter__(self) -> _Here:
        return self

    def __exit__(self, *_: object) -> None:
        return None


def _start_worker(levels: dict[str, int], fmt: str) -> None:
    """Set up a rendering process: the parent's log levels; Ctrl-C ends it quietly (the parent reports)."""
    signal.signal(signal.SIGINT, lambda *_: os._exit(130))
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter(fmt))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    for name, level in levels.items():
        logging.getLogger(name or None).setLevel(level)


def _workers(count: int) -> Any:
    """Processes that render one part each and then exit, so that no part's memory stays for the next."""
    from concurrent.futures import ProcessPoolExecutor

    root = logging.getLogger()
    levels = {name: logging.getLogger(name or None).level for name in ("", *RENDERER_LOGGERS)}
    formatter = root.handlers[0].formatter if root.handlers else None
    fmt = getattr(formatter, "_fmt", None) or "%(message)s"
    return ProcessPoolExecutor(max_workers=count, mp_context=multiprocessing.get_context("spawn"),
                               max_tasks_per_child=1, initializer=_start_worker, initargs=(levels, fmt))


def link(source: str | Path, target: str | Path) -> None:
    """Hard-link ``source`` to ``target``, making ``target``'s folder (copy where links cannot be made).

    A site's unchanged files are linked from the previous one by the hundred thousand: the folder is
    made only when the link finds none (and paths may be strings, which cost less than ``Path``).
    """
    try:
        os.link(source, target)
        return
    except FileNotFoundError:
        if not os.path.lexists(source):
            raise
        os.makedirs(os.path.dirname(target), exist_ok=True)
        try:
            os.link(source, target)
            return
        except OSError:
            pass
    except OSError:
        pass
    shutil.copy2(source, target)


class RegularFiles:
    """Whether files of a folder are regular files (a symbolic link followed to see), from its folders'
    listings: one listing a folder instead of one status a file (a site's article folders hold a hundred
    thousand pages). The listings of the last :data:`FOLDERS` folders asked of are kept."""

    FOLDERS = 8

    def __init__(self, folder: str | Path) -> None:
        self.folder = os.fspath(folder)
        self._listed: OrderedDict[str, frozenset[str]] = OrderedDict()

    def _names(self, folder: str) -> frozenset[str]:
        names = self._listed.get(folder)
        if names is None:
            try:
                with os.scandir(os.path.join(self.folder, folder)) as entries:
                    names = frozenset(e.name for e in entries if _is_regular(e))
            except (OSError, ValueError):
                names = frozenset()
            self._listed[folder] = names
            if len(self._listed) > self.FOLDERS:
                self._listed.popitem(last=False)
        else:
            self._listed.move_to_end(folder)
        return names

    def all(self, files: Sequence[str]) -> bool:
        """Whether each of ``files`` (relative paths, ``/`` between folders) is a regular file in the folder."""
        for relative in files:
            folder, _, name = relative.rpartition("/")
            if name not in self._names(folder):
                return False
        return True


def _is_regular(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_file()  # the folder's listing tells a regular file's type; a link is followed
    except OSError:
        return False


def link_all(source: RegularFiles, target_dir: str | Path, files: Sequence[str]) -> bool:
    """Link each of ``files`` (relative paths) from the ``source`` folder into ``target_dir``; False, with none
    of them linked, when one is not a regular file there (a symbolic link is followed to see)."""
    if not source.all(files):
        return False
    source_dir, target_dir = source.folder, os.fspath(target_dir)
    for relative in files:
        link(os.path.join(source_dir, relative), os.path.join(target_dir, relative))
    return True


def _scan(docs_dir: Path, store: PageStore, known: Path | None = None,
          kept: Kept | None = None) -> tuple[list[str], int]:
    """Record the docs folder's files in ``store`` (each file's digest, to be settled into pages); return the
    other files (assets) and how many Markdown files were read.

    A file whose stamp (device, inode, size, modification time) the page records ``known`` (the
    previous build's) give a digest for is the file they describe, linked into this docs folder: its
    digest is taken, and the file is not read. Folders are read entry by entry, so a folder of any size
    is never listed in memory at once. The files ``kept`` of the published docs (a docs folder staged to
    be published over them) are recorded too, from the list, not from a folder.
    """
    others: list[str] = []
    read = 0
    batch: list[tuple[str, str, str, str]] = []
    folders = [os.fspath(docs_dir)]
    start = len(os.path.join(folders[0], ""))
    lookup = known is not None and known.is_file() and store.attach_known(known)
    try:
        while folders:
            with os.scandir(folders.pop()) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        folders.append(entry.path)
                        continue
                    relative = entry.path[start:].replace(os.sep, "/")
                    if not relative.endswith(".md"):
                        others.append(relative)
                        continue
                    info = entry.stat(follow_symlinks=False)
                    stamp = docs_stamp(info)
                    digest = store.known_digest(relative, stamp) if lookup else None
                    if digest is None:
                        read += 1
                        digest = _digest(docs_dir, relative)
                    batch.append((relative, _page_of(relative), digest, stamp))
                    if len(batch) >= WRITE_ROWS:
                        store.add_files(batch)
                        batch.clear()
        store.add_files(batch)
        if kept is not None:
            read += _scan_kept(kept, store, lookup)
            if lookup:
                store.keep_left_out()
    finally:
        if lookup:
            store.detach_known()
    return sorted(others), read


def _digest(base: str | Path, relative: str) -> str:
    """A docs file's digest: of its path and content."""
    with open(os.path.join(base, relative), "rb") as file:
        return hashlib.sha256(relative.encode() + b"\0" + file.read()).hexdigest()


def _page_of(relative: str) -> str:
    return split_docs_file(relative)[0]


def _scan_forward(docs_dir: Path, store: PageStore, kept: Kept, previous_site: RegularFiles) -> tuple[list[str], int, int]:
    """Change the previous build's records, carried forward in ``store`` (:meth:`PageStore.carried_forward`), where
    this build changes something; return the other docs files (assets), how many Markdown files were read and how
    many pages' HTML files are kept as they are.

    The pages this build changes are those it wrote docs files of, those whose kept files changed since they
    were recorded or that lose files, and those whose HTML the published site no longer has (removed or broken by
    hand, checked against its folders' listings): they are taken out of the records and settled again from their
    files, to be reused or rendered as in a new store. Every other recorded page stays as it is, with its row.
    """
    others, read = _scan(docs_dir, store)  # the files written: new stamps, read
    kept.close()
    changed = store.note_kept(kept.listing)
    store.add_files([(relative, _page_of(relative), _digest(kept.base, relative), stamp) for relative, stamp in changed])
    read += len(changed)
    gone = store.drop_unlisted()
    store.note_reopened(store.file_pages())
    store.note_reopened(_page_of(relative) for relative in gone)
    missing: list[str] = []
    carried = 0
    for page in store.carried_pages():
        outputs = [html_file(page, lang) for lang in LANGUAGES]
        if page in CORE_PAGES or not previous_site.all(outputs):
            missing.append(page)
        else:
            carried += len(outputs)
    store.note_reopened(missing)
    store.note_reopened(store.unrecorded_pages(_page_of))
    store.reopen_pages(_page_of)
    return others, read, carried


def _scan_kept(kept: Kept, store: PageStore, lookup: bool) -> int:
    """Record the kept docs files in ``store``, their digests from the previous records where their stamps
    match (read otherwise); return how many were read."""
    read = 0
    batch: list[tuple[str, str]] = []

    def add() -> int:
        known = store.known_stamps([relative for relative, _ in batch]) if lookup else {}
        rows, count = [], 0
        for relative, stamp in batch:
            recorded_stamp, digest = known.get(relative, (None, None))
            if recorded_stamp != stamp:
                digest = None
            if digest is None:
                count += 1
                digest = _digest(kept.base, relative)
            rows.append((relative, _page_of(relative), digest, stamp))
        store.add_files(rows)
        batch.clear()
        return count

    for row in kept:
        if not row[0].endswith(".md"):
            continue
        batch.append(row)
        if len(batch) >= WRITE_ROWS:
            read += add()
    return read + add()


def build_html(config_file: Path, docs_dir: Path, site_dir: Path, work_dir: Path,
               previous_site: Path | None = None, previous_pages: Path | None = None,
               jobs: int | None = None, leave_out: Iterable[str] = (),
               salvage: tuple[Path, Path] | None = None, kept_docs: Kept | None = None) -> tuple[Path, PageReport]:
    """Render ``docs_dir`` into ``site_dir`` and return the new page database (in ``work_dir``) and a report.

    With the previous site and its page database, unchanged pages are copied, not rendered. A site
    of more than one part is rendered by other processes, ``jobs`` parts at a time (default:
    :func:`default_jobs`), each process rendering one part and exiting. The pages named in ``leave_out``
    are not part of the site (their docs stay in ``docs_dir``). ``salvage``: the site and page database
    of a build that was killed, whose pages are taken where the previous site has none the same.

    With ``kept_docs``, the build is staged to be published in place (:mod:`nashra.site.inplace`):
    ``docs_dir`` holds the docs files written, over the published ones that ``kept_docs`` lists, and
    ``site_dir`` receives only the pages rendered (and the salvaged ones); the unchanged pages stay where
    they are in ``previous_site``, which is checked to have them, not linked from.

    Rendering processes are started fresh
    (``spawn``), so a script that builds a large site must call Nashra under
    ``if __name__ == "__main__":``, as with any :mod:`multiprocessing` code.
    """
    report = PageReport()
    key = site_signature(config_file).key()
    forward = kept_docs is not None and previous_site is not None and _carries_forward(previous_pages, key)
    store, forward = _new_store(work_dir / PAGES_DB, previous_pages if forward else None)
    try:
        store.set_meta("site_key", key)
        store.set_meta(LAYOUT_KEY, LAYOUT)
        store.note_left_out(leave_out)
        if forward and kept_docs is not None and previous_site is not None:
            others, report.read_files, report.reused = _scan_forward(docs_dir, store, kept_docs,
                                                                     RegularFiles(previous_site))
        else:
            others, report.read_files = _scan(docs_dir, store, previous_pages, kept_docs)
        store.settle_pages()
        report.left_out = store.leave_out()
        report.reused += _reuse(store, key, site_dir, previous_site, previous_pages, in_place=kept_docs is not None)
        if salvage is not None:
            report.salvaged = _reuse(store, key, site_dir, *salvage)
            report.reused += report.salvaged
        core = {page: files for page in CORE_PAGES if (files := store.files_of(page))}
        unrendered = store.unrendered_files()
        parts = max(-(-unrendered // PART_FILES), -(-store.unrendered_bytes() // PART_BYTES))
        workers = min(jobs or default_jobs(), parts) if parts > 1 else 0
        running: dict[Future[Any], _Part] = {}
        # Pages rendered here report one by one (through the hooks); other processes' a part at a time.
        with step("Rendering HTML", unrendered, "page", pages=not workers) as done, \
                _workers(workers) if workers else _Here() as renderer:
            for number, part in enumerate(_parts(store, core)):
                job = _Part(number, work_dir / f"part-{number}", part if number else {**core, **part})
                published_docs = kept_docs.base if kept_docs is not None else None
                for files_of_page in [*core.values(), *part.values()]:
                    for relative in files_of_page:
                        _link_docs(relative, docs_dir, published_docs, job.docs)
                for relative in others:
                    link(docs_dir / relative, job.docs / relative)
                running[renderer.submit(render_part, config_file, job)] = job
                while len(running) >= max(workers, 1):
                    _finish_parts(running, store, site_dir, report, done if workers else None)
            while running:
                _finish_parts(running, store, site_dir, report, done if workers else None)
    finally:
        store.close()
    log.info("HTML: %d pages rendered in %d MkDocs run%s, %d unchanged pages reused", report.rendered, report.parts,
             "s" if report.parts != 1 else "", report.reused)
    return work_dir / PAGES_DB, report


@dataclass
class _Part:
    """One MkDocs run: its docs and site folders, and the pages it renders for the site."""

    number: int
    folder: Path
    #: Each page's docs files. The core pages are rendered by every part (the navigation needs them)
    #: but taken from the first.
    pages: dict[str, list[str]]

    @property
    def docs(self) -> Path:
        return self.folder / "docs"

    @property
    def site(self) -> Path:
        return self.folder / "site"


def _finish_parts(running: dict[Future[Any], _Part], store: PageStore, site_dir: Path, report: PageReport,
                  progress: Callable[[int], None] | None = None) -> None:
    """Wait for a part to be rendered; move its pages into the site and record them in the store."""
    from concurrent.futures import FIRST_COMPLETED, wait
    from concurrent.futures.process import BrokenProcessPool

    done, _ = wait(running, return_when=FIRST_COMPLETED)
    for future in sorted(done, key=lambda f: running[f].number):
        job = running.pop(future)
        try:
            future.result()
        except BrokenProcessPool:
            raise BuildError("a process rendering the site's pages stopped unexpectedly: out of memory (try fewer"
                             " --jobs), killed, or started from a script that calls Nashra outside"
                             " `if __name__ == \"__main__\":`") from None
        store.take_rendered(job.pages)
        _move_pages(job, site_dir)
        store.set_search_keys((page, key) for page in job.pages if page.startswith(_SEARCHED)
                              if (key := search_key(site_dir, page)) is not None)
        shutil.rmtree(job.folder, ignore_errors=True)
        rendered = sum(len(files) for files in job.pages.values())
        report.rendered += rendered
        report.parts += 1
        if progress is not None:
            progress(rendered)


def _move_pages(job: _Part, site_dir: Path) -> None:
    """Move a part's HTML into the site: all of the first part's output (theme assets, 404 page, core
    pages and its own), only the pages of the others."""
    if job.number == 0:
        for folder, _, names in os.walk(job.site):
            for name in names:
                source = Path(folder) / name
                _move(source, site_dir / source.relative_to(job.site))
        return
    for page, files in job.pages.items():
        for relative in files:
            output = html_file(page, split_docs_file(relative)[1])
            if not (job.site / output).is_file():
                raise BuildError(f"MkDocs wrote no {output} for {relative}")
            _move(job.site / output, site_dir / output)


def _move(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(source, target)


def _link_docs(relative: str, docs_dir: Path, published_docs: Path | None, target: Path) -> None:
    """Link a docs file into a part's docs: from the staged docs, or where it is kept, the published ones."""
    try:
        link(docs_dir / relative, target / relative)
    except FileNotFoundError:
        if published_docs is None:
            raise
        link(published_docs / relative, target / relative)


def _carries_forward(previous_pages: Path | None, key: str) -> bool:
    """Whether the previous page records can be carried forward: those of a site of the same key (configuration
    and versions), in this version's layout (an older one's tables are made anew)."""
    if previous_pages is None or not previous_pages.is_file():
        return False
    try:
        old = PageStore(previous_pages)
        try:
            return old.get_meta("site_key") == key and old.get_meta(LAYOUT_KEY) == LAYOUT
        finally:
            old.close()
    except (BuildError, sqlite3.DatabaseError):
        return False


def _new_store(path: Path, previous: Path | None) -> tuple[PageStore, bool]:
    """The new page records (written to in batches of every page; synced after, see :meth:`PageStore.__init__`)
    and whether they are ``previous`` carried forward: where given and readable (empty records otherwise)."""
    if previous is not None:
        try:
            return PageStore.carried_forward(previous, path), True
        except BuildError as exc:
            log.warning("%s; every page's records are made again", exc)
            path.unlink(missing_ok=True)
    return PageStore(path, unsynced=True), False


def _reuse(store: PageStore, key: str, site_dir: Path, previous_site: Path | None,
           previous_pages: Path | None, in_place: bool = False) -> int:
    """Link the HTML of pages unchanged since the previous site into ``site_dir`` (``in_place``: check that
    the previous site has it, where it stays); return how many files."""
    if previous_site is None or previous_pages is None or not previous_pages.is_file() or not previous_site.is_dir():
        return 0
    try:
        old = PageStore(previous_pages)
        try:
            same_site = old.get_meta("site_key") == key
        finally:
            old.close()
    except (BuildError, sqlite3.DatabaseError) as exc:
        log.warning("%s: cannot read the page records (%s); every page is rendered and the file made again",
                    previous_pages, exc)
        return 0
    if not same_site:
        log.info("site configuration or versions changed: every page is rendered")
        return 0
    count = 0
    store.attach_previous(previous_pages)
    regular = RegularFiles(previous_site)
    try:
        batch: list[str] = []
        for page, _, files in store.found(unrendered=True, previous=True):
            if page in CORE_PAGES:
                continue
            outputs = [html_file(page, split_docs_file(f)[1]) for f in files]
            if regular.all(outputs) if in_place else link_all(regular, site_dir, outputs):
                batch.append(page)
                count += len(files)
            if len(batch) >= WRITE_ROWS:
                store.copy_previous(batch)
                batch.clear()
        if batch:
            store.copy_previous(batch)
    finally:
        store.detach_previous()
    return count


def _parts(store: PageStore, core: dict[str, list[str]]) -> Iterator[dict[str, list[str]]]:
    """The pages to render, in parts of at most PART_FILES files and PART_BYTES bytes of Markdown (at least one
    part: the core pages)."""
    part: dict[str, list[str]] = {}
    files_in = bytes_in = 0
    started = False
    for page, files, size in store.unrendered_sizes():
        if page in core:
            continue
        if part and (files_in + len(files) > PART_FILES or bytes_in + size > PART_BYTES):
            yield part
            started = True
            part, files_in, bytes_in = {}, 0, 0
        part[page] = files
        files_in += len(files)
        bytes_in += size
    if part or not started:
        yield part


def render_part(config_file: Path, job: _Part) -> None:
    """Render one part with MkDocs (in a worker process, or here for a site of one part)."""
    run_mkdocs(config_file, job.docs, job.site)
