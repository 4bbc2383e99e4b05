"""RSS and Atom feeds per language and the bilingual sitemap."""

import html
import re
import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from html.parser import HTMLParser

import feedparser
import pytest

from oracles import build_stories, process, render_sitemap
from nashra.site.options import SiteOptions
from nashra.site.feeds import DEFAULT_DESCRIPTIONS, isolate_latin, render_atom, render_feed
from nashra.summarize import get_summarizer


def _stories(data_dir, dict_translator, tmp_path):
    hostile = tmp_path / "hostile.md"
    hostile.write_text("---\ntitle: '<script>alert(1)</script> ]]> &amp;'\nsource: '<b>x</b>'\n"
                       "date: 2024-03-04\n---\n\nنص عربي عن الخبر هنا.\n", encoding="utf-8")
    items, _ = process([data_dir / "article.md", data_dir / "plain.txt", hostile], dict_translator.impl, get_summarizer())
    return build_stories(items)


def test_feed_items_dates_and_escaping(data_dir, dict_translator, tmp_path):
    stories = _stories(data_dir, dict_translator, tmp_path)
    for lang in ("en", "ar"):
        xml = render_feed(stories, lang, SiteOptions(url="https://example.org/b/"))
        channel = ET.fromstring(xml).find("channel")
        items = channel.findall("item")
        assert len(items) == 3
        assert channel.findtext("language") == lang
        # Newest first; the undated story has no pubDate (not the build time).
        assert items[0].findtext("pubDate") == "Tue, 05 Mar 2024 10:15:00 +0200"
        assert items[-1].find("pubDate") is None
        prefix = "https://example.org/b/" + ("" if lang == "en" else "ar/")
        # A story of one article is read on that article's page (it has no story page).
        assert all(len(s.items) == 1 for s in stories)
        assert all(i.findtext("link").startswith(prefix + "articles/") for i in items)
        assert b"<script>" not in xml and b"<b>" not in xml
    ar = ET.fromstring(render_feed(stories, "ar", SiteOptions()))
    assert ar.find("channel/item/title").text  # parsed back: text kept, markup inert
    # Readers render RSS titles as HTML: the title is HTML-escaped text inside the XML.
    titles = [(t.text or "").replace("\u2068", "").replace("\u2069", "") for t in ar.iter("title")]
    assert any("&lt;script&gt;" in t for t in titles)


def test_relative_feed_links_without_a_site_url(data_dir, dict_translator, tmp_path):
    stories = _stories(data_dir, dict_translator, tmp_path)
    channel = ET.fromstring(render_feed(stories, "ar", SiteOptions())).find("channel")
    assert channel.findtext("link") == "index.html"  # relative to ar/feed.xml
    assert channel.find("item/link").text.startswith("articles/")


def test_sitemap_has_both_languages_and_article_dates(data_dir, dict_translator, tmp_path):
    stories = _stories(data_dir, dict_translator, tmp_path)
    root = ET.fromstring(render_sitemap(stories, SiteOptions(url="https://example.org/b/")))
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    locations = [u.findtext("s:loc", namespaces=ns) for u in root.findall("s:url", ns)]
    assert "https://example.org/b/articles/farmers-plan-2024.html" in locations
    assert "https://example.org/b/ar/articles/farmers-plan-2024.html" in locations
    entry = next(u for u in root.findall("s:url", ns) if u.findtext("s:loc", namespaces=ns).endswith("/ar/articles/farmers-plan-2024.html"))
    assert entry.findtext("s:lastmod", namespaces=ns) == "2024-03-05"
    assert {l.get("hreflang") for l in entry.findall("x:link", ns)} == {"en", "ar"}
    today = datetime.now(timezone.utc).date().isoformat()
    assert today not in render_sitemap(stories, SiteOptions(url="https://example.org/b/")).decode()


HOSTILE_SOURCE = "<img src=x onerror=alert(1)>"
HOSTILE_SENTENCE = "قال المتحدث <svg onload=alert(2)> إن الوضع هادئ."


def _hostile_stories(dict_translator, tmp_path):
    hostile = tmp_path / "hostile.md"
    hostile.write_text(f"---\ntitle: '<script>alert(3)</script> خبر'\nsource: '{HOSTILE_SOURCE}'\n"
                       f"date: 2024-03-04\n---\n\n{HOSTILE_SENTENCE}\n", encoding="utf-8")
    items, _ = process([hostile], dict_translator.impl, get_summarizer())
    return build_stories(items)


class _Elements(HTMLParser):
    """The elements a browser would make of a feed's HTML text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))


def _rendered(detail) -> tuple[str, list]:
    """What a reader shows of a feedparser text: (visible text, elements made); text/plain makes none."""
    if detail["type"] != "text/html":
        return detail["value"], []
    parser = _Elements()
    parser.feed(detail["value"])
    return html.unescape(re.sub(r"<[^>]*>", "", detail["value"])), parser.tags


def _plain(text: str) -> str:
    return text.replace("\u2068", "").replace("\u2069", "")


@pytest.mark.parametrize("render", [render_feed, render_atom])
def test_hostile_text_is_inert_in_rss_and_atom(render, dict_translator, tmp_path):
    """Parsed by feedparser as a reader would (no sanitizing): the hostile strings are shown, never elements."""
    stories = _hostile_stories(dict_translator, tmp_path)
    for lang in ("en", "ar"):
        parsed = feedparser.parse(render(stories, lang, SiteOptions(url="https://example.org/b/")),
                                  sanitize_html=False, resolve_relative_uris=False)
        assert not parsed.bozo, parsed.bozo_exception
        [entry] = parsed.entries
        title, made = _rendered(entry.title_detail)
        assert "<script>" in _plain(title) and made == []
        summary, made = _rendered(entry.summary_detail)
        assert {tag for tag, _ in made} <= {"p", "div"}, made
        assert all(name in ("dir", "lang") for _, attrs in made for name, _ in attrs)
        assert HOSTILE_SOURCE in _plain(summary)
        if lang == "ar":
            assert "<svg onload=alert(2)>" in summary
        terms = [tag.term for tag in entry.tags]
        for term in terms:
            shown, made = _rendered({"type": "text/html" if render is render_feed else "text/plain",
                                     "value": term})
            assert made == [] and HOSTILE_SOURCE in _plain(shown)


def test_atom_feed_is_valid_and_dated(data_dir, dict_translator, tmp_path):
    stories = _stories(data_dir, dict_translator, tmp_path)
    parsed = feedparser.parse(render_atom(stories, "en", SiteOptions(url="https://example.org/b/")))
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.version == "atom10"
    assert parsed.feed.link == "https://example.org/b/index.html"
    assert [link.href for link in parsed.feed.links if link.rel == "self"] == ["https://example.org/b/atom.xml"]
    assert len(parsed.entries) == 3
    assert all(e.link.startswith("https://example.org/b/articles/") for e in parsed.entries)
    assert parsed.entries[0].published == "2024-03-05T10:15:00+02:00"
    # The undated story takes the feed's newest date (Atom requires one), never the build time.
    assert "published" not in parsed.entries[-1] and parsed.entries[-1].updated == parsed.feed.updated


def test_arabic_feeds_describe_themselves_in_arabic_and_isolate_latin(dict_translator, tmp_path):
    article = tmp_path / "bbc.md"
    article.write_text("---\ntitle: 'تقرير BBC عن انتخابات 2018'\nsource: BBC\ndate: 2018-02-27\n---\n\n"
                       "نص عربي عن الانتخابات هنا.\n", encoding="utf-8")
    items, _ = process([article], dict_translator.impl, get_summarizer())
    stories = build_stories(items)
    for render in (render_feed, render_atom):
        parsed = feedparser.parse(render(stories, "ar", SiteOptions()))
        assert not parsed.bozo, parsed.bozo_exception
        description = parsed.feed.get("description") or parsed.feed.get("subtitle")
        assert description == DEFAULT_DESCRIPTIONS["ar"]
        assert parsed.entries[0].title == "تقرير \u2068BBC\u2069 عن انتخابات \u20682018\u2069"
    own = SiteOptions(description="Daily news", description_ar="أخبار يومية")
    assert ET.fromstring(render_feed(stories, "ar", own)).findtext("channel/description") == "أخبار يومية"
    assert ET.fromstring(render_feed(stories, "en", own)).findtext("channel/description") == "Daily news"


def test_isolate_latin_runs():
    assert isolate_latin("قال Lloyd Austin إن") == "قال \u2068Lloyd Austin\u2069 إن"
    assert isolate_latin("نص عربي فقط") == "نص عربي فقط"
    assert isolate_latin("نموذج Helsinki-NLP/opus-mt-ar-en هنا") == "نموذج \u2068Helsinki-NLP/opus-mt-ar-en\u2069 هنا"
