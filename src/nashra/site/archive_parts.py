"""Where each page lies in the archive: the parts a build indexes for search and writes sitemaps for.

An archive only grows, and a daily build changes its newest days. The pages
are split by date so that a build redoes only the parts whose pages changed:
an article page by its date, a story page by its newest article's, the home
page with the newest day. The search index is in *search parts*
(:mod:`nashra.site.search_parts`): a day each in the archive's newest month
(and in the month before, for its first week: :data:`SETTLE`), a month each
before, the undated pages in one of their own. Sitemaps are
by *month* (:mod:`nashra.site.sitemaps`).

Each page's part, month and date are written into the new site's page
records (:class:`~nashra.state.pages.PageStore`), from which both steps read
and make their digests.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TypeVar

from .inputs import Archive
from ..state.pages import PageStore
from ..state.sqlite import WRITE_ROWS
from .urls import HOME, article_page, story_page

log = logging.getLogger(__name__)
T = TypeVar("T")

#: The part and the month of the pages without a date.
UNDATED = "undated"
#: How long after its end a month keeps its pages in day parts. A story takes new articles for three days
#: after its newest (nashra.stories.grouping.WINDOW), and its page lies in its newest article's part: in
#: the first days of a month, the stories of the last days of the month before still grow and move their
#: pages to the new days. Were that month one part already, each such move would index the whole month
#: again (a month of a year's archive: 13 s and 1 GB of Pagefind memory at 100,000 articles). Once no
#: story of it can grow, its pages stay where they are, and the month is indexed as one part once.
SETTLE = timedelta(days=7)


def part_of(when: datetime | date | None, newest: date | None) -> str:
    """The search part of a page dated ``when`` in an archive whose newest page is dated ``newest``:
    its day (``2018-05-14``) in the months not yet settled, its month (``2018-04``) before them.

    A month is settled :data:`SETTLE` after it ends: the month of ``newest`` is never settled, the month
    before it not in the first days of the next."""
    if when is None:
        return UNDATED
    day = when.date() if isinstance(when, datetime) else when
    if newest is not None:
        unsettled = newest - SETTLE
        if (day.year, day.month) >= (unsettled.year, unsettled.month):
            return day.isoformat()
    return month_of(day)


def month_of(when: datetime | date | None) -> str:
    """The month of a page dated ``when`` (``2018-04``), or :data:`UNDATED`."""
    return f"{when.year:04d}-{when.month:02d}" if when is not None else UNDATED


def _rows(archive: Archive, since: date | None) -> Iterator[tuple[str, str | None, str, str | None]]:
    newest_when = archive.newest_date()
    newest = newest_when.date() if newest_when is not None else None
    yield HOME, None, month_of(newest), newest.isoformat() if newest else None
    stories = ((story_id, latest.date() if latest is not None else None)
               for story_id, latest in archive.story_dates(several=True, since=since))
    for pages, days in ((article_page, archive.article_days(since=since)), (story_page, stories)):
        for page_id, day in days:
            yield pages(page_id), part_of(day, newest), month_of(day), day.isoformat() if day else None


def record_parts(store: PageStore, archive: Archive, cutoff: date | None = None) -> None:
    """Write each page's search part, month and date into ``store`` (the new site's page records): of every
    article and story page but those dated before ``cutoff``, the pages that gave way to compact entries
    (:func:`nashra.site.budget.compact_pages`), which no part or sitemap has. (A year's archive has most of its
    articles before the cutoff: their rows cost a daily build 0.4 s at 100,000 articles.)"""
    batch: list[tuple[str, str | None, str, str | None]] = []
    for row in _rows(archive, cutoff):
        batch.append(row)
        if len(batch) >= WRITE_ROWS:
            store.add_page_parts(batch)
            batch.clear()
    store.add_page_parts(batch)


def previous_records(path: Path | None, read: Callable[[PageStore], T], default: T) -> T:
    """``read(records)`` of the previous site's page records at ``path``; ``default`` when there are none
    or they cannot be read (which costs the step a full run, never the build)."""
    if path is None or not path.is_file():
        return default
    try:
        old = PageStore(path)
        try:
            return read(old)
        finally:
            old.close()
    except Exception as exc:  # noqa: BLE001 - see above
        log.warning("%s: cannot read the page records (%s); what they describe is made again", path, exc)
        return default


__all__ = ["UNDATED", "month_of", "part_of", "previous_records", "record_parts"]
