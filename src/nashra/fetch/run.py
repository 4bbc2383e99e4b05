"""One fetch run: feeds and pages in, new Markdown articles out, and a report of every URL.

For each URL given (or each feed of ``nashra.toml``): read it with the polite
client; a feed (RSS or Atom, read by :mod:`feedparser`) gives its newest
entries, at most ``max_per_feed``, published in the last ``days`` days; a
page is an article. Each new article page is fetched, extracted and written
to the output folder. The fetch record in ``DIR/.nashra/`` makes a second run
add only new articles: a URL seen before is not fetched again, feeds are
asked with their ETag / Last-Modified, pages that failed are tried again on
later runs (at most three times) and pages whose site answered 429/503 once
the site's Retry-After has passed.
"""

from __future__ import annotations

import logging
import os
import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, time as time_of_day, timedelta, UTC
from pathlib import Path
from urllib.parse import urljoin

import yaml

from .extract import NotAnArticle, extract_article, url_key, write_article
from .options import FetchOptions
from .http import Deferred, FetchProblem, PoliteClient, Response
from ..errors import NashraError
from .record import RECORD_NAME, FetchRecord

log = logging.getLogger(__name__)

_KEY_RE = re.compile(r"-([0-9a-f]{12})\.md$")
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml",
               "application/feed+json")


@dataclass
class FeedSource:
    """A feed or page to fetch, with the outlet name its articles get (default: the page's site name)."""

    url: str
    outlet: str | None = None


@dataclass
class Outcome:
    """What became of one URL: saved, seen (before), skipped, failed, deferred or unchanged (a feed)."""

    url: str
    state: str
    reason: str = ""
    file: Path | None = None

    def line(self) -> str:
        detail = str(self.file) if self.file else self.reason
        return f"{self.state}: {self.url}{': ' + detail if detail else ''}"


@dataclass
class FetchReport:
    folder: Path
    outcomes: list[Outcome] = field(default_factory=list)
    requests: int = 0
    #: Feed entries left for a later run because of max_per_feed (not listed one by one).
    not_taken: int = 0

    def having(self, state: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.state == state]

    @property
    def saved(self) -> list[Outcome]:
        return self.having("saved")


def fetch(sources: Iterable[FeedSource], folder: Path, options: FetchOptions | None = None,
          client: PoliteClient | None = None) -> FetchReport:
    """Fetch ``sources`` into ``folder``; never raises for one URL's problem (see :class:`FetchReport`)."""
    try:
        return _fetch(sources, folder, options or FetchOptions(), client)
    except (OSError, sqlite3.Error) as exc:  # a full disk, a folder turned read-only: one line, no traceback
        raise _write_failure(exc, folder) from None


def _write_failure(exc: OSError | sqlite3.Error, folder: Path) -> NashraError:
    """One line for a fetch that could not write an article or its record; the articles saved are kept."""
    from ..outputs import write_advice

    if isinstance(exc, sqlite3.Error):
        where, reason = folder / ".nashra" / RECORD_NAME, str(exc)
    else:
        where, reason = Path(exc.filename) if exc.filename is not None else folder, exc.strerror or str(exc)
    return NashraError(f"cannot write {where}: {reason}; {write_advice(exc)} (the articles already saved in {folder} "
                       "are kept, and the next fetch goes on from them)")


def _fetch(sources: Iterable[FeedSource], folder: Path, options: FetchOptions,
           client: PoliteClient | None) -> FetchReport:
    report = FetchReport(folder)
    with FetchRecord(folder) as record:
        own_client = client is None
        client = client or PoliteClient(delay=options.delay, timeout=options.timeout, max_bytes=options.max_bytes,
                                        max_wait=options.max_wait)
        client.blocked.update(record.blocked_hosts())
        run = _Run(record, client, folder, options, report)
        try:
            for pending in record.pending():
                run.page(pending.url, pending.outlet, _parse(pending.feed_date))
            for source in sources:
                run.source(source)
        finally:
            record.block_hosts(client.blocked)
            report.requests = client.requests
            if own_client:
                client.close()
    return report


class _Run:
    def __init__(self, record: FetchRecord, client: PoliteClient, folder: Path, options: FetchOptions,
                 report: FetchReport) -> None:
        self.record, self.client, self.folder, self.options, self.report = record, client, folder, options, report
        self.now = datetime.now(UTC)
        self.keys = _saved_keys(folder)
        self.done: set[str] = set()

    def add(self, url: str, state: str, reason: str = "", file: Path | None = None) -> None:
        outcome = Outcome(url, state, reason, file)
        self.report.outcomes.append(outcome)
        log.info("%s", outcome.line())

    def source(self, source: FeedSource) -> None:
        url = _normalize(source.url)
        known_feed = self.record.is_feed(url)
        if not known_feed and (url in self.done or self.record.state(url) is not None):
            if url not in self.done:
                self.add(url, "seen" if self.record.seen(url) else "deferred",
                         "fetched before" if self.record.seen(url) else "waiting to be tried again")
            return
        try:
            response = self.client.get(url, headers=self.record.validators(url))
        except FetchProblem as exc:
            self.add(url, exc.kind, exc.reason)
            return
        if response.status == 304:
            self.add(url, "unchanged", "feed not modified since the last run")
            return
        if known_feed or _is_feed(response):
            self.feed(url, response, source.outlet)
        elif url_key(url) in self.keys:
            self.add(url, "seen", "fetched before")
        else:
            self.page(url, source.outlet, None, response=response)

    def feed(self, url: str, response: Response, outlet: str | None) -> None:
        import feedparser  # type: ignore[import-untyped]

        parsed = feedparser.parse(response.body, response_headers=response.headers)
        if not parsed.entries and parsed.bozo:
            self.add(url, "failed", f"not a readable feed ({type(parsed.bozo_exception).__name__})")
            return
        title = (parsed.feed.get("title") or "").strip() or None
        entries = []
        for entry in parsed.entries:
            link = entry.get("link")
            if link:  # a relative link is relative to the feed's own address
                entries.append((_normalize(_join(response.url, link)), _entry_date(entry)))
        entries.sort(key=lambda e: e[1] or self.now, reverse=True)
        oldest = self.now - timedelta(days=self.options.days) if self.options.days else None
        for position, (link, published) in enumerate(entries):
            if link in self.done:
                continue
            if self.record.seen(link) or url_key(link) in self.keys:
                self.add(link, "seen", "fetched before")
            elif position >= self.options.max_per_feed:
                self.report.not_taken += 1
                log.info("not taken: %s: beyond the %d newest entries of the feed", link, self.options.max_per_feed)
            elif oldest and published and published < oldest:
                reason = f"published {published:%Y-%m-%d}, more than {self.options.days} days ago"
                self.record.mark(link, "skipped", reason)
                self.add(link, "skipped", reason)
            elif self.client.private(link) and not self.client.private(url):
                reason = "a public feed's link to a private address (this machine or its network)"
                self.record.mark(link, "skipped", reason)
                self.add(link, "skipped", reason)
            else:
                self.page(link, outlet, published, site_name=title)
        # Only now: a run stopped among the entries asks for the whole feed again next time (not "not modified").
        self.record.feed_checked(url, response.headers.get("etag"), response.headers.get("last-modified"))

    def page(self, url: str, outlet: str | None, feed_date: datetime | None,
             response: Response | None = None, site_name: str | None = None) -> None:
        self.done.add(url)
        stamp = feed_date.isoformat() if feed_date else None
        try:
            response = response or self.client.get(url)
        except Deferred as exc:
            self.record.mark(url, "deferred", exc.reason, retry_at=exc.retry_at, outlet=outlet, feed_date=stamp)
            self.add(url, "deferred", exc.reason)
            return
        except FetchProblem as exc:
            self.record.mark(url, exc.kind, exc.reason, outlet=outlet, feed_date=stamp)
            self.add(url, exc.kind, exc.reason)
            return
        final = _normalize(response.url)
        if final != url and (self.record.seen(final) or url_key(final) in self.keys):
            self.record.mark(url, "skipped", f"same article as {final}")
            self.add(url, "seen", f"same article as {final}, fetched before")
            return
        try:
            article = extract_article(response.body, final)
        except NotAnArticle as exc:
            self.record.mark(url, "skipped", str(exc))
            self.add(url, "skipped", str(exc))
            return
        canonical = _normalize(article.canonical) if article.canonical else None
        if canonical and canonical != final and self._saved_title(canonical) == article.title:
            self.record.mark(url, "skipped", f"same article as {canonical}")
            self.add(url, "seen", f"same article as {canonical}, fetched before")
            return
        article.source = article.source or site_name  # the page's site name, else the feed's title
        if article.date is None or (feed_date is not None and article.date.date() == feed_date.date()
                                    and article.date.timetz().replace(tzinfo=None) == time_of_day()):
            article.date = feed_date  # the feed's time of day is more precise than a page's bare date
        path = write_article(self.folder, article, self.now, outlet)
        self.keys.add(url_key(final))
        self.record.mark(url, "saved", file=path.name)
        if canonical and canonical != final and self.record.state(canonical) is None:
            self.record.mark(canonical, "saved", file=path.name)  # the same article under its own address
        if final != url:
            self.record.mark(final, "saved", file=path.name)
        self.add(url, "saved", file=path)


    def _saved_title(self, url: str) -> str | None:
        """The title of the article saved from ``url`` (None when there is none, or it is gone)."""
        name = self.record.saved_file(url)
        if name is None:
            return None
        try:
            head = (self.folder / name).read_text(encoding="utf-8").split("---\n", 2)[1]
            meta = yaml.safe_load(head)
        except (OSError, IndexError, UnicodeDecodeError, yaml.YAMLError):
            return None
        return meta.get("title") if isinstance(meta, dict) else None


def _saved_keys(folder: Path) -> set[str]:
    """URL keys of the articles already in ``folder`` (so that a lost record does not mean duplicates)."""
    if not folder.is_dir():
        return set()
    with os.scandir(folder) as entries:
        return {m.group(1) for e in entries if (m := _KEY_RE.search(e.name))}


def _normalize(url: str) -> str:
    """The URL without its fragment and tracking parameters (utm_*, fbclid, ...)."""
    from courlan import normalize_url

    try:
        return normalize_url(url.strip(), strict=True)
    except (ValueError, AttributeError):
        return url.strip()


def _join(base: str, link: str) -> str:
    """``link`` read against ``base``; as it is when it is not a valid URL (the client then says why)."""
    try:
        return urljoin(base, link)
    except ValueError:
        return link


def _is_feed(response: Response) -> bool:
    if response.content_type in _FEED_TYPES:
        head = response.body[:512].lstrip().lower()
        return not head.startswith((b"<!doctype html", b"<html"))
    head = response.body[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(b"<?xml") or head.startswith((b"<rss", b"<feed", b"<rdf"))


def _entry_date(entry: object) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = getattr(entry, "get")(key)
        if value:
            year, month, day, hour, minute, second = tuple(value)[:6]
            try:
                return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
            except (ValueError, TypeError, OverflowError):
                continue  # a date out of range (year 0, year 10000 once in UTC): no date
    return None


def _parse(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None
