"""A sentence ranker learned from editors: which sentences BBC Arabic's editors keep in their abstracts.

For each sentence, :mod:`nashra.summarize.features` gives what a reader sees in it (its place,
length, likeness to the title and to the rest of the article, numbers, names, quotations,
attribution, dateline); a logistic regression per summary length turns them into the probability
that an editor's abstract draws on it. The models were fitted on 1,081 BBC articles of
January–April 2018 (their greedy-oracle sentences as labels) by ``benchmarks/train_ranker.py``,
which reproduces the shipped ``data/ranker.json`` bit for bit; ``benchmarks/summarize.py`` measures
them on May against Lead-N, ``newsrank`` and the oracle.

A summary of one sentence and one of three are different tasks, so the file holds a model for each
length from 1 to 5 (longer summaries use the last). Sentences are scored on the original Arabic,
what the models learned from; an aligned pair's translation does not change the choice. Fragments
(sentences of fewer than five words, :data:`~nashra.summarize.features.MIN_WORDS`) are not candidates,
in training as in use: scored on brevity against an abstract, "ولم يتطرق لتفاصيل." would win. The model
file's version and digest are part of :meth:`describe`, hence of the summary signature: a new
model re-summarizes the articles.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ConfigError
from .base import Summarizer
from .features import FEATURES, fragments, sentence_features

if TYPE_CHECKING:
    import numpy as np

#: The shipped model file, inside the package.
MODEL_RESOURCE = "data/ranker.json"


def anchor_lead(probabilities: np.ndarray) -> np.ndarray:
    """The candidates' scores with the first (the lead: fragments are not candidates) above every other.

    Every summary keeps the lead, as news is written lead first. Chosen by cross-validation over
    January–April (ROUGE-1 of three sentences 37.9 with the lead kept, 37.0 without), not on May.
    """
    scores = probabilities.copy()
    if len(scores):
        scores[0] = scores.max() * 2 + 1.0
    return scores


@dataclass(frozen=True)
class Ranker:
    """A logistic regression on standardized features, as the model file stores it."""

    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Ranker:
        ranker = cls(tuple(map(float, data["mean"])), tuple(map(float, data["scale"])),
                     tuple(map(float, data["coef"])), float(data["intercept"]))
        if not len(ranker.mean) == len(ranker.scale) == len(ranker.coef) == len(FEATURES):
            raise ValueError(f"{len(ranker.coef)} coefficients for {len(FEATURES)} features")
        if any(s <= 0 for s in ranker.scale):
            raise ValueError("a feature's scale is not positive")
        return ranker

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        """One probability per row of ``features`` (columns as :data:`FEATURES`)."""
        import numpy as np

        z = ((features - np.array(self.mean)) / np.array(self.scale)) @ np.array(self.coef) + self.intercept
        return 1.0 / (1.0 + np.exp(-z))


@dataclass(frozen=True)
class RankerFile:
    """The model file: a :class:`Ranker` per summary length, its version and digest."""

    version: str
    digest: str
    rankers: dict[int, Ranker]

    def for_length(self, n: int) -> Ranker:
        """The model for summaries of ``n`` sentences (the longest trained for longer ones)."""
        return self.rankers[min(max(n, 1), max(self.rankers))]


@cache
def load_model(path: str | None = None) -> RankerFile:
    """The model file at ``path``, or the shipped one; a file that cannot serve is a :class:`ConfigError`."""
    if path is None:
        raw = resources.files("nashra.summarize").joinpath(MODEL_RESOURCE).read_bytes()
        name = f"the shipped ranker ({MODEL_RESOURCE})"
    else:
        try:
            raw = Path(path).read_bytes()
        except OSError as error:
            raise ConfigError(f"{path}: cannot read the ranker model: {error.strerror or error}") from None
        name = path
    try:
        data = json.loads(raw)
        if data["features"] != list(FEATURES):
            raise ConfigError(f"{name}: trained on other features than this version of Nashra computes; "
                              "retrain it with benchmarks/train_ranker.py")
        rankers = {int(n): Ranker.from_dict(model) for n, model in data["models"].items()}
        if not rankers:
            raise ValueError("no models")
        return RankerFile(str(data["version"]), hashlib.sha256(raw).hexdigest()[:12], rankers)
    except ConfigError:
        raise
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise ConfigError(f"{name}: not a ranker model file ({error})") from None


class LearnedSummarizer(Summarizer):
    """The lead, then sentences ranked by the probability that an editor's abstract draws on them."""

    name = "learned"

    def __init__(self, model: str | None = None) -> None:
        self.model = load_model(model)

    def scores(self, sentences: Sequence[str], lang: str, title: str | None = None,
               exclude: Collection[int] = (), paragraphs: Sequence[int] = (), n: int = 3) -> list[float]:
        exclude = self.left_out(sentences, exclude)
        candidates, features = sentence_features(sentences, lang, title, exclude, paragraphs)
        scores = [0.0] * len(sentences)
        if candidates:
            probabilities = self.model.for_length(n).probabilities(features)
            for index, value in zip(candidates, anchor_lead(probabilities), strict=True):
                scores[index] = float(value)
        return scores

    def left_out(self, sentences: Sequence[str], exclude: Collection[int]) -> Collection[int]:
        """``exclude`` and the fragments: the models were trained without them (they would win on brevity)."""
        return set(exclude) | fragments(sentences, exclude)

    def pair_scores(self, arabic: Sequence[str], english: Sequence[str], title_ar: str | None = None,
                    title_en: str | None = None, exclude: Collection[int] = (), paragraphs: Sequence[int] = (),
                    n: int = 3) -> list[float]:
        """Scored on the original, what the models learned from (the translation does not change the choice)."""
        return self.scores(arabic, "ar", title_ar, exclude, paragraphs, n)

    def describe(self) -> str:
        return f"learned(ranker={self.model.version}, sha256={self.model.digest})"
