"""``nashra fetch``: new articles from feeds and pages into Markdown files."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..config import Settings

if TYPE_CHECKING:
    from ..fetch.run import FetchReport


def fetch(settings: Settings, urls: list[str], folder: Path | None = None,
          outlet: str | None = None) -> FetchReport:
    """Fetch ``urls`` (default: the settings' feeds) into ``folder`` (default: the first source); prints a summary.

    Returns the fetch report.
    """
    from ..errors import ConfigError, MissingDependencyError

    try:
        import feedparser  # noqa: F401
        import trafilatura  # noqa: F401
    except ImportError as exc:
        raise MissingDependencyError(exc.name or "trafilatura", "fetch", "to fetch articles") from None
    from ..fetch import FeedSource
    from ..fetch import fetch as run_fetch

    if urls:
        sources = [FeedSource(url, outlet) for url in urls]
    elif settings.fetch.feeds:
        sources = [FeedSource(url, name) for url, name in settings.fetch.feeds]
    else:
        raise ConfigError("no feeds to fetch")  # the command line asks for URLs before calling
    folder = folder or Path(settings.sources[0])
    report = run_fetch(sources, folder, settings.fetch)
    counts = {state: len(report.having(state)) for state in ("saved", "seen", "skipped", "failed", "deferred")}
    unchanged = len(report.having("unchanged"))
    click.echo(f"Fetched {counts['saved']} new article{'s' if counts['saved'] != 1 else ''} into {folder}"
               f" ({report.requests} requests); {counts['seen']} seen before, {counts['skipped']} skipped,"
               f" {counts['failed']} failed, {counts['deferred']} deferred"
               f"{f', {report.not_taken} left for later (--max-per-feed)' if report.not_taken else ''}"
               f"{f', {unchanged} feeds unchanged' if unchanged else ''}.",
               err=True)
    for outcome in report.outcomes:
        if outcome.state in ("skipped", "failed", "deferred"):
            click.echo(f"  {outcome.line()}", err=True)
    return report
