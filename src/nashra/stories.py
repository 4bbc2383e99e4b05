"""Stories: articles from different outlets about the same event, and their multi-source summary.

Articles are grouped by content similarity (TF-IDF cosine over normalized,
stemmed content terms of the title and the lead sentences) when their dates
lie within a few days of each other. Undated articles are grouped only with
other undated articles: nothing says they report the same event as a dated
one. Each article joins the story it resembles most, measured against the
story's centroid, if the similarity reaches the threshold.
"""

from __future__ import annotations

import hashlib
import heapq
import math
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
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


def _cosine(a: Vector, b: Vector) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())


def _utc(value: datetime | None) -> datetime | None:
    return value.astimezone(UTC) if value else None


def group_articles(articles: Sequence[Groupable], threshold: float = THRESHOLD,
                   window: timedelta = WINDOW) -> list[StoryGroup[Groupable]]:
    """Group ``articles`` into stories; every article belongs to exactly one."""
    if not articles:
        return []
    # A vector is made when its article's turn comes and a story's centroid is let go when the
    # story closes, so the work and memory of grouping follow the stories open at one time.
    terms = [_terms(a) for a in articles]
    document_frequency = Counter(term for article_terms in terms for term in set(article_terms))
    total = len(articles)
    order = sorted(range(len(articles)), key=lambda i: (_utc(articles[i].date) is None, _utc(articles[i].date) or datetime.min.replace(tzinfo=UTC), articles[i].id))
    members: list[list[int]] = []
    centroids: list[Counter[str]] = []
    # Each centroid's norm, computed when first needed after the story last grew.
    norms: list[float | None] = []
    spans: list[tuple[datetime | None, datetime | None]] = []
    by_term: dict[str, set[int]] = defaultdict(set)
    # Stories by their last date: articles come in date order, so a story whose window has
    # passed can never grow again and leaves the term index (keeping the work per article bounded).
    closing: list[tuple[datetime, int]] = []
    undated_phase = False
    for index in order:
        vector, date = _vector(terms[index], document_frequency, total), _utc(articles[index].date)
        if date is None and not undated_phase:
            undated_phase = True
            by_term.clear()  # undated articles join only undated stories
        while closing and date is not None and date - closing[0][0] > window:
            last, story = heapq.heappop(closing)
            if spans[story][1] == last:
                for term in centroids[story]:
                    holders = by_term.get(term)
                    if holders is not None:
                        holders.discard(story)
                        if not holders:
                            del by_term[term]
                centroids[story] = Counter()  # closed: it can never be a candidate again
        candidates = set().union(*(by_term[t] for t in vector if t in by_term)) if vector else set()
        best, best_similarity = None, threshold
        for story in candidates:
            first, last = spans[story]
            if (date is None) != (first is None):
                continue
            if date is not None and (date - last > window or first - date > window):  # type: ignore[operator]
                continue
            centroid = centroids[story]
            norm = norms[story]
            if norm is None:
                norm = norms[story] = math.sqrt(sum(v * v for v in centroid.values()))
            similarity = _cosine(vector, centroid) / norm if norm else 0.0
            if similarity >= best_similarity:
                best, best_similarity = story, similarity
        if best is None:
            best = len(members)
            members.append([])
            centroids.append(Counter())
            norms.append(None)
            spans.append((date, date))
        members[best].append(index)
        centroids[best].update(vector)
        norms[best] = None
        first, last = spans[best]
        if date is not None:
            spans[best] = (min(first, date), max(last, date))  # type: ignore[type-var]
            heapq.heappush(closing, (spans[best][1], best))  # type: ignore[arg-type]
        for term in vector:
            by_term[term].add(best)
    return [StoryGroup(tuple(articles[i] for i in group)) for group in members]


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
        """Outlets that covered the story; each article of an unnamed source counts as one."""
        return len(self.sources) + sum(1 for i in self.items if not i.source)

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
    groups = group_articles(_digests(items))
    stories = [Story(id=group.id, items=group.articles, summary=multi_source_summary(group.articles, sentences))
               for group in groups]
    return rank_stories(stories)


def rank_stories(stories: Sequence[Story]) -> list[Story]:
    """Most outlets and most recent first: outlets x exp(-age / 3 days), age from the newest story."""
    dates = [s.latest for s in stories if s.latest]
    newest = max(dates) if dates else None

    def weight(story: Story) -> float:
        if story.latest is None or newest is None:
            return float(story.outlets)
        age = (newest - story.latest).total_seconds() / 86400
        return story.outlets * math.exp(-age / 3)

    # Undated stories come after every dated one.
    return sorted(stories, key=lambda s: (s.latest is None, -weight(s), -(s.latest.timestamp() if s.latest else 0), s.id))
