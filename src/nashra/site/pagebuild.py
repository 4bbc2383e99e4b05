"""Build the site's HTML from its docs folder with MkDocs: in parts, reusing unchanged pages.

MkDocs keeps every page of a build in memory and renders every page on every
build. Nashra gives it the docs in parts of about :data:`PART_FILES` files,
each part with the home, archive and sources pages so that the navigation
resolves, and keeps each page's search entries in a small database beside
the site, from which the whole search index is written at the end. A page
whose Markdown is unchanged since the previous build, under the same site
configuration and versions, is not rendered again: its HTML and search
entries are taken from the previous site. Memory stays that of one part, and
a build that adds one article renders the pages that changed.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path
from typing import Any

from ..errors import BuildError
from .labels import DEFAULT_LANGUAGE, LANGUAGES, site_path

log = logging.getLogger(__name__)

#: Docs files MkDocs renders in one run.
PART_FILES = 2000
#: Pages in every part: the navigation's sections (without the language suffix).
CORE_PAGES = ("index", "archive/index", "sources/index")
#: The database that describes the HTML pages of a site, kept at OUT/.nashra/pages.sqlite3.
PAGES_DB = "pages.sqlite3"
SEARCH_INDEX = Path("search") / "search_index.json"


@dataclass
class PageReport:
    """What the HTML build did."""

    rendered: int = 0  #: pages (one per language) rendered by MkDocs
    reused: int = 0  #: pages whose HTML came from the previous site
    parts: int = 0  #: MkDocs runs


def split_docs_path(relative: str) -> tuple[str, str]:
    """``articles/x.ar.md`` -> (``articles/x``, ``ar``): a page and its language."""
    stem, _, lang = relative.removesuffix(".md").rpartition(".")
    return stem, lang


def html_path(stem: str, lang: str) -> str:
    return site_path(lang, f"{stem}.html")


def page_of_location(location: str) -> str:
    """The page a search entry belongs to: ``ar/articles/x.html#summary`` -> ``articles/x``."""
    path = location.partition("#")[0]
    for lang in LANGUAGES:
        if lang != DEFAULT_LANGUAGE and path.startswith(f"{lang}/"):
            path = path[len(lang) + 1:]
            break
    return path.removesuffix(".html")


def site_key(config_file: Path) -> str:
    """What every page's HTML depends on besides its Markdown: configuration, hooks and versions."""
    digest = hashlib.sha256(config_file.read_bytes())
    digest.update(resources.files("nashra.site").joinpath("hooks.py").read_bytes())
    for package in ("nashra", "mkdocs", "mkdocs-material", "mkdocs-static-i18n", "markdown"):
        try:
            digest.update(f"{package}={metadata.version(package)};".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{package}=?;".encode())
    return digest.hexdigest()


class PageStore:
    """Per page: a digest of its Markdown files and its search entries (both languages)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self._conn = sqlite3.connect(path, isolation_level=None)
            self._conn.execute("CREATE TABLE IF NOT EXISTS pages (page TEXT PRIMARY KEY, digest TEXT, entries TEXT)")
            self._conn.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
        except sqlite3.Error as exc:
            raise BuildError(f"cannot open the page records {path}: {exc}") from None

    def get_meta(self, key: str) -> str | None:
        row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self._conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def digests(self) -> dict[str, str]:
        return dict(self._conn.execute("SELECT page, digest FROM pages"))

    def copy_from(self, other: Path, pages: list[str]) -> None:
        """Take the rows of ``pages`` from the store at ``other``."""
        self._conn.execute("ATTACH DATABASE ? AS previous", (str(other),))
        try:
            self._conn.execute("BEGIN")
            for start in range(0, len(pages), 500):
                chunk = pages[start:start + 500]
                marks = ",".join("?" * len(chunk))
                self._conn.execute(f"INSERT OR REPLACE INTO pages SELECT * FROM previous.pages WHERE page IN ({marks})",
                                   chunk)
            self._conn.execute("COMMIT")
        finally:
            self._conn.execute("DETACH DATABASE previous")

    def put(self, rows: list[tuple[str, str, str]]) -> None:
        self._conn.execute("BEGIN")
        self._conn.executemany("INSERT OR REPLACE INTO pages VALUES (?, ?, ?)", rows)
        self._conn.execute("COMMIT")

    def entries(self) -> Iterator[str]:
        """Every page's search entries, as JSON arrays, page by page."""
        for (entries,) in self._conn.execute("SELECT entries FROM pages ORDER BY page"):
            yield entries

    def close(self) -> None:
        self._conn.close()


class _QuietDirty(logging.Filter):
    """MkDocs warns that a 'dirty' build may have stale navigation: parts share one navigation."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not message.startswith(("A 'dirty' build is being performed", "The directory contains stale files"))


def run_mkdocs(config_file: Path, docs_dir: Path, site_dir: Path, dirty: bool = False) -> None:
    """Build HTML with MkDocs; raise :class:`BuildError` on failure."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    quiet = _QuietDirty()
    logger = logging.getLogger("mkdocs.commands.build")
    logger.addFilter(quiet)
    try:
        config = load_config(config_file=str(config_file), docs_dir=str(docs_dir), site_dir=str(site_dir))
        build(config, dirty=dirty)
    except MkDocsException as exc:
        raise BuildError(f"MkDocs could not build the site: {exc}") from None
    except SystemExit as exc:  # MkDocs aborts this way on fatal warnings
        raise BuildError(f"MkDocs aborted the build (exit {exc.code})") from None
    finally:
        logger.removeFilter(quiet)
        _forget_mkdocs_urls()


def _forget_mkdocs_urls() -> None:
    """Empty MkDocs's memo of normalized URLs: it keeps one entry per page and link path without
    bound, so over a build in parts it would grow with the archive (about 1.5 KB a page)."""
    from mkdocs import utils

    for name in ("_norm_parts", "_get_norm_url"):
        cache_clear = getattr(getattr(utils, name, None), "cache_clear", None)
        if cache_clear is not None:
            cache_clear()


def _link(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _pages(docs_dir: Path) -> tuple[dict[str, list[str]], list[str]]:
    """Docs files by page (``articles/x`` -> its language files), and the other files (assets)."""
    pages: dict[str, list[str]] = {}
    others: list[str] = []
    for path in sorted(docs_dir.rglob("*")):
        if not path.is_file():
            continue
        relative = path.relative_to(docs_dir).as_posix()
        if relative.endswith(".md"):
            pages.setdefault(split_docs_path(relative)[0], []).append(relative)
        else:
            others.append(relative)
    return pages, others


def _digest(docs_dir: Path, files: list[str]) -> str:
    digest = hashlib.sha256()
    for relative in files:
        digest.update(relative.encode())
        digest.update(b"\0")
        digest.update((docs_dir / relative).read_bytes())
    return digest.hexdigest()


def build_html(config_file: Path, docs_dir: Path, site_dir: Path, work_dir: Path,
               previous_site: Path | None = None, previous_pages: Path | None = None) -> tuple[Path, PageReport]:
    """Render ``docs_dir`` into ``site_dir`` and return the new page database (in ``work_dir``) and a report.

    With the previous site and its page database, unchanged pages are copied, not rendered.
    """
    report = PageReport()
    key = site_key(config_file)
    pages, others = _pages(docs_dir)
    digests = {page: _digest(docs_dir, files) for page, files in pages.items()}
    store = PageStore(work_dir / PAGES_DB)
    try:
        store.set_meta("site_key", key)
        reused = _reuse(pages, digests, key, site_dir, previous_site, previous_pages)
        if reused:
            assert previous_pages is not None
            store.copy_from(previous_pages, reused)
        report.reused = sum(len(pages[p]) for p in reused)
        core = [page for page in CORE_PAGES if page in pages]
        kept = set(reused) | set(core)
        todo = [page for page in pages if page not in kept]
        parts = _parts(todo, pages) or [[]]
        config: dict[str, Any] | None = None
        for number, part in enumerate(parts):
            part_dir = work_dir / f"part-{number}"
            for page in [*core, *part]:
                for relative in pages[page]:
                    _link(docs_dir / relative, part_dir / relative)
            for relative in others:
                _link(docs_dir / relative, part_dir / relative)
            run_mkdocs(config_file, part_dir, site_dir, dirty=True)
            shutil.rmtree(part_dir, ignore_errors=True)
            # The core pages are rendered by the first part; later parts find them up to date.
            built = [*core, *part] if number == 0 else part
            config = _collect_search(site_dir, store, digests, built)
            report.rendered += sum(len(pages[p]) for p in built)
        report.parts = len(parts)
        _write_search_index(site_dir, store, config)
    finally:
        store.close()
    log.info("HTML: %d pages rendered in %d MkDocs run%s, %d unchanged pages reused", report.rendered, report.parts,
             "s" if report.parts != 1 else "", report.reused)
    return work_dir / PAGES_DB, report


def _reuse(pages: dict[str, list[str]], digests: dict[str, str], key: str, site_dir: Path,
           previous_site: Path | None, previous_pages: Path | None) -> list[str]:
    """Pages whose HTML is taken from the previous site (linked into ``site_dir``)."""
    if previous_site is None or previous_pages is None or not previous_pages.is_file() or not previous_site.is_dir():
        return []
    old = PageStore(previous_pages)
    try:
        if old.get_meta("site_key") != key:
            log.info("site configuration or versions changed: every page is rendered")
            return []
        before = old.digests()
    finally:
        old.close()
    reused = []
    for page, files in pages.items():
        if page in CORE_PAGES or before.get(page) != digests[page]:
            continue
        outputs = [html_path(page, split_docs_path(f)[1]) for f in files]
        if all((previous_site / output).is_file() for output in outputs):
            for output in outputs:
                _link(previous_site / output, site_dir / output)
            reused.append(page)
    return reused


def _parts(todo: list[str], pages: dict[str, list[str]]) -> list[list[str]]:
    parts: list[list[str]] = []
    size = PART_FILES
    for page in todo:
        if size + len(pages[page]) > PART_FILES:
            parts.append([])
            size = 0
        parts[-1].append(page)
        size += len(pages[page])
    return parts


def _collect_search(site_dir: Path, store: PageStore, digests: dict[str, str], built: list[str]) -> dict[str, Any]:
    """Store the search entries of the pages just built; return the search configuration."""
    index_file = site_dir / SEARCH_INDEX
    if not index_file.is_file():  # search plugin switched off by the user's settings
        store.put([(page, digests[page], "[]") for page in built])
        return {}
    index = json.loads(index_file.read_text(encoding="utf-8"))
    entries: dict[str, list[dict[str, Any]]] = {page: [] for page in built}
    for entry in index.get("docs", []):
        page = page_of_location(entry.get("location", ""))
        if page in entries:
            entries[page].append(entry)
    store.put([(page, digests[page], json.dumps(found, ensure_ascii=False)) for page, found in entries.items()])
    return index.get("config", {})


def _write_search_index(site_dir: Path, store: PageStore, config: dict[str, Any] | None) -> None:
    """The whole site's search index, written page by page from the store."""
    index_file = site_dir / SEARCH_INDEX
    if not index_file.is_file():
        return
    temporary = index_file.with_suffix(".partial")
    with temporary.open("w", encoding="utf-8") as handle:
        handle.write('{"config":' + json.dumps(config or {}, ensure_ascii=False) + ',"docs":[')
        first = True
        for entries in store.entries():
            body = entries[1:-1]
            if body:
                handle.write(body if first else "," + body)
                first = False
        handle.write("]}")
    temporary.replace(index_file)
