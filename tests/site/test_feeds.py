"""RSS feeds per language and the bilingual sitemap."""

import xml.etree.ElementTree as ET
from datetime import datetime, timezone

from nashra.pipeline import process
from nashra.site.build import SiteOptions
from nashra.site.feeds import render_feed, render_sitemap
from nashra.stories import build_stories
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
    assert any("<script>" in (t.text or "") for t in ar.iter("title"))


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
