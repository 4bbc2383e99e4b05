"""Train the learned sentence ranker (``nashra.summarize.learned``) from BBC editors' abstracts.

Reproduces ``src/nashra/summarize/data/ranker.json`` bit for bit:

    python benchmarks/train_ranker.py                # writes the file
    python benchmarks/train_ranker.py --check        # trains, compares with the shipped file

Data: the ANT corpus January–May 2018 (``../shared/data/ant-feb-may.tar.xz`` or its folder).
Only BBC writes its abstracts (the other outlets copy the lead); the articles kept are those whose
abstract is not a copy of the first sentence (benchmarks/summarize.py, ``editor_abstracts``).

- **Months.** Training and every choice of setting use January–April. May is held out to choose
  between the two model families (below) and to report; June and later are never read (an article
  dated after May stops the script), since quality is checked on them later.
- **Labels.** For each article the greedy oracle: sentences added one at a time, each the one that
  most raises ROUGE-1 + ROUGE-2 F1 of the picked sentences against the abstract, always to
  ``n`` sentences. A summary of one sentence and one of three are different tasks (against an
  abstract of about 22 words, three sentences gain by being short, one by being the right one),
  so there is a model per length ``n`` = 1 … :data:`MAX_SENTENCES`; longer summaries use the last.
- **Features.** ``nashra.summarize.features``, the very code a build runs.
- **Model.** scikit-learn's logistic regression on standardized features; its strength ``C`` per
  ``n`` by cross-validation over months (test on February, March, April in turn, January always
  in training), scored by ROUGE-1 of the summary the summarizer's own selection makes. The
  alternative, a LightGBM classifier (settings chosen the same way), is compared with it on May;
  the rule, fixed before May was looked at: LightGBM only if it beats the logistic regression by
  at least 0.5 ROUGE-1 at both 1 and 3 sentences (it would add a dependency to every install).
- **File.** Means, scales, coefficients and intercept per ``n``, rounded to 8 significant digits,
  with the feature list and the months and article count it was trained on.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "ant-feb-may.tar.xz"
MODEL_FILE = ROOT / "src" / "nashra" / "summarize" / "data" / "ranker.json"
#: Models are trained for summaries of 1 … MAX_SENTENCES sentences.
MAX_SENTENCES = 5
TRAIN_MONTHS = (1, 2, 3, 4)
CHOICE_MONTH = 5
#: Cross-validation folds: each of these months in turn is the test month.
FOLDS = (2, 3, 4)
C_GRID = (0.01, 0.03, 0.1, 0.3, 1.0)
LGBM_GRID = (
    {"n_estimators": 100, "learning_rate": 0.05, "num_leaves": 15, "min_child_samples": 20},
    {"n_estimators": 300, "learning_rate": 0.03, "num_leaves": 7, "min_child_samples": 50},
)
VERSION = "2026.12.1"

Scorer = Callable[["Example"], np.ndarray]


@dataclass
class Example:
    """One BBC article: its sentences as the summarizer sees them, features and oracle labels."""

    id: str
    month: int
    texts: list[str]
    exclude: set[int]
    candidates: list[int]
    features: np.ndarray
    #: The greedy oracle's picks (candidate rows), in the order picked, MAX_SENTENCES of them at most.
    oracle: list[int]
    abstract: list[str]

    def labels(self, n: int) -> np.ndarray:
        y = np.zeros(len(self.candidates))
        y[self.oracle[:n]] = 1
        return y


# -- ROUGE -----------------------------------------------------------------------------------


def ngrams(tokens: Sequence[str], n: int) -> Counter[tuple[str, ...]]:
    return Counter(zip(*[tokens[i:] for i in range(n)], strict=False))


def f1(candidate: Counter[tuple[str, ...]], reference: Counter[tuple[str, ...]]) -> float:
    """ROUGE-N F1 from n-gram counts (what rouge-score computes, without its tokenizer)."""
    hits = sum((candidate & reference).values())
    if not hits:
        return 0.0
    precision, recall = hits / sum(candidate.values()), hits / sum(reference.values())
    return 2 * precision * recall / (precision + recall)


def greedy_oracle(sentences: Sequence[Sequence[str]], reference: Sequence[str], n: int) -> list[int]:
    """The usual greedy oracle, always to ``n`` sentences: each step adds the sentence that most
    raises ROUGE-1 + ROUGE-2 F1 of the picked sentences (in document order) against ``reference``."""
    ref1, ref2 = ngrams(reference, 1), ngrams(reference, 2)
    picked: list[int] = []
    while len(picked) < min(n, len(sentences)):
        best, choice = -1.0, -1
        for i in range(len(sentences)):
            if i in picked:
                continue
            tokens = [w for j in sorted([*picked, i]) for w in sentences[j]]
            value = f1(ngrams(tokens, 1), ref1) + f1(ngrams(tokens, 2), ref2)
            if value > best:
                best, choice = value, i
        picked.append(choice)
    return picked


# -- data ------------------------------------------------------------------------------------


def bbc_examples(data: Path) -> list[Example]:
    """The BBC articles with an editor's abstract, January–May, as examples."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from summarize import editor_abstracts, load

    from nashra.summarize.features import fragments, sentence_features
    from nashra.text.boilerplate import boilerplate_sentences
    from nashra.text.segment import segment
    from nashra.text.tokens import words

    with tempfile.TemporaryDirectory() as work:
        folder = bbc_folder(data, Path(work))
        articles = load(folder)
    examples = []
    for article, _ in editor_abstracts(articles):
        if article.date is None or (article.date.year, article.date.month) > (2018, CHOICE_MONTH):
            raise SystemExit(f"{article.id}: dated {article.date}; only January–May 2018 may be read")
        segmented = segment(article)
        texts = [s.text for s in segmented.sentences]
        exclude = {i for i, s in enumerate(segmented.sentences) if s.heading} | boilerplate_sentences(segmented)
        exclude |= fragments(texts, exclude)  # as the summarizer does: fragments are never candidates
        paragraphs = [s.paragraph for s in segmented.sentences]
        candidates, features = sentence_features(texts, "ar", article.title, exclude, paragraphs)
        oracle = greedy_oracle([words(texts[i]) for i in candidates], words(article.abstract or ""), MAX_SENTENCES)
        examples.append(Example(article.id, article.date.month, texts, exclude, candidates, features, oracle,
                                words(article.abstract or "")))
    return examples


def bbc_folder(data: Path, work: Path) -> Path:
    """The BBC articles' folder: under ``data`` or unpacked from the archive into ``work``."""
    if data.is_dir():
        return data / "BBC" if (data / "BBC").is_dir() else data
    import tarfile

    with tarfile.open(data) as archive:
        members = [m for m in archive.getmembers() if m.name.split("/")[0] == "BBC" or "/BBC/" in m.name]
        archive.extractall(work, members=members, filter="data")
    return next(p for p in work.rglob("BBC") if p.is_dir())


# -- models ----------------------------------------------------------------------------------


def summary_rouge1(examples: Sequence[Example], scorer: Scorer, n: int) -> float:
    """Mean ROUGE-1 F1 (x100) of the ``n``-sentence summaries the summarizer's selection makes from ``scorer``."""
    from nashra.summarize.base import select
    from nashra.text.tokens import words

    values = []
    for example in examples:
        scores = [0.0] * len(example.texts)
        for row, value in zip(example.candidates, scorer(example), strict=True):
            scores[row] = float(value)
        picked = select(scores, example.texts, "ar", n, example.exclude)
        tokens = words(" ".join(example.texts[i] for i in picked))
        values.append(100 * f1(ngrams(tokens, 1), ngrams(example.abstract, 1)))
    return statistics.mean(values)


def fit_logistic(examples: Sequence[Example], n: int, c: float) -> dict[str, Any]:
    """A logistic regression on standardized features, as the file stores it."""
    from sklearn.linear_model import LogisticRegression

    x = np.vstack([e.features for e in examples])
    y = np.concatenate([e.labels(n) for e in examples])
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=c, max_iter=5000).fit((x - mean) / scale, y)
    return {"C": c, "mean": _rounded(mean), "scale": _rounded(scale), "coef": _rounded(model.coef_[0]),
            "intercept": _rounded(model.intercept_)[0]}


def logistic_scorer(stored: dict[str, Any]) -> Scorer:
    """Scores as the summarizer computes them from the stored (rounded) model."""
    from nashra.summarize.learned import Ranker, anchor_lead

    ranker = Ranker.from_dict(stored)
    return lambda example: anchor_lead(ranker.probabilities(example.features))


def fit_lightgbm(examples: Sequence[Example], n: int, settings: dict[str, Any]) -> Scorer:
    import lightgbm

    x = np.vstack([e.features for e in examples])
    y = np.concatenate([e.labels(n) for e in examples])
    model = lightgbm.LGBMClassifier(verbose=-1, deterministic=True, n_jobs=1, random_state=0, **settings).fit(x, y)
    from nashra.summarize.learned import anchor_lead

    return lambda example: anchor_lead(model.predict_proba(example.features)[:, 1])


def cross_validated(examples: Sequence[Example], make: Callable[[Sequence[Example]], Scorer], n: int) -> float:
    """Mean ROUGE-1 over the folds (each test month scored by a model fitted on the other months)."""
    values = []
    for month in FOLDS:
        scorer = make([e for e in examples if e.month != month])
        values.append(summary_rouge1([e for e in examples if e.month == month], scorer, n))
    return statistics.mean(values)


def _rounded(values: Any) -> list[float]:
    return [float(f"{float(v):.8g}") for v in np.asarray(values).ravel()]


def train(examples: Sequence[Example], log: Callable[[str], None]) -> dict[str, Any]:
    """The model file's content, from the January–April examples only."""
    from nashra.summarize.features import FEATURES

    training = [e for e in examples if e.month in TRAIN_MONTHS]
    models = {}
    for n in range(1, MAX_SENTENCES + 1):
        by_c = {c: cross_validated(training, lambda part, c=c: logistic_scorer(fit_logistic(part, n, c)), n)
                for c in C_GRID}
        best = max(C_GRID, key=lambda c: (round(by_c[c], 6), -c))
        log(f"  n={n}: cross-validated ROUGE-1 by C " + ", ".join(f"{c:g}: {v:.2f}" for c, v in by_c.items())
            + f" -> C={best:g}")
        models[str(n)] = fit_logistic(training, n, best)
    return {
        "version": VERSION,
        "features": list(FEATURES),
        "trained_on": {"articles": len(training), "months": "2018-01..2018-04",
                       "source": "ANT corpus v2.1, BBC Arabic, abstracts not copied from the lead"},
        "models": models,
    }


def compare_on_may(examples: Sequence[Example], file: dict[str, Any], log: Callable[[str], None]) -> bool:
    """The two families on May (LightGBM's settings chosen by cross-validation): True if LightGBM wins by the rule."""
    training = [e for e in examples if e.month in TRAIN_MONTHS]
    may = [e for e in examples if e.month == CHOICE_MONTH]
    wins = []
    for n in (1, 3):
        by_setting = [cross_validated(training, lambda part, s=s: fit_lightgbm(part, n, s), n) for s in LGBM_GRID]
        settings = LGBM_GRID[int(np.argmax(by_setting))]
        lgbm = summary_rouge1(may, fit_lightgbm(training, n, settings), n)
        logistic = summary_rouge1(may, logistic_scorer(file["models"][str(n)]), n)
        log(f"  May, {n} sentence(s): logistic regression {logistic:.2f}, LightGBM {lgbm:.2f} ({settings})")
        wins.append(lgbm >= logistic + 0.5)
    return all(wins)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the ANT archive (tar.xz) or its folder")
    parser.add_argument("--out", type=Path, default=MODEL_FILE)
    parser.add_argument("--check", action="store_true", help="compare with --out instead of writing it")
    parser.add_argument("--no-compare", action="store_true", help="skip the LightGBM comparison on May")
    args = parser.parse_args()
    if not args.data.exists():
        raise SystemExit(f"{args.data}: not found (give the ANT archive with --data)")

    def log(line: str) -> None:
        print(line, flush=True)

    examples = bbc_examples(args.data)
    counts = Counter(e.month for e in examples)
    log(f"{len(examples)} BBC articles with an editor's abstract: "
        + ", ".join(f"2018-{m:02d} {counts[m]}" for m in sorted(counts)))
    log("Training (January–April), C by cross-validation over months:")
    file = train(examples, log)
    text = json.dumps(file, indent=1, ensure_ascii=False) + "\n"
    if not args.no_compare:
        log("Choosing the family on May (rule: LightGBM only if >= 0.5 ROUGE-1 better at 1 and 3 sentences):")
        log("  -> LightGBM" if compare_on_may(examples, file, log) else "  -> logistic regression (shipped)")
    if args.check:
        same = args.out.is_file() and args.out.read_text(encoding="utf-8") == text
        log(f"{args.out}: {'identical to' if same else 'DIFFERS from'} the file trained now")
        raise SystemExit(0 if same else 1)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    log(f"wrote {args.out} ({len(text.encode())} bytes)")


if __name__ == "__main__":
    main()
