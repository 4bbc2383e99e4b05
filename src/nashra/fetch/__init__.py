"""``nashra fetch``: articles from outlets' feeds and pages, politely, into Markdown files.

* :mod:`.http`: the polite client (robots.txt, per-host delay, limits, Retry-After);
* :mod:`.extract`: the article's text and metadata (trafilatura, htmldate) as Markdown;
* :mod:`.record`: what was fetched (``DIR/.nashra/fetch.sqlite3``);
* :mod:`.run`: one run over feeds and pages (feedparser), and its report.

Needs ``pip install 'nashra[fetch]'``.
"""

from __future__ import annotations

from typing import Any

from .options import FetchOptions


def __getattr__(name: str) -> Any:
    """The run's names, imported on first use (feedparser, trafilatura and the HTTP client are heavy)."""
    if name in ("FeedSource", "FetchReport", "Outcome", "fetch"):
        from . import run

        return getattr(run, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["FeedSource", "FetchOptions", "FetchReport", "Outcome", "fetch"]
