"""Where every page of a briefing site lies, and how pages link to each other.

A *page* is named by its path without language or suffix (``articles/x``,
``stories/y``, ``archive/2024-05-01``, ``sources/bbcarabic-2``, ``index``).
Each page has one docs file per language (its source, in the i18n plugin's
suffix layout: ``articles/x.ar.md``) and one HTML file per language (its
destination: English at the site's root, every other language in a folder
named after it: ``ar/articles/x.html``). Links between pages are relative,
computed by :func:`relative`, so that a site works from any static host and
from disk. Nothing else in :mod:`nashra.site` spells a page's path.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from typing import TYPE_CHECKING

from .labels import DEFAULT_LANGUAGE, LANGUAGES

if TYPE_CHECKING:
    from ..stories.story import Story

ARTICLES_DIR = "articles"
STORIES_DIR = "stories"
SOURCES_DIR = "sources"
ARCHIVE_DIR = "archive"
#: The archive's page of the articles without a date.
UNDATED = "undated"
#: The page (slug) of the articles whose outlet is unknown.
UNKNOWN_OUTLET = "unknown-outlet"
HOME = "index"
ARCHIVE_INDEX = f"{ARCHIVE_DIR}/index"
SOURCES_INDEX = f"{SOURCES_DIR}/index"
#: The site's own assets (style sheet, fonts and their licence), copied into the docs folder; the
#: style sheet links the fonts relatively (``fonts/...``), so the folder travels whole.
ASSETS_DIR = "assets"
STYLE_SHEET = f"{ASSETS_DIR}/nashra.css"
#: Feeds and sitemaps, in each language's root.
FEED_NAME = "feed.xml"
ATOM_NAME = "atom.xml"
SITEMAP_NAME = "sitemap.xml"
#: The search bundle, at the site's root (every language's index is in it).
SEARCH_BUNDLE_DIR = "pagefind"


# -- pages ------------------------------------------------------------------------------

def article_page(article_id: str) -> str:
    return f"{ARTICLES_DIR}/{article_id}"


def story_page(story_id: str) -> str:
    return f"{STORIES_DIR}/{story_id}"


def reading_page(story: Story) -> str:
    """Where a story is read: its own page, or its only article's page (of a site without compact entries,
    see :func:`story_address`)."""
    return story_page(story.id) if len(story.items) > 1 else article_page(story.lead.id)


# -- compact entries ------------------------------------------------------------------------
# A site over its size budget (nashra.site.budget) gives the oldest articles' pages up: an article
# dated before the cutoff is an entry of its day's archive page, and a story whose newest article
# is, has no page either. Links to either go to the entry.

_COMPACT_BEFORE: ContextVar[date | None] = ContextVar("compact_before", default=None)


@contextmanager
def compact_before(day: date | None) -> Iterator[None]:
    """Pages written inside are those of a site whose articles dated before ``day`` are compact entries."""
    token = _COMPACT_BEFORE.set(day)
    try:
        yield
    finally:
        _COMPACT_BEFORE.reset(token)


def compact_cutoff() -> date | None:
    """The day before which articles are compact entries (None: every article has its pages)."""
    return _COMPACT_BEFORE.get()


def is_compact(when: datetime | date | None) -> bool:
    """Whether an article (or a story, by its newest article) of this date has no page of its own."""
    cutoff = _COMPACT_BEFORE.get()
    if cutoff is None or when is None:
        return False
    return (when.date() if isinstance(when, datetime) else when) < cutoff


def entry_anchor(article_id: str) -> str:
    """The id of an article's compact entry on its day's archive page."""
    return f"a-{article_id}"


def article_address(article_id: str, when: datetime | None) -> tuple[str, str]:
    """Where an article is read: (page, fragment): its page, or its entry on its day's page."""
    if is_compact(when):
        assert when is not None
        return day_page(when.date()), entry_anchor(article_id)
    return article_page(article_id), ""


def story_address(story: Story) -> tuple[str, str]:
    """Where a story is read: its page or its only article's, or its lead's entry when it is compact."""
    if is_compact(story.latest):
        return article_address(story.lead.id, story.lead.date)
    return reading_page(story), ""


def day_page(day: date | None) -> str:
    """The archive's page of one day (``None``: the undated articles)."""
    return f"{ARCHIVE_DIR}/{day.isoformat() if day else UNDATED}"


def outlet_page(slug: str, number: int | None = None) -> str:
    """An outlet's page (``number``: one of its numbered pages of every article)."""
    return f"{SOURCES_DIR}/{slug}" if number is None else f"{SOURCES_DIR}/{slug}-{number}"


# -- sources and destinations -------------------------------------------------------------

def docs_file(page: str, lang: str) -> str:
    """The docs file of ``page`` in ``lang`` (suffix i18n layout): ``articles/x.ar.md``."""
    return f"{page}.{lang}.md"


def split_docs_file(relative: str) -> tuple[str, str]:
    """``articles/x.ar.md`` -> (``articles/x``, ``ar``): a page and its language."""
    stem, _, lang = relative.removesuffix(".md").rpartition(".")
    return stem, lang


def site_path(lang: str, path: str) -> str:
    """Where ``path`` (relative to a language's root) lies in the site: ``ar/index.html``."""
    return path if lang == DEFAULT_LANGUAGE else f"{lang}/{path}"


def html_name(page: str) -> str:
    """The HTML file of ``page`` relative to its language's root: ``articles/x.html``."""
    return f"{page}.html"


def html_file(page: str, lang: str) -> str:
    """The HTML file of ``page`` in ``lang``, relative to the site's root: ``ar/articles/x.html``."""
    return site_path(lang, html_name(page))


def page_of_location(location: str) -> str:
    """The page an address in the site belongs to: ``ar/articles/x.html#summary`` -> ``articles/x``."""
    path = location.partition("#")[0]
    for lang in LANGUAGES:
        if lang != DEFAULT_LANGUAGE and path.startswith(f"{lang}/"):
            path = path[len(lang) + 1:]
            break
    return path.removesuffix(".html")


def feed_file(lang: str) -> str:
    """Where a language's RSS feed lies, relative to the site root."""
    return site_path(lang, FEED_NAME)


def atom_file(lang: str) -> str:
    """Where a language's Atom feed lies, relative to the site root."""
    return site_path(lang, ATOM_NAME)


def sitemap_file(lang: str | None = None) -> str:
    """The sitemap of every language (``None``) at the root, or of one language in its folder."""
    return SITEMAP_NAME if lang is None or lang == DEFAULT_LANGUAGE else site_path(lang, SITEMAP_NAME)


# -- links ---------------------------------------------------------------------------------

def relative(here: str, target: str) -> str:
    """The relative address of ``target`` from the file or page ``here`` (both from the same root): what
    ``posixpath.relpath`` gives, worked out from the folder names where both are plain paths (no ``.``, ``..``,
    empty or leading ``/`` part), as a site's are (a sitemap holds a month's pages, three addresses each)."""
    start = posixpath.dirname(here)
    if not (target and _plain(start) and _plain(target)):
        return posixpath.relpath(target, start or ".")
    ups = start.split("/") if start else []
    parts = target.split("/")
    common = 0
    while common < len(ups) and common < len(parts) and ups[common] == parts[common]:
        common += 1
    return "/".join([".."] * (len(ups) - common) + parts[common:]) or "."


def _plain(path: str) -> bool:
    wrapped = f"/{path}/"
    return not (path.startswith("/") or path.endswith("/") or "//" in path or "/./" in wrapped or "/../" in wrapped)


def link(here: str, page: str) -> str:
    """A Markdown link from page ``here`` to ``page``: ``../sources/bbc.md``.

    Pages link to each other's docs files without the language suffix, as the
    i18n plugin expects; the hooks turn each into the page's HTML.
    """
    return relative(here, page) + ".md"


def link_to(here: str, address: tuple[str, str]) -> str:
    """A Markdown link from page ``here`` to an address of :func:`article_address` or :func:`story_address`."""
    page, fragment = address
    return link(here, page) + (f"#{fragment}" if fragment else "")


def html_address(address: tuple[str, str]) -> str:
    """An address of :func:`article_address` or :func:`story_address` as an HTML path from the language's root."""
    page, fragment = address
    return html_name(page) + (f"#{fragment}" if fragment else "")


def absolute(base: str, lang: str, path: str) -> str:
    """``path`` (relative to ``lang``'s root) at the site's address ``base``; relative to that root without one."""
    return base + site_path(lang, path) if base else path


__all__ = ["ARCHIVE_DIR", "ARCHIVE_INDEX", "ARTICLES_DIR", "ASSETS_DIR", "ATOM_NAME", "FEED_NAME", "HOME",
           "SEARCH_BUNDLE_DIR", "SITEMAP_NAME", "SOURCES_DIR", "SOURCES_INDEX", "STORIES_DIR", "STYLE_SHEET",
           "UNDATED", "UNKNOWN_OUTLET", "absolute", "article_address", "article_page", "atom_file", "compact_before",
           "compact_cutoff", "day_page", "docs_file", "entry_anchor", "feed_file", "html_address", "html_file",
           "html_name", "is_compact", "link", "link_to", "outlet_page", "page_of_location", "reading_page",
           "relative", "site_path", "sitemap_file", "split_docs_file", "story_address", "story_page"]
