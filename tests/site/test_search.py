"""The search index: one per language, Arabic words found with or without their article and suffixes.

Pagefind indexes a few hand-written pages here and is queried in headless
Chromium through the module the site's search box loads it through (Arabic
words searched by their light stems, see nashra.site.search_stems), and
through Pagefind's own module where the two are compared.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from nashra.site.search import BUNDLE_DIR, add_search, index_site, is_indexed
from nashra.site.search_stems import QUERY_DIR, search_stem

WORDS = Path(__file__).resolve().parent.parent / "data" / "search-words-ar.txt"
#: The module the search box loads Pagefind through, and Pagefind's own.
READER, PAGEFIND = f"{QUERY_DIR}/pagefind.js", "pagefind.js"

PAGES = {
    "ar/articles/sanctions.html": ("ar", "العقوبات على طهران", "قالت الحكومة الإيرانية إن العقوبات لن تؤثر في اقتصادها."),
    "ar/articles/visit.html": ("ar", "زيارة إلى إيران", "وصلت حكومة جديدة إلى السلطة في إيران بعد الانتخابات."),
    "ar/stories/story-x.html": ("ar", "أسعار النفط", "ارتفعت أسعار النفط بعد قرار منظمة أوبك."),
    # An indefinite plural in ـات with and without the article: Snowball alone finds the bare form only.
    "ar/articles/talks.html": ("ar", "جولة في جنيف", "استؤنفت المفاوضات بين الطرفين في جنيف أمس."),
    "ar/articles/rounds.html": ("ar", "لقاءات سرية", "جرت مفاوضات سرية قبل الاتفاق."),
    "articles/sanctions.html": ("en", "Sanctions on Tehran", "The Iranian government said the sanctions would not hurt."),
    "articles/visit.html": ("en", "A visit to Iran", "A new government came to power in Iran after the elections."),
    # Untrusted text, escaped in the page as Nashra writes it.
    "articles/hostile.html": ("en", "&lt;img src=x onerror=alert(1)&gt; hostile",
                              "&lt;svg onload=alert(2)&gt; hostile sentence."),
}


def _page(lang: str, title: str, text: str) -> str:
    direction = "rtl" if lang == "ar" else "ltr"
    return (f'<!doctype html><html lang="{lang}" dir="{direction}"><head><meta charset="utf-8"><title>{title}</title>'
            f'</head><body><header><nav class="md-header__inner"></nav></header><div class="md-content">'
            f'<article class="md-content__inner md-typeset"><h1>{title}</h1><p>{text}</p>'
            f'<div data-search-exclude><p>نص كامل مستبعد excluded-word</p></div></article></div></body></html>')


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("search-site")
    for path, (lang, title, text) in PAGES.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(add_search(_page(lang, title, text), path), encoding="utf-8")
    (root / "index.html").write_text(add_search(_page("en", "Home", "Sanctions government Iran"), "index.html"),
                                     encoding="utf-8")
    (root / "ar" / "index.html").write_text(add_search(_page("ar", "الرئيسية", "الحكومة إيران"), "ar/index.html"),
                                            encoding="utf-8")
    index_site(root)
    return root


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture(scope="module")
def served(site) -> Iterator:
    """A browser and the address the site is served at."""
    playwright_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright (the test extra)")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        pytest.skip("chromium is not installed (tests/site/test_browser.py installs it)")
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True,
                                             args=["--no-sandbox", "--disable-gpu"])
        yield browser, f"http://127.0.0.1:{httpd.server_address[1]}"
        browser.close()
    httpd.shutdown()


@pytest.fixture(scope="module")
def results(served) -> Iterator:
    """``results(page, query, module)``: the results (URL and excerpt) of a search on that page (its
    language's index) through ``module``, the search box's (READER) or Pagefind's own (PAGEFIND)."""
    browser, base = served
    pages = {}

    def run(page_path: str, query: str, module: str = READER) -> list[dict[str, str]]:
        if page_path not in pages:
            pages[page_path] = browser.new_page()
            pages[page_path].goto(f"{base}/{page_path}")
        return pages[page_path].evaluate(
            """async ([q, module]) => { const pf = await import('./' + document.querySelector(
               'script[src$="pagefind-component-ui.js"]').getAttribute('src').replace('pagefind-component-ui.js', module));
               const found = await pf.search(q);
               return Promise.all(found.results.map(async r => { const d = await r.data();
                                                                  return {url: d.url, excerpt: d.excerpt}; })); }""",
            [query, module])

    yield run
    for page in pages.values():
        page.close()


@pytest.fixture(scope="module")
def search(results) -> Iterator:
    """``search(page, query)``: the result URLs of a search through the search box's module."""
    yield lambda page_path, query, module=READER: [r["url"] for r in results(page_path, query, module)]


def test_the_bundle_holds_one_index_per_language(site):
    assert (site / BUNDLE_DIR / "pagefind.js").is_file()
    assert {p.name.split("_")[0] for p in (site / BUNDLE_DIR).glob("pagefind.*.pf_meta")} == {"pagefind.ar",
                                                                                           "pagefind.en"}


@pytest.mark.parametrize(("plain", "prefixed"), [("إيران", "الإيرانية"), ("حكومة", "الحكومة"), ("ايران", "إيران")])
def test_arabic_words_with_and_without_the_article_find_the_same_pages(search, plain, prefixed):
    expected = {"/ar/articles/sanctions.html", "/ar/articles/visit.html"}
    assert set(search("ar/articles/visit.html", plain)) == expected
    assert set(search("ar/articles/visit.html", prefixed)) == expected


@pytest.mark.parametrize("query", ["مفاوضات", "المفاوضات", "والمفاوضات", "مفاوضاتٌ"])
def test_a_plural_in_at_finds_the_pages_with_and_without_the_article(search, query):
    assert set(search("ar/index.html", query)) == {"/ar/articles/talks.html", "/ar/articles/rounds.html"}


def test_results_show_the_pages_text_not_the_stems(results):
    found = {r["url"]: r["excerpt"] for r in results("ar/index.html", "مفاوضات")}
    talks = found["/ar/articles/talks.html"].replace("<mark>", "").replace("</mark>", "")
    assert "استؤنفت المفاوضات بين الطرفين" in talks
    words = set(talks.replace(".", " ").split())
    assert not {"جول", "مفاوض", "طرف", "امس"} & words  # the stems the page carries for the index


def test_english_search_is_pagefinds_own(results):
    """On an English page the search box's module passes the query to Pagefind as typed."""
    for query in ("government", "Iran", "sanctions Tehran", "hostile", "governments"):
        assert results("index.html", query) == results("index.html", query, PAGEFIND)
        assert results("articles/visit.html", query) == results("articles/visit.html", query, PAGEFIND)


def test_the_query_module_stems_as_python_does(served):
    """The search box's stemmer (JavaScript) and the index's (Python) agree word by word."""
    words = [w for w in WORDS.read_text(encoding="utf-8").splitlines() if w and not w.startswith("#")]
    browser, base = served
    page = browser.new_page()
    page.goto(f"{base}/ar/index.html")
    stems, kept = page.evaluate(
        f"""async (words) => {{ const m = await import('/{BUNDLE_DIR}/{READER}');
            return [words.map(m.searchStem), m.processTerm('Iran 2024 government - OPEC+')]; }}""", words)
    page.close()
    assert len(words) > 1000
    assert [(w, s) for w, s in zip(words, stems) if s != search_stem(w)] == []
    assert kept == "Iran 2024 government - OPEC+"


def test_each_language_searches_its_own_pages(search):
    assert search("ar/index.html", "أوبك") == ["/ar/stories/story-x.html"]
    assert search("ar/index.html", "government") == []
    assert set(search("index.html", "government")) == {"/articles/sanctions.html", "/articles/visit.html"}
    assert search("index.html", "الحكومة") == []


def test_only_articles_and_stories_without_excluded_parts_are_indexed(search):
    assert search("ar/index.html", "الرئيسية") == []  # the home page is a list, not indexed
    assert search("index.html", "excluded") == []
    assert is_indexed("articles/a.html") and is_indexed("ar/stories/s.html")
    assert not is_indexed("index.html") and not is_indexed("ar/archive/2024-06-02.html")


def test_every_page_gets_the_search_box_with_paths_from_its_folder():
    html = add_search(_page("ar", "t", "x"), "ar/articles/a.html")
    assert 'src="../../pagefind/pagefind-component-ui.js"' in html
    assert "<pagefind-modal-trigger></pagefind-modal-trigger></div></nav>" in html
    assert html.count("<pagefind-modal>") == 1 and "data-pagefind-body" in html
    assert f'<pagefind-config bundle-path="./{QUERY_DIR}/">' in html
    home = add_search(_page("en", "t", "x"), "index.html")
    assert 'href="pagefind/pagefind-component-ui.css"' in home and "data-pagefind-body" not in home


def test_arabic_pages_carry_the_stems_of_their_indexed_words_only():
    html = add_search(_page("ar", "الحكومة", "قالت حكومة &quot;الإصلاحات&quot;"), "ar/articles/a.html")
    assert 'data-pagefind-meta="stems:حكوم قالت اصلاح"' in html  # title, text; not the excluded مستبعد
    assert "data-pagefind-meta" not in add_search(_page("en", "Government", "Said"), "articles/a.html")
    assert "data-pagefind-meta" not in add_search(_page("ar", "الرئيسية", "الحكومة"), "ar/index.html")


def type_query(page, query: str) -> None:
    """Open the search box of ``page`` and type ``query`` in it, as a reader does; wait for its results."""
    page.click("pagefind-modal-trigger button")
    page.fill("pagefind-modal input[type=search]", query)
    page.wait_for_selector("pagefind-modal .pf-result-link", timeout=20_000)
    page.wait_for_timeout(500)


def test_the_search_box_finds_an_arabic_plural_without_its_article(served):
    """Typed in the search box of an Arabic page, as a reader does: both pages, with their own text."""
    browser, base = served
    page = browser.new_page()
    page.goto(f"{base}/ar/articles/visit.html")
    type_query(page, "مفاوضات")
    links = page.eval_on_selector_all("pagefind-modal .pf-result-link", "a => a.map(x => x.getAttribute('href'))")
    text = page.locator("pagefind-modal").inner_text()
    page.close()
    assert set(links) == {"/ar/articles/talks.html", "/ar/articles/rounds.html"}
    assert "استؤنفت المفاوضات" in text and not {"جول", "مفاوض", "طرف", "امس"} & set(text.replace(".", " ").split())


def test_hostile_text_in_results_stays_text(search, served):
    """The search box shows an indexed "<img ...>" as characters: no element is made of it."""
    assert search("index.html", "hostile") == ["/articles/hostile.html"]
    browser, base = served
    page = browser.new_page()
    alerts: list[str] = []
    page.on("dialog", lambda dialog: (alerts.append(dialog.message), dialog.dismiss()))
    page.goto(f"{base}/index.html")
    type_query(page, "hostile")
    modal = page.locator("pagefind-modal")
    assert "<img src=x onerror=alert(1)>" in modal.inner_text()
    assert modal.locator("img, [onerror], [onload]").count() == 0 and alerts == []
    page.close()


def test_the_search_box_works_from_a_sub_path(site, served):
    """A site served under a sub-path (https://host/briefing/) loads its own bundle, not /pagefind/."""
    browser, _ = served
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site.parent)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    page = browser.new_page()
    try:
        page.goto(f"http://127.0.0.1:{httpd.server_address[1]}/{site.name}/ar/index.html")
        type_query(page, "المفاوضات")
        links = page.eval_on_selector_all("pagefind-modal .pf-result-link", "a => a.map(x => x.getAttribute('href'))")
    finally:
        page.close()
        httpd.shutdown()
    assert set(links) == {f"/{site.name}/ar/articles/talks.html", f"/{site.name}/ar/articles/rounds.html"}


@pytest.mark.parametrize("damage", ["truncated", "empty"])
def test_an_index_pagefind_could_not_finish_writing_is_an_error_not_a_broken_search(tmp_path, monkeypatch, damage):
    """Pagefind exits 0 when its writes fail (a full disk): its files are checked, not trusted."""
    import subprocess

    import nashra.site.search as search_module
    from nashra.errors import BuildError

    root = tmp_path / "site"
    for path, (lang, title, text) in PAGES.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(add_search(_page(lang, title, text), path), encoding="utf-8")
    run = subprocess.run

    def pagefind_on_a_full_disk(*args, **kwargs):
        result = run(*args, **kwargs)
        bundle = root / BUNDLE_DIR
        if damage == "truncated":
            victim = sorted(bundle.glob("fragment/*.pf_fragment"))[0]
            victim.write_bytes(victim.read_bytes()[:-9])
        else:
            victim = bundle / "pagefind-ui.js"
            victim.write_bytes(b"")
        return result

    monkeypatch.setattr(search_module.subprocess, "run", pagefind_on_a_full_disk)
    monkeypatch.setattr(search_module, "_free_bytes", lambda path: 4096)
    with pytest.raises(BuildError) as caught:
        index_site(root)
    line = str(caught.value)
    assert "\n" not in line and str(root / BUNDLE_DIR) in line and "free some disk space" in line, line


def test_a_full_disk_while_writing_the_query_module_says_what_to_do(tmp_path, monkeypatch):
    import errno

    import nashra.site.search as search_module
    from nashra.errors import BuildError

    root = tmp_path / "site"
    path, (lang, title, text) = next(iter(PAGES.items()))
    (root / path).parent.mkdir(parents=True)
    (root / path).write_text(add_search(_page(lang, title, text), path), encoding="utf-8")

    def full(folder, parts=(), main=""):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(search_module, "write_query_module", full)
    monkeypatch.setattr(search_module, "_free_bytes", lambda path: 0)
    with pytest.raises(BuildError, match="No space left on device.*free some disk space"):
        index_site(root)
