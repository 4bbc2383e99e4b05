"""In-memory oracles of the streaming build, for tests only.

The build streams every stage over its state (:mod:`nashra.state`); these
are the small, obvious versions that hold a briefing in lists, to compare
the streaming stages with and to set up small cases quickly.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from nashra import __version__
from nashra.document import ArticleDigest, BriefingArticle, Provenance
from nashra.pipeline import BuildReport, run
from nashra.state.records import Record, RecordStore, fingerprint
from nashra.site.options import SiteOptions
from nashra.site.feeds import Page, write_sitemap
from nashra.site.labels import LANGUAGES
from nashra.site.render import iter_docs
from nashra.site.urls import ARTICLES_DIR, STORIES_DIR

from nashra.state.catalog import Catalog
from nashra.stories.grouping import group_articles
from nashra.stories.stage import group_stories
from nashra.stories.home import HOME_DAYS, HOME_LIMIT, HOME_MINIMUM, home_period
from nashra.stories.story import Story
from nashra.stories.summary import make_story
from nashra.stories.terms import digest
from nashra.summarize.options import SummaryOptions
from nashra.summarize import Summarizer
from nashra.translate import Translator
from nashra.progress import ProgressFactory, no_progress


def process(
    sources: Sequence[str | Path],
    translator: Translator,
    summarizer: Summarizer,
    sentences: int = 3,
    independent: bool = False,
    progress: ProgressFactory = no_progress,
    max_words: int | None = None,
    records: RecordStore | None = None,
) -> tuple[list[BriefingArticle], BuildReport]:
    """Like :func:`nashra.pipeline.run`, with every article in a list."""
    briefing = run(sources, translator, summarizer, records, SummaryOptions(sentences, words=max_words,
                                                                             independent=independent), progress)
    return list(briefing.articles()), briefing.report


def build_stories(items: Iterable[BriefingArticle | ArticleDigest], sentences: int = 3) -> list[Story]:
    """A briefing's articles grouped into stories, most covered first (as the home page lists them), all in memory."""
    digests = [i if isinstance(i, ArticleDigest) else digest(i) for i in items]
    return sorted((make_story(group, sentences) for group in group_articles(digests)), key=coverage_key)


def catalog_of(items: Iterable[BriefingArticle], sentences: int = 3) -> Catalog:
    """A catalog in memory of articles already processed, with its stories."""
    store = RecordStore(None)
    provenance: Provenance | None = None
    store.start_reading()
    for item in items:
        article, translated = item.article, item.translated
        provenance = provenance or item.provenance
        print_of = fingerprint(article)
        store.put_articles([(translated.segmented, print_of)])
        record = Record(print_of, "", translated.title_translation, translated.translations, "",
                        item.summary_ar, item.summary_en, flags=translated.flags, summary_scores=item.summary_scores)
        store.put_many([(record, digest(item))])
        store.mark_read([article.id])
    catalog = Catalog(store, provenance or Provenance("", "", "", __version__))
    group_stories(catalog, sentences)
    return catalog


def render_docs(items: Iterable[BriefingArticle], site_name: dict[str, str] | None = None) -> dict[str, str]:
    """Every docs file of a small briefing: path inside ``docs/`` -> Markdown text."""
    return dict(iter_docs(catalog_of(items), site_name))


def story_pages(stories: Iterable[Story]) -> Iterator[Page]:
    """The home page, story pages and article pages of ``stories``, with their dates (for the sitemap)."""
    stories = list(stories)
    yield "index.html", max((s.latest for s in stories if s.latest), default=None)
    for story in stories:
        if len(story.items) > 1:
            yield f"{STORIES_DIR}/{story.id}.html", story.latest
        yield from ((f"{ARTICLES_DIR}/{i.id}.html", i.date) for i in story.items)


def render_sitemap(stories: Sequence[Story], options: SiteOptions, langs: Sequence[str] = LANGUAGES,
                   root: str = "") -> bytes:
    """The sitemap of ``stories``' pages (see :func:`nashra.site.feeds.write_sitemap`)."""
    out = io.BytesIO()
    write_sitemap(out, story_pages(stories), options, langs, root)
    return out.getvalue()


def coverage_key(story: Story) -> tuple[int, int, float, str]:
    """Most covered first: by outlets, then articles, then the newest, then id (Catalog.home's order)."""
    return -story.outlets, -len(story.items), -(story.latest.timestamp() if story.latest else 0.0), story.id


def home_stories(stories: Sequence[Story], days: int = HOME_DAYS, minimum: int = HOME_MINIMUM,
                 limit: int = HOME_LIMIT) -> list[Story]:
    """The stories the home page lists, picked from a list (Catalog.home picks them in SQL)."""
    dated = [(s.latest, s) for s in stories if s.latest]
    if not dated:
        return sorted(stories, key=coverage_key)[:limit]
    newest = max(latest for latest, _ in dated)
    since = home_period(newest, lambda t: sum(1 for latest, _ in dated if latest >= t), len(dated), days, minimum)
    return sorted((s for latest, s in dated if latest >= since), key=coverage_key)[:limit]
