"""Graph ranking over sentence similarity (TextRank with TF-IDF cosine weights).

The graph pieces (TF-IDF, PageRank) live in :mod:`nashra.text.graph`.

Sentences are compared by their content terms: Arabic normalized (diacritics,
tatweel, alef/ya/ta marbuta forms), stop words removed, lightly stemmed.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import numpy as np

from ..text.graph import pagerank, tfidf_matrix
from ..text.tokens import content_terms
from .base import Summarizer


class TextRankSummarizer(Summarizer):
    """TextRank: sentences ranked by PageRank over their cosine-similarity graph."""

    name = "textrank"

    def __init__(self, damping: float = 0.85) -> None:
        self.damping = damping

    def scores(self, sentences: Sequence[str], lang: str, title: str | None = None,
               exclude: Collection[int] = (), paragraphs: Sequence[int] = (), n: int = 3) -> list[float]:
        terms = [content_terms(s, lang) for s in sentences]
        vectors = tfidf_matrix(terms)
        similarity = vectors @ vectors.T
        np.fill_diagonal(similarity, 0.0)
        return pagerank(similarity, self.damping).tolist()
