"""Sentence and article graphs: content-term overlap, TF-IDF cosine weights and PageRank.

Shared by the summarizers (sentences of one article) and by story grouping
(articles of one event); neither owns them.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # numpy is imported on use: `overlap` alone (the summarizers' selection) needs none
    import numpy as np

#: Two sentences whose content terms overlap more than this say the same thing.
MAX_OVERLAP = 0.6


def overlap(a: Collection[str], b: Collection[str]) -> float:
    """Share of the smaller set of content terms found in the other."""
    first, second = set(a), set(b)
    if not first or not second:
        return 0.0
    return len(first & second) / min(len(first), len(second))


def tfidf_matrix(term_lists: Sequence[Sequence[str]]) -> np.ndarray:
    """Rows: L2-normalized TF-IDF vectors, IDF computed over the given sentences."""
    import numpy as np

    vocabulary: dict[str, int] = {}
    for terms in term_lists:
        for term in terms:
            vocabulary.setdefault(term, len(vocabulary))
    matrix = np.zeros((len(term_lists), max(len(vocabulary), 1)))
    if not vocabulary:
        return matrix
    document_frequency = Counter(term for terms in term_lists for term in set(terms))
    count = len(term_lists)
    for row, terms in enumerate(term_lists):
        for term, tf in Counter(terms).items():
            idf = math.log((1 + count) / (1 + document_frequency[term])) + 1.0
            matrix[row, vocabulary[term]] = (1 + math.log(tf)) * idf
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)


def pagerank(weights: np.ndarray, damping: float = 0.85, personalization: np.ndarray | None = None,
             tol: float = 1e-8, max_iter: int = 200) -> np.ndarray:
    """PageRank on a weighted undirected graph given as a square matrix."""
    import numpy as np

    n = weights.shape[0]
    if n == 0:
        return np.zeros(0)
    prior = np.full(n, 1.0 / n) if personalization is None else personalization / personalization.sum()
    out_weight = weights.sum(axis=1)
    # Rows with no edges jump by the prior.
    transition = np.where(out_weight[:, None] > 0, weights / np.where(out_weight > 0, out_weight, 1)[:, None], prior[None, :])
    rank = prior.copy()
    for _ in range(max_iter):
        updated = (1 - damping) * prior + damping * transition.T @ rank
        if np.abs(updated - rank).sum() < tol:
            return updated
        rank = updated
    return rank
