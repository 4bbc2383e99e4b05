"""A story's multi-source summary: the key sentences across its articles, no fact repeated."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..document import ArticleDigest, BriefingArticle
from ..text.dateline import strip_dateline
from ..text.graph import MAX_OVERLAP, overlap, pagerank
from ..text.tokens import content_terms
from .grouping import StoryGroup
from .story import Story, StorySentence
from .terms import digest


def _digests(items: Iterable[BriefingArticle | ArticleDigest]) -> list[ArticleDigest]:
    return [i if isinstance(i, ArticleDigest) else digest(i) for i in items]


def multi_source_summary(items: Sequence[BriefingArticle | ArticleDigest], n: int) -> tuple[StorySentence, ...]:
    """The key sentences across a story's articles, no fact repeated, in reading order.

    Candidates are each article's own summary sentences; they are ranked by
    centrality in the graph of all candidates (facts several outlets report
    rank high) and the summarizer's own score of the sentence in its article
    (its rank among the article's summary sentences, for digests without
    scores), and picked with the same redundancy limit as single-article
    summaries.
    """
    digests = _digests(items)
    if len(digests) == 1:
        item = digests[0]
        return tuple(StorySentence(item, i) for i in item.summary_ar[:n])
    candidates = [(item, index, rank) for item in digests for rank, index in enumerate(item.summary_ar)]
    terms = [content_terms(strip_dateline(item.sentence_in(index, "ar")), "ar") for item, index, _ in candidates]
    size = len(candidates)
    weights = [[overlap(terms[a], terms[b]) if a != b else 0.0 for b in range(size)] for a in range(size)]
    import numpy as np

    centrality: list[float] = list(pagerank(np.array(weights))) if size else []
    top = max(centrality) if size else 1.0
    def own(item: ArticleDigest, rank: int) -> float:
        scores = item.summary_scores
        return scores[rank] if len(scores) == len(item.summary_ar) else 1.0 / (1 + rank)

    scored = sorted(range(size), key=lambda c: -(centrality[c] / top + own(candidates[c][0], candidates[c][2])))
    picked: list[int] = []
    for c in scored:
        if len(picked) == n:
            break
        if all(overlap(terms[c], terms[p]) <= MAX_OVERLAP for p in picked):
            picked.append(c)
    position = {id(item): k for k, item in enumerate(digests)}
    picked.sort(key=lambda c: (position[id(candidates[c][0])], candidates[c][1]))
    return tuple(StorySentence(candidates[c][0], candidates[c][1]) for c in picked)


def make_story(group: StoryGroup[ArticleDigest], sentences: int = 3) -> Story:
    """The story of a group of digests, with its multi-source summary of ``sentences`` sentences."""
    return Story(id=group.id, items=group.articles, summary=multi_source_summary(group.articles, sentences))
