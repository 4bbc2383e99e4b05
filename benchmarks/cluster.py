"""Translation on a Ray cluster against one process: throughput, Ray's overhead, the cache on a second run.

The same distinct titles and sentences of the dev archive (../shared/data/ant-dev, read and
segmented as a build reads them) are translated:

  (a) by one ``nashra translate`` process (all of this machine's CPUs as threads);
  (b) by ``translate-archive`` on a local Ray instance with 1 actor (all CPUs as its threads);
  (c) by ``translate-archive`` with 2 actors (one CPU each);
  (d) by (c) again with (c)'s cache: what a second run over the same archive translates.

The model is a random-weight replica of opus-mt-ar-en (d_model 512, 6+6 layers, 8 heads, FFN 2048,
vocabulary 62,834), every translation forced to --length tokens at beam 4, through the CTranslate2
int8 engine (the engine for CPUs; --engine transformers for the other). Each run is a fresh process,
timed from its start to its exit, model loading included; the Ray runs also report the Ray instance's
start, the time to the first finished batch (actors started, models loaded), the busiest actor's
translating time, and the rest: Ray's overhead (start-up, scheduling, serialization).

Run:  python benchmarks/cluster.py [--sentences 2000] [--length 16] [--data PATH]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from translate import ROOT, build_model  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "ant-dev"


def archive_sentences(data: Path, count: int) -> list[str]:
    """The first ``count`` distinct normalized titles and sentences of ``data``, as a build gives them."""
    from nashra.ingest.stage import iter_articles
    from nashra.pipeline import segment_or_skip, translation_texts
    from nashra.translate.normalize import normalize_source

    found: dict[str, None] = {}
    for article in iter_articles([data], []):
        segmented = segment_or_skip(article, [])
        for text in translation_texts(segmented) if segmented else []:
            if normalize_source(text):
                found[normalize_source(text)] = None
            if len(found) >= count:
                return list(found)
    return list(found)


def ray_run(job: dict) -> dict:  # type: ignore[type-arg]
    """One translate-archive run in this (fresh) process: the report as JSON-able figures."""
    from nashra.translate import get_translator
    from nashra.translate.cache import TranslationCache
    from nashra.translate.cluster import ModelSpec, connect, translate_archive

    started = time.perf_counter()
    connect("local")
    ray_start = time.perf_counter() - started
    options = {"device": "cpu", "threads": job["threads"]}
    if job["engine"] == "ctranslate2":
        options["compute_type"] = "int8"
    spec = ModelSpec(job["engine"], job["model"], options)
    with TranslationCache(job["cache"]) as cache:
        namespace = get_translator(job["engine"], job["model"], **options).namespace
        report = translate_archive(job["sentences"], spec, namespace, cache, job["actors"], job["threads"])
    busy = max((w.seconds for w in report.workers.values()), default=0.0)
    return {"ray_start": ray_start, "first_batch": report.first_batch, "translated": report.translated,
            "cached": report.cached, "sentences": report.sentences, "busy": busy,
            "workers": {name: w.sentences / w.seconds for name, w in report.workers.items() if w.seconds}}


def timed(command: list[str], stdin: str | None = None) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(command, input=stdin, capture_output=True, text=True, check=True)
    return time.perf_counter() - started, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sentences", type=int, default=2000)
    parser.add_argument("--length", type=int, default=16, help="output tokens per sentence, </s> included")
    parser.add_argument("--engine", choices=("ctranslate2", "transformers"), default="ctranslate2")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(ray_run(json.loads(sys.stdin.read()))))
        return
    from nashra.cpus import available_cpus

    cpus = available_cpus()
    sentences = archive_sentences(args.data, args.sentences)
    work = Path(tempfile.mkdtemp(prefix="nashra-cluster-"))
    model = build_model(work / "model", args.length, beams=4)
    if args.engine == "ctranslate2":
        from nashra.translate.ct2 import convert_model

        model = convert_model(str(model), work / "ct2-int8", quantization="int8")
    text = work / "sentences.txt"
    text.write_text("\n".join(sentences) + "\n", encoding="utf-8")

    print("running (a) nashra translate ...", file=sys.stderr)
    single, _ = timed([str(Path(sys.executable).parent / "nashra"), "translate", str(text), "--model", str(model), "--engine",
                       args.engine, "--no-cache", "--device", "cpu"])
    rows: dict[str, dict] = {}  # type: ignore[type-arg]
    for label, actors, threads, cache in [("(b) translate-archive, 1 actor", 1, cpus, "one.sqlite3"),
                                          ("(c) translate-archive, 2 actors", 2, max(1, cpus // 2), "two.sqlite3"),
                                          ("(d) (c) again, same cache", 2, max(1, cpus // 2), "two.sqlite3")]:
        print(f"running {label} ...", file=sys.stderr)
        job = {"engine": args.engine, "model": str(model), "threads": threads, "actors": actors,
               "cache": str(work / cache), "sentences": sentences}
        seconds, out = timed([sys.executable, __file__, "--child"], json.dumps(job))
        rows[label] = {"seconds": seconds, **json.loads(out.strip().splitlines()[-1])}

    print(f"\n{len(sentences)} distinct titles and sentences of the dev archive, {args.length} target tokens each, "
          f"beam 4, opus-mt-ar-en's architecture with random weights, {args.engine}, {cpus} CPUs\n")
    header = (f"{'run':34} {'wall s':>7} {'sent/s':>7} {'vs (a)':>7} {'ray s':>6} {'1st batch s':>11} "
              f"{'busy s':>7} {'overhead s':>10} {'translated':>10} {'cache hits':>10}")
    print(header)
    print("-" * len(header))
    print(f"{'(a) one nashra translate process':34} {single:7.1f} {len(sentences) / single:7.1f} {'1.00x':>7} "
          f"{'-':>6} {'-':>11} {'-':>7} {'-':>10} {len(sentences):>10} {'-':>10}")
    for label, row in rows.items():
        rate = row["translated"] / row["seconds"] if row["translated"] else 0.0
        ratio = f"{rate / (len(sentences) / single):.2f}x" if row["translated"] else "-"
        hits = f"{row['cached'] / row['sentences']:.0%}"
        first = f"{row['first_batch']:.1f}" if row["first_batch"] is not None else "-"
        print(f"{label:34} {row['seconds']:7.1f} {rate:7.1f} {ratio:>7} {row['ray_start']:6.1f} {first:>11} "
              f"{row['busy']:7.1f} {row['seconds'] - row['busy']:10.1f} {row['translated']:>10} {hits:>10}")
    print("\nwall: the process from start to exit, model loading included; busy: the busiest actor's time in "
          "translate(); overhead: wall - busy (Python and Ray start-up, actors and models loading, scheduling, "
          "serialization).")
    for label, row in rows.items():
        if row["workers"]:
            print(f"{label}: " + ", ".join(f"{rate:.1f} sentences/s" for rate in row["workers"].values())
                  + " per actor while translating")


if __name__ == "__main__":
    main()
