"""Summary quality on real news: ROUGE against editors' abstracts, redundancy, segmentation, stories.

ROUGE is measured on May 2018 of the ANT archive (../shared/data/ant-feb-may.tar.xz, or
--data): the month the learned ranker was not trained on (benchmarks/train_ranker.py trains on
January–April). Only BBC writes its ABSTRACTs (the other outlets copy the lead), so ROUGE is
computed on the BBC articles whose abstract is not a copy of the first sentence. Every method
returns the same number of sentences:

  Lead-N, random (mean of 5 seeds), sumy's LexRank and TextRank (Arabic tokenizer and stemmer,
  diacritics stripped first), Nashra's TextRank baseline, newsrank, the learned ranker, and the
  greedy oracle (the best sentences for the abstract: the ceiling of extraction).

ROUGE-1/2/L F1 come from rouge-score, given normalized Arabic tokens (its own tokenizer drops
every non-ASCII character). The time to summarize an article is measured the way a build
summarizes (both languages, the English from the scale benchmark's stand-in), for newsrank and
the learned ranker side by side. Segmentation and story checks run on the ANT sample (--dev).

Run:  python benchmarks/summarize.py [--data PATH] [--dev PATH]
"""

from __future__ import annotations

import argparse
import itertools
import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from nashra.document import Article
from nashra.errors import InputError
from nashra.ingest.files import iter_files
from nashra.ingest.stage import read_file
from nashra.summarize import get_summarizer
from nashra.text.arabic import strip_diacritics
from nashra.text.boilerplate import boilerplate_sentences
from nashra.text.graph import MAX_OVERLAP, overlap
from nashra.text.segment import segment
from nashra.text.tokens import content_terms, words

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "ant-feb-may.tar.xz"
DEFAULT_DEV = ROOT.parent / "shared" / "data" / "ant-dev"
#: The month ROUGE is measured on (the learned ranker is trained on the months before).
MONTH = 5

Method = Callable[[Article, list[str], int], list[str]]


class ArabicTokens:
    """rouge-score's tokenizer argument: Nashra's normalized words (diacritics, tatweel, alef/ya/ta marbuta)."""

    def tokenize(self, text: str) -> list[str]:
        return words(text)


_SCORER = None


def rouge(candidate: str, reference: str) -> dict[str, Any]:
    """ROUGE-1, ROUGE-2 and ROUGE-L of ``candidate`` against ``reference`` (each with .fmeasure)."""
    global _SCORER
    if _SCORER is None:
        from rouge_score import rouge_scorer

        _SCORER = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], tokenizer=ArabicTokens())
    return _SCORER.score(reference, candidate)


def load(folder: Path) -> list[Article]:
    articles = []
    for path in iter_files([folder]):
        for item in read_file(path):
            if not isinstance(item, InputError):
                articles.append(item)
    return articles


def editor_abstracts(articles: list[Article]) -> list[tuple[Article, list[str]]]:
    """BBC articles with an abstract that is not a copy of the lead, and at least 5 sentences."""
    chosen = []
    for article in articles:
        if not article.id.startswith("bb-") or not article.abstract:
            continue
        sentences = [s.text for s in segment(article).sentences if not s.heading]
        if len(sentences) < 5:
            continue
        if rouge(sentences[0], article.abstract)["rouge1"].fmeasure >= 0.9:
            continue  # copied from the first sentence
        chosen.append((article, sentences))
    return chosen


# -- methods -----------------------------------------------------------------------


def lead(article: Article, sentences: list[str], n: int) -> list[str]:
    return sentences[:n]


def random_method(seed: int) -> Method:
    def pick(article: Article, sentences: list[str], n: int) -> list[str]:
        rng = random.Random(f"{seed}-{article.id}")
        return [sentences[i] for i in sorted(rng.sample(range(len(sentences)), min(n, len(sentences))))]

    return pick


def sumy_method(name: str) -> Method:
    from sumy.nlp.stemmers import Stemmer
    from sumy.nlp.tokenizers import Tokenizer
    from sumy.parsers.plaintext import PlaintextParser
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer
    from sumy.utils import get_stop_words

    summarizer = (LexRankSummarizer if name == "lexrank" else TextRankSummarizer)(Stemmer("arabic"))
    summarizer.stop_words = get_stop_words("arabic")
    tokenizer = Tokenizer("arabic")

    def pick(article: Article, sentences: list[str], n: int) -> list[str]:
        text = "\n\n".join(strip_diacritics(p) for p in article.paragraphs)
        document = PlaintextParser.from_string(text, tokenizer).document
        return [str(s) for s in summarizer(document, n)]

    return pick


def nashra_method(name: str, **options: object) -> Method:
    summarizer = get_summarizer(name, **options)

    def pick(article: Article, sentences: list[str], n: int) -> list[str]:
        segmented = segment(article)
        texts = [s.text for s in segmented.sentences]
        headings = {i for i, s in enumerate(segmented.sentences) if s.heading} | boilerplate_sentences(segmented)
        paragraphs = [s.paragraph for s in segmented.sentences]
        return [texts[i] for i in summarizer.summarize(texts, n, "ar", title=article.title, exclude=headings,
                                                      paragraphs=paragraphs)]

    return pick


def oracle(article: Article, sentences: list[str], n: int) -> list[str]:
    """The greedy oracle's ``n`` sentences, in document order: the ceiling of extraction (the learned ranker's
    labels are the same oracle over the sentences it may pick, fragments left out)."""
    from train_ranker import greedy_oracle

    segmented = segment(article)
    texts = [s.text for s in segmented.sentences]
    excluded = {i for i, s in enumerate(segmented.sentences) if s.heading} | boilerplate_sentences(segmented)
    candidates = [i for i, t in enumerate(texts) if i not in excluded and t.strip()]
    picked = greedy_oracle([words(texts[i]) for i in candidates], words(article.abstract or ""), n)
    return [texts[candidates[k]] for k in sorted(picked)]


def summary_seconds(name: str, articles: list[Article], repeats: int = 3) -> float:
    """Seconds per article to summarize as a build does: both languages (English from the scale
    benchmark's stand-in), the best of ``repeats`` runs, each from cold term caches."""
    from scale import PseudoEnglish

    from nashra.summarize.features import _parts
    from nashra.text.tokens import _content_terms

    english = PseudoEnglish()
    summarizer = get_summarizer(name)
    prepared = []
    for article in articles:
        segmented = segment(article)
        texts = [s.text for s in segmented.sentences]
        prepared.append((texts, [english(t) for t in texts], article.title, english(article.title),
                         {i for i, s in enumerate(segmented.sentences) if s.heading} | boilerplate_sentences(segmented),
                         [s.paragraph for s in segmented.sentences]))
    best = float("inf")
    for _ in range(repeats):
        _content_terms.cache_clear()
        _parts.cache_clear()
        start = time.perf_counter()
        for arabic, translation, title, title_en, exclude, paragraphs in prepared:
            summarizer.summarize_pair(arabic, translation, 3, title, title_en, exclude=exclude, paragraphs=paragraphs)
        best = min(best, time.perf_counter() - start)
    return best / max(1, len(prepared))


def evaluate(method: Method, corpus: list[tuple[Article, list[str]]], n: int) -> dict[str, float]:
    totals: dict[str, list[float]] = {"rouge1": [], "rouge2": [], "rougeL": []}
    for article, sentences in corpus:
        summary = " ".join(method(article, sentences, n))
        for key, score in rouge(summary, article.abstract or "").items():
            totals[key].append(score.fmeasure * 100)
    return {key: statistics.mean(values) for key, values in totals.items()}


# -- checks ------------------------------------------------------------------------

_ABBREVIATION_END_RE = re.compile(r"(?:^|\s)(?:د|أ|م|ص\.ب|Dr|Mr|Mrs|Prof|St)\.$")


def segmentation_problems(articles: list[Article]) -> dict[str, list[str]]:
    """Boundaries that split a number, a date, a time or an abbreviation, and sentences left glued."""
    problems: dict[str, list[str]] = {"number/date/time": [], "abbreviation": [], "glued": []}
    for article in articles:
        sentences = [s.text for s in segment(article).sentences]
        for first, second in zip(sentences, sentences[1:]):
            if re.search(r"\d[.:/]$", first) and re.match(r"^\d", second):
                problems["number/date/time"].append(f"{article.id}: {first[-30:]} | {second[:30]}")
            if _ABBREVIATION_END_RE.search(first):
                problems["abbreviation"].append(f"{article.id}: {first[-30:]} | {second[:30]}")
        for sentence in sentences:
            for match in re.finditer(r"([\u0621-\u064a]{2,})\.([\u0621-\u064a])", sentence):
                problems["glued"].append(f"{article.id}: ...{sentence[max(0, match.start() - 20): match.end() + 20]}...")
    return problems


def redundancy(method: Method, corpus: list[tuple[Article, list[str]]], n: int) -> tuple[int, float]:
    """Summaries holding two sentences that overlap more than MAX_OVERLAP, and the largest overlap seen."""
    bad, worst = 0, 0.0
    for article, sentences in corpus:
        terms = [content_terms(s, "ar") for s in method(article, sentences, n)]
        pairs = [overlap(a, b) for a, b in itertools.combinations(terms, 2)]
        worst = max([worst, *pairs])
        bad += any(p > MAX_OVERLAP for p in pairs)
    return bad, worst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the ANT archive (tar.xz) or its folder")
    parser.add_argument("--dev", type=Path, default=DEFAULT_DEV, help="the ANT sample, for segmentation and stories")
    parser.add_argument("--seeds", type=Path, default=ROOT / "examples")
    args = parser.parse_args()
    if not args.data.exists():
        raise SystemExit(f"{args.data}: not found (give the ANT archive with --data)")
    from train_ranker import bbc_folder

    with tempfile.TemporaryDirectory() as work:
        bbc = load(bbc_folder(args.data, Path(work)))
    month = [a for a in bbc if a.date and (a.date.year, a.date.month) == (2018, MONTH)]
    corpus = editor_abstracts(month)
    methods: dict[str, Method] = {
        "Lead": lead,
        "random (mean of 5 seeds)": None,  # type: ignore[dict-item]
        "sumy LexRank": sumy_method("lexrank"),
        "sumy TextRank": sumy_method("textrank"),
        "Nashra TextRank (plain)": nashra_method("textrank"),
        "newsrank": nashra_method("newsrank"),
        "learned": nashra_method("learned"),
        "oracle (greedy)": oracle,
    }
    print(f"May 2018: {len(corpus)} BBC articles whose abstract is written by an editor (of {len(month)} BBC articles)\n")
    header = f"{'method':26}" + "".join(f"{f'{n}-sent R1':>11}{'R2':>7}{'RL':>7}" for n in (1, 3))
    print(header)
    print("-" * len(header))
    results: dict[str, dict[int, dict[str, float]]] = {}
    for name, method in methods.items():
        results[name] = {}
        for n in (1, 3):
            if method is None:
                runs = [evaluate(random_method(seed), corpus, n) for seed in range(5)]
                results[name][n] = {k: statistics.mean(r[k] for r in runs) for k in runs[0]}
            else:
                results[name][n] = evaluate(method, corpus, n)
        label = name if name != "Lead" else "Lead-N (Lead-1, Lead-3)"
        print(f"{label:26}" + "".join(f"{results[name][n]['rouge1']:11.1f}{results[name][n]['rouge2']:7.1f}"
                                      f"{results[name][n]['rougeL']:7.1f}" for n in (1, 3)))

    learned, newsrank, lead3, lead1 = results["learned"], results["newsrank"], results["Lead"][3], results["Lead"][1]
    print("\nTargets (May):")
    for key in ("rouge1", "rouge2", "rougeL"):
        print(f"  3 sentences {key}: learned - Lead-3 = {learned[3][key] - lead3[key]:+.1f}"
              f"{' (>= +3)' if key == 'rouge1' else ''}, newsrank - Lead-3 = {newsrank[3][key] - lead3[key]:+.1f}")
    for key in ("rouge1", "rouge2", "rougeL"):
        print(f"  1 sentence {key}: learned - Lead-1 = {learned[1][key] - lead1[key]:+.1f}"
              f"{' (>= +1)' if key == 'rouge1' else ''}, newsrank - Lead-1 = {newsrank[1][key] - lead1[key]:+.1f}")
    timed = [a for a, _ in corpus]
    seconds = {name: summary_seconds(name, timed) for name in ("newsrank", "learned")}
    print(f"  time to summarize an article (3 sentences, both languages, {len(timed)} articles): "
          f"newsrank {seconds['newsrank'] * 1000:.1f} ms, learned {seconds['learned'] * 1000:.1f} ms "
          f"({seconds['learned'] / seconds['newsrank']:.2f}x; <= 1.10x)")
    for name in ("newsrank", "learned"):
        picked = [(sentences, methods[name](article, sentences, 3)) for article, sentences in corpus]
        short = sum(1 for _, summary in picked if any(len(words(s)) < 5 for s in summary))
        no_lead = sum(1 for sentences, summary in picked if sentences[0] not in summary)
        print(f"  {name}, 3 sentences: {short} summaries with a sentence of fewer than 5 words, {no_lead} without "
              f"the article's first sentence (of {len(corpus)})")
    for name in ("newsrank", "learned"):
        for n in (1, 3):
            bad, worst = redundancy(methods[name], corpus, n)
            print(f"  redundancy, {name}, {n} sentences: {bad} summaries with two sentences overlapping > "
                  f"{MAX_OVERLAP:.0%} (largest overlap {worst:.0%})")
    if not args.dev.is_dir():
        return
    articles = load(args.dev)
    problems = segmentation_problems(articles)
    print(f"  segmentation of all {len(articles)} articles of the sample: "
          + ", ".join(f"{len(v)} split inside a {k}" if k != "glued" else f"{len(v)} glued" for k, v in problems.items()))
    for kind, examples in problems.items():
        for example in examples[:3]:
            print(f"    {kind}: {example}")

    stories_check(articles, args.seeds)


def stories_check(articles: list[Article], seeds: Path) -> None:
    try:
        from nashra.stories.grouping import group_articles
    except ImportError:
        return
    seed_articles = load(seeds)
    stories = group_articles(seed_articles + articles)
    seed_ids = {a.id for a in seed_articles}
    holding = [s for s in stories if seed_ids & {a.id for a in s.articles}]
    together = len(holding) == 1 and {a.id for a in holding[0].articles} == seed_ids
    multi = [s for s in stories if len(s.articles) > 1]
    ant_multi = [s for s in multi if s not in holding]
    # ANT ids name a category (BB-culture-..., SK-economy-...): a story mixing categories is suspect.
    # The outlets file the same events under internationalNews or middleEast, so those two count as one.
    def family(article: Article) -> str:
        category = article.id.split("-")[1]
        return "news" if category in ("internationalnews", "middleeast") else category

    pure = sum(1 for s in ant_multi if len({family(a) for a in s.articles}) == 1)
    print(f"\nStories: the two seed articles {'form one story, with nothing else' if together else 'are NOT grouped alone'}; "
          f"{len(articles)} ANT articles form {len(stories) - len(holding)} stories, "
          f"{len(ant_multi)} of them with several articles; {pure} of those ({pure / max(1, len(ant_multi)):.0%}) "
          f"keep to one ANT category (international and Middle East news counted as one).")
    for story in sorted(multi, key=lambda s: -len(s.articles))[:8]:
        print(f"  {len(story.articles)} articles, {len(story.sources)} outlets: "
              + " | ".join(a.title[:45] for a in story.articles[:3]))


if __name__ == "__main__":
    sys.exit(main())
