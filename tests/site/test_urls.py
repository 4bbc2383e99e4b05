"""Where pages lie and how they link: nashra.site.urls."""

from __future__ import annotations

import posixpath
from datetime import date
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nashra.site import urls
from oracles import process, render_docs


@pytest.mark.parametrize(("here", "target", "expected"), [
    ("index", "articles/a1", "articles/a1.md"),
    ("index", "archive/index", "archive/index.md"),
    ("articles/a1", "stories/s1", "../stories/s1.md"),
    ("stories/s1", "articles/a1", "../articles/a1.md"),
    ("archive/index", "archive/2024-05-01", "2024-05-01.md"),
    ("archive/2024-05-01", "archive/index", "index.md"),
    ("sources/index", "sources/bbcarabic", "bbcarabic.md"),
    ("sources/bbcarabic-2", "sources/bbcarabic-3", "bbcarabic-3.md"),
    ("sources/bbcarabic", "articles/a1", "../articles/a1.md"),
])
def test_markdown_links_are_relative_to_the_page(here, target, expected):
    assert urls.link(here, target) == expected


@pytest.mark.parametrize(("here", "target", "expected"), [
    ("index.html", "feed.xml", "feed.xml"),
    ("ar/articles/x.html", "ar/feed.xml", "../feed.xml"),
    ("articles/x.html", "pagefind", "../pagefind"),
    ("ar/index.html", "pagefind", "../pagefind"),
    ("", "pagefind", "pagefind"),
    ("ar/sitemap.xml", "articles/x.html", "../articles/x.html"),
    ("ar/sitemap.xml", "ar/articles/x.html", "articles/x.html"),
    ("sitemap.xml", "ar/index.html", "ar/index.html"),
])
def test_relative_addresses_between_files(here, target, expected):
    assert urls.relative(here, target) == expected


def test_pages_sources_and_destinations():
    assert urls.article_page("a1") == "articles/a1"
    assert urls.story_page("s1") == "stories/s1"
    assert urls.day_page(date(2024, 5, 1)) == "archive/2024-05-01"
    assert urls.day_page(None) == "archive/undated"
    assert urls.outlet_page("bbcarabic") == "sources/bbcarabic"
    assert urls.outlet_page("bbcarabic", 3) == "sources/bbcarabic-3"
    assert urls.docs_file("articles/a1", "ar") == "articles/a1.ar.md"
    assert urls.split_docs_file("articles/a1.ar.md") == ("articles/a1", "ar")
    assert urls.split_docs_file(urls.docs_file("sources/x-2", "en")) == ("sources/x-2", "en")
    assert urls.html_file("articles/a1", "en") == "articles/a1.html"
    assert urls.html_file("articles/a1", "ar") == "ar/articles/a1.html"
    for lang in ("en", "ar"):
        assert urls.page_of_location(urls.html_file("stories/s1", lang) + "#summary") == "stories/s1"
    assert (urls.feed_file("en"), urls.feed_file("ar")) == ("feed.xml", "ar/feed.xml")
    assert (urls.atom_file("en"), urls.atom_file("ar")) == ("atom.xml", "ar/atom.xml")
    assert (urls.sitemap_file(), urls.sitemap_file("en"), urls.sitemap_file("ar")) == \
        ("sitemap.xml", "sitemap.xml", "ar/sitemap.xml")
    assert urls.absolute("https://example.org/b/", "ar", "index.html") == "https://example.org/b/ar/index.html"
    assert urls.absolute("", "ar", "index.html") == "index.html"


def test_a_story_is_read_on_its_page_or_its_only_articles_page():
    lead = SimpleNamespace(id="a1")
    several = SimpleNamespace(id="s1", lead=lead, items=[lead, SimpleNamespace(id="a2")])
    single = SimpleNamespace(id="s2", lead=lead, items=[lead])
    assert urls.reading_page(several) == "stories/s1"
    assert urls.reading_page(single) == "articles/a1"


def test_every_link_of_a_briefing_names_a_page_it_has(data_dir, dict_translator):
    """The Markdown pages link to pages whose docs files the briefing has, in the same language."""
    import re

    from nashra.summarize import get_summarizer

    items, _ = process([data_dir / "article.md", data_dir / "plain.txt"], dict_translator.impl, get_summarizer())
    docs = render_docs(items)
    pages = {urls.split_docs_file(path) for path in docs}
    links = 0
    for path, text in docs.items():
        page, lang = urls.split_docs_file(path)
        for target in re.findall(r"\]\(([^()\s]+?)\.md\)", text):
            links += 1
            assert (posixpath.normpath(posixpath.join(posixpath.dirname(page), target)), lang) in pages, (path, target)
    assert links > 10


_PART = st.sampled_from(["a", "b", "ar", "x.html", "sitemap.xml", ".", "..", "", "c d", "نشرة"])
_PATH = st.lists(_PART, max_size=4).map("/".join)


@settings(max_examples=3000, deadline=None)
@given(_PATH, _PATH)
def test_relative_addresses_are_those_of_posixpath_relpath(here, target):
    try:
        expected = posixpath.relpath(target, posixpath.dirname(here) or ".")
    except ValueError:  # an empty target has no address
        with pytest.raises(ValueError):
            urls.relative(here, target)
        return
    assert urls.relative(here, target) == expected
