"""``nashra summarize``: the key sentences of one article."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import click

from ..config import Settings
from ..errors import InputError, shown_path
from ..ingest.formats import SUFFIXES
from ..ingest.stage import MAX_ARTICLE_SENTENCES, TOO_LONG, read_file
from ..ingest.trec import TrecReader
from ..summarize import get_summarizer
from ..text.arabic import arabic_ratio
from ..text.lines import split_lines
from ..text.segment import segment_paragraphs
from .common import check_stdout, read_input

log = logging.getLogger(__name__)


def summarize(settings: Settings, file: str, lang: str = "ar", fmt: str = "text") -> None:
    """Print the summary sentences of ``file`` (``-``: standard input) in language ``lang``; ``fmt`` text or json."""
    check_stdout()
    title = None
    structured = file != "-" and Path(file).suffix.lower() in SUFFIXES - {".txt"}
    text = "" if structured else read_input(file)  # read once: a damaged file's warning is given once
    if structured or file != "-" and text.lstrip().upper().startswith("<DOC>"):  # TREC in a .txt, as build finds it
        articles = iter(read_file(Path(file)) if structured else TrecReader().read(Path(file), text))
        first = next(articles, None)
        if first is None:
            raise InputError(file, "no article found")
        if isinstance(first, InputError):
            raise first
        if next(articles, None) is not None:
            log.warning("%s holds more than one article; only the first is summarized", shown_path(file))
        paragraphs, title = list(first.paragraphs), first.title
    else:
        paragraphs = split_lines(text)
    segmented = segment_paragraphs(paragraphs)
    if len(segmented) > MAX_ARTICLE_SENTENCES:
        raise InputError(file, TOO_LONG.format(count=len(segmented), limit=MAX_ARTICLE_SENTENCES))
    texts = [s.text for s in segmented]
    _check_language(texts, lang, file)
    headings = {i for i, s in enumerate(segmented) if s.heading}
    summary = settings.summary
    picked = get_summarizer(summary.summarizer).summarize(texts, summary.sentences, lang, title=title,
                                                          exclude=headings, max_words=summary.words,
                                                           paragraphs=[s.paragraph for s in segmented])
    if fmt == "json":
        payload = {"sentences": [{"index": i, "text": texts[i]} for i in picked]}
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        for i in picked:
            click.echo(texts[i])


def _check_language(texts: list[str], lang: str, file: str) -> None:
    """A warning when the text is plainly not in ``lang`` (the stop words and stems would be the wrong ones)."""
    ratio = arabic_ratio(" ".join(texts))
    name = "the standard input" if file == "-" else shown_path(file)
    if lang == "ar" and texts and ratio < 0.1:
        log.warning("%s has almost no Arabic text; summarizing it as Arabic (give --lang en for English)", name)
    elif lang == "en" and ratio > 0.5:
        log.warning("%s is mostly Arabic; summarizing it as English (give --lang ar for Arabic)", name)
