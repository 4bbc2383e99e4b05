"""The :class:`Summarizer` interface: score sentences, select the best in document order.

Selection is maximal marginal relevance (MMR): each step takes the sentence
with the best score less a penalty for resembling what was already picked,
and never a sentence whose content overlaps a picked one by more than
:data:`MAX_OVERLAP`, so two summary sentences never say the same thing.
Selection stops at ``n`` sentences or, with ``max_words``, at a length budget.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from ..text.dateline import strip_dateline
from ..text.graph import MAX_OVERLAP, overlap
from ..text.tokens import content_terms

#: Weight of the score against the redundancy penalty in MMR.
MMR_LAMBDA = 0.9
#: A sentence whose translation is flagged loses this much of its (normalized) value: an unflagged
#: sentence of similar score (within a quarter of the best score) is picked before it.
FLAG_PENALTY = 0.25


def _normalized(scores: Sequence[float]) -> list[float]:
    top = max(scores, default=0.0)
    return [s / top if top > 0 else 0.0 for s in scores]


@dataclass(frozen=True)
class Ranked:
    """A summary's sentence indices (document order) and each one's score, normalized to the best
    candidate's (1.0): what a story's multi-source summary weighs an article's sentences by."""

    indices: tuple[int, ...]
    scores: tuple[float, ...]

    @classmethod
    def of(cls, picked: Sequence[int], scores: Sequence[float]) -> Ranked:
        top = max(scores, default=0.0)
        return cls(tuple(picked), tuple(round(scores[i] / top, 6) if top > 0 else 0.0 for i in picked))


class Summarizer(ABC):
    """Extractive summarizer: ranks the sentences of one article."""

    #: Registry name, used on the command line and in provenance.
    name: str = ""

    @abstractmethod
    def scores(self, sentences: Sequence[str], lang: str, title: str | None = None,
               exclude: Collection[int] = (), paragraphs: Sequence[int] = (), n: int = 3) -> list[float]:
        """One non-negative score per sentence; higher means more summary-worthy.

        ``paragraphs``: each sentence's paragraph, where known; ``n``: the length of the summary the
        scores are for (a ranker may order sentences differently for one sentence than for three).
        """

    def pair_scores(self, arabic: Sequence[str], english: Sequence[str], title_ar: str | None = None,
                    title_en: str | None = None, exclude: Collection[int] = (), paragraphs: Sequence[int] = (),
                    n: int = 3) -> list[float]:
        """Scores of aligned sentence pairs from both languages' signals (the mean of both)."""
        ar = _normalized(self.scores(arabic, "ar", title_ar, exclude, paragraphs, n))
        en = _normalized(self.scores(english, "en", title_en, exclude, paragraphs, n))
        return [(a + e) / 2 for a, e in zip(ar, en, strict=True)]

    def summarize(self, sentences: Sequence[str], n: int, lang: str, title: str | None = None,
                  exclude: Collection[int] = (), max_words: int | None = None,
                  flagged: Collection[int] = (), paragraphs: Sequence[int] = ()) -> list[int]:
        """Indices of the best ``n`` sentences (or fewer, within ``max_words``), in document order.

        Sentences in ``exclude`` (sub-headings, say) and empty ones are never picked; sentences in
        ``flagged`` (doubtful translations) only when no unflagged one scores about as well.
        """
        return list(self.ranked(sentences, n, lang, title, exclude, max_words, flagged, paragraphs).indices)

    def ranked(self, sentences: Sequence[str], n: int, lang: str, title: str | None = None,
               exclude: Collection[int] = (), max_words: int | None = None,
               flagged: Collection[int] = (), paragraphs: Sequence[int] = ()) -> Ranked:
        """:meth:`summarize`, with the picked sentences' scores."""
        if n <= 0 or not sentences:
            return Ranked((), ())
        exclude = self.left_out(sentences, exclude)
        scores = self.scores(sentences, lang, title, exclude, paragraphs, n)
        return Ranked.of(select(scores, sentences, lang, n, exclude, max_words, flagged), scores)

    def summarize_pair(self, arabic: Sequence[str], english: Sequence[str], n: int, title_ar: str | None = None,
                       title_en: str | None = None, exclude: Collection[int] = (),
                       max_words: int | None = None, flagged: Collection[int] = (),
                       paragraphs: Sequence[int] = ()) -> list[int]:
        """The same sentence indices for both languages, scored from both."""
        return list(self.ranked_pair(arabic, english, n, title_ar, title_en, exclude, max_words, flagged,
                                     paragraphs).indices)

    def ranked_pair(self, arabic: Sequence[str], english: Sequence[str], n: int, title_ar: str | None = None,
                    title_en: str | None = None, exclude: Collection[int] = (),
                    max_words: int | None = None, flagged: Collection[int] = (),
                    paragraphs: Sequence[int] = ()) -> Ranked:
        """:meth:`summarize_pair`, with the picked sentences' scores."""
        if n <= 0 or not arabic:
            return Ranked((), ())
        exclude = self.left_out(arabic, exclude)
        scores = self.pair_scores(arabic, english, title_ar, title_en, exclude, paragraphs, n)
        return Ranked.of(select(scores, arabic, "ar", n, exclude, max_words, flagged), scores)

    def left_out(self, sentences: Sequence[str], exclude: Collection[int]) -> Collection[int]:
        """The sentences never to pick: ``exclude`` (summarizers may add their own, such as fragments)."""
        return exclude

    def describe(self) -> str:
        """Name and settings, as recorded in provenance."""
        return self.name


def select(scores: Sequence[float], sentences: Sequence[str], lang: str, n: int,
           exclude: Collection[int] = (), max_words: int | None = None, flagged: Collection[int] = ()) -> list[int]:
    """MMR selection with a hard redundancy limit; indices in document order.

    A sentence in ``flagged`` loses :data:`FLAG_PENALTY` of its value: it is picked only when no
    unflagged sentence comes within that margin (scores are normalized to the best, 1.0).
    """
    candidates = [i for i, s in enumerate(sentences) if i not in exclude and s.strip()]
    if not candidates:
        return []
    norm = _normalized([scores[i] for i in candidates])
    score = dict(zip(candidates, norm, strict=True))
    terms = {i: content_terms(strip_dateline(sentences[i]), lang) for i in candidates}
    doubtful = set(flagged)
    picked: list[int] = []
    words = 0
    remaining = list(candidates)
    # Each sentence's greatest overlap with the picked ones, brought up to date with each new pick only:
    # comparing every sentence with every picked one at every step took minutes for hundreds of sentences.
    similarity = dict.fromkeys(candidates, 0.0)
    while remaining and len(picked) < n:
        def value(i: int) -> float:
            return MMR_LAMBDA * score[i] - (1 - MMR_LAMBDA) * similarity[i] - (FLAG_PENALTY if i in doubtful else 0.0)

        best = max(remaining, key=lambda i: (value(i), -i))
        remaining.remove(best)
        if similarity[best] > MAX_OVERLAP:
            continue
        length = len(sentences[best].split())
        if max_words is not None and picked and words + length > max_words:
            continue
        picked.append(best)
        words += length
        for i in remaining:
            similarity[i] = max(similarity[i], overlap(terms[i], terms[best]))
    return sorted(picked)
