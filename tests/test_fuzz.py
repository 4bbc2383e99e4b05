"""Random Unicode, bidirectional controls included, through every stage: no crash, no markup."""

from __future__ import annotations

import re

from html.parser import HTMLParser
from pathlib import Path

import markdown
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nashra.document import Provenance
from nashra.errors import InputError
from nashra.ingest.stage import read_file
from nashra.pipeline import summarize_article, translate_articles
from nashra.site.render import render_article, render_home, render_story
from oracles import build_stories
from nashra.summarize import get_summarizer
from nashra.testing import StandInTranslator
from nashra.text.segment import segment, segment_paragraphs
from nashra.summarize.options import SummaryOptions

MARKUP = list("<>&\"'`*_[]()!#|\\-+=:{}~^$") + ["javascript:", "data:", "](", "<script>", "---", "\n", "\r\n", "  "]
BIDI = list("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c\u200b\u200c\u200d\ufeff")
ARABIC = list("ابتثجحخدذرسشصضطظعغفقكلمنهويءآأإةى،؛؟٫٠١٢") + ["\u064b", "\u0651", "\u0640"]

text = st.lists(
    st.one_of(st.sampled_from(MARKUP), st.sampled_from(BIDI), st.sampled_from(ARABIC), st.text(max_size=3),
              st.sampled_from([" ", ". ", ".", "4.5", "د."])),
    max_size=60,
).map("".join)

MD = markdown.Markdown(extensions=["tables", "admonition", "md_in_html", "toc"])
# The elements Nashra's own page skeleton uses; article text must never add others.
ALLOWED = {"h1", "h2", "p", "span", "ul", "li", "div", "table", "thead", "tbody", "tr", "th", "td", "a", "article",
           "bdi"}  # bdi: the reasons of a flagged sentence, isolated


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def check_html(page: str, article_id: str, headings: tuple[int, int]) -> None:
    """No element, attribute or link beyond the skeleton, and exactly ``headings`` (h1, h2) headings."""
    body = page.split("\n---\n", 1)[1] if page.startswith("---\n") else page
    parser = Tags()
    parser.feed(MD.reset().convert(body))
    names = [tag for tag, _ in parser.tags]
    assert (names.count("h1"), names.count("h2")) == headings, names
    for tag, attrs in parser.tags:
        assert tag in ALLOWED, (tag, attrs)
        if tag == "a":
            href = attrs.get("href") or ""
            assert href in (f"articles/{article_id}.md", f"stories/story-{article_id}.md") or href.startswith(  # noqa: E501
                ("https://example.org/", f"../articles/{article_id}.md", f"../stories/story-{article_id}.md")) or (
                re.fullmatch(r"(\.\./)?sources/[a-z0-9-]+\.html", href)), href  # the outlet's page
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            if name in ("href", "src"):
                scheme = (value or "").strip().lower().split(":", 1)[0] if ":" in (value or "") else ""
                assert scheme not in ("javascript", "data", "vbscript"), (tag, name, value)


# Returns its input, so hostile text reaches the English side too.
TRANSLATOR = StandInTranslator()
PROVENANCE = Provenance("stand-in", "stand-in", "newsrank", "0")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=text, body=st.lists(text, min_size=1, max_size=6), source=text, suffix=st.sampled_from([".txt", ".md", ".json"]))
def test_any_text_through_every_stage(tmp_path: Path, title: str, body: list[str], source: str, suffix: str) -> None:
    import json

    import yaml

    arabic_body = ["خبر عاجل من المدينة " + line for line in body]
    path = tmp_path / f"fuzz{suffix}"
    if suffix == ".txt":
        path.write_text("\n".join(arabic_body), encoding="utf-8")
    elif suffix == ".md":
        meta = yaml.safe_dump({"title": title, "source": source, "url": "https://example.org/" + source}, allow_unicode=True)
        path.write_text(f"---\n{meta}---\n\n" + "\n\n".join(arabic_body), encoding="utf-8")
    else:
        path.write_text(json.dumps({"title": title, "text": arabic_body, "source": source, "url": "javascript:" + source}), encoding="utf-8")
    for item in read_file(path):  # never raises: problems are yielded
        if isinstance(item, InputError):
            assert str(path) in str(item)
            continue
        segmented = segment(item)
        assert all(s.text.strip() for s in segmented.sentences)
        translated = translate_articles([segmented], TRANSLATOR)[0]
        briefing = summarize_article(translated, get_summarizer(), SummaryOptions(), PROVENANCE)
        for lang in ("en", "ar"):
            check_html(render_article(briefing, lang), item.id, headings=(1, 2))
            stories = build_stories([briefing])
            check_html(render_home(stories, lang), item.id, headings=(1, 1))
            check_html(render_story(stories[0], lang), item.id, headings=(1, 2))


@settings(max_examples=300, deadline=None)
@given(st.lists(text, max_size=8))
def test_segmentation_never_loses_text(paragraphs: list[str]) -> None:
    sentences = segment_paragraphs(paragraphs)
    joined = "".join("".join(s.text.split()) for s in sentences)
    original = "".join("".join(p.split()) for p in paragraphs)
    assert joined == original


def test_the_markup_check_catches_unescaped_text() -> None:
    import pytest

    for raw in ["<script>alert(1)</script>", "[x](javascript:alert(1))", "*em*", '<a href="https://evil">x</a>', "# h"]:
        with pytest.raises(AssertionError):
            check_html(f"<p>ok</p>\n\n{raw}\n", "x", headings=(0, 0))
