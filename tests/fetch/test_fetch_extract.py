"""Extraction of one page: text without boilerplate, metadata, dates the page hides; the Markdown written."""

from __future__ import annotations

from datetime import datetime, UTC
from pathlib import Path

import pytest

from nashra.fetch.extract import NotAnArticle, extract_article, to_markdown
from nashra.ingest.markdown import read_markdown

PAGE = Path(__file__).parent.parent / "data" / "news-site" / "news" / "hospital.html"


def page_without_meta_date() -> str:
    text = PAGE.read_text(encoding="utf-8")
    return "\n".join(line for line in text.splitlines() if "published_time" not in line)


def test_a_date_hidden_in_the_url_is_found():
    article = extract_article(page_without_meta_date(), "https://news.example/2026/11/28/hospital.html")
    assert article.date is not None and article.date.date().isoformat() == "2026-11-28"


def test_a_date_hidden_in_the_text_is_found():
    html = page_without_meta_date().replace('<div class="byline"></div>', '<div class="byline">نشر في 27/11/2026</div>')
    article = extract_article(html, "https://news.example/news/hospital.html")
    assert article.date is not None and article.date.date().isoformat() == "2026-11-27"


def test_no_date_at_all_is_none_not_today():
    article = extract_article(page_without_meta_date(), "https://news.example/news/hospital.html")
    assert article.date is None


def test_the_markdown_is_read_back_with_its_headings_and_paragraphs(tmp_path):
    html = PAGE.read_text(encoding="utf-8").replace("{{DATE0}}", "2026-11-29T08:00:00+02:00")
    article = extract_article(html, "https://news.example/news/hospital.html")
    text = to_markdown(article, datetime(2026, 11, 30, 6, 0, tzinfo=UTC), outlet="وكالة المثال")
    assert "fetched: '2026-11-30T06:00:00+00:00'" in text
    read = read_markdown(tmp_path / "a.md", text)
    assert read.title == "افتتاح مستشفى جديد في الإسكندرية" and read.source == "وكالة المثال"
    assert read.date == datetime.fromisoformat("2026-11-29T08:00:00+02:00")
    assert len(read.paragraphs) == len(article.paragraphs) == 5 and article.headings == {2}


@pytest.mark.parametrize("html, reason", [
    ("<html><body><nav>الرئيسية</nav><p>فيديو</p></body></html>", "no article text found"),
    ("<html><body><article>" + "".join(f"<p>Paragraph {n} of this page is written in English only, with no Arabic"
                                       f" at all in it, which Nashra cannot translate.</p>" for n in range(6))
     + "</article></body></html>", "not in Arabic"),
])
def test_pages_that_are_not_arabic_articles_are_refused(html, reason):
    with pytest.raises(NotAnArticle, match=reason):
        extract_article(html, "https://news.example/x.html")
