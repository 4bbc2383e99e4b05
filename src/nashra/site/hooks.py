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


def _linear_search_duplicates(self: Any, search_index_entries: list[dict[str, Any]]) -> None:
    """mkdocs-static-i18n's de-duplication of search entries, in linear time.

    Same rule as the plugin's own (drop a translated entry whose title and
    text equal a default-language entry at the same location), but indexed
    instead of compared pair by pair, which took quadratic time in the number
    of pages: 11.5 s of a 2,000-article build, growing with the square.
    """
    prefixes = tuple(f"{lang}/" for lang in self.build_languages)
    translated: dict[tuple[Any, Any], list[dict[str, Any]]] = {}
    for entry in search_index_entries:
        if entry["location"].startswith(prefixes):
            translated.setdefault((entry["title"], entry["text"]), []).append(entry)
    removed: set[int] = set()
    for entry in search_index_entries:
        if entry["location"].startswith(prefixes):
            continue
        for candidate in translated.get((entry["title"], entry["text"]), ()):
            if id(candidate) not in removed and candidate["location"].endswith(entry["location"]):
                removed.add(id(candidate))
    if removed:
        search_index_entries[:] = [e for e in search_index_entries if id(e) not in removed]


def on_config(config: Any, **_: Any) -> Any:
    try:
        from mkdocs_static_i18n.reconfigure import ExtendedPlugin
    except ImportError:  # pragma: no cover - the plugin is a dependency
        return config
    if getattr(ExtendedPlugin.reconfigure_search_duplicates, "__name__", "") != _linear_search_duplicates.__name__:
        ExtendedPlugin.reconfigure_search_duplicates = _linear_search_duplicates  # type: ignore[method-assign]
    return config
