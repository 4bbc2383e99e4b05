"""Pages that keep a growing archive navigable: by day, by month, by source.

Each page lists a bounded set (one day's articles, one outlet's latest), so
no page grows with the size of the archive.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date

from ..document import ArticleDigest
from .escape import escape_markdown, front_matter
from .labels import format_date, label, month_name, sort_key
from .render import ARTICLES_DIR

ARCHIVE_DIR = "archive"
SOURCES_DIR = "sources"
UNDATED = "undated"
LATEST_PER_SOURCE = 10


def day_of(item: ArticleDigest) -> date | None:
    """The article's date as displayed (in its own time zone)."""
    return item.date.date() if item.date else None


def day_page(day: date | None) -> str:
    return f"{ARCHIVE_DIR}/{day.isoformat() if day else UNDATED}"


def _entry(item: ArticleDigest, lang: str, prefix: str, with_day: bool = False) -> str:
    source = item.source or label(lang, "unknown_source")
    when = format_date(item.date, lang) if with_day else (f"{item.date:%H:%M}" if item.date else "")
    details = " · ".join(escape_markdown(x) for x in (source, when) if x)
    return f"- [{escape_markdown(item.title_in(lang))}]({prefix}{ARTICLES_DIR}/{item.id}.md) — {details}"


def _newest_first(items: Sequence[ArticleDigest]) -> list[ArticleDigest]:
    return sorted(items, key=lambda i: (sort_key(i.date), i.id))


def render_archive(items: Sequence[ArticleDigest]) -> dict[str, str]:
    """The archive index (months, then days) and one page per day, in both languages."""
    by_day: dict[date | None, list[ArticleDigest]] = defaultdict(list)
    for item in items:
        by_day[day_of(item)].append(item)
    files: dict[str, str] = {}
    days = sorted((d for d in by_day if d is not None), reverse=True)
    for lang in ("en", "ar"):
        parts = [front_matter({"title": label(lang, "archive"), "language": lang}), f"# {label(lang, 'archive')}\n"]
        month = None
        for day in days:
            if (day.year, day.month) != month:
                month = (day.year, day.month)
                parts.append(f"\n## {month_name(day.month, lang)} {day.year}\n")
            count = len(by_day[day])
            parts.append(f"- [{escape_markdown(format_date_only(day, lang))}]({day.isoformat()}.md) — "
                         f"{escape_markdown(label(lang, 'articles_count', count=count))}")
        if None in by_day:
            parts.append(f"\n## {label(lang, 'undated')}\n")
            parts.append(f"- [{label(lang, 'undated_articles')}]({UNDATED}.md) — "
                         f"{escape_markdown(label(lang, 'articles_count', count=len(by_day[None])))}")
        if not by_day:
            parts.append(escape_markdown(label(lang, "no_articles")))
        files[f"{ARCHIVE_DIR}/index.{lang}.md"] = "\n".join(parts) + "\n"
        for day, day_items in by_day.items():
            title = format_date_only(day, lang) if day else label(lang, "undated_articles")
            page = [front_matter({"title": title, "language": lang, "articles": len(day_items)}),
                    f"# {escape_markdown(title)}\n",
                    "\n".join(_entry(i, lang, "../") for i in _newest_first(day_items)),
                    f"\n[{label(lang, 'archive')}](index.md)"]
            files[f"{day_page(day)}.{lang}.md"] = "\n".join(page) + "\n"
    return files


def render_sources(items: Sequence[ArticleDigest]) -> dict[str, str]:
    """One page listing every outlet, its number of articles and its latest ones."""
    by_source: dict[str, list[ArticleDigest]] = defaultdict(list)
    for item in items:
        by_source[item.source or ""].append(item)
    counts = Counter({source: len(group) for source, group in by_source.items()})
    files: dict[str, str] = {}
    for lang in ("en", "ar"):
        parts = [front_matter({"title": label(lang, "sources"), "language": lang}), f"# {label(lang, 'sources')}\n"]
        for source, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            name = source or label(lang, "unknown_source")
            parts.append(f"\n## {escape_markdown(name)}\n")
            parts.append(escape_markdown(label(lang, "articles_count", count=count)) + "\n")
            parts.append("\n".join(_entry(i, lang, "../", with_day=True)
                                   for i in _newest_first(by_source[source])[:LATEST_PER_SOURCE]))
        files[f"{SOURCES_DIR}/index.{lang}.md"] = "\n".join(parts) + "\n"
    return files


def format_date_only(day: date, lang: str) -> str:
    return f"{day.day} {month_name(day.month, lang)} {day.year}"
