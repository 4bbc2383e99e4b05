"""An article page's text and metadata (trafilatura, htmldate), written as a Markdown article.

trafilatura finds the article in the page and leaves out menus, "read also"
boxes, share buttons, footers and cookie notices; its output keeps the
page's paragraphs and subheadings, which become Markdown paragraphs and
``##`` headings, so that ``nashra build`` reads them as paragraphs (copying a
page's text by hand tends to lose them and glue words together).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime, UTC
from pathlib import Path
from typing import Any

import yaml

from ..ingest.fields import parse_date
from ..text.arabic import arabic_ratio

#: Pages whose article text is shorter than this (in characters) are not articles.
MIN_TEXT_CHARS = 200
#: Dates as htmldate gives them: with the time and its zone when the page has them.
DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"
_SPACES = re.compile(r"\s+")
#: Words of a byline that are not a name ("published on", "updated", "ago", "by").
_BYLINE_WORDS = re.compile(r"(^|\s)(نشر|نشرت|تحديث|بتاريخ|منذ|آخر)(\s|$)")


class NotAnArticle(ValueError):
    """The page holds no article text that Nashra can use."""


@dataclass
class Extracted:
    title: str
    paragraphs: list[str]
    #: Indices of paragraphs that are subheadings.
    headings: set[int] = field(default_factory=set)
    url: str = ""
    source: str | None = None
    author: str | None = None
    date: datetime | None = None
    #: The address the page gives as its own (<link rel="canonical">, og:url) when it is another one.
    canonical: str | None = None


def extract_article(html: bytes | str, url: str) -> Extracted:
    """The article in ``html``; raise :class:`NotAnArticle` when there is none."""
    import trafilatura

    document = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False,
        include_images=False, include_links=False, favor_precision=True,
        date_extraction_params={"extensive_search": False, "original_date": True, "outputformat": DATE_FORMAT},
    )
    if document is None or isinstance(document, dict) or document.body is None:
        raise NotAnArticle("no article text found")
    title = _clean(document.title or "")
    paragraphs: list[str] = []
    headings: set[int] = set()
    for element in document.body.iter("head", "p", "item", "quote"):
        if element.tag in ("p", "quote") and element.getparent() is not None and \
                element.getparent().tag in ("item", "quote"):
            continue  # its text is in its parent's
        text = _clean("".join(element.itertext()))
        if not text:
            continue
        if element.tag == "head":
            if not paragraphs and title and text == title:
                continue  # the headline, kept as the title
            headings.add(len(paragraphs))
        paragraphs.append(text)
    body_chars = sum(len(p) for i, p in enumerate(paragraphs) if i not in headings)
    if body_chars < MIN_TEXT_CHARS:
        raise NotAnArticle(f"no article text found ({body_chars} characters)")
    if arabic_ratio(" ".join(paragraphs)) < 0.4:
        raise NotAnArticle("the article is not in Arabic")
    date = parse_date(document.date) if document.date else None
    if date is None:
        date = _hidden_date(html, url)
    return Extracted(title=title or paragraphs[0][:90], paragraphs=paragraphs, headings=headings,
                     url=url, source=_clean(document.sitename or "") or None,
                     author=_author(document.author, document.sitename), date=date,
                     canonical=document.url if document.url and document.url != url
                     and document.url.startswith(("http://", "https://")) else None)


def _hidden_date(html: bytes | str, url: str) -> datetime | None:
    """The publication date of a page without date metadata: htmldate's extensive search of the page and URL.

    A bare 1 January is left out: it is what a year alone (such as a footer's
    "© 2026") gives, not a publication date.
    """
    from htmldate import find_date

    try:
        found = find_date(html, url=url, original_date=True, extensive_search=True, outputformat=DATE_FORMAT)
    except Exception:  # noqa: BLE001 - htmldate may fail on odd markup; the date is optional
        return None
    date = parse_date(found) if found else None
    if date is not None and (date.month, date.day, date.hour, date.minute) == (1, 1, 0, 0):
        return None
    return date


def _author(author: str | None, sitename: str | None) -> str | None:
    """The author's name, without the bylines that are the outlet's name or a date."""
    if not author:
        return None
    names = [_clean(part) for part in re.split(r"[;|،,]", author)]
    names = [n for n in names if n and not any(c.isdigit() for c in n) and n != _clean(sitename or "")
             and not _BYLINE_WORDS.search(n)]
    return "، ".join(names) or None


def _clean(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


# -- writing -------------------------------------------------------------------


def url_key(url: str) -> str:
    """A short stable key of a URL, the end of its article's file name."""
    return hashlib.sha1(url.encode("utf-8")).hexdigest()[:12]


def file_name(url: str, date: datetime | None, fetched: datetime) -> str:
    return f"{(date or fetched).strftime('%Y-%m-%d')}-{url_key(url)}.md"


def to_markdown(article: Extracted, fetched: datetime, outlet: str | None = None) -> str:
    """The article as Markdown with front matter, as ``nashra build`` reads it."""
    meta: dict[str, Any] = {"title": article.title, "source": outlet or article.source or _host(article.url),
                            "url": article.url}
    if article.date is not None:
        meta["date"] = article.date.isoformat()
    meta["fetched"] = fetched.astimezone(UTC).isoformat(timespec="seconds")
    if article.author:
        meta["author"] = article.author
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    blocks = [f"## {text}" if i in article.headings else _escape_block(text)
              for i, text in enumerate(article.paragraphs)]
    return f"---\n{front}---\n\n" + "\n\n".join(blocks) + "\n"


def _escape_block(text: str) -> str:
    """A paragraph that ``nashra build`` will not read as a heading (it reads the rest as plain text)."""
    return text.lstrip("#").lstrip() or text if text.startswith("#") else text


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).netloc


def write_article(folder: Path, article: Extracted, fetched: datetime, outlet: str | None = None) -> Path:
    """Write ``article`` into ``folder`` (atomically); return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / file_name(article.url, article.date, fetched)
    temporary = path.with_name("." + path.name + ".tmp")
    try:
        temporary.write_text(to_markdown(article, fetched, outlet), encoding="utf-8")
        temporary.replace(path)
    except BaseException:  # a full disk: no half-written file is left behind
        temporary.unlink(missing_ok=True)
        raise
    return path
