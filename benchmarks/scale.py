"""Archive scale: a briefing's archive of 1,000, 10,000 and 100,000 real articles, and its daily update.

The archive is the ANT corpus from January to May 2018 (``../shared/data/ant-feb-may.tar.xz``,
17,485 articles from five outlets; ``--data`` takes the archive or a folder of it): a size of N
is its first N articles in date order, and sizes past its end add date-shifted copies of it
(each copy five months after the one before, under new ids), so 100,000 articles are about
two and a half years of these outlets' news. Translation is served by a stand-in that writes
Latin-script text about as long as an English translation (1.3 words for an Arabic word,
digits kept), so pages, quality flags and bytes are those of a real site; the model is not
what is measured here (benchmarks/translate.py measures it). Everything else is real:
ingestion, segmentation, summaries, stories, Markdown, MkDocs, search index, feeds.

Each size runs in a fresh process so that its peak memory is its own. For each: the full
build, then the daily update: one new article (+1 article: the median of three such builds, a day
apart), then a day of 120 (+1 day), then a
day on the next 8th of a month (+month: its build also indexes the month before as one search
part, once a month), each with what it redid and re-rendered and the time of each publishing
step; site bytes and files per article; the search index per article; the peak memory of the
build process, of the largest MkDocs renderer and of Pagefind.

Run:  python benchmarks/scale.py [--sizes 1000 10000 100000] [--jobs 2]
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "ant-feb-may.tar.xz"
#: Articles in a day of the daily update (about what the five ANT outlets publish).
PER_DAY = 120
#: Days between two copies of the archive past its end (its span, January to May, rounded up).
COPY_SHIFT = timedelta(days=152)
#: Single-article builds timed, one a day (their median is the '+1 art' figure).
ONE_ARTICLE = 3

_ARABIC_WORD = re.compile(r"[\u0600-\u06FF]+|\d+(?:[.,]\d+)*|[^\s\u0600-\u06FF]+")
_DIGITS = re.compile(r"^\d+(?:[.,]\d+)*$")


class PseudoEnglish:
    """A stand-in's translation: English words about as many as a translation has, digits kept.

    Each Arabic word becomes one or two common English words chosen by its hash (an Arabic word
    carries clitics that English writes as words: about 1.3 English words an Arabic word), so
    the same sentence always gets the same text and the pages weigh what real ones do.
    """

    def __init__(self) -> None:
        from wordfreq import top_n_list

        self.words = [w for w in top_n_list("en", 3000) if w.isascii() and w.isalpha()]

    def __call__(self, sentence: str) -> str:
        out: list[str] = []
        for token in _ARABIC_WORD.findall(sentence):
            if _DIGITS.match(token) or not re.search(r"[\u0600-\u06FF]", token):
                out.append(token)
                continue
            digest = hashlib.blake2b(token.encode(), digest_size=8).digest()
            out.append(self.words[int.from_bytes(digest[:2]) % len(self.words)])
            if digest[2] < 77:  # three words in ten become two
                out.append(self.words[int.from_bytes(digest[3:5]) % len(self.words)])
        text = " ".join(out)
        return text[:1].upper() + text[1:]


def stand_in():  # type: ignore[no-untyped-def]
    """A translator that answers at once with :class:`PseudoEnglish`, deterministic per sentence."""
    from nashra.testing import StandInTranslator

    return StandInTranslator(PseudoEnglish())


def unpacked(data: Path, work: Path) -> Path:
    """The archive's folder: ``data`` itself, or the tar archive unpacked under ``work``."""
    if data.is_dir():
        return data
    target = work / "ant"
    if not target.is_dir():
        with tarfile.open(data) as archive:
            archive.extractall(target, filter="data")
    return target


def base_articles(data: Path) -> list:  # type: ignore[type-arg]
    """The archive's articles with a date, oldest first."""
    from nashra.errors import InputError
    from nashra.ingest.files import iter_files
    from nashra.ingest.stage import read_file

    base = [a for p in iter_files([data]) for a in read_file(p) if not isinstance(a, InputError) and a.date]
    base.sort(key=lambda a: (a.date, a.id))
    return base


def generate(base: list, folder: Path, count: int) -> datetime:  # type: ignore[type-arg]
    """Write the first ``count`` articles of the archive (copied past its end) into ``folder``;
    return the newest article's date."""
    folder.mkdir(parents=True, exist_ok=True)
    last = base[0].date
    for k in range(count):
        copy, article = divmod(k, len(base))
        source = base[article]
        date = source.date + copy * COPY_SHIFT
        last = max(last, date)
        write_article(folder / article_name(k), source, source.id if not copy else f"{source.id}-c{copy}", date)
    return last


def add_day(base: list, folder: Path, day: datetime, count: int, tag: str,  # type: ignore[type-arg]
            first: int = 0) -> None:
    """``count`` articles dated on ``day``: the archive's articles from its ``first`` on, under new ids, at their
    times of day (each daily build of a run gets articles of its own: copies of one text days apart would
    join one story)."""
    for k in range(count):
        source = base[(first + k) % len(base)]
        write_article(folder / f"{tag}-{k:04d}.xml", source, f"{tag}-{k}", on_day(source, day))


def article_name(k: int) -> str:
    return f"{k // 1000:03d}/{k:06d}.xml"


def on_day(article, day: datetime) -> datetime:  # type: ignore[no-untyped-def]
    """The article's time of day (in its own time zone) on ``day``."""
    return article.date.replace(year=day.year, month=day.month, day=day.day)


def write_article(path: Path, article, article_id: str, date: datetime) -> None:  # type: ignore[no-untyped-def]
    stamp = date.strftime("%a, %d %b %Y %H:%M:%S %z")
    text = "\n".join(html.escape(p, quote=False) for p in article.paragraphs)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"<DOC>\n<DOCNO>{article_id}</DOCNO>\n<URL>{html.escape(article.url or '')}</URL>\n"
        f"<SRC>{html.escape(article.source or '')}</SRC>\n<TITLE>{html.escape(article.title, quote=False)}</TITLE>\n"
        f"<TIME>{stamp}</TIME>\n<TEXT>\n{text}\n</TEXT>\n</DOC>\n",
        encoding="utf-8",
    )


class StepTimes(logging.Handler):
    """Collects the publishing steps' closing lines ('Rendering HTML: 10 pages in 1.2 s')."""

    _LINE = re.compile(r"^(?P<what>[^:]+): (?:\d+ \w+ in )?(?P<seconds>[\d.]+) s$")

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.seconds: dict[str, float] = {}

    def emit(self, record: logging.LogRecord) -> None:
        match = self._LINE.match(record.getMessage())
        if match:
            self.seconds[match["what"]] = self.seconds.get(match["what"], 0.0) + float(match["seconds"])


def build(sources: Path, out: Path, jobs: int | None, max_size: int = 0) -> dict:
    from nashra.pipeline import build_briefing
    from nashra.site.options import SiteOptions
    from nashra.summarize import get_summarizer

    steps = StepTimes()
    logger = logging.getLogger("nashra")
    logger.addHandler(steps)
    logger.setLevel(logging.INFO)
    reset_peak()
    started = time.perf_counter()
    with ProcessMemory() as memory:
        report = build_briefing([sources], out, stand_in(), get_summarizer(),
                                SiteOptions(jobs=jobs, max_size=max_size, max_files=0))
    logger.removeHandler(steps)
    assert report.pages is not None and report.published is not None
    return {"seconds": time.perf_counter() - started, "articles": report.articles, "translated": report.translated,
            "summarized": report.summarized, "stories": report.stories, "rendered": report.pages.rendered,
            "reused": report.pages.reused, "steps": steps.seconds, "process_s": report.seconds,
            "peak_mb": peak_mb(), "compact": report.published.compact_articles, **memory.peaks()}


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


def _descendants(pid: int) -> list[int]:
    try:
        children = [int(c) for task in Path(f"/proc/{pid}/task").iterdir()
                    for c in (task / "children").read_text().split()]
    except (OSError, ValueError):  # the process ended while being read
        return []
    return children + [d for c in children for d in _descendants(c)]


def _rss_and_name(pid: int) -> tuple[float, str]:
    """A process's resident memory and what it is: "pagefind", "renderer" (a process MkDocs renders a part
    in, started by multiprocessing), or "" (anything else, such as a child between fork and exec, whose
    pages are still its parent's)."""
    rss, name = 0.0, ""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1]) / 1024
            elif line.startswith("Name:"):
                name = "pagefind" if "pagefind" in line else ""
        if not name and b"multiprocessing" in Path(f"/proc/{pid}/cmdline").read_bytes():
            name = "renderer"
    except (OSError, ValueError, IndexError):
        pass
    return rss, name


class ProcessMemory:
    """The largest resident memory of each kind of process the build starts (MkDocs renderers,
    Pagefind), and of all processes together, sampled every 50 ms."""

    def __init__(self) -> None:
        self.renderer = self.pagefind = self.together = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(0.05):
            own, _ = _rss_and_name(os.getpid())
            total = own
            for pid in _descendants(os.getpid()):
                rss, name = _rss_and_name(pid)
                total += rss
                if name == "pagefind":
                    self.pagefind = max(self.pagefind, rss)
                elif name == "renderer":
                    self.renderer = max(self.renderer, rss)
            self.together = max(self.together, total)

    def peaks(self) -> dict[str, float]:
        return {"renderer_mb": self.renderer, "pagefind_mb": self.pagefind, "all_mb": self.together}

    def __enter__(self) -> ProcessMemory:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


def measure_site(site: Path, articles: int) -> dict:
    files = site_bytes = pages = page_bytes = index_bytes = 0
    for folder, _, names in os.walk(site):
        for name in names:
            length = os.stat(os.path.join(folder, name)).st_size
            files, site_bytes = files + 1, site_bytes + length
            if name.endswith(".html"):
                pages, page_bytes = pages + 1, page_bytes + length
            if "pagefind" in Path(folder).relative_to(site).parts and not name.startswith("pagefind-component-ui"):
                index_bytes += length
    return {"site_mb": site_bytes / 1e6, "files": files, "pages": pages, "page_kb": page_bytes / max(pages, 1) / 1024,
            "kb_per_article": site_bytes / 1024 / articles, "files_per_article": files / articles,
            "index_kb_per_article": index_bytes / 1024 / articles}


def child(size: int, jobs: int | None, data: Path, work: Path, max_size: int) -> dict:
    sources, out = work / "articles", work / "out"
    base = base_articles(unpacked(data, work))
    last = generate(base, sources, size)
    full = build(sources, out, jobs, max_size)
    # The daily update: one new article a day, ONE_ARTICLE days running (the build of median time is the
    # figure: a single build's time moves by about a tenth from run to run), then a day of PER_DAY articles.
    ones = []
    for k in range(1, ONE_ARTICLE + 1):
        add_day(base, sources / "new", last + timedelta(days=k), 1, f"new-article-{k}", first=k - 1)
        ones.append(build(sources, out, jobs, max_size))
    one = sorted(ones, key=lambda b: b["seconds"])[len(ones) // 2]
    newest = last + timedelta(days=ONE_ARTICLE + 1)
    add_day(base, sources / "new", newest, PER_DAY, "new-day", first=ONE_ARTICLE)
    day = build(sources, out, jobs, max_size)
    # Once a month, a day's build also indexes the month before as one search part: the first day its
    # stories are settled (the 8th). A day of PER_DAY articles on the next such day.
    add_day(base, sources / "new", settling_day(newest), PER_DAY, "new-month", first=ONE_ARTICLE + PER_DAY)
    month = build(sources, out, jobs, max_size)
    one = {**one, "all_seconds": [b["seconds"] for b in ones], "all_rendered": [b["rendered"] for b in ones],
           **{memory: max(b[memory] for b in ones) for memory in ("peak_mb", "renderer_mb", "pagefind_mb")}}
    return {"size": size, "full": full, "one": one,
            "day": day, "month": month, "compact": month["compact"], **measure_site(out / "site", month["articles"])}


def settling_day(newest: datetime) -> datetime:
    """The first day after ``newest`` whose build indexes a month as one search part (the month before it is
    settled: nashra.site.archive_parts.SETTLE)."""
    from nashra.site.archive_parts import SETTLE

    day = newest.date()
    settles = day.replace(day=1) + SETTLE
    if settles <= day:
        settles = (day.replace(day=1) + timedelta(days=32)).replace(day=1) + SETTLE
    return newest.replace(year=settles.year, month=settles.month, day=settles.day)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--jobs", type=int, default=None, help="processes rendering HTML (default: Nashra's)")
    parser.add_argument("--work", type=Path, default=None, help="folder for the archives (default: a temporary one)")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures to this file")
    parser.add_argument("--max-size", default="0",
                        help="the site's size budget, [site] max_size (default 0: none, every article has its pages)")
    parser.add_argument("--keep", action="store_true",
                        help="keep each size's archive, briefing and record folder (under --work) for later builds")
    parser.add_argument("--child", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        size, jobs, data, work, max_size = args.child
        print(json.dumps(child(int(size), int(jobs) or None, Path(data), Path(work), int(max_size))))
        return
    from nashra.site.budget import parse_size

    max_size = parse_size(args.max_size)
    if not args.data.exists():
        raise SystemExit(f"{args.data}: not found (give the ANT archive or a folder of it with --data)")
    if args.work is not None:
        args.work.mkdir(parents=True, exist_ok=True)
    rows = []
    for size in args.sizes:
        work = Path(tempfile.mkdtemp(prefix=f"nashra-scale-{size}-", dir=args.work))
        print(f"building {size:,} articles ...", file=sys.stderr)
        started = time.perf_counter()
        result = subprocess.run([sys.executable, __file__, "--child", str(size), str(args.jobs or 0),
                                 str(args.data.resolve()), str(work), str(max_size)], capture_output=True, text=True,
                                check=False)
        if args.keep:
            print(f"  kept in {work} (articles/, out/)", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
        if result.returncode != 0:
            raise SystemExit(f"size {size} failed:\n{result.stderr[-3000:]}")
        rows.append(json.loads(result.stdout.strip().splitlines()[-1]))
        print(f"  done in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        if args.json:
            args.json.write_text(json.dumps(rows, indent=1))
    report(rows)


#: A size's builds, as its figures name them, and their labels.
RUNS = (("full", "full"), ("one", "+1 art"), ("day", "+1 day"), ("month", "+month"))


def _peak(row: dict, memory: str) -> float:
    """The highest ``memory`` figure of a size's builds."""
    return max(row[key][memory] for key, _ in RUNS)


#: The publishing steps, as their progress lines name them, and their columns.
STEPS = (("Writing article pages", "art md"), ("Writing home, story, archive and outlet pages", "lists md"),
         ("Rendering HTML", "HTML"), ("Writing feeds and sitemap", "feeds"), ("Indexing the site for search", "search"))


def report(rows: list[dict]) -> None:
    print("\nArchive scale on the real archive (translation by a stand-in; everything else real), this machine:\n")
    header = (f"{'articles':>8} {'run':<8} {'s':>7} {'ms/art':>6} {'redone':>9} {'rendered':>8} {'read+sum':>8} "
              + " ".join(f"{label:>8}" for _, label in STEPS)
              + f" {'build MB':>8} {'render MB':>9} {'pagefind MB':>11}")
    print(header)
    print("-" * len(header))
    for r in rows:
        for key, label in RUNS:
            b = r[key]
            per = f"{1000 * b['seconds'] / r['size']:>6.1f}" if key == "full" else f"{'':>6}"
            print(f"{b['articles']:>8} {label:<8} {b['seconds']:>7.1f} {per} "
                  f"{b['translated']:>4}/{b['summarized']:<4} {b['rendered']:>8} {b['process_s']:>8.1f} "
                  + " ".join(f"{b['steps'].get(step, 0.0):>8.1f}" for step, _ in STEPS)
                  + f" {b['peak_mb']:>8.0f} {b['renderer_mb']:>9.0f} {b['pagefind_mb']:>11.0f}")
    print()
    header = (f"{'articles':>8} {'site MB':>8} {'KB/article':>10} {'files':>8} {'files/art':>9} {'avg page KB':>11}"
              f" {'index KB/art':>12} {'compact':>8}")
    print(header)
    print("-" * len(header))
    for r in rows:
        print(f"{r['month']['articles']:>8} {r['site_mb']:>8.1f} {r['kb_per_article']:>10.1f} {r['files']:>8} "
              f"{r['files_per_article']:>9.2f} {r['page_kb']:>11.1f} {r['index_kb_per_article']:>12.2f}"
              f" {r.get('compact', 0):>8}")
    print()
    sizes = sorted(r["size"] for r in rows)
    by_size = {r["size"]: r for r in rows}
    for small, large in zip(sizes, sizes[1:]):
        a, b = by_size[small], by_size[large]
        print(f"{large:,} against {small:,}: +1 article {b['one']['seconds'] / a['one']['seconds']:.2f}x, "
              f"+1 day {b['day']['seconds'] / a['day']['seconds']:.2f}x, "
              + f"+month {b['month']['seconds'] / a['month']['seconds']:.2f}x, "
              + ", ".join(f"{what} memory {_peak(b, m) / max(1e-9, _peak(a, m)):.2f}x"
                          for m, what in (("peak_mb", "build process"), ("renderer_mb", "renderer"),
                                          ("pagefind_mb", "Pagefind")))
              + f", KB/article {b['kb_per_article'] / a['kb_per_article']:.2f}x")
    for r in rows:
        one = r["one"]
        if "all_seconds" in one:
            print(f"{r['size']:,}: the {len(one['all_seconds'])} single-article builds took "
                  + ", ".join(f"{s:.1f} s ({n} pages)" for s, n in zip(one["all_seconds"], one["all_rendered"])))
    print("\n'+1 art': one new article a day on the days after the archive's newest, the build of median time of\n"
          f"{ONE_ARTICLE}; '+1 day': 120 articles the day after (each build's new articles are others);\n"
          "'+month': 120 articles on the next 8th of a month, whose build also indexes the month before as one\n"
          "search part (once a month, when no story of that month can grow any more).\n"
          "'redone': articles translated / summarized; 'rendered': HTML pages rendered (the others were taken\n"
          "from the previous site); 'read+sum': reading, fingerprinting, translating (stand-in) and summarizing;\n"
          "the next columns are the publishing steps; memory: the peak of the build process, of the largest\n"
          "MkDocs renderer and of Pagefind, sampled every 50 ms. 'compact': articles kept as compact entries of\n"
          "the archive's day pages, their pages given up to the size budget (--max-size).")


if __name__ == "__main__":
    main()
