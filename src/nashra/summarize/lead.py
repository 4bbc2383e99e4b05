"""The lead baseline: the first sentences of the article."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from .base import Summarizer


class LeadSummarizer(Summarizer):
    name = "lead"

    def scores(self, sentences: Sequence[str], lang: str, title: str | None = None,
               exclude: Collection[int] = (), paragraphs: Sequence[int] = (), n: int = 3) -> list[float]:
        ranks = [i for i in range(len(sentences)) if i not in exclude]
        scores = [0.0] * len(sentences)
        for rank, index in enumerate(ranks):
            scores[index] = 1.0 / (1 + rank)
        return scores
