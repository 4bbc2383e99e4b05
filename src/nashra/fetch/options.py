"""The fetch settings (``[fetch]`` of nashra.toml), as a fetch run takes them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .. import options as check
from ..options import setting


def feeds(value: Any) -> list[tuple[str, str | None]]:
    """Feed URLs, or tables ``{ url = "...", outlet = "..." }``: (URL, outlet name or None) pairs."""
    if not isinstance(value, list):
        raise ValueError('must be a list of feed URLs or of tables such as { url = "https://...", outlet = "..." }')
    found: list[tuple[str, str | None]] = []
    for item in value:
        url, outlet = (item, None) if isinstance(item, str) else (
            (item.get("url"), item.get("outlet")) if isinstance(item, dict) else (None, None))
        if isinstance(item, dict) and set(item) - {"url", "outlet"}:
            raise ValueError(f"has an unknown key in {item!r} (known: url, outlet)")
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            raise ValueError(f"has {item!r}, which is not an http(s) URL or a table with one as url")
        if outlet is not None and not (isinstance(outlet, str) and outlet.strip()):
            raise ValueError(f"has {item!r}, whose outlet is not a name")
        found.append((url, outlet))
    return found


@dataclass
class FetchOptions:
    """Which feeds a run reads, how far back, and how politely."""

    SECTION = "fetch"

    #: (feed URL, outlet name or None) pairs.
    feeds: list[tuple[str, str | None]] = setting(
        factory=list, key="feeds", check=feeds, shown="`[]`",
        help="RSS/Atom feeds that `nashra fetch` reads (it writes new articles into the first source folder), each a"
             " URL or a table naming the outlet.",
        template_note='feeds = [\n  { url = "https://www.example-news.com/rss.xml", outlet = "Example News" },\n'
                      '  "https://another-outlet.example/feed/",\n]')
    #: Feed entries published more than this many days ago are skipped (None: no limit).
    days: int | None = setting(
        2, key="days", check=check.count, option=("--days",), kind=int,
        help="Feed entries published more than this many days ago are left out.")
    max_per_feed: int = setting(
        50, key="max_per_feed", check=check.count, option=("--max-per-feed",),
        help="At most this many of each feed's newest entries.")
    #: Seconds between two requests to one host.
    delay: float = setting(
        1.0, key="delay", check=check.seconds, option=("--delay",), help="Seconds between two requests to one site.")
    timeout: float = setting(
        20.0, key="timeout", check=check.at_least_a_second, option=("--timeout",),
        help="Seconds to wait for a site before giving up on it.")
    max_bytes: int = 5_000_000
    #: The longest Retry-After waited for within a run; longer ones defer the page to a later run.
    max_wait: float = 30.0
