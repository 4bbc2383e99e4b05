"""The site's sitemaps: a sitemap index at each language's root and a sitemap per month.

The sitemap protocol allows 50,000 addresses in one file, and a briefing lists
each article in two languages: one sitemap would be full at 25,000 articles.
So ``sitemap.xml`` at the site's root is a sitemap index naming one sitemap
per month of the archive (``sitemap-2018-04.xml``: that month's article and
story pages in both languages, with their hreflang alternates; the newest
month's also has the home page), and ``ar/sitemap.xml`` names the Arabic
sitemaps beside it (``ar/sitemap-2018-04.xml``). A month of more than 25,000
pages is split (``sitemap-2018-04-2.xml``...). Each sitemap lists only
addresses in its own folder or below, as the protocol asks.

A month's sitemaps depend on its pages and their dates only: those of a month
whose pages did not change since the previous site are linked from it, so a
daily build writes the newest month's and the indexes.
"""

from __future__ import annotations

import logging
import math
from itertools import islice
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import escape

from ..state.pages import PageStore
from .archive_parts import previous_records
from .feeds import SITEMAP, write_sitemap
from .options import SiteOptions
from .labels import DEFAULT_LANGUAGE, LANGUAGES
from .pagebuild import link
from .urls import html_name, site_path, sitemap_file

log = logging.getLogger(__name__)

#: Addresses in one sitemap (the protocol's limit).
MAX_URLS = 50_000
#: Pages in one month's sitemap: the root's list each page in every language.
MAX_PAGES = MAX_URLS // len(LANGUAGES)
#: Changes when the sitemaps' form changes: every month's are written again.
SITEMAPS_VERSION = "1"


@dataclass
class SitemapReport:
    """What the sitemap step did."""

    written: list[str] = field(default_factory=list)  #: months whose sitemaps were written
    reused: list[str] = field(default_factory=list)  #: months whose sitemaps were linked from the previous site
    #: The files of the months reused (in the previous site, where a site published in place keeps them).
    kept: list[str] = field(default_factory=list)


def month_file(month: str, number: int = 1) -> str:
    """The name of a month's sitemap (its ``number``-th when the month is split), in a language's root."""
    return f"sitemap-{month}{'' if number == 1 else f'-{number}'}.xml"


def _roots() -> list[tuple[str | None, list[str]]]:
    """Each sitemap folder's language (None: the site's root, whose sitemaps list every language) and the
    languages its sitemaps list."""
    roots: list[tuple[str | None, list[str]]] = [(None, list(LANGUAGES))]
    roots += [(lang, [lang]) for lang in LANGUAGES if lang != DEFAULT_LANGUAGE]
    return roots


def _folder(lang: str | None) -> str:
    return site_path(lang, "") if lang else ""


def _names(month: str, pages: int) -> list[str]:
    """The names of a month's sitemaps, in every sitemap folder, for a month of ``pages`` pages."""
    return [month_file(month, number) for number in range(1, max(1, math.ceil(pages / MAX_PAGES)) + 1)]


def write_sitemaps(site_dir: Path, store: PageStore, options: SiteOptions, previous_site: Path | None = None,
                   previous_pages: Path | None = None, in_place: bool = False) -> SitemapReport:
    """Write the sitemap indexes and each month's sitemaps into ``site_dir``, linking unchanged months' from
    ``previous_site`` (``in_place``: leaving them there, for a site published over it). ``store`` holds the new site's page records with each page's month
    (:func:`nashra.site.archive_parts.record_parts`); the months' digests are recorded in it."""
    report = SitemapReport()
    digests = store.month_digests(f"{SITEMAPS_VERSION}\0{options.url}")
    nothing: dict[str, str] = {}
    before = previous_records(previous_pages, lambda old: old.sitemaps(), nothing)
    counts = store.month_counts()
    names = {month: _names(month, counts.get(month, 0)) for month in sorted(digests)}
    for month, own in names.items():
        files = [_folder(lang) + name for lang, _ in _roots() for name in own]
        if (previous_site is not None and before.get(month) == digests[month]
                and all((previous_site / name).is_file() for name in files)):
            if not in_place:
                for name in files:
                    link(previous_site / name, site_dir / name)
            report.reused.append(month)
            report.kept += files
        else:
            _write_month(site_dir, store, options, month, own)
            report.written.append(month)
    newest = store.month_newest()
    for lang, _ in _roots():
        # MkDocs writes a sitemap of the pages it rendered and its gzip copy: the indexes replace both.
        (site_dir / f"{sitemap_file(lang)}.gz").unlink(missing_ok=True)
        with (site_dir / sitemap_file(lang)).open("w", encoding="utf-8") as out:
            out.write(f"<?xml version='1.0' encoding='utf-8'?>\n<sitemapindex xmlns=\"{SITEMAP}\">\n")
            for month, own in names.items():
                out.writelines(_index_entry(options, lang, name, newest.get(month)) for name in own)
            out.write("</sitemapindex>\n")
    store.set_sitemaps(digests)
    log.info("sitemaps: %d month(s) written, %d unchanged", len(report.written), len(report.reused))
    return report


def _index_entry(options: SiteOptions, lang: str | None, name: str, lastmod: str | None) -> str:
    address = options.url + site_path(lang or DEFAULT_LANGUAGE, name) if options.url else name
    when = f"<lastmod>{escape(lastmod)}</lastmod>" if lastmod else ""
    return f"  <sitemap><loc>{escape(address)}</loc>{when}</sitemap>\n"


def _write_month(site_dir: Path, store: PageStore, options: SiteOptions, month: str, names: list[str]) -> None:
    """Write a month's sitemaps in every sitemap folder: :data:`MAX_PAGES` pages in each of ``names``."""
    for lang, langs in _roots():
        folder = _folder(lang)
        pages = _dated(store.month_pages(month))
        for name in names:
            target = site_dir / folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("wb") as out:
                write_sitemap(out, list(islice(pages, MAX_PAGES)), options, langs, root=folder)


def _dated(rows: Iterator[tuple[str, str | None]]) -> Iterator[tuple[str, datetime | None]]:
    for page, lastmod in rows:
        yield html_name(page), datetime.fromisoformat(lastmod) if lastmod else None

__all__ = ["MAX_PAGES", "MAX_URLS", "SitemapReport", "month_file", "write_sitemaps"]
