"""The summary settings (``[summary]`` of nashra.toml), as the summary stage takes them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .. import options as check
from ..quality import signature
from ..options import setting
from . import DEFAULT_SUMMARIZER, SUMMARIZERS

if TYPE_CHECKING:
    from .base import Summarizer


@dataclass(frozen=True)
class SummaryOptions:
    """How long a summary is and how its two languages are ranked; the summarizer is named here and
    made by :func:`nashra.summarize.get_summarizer`."""

    SECTION = "summary"

    sentences: int = setting(
        3, key="sentences", check=check.count, option=("-n", "--sentences"), help="Sentences in each summary.")
    summarizer: str = setting(
        DEFAULT_SUMMARIZER, key="summarizer", check=check.named_choice("summarizer", lambda: tuple(SUMMARIZERS)),
        option=("--summarizer",),
        help=f"{', '.join(SUMMARIZERS)} (learned: a ranker learned from editors' abstracts; newsrank: lead,"
             " centrality, title).")
    #: The length budget in words (None: the sentence count alone).
    words: int | None = setting(
        None, key="words", check=check.count, option=("--summary-words",), kind=int, shown="none", example=60,
        help="A length budget: no summary sentence is added past this many words.")
    independent: bool = setting(
        False, key="independent", check=check.flag, option=("--independent-summaries",),
        off="--no-independent-summaries", kind=bool, example=False,
        help="Rank the English translation on its own instead of translating the Arabic summary.")

    def signature(self, summarizer: Summarizer) -> SummarySignature:
        """What a summary made by ``summarizer`` with these options depends on: its reuse key."""
        return SummarySignature.of(summarizer, self)


@dataclass(frozen=True)
class SummarySignature:
    """The summary stage: the summarizer with its parameters, the summary's length, how the two
    languages are ranked, and the quality checks (summaries avoid flagged sentences)."""

    #: The summarizer and its parameters, as it describes itself (what pages show).
    summarizer: str
    sentences: int
    independent: bool
    max_words: int | None
    #: The quality checks' signature (:func:`nashra.quality.signature`).
    flags: str

    @classmethod
    def of(cls, summarizer: Summarizer, options: SummaryOptions) -> SummarySignature:
        return cls(summarizer.describe(), options.sentences, options.independent, options.words, signature())

    def __str__(self) -> str:
        return (f"{self.summarizer}|sentences={self.sentences}|independent={self.independent}"
                f"|max_words={self.max_words}|flags={self.flags}")
