"""Archive scale: build sites of 100, 1,000 and 10,000 articles and an incremental build of each.

Articles are generated from the ANT sample (../shared/data/ant-dev, or --data)
at a steady daily volume, as a briefing's archive grows: the sample in date
order, copied under new ids as often as needed, PER_DAY articles to a day
(as they come in date order: the sample's five outlets, eight articles each on
average), each keeping its time of day. So 1,000
articles are 25 days of news and 10,000 are 250. Translation is served by a fast stand-in (the model is
not what is measured; benchmarks/translate.py measures it), so the figures
are everything else: ingestion, segmentation, summaries, stories, Markdown,
MkDocs, search index, feeds. Each size runs in a fresh process so that its
peak memory is its own. For each size: build time, time of an incremental
build after adding one article (and what that build reports it redid), site
size on disk, average HTML page, search index size per article, peak memory (of
the build process, of the largest process rendering HTML, and of all together).

Run:  python benchmarks/scale.py [--sizes 100 1000 10000] [--jobs 1 2]
"""

from __future__ import annotations

import argparse
import html
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "ant-dev"


def stand_in():  # type: ignore[no-untyped-def]
    """A translator that answers at once (reversed words), deterministic per sentence."""
    from nashra.testing import StandInTranslator

    return StandInTranslator(lambda sentence: " ".join(reversed(sentence.split())))


#: Articles a day in the generated archive.
PER_DAY = 40
#: The first day of the generated archive.
FIRST_DAY = datetime(2018, 2, 1, tzinfo=UTC)


def generate(data: Path, folder: Path, count: int) -> datetime:
    """Write ``count`` TREC articles made from the ANT sample into ``folder``; return the last day."""
    from nashra.errors import InputError
    from nashra.ingest import iter_files, read_file

    base = [a for p in iter_files([data]) for a in read_file(p) if not isinstance(a, InputError) and a.date]
    base.sort(key=lambda a: (a.date, a.id))
    folder.mkdir(parents=True, exist_ok=True)
    day = FIRST_DAY
    for k in range(count):
        article = base[k % len(base)]
        day = FIRST_DAY + timedelta(days=k // PER_DAY)
        write_article(folder / article_name(k), article, f"{article.id}-c{k // len(base)}", on_day(article, day))
    return day


def article_name(k: int) -> str:
    return f"{k:06d}.xml"


def on_day(article, day: datetime) -> datetime:  # type: ignore[no-untyped-def]
    """The article's time of day (in its own time zone) on ``day``."""
    local = article.date
    return local.replace(year=day.year, month=day.month, day=day.day)


def write_article(path: Path, article, article_id: str, date: datetime) -> None:  # type: ignore[no-untyped-def]
    stamp = date.strftime("%a, %d %b %Y %H:%M:%S %z")
    text = "\n".join(html.escape(p, quote=False) for p in article.paragraphs)
    path.write_text(
        f"<DOC>\n<DOCNO>{article_id}</DOCNO>\n<URL>{html.escape(article.url or '')}</URL>\n"
        f"<SRC>{html.escape(article.source or '')}</SRC>\n<TITLE>{html.escape(article.title, quote=False)}</TITLE>\n"
        f"<TIME>{stamp}</TIME>\n<TEXT>\n{text}\n</TEXT>\n</DOC>\n",
        encoding="utf-8",
    )


def build(sources: Path, out: Path, jobs: int) -> dict:
    from nashra.pipeline import build_briefing
    from nashra.site.build import SiteOptions
    from nashra.summarize import get_summarizer

    started = time.perf_counter()
    report = build_briefing([sources], out, stand_in(), get_summarizer(), SiteOptions(jobs=jobs))
    assert report.pages is not None
    return {"seconds": time.perf_counter() - started, "articles": report.articles, "translated": report.translated,
            "summarized": report.summarized, "stories": report.stories, "rendered": report.pages.rendered,
            "reused": report.pages.reused}


def peak_mb() -> float:
    """The build process's own peak resident memory."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def reset_peak() -> None:
    """Start this process's peak resident memory afresh (Linux: /proc/self/clear_refs)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def worker_peak_mb() -> float:
    """The peak resident memory of the largest process the build started (those rendering HTML)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def tree_rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` and all its descendants (shared pages counted in each: an upper bound)."""
    total = 0.0
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) / 1024
        children = [int(c) for task in Path(f"/proc/{pid}/task").iterdir()
                    for c in (task / "children").read_text().split()]
    except (OSError, ValueError):  # the process ended while being read
        return total
    return total + sum(tree_rss_mb(child) for child in children)


class TreeMemory:
    """The largest resident memory of this process and its children together, sampled every 50 ms."""

    def __init__(self) -> None:
        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(0.05):
            self.peak = max(self.peak, tree_rss_mb(os.getpid()))

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


def child(size: int, jobs: int, data: Path, work: Path) -> dict:
    sources, out = work / "articles", work / "out"
    last_day = generate(data, sources, size)
    reset_peak()  # the builds' peak, not the generator's
    with TreeMemory() as memory:
        full = build(sources, out, jobs)
        # One new article arrives: a copy of the first article under a new id and date.
        from nashra.errors import InputError
        from nashra.ingest import read_file

        first = next(a for a in read_file(sources / article_name(0)) if not isinstance(a, InputError))
        write_article(sources / "new-article.xml", first, "new-article-1", on_day(first, last_day + timedelta(days=1)))
        incremental = build(sources, out, jobs)
    # Memory is read before the site is measured (walking 40,000 files has a cost of its own).
    peaks = {"peak_mb": peak_mb(), "worker_mb": worker_peak_mb(), "all_mb": memory.peak}
    site = out / "site"
    files = site_bytes = pages = page_bytes = 0
    for folder, _, names in os.walk(site):
        for name in names:
            length = os.stat(os.path.join(folder, name)).st_size
            files, site_bytes = files + 1, site_bytes + length
            if name.endswith(".html"):
                pages, page_bytes = pages + 1, page_bytes + length
    return {
        "size": size, "jobs": jobs, "full_s": full["seconds"], "incremental_s": incremental["seconds"],
        "incremental_translated": incremental["translated"], "incremental_summarized": incremental["summarized"],
        "incremental_rendered": incremental["rendered"], "incremental_reused": incremental["reused"],
        "articles": incremental["articles"], "stories": incremental["stories"],
        "site_mb": site_bytes / 1e6, "pages": pages, "page_kb": page_bytes / pages / 1024,
        # The search bundle (both languages' Pagefind indexes, without its user-interface scripts).
        "index_kb_per_article": sum(p.stat().st_size for p in (site / "pagefind").rglob("*")
                                    if p.is_file() and not p.name.endswith(("ui.js", "ui.css", "highlight.js")))
                                / 1024 / incremental["articles"],
        **peaks,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--jobs", type=int, nargs="+", default=None,
                        help="processes rendering HTML (several: each size is built with each; default: Nashra's)")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        size, jobs, data, work = args.child
        print(json.dumps(child(int(size), int(jobs), Path(data), Path(work))))
        return
    if not args.data.is_dir():
        raise SystemExit(f"{args.data}: not found (give the ANT sample with --data)")
    from nashra.site.pagebuild import default_jobs

    rows = []
    for jobs in args.jobs or [default_jobs()]:
        for size in args.sizes:
            work = Path(tempfile.mkdtemp(prefix=f"nashra-scale-{size}-"))
            print(f"building {size} articles, {jobs} rendering process{'es' if jobs > 1 else ''} ...", file=sys.stderr)
            result = subprocess.run([sys.executable, __file__, "--child", str(size), str(jobs), str(args.data),
                                     str(work)], capture_output=True, text=True, check=False)
            shutil.rmtree(work, ignore_errors=True)
            if result.returncode != 0:
                raise SystemExit(f"size {size} failed:\n{result.stderr[-3000:]}")
            rows.append(json.loads(result.stdout.strip().splitlines()[-1]))
    report(rows)


def report(rows: list[dict]) -> None:
    print("\nArchive scale (translation by a stand-in; everything else real), on this machine:\n")
    header = (f"{'articles':>8} {'jobs':>4} {'pages':>6} {'build s':>8} {'ms/article':>10} {'+1 article s':>12} "
              f"{'redone':>7} {'rendered':>8} {'site MB':>8} {'KB/article':>10} {'avg page KB':>11} "
              f"{'index KB/art':>12} {'peak MB':>8} {'worker MB':>9} {'all MB':>7}")
    print(header)
    print("-" * len(header))
    for r in rows:
        print(f"{r['articles']:>8} {r['jobs']:>4} {r['pages']:>6} {r['full_s']:>8.1f} "
              f"{1000 * r['full_s'] / r['size']:>10.1f} {r['incremental_s']:>12.1f} "
              f"{r['incremental_translated']:>3}/{r['incremental_summarized']:<3} {r['incremental_rendered']:>8} "
              f"{r['site_mb']:>8.1f} {1000 * r['site_mb'] / r['articles']:>10.1f} {r['page_kb']:>11.1f} "
              f"{r['index_kb_per_article']:>12.1f} {r['peak_mb']:>8.0f} {r['worker_mb']:>9.0f} {r['all_mb']:>7.0f}")
    print()
    for jobs in sorted({r["jobs"] for r in rows}):
        by_size = {r["size"]: r for r in rows if r["jobs"] == jobs}
        if 1000 in by_size and 10000 in by_size:
            small, large = by_size[1000], by_size[10000]
            time_ratio = (large["full_s"] / large["size"]) / (small["full_s"] / small["size"])
            size_ratio = (large["site_mb"] / large["articles"]) / (small["site_mb"] / small["articles"])
            print(f"jobs {jobs}: per-article cost at 10,000 relative to 1,000: build time {time_ratio:.2f}x, "
                  f"site size {size_ratio:.2f}x (target: within 1.5x)")
        if 1000 in by_size:
            small = by_size[1000]
            for size in sorted(size for size in by_size if size > 1000):
                large = by_size[size]
                for key, what in (("peak_mb", "build process"), ("worker_mb", "largest worker")):
                    growth = (large[key] - small[key]) * 1024 / (large["articles"] - small["articles"])
                    print(f"jobs {jobs}: peak memory at {size:,} relative to 1,000, {what}: "
                          f"{large[key] / small[key]:.2f}x ({growth:+.1f} KB per added article)")
    sizes = sorted({r["size"] for r in rows})
    jobs_values = sorted({r["jobs"] for r in rows})
    if len(jobs_values) > 1:
        for size in sizes:
            by_jobs = {r["jobs"]: r for r in rows if r["size"] == size}
            base = by_jobs[jobs_values[0]]
            for jobs in jobs_values[1:]:
                r = by_jobs[jobs]
                print(f"{size:,} articles, {jobs} jobs relative to {jobs_values[0]}: full build time "
                      f"{r['full_s'] / base['full_s']:.2f}x, "
                      f"memory of all processes {r['all_mb'] / base['all_mb']:.2f}x")
    print("'redone': articles translated / summarized by the incremental build (target: 1/1); 'rendered': HTML pages\n"
          "it rendered (the others were unchanged and taken from the previous site). Memory: 'peak MB' is the build\n"
          "process's peak, 'worker MB' the largest process rendering HTML, 'all MB' all of them at once (sampled\n"
          "every 50 ms; memory shared between processes counted in each): at most the build process and 'jobs'\n"
          "workers, whatever the size of the archive.")


if __name__ == "__main__":
    main()
