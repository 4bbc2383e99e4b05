"""ROUGE-N and ROUGE-L F1 with a tokenizer that keeps Arabic.

The common ``rouge-score`` tokenizer drops every non-ASCII character, which
makes it useless for Arabic. Here tokens are Nashra's normalized words
(diacritics and tatweel removed, alef/ya/ta marbuta unified, case folded).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..text.tokens import words


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    f1: float


def _f1(overlap: int, candidate: int, reference: int) -> Score:
    precision = overlap / candidate if candidate else 0.0
    recall = overlap / reference if reference else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Score(precision, recall, f1)


def ngrams(tokens: list[str], n: int) -> Counter[tuple[str, ...]]:
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def rouge_n(candidate: str, reference: str, n: int) -> Score:
    cand, ref = ngrams(words(candidate), n), ngrams(words(reference), n)
    return _f1(sum((cand & ref).values()), sum(cand.values()), sum(ref.values()))


def lcs_length(a: list[str], b: list[str]) -> int:
    if not a or not b:
        return 0
    previous = [0] * (len(b) + 1)
    for token in a:
        current = [0]
        for j, other in enumerate(b, 1):
            current.append(previous[j - 1] + 1 if token == other else max(previous[j], current[j - 1]))
        previous = current
    return previous[-1]


def rouge_l(candidate: str, reference: str) -> Score:
    cand, ref = words(candidate), words(reference)
    return _f1(lcs_length(cand, ref), len(cand), len(ref))


def rouge(candidate: str, reference: str) -> dict[str, Score]:
    """ROUGE-1, ROUGE-2 and ROUGE-L of ``candidate`` against ``reference``."""
    return {"rouge1": rouge_n(candidate, reference, 1), "rouge2": rouge_n(candidate, reference, 2),
            "rougeL": rouge_l(candidate, reference)}
