"""Search at 500 and at 10,000 articles: index size per article and time to the first result.

Pagefind (the site's search, nashra.site.search) and Material for MkDocs' lunr
search (the site's search before it) are measured side by side on the same
pages in headless Chromium:

- 500 articles: the ANT sample (../shared/data/ant-dev, or --data) built as
  benchmarks/scale.py builds it (translation by a fast stand-in).
- 10,000 articles: that site's article and story pages copied 20 times under
  new names, as scale.py's archives copy the sample, and indexed again.

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
for either form finds the page of the other, for Pagefind, and for the summarizer's light stemmer
(whether it gives both forms one stem).

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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from scale import DEFAULT_DATA, build, generate  # noqa: E402

QUERY = "الحكومة"
BASE_ARTICLES = 500
PAGE_DIRS = ("articles", "stories", "ar/articles", "ar/stories")
UI_FILES = re.compile(r"pagefind-(component-ui|modular-ui|ui|highlight)\.(js|css)$|playground")


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
    return sum(p.stat().st_size for p in (site / "pagefind").rglob("*") if p.is_file() and not UI_FILES.search(p.name))


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


def measure(site: Path, articles: int, browser) -> list[dict[str, object]]:  # type: ignore[no-untyped-def]
    from nashra.site.search import index_site

    if (site / "pagefind").exists():
        shutil.rmtree(site / "pagefind")
    started = time.perf_counter()
    index_site(site)
    index_s = time.perf_counter() - started
    lunr_bytes = write_lunr_index(site)
    httpd, base = serve(site)
    try:
        pagefind = pagefind_first_result(browser, base)
        lunr = lunr_first_result(browser, base, site)
    finally:
        httpd.shutdown()
    return [
        {"engine": "lunr (Material)", "articles": articles, "kb_per_article": lunr_bytes / 1024 / articles,
         "index_s": None, **lunr},
        {"engine": "Pagefind", "articles": articles, "kb_per_article": bundle_bytes(site) / 1024 / articles,
         "index_s": index_s, **pagefind},
    ]


def article_pairs(data: Path, count: int = 600) -> list[tuple[str, str]]:
    """Words of the sample with the article (ال) whose bare form also occurs, ``count`` of them at random."""
    import random
    from collections import Counter

    from nashra.errors import InputError
    from nashra.ingest import iter_files, read_file
    from nashra.text.arabic import strip_diacritics

    vocabulary: Counter[str] = Counter()
    for path in iter_files([data]):
        for article in read_file(path):
            if not isinstance(article, InputError):
                vocabulary.update(re.findall("[\u0621-\u064a]{4,}", strip_diacritics(article.text)))
    pairs = sorted((w, w[2:]) for w in vocabulary if w.startswith("ال") and len(w) > 5 and w[2:] in vocabulary)
    return random.Random(1).sample(pairs, min(count, len(pairs)))


def pair_agreement(browser, pairs: list[tuple[str, str]], work: Path) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """How often each form of a pair finds the other: Pagefind (in the browser) and the light stemmer."""
    from nashra.site.search import index_site
    from nashra.text.arabic import normalize_arabic
    from nashra.text.tokens import light_stem

    site = work / "pairs"
    shutil.rmtree(site, ignore_errors=True)
    (site / "p").mkdir(parents=True)
    page = ('<!doctype html><html lang="ar"><head><meta charset="utf-8"><title>{0}</title></head>'
            '<body><main data-pagefind-body><p>{1}</p></main></body></html>')
    for k, (prefixed, bare) in enumerate(pairs):
        (site / "p" / f"a{k}.html").write_text(page.format(f"a{k}", prefixed), encoding="utf-8")
        (site / "p" / f"b{k}.html").write_text(page.format(f"b{k}", bare), encoding="utf-8")
    (site / "index.html").write_text(page.format("home", ""), encoding="utf-8")
    index_site(site)
    httpd, base = serve(site)
    try:
        context = browser.new_context()
        tab = context.new_page()
        tab.goto(f"{base}/index.html")
        found = tab.evaluate(
            """async (pairs) => {
                const pagefind = await import('/pagefind/pagefind.js');
                const urls = async q => (await Promise.all((await pagefind.search(q)).results.map(r => r.data())))
                    .map(d => d.url);
                const out = [];
                for (let k = 0; k < pairs.length; k++) {
                    const [prefixed, bare] = pairs[k];
                    out.push((await urls(bare)).includes(`/p/a${k}.html`) && (await urls(prefixed)).includes(`/p/b${k}.html`));
                }
                return out;
            }""", pairs)
        context.close()
    finally:
        httpd.shutdown()
    stems = [light_stem(normalize_arabic(p), "ar") == light_stem(normalize_arabic(b), "ar") for p, b in pairs]
    return {"pagefind": sum(found) / len(pairs), "light": sum(stems) / len(pairs)}


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
        generate(args.data, work / "articles", BASE_ARTICLES)
        build(work / "articles", work / "built", 1)
    rows: list[dict[str, object]] = []
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True,
                                             args=["--no-sandbox", "--disable-gpu"])
        agreement = pair_agreement(browser, pairs := article_pairs(args.data), work)
        for size in args.sizes:
            site = work / f"site-{size}"
            if site.exists():
                shutil.rmtree(site)
            multiply(built, site, max(size // BASE_ARTICLES, 1))
            rows.extend(measure(site, size, browser))
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
    print(f"{'matcher':40} {'either form finds the other':>27}")
    print(f"{'Pagefind (Snowball Arabic)':40} {agreement['pagefind']:>27.1%}")
    print(f"{'light stemmer (summarizer, one stem)':40} {agreement['light']:>27.1%}")


if __name__ == "__main__":
    main()
