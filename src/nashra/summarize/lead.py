"""The lead baseline: the first sentences of the article."""

from __future__ import annotations

from collections.abc import Sequence

from .base import Summarizer


class LeadSummarizer(Summarizer):
    name = "lead"

    def scores(self, sentences: Sequence[str], lang: str, title: str | None = None) -> list[float]:
        return [1.0 / (1 + i) for i in range(len(sentences))]
