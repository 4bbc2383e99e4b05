"""Stories: articles from different outlets about the same event, and their multi-source summary.

Articles are grouped by content similarity (TF-IDF cosine over normalized,
stemmed content terms of the title and the lead sentences) when their dates
lie within a few days of each other. An undated article joins other undated
articles, or one of the newest dated stories (those within a few days of the
archive's newest date) when it resembles it: a file without a date is most
often the day's news, and nothing places it among older events. Each article joins the story it resembles most, measured against the
story's centroid, if the similarity reaches the threshold. A story spans at
most a week from its first article, so daily coverage of an ongoing subject
does not chain into one story for the whole archive.
"""

from __future__ import annotations

import hashlib
import heapq
import math
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, UTC
from typing import Generic, TypeVar

from .document import Article, ArticleDigest, BriefingArticle
from .summarize.base import MAX_OVERLAP, overlap
from .summarize.textrank import pagerank
from .text.dateline import strip_dateline
from .text.segment import split_sentences
from .text.tokens import content_terms

#: Cosine similarity an article needs with a story to join it.
THRESHOLD = 0.25
#: Articles further apart in time than this are different events.
WINDOW = timedelta(days=3)
#: A story covers at most this long from its first article; later coverage of an ongoing
#: subject starts a new story (readers get a story per week of a long war, not one for the year).
SPAN = timedelta(days=7)
LEAD_SENTENCES = 4
#: A term must appear in at most this share of the articles to be used for matching.
MAX_DOCUMENT_SHARE = 0.5

Vector = dict[str, float]
#: What can be grouped: articles as read, or digests of processed ones.
Groupable = TypeVar("Groupable", Article, ArticleDigest)


@dataclass(frozen=True)
class StoryGroup(Generic[Groupable]):
    """Articles reporting the same event, oldest first."""

    articles: tuple[Groupable, ...]

    @property
    def id(self) -> str:
        """Stable while articles join: derived from the earliest article."""
        first = self.articles[0].id
        return f"story-{first}" if len(first) <= 70 else "story-" + hashlib.sha1(first.encode()).hexdigest()[:12]

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(a.source or "unknown" for a in self.articles))


def match_terms(article: Article) -> tuple[str, ...]:
    """The terms an article is matched on: content terms of its title (twice) and lead sentences."""
    lead: list[str] = []
    for paragraph in article.paragraphs:
        lead.extend(split_sentences(paragraph))
        if len(lead) >= LEAD_SENTENCES:
            break
    text = " ".join(strip_dateline(s) for s in lead[:LEAD_SENTENCES])
    title = content_terms(article.title, "ar") if not article.title_derived else []
    # Interned: a digest per article of a large archive shares the strings of common terms.
    return tuple(sys.intern(t) for t in title * 2 + content_terms(text, "ar"))


def _terms(item: Article | ArticleDigest) -> tuple[str, ...]:
    return item.terms if isinstance(item, ArticleDigest) else match_terms(item)


def _vector(terms: Sequence[str], document_frequency: Counter[str], total: int) -> Vector:
    """TF-IDF of an article's terms, normalized; terms in more than half the articles left out."""
    vector = {
        term: (1 + math.log(tf)) * (math.log((1 + total) / (1 + document_frequency[term])) + 1.0)
        for term, tf in Counter(terms).items()
        if total < 4 or document_frequency[term] <= MAX_DOCUMENT_SHARE * total
    }
    norm = math.sqrt(sum(v * v for v in vector.values()))
    return {t: v / norm for t, v in vector.items()} if norm else {}


def _utc(value: datetime | None) -> datetime | None:
    return value.astimezone(UTC) if value else None


def document_frequencies(terms: Iterable[Sequence[str]]) -> tuple[Counter[str], int]:
    """In how many articles (given by their matching terms) each term appears, and how many articles there are."""
    frequency: Counter[str] = Counter()
    total = 0
    for article_terms in terms:
        frequency.update(set(article_terms))
        total += 1
    return frequency, total


def date_order_key(item: Article | ArticleDigest) -> tuple[bool, datetime, str]:
    """Oldest first by UTC time, undated last, then by id: the order :func:`iter_groups` takes."""
    date = _utc(item.date)
    return date is None, date or datetime.min.replace(tzinfo=UTC), item.id


def group_articles(articles: Sequence[Groupable], threshold: float = THRESHOLD,
                   window: timedelta = WINDOW) -> list[StoryGroup[Groupable]]:
    """Group ``articles`` into stories; every article belongs to exactly one.

    Stories come in the order they were started (by their first article, oldest first).
    """
    ordered = sorted(articles, key=date_order_key)
    position = {id(article): k for k, article in enumerate(ordered)}
    frequency, total = document_frequencies(_terms(a) for a in articles)
    groups = iter_groups(ordered, frequency, total, threshold, window)
    return sorted(groups, key=lambda group: position[id(group.articles[0])])


def iter_groups(ordered: Iterable[Groupable], document_frequency: Counter[str], total: int,
                threshold: float = THRESHOLD, window: timedelta = WINDOW) -> Iterator[StoryGroup[Groupable]]:
    """Group articles given in :func:`date_order_key` order; yield each story once it can no longer grow.

    ``document_frequency`` and ``total`` describe all the articles (see
    :func:`document_frequencies`). Articles come oldest first, so a story
    whose newest article is more than ``window`` older than the article at
    hand is complete: it is yielded and let go. Memory and work follow the
    stories open at one time, not the size of the archive.
    """
    members: dict[int, list[Groupable]] = {}
    centroids: dict[int, Counter[str]] = {}
    # Each centroid's norm, computed when first needed after the story last grew.
    norms: dict[int, float | None] = {}
    spans: dict[int, tuple[datetime | None, datetime | None]] = {}
    by_term: dict[str, set[int]] = defaultdict(set)
    # Open stories by their last date; an entry is stale when its story grew later or closed.
    closing: list[tuple[datetime, int]] = []
    started = 0
    undated_phase = False

    def close(story: int) -> StoryGroup[Groupable]:
        for term in centroids.pop(story):
            holders = by_term.get(term)
            if holders is not None:
                holders.discard(story)
                if not holders:
                    del by_term[term]
        del norms[story], spans[story]
        return StoryGroup(tuple(members.pop(story)))

    for article in ordered:
        vector, date = _vector(_terms(article), document_frequency, total), _utc(article.date)
        if date is None and not undated_phase:
            # Undated articles come last. The dated stories still open (within the window of the newest
            # date) stay open for them, since an article whose file gives no date is most often news of
            # the day; every older dated story is complete and was let go.
            undated_phase = True
        while closing and date is not None and date - closing[0][0] > window:
            last, story = heapq.heappop(closing)
            if story in spans and spans[story][1] == last:
                yield close(story)
        # Dot products with the open stories' centroids, over the terms each shares with the article.
        dots: dict[int, float] = {}
        for term, weight in vector.items():
            for story in by_term.get(term, ()):
                dots[story] = dots.get(story, 0.0) + weight * centroids[story][term]
        best, best_similarity = None, threshold
        expired = []
        for story in sorted(dots):
            first, last = spans[story]
            if date is not None and first is None:
                continue
            if date is not None:
                if date - first > SPAN:  # type: ignore[operator]
                    expired.append(story)  # it can never grow again
                    continue
                if date - last > window or first - date > window:  # type: ignore[operator]
                    continue
            norm = norms[story]
            if norm is None:
                norm = norms[story] = math.sqrt(sum(v * v for v in centroids[story].values()))
            similarity = dots[story] / norm if norm else 0.0
            if similarity >= best_similarity:
                best, best_similarity = story, similarity
        for story in expired:
            yield close(story)
        if best is None:
            best = started
            started += 1
            members[best] = []
            centroids[best] = Counter()
            spans[best] = (date, date)
        members[best].append(article)
        centroids[best].update(vector)
        norms[best] = None
        first, last = spans[best]
        if date is not None:
            spans[best] = (min(first, date), max(last, date))  # type: ignore[type-var]
            heapq.heappush(closing, (spans[best][1], best))  # type: ignore[arg-type]
        for term in vector:
            by_term[term].add(best)
    for story in sorted(members):
        yield close(story)


# -- stories of a briefing -----------------------------------------------------------


def digest(item: BriefingArticle) -> ArticleDigest:
    """The digest of a processed article: what its story, the index pages and feeds show of it."""
    article = item.article
    indices = sorted(set(item.summary_ar) | set(item.summary_en))
    return ArticleDigest(
        id=article.id, title=article.title, title_translation=item.translated.title_translation,
        source=article.source, url=article.url, date=article.date, summary_ar=item.summary_ar,
        summary_en=item.summary_en, provenance=item.provenance,
        summary_sentences=tuple((i, item.sentence_in(i, "ar"), item.sentence_in(i, "en")) for i in indices),
        terms=match_terms(article),
    )


@dataclass(frozen=True)
class StorySentence:
    """One sentence of a multi-source summary, credited to its article."""

    item: ArticleDigest
    index: int


@dataclass(frozen=True)
class Story:
    id: str
    items: tuple[ArticleDigest, ...]
    summary: tuple[StorySentence, ...]

    @property
    def sources(self) -> tuple[str, ...]:
        """Distinct named outlets."""
        return tuple(dict.fromkeys(i.source for i in self.items if i.source))

    @property
    def outlets(self) -> int:
        """Named outlets that covered the story (an article whose outlet is unknown is not one)."""
        return len(self.sources)

    @property
    def latest(self) -> datetime | None:
        dates = [i.date for i in self.items if i.date]
        return max(dates) if dates else None

    @property
    def lead(self) -> ArticleDigest:
        """The article whose title stands for the story: the first to report it."""
        return self.items[0]


def _digests(items: Iterable[BriefingArticle | ArticleDigest]) -> list[ArticleDigest]:
    return [i if isinstance(i, ArticleDigest) else digest(i) for i in items]


def multi_source_summary(items: Sequence[BriefingArticle | ArticleDigest], n: int) -> tuple[StorySentence, ...]:
    """The key sentences across a story's articles, no fact repeated, in reading order.

    Candidates are each article's own summary sentences; they are ranked by
    centrality in the graph of all candidates (facts several outlets report
    rank high) and the article's own ranking, and picked with the same
    redundancy limit as single-article summaries.
    """
    digests = _digests(items)
    if len(digests) == 1:
        item = digests[0]
        return tuple(StorySentence(item, i) for i in item.summary_ar[:n])
    candidates = [(item, index, rank) for item in digests for rank, index in enumerate(item.summary_ar)]
    terms = [content_terms(strip_dateline(item.sentence_in(index, "ar")), "ar") for item, index, _ in candidates]
    size = len(candidates)
    weights = [[overlap(terms[a], terms[b]) if a != b else 0.0 for b in range(size)] for a in range(size)]
    import numpy as np

    centrality = pagerank(np.array(weights)) if size else []
    top = max(centrality) if size else 1.0
    scored = sorted(range(size), key=lambda c: -(centrality[c] / top + 1.0 / (1 + candidates[c][2])))
    picked: list[int] = []
    for c in scored:
        if len(picked) == n:
            break
        if all(overlap(terms[c], terms[p]) <= MAX_OVERLAP for p in picked):
            picked.append(c)
    position = {id(item): k for k, item in enumerate(digests)}
    picked.sort(key=lambda c: (position[id(candidates[c][0])], candidates[c][1]))
    return tuple(StorySentence(candidates[c][0], candidates[c][1]) for c in picked)


def build_stories(items: Iterable[BriefingArticle | ArticleDigest], sentences: int = 3) -> list[Story]:
    """Group a briefing's articles into stories, ranked by outlets and recency.

    Give digests (:func:`digest`) to group an archive without holding its texts.
    """
    return rank_stories([make_story(group, sentences) for group in group_articles(_digests(items))])


def make_story(group: StoryGroup[ArticleDigest], sentences: int = 3) -> Story:
    """The story of a group of digests, with its multi-source summary of ``sentences`` sentences."""
    return Story(id=group.id, items=group.articles, summary=multi_source_summary(group.articles, sentences))


def rank_stories(stories: Sequence[Story]) -> list[Story]:
    """Most outlets and most recent first: outlets x exp(-age / 3 days), age from the newest story."""
    dates = [s.latest for s in stories if s.latest]
    newest = max(dates) if dates else None

    def weight(story: Story) -> float:
        outlets = max(story.outlets, 1)  # a story of unknown outlets was still reported once
        if story.latest is None or newest is None:
            return float(outlets)
        age = (newest - story.latest).total_seconds() / 86400
        return outlets * math.exp(-age / 3)

    # Undated stories come after every dated one.
    return sorted(stories, key=lambda s: (s.latest is None, -weight(s), -(s.latest.timestamp() if s.latest else 0), s.id))
