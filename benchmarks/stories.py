"""Story grouping measured against hand-labelled events of the ANT dev sample.

Reads the 500 articles of ../shared/data/ant-dev (or --data) and the events
of ant-dev-events.json beside it (or --events), runs them through Nashra's
pipeline with a stand-in translator (the words of each sentence reversed, or
left as they are with --identity: grouping must not depend on a model), and
groups them:

  anchor   the plain method of the literature's baselines: TF-IDF of the
           title (twice) and the first three sentences, cosine between
           articles at most three days apart, average-link clustering cut at
           the threshold that is best on the sample (chosen on the labels:
           an upper bound for the method, not a fair comparison);
  Nashra   nashra.stories as a build runs it (streaming, date order: average
           link over TF-IDF of the name-safe terms of the title and lead,
           boilerplate left out, a day at a time, at its shipped threshold).

Scores: pairwise precision, recall and F1 over the pairs of articles that
share an event, B-cubed F1 over all articles, and how many of the
multi-article events are kept whole (their articles form one story with
nothing else: as the earlier grouping's 14 of 41 were counted). Then the
same scores month by month, the threshold chosen by cross-validation across
months (on three, scored on the fourth) and across outlets (on four, scored on
the events within the fifth), for Nashra and for the anchor, whether the seed articles form one
story, the labelled articles grouped within the whole archive they come from (ant-feb-may.tar.xz: terms
weighed by the months before, as a build does, and by the whole archive at once), and the time to group
500 and 10,000 articles (the sample copied with dates shifted by 40 days at a time).

Run:  python benchmarks/stories.py [--data PATH] [--events FILE]
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "ant-dev"
ARCHIVE = ROOT.parent / "shared" / "data" / "ant-feb-may.tar.xz"

Clustering = list[list[str]]


# -- scores -------------------------------------------------------------------------


def pairs(clusters: Iterable[Sequence[str]]) -> set[tuple[str, str]]:
    return {tuple(sorted(p)) for c in clusters for p in itertools.combinations(c, 2)}  # type: ignore[misc]


def scores(predicted: Clustering, gold: Clustering) -> dict[str, float]:
    """Pairwise P/R/F1, B-cubed F1 and whole multi-article events of ``predicted`` against ``gold``."""
    ids = {a for c in gold for a in c}
    predicted = [[a for a in c if a in ids] for c in predicted]
    predicted = [c for c in predicted if c]
    got, want = pairs(predicted), pairs(gold)
    hit = len(got & want)
    p = hit / len(got) if got else 1.0
    r = hit / len(want) if want else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    cluster_of = {a: k for k, c in enumerate(predicted) for a in c}
    event_of = {a: k for k, c in enumerate(gold) for a in c}
    size_p, size_g = Counter(cluster_of.values()), Counter(event_of.values())
    both = Counter((cluster_of[a], event_of[a]) for a in ids)
    bp = sum(both[cluster_of[a], event_of[a]] / size_p[cluster_of[a]] for a in ids) / len(ids)
    br = sum(both[cluster_of[a], event_of[a]] / size_g[event_of[a]] for a in ids) / len(ids)
    bf = 2 * bp * br / (bp + br)
    multi = [c for c in gold if len(c) > 1]
    whole = sum(1 for c in multi if len({cluster_of[a] for a in c}) == 1)
    exact = sum(1 for c in multi if len({cluster_of[a] for a in c}) == 1 and size_p[cluster_of[c[0]]] == len(c))
    return {"P": 100 * p, "R": 100 * r, "F1": 100 * f, "B3": 100 * bf, "whole": whole, "exact": exact,
            "multi": len(multi)}


# -- data ---------------------------------------------------------------------------


def load_articles(folder: Path):  # type: ignore[no-untyped-def]
    from nashra.errors import InputError
    from nashra.ingest.files import iter_files
    from nashra.ingest.stage import read_file

    return [a for p in iter_files([folder]) for a in read_file(p) if not isinstance(a, InputError)]


def load_events(path: Path) -> Clustering:
    """The labelled events, as lists of article ids (Nashra lower-cases DOCNOs)."""
    return [[a.lower() for a in e["articles"]] for e in json.loads(path.read_text(encoding="utf-8"))["events"]]


def digests(folder: Path, identity: bool):  # type: ignore[no-untyped-def]
    """The articles' digests as a build makes them, translated by a stand-in."""
    from nashra.pipeline import run
    from nashra.summarize import get_summarizer
    from nashra.testing import StandInTranslator

    translator = StandInTranslator((lambda s: s) if identity else (lambda s: " ".join(reversed(s.split()))))
    briefing = run([folder], translator, get_summarizer())
    return list(briefing.digests())


# -- the anchor ---------------------------------------------------------------------


def anchor_vectors(articles):  # type: ignore[no-untyped-def]
    from nashra.text.segment import split_sentences
    from nashra.text.tokens import content_terms

    documents = []
    for article in articles:
        lead: list[str] = []
        for paragraph in article.paragraphs:
            lead.extend(split_sentences(paragraph))
            if len(lead) >= 3:
                break
        documents.append(content_terms(article.title, "ar") * 2 + content_terms(" ".join(lead[:3]), "ar"))
    frequency = Counter(t for d in documents for t in set(d))
    total = len(documents)
    vectors = []
    for d in documents:
        v = {t: (1 + math.log(n)) * math.log((1 + total) / (1 + frequency[t])) for t, n in Counter(d).items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        vectors.append({t: x / norm for t, x in v.items()})
    return vectors


def anchor_tree(articles) -> list[tuple[int, int, float]]:  # type: ignore[no-untyped-def]
    """The average-link merges of the articles (cosine, 0 beyond three days): (a, b, similarity), in order."""
    import numpy as np

    vectors = anchor_vectors(articles)
    n = len(articles)
    similarity = np.zeros((n, n))
    for i, j in itertools.combinations(range(n), 2):
        a, b = articles[i].date, articles[j].date
        if a is None or b is None or abs(a - b) > timedelta(days=3):
            continue
        small, large = sorted((vectors[i], vectors[j]), key=len)
        similarity[i, j] = similarity[j, i] = sum(w * large.get(t, 0.0) for t, w in small.items())
    np.fill_diagonal(similarity, -1.0)
    size = np.ones(n)
    alive = np.ones(n, dtype=bool)
    merges = []
    for _ in range(n - 1):
        masked = np.where(alive[:, None] & alive[None, :], similarity, -1.0)
        flat = int(np.argmax(masked))
        i, j = divmod(flat, n)
        if masked[i, j] <= 0:
            break
        merges.append((i, j, float(masked[i, j])))
        # Average link: the merged cluster's similarity to k is the size-weighted mean.
        merged = (similarity[i] * size[i] + similarity[j] * size[j]) / (size[i] + size[j])
        similarity[i, :] = similarity[:, i] = merged
        similarity[i, i] = -1.0
        size[i] += size[j]
        alive[j] = False
    return merges


def anchor_cut(articles, merges, threshold: float) -> Clustering:  # type: ignore[no-untyped-def]
    parent = list(range(len(articles)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j, value in merges:
        if value < threshold:
            break
        parent[find(j)] = find(i)
    clusters: dict[int, list[str]] = defaultdict(list)
    for k, article in enumerate(articles):
        clusters[find(k)].append(article.id)
    return list(clusters.values())


# -- Nashra -------------------------------------------------------------------------


def nashra_groups(items, **options: object) -> Clustering:  # type: ignore[no-untyped-def]
    from nashra.stories.grouping import group_articles

    return [[a.id for a in g.articles] for g in group_articles(items, **options)]  # type: ignore[arg-type]


# -- report -------------------------------------------------------------------------

HEADER = f"{'method':44}{'P':>6}{'R':>6}{'F1':>6}{'B3 F1':>7}{'whole':>8}"


def row(name: str, s: dict[str, float]) -> str:
    return (f"{name:44}{s['P']:6.1f}{s['R']:6.1f}{s['F1']:6.1f}{s['B3']:7.1f}"
            f"{int(s['exact']):5d}/{int(s['multi'])}")


def restrict(gold: Clustering, keep: set[str]) -> Clustering:
    out = [[a for a in c if a in keep] for c in gold]
    return [c for c in out if c]


def scaled(items, copies: int):  # type: ignore[no-untyped-def]
    """``copies`` of the digests, each shifted 40 days later than the one before, under new ids.

    The sample spans about 110 days, so about three copies overlap at any time: a denser stream than the
    sample's own, where more stories are open at once."""
    out = []
    for k in range(copies):
        shift = timedelta(days=40 * k)
        out.extend(replace(d, id=f"{d.id}-{k}", date=d.date + shift if d.date else None) for d in items)
    return out


def in_archive(archive: Path, gold: Clustering) -> None:
    """The labelled articles grouped within the whole archive they come from (17,485 articles, January-May
    2018: the other articles of their days are there to be confused with), with the terms weighed as a build
    weighs them (by the articles dated before each month) and by the whole archive at once (Nashra before
    grouping version 2), at the shipped threshold and around it."""
    import tarfile
    import tempfile

    from nashra.stories.grouping import (THRESHOLD, FixedFrequencies, ListedTerms, PastFrequencies, date_order_key,
                                         document_frequencies, iter_groups)

    if str(archive) == "none":
        return
    if not archive.exists():
        print(f"\n{archive}: not found; the grouping within the whole archive is left out (--archive)")
        return
    with tempfile.TemporaryDirectory(prefix="nashra-stories-") as work:
        folder = archive
        if archive.is_file():
            with tarfile.open(archive) as bundle:
                bundle.extractall(work, filter="data")
            folder = Path(work)
        articles = sorted(load_articles(folder), key=date_order_key)
    labelled = {a for c in gold for a in c}
    print(f"\nWithin the whole archive ({len(articles):,} articles, {archive.name}); the "
          f"{len(labelled & {a.id for a in articles})} labelled articles scored:")
    print(HEADER)
    print("-" * len(HEADER))
    listed = ListedTerms(articles)
    whole = FixedFrequencies(*document_frequencies(listed.terms))
    for threshold in sorted({THRESHOLD - 0.02, THRESHOLD - 0.01, THRESHOLD, THRESHOLD + 0.01, THRESHOLD + 0.02}):
        for name, frequencies in (("months before", PastFrequencies(listed)), ("whole archive", whole)):
            groups = iter_groups(articles, frequencies, threshold)
            kept = [c for c in ([a.id for a in g.articles if a.id in labelled] for g in groups) if c]
            print(row(f"  weighed by the {name}, threshold {threshold:.2f}", scores(kept, gold)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--events", type=Path, default=None, help="default: ant-dev-events.json beside --data")
    parser.add_argument("--seeds", type=Path, default=ROOT / "examples", help="articles that must form one story")
    parser.add_argument("--identity", action="store_true", help="stand-in translation leaves sentences as they are")
    parser.add_argument("--no-scale", action="store_true", help="skip the timing at 10,000 articles")
    parser.add_argument("--archive", type=Path, default=ARCHIVE,
                        help="the whole ANT archive (.tar.xz or its folder) the sample comes from: group all of it and "
                             "score the labelled articles (default: %(default)s; 'none' to skip)")
    args = parser.parse_args()
    events_file = args.events or args.data.parent / f"{args.data.name}-events.json"
    if not args.data.is_dir() or not events_file.is_file():
        raise SystemExit(f"{args.data} or {events_file}: not found (give them with --data and --events)")

    articles = load_articles(args.data)
    gold = load_events(events_file)
    labelled = {a for c in gold for a in c}
    articles = [a for a in articles if a.id in labelled]
    items = digests(args.data, args.identity)
    items = [d for d in items if d.id in labelled]
    print(f"{len(articles)} articles, {len(gold)} events, {sum(len(c) > 1 for c in gold)} with several articles; "
          f"translation: stand-in ({'identity' if args.identity else 'reversed words'})\n")

    tree = anchor_tree(articles)
    best_threshold, best = 0.0, None
    for step in range(5, 80):
        threshold = step / 100
        s = scores(anchor_cut(articles, tree, threshold), gold)
        if best is None or s["F1"] > best["F1"]:
            best_threshold, best = threshold, s
    print(HEADER)
    print("-" * len(HEADER))
    print(row(f"anchor: TF-IDF, average link, cut {best_threshold:.2f}", best))  # type: ignore[arg-type]
    ours = nashra_groups(items)
    print(row("Nashra (stories.grouping.iter_groups)", scores(ours, gold)))
    print("\nwhole: multi-article events whose articles form one story with nothing else. The anchor's cut is\n"
          "chosen on these labels; Nashra's settings are its defaults.")

    # Folds: the same settings on parts of the sample the figures could not have been fitted to separately.
    print("\nBy month (Nashra, the same settings):")
    print(HEADER)
    print("-" * len(HEADER))
    months = sorted({d.date.strftime("%Y-%m") for d in items if d.date})
    for month in months:
        keep = {d.id for d in items if d.date and d.date.strftime("%Y-%m") == month}
        part = [d for d in items if d.id in keep]
        print(row(f"  {month} ({len(part)} articles)", scores(nashra_groups(part), restrict(gold, keep))))

    # Cross-validation of the one threshold: chosen on the other folds, scored on the held-out one; the
    # folds are months (unseen days) and outlets (unseen writing and spelling).
    from nashra.stories.grouping import THRESHOLD

    grid = [round(0.06 + 0.01 * k, 2) for k in range(11)]
    by_threshold = {t: nashra_groups(items, threshold=t) for t in grid}
    anchor_by_threshold = {t: anchor_cut(articles, tree, t) for t in grid}
    outlets = sorted({d.source or "" for d in items})
    folds = [(month, {d.id for d in items if d.date and d.date.strftime("%Y-%m") == month}) for month in months]
    folds += [(outlet, {d.id for d in items if (d.source or "") == outlet}) for outlet in outlets]
    print(f"\nThreshold by cross-validation across months and outlets (grid {grid[0]}-{grid[-1]}; "
          f"default {THRESHOLD}). An outlet's fold scores the events within that outlet:")
    print(HEADER)
    print("-" * len(HEADER))
    held_out: dict[tuple[str, str], list[dict[str, float]]] = defaultdict(list)
    for name, test in folds:
        train = {d.id for d in items} - test
        kind = "months" if name in months else "outlets"
        for method, groupings in (("Nashra", by_threshold), ("anchor", anchor_by_threshold)):
            chosen = max(grid, key=lambda t: (scores(groupings[t], restrict(gold, train))["F1"], -t))
            fold = scores(groupings[chosen], restrict(gold, test))
            held_out[method, kind].append(fold)
            if method == "Nashra":
                print(row(f"  {name}, threshold {chosen} (from the others)", fold))
    for (method, kind), folds_scores in sorted(held_out.items(), key=lambda kv: (kv[0][1], kv[0][0] != "Nashra")):
        mean = {key: sum(s[key] for s in folds_scores) / len(folds_scores) for key in ("P", "R", "F1")}
        whole = sum(int(s["exact"]) for s in folds_scores)
        multi = sum(int(s["multi"]) for s in folds_scores)
        print(f"  held out, {kind:7} {method:7} mean P {mean['P']:5.1f} R {mean['R']:5.1f} F1 {mean['F1']:5.1f}, "
              f"whole {whole}/{multi}")
    for t in grid:
        print(row(f"  all articles, threshold {t}", scores(by_threshold[t], gold)))

    seeds = load_articles(args.seeds)
    seed_ids = {a.id for a in seeds}
    holding = [g for g in nashra_groups(seeds + articles) if seed_ids & set(g)]
    together = len(holding) == 1 and set(holding[0]) == seed_ids
    print(f"\nThe {len(seeds)} seed articles ({args.seeds}) {'form one story with nothing else' if together else 'do NOT form one story alone'}.")

    if args.archive is not None:
        in_archive(args.archive, gold)

    if not args.no_scale:
        print("\nGrouping time (digests in memory; the build reads them from SQLite):")
        for copies in (1, 20):
            batch = scaled(items, copies)
            started = time.perf_counter()
            nashra_groups(batch)
            seconds = time.perf_counter() - started
            print(f"  {len(batch):6d} articles: {seconds:6.2f} s, {1000 * seconds / len(batch):5.2f} ms per article")


if __name__ == "__main__":
    sys.exit(main())
