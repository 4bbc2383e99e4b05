"""The site's search index in parts, a day or a month each, so that a daily build indexes one day.

Pagefind indexes every page it is given on every run: one index of a whole
archive took 30 to 76 s at 10,000 articles on two cores, and Pagefind's memory
grew with the archive. Here the index is split by date (:func:`part_of`): an
article page belongs to its date's part and a story page to its newest
article's; the pages of the archive's newest month are in one part per day,
older pages in one part per month, undated pages in a part of their own. So a
month has one part for good once it is over: a week into the next month (when
no story of it can grow any more: :data:`~nashra.site.archive_parts.SETTLE`),
its days are indexed again, once, as that month's part.

The newest part is the main bundle (``pagefind/``, with Pagefind's scripts and
the search box's query module); every other part is a bundle of its own under
``pagefind/parts/PART/``, holding its index only. The query module merges the
parts into every search (Pagefind's multisite search; merged parts share the
main bundle's WebAssembly, so a reader fetches each part's small page list and
then only the index chunks the query needs).

A part whose pages are the same as in the previous site (the same pages with
the same search keys or Markdown digests, under the same site configuration and
Pagefind version: :func:`part digests <nashra.state.pages.PageStore.part_digests>`)
is linked from the previous site instead of indexed again. A page's search key
(:func:`nashra.site.search.search_key`) is a digest of its HTML without what the
index leaves out, among it an article's link to its story: that link changes
whenever the story grows, and an article page rendered again for it alone keeps
its key, so the old month it lies in is not indexed again.
"""

from __future__ import annotations

import logging
import os
import shutil
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

from ..state.pages import PageStore
from .archive_parts import UNDATED, previous_records
from .labels import LANGUAGES
from .inplace import find
from .pagebuild import link
from .search import BUNDLE_DIR, EXCLUDE, PARTS_DIR, finish_bundle, run_pagefind
from .search_stems import QUERY_DIR
from .urls import html_file

log = logging.getLogger(__name__)

#: Changes when the way parts are made changes: every part is indexed again.
PARTS_VERSION = "2"
#: The page-records key naming the part indexed into the main bundle.
MAIN_KEY = "search_main"


def main_part(parts: list[str]) -> str | None:
    """The part indexed into the main bundle: the newest dated one."""
    dated = [part for part in parts if part != UNDATED]
    return max(dated) if dated else (UNDATED if parts else None)


@dataclass
class SearchReport:
    """What the search step did."""

    #: Parts indexed by Pagefind in this build, and the pages they hold.
    indexed: list[str] = field(default_factory=list)
    indexed_pages: int = 0
    #: Parts linked unchanged from the previous site.
    reused: list[str] = field(default_factory=list)
    #: Bundle folders (relative to the site) indexed again or no longer in the site: what the previous site has
    #: in them and the new one has not is to be removed (see nashra.site.inplace.removed_site).
    replaced: list[str] = field(default_factory=list)


def signature(site_key: str | None) -> str:
    """What every part's index depends on besides its pages: the pages' HTML (the site's key), Pagefind's
    version and how it is run."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        pagefind = version("pagefind-bin")
    except PackageNotFoundError:
        pagefind = "unknown"
    return "\0".join((PARTS_VERSION, site_key or "", pagefind, EXCLUDE))


def index_search(site_dir: Path, store: PageStore, work_dir: Path, previous_site: Path | None = None,
                 previous_pages: Path | None = None, jobs: int = 1, in_place: bool = False) -> SearchReport:
    """Write the search index of ``site_dir`` in parts; link the parts unchanged since the previous site.

    ``store`` holds the new site's page records with each page's part
    (:func:`nashra.site.archive_parts.record_parts`); the parts' digests are
    recorded in it. ``jobs`` parts are indexed at once. ``in_place``: ``site_dir`` holds the pages rendered
    by this build, to be published over ``previous_site`` (:mod:`nashra.site.inplace`), whose unchanged
    pages and parts stay where they are.
    """
    report = SearchReport()
    digests = store.part_digests(signature(store.get_meta("site_key")))
    main = main_part(list(digests))
    nothing: tuple[dict[str, str], str | None] = ({}, None)
    before, before_main = previous_records(previous_pages, lambda old: (old.search_parts(), old.get_meta(MAIN_KEY)),
                                           nothing)
    bundle = site_dir / BUNDLE_DIR
    todo: list[tuple[str, Path]] = []
    for part in sorted(digests):
        target = bundle if part == main else bundle / PARTS_DIR / part
        source = None
        if previous_site is not None and before.get(part) == digests[part]:
            old = previous_site / BUNDLE_DIR
            source = old if part == before_main else old / PARTS_DIR / part
            if part == main and part != before_main:
                source = None  # the main bundle comes with Pagefind's scripts: only from the main bundle
        if source is not None and (source / "pagefind-entry.json").is_file():
            if not (in_place and previous_site is not None and source == previous_site / target.relative_to(site_dir)):
                _link_bundle(source, target, whole=part == main)
            report.reused.append(part)
        else:
            todo.append((part, target))
            report.replaced.append(target.relative_to(site_dir).as_posix())
    # The previous site's part bundles that this one has not (a part gone, or now the main bundle's).
    report.replaced += [f"{BUNDLE_DIR}/{PARTS_DIR}/{part}" for part in before
                        if part != before_main and (part not in digests or part == main)]
    if main is None:  # no article or story: the main bundle still serves the search box
        todo.append(("", bundle))
        report.replaced.append(BUNDLE_DIR)
    # Each part's pages are linked into a folder of their own here (the records are read in this
    # thread); Pagefind indexes ``jobs`` such folders at once.
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        running: list[Future[None]] = []
        for part, target in todo:
            folder, count = _stage_part(store, site_dir, work_dir, part, previous_site if in_place else None)
            if part and not count:  # its pages have no HTML (nothing Nashra writes): no part to search
                log.warning("search index: the pages of part %s have no HTML; left out", part)
                digests.pop(part)
                if target != bundle:
                    continue
                folder = site_dir
            if part:
                report.indexed.append(part)
            report.indexed_pages += count
            running.append(pool.submit(_index_part, folder, target, target != bundle))
            pending = [future for future in running if not future.done()]
            if len(pending) >= max(1, jobs):
                wait(pending, return_when=FIRST_COMPLETED)
        for future in running:
            future.result()
    store.set_search_parts(digests)
    store.set_meta(MAIN_KEY, main or "")
    finish_bundle(bundle, [part for part in sorted(digests) if part != main], main or "")
    log.info("search index: %d part(s) indexed (%d pages), %d unchanged", len(report.indexed),
             report.indexed_pages, len(report.reused))
    return report


def _stage_part(store: PageStore, site_dir: Path, work_dir: Path, part: str,
                published: Path | None = None) -> tuple[Path, int]:
    """A folder of links to one part's pages, from ``site_dir`` or, for those it does not have, the
    ``published`` site it is to be published over (the whole site for the empty part: a site with no
    article has its listing pages indexed, as Pagefind does a site without marks); how many pages."""
    if not part:
        return site_dir, 0
    folder = work_dir / f"search-{part}"
    count = 0
    for page in store.part_pages(part):
        for lang in LANGUAGES:
            relative = html_file(page, lang)
            source = find(relative, site_dir, published)
            if source is not None:
                link(source, folder / relative)
                count += 1
    return folder, count


def _index_part(folder: Path, target: Path, merged: bool) -> None:
    """Index a part's folder into ``target`` with Pagefind; a merged part keeps its index only."""
    run_pagefind(folder, target)
    if merged:
        _keep_index_only(target)
    if folder.name.startswith("search-"):
        shutil.rmtree(folder, ignore_errors=True)


def _is_index_file(relative: Path) -> bool:
    """Whether a file of a bundle is part of its index (not Pagefind's scripts nor the query module)."""
    top = relative.parts[0]
    if len(relative.parts) > 1:
        return top not in (PARTS_DIR, QUERY_DIR)
    return top == "pagefind-entry.json" or top.endswith(".pf_meta")


def _keep_index_only(bundle: Path) -> None:
    """Remove Pagefind's scripts, style sheets and WebAssembly from a part's bundle: a merged part uses
    the main bundle's."""
    for entry in bundle.iterdir():
        if entry.is_file() and not _is_index_file(Path(entry.name)):
            entry.unlink()


def _link_bundle(source: Path, target: Path, whole: bool) -> None:
    """Link a bundle's files from the previous site: its index, and with ``whole`` Pagefind's scripts too."""
    root = os.fspath(source)
    start = len(os.path.join(root, ""))
    for folder, names, files in os.walk(root):
        relative_folder = folder[start:]
        if not relative_folder:
            names[:] = [name for name in names if name not in (PARTS_DIR, QUERY_DIR)]
        for name in files:
            # In a sub-folder every file is of the index (the scripts' folders are left out above).
            if whole or relative_folder or _is_index_file(Path(name)):
                link(os.path.join(folder, name), os.path.join(target, relative_folder, name))


__all__ = ["PARTS_DIR", "SearchReport", "index_search", "main_part"]

