"""Search at 500 and at 10,000 articles: index size per article and time to the first result.

Pagefind (the site's search, nashra.site.search) and Material for MkDocs' lunr
search (the site's search before it) are measured side by side on the same
pages in headless Chromium:

- 500 articles: the ANT sample (../shared/data/ant-dev, or --data) built as
  benchmarks/scale.py builds it (translation by a fast stand-in).
- 10,000 articles: that site's article and story pages copied 20 times under
  new names, as scale.py's archives copy the sample, and indexed again.

Pagefind is measured twice, before and after Arabic search by light stems
(nashra.site.search_stems): "before" is the same site with the stems metadata
and the search box's query module taken out of its pages (Pagefind's Snowball
stemmer alone, the query as typed), "after" the site as Nashra builds it.

For each engine and size: the index on disk per article, what the browser
fetches until the first result, the time to index the site (Pagefind, at build
time) and the time from typing a query on a freshly opened Arabic page to its
first result (Pagefind: loading its entry file, the Arabic index's chunks and
fragments; lunr: loading the one index of both languages and building it in
the browser, as Material's search worker does, then the query). The last
column is the share of the results of an Arabic query on the Arabic site that
are English pages.

A second table measures Arabic words with and without the article: 600 pairs such as الحكومة /
حكومة taken from the sample's text, each word alone on a page; the share of pairs where a search
for either form finds the page of the other, for Pagefind before (Snowball, the query as typed)
and after (the pages' stems metadata, the query through the search box's module, in the
browser), and for the summarizer's light stemmer (whether it gives both forms one stem); with
the mean number of pages a search for one of these words lists (of the 1,200), and how many of
the 1,200 words the query module (JavaScript) stems differently from the index (Python).

A third table sets the index in parts that a build writes (nashra.site.search_parts: a day each
in the newest month, a month each before it, merged in the browser) against one index of the
same pages: for real queries (the words above, names, words still being typed, English words),
the pages each finds, those the parts lose and add, and how many of the first ten both list;
with the time to the first result of each.

The lunr index is written as Material writes it for these pages (location,
title and text of what the site indexes: titles and summaries of articles and
stories, both languages), and queried through Material's own search worker.

Run:  python benchmarks/search.py [--data DIR] [--sizes 500 10000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import re
import shutil
import sys
import tempfile
import threading
import time
from html.parser import HTMLParser
from pathlib import Path
from collections.abc import Sequence
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from scale import base_articles, build, generate  # noqa: E402

#: The ANT sample: 500 real articles (the scale benchmark's archive is the whole corpus).
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "ant-dev"

QUERY = "الحكومة"
BASE_ARTICLES = 500
PAGE_DIRS = ("articles", "stories", "ar/articles", "ar/stories")
UI_FILES = re.compile(r"pagefind-(component-ui|modular-ui|ui|highlight)\.(js|css)$|playground")
_STEMS_RE = re.compile(r' data-pagefind-meta="stems:[^"]*"|<pagefind-config [^>]*></pagefind-config>')


class _Indexed(HTMLParser):
    """The title and text Nashra's pages give the search: the data-pagefind-body element, minus excluded parts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0  # inside the indexed element: its depth, else 0
        self.skip = 0  # inside an excluded element: its depth
        self.stack = 0
        self.title: list[str] = []
        self.text: list[str] = []
        self.in_h1 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "img", "hr", "meta", "link", "input"):
            return
        self.stack += 1
        names = {name for name, _ in attrs}
        if "data-pagefind-body" in names and not self.depth:
            self.depth = self.stack
        if self.depth and "data-search-exclude" in names and not self.skip:
            self.skip = self.stack
        self.in_h1 = self.in_h1 or (tag == "h1" and bool(self.depth))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("br", "img", "hr", "meta", "link", "input"):
            return
        if self.skip == self.stack:
            self.skip = 0
        if self.depth == self.stack:
            self.depth = 0
        if tag == "h1":
            self.in_h1 = False
        self.stack -= 1

    def handle_data(self, data: str) -> None:
        if self.depth and not self.skip:
            (self.title if self.in_h1 else self.text).append(data)


def lunr_entry(site: Path, page: Path) -> dict[str, str]:
    parser = _Indexed()
    parser.feed(page.read_text(encoding="utf-8"))
    return {"location": page.relative_to(site).as_posix(), "title": " ".join("".join(parser.title).split()),
            "text": " ".join(" ".join(parser.text).split())}


def write_lunr_index(site: Path) -> int:
    """Material's search_index.json of the site's indexed pages; return its size in bytes."""
    docs = [lunr_entry(site, page) for folder in PAGE_DIRS if (site / folder).is_dir()
            for page in sorted((site / folder).glob("*.html"))]
    config = {"lang": ["en", "ar"], "separator": r"[\s\-]+", "pipeline": ["stopWordFilter"],
              "fields": {"title": {"boost": 1000.0}, "text": {"boost": 1.0}, "tags": {"boost": 1000000.0}}}
    target = site / "search" / "search_index.json"
    target.parent.mkdir(exist_ok=True)
    target.write_text(json.dumps({"config": config, "docs": docs}, ensure_ascii=False), encoding="utf-8")
    return target.stat().st_size


def multiply(site: Path, target: Path, copies: int) -> None:
    """``site`` with its article and story pages ``copies`` times (hard links under new names)."""
    shutil.copytree(site, target, copy_function=os.link, ignore=shutil.ignore_patterns("pagefind", "search"))
    for folder in PAGE_DIRS:
        if not (site / folder).is_dir():
            continue
        for page in (site / folder).glob("*.html"):
            for k in range(1, copies):
                os.link(page, target / folder / f"{page.stem}-x{k}.html")


def bundle_bytes(site: Path) -> int:
    """The index's bytes: the bundle without the search box's scripts and style (and its query module)."""
    return sum(p.stat().st_size for p in (site / "pagefind").rglob("*")
               if p.is_file() and not UI_FILES.search(p.name) and p.parent.name != "nashra")


def without_stems(site: Path, target: Path) -> None:
    """A copy of ``site`` as it was before Arabic search by light stems: no stems metadata, no query module."""
    shutil.copytree(site, target, ignore=shutil.ignore_patterns("pagefind", "search"))
    for page in target.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        page.write_text(_STEMS_RE.sub("", text), encoding="utf-8")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}"


class _Fetched:
    """Bytes the browser fetched for the search (its workers' requests included), by Content-Length."""

    PARTS = ("/pagefind/", "/search/", "/assets/javascripts/workers/", "/assets/javascripts/lunr/")

    def __init__(self, context) -> None:  # type: ignore[no-untyped-def]
        self.bytes = 0
        context.on("requestfinished", self._add)

    def _add(self, request) -> None:  # type: ignore[no-untyped-def]
        response = request.response() if any(part in request.url for part in self.PARTS) else None
        if response is not None:
            self.bytes += int(response.headers.get("content-length", 0))

    @property
    def kb(self) -> float:
        return self.bytes / 1024


def pagefind_first_result(browser, base: str) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """Open the Arabic home page, type the query in the search box, wait for the first result."""
    context = browser.new_context()
    fetched = _Fetched(context)
    page = context.new_page()
    page.goto(f"{base}/ar/index.html")
    page.wait_for_selector("pagefind-modal-trigger button")
    started = time.perf_counter()
    page.click("pagefind-modal-trigger button")
    page.fill("pagefind-modal input[type=search]", QUERY)
    page.wait_for_selector("pagefind-modal .pf-result-link", timeout=120_000)
    seconds = time.perf_counter() - started
    page.wait_for_timeout(500)  # the first page of results, and the last responses' events
    links = page.eval_on_selector_all("pagefind-modal .pf-result-link", "a => a.map(x => x.getAttribute('href'))")
    result = {"first_ms": seconds * 1000, "fetched_kb": fetched.kb,
              "english": sum(not link.startswith("/ar/") for link in links) / max(len(links), 1)}
    context.close()
    return result


def lunr_first_result(browser, base: str, site: Path) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """Load Material's index into its search worker and query it, from a freshly opened Arabic page."""
    worker = next((site / "assets" / "javascripts" / "workers").glob("search.*.min.js"))
    context = browser.new_context()
    fetched = _Fetched(context)
    page = context.new_page()
    page.goto(f"{base}/ar/index.html")
    found = page.evaluate(
        """async ([worker, query]) => {
            const started = performance.now();
            const index = await (await fetch('../search/search_index.json')).json();
            const search = new Worker(worker);
            const answer = () => new Promise(resolve => { search.onmessage = e => resolve(e.data); });
            let reply = answer();
            search.postMessage({type: 0, data: {...index, options: {suggest: false}}});
            await reply;
            const built = performance.now();
            reply = answer();
            search.postMessage({type: 2, data: query});
            const result = await reply;
            const done = performance.now();
            const items = result.data.items.map(item => item[0] ? item[0].location : item.location);
            return {first: done - started, build: built - started, items};
        }""", [f"../assets/javascripts/workers/{worker.name}", QUERY])
    items = found["items"]
    page.wait_for_timeout(200)  # the last responses' events
    result = {"first_ms": found["first"], "fetched_kb": fetched.kb,
              "english": sum(not str(i).startswith("ar/") for i in items) / max(len(items), 1),
              "build_ms": found["build"]}
    context.close()
    return result


def measure(site: Path, articles: int, browser, engine: str,  # type: ignore[no-untyped-def]
            lunr: bool) -> list[dict[str, object]]:
    """Pagefind's row for ``site`` (named ``engine``), after lunr's when ``lunr``."""
    from nashra.site.search import index_site

    if (site / "pagefind").exists():
        shutil.rmtree(site / "pagefind")
    started = time.perf_counter()
    index_site(site)
    index_s = time.perf_counter() - started
    if engine.endswith("before"):  # index_site writes the query module; the pages before did not load it
        shutil.rmtree(site / "pagefind" / "nashra")
    rows: list[dict[str, object]] = []
    httpd, base = serve(site)
    try:
        if lunr:
            lunr_bytes = write_lunr_index(site)
            rows.append({"engine": "lunr (Material)", "articles": articles,
                         "kb_per_article": lunr_bytes / 1024 / articles, "index_s": None,
                         **lunr_first_result(browser, base, site)})
        rows.append({"engine": engine, "articles": articles, "kb_per_article": bundle_bytes(site) / 1024 / articles,
                     "index_s": index_s, **pagefind_first_result(browser, base)})
    finally:
        httpd.shutdown()
    return rows


def article_pairs(data: Path, count: int = 600) -> list[tuple[str, str]]:
    """Words of the sample with the article (ال) whose bare form also occurs, ``count`` of them at random."""
    import random
    from collections import Counter

    from nashra.errors import InputError
    from nashra.ingest.files import iter_files
    from nashra.ingest.stage import read_file
    from nashra.text.arabic import strip_diacritics

    vocabulary: Counter[str] = Counter()
    for path in iter_files([data]):
        for article in read_file(path):
            if not isinstance(article, InputError):
                vocabulary.update(re.findall("[\u0621-\u064a]{4,}", strip_diacritics(article.text)))
    pairs = sorted((w, w[2:]) for w in vocabulary if w.startswith("ال") and len(w) > 5 and w[2:] in vocabulary)
    return random.Random(1).sample(pairs, min(count, len(pairs)))


def _pairs_site(site: Path, pairs: list[tuple[str, str]], stems: bool) -> None:
    """Each word of ``pairs`` alone on an Arabic page (a{k}: the form with the article, b{k}: without),
    with its stems metadata as Nashra's pages carry it when ``stems``; indexed by Pagefind."""
    from nashra.site.search import index_site
    from nashra.site.search_stems import stems_meta

    shutil.rmtree(site, ignore_errors=True)
    (site / "p").mkdir(parents=True)
    page = ('<!doctype html><html lang="ar"><head><meta charset="utf-8"><title>{0}</title></head>'
            '<body><main data-pagefind-body{2}><p>{1}</p></main></body></html>')
    for k, (prefixed, bare) in enumerate(pairs):
        for name, word in ((f"a{k}", prefixed), (f"b{k}", bare)):
            meta = stems_meta(word) if stems else ""
            (site / "p" / f"{name}.html").write_text(page.format(name, word, meta), encoding="utf-8")
    (site / "index.html").write_text(page.format("home", "", ""), encoding="utf-8")
    index_site(site)


def _evaluate(browser, site: Path, page: str, script: str, argument: object) -> Any:  # type: ignore[no-untyped-def]
    """``script`` run with ``argument`` in ``page`` of ``site``, served for the purpose: what it returns."""
    httpd, base = serve(site)
    try:
        context = browser.new_context()
        tab = context.new_page()
        tab.goto(f"{base}/{page}")
        found = tab.evaluate(script, argument)
        context.close()
    finally:
        httpd.shutdown()
    return found


def _found(browser, site: Path, pairs: list[tuple[str, str]], module: str) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """Search each form of each pair through ``module``: whether it finds the other's page, and how many pages."""
    return _evaluate(browser, site, "index.html",
            """async ([pairs, module]) => {
                const pagefind = await import(module);
                const urls = async q => (await Promise.all((await pagefind.search(q)).results.map(r => r.data())))
                    .map(d => d.url);
                const out = [], counts = [], stems = [];
                for (let k = 0; k < pairs.length; k++) {
                    const [prefixed, bare] = pairs[k];
                    const [withArticle, without] = [await urls(prefixed), await urls(bare)];
                    out.push(without.includes(`/p/a${k}.html`) && withArticle.includes(`/p/b${k}.html`));
                    counts.push(withArticle.length, without.length);
                    if (pagefind.searchStem) stems.push(pagefind.searchStem(prefixed), pagefind.searchStem(bare));
                }
                return {out, counts, stems};
            }""", [pairs, module])


def pair_agreement(browser, pairs: list[tuple[str, str]], work: Path) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """How often each form of a pair finds the other: Pagefind before and after the stems (in the
    browser), and the light stemmer; the mean number of pages found; the query module's stems that
    differ from the index's."""
    from nashra.site.search_stems import search_stem

    _pairs_site(work / "pairs-before", pairs, stems=False)
    _pairs_site(work / "pairs-after", pairs, stems=True)
    before = _found(browser, work / "pairs-before", pairs, "/pagefind/pagefind.js")
    after = _found(browser, work / "pairs-after", pairs, "/pagefind/nashra/pagefind.js")
    words = [w for pair in pairs for w in pair]
    stems = [search_stem(p) == search_stem(b) for p, b in pairs]
    mean = lambda counts: sum(counts) / len(counts)  # noqa: E731
    return {"before": sum(before["out"]) / len(pairs), "after": sum(after["out"]) / len(pairs),  # type: ignore[arg-type]
            "light": sum(stems) / len(pairs), "before_pages": mean(before["counts"]),  # type: ignore[arg-type]
            "after_pages": mean(after["counts"]),  # type: ignore[arg-type]
            "js_differs": sum(js != search_stem(w) for w, js in zip(words, after["stems"]))}  # type: ignore[call-overload]


#: Queries a reader might type, each with and without the article, for the real-query table.
REAL_QUERIES = ("مفاوضات", "المفاوضات", "انتخابات", "الانتخابات", "عقوبات", "العقوبات", "حكومة", "الحكومة",
                "إيران", "الإيرانية", "وزير", "الوزراء")


def _results(browser, site: Path, module: str) -> dict[str, list[list[str]]]:  # type: ignore[no-untyped-def]
    """Each of REAL_QUERIES searched on ``site``'s Arabic index through ``module``: [url, stems] per result."""
    return _evaluate(browser, site, "ar/index.html",
            """async ([queries, module]) => {
                const pagefind = await import(module);
                const out = {};
                for (const q of queries) {
                    const results = (await pagefind.search(q)).results;
                    out[q] = await Promise.all(results.map(async r => { const d = await r.data();
                                                                        return [d.url, d.meta.stems || ""]; }));
                }
                return out;
            }""", [list(REAL_QUERIES), module])


def real_queries(browser, before: Path, after: Path) -> list[dict[str, object]]:  # type: ignore[no-untyped-def]
    """REAL_QUERIES on the 500 articles' site before and after: the pages found, and of those found only
    after, how many hold a word of the query's very stem (the rest match a longer stem: its prefix)."""
    from nashra.site.search_stems import search_stem

    old = _results(browser, before, "/pagefind/pagefind.js")
    new = _results(browser, after, "/pagefind/nashra/pagefind.js")
    rows: list[dict[str, object]] = []
    for query in REAL_QUERIES:
        was = {url for url, _ in old[query]}
        gained = [stems.split() for url, stems in new[query] if url not in was]
        same = sum(search_stem(query) in stems for stems in gained)
        rows.append({"query": query, "before": len(was), "after": len(new[query]),
                     "lost": len(was - {url for url, _ in new[query]}), "same_stem": same,
                     "prefix_only": len(gained) - same})
    return rows


#: Queries for the parts against one index: REAL_QUERIES, names, rarer words, words being typed, English.
PART_QUERIES = {"ar/index.html": (*REAL_QUERIES, "ترامب", "بوتين", "دوما", "الكيماوي", "ماكرون", "السيسي", "كوريا",
                                  "ليفربول", "غزة", "أردوغان", "بيتكوين", "الحكومة الإيرانية", "وزير الخارجية",
                                  "الانتخا", "مفاو", "حكو"),
                "index.html": ("government", "minister", "president", "football", "oil prices", "govern", "minis")}


def _urls(browser, site: Path, page: str, queries: Sequence[str]) -> list[list[str]]:  # type: ignore[no-untyped-def]
    """The result URLs of each query, searched on ``page`` of ``site`` through the search box's module."""
    return _evaluate(browser, site, page,
            """async (queries) => {
                const pagefind = await import('/pagefind/nashra/pagefind.js');
                const out = [];
                for (const q of queries) {
                    const found = await pagefind.search(q);
                    out.push(await Promise.all(found.results.map(async r => (await r.data()).url)));
                }
                return out;
            }""", list(queries))


def parts_against_whole(browser, parts: Path, whole: Path) -> list[dict[str, object]]:  # type: ignore[no-untyped-def]
    """PART_QUERIES on the site indexed in parts and on the same pages in one index."""
    rows: list[dict[str, object]] = []
    for page, queries in PART_QUERIES.items():
        for query, one, parted in zip(queries, _urls(browser, whole, page, queries), _urls(browser, parts, page, queries),
                                      strict=True):
            rows.append({"query": query, "whole": len(one), "parts": len(parted),
                         "lost": len(set(one) - set(parted)), "added": len(set(parted) - set(one)),
                         "top10": len(set(one[:10]) & set(parted[:10])), "of": min(10, len(one))})
    return rows


def first_result(browser, site: Path) -> dict[str, float]:  # type: ignore[no-untyped-def]
    httpd, base = serve(site)
    try:
        return pagefind_first_result(browser, base)
    finally:
        httpd.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--sizes", type=int, nargs="+", default=[BASE_ARTICLES, 10_000],
                        help=f"multiples of {BASE_ARTICLES}")
    parser.add_argument("--keep", type=Path, default=None, help="work folder to keep (and reuse the built site from)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    work = args.keep or Path(tempfile.mkdtemp(prefix="nashra-search-"))
    built = work / "built" / "site"
    if not built.is_dir():
        generate(base_articles(args.data), work / "articles", BASE_ARTICLES)
        build(work / "articles", work / "built", 1)
    before = work / "built-before"
    shutil.rmtree(before, ignore_errors=True)
    without_stems(built, before)
    from nashra.site.search import index_site

    index_site(before)
    shutil.rmtree(before / "pagefind" / "nashra")  # the pages before loaded Pagefind's own module
    rows: list[dict[str, object]] = []
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True,
                                             args=["--no-sandbox", "--disable-gpu"])
        agreement = pair_agreement(browser, pairs := article_pairs(args.data), work)
        real = real_queries(browser, before, built)
        whole = work / "built-whole"
        shutil.rmtree(whole, ignore_errors=True)
        shutil.copytree(built, whole, copy_function=os.link, ignore=shutil.ignore_patterns("pagefind"))
        index_site(whole)
        parted = parts_against_whole(browser, built, whole)
        parts = len(list((built / "pagefind" / "parts").iterdir())) + 1
        timing = {"parts": first_result(browser, built), "one index": first_result(browser, whole)}
        shutil.rmtree(whole)
        for size in args.sizes:
            for engine, source in (("Pagefind before", before), ("Pagefind + stems", built)):  # indexed again
                site = work / f"site-{size}"
                if site.exists():
                    shutil.rmtree(site)
                multiply(source, site, max(size // BASE_ARTICLES, 1))
                rows.extend(measure(site, size, browser, engine, lunr=source == before))
                shutil.rmtree(site)
        browser.close()
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)
    print(f"Query {QUERY!r} typed on the Arabic home page as it opens (headless Chromium, local server).")
    print(f"{'engine':16} {'articles':>8} {'index KB/art':>12} {'fetched KB':>10} {'index s':>8} "
          f"{'first result ms':>15} {'English hits':>12}")
    for row in rows:
        index_s = f"{row['index_s']:.1f}" if row["index_s"] is not None else "-"
        print(f"{row['engine']:16} {row['articles']:>8} {row['kb_per_article']:>12.2f} {row['fetched_kb']:>10.0f} "
              f"{index_s:>8} {row['first_ms']:>15.0f} {row['english']:>11.0%}")
    print(f"\nArabic words with and without the article ({len(pairs)} pairs from the sample, such as الحكومة / حكومة):")
    print(f"{'matcher':44} {'either form finds the other':>27} {'pages found':>11}")
    print(f"{'Pagefind before (Snowball, query as typed)':44} {agreement['before']:>27.1%} "
          f"{agreement['before_pages']:>11.1f}")
    print(f"{'Pagefind + stems (the search box now)':44} {agreement['after']:>27.1%} {agreement['after_pages']:>11.1f}")
    print(f"{'light stemmer (summarizer, one stem)':44} {agreement['light']:>27.1%} {'-':>11}")
    print(f"Words the query module (JavaScript) stems unlike the index (Python): {agreement['js_differs']} "
          f"of {2 * len(pairs)}")
    print(f"\nReal queries on the {BASE_ARTICLES} articles' Arabic site: pages found before and after; of those found "
          "only after, with a word of the query's stem or only of a longer stem (Pagefind's prefix match):")
    print(f"{'query':12} {'before':>6} {'after':>6} {'lost':>5} {'new, same stem':>14} {'new, prefix only':>16}")
    for row in real:
        print(f"{row['query']:12} {row['before']:>6} {row['after']:>6} {row['lost']:>5} {row['same_stem']:>14} "
              f"{row['prefix_only']:>16}")
    print(f"\nThe index in {parts} parts (as the build writes it) against one index of the same pages: pages found,")
    print("pages one index finds that the parts do not (lost) and the other way round (added), first ten shared:")
    print(f"{'query':18} {'one index':>9} {'parts':>6} {'lost':>5} {'added':>6} {'first ten shared':>16}")
    for row in parted:
        print(f"{row['query']:18} {row['whole']:>9} {row['parts']:>6} {row['lost']:>5} {row['added']:>6} "
              f"{row['top10']:>10} of {row['of']:>2}")
    print(f"Totals: {sum(r['whole'] for r in parted)} pages found by one index, {sum(r['parts'] for r in parted)} "
          f"by the parts, {sum(r['lost'] for r in parted)} lost, {sum(r['added'] for r in parted)} added")
    for name, found in timing.items():
        print(f"First result of {QUERY!r} with {name}: {found['first_ms']:.0f} ms, {found['fetched_kb']:.0f} KB fetched")


if __name__ == "__main__":
    main()
