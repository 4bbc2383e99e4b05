"""Pages that keep a growing archive navigable: by day, by month, by source.

Each page lists a bounded set (one day's articles, one outlet's latest, a
page of one outlet's articles), so no page grows with the size of the archive.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import islice
from typing import TYPE_CHECKING

from ..document import ArticleDigest, BriefingArticle
from .bidi import bdi_markdown, bdi_text, isolate
from .escape import LISTING, escape_html, escape_markdown, front_matter, link_html
from .labels import DIRECTIONS, LANGUAGES, format_date, label, month_name, sort_key
from .langmark import mark_html
from .outlets import outlet_name, outlet_slug
from .plural import count_phrase
from .urls import (ARCHIVE_INDEX, SOURCES_INDEX, UNKNOWN_OUTLET, article_address, day_page, docs_file, entry_anchor,
                   is_compact, link, link_to, outlet_page, relative)

if TYPE_CHECKING:
    from .inputs import Archive

LATEST_PER_SOURCE = 10
#: Articles on each page of an outlet's list.
OUTLET_PAGE_SIZE = 50


def _entry(item: ArticleDigest, lang: str, here: str, with_day: bool = False, with_source: bool = True) -> str:
    source = (outlet_name(item.source, lang) or label(lang, "unknown_source")) if with_source else ""
    when = format_date(item.date, lang) if with_day else (f"{item.date:%H:%M}" if item.date else "")
    # Each detail isolated: a Latin outlet name beside an Arabic date would otherwise pull the date's
    # day away from its month.
    details = " · ".join(bdi_markdown(x, whole=True) for x in (source, when) if x)
    return f"- [{escape_markdown(item.title_in(lang))}]({link_to(here, article_address(item.id, item.date))}) — {details}"


def summary_in(item: BriefingArticle | ArticleDigest, lang: str) -> list[str]:
    """An article's summary sentences in ``lang``."""
    return [item.sentence_in(i, lang) for i in (item.summary_ar if lang == "ar" else item.summary_en)]


def compact_entry(item: ArticleDigest, lang: str) -> str:
    """An article kept as an entry of its day's page (its own pages gave way to the site's size budget):
    its title, outlet, time and link to the original, and its summary in both languages."""
    source = outlet_name(item.source, lang) or label(lang, "unknown_source")
    details = [f'<span class="nashra-source">{bdi_text(source, whole=True)}</span>']
    if item.date:
        details.append(f'<span class="nashra-date">{bdi_text(f"{item.date:%H:%M}", whole=True)}</span>')
    if original := link_html(item.url, label(lang, "original_link")):
        details.append(f'<span class="nashra-original">{original}</span>')
    lines = [f'<article class="nashra-entry nashra-compact" id="{entry_anchor(item.id)}">',
             f"<h2>{escape_html(item.title_in(lang))}</h2>"]
    if lang != "ar":
        lines.append(f'<p class="nashra-original-title" lang="ar" dir="rtl">{escape_html(item.title)}</p>')
    lines.append('<p class="nashra-meta">' + " · ".join(details) + "</p>")
    for summary_lang in sorted(LANGUAGES, key=lambda code: code != lang):
        text = " ".join(mark_html(sentence, summary_lang) for sentence in summary_in(item, summary_lang))
        if text:
            lines.append(f'<p class="nashra-compact-summary" lang="{summary_lang}" dir="{DIRECTIONS[summary_lang]}">'
                         f"{text}</p>")
    lines.append("</article>")
    return "\n".join(lines)


def _newest_first(items: Sequence[ArticleDigest]) -> list[ArticleDigest]:
    return sorted(items, key=lambda i: (sort_key(i.date), i.id))


def render_archive_index(days: Sequence[tuple[date | None, int]], lang: str) -> str:
    """The archive index in ``lang``: months, then each day with its number of articles (newest first).

    Each month's days are a list in HTML, not in Markdown: the page lists every day of the archive and is
    rendered by every daily build (Markdown's inline parsing of a year's 365 days took 0.15 s a language, of the
    same list in HTML 0.04 s; the page a reader gets is the same)."""
    parts = [front_matter({"title": label(lang, "archive"), "language": lang, **LISTING}),
             f"# {label(lang, 'archive')}\n"]
    month = None
    undated = 0
    for day, count in days:
        if day is None:
            undated = count
            continue
        if (day.year, day.month) != month:
            if month is not None:
                parts.append("</ul>")
            month = (day.year, day.month)
            parts.append(f"\n## {month_name(day.month, lang)} {day.year}\n\n<ul>")
        href = escape_html(relative(ARCHIVE_INDEX, day_page(day)) + ".html")
        parts.append(f'<li><a href="{href}">{bdi_text(format_date_only(day, lang), whole=True)}</a> — '
                     f"{bdi_text(count_phrase(count, 'article', lang), whole=True)}</li>")
    if month is not None:
        parts.append("</ul>")
    if undated:
        parts.append(f"\n## {label(lang, 'undated')}\n")
        parts.append(f"- [{label(lang, 'undated_articles')}]({link(ARCHIVE_INDEX, day_page(None))}) — "
                     f"{bdi_markdown(count_phrase(undated, 'article', lang))}")
    if not days:
        parts.append(escape_markdown(label(lang, "no_articles")))
    return "\n".join(parts) + "\n"


def render_day(day: date | None, items: Sequence[ArticleDigest], lang: str) -> str:
    """The page of one day's articles (``day`` None: the undated ones), newest first: links to their pages, or
    on a day whose pages gave way to the site's size budget (:func:`nashra.site.urls.is_compact`), their entries."""
    title = format_date_only(day, lang) if day else label(lang, "undated_articles")
    compact = is_compact(day)
    meta = {"title": title, "language": lang, "articles": len(items), **({"compact": True} if compact else {}),
            **LISTING}
    page = [front_matter(meta), f"# {escape_markdown(title)}\n"]
    if compact:
        page.append(f'<p class="nashra-compact-note">{escape_html(label(lang, "compact_note"))}</p>\n')
        page.append("\n\n".join(compact_entry(i, lang) for i in _newest_first(items)))
    else:
        page.append("\n".join(_entry(i, lang, day_page(day)) for i in _newest_first(items)))
    page.append(f"\n[{label(lang, 'archive')}]({link(day_page(day), ARCHIVE_INDEX)})")
    return "\n".join(page) + "\n"


@dataclass(frozen=True)
class Listing:
    """A page that lists articles, with the key of what it is made of and how to make it.

    ``key`` covers everything the page's Markdown is made from but the code writing it, the outlets'
    names and the compact cutoff (which the writer adds, see :func:`nashra.site.build.write_docs`): a page
    whose key is the one it was published under is taken from the published docs, not made again.
    """

    page: str
    key: str
    make: Callable[[], Iterator[tuple[str, str]]]


def _key(*parts: object, texts: Iterable[str] = ()) -> str:
    digest = hashlib.sha256(json.dumps([str(p) for p in parts], ensure_ascii=False).encode("utf-8"))
    for text in texts:
        digest.update(b"\0" + text.encode("utf-8"))
    return digest.hexdigest()


def archive_index_docs(days: Sequence[tuple[date | None, int]]) -> Iterator[tuple[str, str]]:
    """The archive index in both languages."""
    for lang in LANGUAGES:
        yield docs_file(ARCHIVE_INDEX, lang), render_archive_index(days, lang)


def day_listings(archive: Archive, days: Sequence[tuple[date | None, int]]) -> Iterator[Listing]:
    """Each day's page, keyed by the day and its articles' digests as stored (their hashes: the digests are read
    only to write a page)."""
    for day, _ in days:
        def make(day: date | None = day) -> Iterator[tuple[str, str]]:
            items = [archive.decode(text) for text in archive.day_texts(day)]
            for lang in LANGUAGES:
                yield docs_file(day_page(day), lang), render_day(day, items, lang)

        yield Listing(day_page(day), _key("day", day, texts=archive.day_keys(day)), make)


def _outlets(sources: Iterable[tuple[str | None, int, Sequence[ArticleDigest]]]
             ) -> list[tuple[str, list[str | None], int, list[ArticleDigest]]]:
    """Raw source names merged by the outlet they name: (page slug, raw names, articles, latest digests)."""
    merged: dict[str, tuple[list[str | None], list[int], list[ArticleDigest]]] = {}
    for source, count, latest in sources:
        slug = outlet_slug(source) if source and source.strip() else UNKNOWN_OUTLET
        raws, counts, items = merged.setdefault(slug, ([], [], []))
        raws.append(source)
        counts.append(count)
        items.extend(latest)
    return [(slug, raws, sum(counts), _newest_first(items)[:LATEST_PER_SOURCE])
            for slug, (raws, counts, items) in merged.items()]


def _outlet_title(slug: str, raws: Sequence[str | None], lang: str) -> str:
    if slug == UNKNOWN_OUTLET:
        return label(lang, "unknown_outlet_articles")
    return outlet_name(next(r for r in raws if r), lang) or slug


def render_sources(sources: Sequence[tuple[str | None, int, Sequence[ArticleDigest]]]) -> dict[str, str]:
    """One page listing every outlet, its number of articles and its latest ones, linked to its own page.

    ``sources``: (raw outlet name or None, number of articles, its newest articles) per raw name.
    Articles of no known outlet are listed last and not counted as an outlet.
    """
    outlets = sorted(_outlets(sources), key=lambda o: (o[0] == UNKNOWN_OUTLET, -o[2], o[0]))
    named = sum(1 for o in outlets if o[0] != UNKNOWN_OUTLET)
    total = sum(o[2] for o in outlets)
    files: dict[str, str] = {}
    for lang in LANGUAGES:
        summary = label(lang, "sources_count", articles=count_phrase(total, "article", lang),
                        outlets=count_phrase(named, "outlet", lang, "oblique"))
        parts = [front_matter({"title": label(lang, "sources"), "language": lang, **LISTING}),
                 f"# {label(lang, 'sources')}\n", escape_markdown(summary) + "\n"]
        for slug, raws, count, latest in outlets:
            parts.append(f"\n## [{escape_markdown(_outlet_title(slug, raws, lang))}]({link(SOURCES_INDEX, outlet_page(slug))})\n")
            parts.append(escape_markdown(count_phrase(count, "article", lang)) + "\n")
            parts.append("\n".join(_entry(i, lang, SOURCES_INDEX, with_day=True, with_source=False) for i in latest))
            if count > len(latest):
                parts.append(f"\n[{escape_markdown(label(lang, 'all_articles', articles=count_phrase(count, 'article', lang)))}]"
                             f"({link(SOURCES_INDEX, outlet_page(slug))})\n")
        files[docs_file(SOURCES_INDEX, lang)] = "\n".join(parts) + "\n"
    return files


#: Where each month of an outlet's articles begins among its numbered pages: (month as "YYYY-MM", or None for the
#: undated articles, number of the page its oldest article is on), oldest first.
MonthPages = Sequence[tuple["str | None", int]]


def render_outlet_page(slug: str, raws: Sequence[str | None], count: int, items: Sequence[ArticleDigest],
                       lang: str, number: int | None = None, months: MonthPages = ()) -> str:
    """An outlet's page: its newest articles and, by month, links to the pages of all of them (``months``); or
    (``number``) one of those pages.

    Pages of all the articles are numbered from the oldest, :data:`OUTLET_PAGE_SIZE` articles a page,
    so that a new article changes the outlet's page and its newest numbered page, not all of them.
    The outlet's page links each month (a line a year) to the page it begins on, not every page by its
    number: a year of a busy outlet is hundreds of pages, which a reader cannot tell apart by number.
    """
    pages = -(-count // OUTLET_PAGE_SIZE)
    here = outlet_page(slug, number)
    title = _outlet_title(slug, raws, lang)
    page = label(lang, "page", page=number) if number else ""
    meta = {"title": f"{title} ({isolate(page)})" if number else title, "language": lang, "outlet": slug,
            "page": number or 0, "articles": len(items), **LISTING}
    back = f"[{escape_markdown(title)}]({link(here, outlet_page(slug))})" if number else \
        f"[{escape_markdown(label(lang, 'sources'))}]({link(here, SOURCES_INDEX)})"
    parts = [front_matter(meta), f"# {escape_markdown(title)}\n",
             f"{escape_markdown(page or count_phrase(count, 'article', lang))} · {back}\n",
             "\n".join(_entry(i, lang, here, with_day=True, with_source=slug == UNKNOWN_OUTLET)
                       for i in _newest_first(items))]
    if number is None and pages > 1:
        every = label(lang, "all_pages", size=count_phrase(OUTLET_PAGE_SIZE, "article", lang))
        parts.append(f'\n<p class="nashra-pager">{escape_html(every)}</p>\n')
        parts.append("\n".join(_month_lines(slug, months, lang)) + "\n")
    elif number is not None:
        links = []
        if number < pages:
            links.append(f"[{escape_markdown(label(lang, 'newer_page'))}]({link(here, outlet_page(slug, number + 1))})")
        if number > 1:
            links.append(f"[{escape_markdown(label(lang, 'older_page'))}]({link(here, outlet_page(slug, number - 1))})")
        if links:
            parts.append(f'\n<p class="nashra-pager" markdown="1">{" · ".join(links)}</p>')
    return "\n".join(parts) + "\n"


def _month_lines(slug: str, months: MonthPages, lang: str) -> Iterator[str]:
    """The outlet page's list of months, a line a year (oldest first), each month linked to the page it begins on;
    the undated articles (the first pages) last."""
    here = outlet_page(slug)
    years: dict[str, list[str]] = {}
    undated = None
    for month, number in months:
        if month is None:
            undated = number
            continue
        year, _, numeral = month.partition("-")
        years.setdefault(year, []).append(
            f"[{escape_markdown(month_name(int(numeral), lang))}]({link(here, outlet_page(slug, number))})")
    for year, links in years.items():
        yield f"- {year}: {' · '.join(links)}"
    if undated is not None:
        yield (f"- {escape_markdown(label(lang, 'undated'))}: "
               f"[{escape_markdown(label(lang, 'page', page=undated))}]({link(here, outlet_page(slug, undated))})")


def outlet_listings(archive: Archive, sources: Sequence[tuple[str | None, int, Sequence[ArticleDigest]]]
                    ) -> Iterator[Listing]:
    """Every outlet's page and its numbered pages of all its articles, keyed by what each lists (the hashes of
    its articles' digests: the digests are read only to write a page)."""
    for slug, raws, count, _ in _outlets(sources):
        newest = list(islice(archive.source_keys(raws), OUTLET_PAGE_SIZE))
        months: list[tuple[str | None, int]] = []
        if count > OUTLET_PAGE_SIZE:
            yield from _numbered_listings(archive, slug, raws, count, months)

        def make_newest(slug: str = slug, raws: list[str | None] = raws, count: int = count,
                        ids: list[str] = [i for i, _, _ in newest], months: MonthPages = months
                        ) -> Iterator[tuple[str, str]]:
            items = [archive.decode(text) for text in archive.texts_of(ids)]
            for lang in LANGUAGES:
                yield docs_file(outlet_page(slug), lang), render_outlet_page(slug, raws, count, items, lang,
                                                                             months=months)

        yield Listing(outlet_page(slug), _key("outlet", slug, raws, count, months, texts=[sha for _, sha, _ in newest]),
                      make_newest)


def _numbered_listings(archive: Archive, slug: str, raws: list[str | None], count: int,
                       months: list[tuple[str | None, int]]) -> Iterator[Listing]:
    """An outlet's numbered pages, oldest first; ``months`` is filled with the page each month begins on."""
    articles = archive.source_keys(raws, oldest_first=True)
    number = 0
    seen: set[str | None] = set()
    while keys := list(islice(articles, OUTLET_PAGE_SIZE)):
        number += 1
        for _, _, day in keys:
            month = day[:7] if day else None
            if month not in seen:
                seen.add(month)
                months.append((month, number))

        def make(number: int = number, ids: list[str] = [i for i, _, _ in keys]) -> Iterator[tuple[str, str]]:
            items = [archive.decode(text) for text in archive.texts_of(ids)]
            for lang in LANGUAGES:
                yield (docs_file(outlet_page(slug, number), lang),
                       render_outlet_page(slug, raws, count, items, lang, number))

        # A numbered page shows the outlet's count only as whether a newer page follows it: keyed by that,
        # not by the count, so that a new article remakes the outlet's page and its newest numbered pages only.
        newer = number < -(-count // OUTLET_PAGE_SIZE)
        yield Listing(outlet_page(slug, number), _key("outlet", slug, raws, number, newer, texts=[sha for _, sha, _ in keys]),
                      make)
    months.sort(key=lambda m: (m[0] is None, m[0] or ""))


def format_date_only(day: date, lang: str) -> str:
    return f"{day.day} {month_name(day.month, lang)} {day.year}"
