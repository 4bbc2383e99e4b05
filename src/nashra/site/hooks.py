"""MkDocs hooks used by every briefing site Nashra builds.

Page titles come from article front matter, and the Material theme inserts
them into the page without escaping; they are escaped here, for rendering
only (the Markdown files keep the real title).
"""

from __future__ import annotations

import html
import posixpath
import re
from typing import Any

# Material's theme fetches sitemap.xml next to every <link rel="alternate"> in the head; the
# per-page language alternates would send it to folders without one. The language switcher in
# the header keeps its links, and sitemap.xml carries the hreflang alternates for search engines.
_HREFLANG_LINK_RE = re.compile(r'\s*<link rel="alternate" href="[^"]*" hreflang="[^"]*">')

FEED_NAME = "feed.xml"


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any, **_: Any) -> str:
    title = page.meta.get("title")
    if title is not None:
        page.meta["title"] = html.escape(" ".join(str(title).split()), quote=True)
    return markdown


def on_post_page(output: str, page: Any, config: Any, **_: Any) -> str:
    """Link the page's language feed from its head."""
    lang = (config.get("theme") or {}).get("language", "en") if hasattr(config, "get") else "en"
    feed = FEED_NAME if lang == "en" else f"{lang}/{FEED_NAME}"
    here = posixpath.dirname(page.url or "")
    href = posixpath.relpath(feed, here or ".")
    title = html.escape(str(config.get("site_name", "")), quote=True)
    link = f'<link rel="alternate" type="application/rss+xml" title="{title}" href="{html.escape(href, quote=True)}">'
    head, _, body = output.partition("</head>")
    head = _HREFLANG_LINK_RE.sub("", head)
    # The page is rendered and about to be written: let its text go, so that a build's memory
    # does not grow with every page of the archive.
    page.content = None
    page.markdown = None
    return f"{head}  {link}\n  </head>{body}"
