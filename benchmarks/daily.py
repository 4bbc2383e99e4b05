"""The cost in time of one day of a daily briefing: fetch, translate (each engine), build.

A day is ``--articles`` real articles of the ANT sample (../shared/data/ant-dev,
default 200). Measured in one run:

* fetch: extracting and writing each article page (trafilatura) as
  ``nashra fetch`` does, served from 127.0.0.1 with no delay; the polite delay
  between two requests to one site (1 s by default) is added per page, since
  a day's pages come from a few sites in a row;
* translate: a sample of the day's real sentences, translated by a model with
  random weights and opus-mt-ar-en's exact architecture (benchmarks/translate.py)
  whose every output is forced to the day's estimated mean English length,
  with the transformers engine and with CTranslate2 int8; the per-sentence
  time is multiplied by the day's sentence count (extrapolated, and said so);
* build: segmenting, summarizing, grouping stories and rendering the site of
  the day's articles, with an instant stand-in translator.

Run:  python benchmarks/daily.py [--articles 200] [--sample 48]
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
ANT = ROOT.parent / "shared" / "data" / "ant-dev"
#: English subword tokens per Arabic word (an estimate: Arabic words carry clitics that English
#: writes as words, and MarianMT's vocabulary splits some words in two).
EN_TOKENS_PER_AR_WORD = 1.5


def day_of_articles(count: int):  # type: ignore[no-untyped-def]
    from nashra.ingest.stage import load

    files = sorted(ANT.rglob("*.txt"))[:count]
    articles = load(files).articles[:count]
    if len(articles) < count:
        raise SystemExit(f"only {len(articles)} articles found in {ANT}")
    return articles


def page_html(article) -> str:  # type: ignore[no-untyped-def]
    """The article as an outlet's page: the test site's boilerplate around its paragraphs."""
    import html

    template = (ROOT / "tests" / "data" / "news-site" / "news" / "hospital.html").read_text(encoding="utf-8")
    head, rest = template.split('<div class="story-body">', 1)
    tail = rest.split("</div>", 1)[1]
    head = head.replace("افتتاح مستشفى جديد في الإسكندرية", html.escape(article.title))
    head = head.replace("{{DATE0}}", (article.date.isoformat() if article.date else "2024-01-01T08:00:00+00:00"))
    body = "".join(f"<p>{html.escape(p)}</p>\n" for p in article.paragraphs)
    return f'{head}<div class="story-body">\n{body}</div>{tail}'


def measure_fetch(articles, work: Path) -> float:  # type: ignore[no-untyped-def]
    from nashra.fetch import FeedSource, FetchOptions, fetch

    site = work / "site"
    (site / "news").mkdir(parents=True)
    for i, article in enumerate(articles):
        (site / "news" / f"{i}.html").write_text(page_html(article), encoding="utf-8")
    (site / "robots.txt").write_text("User-agent: *\nDisallow: /private/\n", encoding="utf-8")
    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    tick = time.perf_counter()
    report = fetch([FeedSource(f"{base}/news/{i}.html") for i in range(len(articles))], work / "fetched",
                   FetchOptions(delay=0))
    seconds = time.perf_counter() - tick
    server.shutdown()
    saved = len(report.saved)
    print(f"fetch: {saved} of {len(articles)} pages extracted and written in {seconds:.1f} s", file=sys.stderr)
    return seconds


def measure_build(articles, work: Path) -> float:  # type: ignore[no-untyped-def]
    import json

    from nashra.pipeline import build_briefing
    from nashra.site.options import SiteOptions
    from nashra.summarize import get_summarizer
    from nashra.testing import StandInTranslator

    folder = work / "articles"
    folder.mkdir()
    for i, a in enumerate(articles):
        record = {"id": a.id, "title": a.title, "text": list(a.paragraphs), "source": a.source, "url": a.url,
                  "date": a.date.isoformat() if a.date else None}
        (folder / f"{i:04d}.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    tick = time.perf_counter()
    build_briefing([folder], work / "out", StandInTranslator(lambda s: " ".join(reversed(s.split()))),
                   get_summarizer(), SiteOptions(jobs=1))
    return time.perf_counter() - tick


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--sample", type=int, default=48, help="sentences actually translated by each engine")
    parser.add_argument("--beams", type=int, default=4)
    parser.add_argument("--delay", type=float, default=1.0, help="polite delay per page added to the fetch time")
    args = parser.parse_args()

    import translate as bench  # benchmarks/translate.py

    from nashra.text.segment import segment_paragraphs

    articles = day_of_articles(args.articles)
    sentences = [s.text for a in articles for s in segment_paragraphs(list(a.paragraphs)) if not s.heading]
    texts = sentences + [a.title for a in articles]
    words = sum(len(s.split()) for s in texts) / len(texts)
    length = round(words * EN_TOKENS_PER_AR_WORD)
    work = Path(tempfile.mkdtemp(prefix="nashra-daily-"))

    fetch_s = measure_fetch(articles, work)
    build_s = measure_build(articles, work)
    print(f"build (stand-in translator): {build_s:.1f} s", file=sys.stderr)

    model = work / "model"
    bench.build_model(model, length, args.beams)
    from nashra.translate.ct2 import convert_model

    ct2_model = convert_model(str(model), work / "ct2-int8", quantization="int8")
    sample = random.Random(0).sample(texts, min(args.sample, len(texts)))
    per_sentence = {}
    for label, method, folder in [("transformers", "transformers", model), ("ctranslate2 int8", "ctranslate2", ct2_model)]:
        print(f"translating {len(sample)} sentences with {label} ...", file=sys.stderr)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        result = bench.in_subprocess(method, folder, sample, None, 1)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        per_sentence[label] = (result["seconds"] / len(sample), result["load_s"], cpu / len(sample))

    print(f"\nA day of {len(articles)} ANT articles: {len(sentences)} sentences and {len(articles)} titles "
          f"({words:.1f} Arabic words each on average, forced to {length} English tokens), beam {args.beams}, "
          f"CPU threads: {bench._threads()}\n")
    header = (f"{'engine':18} {'fetch s':>8} {'translate s':>12} {'CPU s':>8} {'build s':>8} {'total s':>8}"
              f" {'total min':>10}")
    print(header)
    print("-" * len(header))
    fetch_total = fetch_s + args.delay * len(articles)
    for label, (seconds, load_s, cpu) in per_sentence.items():
        translate_s = seconds * len(texts) + load_s
        total = fetch_total + translate_s + build_s
        print(f"{label:18} {fetch_total:8.0f} {translate_s:12.0f} {cpu * len(texts):8.0f} {build_s:8.0f} {total:8.0f}"
              f" {total / 60:10.1f}")
    print(f"\nfetch: {fetch_s:.1f} s measured (extraction and writing, local server) + {args.delay:g} s polite delay per"
          f" page. translate: {len(sample)} sentences measured per engine (one run, model loading included once),"
          f" extrapolated to {len(texts)}; 'CPU s' is the CPU time the translating process used (all threads;"
          " threads spinning while they wait for a core count too). build: measured with an"
          " instant stand-in translator.")


if __name__ == "__main__":
    main()
