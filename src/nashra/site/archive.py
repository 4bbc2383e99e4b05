"""Pages that keep a growing archive navigable: by day, by month, by source.

Each page lists a bounded set (one day's articles, one outlet's latest), so
no page grows with the size of the archive.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from typing import TYPE_CHECKING

from ..document import ArticleDigest
from .escape import LISTING, escape_markdown, front_matter
from .labels import LANGUAGES, format_date, label, month_name, sort_key
from .render import ARTICLES_DIR

if TYPE_CHECKING:
    from ..catalog import Catalog

ARCHIVE_DIR = "archive"
SOURCES_DIR = "sources"
UNDATED = "undated"
LATEST_PER_SOURCE = 10


def day_page(day: date | None) -> str:
    return f"{ARCHIVE_DIR}/{day.isoformat() if day else UNDATED}"


def _entry(item: ArticleDigest, lang: str, prefix: str, with_day: bool = False) -> str:
    source = item.source or label(lang, "unknown_source")
    when = format_date(item.date, lang) if with_day else (f"{item.date:%H:%M}" if item.date else "")
    details = " · ".join(escape_markdown(x) for x in (source, when) if x)
    return f"- [{escape_markdown(item.title_in(lang))}]({prefix}{ARTICLES_DIR}/{item.id}.md) — {details}"


def _newest_first(items: Sequence[ArticleDigest]) -> list[ArticleDigest]:
    return sorted(items, key=lambda i: (sort_key(i.date), i.id))


def render_archive_index(days: Sequence[tuple[date | None, int]], lang: str) -> str:
    """The archive index in ``lang``: months, then each day with its number of articles (newest first)."""
    parts = [front_matter({"title": label(lang, "archive"), "language": lang, **LISTING}),
             f"# {label(lang, 'archive')}\n"]
    month = None
    undated = 0
    for day, count in days:
        if day is None:
            undated = count
            continue
        if (day.year, day.month) != month:
            month = (day.year, day.month)
            parts.append(f"\n## {month_name(day.month, lang)} {day.year}\n")
        parts.append(f"- [{escape_markdown(format_date_only(day, lang))}]({day.isoformat()}.md) — "
                     f"{escape_markdown(label(lang, 'articles_count', count=count))}")
    if undated:
        parts.append(f"\n## {label(lang, 'undated')}\n")
        parts.append(f"- [{label(lang, 'undated_articles')}]({UNDATED}.md) — "
                     f"{escape_markdown(label(lang, 'articles_count', count=undated))}")
    if not days:
        parts.append(escape_markdown(label(lang, "no_articles")))
    return "\n".join(parts) + "\n"


def render_day(day: date | None, items: Sequence[ArticleDigest], lang: str) -> str:
    """The page of one day's articles (``day`` None: the undated ones), newest first."""
    title = format_date_only(day, lang) if day else label(lang, "undated_articles")
    page = [front_matter({"title": title, "language": lang, "articles": len(items), **LISTING}),
            f"# {escape_markdown(title)}\n",
            "\n".join(_entry(i, lang, "../") for i in _newest_first(items)),
            f"\n[{label(lang, 'archive')}](index.md)"]
    return "\n".join(page) + "\n"


def iter_archive(catalog: Catalog) -> Iterator[tuple[str, str]]:
    """The archive index and one page per day, in both languages, one day's articles at a time."""
    days = catalog.days()
    for lang in LANGUAGES:
        yield f"{ARCHIVE_DIR}/index.{lang}.md", render_archive_index(days, lang)
    for day, _ in days:
        items = catalog.on_day(day)
        for lang in LANGUAGES:
            yield f"{day_page(day)}.{lang}.md", render_day(day, items, lang)


def render_sources(sources: Sequence[tuple[str | None, int, Sequence[ArticleDigest]]]) -> dict[str, str]:
    """One page listing every outlet, its number of articles and its latest ones.

    ``sources``: (outlet or None, number of articles, its newest articles) per outlet.
    """
    files: dict[str, str] = {}
    for lang in LANGUAGES:
        parts = [front_matter({"title": label(lang, "sources"), "language": lang, **LISTING}),
                 f"# {label(lang, 'sources')}\n"]
        for source, count, latest in sorted(sources, key=lambda entry: (-entry[1], entry[0] or "")):
            name = source or label(lang, "unknown_source")
            parts.append(f"\n## {escape_markdown(name)}\n")
            parts.append(escape_markdown(label(lang, "articles_count", count=count)) + "\n")
            parts.append("\n".join(_entry(i, lang, "../", with_day=True)
                                   for i in _newest_first(latest)[:LATEST_PER_SOURCE]))
        files[f"{SOURCES_DIR}/index.{lang}.md"] = "\n".join(parts) + "\n"
    return files


def format_date_only(day: date, lang: str) -> str:
    return f"{day.day} {month_name(day.month, lang)} {day.year}"
