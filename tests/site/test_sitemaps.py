"""Sitemaps by month under a sitemap index, at most 50,000 addresses a file, unchanged months linked."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

from nashra.site import sitemaps
from nashra.site.archive_parts import record_parts
from nashra.site.options import SiteOptions
from nashra.site.sitemaps import write_sitemaps
from nashra.state.pages import PageStore

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
ARTICLES = {"a1": datetime(2018, 3, 30, 9, tzinfo=UTC), "a2": datetime(2018, 4, 2, 9, tzinfo=UTC),
            "a3": datetime(2018, 5, 1, 9, tzinfo=UTC), "a4": datetime(2018, 5, 2, 9, tzinfo=UTC), "a5": None}
STORIES = {"s1": datetime(2018, 5, 2, 10, tzinfo=UTC)}


class FakeCatalog:
    def __init__(self, articles: dict[str, datetime | None]) -> None:
        self.articles = articles

    def newest_date(self):  # noqa: ANN201
        return max(d for d in [*self.articles.values(), *STORIES.values()] if d)

    def article_days(self, since=None):  # noqa: ANN001, ANN201
        return iter(sorted((i, when.date() if when else None) for i, when in self.articles.items()
                           if since is None or when is None or when.date() >= since))

    def story_dates(self, several: bool = True, since=None):  # noqa: ANN001, ANN201, ARG002
        return iter(sorted((i, when) for i, when in STORIES.items() if since is None or when.date() >= since))


def write(folder: Path, articles: dict[str, datetime | None], url: str = "", previous: Path | None = None,
          digests: dict[str, str] | None = None) -> tuple[Path, sitemaps.SitemapReport]:
    site = folder / "site"
    site.mkdir(parents=True)
    store = PageStore(folder / "pages.sqlite3")
    pages = {"index": "h", **{f"articles/{a}": "d" for a in articles}, **{f"stories/{s}": "d" for s in STORIES}}
    store._many("INSERT INTO pages (page, digest) VALUES (?, ?)", sorted({**pages, **(digests or {})}.items()))
    try:
        record_parts(store, FakeCatalog(articles))  # type: ignore[arg-type]
        report = write_sitemaps(site, store, SiteOptions(url=url), previous and previous / "site",
                                previous and previous / "pages.sqlite3")
    finally:
        store.close()
    return site, report


def locations(path: Path) -> list[str]:
    return [loc.text or "" for loc in ET.parse(path).getroot().iterfind(".//s:loc", NS)]


def test_the_root_sitemap_is_an_index_of_a_sitemap_per_month(tmp_path):
    site, report = write(tmp_path, ARTICLES, url="https://example.org/b/")
    root = ET.parse(site / "sitemap.xml").getroot()
    assert root.tag == f"{{{NS['s']}}}sitemapindex"
    assert locations(site / "sitemap.xml") == [f"https://example.org/b/sitemap-{m}.xml"
                                               for m in ("2018-03", "2018-04", "2018-05", "undated")]
    assert [e.text for e in root.iterfind("s:sitemap/s:lastmod", NS)] == ["2018-03-30", "2018-04-02", "2018-05-02"]
    assert sorted(report.written) == ["2018-03", "2018-04", "2018-05", "undated"] and report.reused == []
    may = locations(site / "sitemap-2018-05.xml")
    assert may == [f"https://example.org/b/{lang}{page}" for page in ("articles/a3.html", "articles/a4.html",
                                                                      "index.html", "stories/s1.html")
                   for lang in ("", "ar/")]
    # The Arabic folder's index names the Arabic sitemaps beside it, which list Arabic pages only.
    assert locations(site / "ar" / "sitemap.xml")[0] == "https://example.org/b/ar/sitemap-2018-03.xml"
    assert locations(site / "ar" / "sitemap-2018-05.xml") == [
        f"https://example.org/b/ar/{page}" for page in ("articles/a3.html", "articles/a4.html", "index.html",
                                                        "stories/s1.html")]


def test_without_a_site_url_addresses_are_relative_to_each_sitemap(tmp_path):
    site, _ = write(tmp_path, ARTICLES)
    assert "sitemap-2018-04.xml" in locations(site / "sitemap.xml")
    assert locations(site / "sitemap-2018-04.xml") == ["articles/a2.html", "ar/articles/a2.html"]
    assert locations(site / "ar" / "sitemap.xml")[1] == "sitemap-2018-04.xml"
    assert locations(site / "ar" / "sitemap-2018-04.xml") == ["articles/a2.html"]


def test_a_month_of_more_pages_than_a_sitemap_holds_is_split(tmp_path, monkeypatch):
    monkeypatch.setattr(sitemaps, "MAX_PAGES", 2)
    site, _ = write(tmp_path, ARTICLES)
    names = [n for n in locations(site / "sitemap.xml") if n.startswith("sitemap-2018-05")]
    assert names == ["sitemap-2018-05.xml", "sitemap-2018-05-2.xml"]
    assert [len(locations(site / n)) for n in names] == [4, 4]  # two pages in two languages each
    assert [len(locations(site / "ar" / n)) for n in names] == [2, 2]


def test_only_the_months_whose_pages_changed_are_written_again(tmp_path):
    first, _ = write(tmp_path / "a", ARTICLES)
    articles = {**ARTICLES, "a6": datetime(2018, 5, 3, 7, tzinfo=UTC)}
    second, report = write(tmp_path / "b", articles, previous=tmp_path / "a")
    assert report.written == ["2018-05"] and sorted(report.reused) == ["2018-03", "2018-04", "undated"]
    assert (second / "sitemap-2018-04.xml").samefile(first / "sitemap-2018-04.xml")
    assert (second / "ar" / "sitemap-2018-03.xml").samefile(first / "ar" / "sitemap-2018-03.xml")
    assert "articles/a6.html" in locations(second / "sitemap-2018-05.xml")
    # Another site address changes every sitemap.
    _, report = write(tmp_path / "c", articles, url="https://example.org/", previous=tmp_path / "b")
    assert report.reused == []
