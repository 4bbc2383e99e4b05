"""The search index in parts: a day or a month each, merged into every search.

Pagefind indexes hand-written pages here (as in test_search.py), dated across
two months; the parts are checked on disk, a second index reuses what did not
change, and a search in headless Chromium through the search box's module
finds the pages of every part, as one index of the whole site does.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import sqlite3
import threading
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from nashra.site.search import BUNDLE_DIR, EXCLUDE, STORY_LINK, add_search, index_site, search_key
from nashra.site.archive_parts import SETTLE, UNDATED, part_of, record_parts
from nashra.site.search_parts import PARTS_DIR, index_search, main_part
from nashra.site.search_stems import QUERY_DIR
from nashra.site.urls import html_file
from nashra.state.pages import PageStore
from nashra.stories.grouping import WINDOW

from test_search import _page, _Quiet

#: Pages (without language) with their date, title and text in both languages.
ARTICLES = {
    "articles/old": (datetime(2018, 4, 2, 9, tzinfo=UTC), ("العقوبات على طهران", "Sanctions on Tehran"),
                     ("قالت الحكومة الإيرانية إن العقوبات لن تؤثر.", "The Iranian government said sanctions fail.")),
    "articles/older": (datetime(2018, 3, 30, 9, tzinfo=UTC), ("لقاءات سرية", "Secret meetings"),
                       ("جرت مفاوضات سرية قبل الاتفاق.", "Secret talks came before the agreement.")),
    "articles/day1": (datetime(2018, 5, 11, 9, tzinfo=UTC), ("زيارة إلى إيران", "A visit to Iran"),
                      ("وصلت حكومة جديدة إلى السلطة في إيران.", "A new government came to power in Iran.")),
    "articles/day2": (datetime(2018, 5, 12, 9, tzinfo=UTC), ("جولة في جنيف", "A round in Geneva"),
                      ("استؤنفت المفاوضات بين الطرفين في جنيف.", "The talks resumed in Geneva.")),
    "articles/nodate": (None, ("أسعار النفط", "Oil prices"),
                        ("ارتفعت أسعار النفط بعد قرار أوبك.", "Oil prices rose after the OPEC decision.")),
}
STORIES = {"stories/s1": datetime(2018, 5, 12, 10, tzinfo=UTC)}


class FakeCatalog:
    """The three queries the search step asks of a build's catalog."""

    def __init__(self, articles: dict[str, datetime | None], stories: dict[str, datetime]) -> None:
        self.articles, self.stories = articles, stories

    def newest_date(self):  # noqa: ANN201
        return max([*(d for d in self.articles.values() if d), *self.stories.values()], default=None)

    def article_days(self, since=None):  # noqa: ANN001, ANN201
        return ((page.split("/", 1)[1], when.date() if when else None) for page, when in sorted(self.articles.items())
                if since is None or when is None or when.date() >= since)

    def story_dates(self, several: bool = True, since=None):  # noqa: ANN001, ANN201, ARG002
        return ((page.split("/", 1)[1], when) for page, when in sorted(self.stories.items())
                if since is None or when.date() >= since)


def write_site(root: Path, pages: dict[str, tuple[tuple[str, str], tuple[str, str]]]) -> None:
    for page, (titles, texts) in pages.items():
        for lang, title, text in (("ar", titles[0], texts[0]), ("en", titles[1], texts[1])):
            path = html_file(page, lang)
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_text(add_search(_page(lang, title, text), path), encoding="utf-8")
    for lang, path in (("en", "index.html"), ("ar", "ar/index.html")):
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(add_search(_page(lang, "Home", "home page"), path), encoding="utf-8")


def page_records(path: Path, digests: dict[str, str], site_key: str = "key",
                 keys: dict[str, str] | None = None) -> Path:
    """Page records of ``digests``; ``keys``: pages' search keys, as rendering records them."""
    store = PageStore(path)
    store.set_meta("site_key", site_key)
    store._many("INSERT OR REPLACE INTO pages (page, digest) VALUES (?, ?)", sorted(digests.items()))
    store.set_search_keys((keys or {}).items())
    store.close()
    return path


def all_pages() -> dict[str, tuple[tuple[str, str], tuple[str, str]]]:
    pages = {page: (titles, texts) for page, (_, titles, texts) in ARTICLES.items()}
    pages["stories/s1"] = (("قصة المفاوضات", "The talks story"), ("مفاوضات جنيف مستمرة.", "Geneva talks go on."))
    return pages


def build(tmp: Path, name: str, digests: dict[str, str], previous: tuple[Path, Path] | None = None,
          articles: dict[str, datetime | None] | None = None,
          keys: dict[str, str] | None = None):  # noqa: ANN201
    site = tmp / name / "site"
    extra = {page: (("خبر جديد", "New article"), ("خبر جديد اليوم.", "News of the day.")) for page in articles or {}
             if page not in ARTICLES}
    write_site(site, {**all_pages(), **extra})
    pages_db = page_records(tmp / name / "pages.sqlite3", digests, keys=keys)
    catalog = FakeCatalog(articles or {page: when for page, (when, _, _) in ARTICLES.items()}, STORIES)
    return site, pages_db, index(site, catalog, pages_db, tmp / name, *(previous or (None, None)), jobs=2)


def index(site: Path, catalog: FakeCatalog, pages_db: Path, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
    """The search step of a build: each page's part recorded, then the index written."""
    store = PageStore(pages_db)
    try:
        record_parts(store, catalog)  # type: ignore[arg-type]
        return index_search(site, store, *args, **kwargs)
    finally:
        store.close()


DIGESTS = {page: "d1" for page in [*ARTICLES, *STORIES]}


def test_a_page_is_in_its_day_in_the_newest_month_and_in_its_month_before():
    newest = date(2018, 5, 12)
    assert part_of(datetime(2018, 5, 1, 23, tzinfo=UTC), newest) == "2018-05-01"
    assert part_of(date(2018, 4, 30), newest) == "2018-04"
    assert part_of(date(2017, 12, 31), newest) == "2017-12"
    assert part_of(None, newest) == UNDATED
    assert main_part(["2018-04", "2018-05-01", "2018-05-02", UNDATED]) == "2018-05-02"
    assert main_part([UNDATED]) == UNDATED and main_part([]) is None


def test_the_month_before_keeps_its_days_until_its_stories_are_settled():
    # A story takes new articles for three days after its newest: in the first week of May, April's
    # stories may still move their pages to May's days, so April is not yet one part.
    assert SETTLE > WINDOW
    assert part_of(date(2018, 4, 30), date(2018, 5, 1)) == "2018-04-30"
    assert part_of(date(2018, 4, 2), date(2018, 5, 7)) == "2018-04-02"
    assert part_of(date(2018, 3, 31), date(2018, 5, 7)) == "2018-03"
    assert part_of(date(2018, 4, 30), date(2018, 5, 8)) == "2018-04"
    assert part_of(date(2017, 12, 31), date(2018, 1, 3)) == "2017-12-31"


def test_the_newest_day_is_the_main_bundle_and_every_other_part_a_bundle_of_its_index(tmp_path):
    site, _, report = build(tmp_path, "a", DIGESTS)
    bundle = site / BUNDLE_DIR
    assert sorted(report.indexed) == ["2018-03", "2018-04", "2018-05-11", "2018-05-12", UNDATED]
    assert report.reused == [] and report.indexed_pages == 2 * len(DIGESTS)
    assert (bundle / "pagefind.js").is_file() and (bundle / "pagefind-component-ui.js").is_file()
    assert {p.name.split("_")[0] for p in bundle.glob("pagefind.*.pf_meta")} == {"pagefind.ar", "pagefind.en"}
    parts = sorted(p.name for p in (bundle / PARTS_DIR).iterdir())
    assert parts == ["2018-03", "2018-04", "2018-05-11", UNDATED]
    for part in parts:
        files = {p.name for p in (bundle / PARTS_DIR / part).iterdir() if p.is_file()}
        assert "pagefind-entry.json" in files and not {"pagefind.js", "pagefind-component-ui.js"} & files
        assert not any(name.startswith("wasm.") for name in files)  # merged parts use the main bundle's
    module = (bundle / QUERY_DIR / "pagefind.js").read_text(encoding="utf-8")
    assert 'const PARTS = ["2018-03", "2018-04", "2018-05-11", "undated"];' in module


def test_a_second_index_reuses_the_parts_whose_pages_did_not_change(tmp_path):
    site, pages_db, _ = build(tmp_path, "a", DIGESTS)
    changed = {**DIGESTS, "articles/day1": "d2"}
    site2, _, report = build(tmp_path, "b", changed, (site, pages_db))
    assert report.indexed == ["2018-05-11"] and report.indexed_pages == 2
    assert sorted(report.reused) == ["2018-03", "2018-04", "2018-05-12", UNDATED]
    # Reused parts are links to the previous site's files, the main bundle with Pagefind's scripts.
    assert (site2 / BUNDLE_DIR / "pagefind.js").samefile(site / BUNDLE_DIR / "pagefind.js")
    entry = Path(BUNDLE_DIR) / PARTS_DIR / "2018-03" / "pagefind-entry.json"
    assert (site2 / entry).samefile(site / entry)


def test_a_month_is_indexed_as_one_part_once_its_stories_are_settled(tmp_path):
    site, pages_db, _ = build(tmp_path, "a", DIGESTS)
    articles = {page: when for page, (when, _, _) in ARTICLES.items()}
    # The first day of June: May keeps its days, the new day is the main bundle.
    articles["articles/june"] = datetime(2018, 6, 1, 8, tzinfo=UTC)
    site2, pages_db2, report = build(tmp_path, "b", {**DIGESTS, "articles/june": "d1"}, (site, pages_db), articles)
    assert report.indexed == ["2018-06-01"]
    assert sorted(report.reused) == ["2018-03", "2018-04", "2018-05-11", "2018-05-12", UNDATED]
    # A week later May is one part, indexed once.
    articles["articles/june8"] = datetime(2018, 6, 8, 8, tzinfo=UTC)
    digests = {**DIGESTS, "articles/june": "d1", "articles/june8": "d1"}
    site3, pages_db3, report = build(tmp_path, "c", digests, (site2, pages_db2), articles)
    assert sorted(report.indexed) == ["2018-05", "2018-06-08"]
    assert sorted(report.reused) == ["2018-03", "2018-04", "2018-06-01", UNDATED]
    assert sorted(p.name for p in (site3 / BUNDLE_DIR / PARTS_DIR).iterdir()) == ["2018-03", "2018-04", "2018-05",
                                                                                "2018-06-01", UNDATED]
    articles["articles/june9"] = datetime(2018, 6, 9, 8, tzinfo=UTC)
    _, _, report = build(tmp_path, "d", {**digests, "articles/june9": "d1"}, (site3, pages_db3), articles)
    assert report.indexed == ["2018-06-09"] and "2018-05" in report.reused


def test_a_page_rendered_again_with_the_same_search_key_leaves_its_part_as_it_was(tmp_path):
    # articles/old is rendered again three times: its story link alone changed (the same search key), its
    # text changed (another key), and rendered without a key (its HTML unreadable: its Markdown digest counts).
    site, pages_db, _ = build(tmp_path, "a", DIGESTS, keys={"articles/old": "k1"})
    same_key = {**DIGESTS, "articles/old": "d2"}
    site, pages_db, report = build(tmp_path, "b", same_key, (site, pages_db), keys={"articles/old": "k1"})
    assert report.indexed == [] and "2018-04" in report.reused
    other_key = {**DIGESTS, "articles/old": "d3"}
    site, pages_db, report = build(tmp_path, "c", other_key, (site, pages_db), keys={"articles/old": "k2"})
    assert report.indexed == ["2018-04"]
    _, _, report = build(tmp_path, "d", {**DIGESTS, "articles/old": "d4"}, (site, pages_db))
    assert report.indexed == ["2018-04"]


def test_a_page_written_again_has_no_search_key_until_it_is_rendered(tmp_path):
    store = PageStore(tmp_path / "pages.sqlite3")
    try:
        store._many("INSERT INTO pages (page, digest) VALUES (?, ?)", [("articles/a", "d1")])
        store.set_search_keys([("articles/a", "k1")])
        assert store._conn.execute("SELECT search FROM pages").fetchall() == [("k1",)]
        store.add_files([("articles/a.en.md", "articles/a", "d2", "1:2:3:4")])
        store.settle_pages()
        store.take_rendered(["articles/a"])  # its Markdown changed: the key is made again from its new HTML
        assert store._conn.execute("SELECT digest, search FROM pages").fetchall()[0][1] is None
    finally:
        store.close()


def test_a_search_key_leaves_out_the_link_to_the_story_and_nothing_else(tmp_path):
    def page(link: str, text: str = "The talks resumed.") -> str:  # laid out as MkDocs writes a page
        return (f'<html><body><article class="md-content__inner md-typeset"><h1>Talks</h1>\n<p>{text}</p>\n'
                f'{link + chr(10) if link else ""}<h2>Summary</h2>\n</article></body></html>')

    def key(name: str, en: str, ar: str | None = None) -> str | None:
        root = tmp_path / name
        for lang, html in (("en", en), ("ar", ar if ar is not None else en)):
            (root / html_file("articles/a", lang)).parent.mkdir(parents=True, exist_ok=True)
            (root / html_file("articles/a", lang)).write_text(html, encoding="utf-8")
        return search_key(root, "articles/a")

    one = '<p class="nashra-story-link">Also reported by 1 other article: <a href="../stories/s.html">Talks</a></p>'
    two = ('<p class="nashra-story-link">Also reported by 2 other articles:\n<a href="../stories/s.html">Talks'
           ' in Geneva</a></p>')
    first = key("a", page(one))
    # The same page with another count, or alone in no story yet (a lone article that joins a story).
    assert first is not None and key("b", page(two)) == first and key("c", page("")) == first
    assert key("d", page(one, "The talks stopped.")) != first
    assert key("e", page(one), page(one, "The talks stopped.")) != first  # every language counts
    assert key("f", page('<p class="nashra-story">Also reported</p>')) != first
    (tmp_path / "a" / html_file("articles/a", "ar")).unlink()
    assert search_key(tmp_path / "a", "articles/a") is None
    assert STORY_LINK in EXCLUDE  # what the key leaves out, Pagefind does


def test_the_day_that_was_the_main_bundle_is_reused_as_a_part(tmp_path):
    site, pages_db, _ = build(tmp_path, "a", DIGESTS)
    articles = {page: when for page, (when, _, _) in ARTICLES.items()}
    articles["articles/day3"] = datetime(2018, 5, 13, 8, tzinfo=UTC)
    site2, _, report = build(tmp_path, "b", {**DIGESTS, "articles/day3": "d1"}, (site, pages_db), articles)
    assert report.indexed == ["2018-05-13"] and "2018-05-12" in report.reused
    part = site2 / BUNDLE_DIR / PARTS_DIR / "2018-05-12"
    assert (part / "pagefind-entry.json").is_file() and not (part / "pagefind.js").exists()


def test_another_site_configuration_indexes_every_part(tmp_path):
    site, pages_db, _ = build(tmp_path, "a", DIGESTS)
    site2 = tmp_path / "b" / "site"
    write_site(site2, all_pages())
    pages_db2 = page_records(tmp_path / "b" / "pages.sqlite3", DIGESTS, site_key="other")
    catalog = FakeCatalog({page: when for page, (when, _, _) in ARTICLES.items()}, STORIES)
    report = index(site2, catalog, pages_db2, tmp_path / "b", site, pages_db)
    assert report.reused == [] and len(report.indexed) == 5


def test_a_site_without_articles_still_has_its_search_bundle(tmp_path):
    site = tmp_path / "site"
    write_site(site, {})
    pages_db = page_records(tmp_path / "pages.sqlite3", {})
    report = index(site, FakeCatalog({}, {}), pages_db, tmp_path)
    assert report.indexed == [] and (site / BUNDLE_DIR / "pagefind-component-ui.js").is_file()
    assert (site / BUNDLE_DIR / QUERY_DIR / "pagefind.js").is_file()


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> tuple[Path, Path]:
    """The same pages indexed in parts and as one index."""
    tmp = tmp_path_factory.mktemp("parts")
    parted, _, _ = build(tmp, "parts", DIGESTS)
    whole = tmp / "whole" / "site"
    write_site(whole, all_pages())
    index_site(whole)
    return parted, whole


@pytest.fixture(scope="module")
def browser():  # noqa: ANN201
    playwright_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright (the test extra)")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        pytest.skip("chromium is not installed (tests/site/test_browser.py installs it)")
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, headless=True,
                                              args=["--no-sandbox", "--disable-gpu"])
        yield launched
        launched.close()


def found(browser, site: Path, page_path: str, queries: list[str]) -> list[list[str]]:  # noqa: ANN001
    """The result URLs of each query, searched on ``page_path`` through the search box's module."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site.parent)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    page = browser.new_page()
    try:
        page.goto(f"http://127.0.0.1:{httpd.server_address[1]}/{site.name}/{page_path}")
        return page.evaluate(
            f"""async (queries) => {{ const pf = await import('./' + document.querySelector(
                'script[src$="pagefind-component-ui.js"]').getAttribute('src').replace(
                'pagefind-component-ui.js', '{QUERY_DIR}/pagefind.js'));
                const out = [];
                for (const q of queries) {{
                  const found = await pf.search(q);
                  out.push((await Promise.all(found.results.map(r => r.data()))).map(d => d.url).sort());
                }}
                return out; }}""", queries)
    finally:
        page.close()
        httpd.shutdown()


def test_a_search_finds_the_pages_of_every_part_as_one_index_does(sites, browser):
    """Served under a sub-path, as a project site is: each part's results link to the site's own pages."""
    parted, whole = sites
    arabic = ["مفاوضات", "الحكومة", "إيران", "النفط", "جنيف"]
    english = ["government", "talks", "oil", "Geneva"]
    results = found(browser, parted, "ar/articles/day1.html", arabic)
    assert results == found(browser, whole, "ar/articles/day1.html", arabic)
    assert results[0] == [f"/{parted.name}/ar/articles/day2.html", f"/{parted.name}/ar/articles/older.html",
                          f"/{parted.name}/ar/stories/s1.html"]  # the main bundle and March's part
    assert results[3] == [f"/{parted.name}/ar/articles/nodate.html"]  # the undated part
    english_results = found(browser, parted, "articles/day1.html", english)
    assert english_results == found(browser, whole, "articles/day1.html", english)
    assert all(english_results) and not any("/ar/" in url for urls in english_results for url in urls)


def test_a_word_missing_from_a_part_finds_nothing_there(sites, browser):
    """Pagefind searches a word no page of a part holds by a shorter word the part does hold
    ("government" by the "go" of "talks go on" in the newest day); the search box keeps such
    pages out, and still finds a word as it is being typed."""
    parted, _ = sites
    government, typing, nowhere = found(browser, parted, "articles/day1.html", ["government", "gover", "goverment"])
    expected = [f"/{parted.name}/articles/day1.html", f"/{parted.name}/articles/old.html"]
    assert government == expected and typing == expected
    assert nowhere == []


def test_page_records_of_a_version_before_the_keys_are_read_and_copied_without_keys(tmp_path):
    old = tmp_path / "old.sqlite3"
    with sqlite3.connect(old) as conn:
        conn.execute("CREATE TABLE pages (page TEXT PRIMARY KEY, digest TEXT)")
        conn.execute("INSERT INTO pages VALUES ('articles/a', 'd1')")
    conn.close()
    store = PageStore(tmp_path / "new.sqlite3")
    try:
        store.attach_previous(old)
        store.copy_previous(["articles/a"])
        store.detach_previous()
        assert store._conn.execute("SELECT page, digest, search FROM pages").fetchall() == [("articles/a", "d1", None)]
    finally:
        store.close()
    opened = PageStore(old)  # opened as a previous build's records: the column is added
    try:
        opened.set_search_keys([("articles/a", "k1")])
        assert opened._conn.execute("SELECT search FROM pages").fetchall() == [("k1",)]
    finally:
        opened.close()


def test_pages_before_the_compact_cutoff_are_left_out_of_the_parts_as_without_their_rows(tmp_path):
    # Pages that gave way to compact entries are not in the site's page records: the parts, months and their
    # digests are those of the records whether the build wrote the compact pages' rows or left them out.
    articles = {page: when for page, (when, _, _) in ARTICLES.items()}
    cutoff = date(2018, 4, 1)
    compact = {page for page, when in articles.items() if when is not None and when.date() < cutoff}
    assert compact == {"articles/older"}
    digests = {page: "d1" for page in [*articles, *STORIES, "index"] if page not in compact}
    figures = []
    for name, since in (("all", None), ("since", cutoff)):
        store = PageStore(page_records(tmp_path / f"{name}.sqlite3", digests))
        try:
            record_parts(store, FakeCatalog(articles, STORIES), since)  # type: ignore[arg-type]
            rows = store._conn.execute("SELECT page FROM page_parts").fetchall()
            figures.append((store.part_digests("s"), store.month_digests("s"), store.month_counts(),
                            store.month_newest(), sorted(store.month_pages("2018-03")), len(rows)))
        finally:
            store.close()
    assert figures[0][:5] == figures[1][:5] and figures[0][5] == figures[1][5] + len(compact)
    assert "2018-03" not in figures[0][3]  # a month of compact pages only has no newest page (nor a sitemap)
