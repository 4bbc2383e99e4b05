"""End to end: the example articles, translated by a real (tiny) MarianMT model, built to HTML."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from nashra.cli import cli

pytestmark = pytest.mark.slow


class Page(HTMLParser):
    """Collects what the tests look at in one HTML page."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.html_attrs: dict[str, str | None] = {}
        self.body_attrs: dict[str, str | None] = {}
        self.links: list[dict[str, str | None]] = []
        self.rows: list[list[tuple[dict[str, str | None], str]]] = []
        self.scripts: list[dict[str, str | None]] = []
        self._cell: list[str] | None = None
        self._cell_attrs: dict[str, str | None] = {}
        self._in_table = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "html":
            self.html_attrs = attributes
        elif tag == "body":
            self.body_attrs = attributes
        elif tag == "a":
            self.links.append(attributes)
        elif tag == "script":
            self.scripts.append(attributes)
        elif tag == "table" and "nashra-aligned" in (attributes.get("class") or ""):
            self._in_table = True
        elif tag == "tr" and self._in_table and "data-sentence" in attributes:
            self.rows.append([])
        elif tag == "td" and self._in_table and self.rows:
            self._cell, self._cell_attrs = [], attributes

    def handle_endtag(self, tag):
        if tag == "td" and self._cell is not None:
            self.rows[-1].append((self._cell_attrs, "".join(self._cell)))
            self._cell = None
        elif tag == "table":
            self._in_table = False

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


@pytest.fixture(scope="module")
def built(tmp_path_factory, tiny_model, examples_dir, data_dir, seeds_copier) -> Path:
    sources = tmp_path_factory.mktemp("sources")
    seeds_copier(sources)
    shutil.copy(data_dir / "article.md", sources / "article.md")
    hostile = sources / "hostile.md"
    hostile.write_text(
        "---\n"
        "title: '<script>alert(\"title\")</script> عنوان'\n"
        "source: '<img src=x onerror=alert(1)>'\n"
        "url: 'javascript:alert(1)'\n"
        "id: hostile-article\n"
        "---\n\n"
        "نص عربي <script>alert('body')</script> [رابط](javascript:alert(1)) ![صورة](data:image/png;base64,AAAA).\n\n"
        "# ليس عنواناً\n\n"
        "- ليس قائمة *ولا تأكيداً* `ولا كوداً` | ولا جدولاً.\n",
        encoding="utf-8",
    )
    out = tmp_path_factory.mktemp("briefing")
    result = CliRunner().invoke(cli, ["build", str(sources), "-o", str(out), "--model", str(tiny_model), "--sentences", "3"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "Built 4 articles" in result.output
    return out


def _article_ids(out: Path) -> list[str]:
    return sorted(p.name[: -len(".en.md")] for p in (out / "docs" / "articles").glob("*.en.md"))


def test_docs_and_site_are_written(built):
    ids = _article_ids(built)
    assert len(ids) == 4
    for article_id in ids:
        for lang in ("en", "ar"):
            assert (built / "docs" / "articles" / f"{article_id}.{lang}.md").is_file()
        assert (built / "site" / "articles" / f"{article_id}.html").is_file()
        assert (built / "site" / "ar" / "articles" / f"{article_id}.html").is_file()
    assert (built / "site" / "index.html").is_file() and (built / "site" / "ar" / "index.html").is_file()
    assert not any(p.name.startswith(".nashra-staging") for p in built.iterdir())


def test_front_matter_of_every_page(built):
    for path in (built / "docs" / "articles").glob("*.md"):
        text = path.read_text(encoding="utf-8")
        meta = yaml.safe_load(text.split("---\n")[1])
        for key in ("title", "original_title", "source", "url", "date", "language", "model", "engine",
                    "summarizer", "nashra_version"):
            assert key in meta, (path.name, key)
        assert meta["language"] == path.suffixes[-2].lstrip(".")
        assert meta["engine"] == "transformers" and meta["summarizer"].startswith("learned(")
        assert text.index("## ") < text.index("<table")  # the summary comes before the full text


def test_arabic_pages_are_right_to_left(built):
    for path in [built / "site" / "ar" / "index.html", *(built / "site" / "ar" / "articles").glob("*.html")]:
        page = Page(path.read_text(encoding="utf-8"))
        assert page.html_attrs.get("lang") == "ar", path
        assert page.body_attrs.get("dir") == "rtl", path
    english = Page((built / "site" / "index.html").read_text(encoding="utf-8"))
    assert english.html_attrs.get("lang") == "en" and english.body_attrs.get("dir") == "ltr"


def test_article_pages_align_original_and_translation(built):
    for article_id in _article_ids(built):
        markdown = (built / "docs" / "articles" / f"{article_id}.en.md").read_text(encoding="utf-8")
        count = yaml.safe_load(markdown.split("---\n")[1])["sentence_count"]
        for lang, path in (("en", built / "site" / "articles" / f"{article_id}.html"),
                           ("ar", built / "site" / "ar" / "articles" / f"{article_id}.html")):
            page = Page(path.read_text(encoding="utf-8"))
            assert len(page.rows) == count
            for row in page.rows:
                assert [attrs["lang"] for attrs, _ in row] == (["en", "ar"] if lang == "en" else ["ar", "en"])
                assert [attrs["dir"] for attrs, _ in row] == (["ltr", "rtl"] if lang == "en" else ["rtl", "ltr"])
                assert all(text.strip() for _, text in row)


def test_same_sentences_in_both_languages_and_seed_text_present(built, examples_dir):
    article_id = next(i for i in _article_ids(built) if i.startswith("a-"))
    en = Page((built / "site" / "articles" / f"{article_id}.html").read_text(encoding="utf-8"))
    ar = Page((built / "site" / "ar" / "articles" / f"{article_id}.html").read_text(encoding="utf-8"))
    def sentence(text: str) -> str:  # without the mark of a flagged sentence, whose label is the page's language
        return text.split("⚠")[0].strip()

    assert [[sentence(t) for _, t in row][::-1] for row in en.rows] == [[sentence(t) for _, t in row] for row in ar.rows]
    flagged_en = [bool("⚠" in row[0][1]) for row in en.rows]
    assert flagged_en == [bool("⚠" in row[1][1]) for row in en.rows] == [bool("⚠" in row[0][1]) for row in ar.rows]
    seeds = " ".join(p.read_text(encoding="utf-8") for p in examples_dir.glob("*.txt"))
    assert all(" ".join(sentence(row[0][1]).split())[:30] in " ".join(seeds.split()) for row in ar.rows)


def test_language_switcher_keeps_the_article(built):
    for article_id in _article_ids(built):
        en = Page((built / "site" / "articles" / f"{article_id}.html").read_text(encoding="utf-8"))
        to_ar = [a["href"] for a in en.links if a.get("hreflang") == "ar"]
        assert f"../ar/articles/{article_id}.html" in to_ar
        ar = Page((built / "site" / "ar" / "articles" / f"{article_id}.html").read_text(encoding="utf-8"))
        to_en = [a["href"] for a in ar.links if a.get("hreflang") == "en"]
        assert f"../../articles/{article_id}.html" in to_en
        # Each language is named in itself, and says so: a screen reader reads "English" in English.
        for page, other in ((en, "ar"), (ar, "en")):
            switcher = [a for a in page.links if "md-select__link" in (a.get("class") or "")]
            assert {a.get("hreflang") for a in switcher} == {"en", "ar"}
            assert all(a.get("lang") == a.get("hreflang") for a in switcher), switcher
    # The palette toggle is named in the page's language too.
    arabic_page = (built / "site" / "ar" / "index.html").read_text(encoding="utf-8")
    assert 'aria-label="الوضع الداكن"' in arabic_page and "Dark mode" not in arabic_page
    assert 'aria-label="Dark mode"' in (built / "site" / "index.html").read_text(encoding="utf-8")


def test_links_are_relative(built):
    for path in built.joinpath("site").rglob("*.html"):
        if path.name == "404.html":
            continue  # served at any missing path, so MkDocs gives it root-absolute links on purpose
        text = path.read_text(encoding="utf-8")
        for href in re.findall(r'(?:href|src)="([^"]+)"', text):
            assert not href.startswith("/"), (path, href)
            if not href.startswith(("http:", "https:", "#", "mailto:")):
                target = (path.parent / href.split("#")[0].split("?")[0]).resolve()
                assert target.exists(), (path, href)


def test_home_shows_latest_stories_and_the_archive_reaches_every_article(built):
    for lang, root in (("en", built / "site"), ("ar", built / "site" / "ar")):
        home = (root / "index.html").read_text(encoding="utf-8")
        # Fewer stories than a screenful: the latest period widens from the 2024 story to the seeds' story
        # (dated October 2023 by their text), the more covered first; every story is in the archive.
        assert home.count('class="nashra-entry"') == 2 and 'href="articles/farmers-plan-2024.html"' in home
        assert 'href="archive/index.html"' in home
        archive = "".join(p.read_text(encoding="utf-8") for p in (root / "archive").glob("*.html"))
        for article_id in _article_ids(built):
            assert f'href="../articles/{article_id}.html"' in archive
        sources = (root / "sources" / "index.html").read_text(encoding="utf-8")
        assert "وكالة الأنباء" in sources
        # The navigation holds sections, not articles.
        nav = re.findall(r'class="md-nav__link[^"]*"[^>]*href="([^"]+)"', home)
        assert not any("articles/" in href for href in nav)


def test_story_pages_credit_each_sentence_and_link_articles(built):
    seed_ids = [i for i in _article_ids(built) if i.startswith("a-")]
    stories = [p for p in (built / "docs" / "stories").glob("*.en.md")
               if set(seed_ids) <= set(yaml.safe_load(p.read_text(encoding="utf-8").split("---\n")[1])["articles"])]
    assert len(stories) == 1
    story_id = stories[0].name[: -len(".en.md")]
    for lang, path in (("en", built / "site" / "stories" / f"{story_id}.html"),
                       ("ar", built / "site" / "ar" / "stories" / f"{story_id}.html")):
        page = Page(path.read_text(encoding="utf-8"))
        hrefs = [a.get("href") for a in page.links]
        for article_id in seed_ids:
            assert f"../articles/{article_id}.html" in hrefs
        assert page.html_attrs.get("lang") == lang
    markdown = (built / "docs" / "stories" / f"{story_id}.ar.md").read_text(encoding="utf-8")
    summary = markdown.split("## ")[1].splitlines()[1:]
    credited = [line for line in summary if line.startswith("- ")]
    assert credited and all("](../articles/a-" in line for line in credited)
    # Each seed article links back to the story.
    for article_id in seed_ids:
        assert f"../stories/{story_id}.html" in (built / "site" / "articles" / f"{article_id}.html").read_text(encoding="utf-8")


def test_search_indexes_articles_and_stories_in_each_language(built):
    bundle = built / "site" / "pagefind"
    assert {p.name.split("_")[0] for p in bundle.glob("pagefind.*.pf_meta")} == {"pagefind.ar", "pagefind.en"}
    for article_id in _article_ids(built):
        for page in (built / "site" / "articles" / f"{article_id}.html", built / "site" / "ar" / "articles" / f"{article_id}.html"):
            assert page.read_text(encoding="utf-8").count("data-pagefind-body") == 1
        # Arabic pages carry their words' light stems for the index (nashra.site.search_stems), English pages do not.
        assert 'data-pagefind-meta="stems:' in (built / "site" / "ar" / "articles" / f"{article_id}.html").read_text(
            encoding="utf-8")
        assert "data-pagefind-meta" not in (built / "site" / "articles" / f"{article_id}.html").read_text(encoding="utf-8")
    assert (bundle / "nashra" / "pagefind.js").is_file()  # the module the search box loads Pagefind through
    # Pages that list other pages (home, archive, days, sources) are not searched: a search leads
    # to the articles and stories they list. Every page has the search box.
    for root in (built / "site", built / "site" / "ar"):
        for page in [root / "index.html", root / "sources" / "index.html", *(root / "archive").glob("*.html")]:
            text = page.read_text(encoding="utf-8")
            assert "data-pagefind-body" not in text and "<pagefind-modal-trigger>" in text


def test_machine_translation_notice_and_provenance_visible(built, tiny_model):
    for article_id in _article_ids(built):
        text = (built / "site" / "articles" / f"{article_id}.html").read_text(encoding="utf-8")
        assert "Machine translation" in text and "produced automatically by a machine" in text
        assert str(tiny_model) in text and "learned(ranker=" in text
        arabic = (built / "site" / "ar" / "articles" / f"{article_id}.html").read_text(encoding="utf-8")
        assert "ترجمة آلية" in arabic
        # The stages' signatures follow the credit line, inside the notice, in both languages.
        meta = yaml.safe_load((built / "docs" / "articles" / f"{article_id}.en.md").read_text(encoding="utf-8")
                              .split("---\n")[1])
        translation = meta["translation_signature"]
        assert len(translation) == 24 and "|sentences=3|" in meta["summary_signature"]
        for page, summary in ((text, "Build signatures"), (arabic, "تواقيع البناء")):
            notice = page.split("nashra-notice")[1].split("</div>")[0]
            assert f'<details class="nashra-signatures"><summary>{summary}' in notice
            assert f'<bdi dir="ltr"><code title="{translation}">{translation[:12]}…</code></bdi>' in notice


def test_untrusted_text_never_becomes_markup(built):
    pages = [built / "site" / "articles" / "hostile-article.html", built / "site" / "ar" / "articles" / "hostile-article.html",
             built / "site" / "archive" / "undated.html", built / "site" / "ar" / "archive" / "undated.html"]
    for path in pages:
        text = path.read_text(encoding="utf-8")
        assert "<script>alert" not in text and "<img src=x" not in text
        assert 'href="javascript:' not in text.lower() and 'src="data:' not in text.lower()
        if path.parent.parent.name == "ar" or path.parent.name == "articles":
            # Pages that show the Arabic original show the markup as text.
            assert "&lt;script&gt;" in text
        parsed = Page(text)
        assert all(not (a.get("href") or "").lower().startswith(("javascript:", "data:")) for a in parsed.links)
    arabic = (built / "site" / "ar" / "articles" / "hostile-article.html").read_text(encoding="utf-8")
    assert "<h1" in arabic and "ليس عنواناً" in arabic and arabic.count("<h1") == 1


def test_feeds_are_linked_from_every_page_and_no_broken_sitemap(built):
    import xml.etree.ElementTree as ET

    for lang, root in (("en", built / "site"), ("ar", built / "site" / "ar")):
        feed = root / "feed.xml"
        assert ET.parse(feed).getroot().find("channel/language").text == lang
        for page in [root / "index.html", *(root / "articles").glob("*.html"), *(root / "stories").glob("*.html")]:
            text = page.read_text(encoding="utf-8")
            href = re.search(r'<link rel="alternate" type="application/rss\+xml"[^>]*href="([^"]+)"', text).group(1)
            assert (page.parent / href).resolve() == feed.resolve(), (page, href)
        links = [link.text for link in ET.parse(feed).getroot().iter("link")]
        assert links and all((root / link).is_file() for link in links), links  # every item opens a page
    for root in (built / "site", built / "site" / "ar"):
        index = (root / "sitemap.xml").read_text(encoding="utf-8")
        assert "<sitemapindex" in index  # each folder's sitemaps, named by a sitemap index
        sitemaps = re.findall(r"<loc>([^<]+)</loc>", index)
        assert sitemaps and all("/" not in name and (root / name).is_file() for name in sitemaps), sitemaps
        text = "".join((root / name).read_text(encoding="utf-8") for name in sitemaps)
        locations = re.findall(r"<loc>([^<]+)</loc>", text)
        assert locations and all((root / loc).is_file() for loc in locations), locations
        assert "None" not in text and "<loc>index.html</loc>" in text  # no site.url: relative addresses
        assert ("<loc>ar/index.html</loc>" in text) == (root == built / "site")  # the root's list both languages


def test_site_url_option_makes_feeds_and_sitemap_absolute(tmp_path, tiny_model, data_dir):
    import feedparser

    from nashra.cli import cli

    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(data_dir / "article.md"), "-o", str(out), "--model", str(tiny_model),
                                      "--site-url", "https://example.org/briefing"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    site = out / "site"
    for lang, root, prefix in (("en", site, "https://example.org/briefing/"),
                               ("ar", site / "ar", "https://example.org/briefing/ar/")):
        for name in ("feed.xml", "atom.xml"):
            parsed = feedparser.parse((root / name).read_bytes())
            assert not parsed.bozo, (name, parsed.bozo_exception)
            assert parsed.feed.link == prefix + "index.html"
            assert parsed.entries and all(e.link.startswith(prefix + "articles/") for e in parsed.entries)
        page = (root / "articles" / "farmers-plan-2024.html").read_text(encoding="utf-8")
        assert re.search(r'<link rel="alternate" type="application/atom\+xml"[^>]*href="\.\./atom\.xml"', page)
    index = (site / "sitemap.xml").read_text(encoding="utf-8")
    month = re.search(r"<loc>https://example.org/briefing/(sitemap-[\d-]+\.xml)</loc>", index).group(1)
    assert "<loc>https://example.org/briefing/ar/articles/farmers-plan-2024.html</loc>" in (
        site / month).read_text(encoding="utf-8")
    assert f"<loc>https://example.org/briefing/ar/{month}</loc>" in (site / "ar" / "sitemap.xml").read_text(
        encoding="utf-8")


def test_site_url_option_must_be_an_http_address(tmp_path, data_dir):
    from nashra.cli import cli

    result = CliRunner().invoke(cli, ["build", str(data_dir / "article.md"), "-o", str(tmp_path / "out"),
                                      "--site-url", "ftp://example.org/"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output == ("Error: --site-url (site.url) = 'ftp://example.org/' must be empty or an http(s) URL"
                             " such as https://example.org/briefing/\n")


def test_pages_lose_the_templates_indentation_and_keep_their_text(built):
    for page in (built / "site" / "index.html", built / "site" / "ar" / "index.html"):
        text = page.read_text(encoding="utf-8")
        outside_pre = re.sub(r"<pre\b.*?</pre>", "", text, flags=re.S)
        assert not re.search(r"\n[ \t]", outside_pre) and "\n\n" not in outside_pre, page
