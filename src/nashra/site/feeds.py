"""Feeds (RSS 2.0 and Atom, one of each per language) and the sitemap format, written after MkDocs.

Dates come from the articles; an undated story has no date in the RSS feed
rather than the time of the build. Feeds and sitemaps need absolute
addresses: with a site URL (``--site-url`` or ``site.url``), every link is
absolute; without it the feeds' links are relative to the language's root
and the sitemaps hold relative addresses: not enough for search engines and
feed readers. Which sitemaps a site has is :mod:`nashra.site.sitemaps`'.

Every text of a feed comes from articles nobody vetted, and feed readers
render RSS titles, categories and descriptions as HTML: each text is
HTML-escaped before the XML writer escapes it again, so that a source named
``<img src=x onerror=...>`` is shown as those characters, never as an image.
A description carries HTML built from such escaped pieces only. Atom says
what its texts are (``type="text"`` titles, ``type="html"`` summaries).
"""

from __future__ import annotations

import html
import logging
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

from ..stories.story import Story
from .escape import one_line
from .options import SiteOptions
from .labels import LANGUAGES, sort_key
from .urls import (HOME, SITEMAP_NAME, absolute, atom_file, feed_file, html_address, html_name, relative, site_path,
                   story_address)

if TYPE_CHECKING:
    from .inputs import Archive

log = logging.getLogger(__name__)

FEED_ITEMS = 50
ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"
#: A feed's description when the project gives none, in the feed's language.
DEFAULT_DESCRIPTIONS = {
    "en": "A bilingual briefing of the Arabic press",
    "ar": "موجز ثنائي اللغة للصحافة العربية",
}
_SOURCES_LABEL = {"en": "Sources", "ar": "المصادر"}
#: Atom needs a date for every entry: an undated story takes the newest date of the feed, and a
#: feed without any date this one (never the time of the build, which would change every build).
_NO_DATE = datetime(1970, 1, 1, tzinfo=UTC)

# A run of Latin text inside Arabic: letters or digits, with the spaces and punctuation between them.
_LATIN_RUN_RE = re.compile(r"[A-Za-z0-9\u00c0-\u024f](?:[A-Za-z0-9\u00c0-\u024f .,:;'’&/+_()\-]*[A-Za-z0-9\u00c0-\u024f)])?")
_FSI, _PDI = "\u2068", "\u2069"


def _link(options: SiteOptions, lang: str, path: str) -> str:
    """Absolute with a site URL; otherwise relative to the feed, which sits in the language's root."""
    return absolute(options.url, lang, path)


def isolate_latin(text: str) -> str:
    """Arabic text with each Latin run (a name, a number, a model path) between Unicode isolates.

    A feed title is plain text, so ``<bdi>`` is not available: FSI ... PDI
    keep "BBC" or "2018" in place whatever the reader's base direction.
    """
    return _LATIN_RUN_RE.sub(lambda m: f"{_FSI}{m.group(0)}{_PDI}", text)


def feed_text(text: str, lang: str) -> str:
    """One line of untrusted text as a feed shows it (Latin runs isolated in Arabic)."""
    text = one_line(text)
    return isolate_latin(text) if lang == "ar" else text


def _html_text(text: str, lang: str) -> str:
    """Plain text for an RSS element that readers render as HTML: HTML-escaped (XML-escaped on writing)."""
    return html.escape(feed_text(text, lang), quote=False)


def description_html(story: Story, lang: str) -> str:
    """A story's summary as HTML made only of escaped pieces: a paragraph per sentence, then the sources."""
    sentences = [one_line(s.item.sentence_in(s.index, lang)) for s in story.summary]
    parts = [f"<p>{html.escape(s, quote=False)}</p>" for s in sentences if s]
    if story.sources:
        names = ("، " if lang == "ar" else ", ").join(feed_text(s, lang) for s in story.sources)
        parts.append(f"<p>{_SOURCES_LABEL[lang]}: {html.escape(names, quote=False)}</p>")
    body = "".join(parts)
    return f'<div dir="rtl" lang="ar">{body}</div>' if lang == "ar" else body


def _description(options: SiteOptions, lang: str) -> str:
    given = options.description_ar if lang == "ar" else options.description
    return one_line(given) or DEFAULT_DESCRIPTIONS[lang]


def _newest(stories: Sequence[Story]) -> tuple[list[Story], datetime | None]:
    ordered = sorted(stories, key=lambda s: (sort_key(s.latest), s.id))
    dated = [s.latest for s in ordered if s.latest]
    return ordered[:FEED_ITEMS], max(dated) if dated else None


def render_feed(stories: Sequence[Story], lang: str, options: SiteOptions) -> bytes:
    """RSS 2.0 of the newest stories in ``lang``; every text is escaped as text (see the module's notes)."""
    ET.register_namespace("atom", ATOM)
    base = options.url
    rss = ET.Element("rss", {"version": "2.0"})
    channel = ET.SubElement(rss, "channel")
    ET.SubElement(channel, "title").text = _html_text(options.name_in(lang), lang)
    ET.SubElement(channel, "link").text = _link(options, lang, html_name(HOME))
    ET.SubElement(channel, "description").text = html.escape(_description(options, lang), quote=False)
    ET.SubElement(channel, "language").text = lang
    if base:
        ET.SubElement(channel, f"{{{ATOM}}}link", {"href": base + feed_file(lang), "rel": "self",
                                                   "type": "application/rss+xml"})
    newest, latest = _newest(stories)
    if latest:
        ET.SubElement(channel, "lastBuildDate").text = format_datetime(latest)
    for story in newest:
        item = ET.SubElement(channel, "item")
        ET.SubElement(item, "title").text = _html_text(story.lead.title_in(lang), lang)
        ET.SubElement(item, "link").text = _link(options, lang, html_address(story_address(story)))
        ET.SubElement(item, "guid", {"isPermaLink": "false"}).text = f"nashra:{story.id}"
        ET.SubElement(item, "description").text = description_html(story, lang)
        if story.latest:
            ET.SubElement(item, "pubDate").text = format_datetime(story.latest)
        for source in story.sources:
            ET.SubElement(item, "category").text = _html_text(source, lang)
    ET.indent(rss)
    return ET.tostring(rss, encoding="utf-8", xml_declaration=True)


def _atom_date(when: datetime) -> str:
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).isoformat()


def render_atom(stories: Sequence[Story], lang: str, options: SiteOptions) -> bytes:
    """Atom of the newest stories in ``lang``: text titles, HTML summaries made of escaped pieces."""
    ET.register_namespace("", ATOM)
    base = options.url

    def el(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        element.text = text
        return element

    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": lang})
    newest, latest = _newest(stories)
    el(feed, "title", feed_text(options.name_in(lang), lang), type="text")
    el(feed, "subtitle", _description(options, lang), type="text")
    el(feed, "id", base + atom_file(lang) if base else f"urn:nashra:feed:{lang}")
    el(feed, "updated", _atom_date(latest or _NO_DATE))
    el(feed, "link", href=_link(options, lang, html_name(HOME)), rel="alternate", type="text/html")
    if base:
        el(feed, "link", href=base + atom_file(lang), rel="self", type="application/atom+xml")
    el(el(feed, "author"), "name", feed_text(options.name_in(lang), lang))
    for story in newest:
        entry = el(feed, "entry")
        el(entry, "title", feed_text(story.lead.title_in(lang), lang), type="text")
        el(entry, "link", href=_link(options, lang, html_address(story_address(story))), rel="alternate", type="text/html")
        el(entry, "id", f"urn:nashra:story:{story.id}")
        el(entry, "updated", _atom_date(story.latest or latest or _NO_DATE))
        if story.latest:
            el(entry, "published", _atom_date(story.latest))
        el(entry, "summary", description_html(story, lang), type="html")
        for source in story.sources:
            el(entry, "category", term=one_line(source))
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


Page = tuple[str, datetime | None]


def write_sitemap(out: IO[bytes], pages: Iterable[Page], options: SiteOptions, langs: Sequence[str] = LANGUAGES,
                  root: str = "") -> None:
    """A sitemap of ``pages`` in ``langs``, with hreflang alternates, written as it is made.

    Addresses are absolute with ``site.url``; otherwise relative to ``root``
    (the folder the sitemap is written to). Every text is escaped.
    """

    def address(lang: str, path: str) -> str:
        page = site_path(lang, path)
        return options.url + page if options.url else relative(root + SITEMAP_NAME, page)

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


def write_feeds(site_dir: Path, archive: Archive, options: SiteOptions) -> None:
    """An RSS and an Atom feed per language, of the newest stories."""
    newest = archive.newest(FEED_ITEMS)
    for lang in LANGUAGES:
        target = site_dir / feed_file(lang)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(render_feed(newest, lang, options))
        (site_dir / atom_file(lang)).write_bytes(render_atom(newest, lang, options))
    if not options.url:
        log.info("no site URL set (--site-url or site.url): feeds and sitemaps hold relative addresses;"
                 " set one for search engines and feed readers")
