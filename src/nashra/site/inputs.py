"""What a briefing site is made from: the archive as its pages read it, and the keys they were written under.

The site reads a briefing only through :class:`Archive`, the one list of every
question its pages ask (articles, stories, days, outlets) and of what it writes
back (the key each page was made under, so that the next build reuses what did
not change). A build passes the catalog of its records
(:class:`nashra.state.catalog.Catalog`, over SQLite, read a page of rows at a
time whatever the size of the archive); anything that answers the same
questions can be published.

Keys are staged while pages are written and committed only once the new site is
in place (:func:`nashra.site.build.publish`): a build that fails leaves the keys
of the site still published.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from ..document import ArticleDigest, BriefingArticle, Provenance
    from ..state.records import StoredArticle
    from ..stories.story import Story

__all__ = ["Archive"]


class Archive(Protocol):
    """A processed briefing as its site reads it."""

    @property
    def provenance(self) -> Provenance:
        """What produced the briefing (model, engine, summarizer, version): on every page."""

    # -- articles ---------------------------------------------------------------------------

    def article_count(self) -> int:
        """How many articles the build read."""

    def page_states(self, settled_before: date | None = None) -> Iterator[tuple[str, str | None, bool]]:
        """The articles in the order read: (id, key of its published pages, whether they are made from its
        record and story as they are now); with ``settled_before``, without those dated before it whose pages are
        made from their record and story as they are now."""

    def stored(self, article_id: str) -> StoredArticle:
        """One article as stored: its record and the key its pages were published under."""

    def restore(self, stored: StoredArticle) -> BriefingArticle:
        """A stored article, translated and summarized as its record says."""

    def story_of(self, article_id: str) -> Story | None:
        """The story an article belongs to."""

    def articles(self) -> Iterator[tuple[BriefingArticle, Story | None]]:
        """Every article in the order read, with its story, one at a time."""

    def article_days(self, since: date | None = None, before: date | None = None) -> Iterator[tuple[str, date | None]]:
        """(id, day in the article's own time zone) of every article, by id (without reading the digests); with
        ``since``, only the undated articles and those of that day or later; with ``before``, only those dated
        before that day."""

    # -- stories ----------------------------------------------------------------------------

    def count(self) -> int:
        """How many stories there are."""

    def story(self, story_id: str) -> Story:
        """One story."""

    def stories(self, several: bool = False) -> Iterator[Story]:
        """Every story (only those of several articles with ``several``), by id."""

    def home(self) -> list[Story]:
        """The stories the home page lists (the rule of :mod:`nashra.stories.home`)."""

    def newest(self, limit: int) -> list[Story]:
        """The ``limit`` stories with the newest articles (undated last, then by id)."""

    def newest_date(self) -> datetime | None:
        """The date of the newest article of any story."""

    def story_dates(self, several: bool = True, since: date | None = None,
                    before: date | None = None) -> Iterator[tuple[str, datetime | None]]:
        """(id, newest article's date) of every story (of several articles with ``several``), by id; with ``since``,
        only the undated ones and those whose newest article is of that day or later; with ``before``, only those
        whose newest article is dated before that day."""

    # -- days and outlets -------------------------------------------------------------------

    def days(self) -> list[tuple[date | None, int]]:
        """Each day with articles, newest first, undated last; with counts."""

    def day_texts(self, day: date | None) -> list[str]:
        """The digests of a day's articles as stored (``None``: undated ones), by id; :meth:`decode` reads one."""

    def day_keys(self, day: date | None) -> list[str]:
        """What tells the digests of a day's articles apart (a hash of each as stored), in :meth:`day_texts`' order."""

    def sources(self, latest: int) -> list[tuple[str | None, int, list[ArticleDigest]]]:
        """Each source (``None``: unknown) with its number of articles and its ``latest`` newest digests."""

    def source_texts(self, sources: Iterable[str | None], oldest_first: bool = False) -> Iterator[str]:
        """The digests of every article of any of ``sources`` as stored, newest first (or oldest)."""

    def source_keys(self, sources: Iterable[str | None], oldest_first: bool = False
                    ) -> Iterator[tuple[str, str, str | None]]:
        """(id, hash of its digest as stored, day in ISO form or None) of every article of any of ``sources``, in
        :meth:`source_texts`' order."""

    def texts_of(self, ids: Sequence[str]) -> list[str]:
        """The digests of ``ids`` as stored, in that order."""

    def decode(self, text: str) -> ArticleDigest:
        """A digest as stored as the object."""

    # -- the keys pages are written under ---------------------------------------------------

    def start_pages(self, signature: str) -> None:
        """Forget keys staged by a build that did not publish, and note ``signature``: what every article
        page of this build is made under (code, outlets' names, provenance)."""

    def page_signature(self) -> str | None:
        """The signature the published article pages were made under."""

    def stage_page_keys(self, rows: list[tuple[str, str]]) -> None:
        """Note the key each article page just written was made under: (article id, key)."""

    def story_page_keys(self, settled: tuple[date, str] | None = None) -> Iterator[tuple[str, str | None]]:
        """(id, key of its published page) of every story of several articles, by id; with ``settled`` (a day and
        a key), without the stories whose newest article is dated before that day and whose page was published
        under that key (:meth:`settled_story_count`)."""

    def settled_story_count(self, settled: tuple[date, str]) -> int:
        """How many stories :meth:`story_page_keys` leaves out given ``settled``."""

    def stage_story_keys(self, rows: list[tuple[str, str]]) -> None:
        """Note the key each story page just written was made under: (story id, key)."""

    def listing_keys(self) -> dict[str, str]:
        """The key each published listing page (a day's, an outlet's) was written under, by page."""

    def stage_listing_keys(self, rows: list[tuple[str, str]]) -> None:
        """Note the key each listing page just written was made under: (page, key)."""

    def commit_pages(self) -> None:
        """The pages staged since :meth:`start_pages` are the published ones: record their keys."""
