"""The :class:`Summarizer` interface: score sentences, pick the top N in document order."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Collection, Sequence

from ..text.tokens import content_terms

#: Two sentences whose content terms overlap more than this say the same thing.
MAX_OVERLAP = 0.6


def overlap(a: Collection[str], b: Collection[str]) -> float:
    """Share of the smaller set of content terms found in the other."""
    first, second = set(a), set(b)
    if not first or not second:
        return 0.0
    return len(first & second) / min(len(first), len(second))


class Summarizer(ABC):
    """Extractive summarizer: ranks the sentences of one article."""

    #: Registry name, used on the command line and in provenance.
    name: str = ""

    @abstractmethod
    def scores(self, sentences: Sequence[str], lang: str, title: str | None = None) -> list[float]:
        """One score per sentence; higher means more summary-worthy."""

    def summarize(
        self,
        sentences: Sequence[str],
        n: int,
        lang: str,
        title: str | None = None,
        exclude: Collection[int] = (),
    ) -> list[int]:
        """Indices of the ``n`` best sentences, in document order.

        Sentences in ``exclude`` (sub-headings, say) and empty ones are never
        picked, nor a sentence that repeats one already picked (content overlap
        above :data:`MAX_OVERLAP`).
        """
        if n <= 0 or not sentences:
            return []
        scores = self.scores(sentences, lang, title)
        candidates = [i for i, s in enumerate(sentences) if i not in exclude and s.strip()]
        ranked = sorted(candidates, key=lambda i: (-scores[i], i))
        terms = {i: content_terms(sentences[i], lang) for i in candidates}
        picked: list[int] = []
        for index in ranked:
            if all(overlap(terms[index], terms[p]) <= MAX_OVERLAP for p in picked):
                picked.append(index)
                if len(picked) == n:
                    break
        return sorted(picked)

    def describe(self) -> str:
        """Name and settings, as recorded in provenance."""
        return self.name
