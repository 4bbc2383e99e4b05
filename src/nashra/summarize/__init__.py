"""Extractive summarizers behind one interface, chosen by name."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from ..errors import ConfigError
from .base import Summarizer

#: Summarizer name -> "module:Class", imported on use.
SUMMARIZERS: dict[str, str] = {
    "learned": "nashra.summarize.learned:LearnedSummarizer",
    "newsrank": "nashra.summarize.newsrank:NewsRankSummarizer",
    "textrank": "nashra.summarize.textrank:TextRankSummarizer",
    "lead": "nashra.summarize.lead:LeadSummarizer",
}
DEFAULT_SUMMARIZER = "learned"

__all__ = ["DEFAULT_SUMMARIZER", "SUMMARIZERS", "Summarizer", "get_summarizer"]


def get_summarizer(name: str = DEFAULT_SUMMARIZER, **options: Any) -> Summarizer:
    try:
        target = SUMMARIZERS[name]
    except KeyError:
        raise ConfigError(f"unknown summarizer '{name}' (choose from {', '.join(SUMMARIZERS)})") from None
    module_name, class_name = target.split(":")
    return getattr(import_module(module_name), class_name)(**options)
