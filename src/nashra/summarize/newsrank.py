"""Nashra's default summarizer for news: the lead, centrality, the title and length.

Each sentence is scored as::

    position_prior * (1 + w_centrality * centrality + w_title * title_similarity) * length_factor

* ``position_prior = 1 / (rank + 1) ** p``: news is written lead first;
* ``centrality``: TextRank over TF-IDF cosine similarity, scaled to [0, 1];
* ``title_similarity``: cosine similarity to the title;
* ``length_factor = min(1, median_length / length) ** w_length``: a long
  sentence costs the reader more than it usually adds.

The lead sentence is always kept (it scores above every other) unless it is
a fragment, such as a dateline on its own line. Datelines are ignored when
sentences are compared. The weights were chosen on the BBC articles of the
ANT sample (``benchmarks/summarize.py``), where the landscape around them is
flat; they are constructor arguments.
"""

from __future__ import annotations

import statistics
from collections.abc import Collection, Sequence

import numpy as np

from ..text.dateline import strip_dateline
from ..text.graph import pagerank, tfidf_matrix
from ..text.tokens import content_terms
from .base import Summarizer, _normalized

#: A lead shorter than this (in words) is a fragment, not an anchor.
MIN_LEAD_WORDS = 6


class NewsRankSummarizer(Summarizer):
    name = "newsrank"

    def __init__(self, position: float = 0.3, centrality: float = 2.0, title: float = 4.0, length: float = 2.0,
                 anchor_lead: bool = True) -> None:
        self.position = position
        self.centrality = centrality
        self.title = title
        self.length = length
        self.anchor_lead = anchor_lead

    def _signals(self, sentences: Sequence[str], lang: str, title: str | None,
                 exclude: Collection[int]) -> tuple[list[int], np.ndarray, np.ndarray, np.ndarray]:
        candidates = [i for i, s in enumerate(sentences) if i not in exclude and s.strip()]
        bodies = [strip_dateline(sentences[i]) for i in candidates]
        terms = [content_terms(b, lang) for b in bodies]
        title_terms = content_terms(title, lang) if title else []
        vectors = tfidf_matrix([*terms, title_terms])
        similarity = vectors[:-1] @ vectors[:-1].T
        np.fill_diagonal(similarity, 0.0)
        centrality = np.array(_normalized(pagerank(similarity).tolist())) if candidates else np.zeros(0)
        title_similarity = vectors[:-1] @ vectors[-1] if title_terms else np.zeros(len(candidates))
        lengths = np.array([max(1, len(b.split())) for b in bodies], dtype=float)
        return candidates, centrality, title_similarity, lengths

    def scores(self, sentences: Sequence[str], lang: str, title: str | None = None,
               exclude: Collection[int] = (), paragraphs: Sequence[int] = (), n: int = 3) -> list[float]:
        return self._combine(sentences, [self._signals(sentences, lang, title, exclude)])

    def pair_scores(self, arabic: Sequence[str], english: Sequence[str], title_ar: str | None = None,
                    title_en: str | None = None, exclude: Collection[int] = (), paragraphs: Sequence[int] = (),
                    n: int = 3) -> list[float]:
        """Centrality and title similarity averaged over both languages; position and length from the original."""
        return self._combine(arabic, [self._signals(arabic, "ar", title_ar, exclude),
                                      self._signals(english, "en", title_en, exclude)])

    def _combine(self, sentences: Sequence[str], signals: list[tuple[list[int], np.ndarray, np.ndarray, np.ndarray]]) -> list[float]:
        candidates, _, _, lengths = signals[0]
        scores = [0.0] * len(sentences)
        if not candidates:
            return scores
        centrality = np.mean([s[1] for s in signals], axis=0)
        title = np.mean([s[2] for s in signals], axis=0)
        median = statistics.median(lengths)
        for rank, index in enumerate(candidates):
            prior = 1.0 / (rank + 1) ** self.position
            length_factor = min(1.0, median / lengths[rank]) ** self.length
            scores[index] = prior * (1 + self.centrality * centrality[rank] + self.title * title[rank]) * length_factor
        lead = candidates[0]
        if self.anchor_lead and lengths[0] >= MIN_LEAD_WORDS:
            scores[lead] = max(scores) * 2 + 1.0
        return scores

    def describe(self) -> str:
        return (f"newsrank(position={self.position}, centrality={self.centrality}, title={self.title}, "
                f"length={self.length})")
