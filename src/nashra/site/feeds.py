"""RSS feeds (one per language) and a bilingual sitemap.xml, written after MkDocs.

Dates come from the articles; an undated story has no date in the feed rather
than the time of the build. Feeds and sitemaps need absolute addresses: with
``site.url`` set, every link is absolute; without it the feed's links are
relative to the site root and the sitemaps hold relative addresses: enough
for the theme, which reads sitemap.xml at each language's root, but not for
search engines (MkDocs would otherwise leave one pointing at "None").
"""

from __future__ import annotations

import io
import logging
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from email.utils import format_datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

from ..stories import Story
from .escape import one_line
from .labels import LANGUAGES, site_path, sort_key
from .render import ARTICLES_DIR, STORIES_DIR, story_path

if TYPE_CHECKING:
    from ..catalog import Catalog
    from .build import SiteOptions

log = logging.getLogger(__name__)

FEED_NAME = "feed.xml"
FEED_ITEMS = 50
ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"


def feed_path(lang: str) -> str:
    """Where a language's feed lies, relative to the site root."""
    return site_path(lang, FEED_NAME)


def _link(options: SiteOptions, lang: str, path: str) -> str:
    """Absolute with site.url; otherwise relative to the feed, which sits in the language's root."""
    return options.url + site_path(lang, path) if options.url else path


def html_of(markdown_path: str) -> str:
    """Where MkDocs writes the page of a docs file (``a/b.md`` -> ``a/b.html``)."""
    return markdown_path.removesuffix(".md") + ".html"


def _summary_text(story: Story, lang: str) -> str:
    return one_line(" ".join(s.item.sentence_in(s.index, lang) for s in story.summary))


def render_feed(stories: Sequence[Story], lang: str, options: SiteOptions) -> bytes:
    """RSS 2.0 of the newest stories in ``lang``; every text is escaped by the XML writer."""
    ET.register_namespace("atom", ATOM)
    base = options.url
    rss = ET.Element("rss", {"version": "2.0"})
    channel = ET.SubElement(rss, "channel")
    ET.SubElement(channel, "title").text = options.name_in(lang)
    ET.SubElement(channel, "link").text = _link(options, lang, "index.html")
    ET.SubElement(channel, "description").text = options.description or options.name_in(lang)
    ET.SubElement(channel, "language").text = lang
    if base:
        ET.SubElement(channel, f"{{{ATOM}}}link", {"href": base + feed_path(lang), "rel": "self",
                                                   "type": "application/rss+xml"})
    ordered = sorted(stories, key=lambda s: (sort_key(s.latest), s.id))
    dated = [s.latest for s in ordered if s.latest]
    if dated:
        ET.SubElement(channel, "lastBuildDate").text = format_datetime(max(dated))
    for story in ordered[:FEED_ITEMS]:
        item = ET.SubElement(channel, "item")
        ET.SubElement(item, "title").text = one_line(story.lead.title_in(lang))
        ET.SubElement(item, "link").text = _link(options, lang, html_of(story_path(story)))
        ET.SubElement(item, "guid", {"isPermaLink": "false"}).text = f"nashra:{story.id}"
        ET.SubElement(item, "description").text = _summary_text(story, lang)
        if story.latest:
            ET.SubElement(item, "pubDate").text = format_datetime(story.latest)
        for source in story.sources:
            ET.SubElement(item, "category").text = one_line(source)
    ET.indent(rss)
    return ET.tostring(rss, encoding="utf-8", xml_declaration=True)


Page = tuple[str, datetime | None]


def story_pages(stories: Iterable[Story]) -> Iterator[Page]:
    """The home page, story pages and article pages of ``stories``, with their dates (for the sitemap)."""
    stories = list(stories)
    yield "index.html", max((s.latest for s in stories if s.latest), default=None)
    for story in stories:
        if len(story.items) > 1:
            yield f"{STORIES_DIR}/{story.id}.html", story.latest
        yield from ((f"{ARTICLES_DIR}/{i.id}.html", i.date) for i in story.items)


def catalog_pages(catalog: Catalog) -> Iterator[Page]:
    """The same pages as :func:`story_pages`, read from a catalog a page of rows at a time."""
    yield "index.html", catalog.newest_date()
    yield from ((f"{STORIES_DIR}/{story_id}.html", latest) for story_id, latest in catalog.story_dates())
    yield from ((f"{ARTICLES_DIR}/{article_id}.html", when) for article_id, when in catalog.article_dates())


def write_sitemap(out: IO[bytes], pages: Iterable[Page], options: SiteOptions, langs: Sequence[str] = LANGUAGES,
                  root: str = "") -> None:
    """A sitemap of ``pages`` in ``langs``, with hreflang alternates, written as it is made.

    Addresses are absolute with ``site.url``; otherwise relative to ``root``
    (the folder the sitemap is written to). Every text is escaped.
    """

    def address(lang: str, path: str) -> str:
        page = site_path(lang, path)
        if options.url:
            return options.url + page
        return page[len(root):] if root and page.startswith(root) else ("../" * root.count("/")) + page

    out.write(f"<?xml version='1.0' encoding='utf-8'?>\n<urlset xmlns=\"{SITEMAP}\" xmlns:xhtml=\"{XHTML}\">\n"
              .encode())
    for path, date in pages:
        for lang in langs:
            lines = ["  <url>", f"    <loc>{escape(address(lang, path))}</loc>"]
            if date is not None:
                lines.append(f"    <lastmod>{date.date().isoformat()}</lastmod>")
            lines.extend(f'    <xhtml:link rel="alternate" hreflang="{other}" href={quoteattr(address(other, path))} />'
                         for other in LANGUAGES)
            lines.append("  </url>\n")
            out.write("\n".join(lines).encode("utf-8"))
    out.write(b"</urlset>")


def render_sitemap(stories: Sequence[Story], options: SiteOptions, langs: Sequence[str] = LANGUAGES,
                   root: str = "") -> bytes:
    """The sitemap of ``stories``' pages (see :func:`write_sitemap`)."""
    out = io.BytesIO()
    write_sitemap(out, story_pages(stories), options, langs, root)
    return out.getvalue()


def write_feeds_and_sitemap(site_dir: Path, catalog: Catalog, options: SiteOptions) -> None:
    """A feed per language; sitemap.xml at the root (both languages) and in ar/ (Arabic pages)."""
    newest = catalog.newest(FEED_ITEMS)
    for lang in LANGUAGES:
        target = site_dir / feed_path(lang)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(render_feed(newest, lang, options))
    (site_dir / "sitemap.xml.gz").unlink(missing_ok=True)
    with (site_dir / "sitemap.xml").open("wb") as out:
        write_sitemap(out, catalog_pages(catalog), options)
    for lang in LANGUAGES:
        if lang != "en":
            with (site_dir / lang / "sitemap.xml").open("wb") as out:
                write_sitemap(out, catalog_pages(catalog), options, [lang], root=f"{lang}/")
    if not options.url:
        log.info("no site.url set: feeds and sitemaps hold relative addresses; set it for search engines and feed readers")
