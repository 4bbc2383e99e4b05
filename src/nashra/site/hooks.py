"""MkDocs hooks used by every briefing site Nashra builds.

Page titles come from article front matter, and the Material theme inserts
them into the page without escaping; they are escaped here, for rendering
only (the Markdown files keep the real title).
"""

from __future__ import annotations

import copy
import html
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

from mkdocs.plugins import event_priority

from nashra.site.chrome import slim
from nashra.site.progress import page_rendered
from nashra.site.search import add_search
from nashra.site.urls import atom_file, feed_file, relative

# Material's theme fetches sitemap.xml next to every <link rel="alternate"> in the head; the
# per-page language alternates would send it to folders without one. The language switcher in
# the header keeps its links, and sitemap.xml carries the hreflang alternates for search engines.
_HREFLANG_LINK_RE = re.compile(r'\s*<link rel="alternate" href="[^"]*" hreflang="[^"]*">')
# The language switcher names each language in itself ("English" on an Arabic page, "العربية" on an
# English one): each link says its language, so that a screen reader reads the name in that language.
_SWITCHER_LINK_RE = re.compile(r'(<a href="[^"]*" hreflang="([a-z]{2,3})" class="md-select__link")>')


# A relative Markdown link to another page: ](articles/x.md) or ](../stories/y.md#part).
_PAGE_LINK_RE = re.compile(r"\]\((?![a-zA-Z][a-zA-Z0-9+.-]*:|/|#)([^()\s]+?)\.md(#[^()\s]*)?\)")


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any, **_: Any) -> str:
    title = page.meta.get("title")
    if title is not None:
        page.meta["title"] = html.escape(" ".join(str(title).split()), quote=True)
    # Nashra renders a large site in parts (nashra.site.pagebuild), so the page a link points to
    # may be in another part: link to its HTML directly (pages are written as NAME.html, relative
    # links work in every language folder) instead of letting MkDocs look it up among the part's files.
    return _PAGE_LINK_RE.sub(r"](\1.html\2)", markdown)


# -- pages wait on disk, not in memory --------------------------------------------------
# MkDocs renders every page's Markdown first and applies the theme afterwards, so between the
# two passes the HTML of the whole archive would sit in memory. Each page's HTML waits in a
# folder beside the site instead, and comes back just before its template is rendered.

_waiting: dict[str, Any] = {"folder": None, "count": 0}


def on_pre_build(config: Any, **_: Any) -> None:
    site_dir = Path(config["site_dir"]).resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    _waiting["folder"] = Path(tempfile.mkdtemp(prefix=".nashra-pages-", dir=site_dir.parent))
    _waiting["count"] = 0


@event_priority(-100)  # after every other plugin has changed the page's HTML
def on_page_content(html_text: str, page: Any, config: Any, files: Any, **_: Any) -> str | None:
    folder = _waiting["folder"]
    if folder is None:
        return html_text
    _waiting["count"] += 1
    spilled = folder / f"{_waiting['count']}.html"
    spilled.write_text(html_text, encoding="utf-8")
    page.nashra_spilled = spilled
    page.markdown = None  # rendered: the Markdown source is no longer needed
    return None


@event_priority(100)  # before the search index and the theme read the page's HTML
def on_page_context(context: Any, page: Any, config: Any, nav: Any, **_: Any) -> Any:
    spilled = getattr(page, "nashra_spilled", None)
    if spilled is not None:
        page.content = spilled.read_text(encoding="utf-8")
        spilled.unlink()
        page.nashra_spilled = None
    return context


def on_template_context(context: Any, template_name: str, config: Any, **_: Any) -> Any:
    """The 404 page offers each language's home page, not the alternates of whichever page came last."""
    plugin = config.plugins.get("i18n") if template_name == "404.html" else None
    base = getattr(plugin, "extra_alternate", None)
    if base:
        # The plugin sets the page's alternates as an attribute, which is what the theme reads.
        config.extra.alternate = copy.deepcopy(base)
    return context


def _release_waiting() -> None:
    folder = _waiting["folder"]
    _waiting["folder"] = None
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


def on_post_build(config: Any, **_: Any) -> None:
    _release_waiting()


def on_build_error(error: Exception, **_: Any) -> None:
    _release_waiting()


def on_post_page(output: str, page: Any, config: Any, **_: Any) -> str:
    """Link the page's language feeds (RSS and Atom) from its head; add the search box (see nashra.site.search)."""
    lang = (config.get("theme") or {}).get("language", "en") if hasattr(config, "get") else "en"
    title = html.escape(str(config.get("site_name", "")), quote=True)
    feeds = "\n  ".join(
        f'<link rel="alternate" type="{kind}" title="{title}"'
        f' href="{html.escape(relative(page.url or "", feed), quote=True)}">'
        for kind, feed in (("application/rss+xml", feed_file(lang)), ("application/atom+xml", atom_file(lang))))
    head, _sep, body = output.partition("</head>")
    head = _HREFLANG_LINK_RE.sub("", head)
    body = _SWITCHER_LINK_RE.sub(r'\1 lang="\2">', body)
    page_rendered()
    # The page is rendered and about to be written: let its HTML go (its Markdown went when it was
    # rendered, see on_page_content), so that a build's memory does not grow with every page.
    page.content = None
    return squeeze(slim(add_search(f"{head}  {feeds}\n  </head>{body}", page.url or ""), page.url or ""))


# Whitespace the theme's templates leave between tags and at the start of lines: about a tenth of a
# page. A run of whitespace that holds a line break is shown as one space wherever it is (but in
# <pre> and <textarea>, kept as they are), so it becomes one line break: the page reads the same.
_KEEP_WHITESPACE_RE = re.compile(r"(<(pre|textarea)\b.*?</\2>)", re.S | re.I)
_LINE_BREAK_RUN_RE = re.compile(r"[ \t]*\n\s*")


def squeeze(output: str) -> str:
    """``output`` with each run of whitespace holding a line break made one line break (not in <pre>, <textarea>)."""
    pieces = _KEEP_WHITESPACE_RE.split(output)
    # split() gives text, then for each match the whole element and its tag name, then text again.
    return "".join(_LINE_BREAK_RUN_RE.sub("\n", piece) if k % 3 == 0 else piece if k % 3 == 1 else ""
                   for k, piece in enumerate(pieces))
