"""Publish a briefing: write ``OUT/docs`` (Markdown) and build ``OUT/site`` (HTML) with MkDocs.

The new docs and site are made in a staging folder beside the old ones and
swapped in only when MkDocs succeeded, so a failed build leaves the previous
briefing as it was.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any


from ..errors import BuildError
from .inputs import Archive
from ..state.pages import PageStore
from ..state.sqlite import WRITE_ROWS
from ..state.records import state_dir
from . import chrome
from .labels import LANGUAGES
from .outlets import outlet_names
from .progress import step
from .archive_parts import previous_records, record_parts
from .options import SiteOptions
from .budget import WARN_AT, Budget, SiteSize, choose_cutoff, compact_pages, format_size, measure
from .feeds import write_feeds
from .sitemaps import write_sitemaps
from .mkdocs_adapter import RESERVED_MKDOCS_KEYS, config_text, load_user_mkdocs
from .mkdocs_adapter import mkdocs_config as _mkdocs_config
from .pagebuild import PAGES_DB, PageReport, build_html, default_jobs
from .pagebuild import RegularFiles, link_all
from .inplace import (OLD_SUFFIX, REMOVED, SIZE_KEY, Kept, apply, commit, committed, read_list, remove_tree,
                      removed_docs, removed_site, size_change, write_list)
from .search_parts import SearchReport, index_search
from .render import (article_docs, article_page_key, article_page_signature, article_path, front_docs, listing_key,
                     listings, pages_signature, story_docs, story_page_key)
from .urls import (ARTICLES_DIR, ASSETS_DIR, SEARCH_BUNDLE_DIR, STORIES_DIR, compact_before, compact_cutoff, docs_file,
                   site_path, story_page)

log = logging.getLogger(__name__)

STAGING_PREFIX = ".nashra-staging-"

__all__ = ["RESERVED_MKDOCS_KEYS", "load_user_mkdocs", "mkdocs_config", "publish", "recover",
           "remove_tree", "write_docs"]


def write_docs(docs_dir: Path, archive: Archive, options: SiteOptions | None = None,
               previous_docs: Path | None = None, kept: Kept | None = None) -> DocsReport:
    """Write every Markdown page and asset into ``docs_dir``; return what was written and reused.

    Pages are written one at a time from the archive. An article's pages made
    from the same record, story and code as its published ones (its page key,
    see :func:`~nashra.site.render.article_page_key`) are linked from
    ``previous_docs`` instead of rendered; with ``kept``, they are listed in it
    instead (``docs_dir`` then holds only what changed, to be published in place
    over the published docs, ``kept.base``: see :mod:`nashra.site.inplace`).
    The keys of the pages rendered are staged in the records;
    :meth:`~nashra.site.inputs.Archive.commit_pages` records them once the new
    docs are published.
    """
    options = options or SiteOptions()
    report = DocsReport()
    previous = RegularFiles(previous_docs) if previous_docs is not None else None

    def reuse(files: list[str]) -> bool:
        if kept is not None:
            done = kept.keep(files)
        else:
            done = previous is not None and link_all(previous, docs_dir, files)
        if done:
            report.count_reused(len(files))
        return done

    with outlet_names(options.outlets):
        # Published in place, the docs of articles that gave way stay as the page records describe them.
        return _write_docs(docs_dir, archive, options, reuse, report, compact_cutoff() if kept is not None else None)


def _write_docs(docs_dir: Path, archive: Archive, options: SiteOptions, reuse: Callable[[list[str]], bool],
                report: DocsReport, settled_before: date | None) -> DocsReport:
    signature = article_page_signature()
    token = pages_signature(signature, archive.provenance)
    same_signature = archive.page_signature() == token
    archive.start_pages(token)
    if not same_signature:
        settled_before = None

    def write(relative: str, text: str) -> None:
        target = docs_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        report.files += 1

    articles = archive.article_count()
    with step("Writing article pages", articles, "article") as done:
        unlisted = articles - _write_article_docs(archive, reuse, same_signature, write, done, settled_before)
        report.count_reused(unlisted * len(LANGUAGES))
        done(unlisted)
    with step("Writing home, story, archive and outlet pages", None) as done:
        _write_story_docs(archive, reuse, write, done, report, settled_before)
        for relative, text in front_docs(archive, {lang: options.name_in(lang) for lang in LANGUAGES}):
            write(relative, text)
            done(1)
        _write_listing_docs(archive, reuse, write, done)
    report.files += _copy_assets(resources.files("nashra.site").joinpath("assets"), docs_dir / ASSETS_DIR)
    report.files += chrome.write_assets(docs_dir / ASSETS_DIR)
    return report


def _write_article_docs(archive: Archive, reuse: Callable[[list[str]], bool], same_signature: bool,
                        write: Callable[[str, str], None], done: Callable[[int], None],
                        settled_before: date | None = None) -> int:
    """Article pages: reused from the previous docs where unchanged, written (their keys staged) otherwise;
    return how many articles were listed.

    An article whose published pages are made from its record and story as they are (the records say so,
    see :meth:`~nashra.site.inputs.Archive.page_states`), under the signature of this build, is
    linked without being read; for the others the page key is computed and compared. With ``settled_before``
    (docs published in place, the pages of articles before that day given way to compact entries), such an
    article dated before it is not even listed: its docs files stay as the page records describe them
    (:meth:`nashra.state.pages.PageStore.drop_unlisted`), where nothing renders them (most of a year's archive).
    """
    keys: list[tuple[str, str]] = []
    signature = article_page_signature()
    listed = 0
    for article_id, page_key, fresh in archive.page_states(settled_before):
        listed += 1
        done(1)
        pages = [article_path(article_id, lang) for lang in LANGUAGES]
        if same_signature and fresh and page_key is not None and reuse(pages):
            continue
        stored, story = archive.stored(article_id), archive.story_of(article_id)
        key = article_page_key(stored.record, story, archive.provenance, signature)
        if stored.page_key == key and reuse(pages):
            continue
        for relative, text in article_docs(archive.restore(stored), story, signature):
            write(relative, text)
        keys.append((stored.id, key))
        if len(keys) >= WRITE_ROWS:
            archive.stage_page_keys(keys)
            keys.clear()
    archive.stage_page_keys(keys)
    return listed


def _write_story_docs(archive: Archive, reuse: Callable[[list[str]], bool], write: Callable[[str, str], None],
                      done: Callable[[int], None], report: DocsReport, settled_before: date | None = None) -> None:
    """Story pages: reused from the previous docs for a story kept from the last grouping whose page was
    written under the same code and outlets' names; written for the others (their keys staged). With
    ``settled_before`` (as for articles, see :func:`_write_article_docs`), a story of that key whose newest article
    is dated before it, whose page gave way to a compact entry, is not even listed."""
    # A story page links each of its articles to its page or, before the compact cutoff, to its entry.
    key = story_page_key() + (f"|compact-before={cutoff.isoformat()}" if (cutoff := compact_cutoff()) else "")

    def make(story_id: str) -> Callable[[], Iterable[tuple[str, str]]]:
        return lambda: story_docs(archive.story(story_id))

    settled = (settled_before, key) if settled_before is not None else None
    if settled is not None:
        files = archive.settled_story_count(settled) * len(LANGUAGES)
        report.count_reused(files)
        done(files)
    _write_keyed(((story_id, story_page(story_id), key, page_key, make(story_id))
                  for story_id, page_key in archive.story_page_keys(settled)),
                 reuse, write, done, archive.stage_story_keys)


def _write_listing_docs(archive: Archive, reuse: Callable[[list[str]], bool], write: Callable[[str, str], None],
                        done: Callable[[int], None]) -> None:
    """The archive's day pages and the outlets' pages: reused from the previous docs where their key is the one
    they were published under (what they list is unchanged), written (their keys staged) otherwise."""
    signature = article_page_signature()
    published = archive.listing_keys()
    _write_keyed(((listing.page, listing.page, listing_key(listing, signature), published.get(listing.page),
                   listing.make) for listing in listings(archive)),
                 reuse, write, done, archive.stage_listing_keys)


#: A page written under a key: (row its key is staged under, page, key now, key it was published under,
#: how to make its docs files).
_Keyed = tuple[str, str, str, "str | None", Callable[[], Iterable[tuple[str, str]]]]


def _write_keyed(pages: Iterable[_Keyed], reuse: Callable[[list[str]], bool], write: Callable[[str, str], None],
                 done: Callable[[int], None], stage: Callable[[list[tuple[str, str]]], None]) -> None:
    """Each page reused from the previous docs when its key is the one it was published under, made and
    written otherwise (its key staged with ``stage``)."""
    keys: list[tuple[str, str]] = []
    for row, page, key, published_key, make in pages:
        files = [docs_file(page, lang) for lang in LANGUAGES]
        if not (published_key == key and reuse(files)):
            for relative, text in make():
                write(relative, text)
            keys.append((row, key))
            if len(keys) >= WRITE_ROWS:
                stage(keys)
                keys.clear()
        done(len(files))
    stage(keys)


def _copy_assets(source: Traversable, target: Path) -> int:
    """Copy the site's assets (style sheet, fonts and their licence) into ``target``; return how many files."""
    target.mkdir(parents=True, exist_ok=True)
    count = 0
    for entry in source.iterdir():
        if entry.is_dir():
            count += _copy_assets(entry, target / entry.name)
        elif not entry.name.startswith("."):
            (target / entry.name).write_bytes(entry.read_bytes())
            count += 1
    return count


@dataclass
class DocsReport:
    files: int = 0  #: Markdown files and assets in the docs folder
    reused: int = 0  #: article pages linked from the previous docs, not rendered

    def count_reused(self, files: int) -> None:
        """Count ``files`` docs files kept from the previous docs."""
        self.files += files
        self.reused += files


def recover(out_dir: Path) -> None:
    """Clean up after a build that was killed: finish a publication it began, keep what it rendered.

    A staging folder whose journal is committed (:mod:`nashra.site.inplace`) is published: the rest of
    its files moved in, its removals made. A folder half swapped by an older version is restored. The
    newest other staging folder whose pages were being rendered is kept as :data:`SALVAGE`: the next
    build takes from it the pages it rendered (see :func:`~nashra.site.pagebuild.build_html`) instead
    of rendering them again; other staging folders are removed. Call it while holding the output lock.
    """
    for staging in sorted(out_dir.glob(f"{STAGING_PREFIX}*")):
        if committed(staging):
            log.warning("finishing the publication an interrupted build began (%s)", staging.name)
            apply(staging, out_dir, state_dir(out_dir) / PAGES_DB, PAGES_DB)
            remove_tree(staging)
    for name in ("docs", "site"):
        final = out_dir / name
        leftovers = sorted(out_dir.glob(f"{name}{OLD_SUFFIX}*"), key=lambda p: p.stat().st_mtime)
        if not final.exists() and leftovers:
            log.warning("restoring %s from an interrupted build", final)
            leftovers.pop().rename(final)
        for leftover in leftovers:
            remove_tree(leftover)
    stagings = sorted((p for p in out_dir.glob(f"{STAGING_PREFIX}*") if (p / PAGES_DB).is_file() and (p / "site").is_dir()),
                      key=lambda p: (p / PAGES_DB).stat().st_mtime)
    if stagings:
        kept = stagings.pop()
        log.info("keeping the pages an interrupted build rendered (%s)", kept)
        remove_tree(out_dir / SALVAGE)
        kept.rename(out_dir / SALVAGE)
    for staging in out_dir.glob(f"{STAGING_PREFIX}*"):
        log.info("removing %s left by an interrupted build", staging)
        remove_tree(staging)


#: Where the pages of a build that was killed wait for the next build (see :func:`recover`).
SALVAGE = ".nashra-salvage"


@dataclass(frozen=True)
class Published:
    docs_dir: Path
    site_dir: Path
    #: Pages rendered and reused by the HTML build.
    pages: PageReport
    #: Parts of the search index indexed and reused.
    search: SearchReport
    #: What the published site weighs, and the budget it was built under.
    size: SiteSize = SiteSize(0, 0)
    budget: Budget = Budget()
    #: The day before which articles are compact entries of the archive's day pages (None: none are).
    compact_before: date | None = None
    #: Articles kept as compact entries.
    compact_articles: int = 0


@dataclass(frozen=True)
class _Staged:
    """A site made in a staging folder, not yet published."""

    folder: Path
    config: Path
    pages_file: Path
    docs: DocsReport
    pages: PageReport
    search: SearchReport
    compact_articles: int
    #: What the site weighs once published.
    size: SiteSize
    #: Whether the staging holds what changed, to be published in place over the previous site (see
    #: :mod:`nashra.site.inplace`), or the whole docs and site.
    in_place: bool

    @property
    def docs_dir(self) -> Path:
        return self.folder / "docs"

    @property
    def site_dir(self) -> Path:
        return self.folder / "site"


#: The page records' keys of the compact cutoff and of the budget it was chosen under.
CUTOFF_KEY, BUDGET_KEY = "compact_before", "budget"
#: Builds of a site over its budget, at most, before a build gives up (the first pass's estimate of what a
#: compact entry costs is made high enough that a second one is rare).
BUDGET_PASSES = 3


def publish(archive: Archive, out_dir: Path, options: SiteOptions | None = None) -> Published:
    """Write ``out_dir/docs`` and ``out_dir/site`` for a briefing; return where, and what was rendered.

    ``archive`` is what :func:`nashra.pipeline.group` gives: pages
    are written from the build state, whatever the size of the archive. A site
    that would pass ``options.budget`` gives its oldest articles' pages up
    (:mod:`nashra.site.budget`): it is staged again with them as compact entries.
    Over a published briefing, only what changed is staged and then published in
    place by a journal (:mod:`nashra.site.inplace`); a first build (or one whose
    previous page records are gone) stages the whole docs and site and swaps them in.
    Call it while holding :func:`nashra.lock.output_lock` on ``out_dir``.
    """
    # MkDocs resolves docs_dir and site_dir against the configuration file's folder: give it
    # absolute paths, or a relative output folder would be looked up inside itself.
    out_dir = out_dir.resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    recover(out_dir)
    options = options or SiteOptions()
    budget = options.budget
    pages_file = state_dir(out_dir) / PAGES_DB
    cutoff = previous_records(pages_file, lambda old: _recorded_cutoff(old, budget), None)
    previous = _Previous(out_dir / "docs", out_dir / "site", pages_file)
    in_place = _can_publish_in_place(previous)
    salvage: Path | None = out_dir / SALVAGE
    stagings: list[Path] = []
    published: Path | None = None
    try:
        for attempt in range(1, BUDGET_PASSES + 1):
            staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out_dir))
            stagings.append(staging)
            staged = _stage(archive, options, staging, previous, cutoff, salvage, in_place)
            size = staged.size
            if not budget.share(size) > 1:
                break
            moved = _cutoff_for(staged, previous, archive, size, budget, cutoff)
            if moved is None or attempt == BUDGET_PASSES:
                raise BuildError(
                    f"the site would be {format_size(size.bytes)} in {size.files:,} files, over its budget of "
                    f"{budget.describe()} ([site] max_size, max_files) even with "
                    + (f"the articles before {cutoff.isoformat()} as compact entries" if cutoff else
                       "the oldest articles as compact entries")
                    + "; raise the budget for a host that takes more. The previous site is unchanged")
            log.warning("the site would be %s in %s files, over its budget of %s: the articles before %s become "
                        "compact entries of the archive's day pages", format_size(size.bytes), f"{size.files:,}",
                        budget.describe(), moved.isoformat())
            cutoff = moved
            if in_place:  # the next pass stages over the published site again, taking this pass's pages
                salvage = staging
            else:  # the next pass takes this pass's whole site as the previous one
                previous, salvage = _Previous(staged.docs_dir, staged.site_dir, staged.pages_file), None
        if budget.share(size) >= WARN_AT:
            log.warning("the site is %s in %s files, %.0f%% of its budget of %s: %s", format_size(size.bytes),
                        f"{size.files:,}", 100 * budget.share(size), budget.describe(),
                        f"the articles before {cutoff.isoformat()} are compact entries, and more will be when it is full"
                        if cutoff else "the oldest articles become compact entries when it is full")
        commit(staged.folder, in_place)
        published = staged.folder
        try:
            apply(staged.folder, out_dir, pages_file, PAGES_DB, between=archive.commit_pages)
        except OSError as exc:
            where = f" ({exc.filename})" if exc.filename else ""
            raise BuildError(f"publishing into {out_dir} was cut short: {exc.strerror or exc}{where}; the new site "
                             f"is kept in {staged.folder.name}, and the next build finishes publishing it") from None
        remove_tree(out_dir / SALVAGE)
    finally:
        for staging in stagings:
            if staging != published or not committed(staging):  # a publication cut short is finished by recover
                remove_tree(staging)
    return Published(out_dir / "docs", out_dir / "site", staged.pages, staged.search, size, budget, cutoff,
                     staged.compact_articles)


@dataclass(frozen=True)
class _Previous:
    """The site a build reuses pages from: the published one, or an earlier pass's staged one."""

    docs: Path
    site: Path
    pages_file: Path


def _can_publish_in_place(previous: _Previous) -> bool:
    """Whether a build can stage what changes over the published docs and site: both are there, with page
    records that list their docs files (records of a version before those lists make a whole build)."""
    if not (previous.docs.is_dir() and previous.site.is_dir() and previous.pages_file.is_file()):
        return False
    return previous_records(previous.pages_file, lambda old: old.has_docs_files(), False)


def _stage(archive: Archive, options: SiteOptions, staging: Path, previous: _Previous,
           cutoff: date | None, salvage: Path | None = None, in_place: bool = False) -> _Staged:
    """Make docs, HTML, feeds, sitemaps and search index in ``staging``, articles before ``cutoff`` compact;
    pages are taken from the ``previous`` site, or from the ``salvage`` of a killed build (or of an earlier
    pass), where unchanged. ``in_place``: only what changes is made in ``staging``, with the lists of the
    previous site's files it removes, to be published over it (:mod:`nashra.site.inplace`)."""
    staged_docs, staged_site = staging / "docs", staging / "site"
    kept = Kept(previous.docs, staging / "docs.kept") if in_place else None
    with compact_before(cutoff):
        try:
            docs = write_docs(staged_docs, archive, options, previous.docs, kept)
        except BaseException:
            if kept is not None:
                kept.close(write=False)  # the build stops on what stopped it, not on the rest of the list
            raise
        if kept is not None:
            kept.close()
        log.info("docs: %d files, %d article pages unchanged and reused", docs.files, docs.reused)
        staged_config = staging / "mkdocs.yml"
        staged_config.write_text(config_text(mkdocs_config(options)), encoding="utf-8")
        compact = _Counted(compact_pages(archive, cutoff))
        salvaged = (salvage / "site", salvage / PAGES_DB) if salvage is not None and salvage.is_dir() else None
        new_pages, pages = build_html(staged_config, staged_docs, staged_site, staging, previous.site,
                                      previous.pages_file, options.jobs, leave_out=compact, salvage=salvaged,
                                      kept_docs=kept)
        # Feeds, sitemaps and the search index are written for the parts of the archive whose pages
        # changed (nashra.site.archive_parts); the others' are linked from the previous site (or, in place,
        # stay there).
        records = PageStore(new_pages)
        try:
            # The cutoff the site is staged under, kept with its page records for the next build.
            records.set_meta(CUTOFF_KEY, cutoff.isoformat() if cutoff else "")
            records.set_meta(BUDGET_KEY, options.budget.key)
            record_parts(records, archive, cutoff)
            with step("Writing feeds and sitemap", None, "file"):
                write_feeds(staged_site, archive, options)
                sitemaps = write_sitemaps(staged_site, records, options, previous.site, previous.pages_file, in_place)
            with step("Indexing the site for search", None, "page") as done:
                search = index_search(staged_site, records, staging, previous.site, previous.pages_file,
                                      options.jobs or default_jobs(), in_place)
                done(search.indexed_pages)
            size = _journal(staging, previous, new_pages, sitemaps.kept, search.replaced) if in_place \
                else measure(staged_site)
            records.set_meta(SIZE_KEY, f"{size.bytes} {size.files}")
        finally:
            records.close()
    return _Staged(staging, staged_config, new_pages, docs, pages, search, compact.articles, size, in_place)


def _journal(staging: Path, previous: _Previous, new_pages: Path, kept_site: list[str],
             bundles: list[str]) -> SiteSize:
    """Write the lists of the previous docs' and site's files that publishing ``staging`` removes; return what
    the site will weigh."""
    staged_docs, staged_site = staging / "docs", staging / "site"
    write_list(staging / REMOVED["docs"], removed_docs(previous.docs, staged_docs, previous.pages_file, new_pages))
    removed = staging / REMOVED["site"]
    write_list(removed, removed_site(previous.site, staged_site, previous.pages_file, new_pages, kept_site, bundles))
    before = previous_records(previous.pages_file, _recorded_size, None) or measure(previous.site)
    change_bytes, change_files = size_change(staged_site, previous.site, read_list(removed))
    return SiteSize(before.bytes + change_bytes, before.files + change_files)


def _recorded_size(records: PageStore) -> SiteSize | None:
    """What the site of these page records weighs, as its build recorded (None: not recorded)."""
    value = records.get_meta(SIZE_KEY) or ""
    try:
        size_bytes, files = (int(number) for number in value.split())
    except ValueError:
        return None
    return SiteSize(size_bytes, files)


class _Counted:
    """The pages of :func:`~nashra.site.budget.compact_pages`, counting the articles among them."""

    def __init__(self, pages: Iterator[str]) -> None:
        self._pages = pages
        self.articles = 0

    def __iter__(self) -> Iterator[str]:
        for page in self._pages:
            if page.startswith(f"{ARTICLES_DIR}/"):
                self.articles += 1
            yield page


def _cutoff_for(staged: _Staged, previous: _Previous, archive: Archive, size: SiteSize, budget: Budget,
                cutoff: date | None) -> date | None:
    """The cutoff that brings the staged site within its budget (None: no day does)."""
    # A site staged in place is what it stages over the previous one: each page is looked for in both.
    sites = [staged.site_dir, previous.site] if staged.in_place else [staged.site_dir]
    # The index's folders (its parts, fragments and word lists) grow with the pages; the bundle's scripts
    # beside them do not. (In place, a part indexed again is counted twice, as are the pages rendered
    # again: an estimate of the index's bytes a page, which the next pass measures.)
    index_bytes = indexed = 0
    for site in sites:
        bundle = site / SEARCH_BUNDLE_DIR
        index_bytes += sum(measure(Path(entry.path)).bytes for entry in os.scandir(bundle)
                           if entry.is_dir(follow_symlinks=False)) if bundle.is_dir() else 0
        indexed += sum(measure(site / site_path(lang, folder)).files for lang in LANGUAGES
                       for folder in (ARTICLES_DIR, STORIES_DIR) if (site / site_path(lang, folder)).is_dir())
    per_page = index_bytes / max(1, indexed)
    return choose_cutoff(sites, archive, size, budget, per_page, cutoff)


def _recorded_cutoff(records: PageStore, budget: Budget) -> date | None:
    """The cutoff the previous site was built with, if under the same budget (a new budget starts afresh)."""
    value = records.get_meta(CUTOFF_KEY)
    if not value or records.get_meta(BUDGET_KEY) != budget.key:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def mkdocs_config(options: SiteOptions | None = None) -> dict[str, Any]:
    """The MkDocs configuration of a briefing site (see :func:`nashra.site.mkdocs_adapter.mkdocs_config`)."""
    return _mkdocs_config(options or SiteOptions())

