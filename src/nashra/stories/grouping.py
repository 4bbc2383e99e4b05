"""Grouping articles into stories: online average-link clustering, oldest first, a day at a time.

See the design notes (``docs/design.md``, "Summaries and stories") for how and why."""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, UTC
from typing import Generic, Literal, Protocol, TypeVar

from ..document import Article, ArticleDigest
from .terms import match_terms


#: Average-link similarity (mean cosine over pairs of articles) two clusters need to be merged.
THRESHOLD = 0.11
#: Articles further apart are never similar; a story whose newest article is further back is complete.
WINDOW = timedelta(days=3)
#: Undated articles are clustered in batches of this many, as dated ones are by day.
UNDATED_BATCH = 50

#: With fewer articles than this, terms are not weighed by how many articles have them.
MIN_IDF_ARTICLES = 10
#: A month's articles are weighed by the articles dated before it, once this many are (before that, by the
#: first articles of the archive up to the first month with this many before it; see :class:`Grouping`).
HISTORY = 1000
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


def _terms(item: Article | ArticleDigest) -> tuple[str, ...]:
    return item.terms if isinstance(item, ArticleDigest) else match_terms(item)


def _vector(terms: Sequence[str], document_frequency: TermCounts, total: int) -> Vector:
    """TF-IDF of an article's terms, normalized; terms in more than half the articles left out.

    Below MIN_IDF_ARTICLES articles, frequencies across articles say nothing (what two reports of one
    event share would weigh least): terms weigh by their frequency in the article alone.
    """
    if total < MIN_IDF_ARTICLES:
        vector = {term: 1 + math.log(tf) for term, tf in Counter(terms).items()}
    else:
        vector = {
            term: (1 + math.log(tf)) * math.log((1 + total) / (1 + document_frequency[term]))
            for term, tf in Counter(terms).items()
            if document_frequency[term] <= MAX_DOCUMENT_SHARE * total
        }
    norm = math.sqrt(sum(v * v for v in vector.values()))
    return {t: v / norm for t, v in vector.items() if v} if norm else {}


def _utc(value: datetime | None) -> datetime | None:
    return value.astimezone(UTC) if value else None


class TermCounts(Protocol):
    """Document frequencies as grouping asks for them: a term's count (0 for a term no article has), such as a
    :class:`~collections.Counter`'s."""

    def __getitem__(self, term: str, /) -> int:
        ...


def document_frequencies(terms: Iterable[Sequence[str]]) -> tuple[Counter[str], int]:
    """In how many articles (given by their matching terms) each term appears, and how many articles there are."""
    frequency: Counter[str] = Counter()
    total = 0
    for article_terms in terms:
        frequency.update(set(article_terms))
        total += 1
    return frequency, total


class ArticleTerms(Protocol):
    """The articles' story-matching terms as :class:`PastFrequencies` reads them (the build's records, or a list)."""

    def term_frequencies(self) -> tuple[TermCounts, int]:
        """:func:`document_frequencies` of every article."""

    def dated_terms(self, since: datetime | None, before: datetime | None) -> Iterable[Sequence[str]]:
        """The terms of each article dated from ``since`` (None: the oldest) to before ``before`` (None: every
        newer one, and the undated ones)."""

    def count_since(self, since: datetime) -> int:
        """How many articles are dated from ``since`` on, or undated."""

    def nth_date(self, n: int) -> datetime | None:
        """The date of the ``n``-th oldest dated article (1: the oldest); None when there are fewer."""


class Frequencies(Protocol):
    """Document frequencies as a :class:`Grouping` weighs articles by."""

    def before(self, start: datetime | None) -> tuple[TermCounts, int]:
        """:func:`document_frequencies` of the articles dated before ``start`` (None: of every article)."""

    def nth_date(self, n: int) -> datetime | None:
        """The date of the ``n``-th oldest dated article; None when there are fewer."""


class FixedFrequencies:
    """The same document frequencies for every article, whatever its date (those of an archive given whole)."""

    def __init__(self, frequency: TermCounts, total: int) -> None:
        self.frequency, self.total = frequency, total

    def before(self, start: datetime | None) -> tuple[TermCounts, int]:
        return self.frequency, self.total

    def nth_date(self, n: int) -> None:
        return None


class _Counts:
    """``base`` (None: nothing) and ``more``, term by term."""

    def __init__(self, base: TermCounts | None, more: Counter[str]) -> None:
        self.base, self.more = base, more

    def __getitem__(self, term: str, /) -> int:
        return (self.base[term] if self.base is not None else 0) + self.more[term]


class PastFrequencies:
    """:class:`Frequencies` of ``articles``: the articles dated before a time, counted from the nearer end (the
    oldest or the newest articles) the first time, then forward as the times asked move forward (a grouping
    asks month after month). Every answer is exactly :func:`document_frequencies` of those articles, until the
    next question: the counts answered are changed in place by it (a grouping weighs its articles again at
    once)."""

    def __init__(self, articles: ArticleTerms) -> None:
        self.articles = articles
        self._start: datetime | None = None
        self._counts: _Counts | None = None
        self._total = 0

    def before(self, start: datetime | None) -> tuple[TermCounts, int]:
        if start is None:
            return self.articles.term_frequencies()
        if self._counts is None or self._start is None or start < self._start:
            everything, total = self.articles.term_frequencies()
            newer = self.articles.count_since(start)
            if newer < total - newer:  # every article but the newer ones
                self._counts, self._total = _Counts(everything, Counter()), total
                for terms in self.articles.dated_terms(start, None):
                    self._counts.more.subtract(set(terms))
                    self._total -= 1
            else:
                self._counts, self._total = _Counts(None, Counter()), 0
                self._add(None, start)
        elif start > self._start:
            self._add(self._start, start)
        self._start = start
        return self._counts, self._total

    def _add(self, since: datetime | None, before: datetime) -> None:
        assert self._counts is not None
        for terms in self.articles.dated_terms(since, before):
            self._counts.more.update(set(terms))
            self._total += 1

    def nth_date(self, n: int) -> datetime | None:
        return self.articles.nth_date(n)


class ListedTerms:
    """:class:`ArticleTerms` of a list of articles."""

    def __init__(self, articles: Sequence[Article | ArticleDigest]) -> None:
        self.articles = sorted(articles, key=date_order_key)
        self.terms = [_terms(a) for a in self.articles]
        self.dates = [_utc(a.date) for a in self.articles]

    def term_frequencies(self) -> tuple[TermCounts, int]:
        return document_frequencies(self.terms)

    def dated_terms(self, since: datetime | None, before: datetime | None) -> Iterator[tuple[str, ...]]:
        for date, terms in zip(self.dates, self.terms):
            if (since is None or date is None or date >= since) and (before is None or (date is not None
                                                                                      and date < before)):
                yield terms

    def count_since(self, since: datetime) -> int:
        return sum(1 for date in self.dates if date is None or date >= since)

    def nth_date(self, n: int) -> datetime | None:
        dated = [date for date in self.dates if date is not None]
        return dated[n - 1] if 0 < n <= len(dated) else None


def _month_start(date: datetime) -> datetime:
    return date.astimezone(UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def _next_month(date: datetime) -> datetime:
    start = _month_start(date)
    return start.replace(year=start.year + 1, month=1) if start.month == 12 else start.replace(month=start.month + 1)


def date_order_key(item: Article | ArticleDigest) -> tuple[bool, datetime, str]:
    """Oldest first by UTC time, undated last, then by id: the order :func:`iter_groups` takes."""
    date = _utc(item.date)
    return date is None, date or datetime.min.replace(tzinfo=UTC), item.id


def group_articles(articles: Sequence[Groupable], threshold: float = THRESHOLD, window: timedelta = WINDOW,
                   history: int = HISTORY) -> list[StoryGroup[Groupable]]:
    """Group ``articles`` into stories; every article belongs to exactly one.

    Stories come in the order they were started (by their first article, oldest first).
    """
    ordered = sorted(articles, key=date_order_key)
    position = {id(article): k for k, article in enumerate(ordered)}
    groups = iter_groups(ordered, PastFrequencies(ListedTerms(ordered)), threshold, window, history)
    return sorted(groups, key=lambda group: position[id(group.articles[0])])


def average_link(units: Sequence[Sequence[int]], similar: Mapping[int, Mapping[int, float]],
                 threshold: float) -> list[list[int]]:
    """Agglomerate ``units`` (lists of article numbers) by average link until no two clusters reach ``threshold``.

    The similarity of two clusters is the mean over the pairs of their articles
    of ``similar[a][b]`` (0 when absent); the most similar two merge first. Clusters come in the
    order of their first unit, articles in the order they were merged.
    """
    import numpy as np

    clusters = [list(unit) for unit in units]
    count = len(clusters)
    if count < 2:
        return clusters
    articles = [a for unit in clusters for a in unit]
    owner = np.array([k for k, unit in enumerate(clusters) for _ in unit])
    index = {a: k for k, a in enumerate(articles)}
    pair = np.zeros((len(articles), len(articles)))
    for a, k in index.items():
        for b, value in similar.get(a, {}).items():
            if b in index and b != a:
                pair[k, index[b]] = value
    # Sums of similarities between clusters, and their sizes (Lance-Williams update for the group average).
    membership = np.zeros((len(articles), count))
    membership[np.arange(len(articles)), owner] = 1.0
    sums = membership.T @ pair @ membership
    sizes = membership.sum(axis=0)
    alive = np.ones(count, dtype=bool)
    while True:
        mean = sums / np.outer(sizes, sizes)
        mean[~alive, :] = -1.0
        mean[:, ~alive] = -1.0
        np.fill_diagonal(mean, -1.0)
        flat = int(np.argmax(mean))
        i, j = divmod(flat, count)
        if mean[i, j] < threshold:
            break
        i, j = min(i, j), max(i, j)
        clusters[i].extend(clusters[j])
        clusters[j] = []
        sums[i, :] += sums[j, :]
        sums[:, i] += sums[:, j]
        sizes[i] += sizes[j]
        alive[j] = False
    return [cluster for cluster in clusters if cluster]


def iter_groups(ordered: Iterable[Groupable], frequencies: Frequencies, threshold: float = THRESHOLD,
                window: timedelta = WINDOW, history: int = HISTORY) -> Iterator[StoryGroup[Groupable]]:
    """Group articles given in :func:`date_order_key` order; yield each story once it can no longer grow.

    ``frequencies`` are the articles' (:class:`PastFrequencies`, or :class:`FixedFrequencies`). See
    :class:`Grouping`.
    """
    grouping: Grouping[Groupable] = Grouping(frequencies, threshold, window, history)
    for article in ordered:
        yield from grouping.add(article)
    yield from grouping.finish()


@dataclass(frozen=True)
class Checkpoint:
    """Where a grouping stood as its newest dated day began: enough to group that day and newer articles
    again without the stories completed before it (see :meth:`Grouping.resume`)."""

    #: The day's first article (its id and date): every article from it on, in date order, is grouped again.
    first_id: str
    first_date: datetime
    #: The articles of the stories still open then, by story, and those of them still unsettled.
    stories: tuple[tuple[str, ...], ...]
    unsettled: tuple[str, ...]
    #: Stories completed before it: they can no longer change.
    completed: int

    def to_json(self) -> str:
        return json.dumps({"first": [self.first_id, self.first_date.isoformat()], "stories": self.stories,
                           "unsettled": self.unsettled, "completed": self.completed}, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Checkpoint:
        data = json.loads(text)
        return cls(data["first"][0], datetime.fromisoformat(data["first"][1]),
                   tuple(tuple(story) for story in data["stories"]), tuple(data["unsettled"]), int(data["completed"]))


class Grouping(Generic[Groupable]):
    """Online grouping of articles given oldest first (:func:`date_order_key`), a UTC day at a time.

    Each day's articles are clustered by average link (:func:`average_link`)
    with the open stories, whose settled articles stay together, and with the
    unsettled articles of the previous day. A story whose newest article is
    more than ``window`` older than the articles at hand is complete: it is
    yielded by :meth:`add` and let go with its articles' vectors. Memory and
    work follow the articles of the stories open at one time, not the size of
    the archive. :attr:`checkpoint` says where the grouping stood as its newest
    dated day began, so that a later build can go on from there
    (:meth:`resume`) when only that day's or newer articles changed.

    Terms are weighed (TF-IDF) by the articles dated before the month at hand
    (UTC), as a reader of that month's news could have counted them: once
    ``history`` articles are dated before a month, an article added later
    never changes how that month's articles are weighed, so a daily build
    regroups its own days only, and the month's stories are the same whether
    the archive ends there or runs on. Until then, its articles (the
    archive's first) are weighed by those dated before the first month that
    has ``history`` before it (by every article while the archive has fewer). Undated articles are
    weighed by every article. The open stories' articles are weighed again as
    a month begins.
    """

    def __init__(self, frequencies: Frequencies, threshold: float = THRESHOLD, window: timedelta = WINDOW,
                 history: int = HISTORY) -> None:
        self.frequencies, self.threshold, self.history = frequencies, threshold, history
        self.frequency: TermCounts = Counter()
        self.total = 0
        self.cutoff: datetime | None | Literal[False] = False  # what the weights count the articles before
        self.first_cutoff: datetime | None | Literal[False] = False
        self.reach = window.total_seconds() / 86400
        self.items: dict[int, Groupable] = {}
        self.vectors: dict[int, Vector] = {}
        self.times: dict[int, float] = {}  # days since the epoch; undated: the batch's number
        self.similar: dict[int, dict[int, float]] = {}  # cosines with the other open articles within the window
        self.by_term: dict[str, set[int]] = {}
        self.clusters: list[list[int]] = []  # the open stories, their articles by number
        self.unsettled: set[int] = set()
        self.batch: list[int] = []
        self.batch_key: object = None
        self.count = 0  # numbers given so far: articles are numbered in date order
        self.undated = 0
        self.newest: float | None = None  # the newest dated article's time
        self.completed = 0  # stories yielded
        self.checkpoint: Checkpoint | None = None

    def add(self, article: Groupable) -> Iterator[StoryGroup[Groupable]]:
        """Take the next article (in date order); yield the stories it completes."""
        date = _utc(article.date)
        if date is None:
            # Batches of undated articles stand for days after the newest date (two batches apart are
            # still within the window): the first meets the newest dated stories, which stay open for it.
            key: object = ("undated", self.undated // UNDATED_BATCH)
            time = (self.newest or 0.0) + self.undated // UNDATED_BATCH * self.reach / 2
            self.undated += 1
        else:
            key, time = date.date(), date.timestamp() / 86400
            self.newest = time if self.newest is None else max(self.newest, time)
        if self.batch and key != self.batch_key:
            self._cluster_batch()
            self.batch = []
        if not self.batch:
            self.batch_key = key
            yield from self._complete(time)
            if date is not None:
                self.checkpoint = Checkpoint(
                    article.id, date, tuple(tuple(self.items[n].id for n in c) for c in self.clusters),
                    tuple(self.items[n].id for n in sorted(self.unsettled)), self.completed)
            self._weigh(date)
        self._add(self.count, article, time)
        self.batch.append(self.count)
        self.count += 1

    def finish(self) -> Iterator[StoryGroup[Groupable]]:
        """Yield the stories still open: no article comes after these."""
        if self.batch:
            self._cluster_batch()
            self.batch = []
        yield from self._complete(None)

    @classmethod
    def resume(cls, checkpoint: Checkpoint, open_articles: Iterable[Groupable], frequencies: Frequencies,
               threshold: float = THRESHOLD, window: timedelta = WINDOW,
               history: int = HISTORY) -> Grouping[Groupable]:
        """The grouping as it stood at ``checkpoint``, given the articles of its open stories: the next article
        to :meth:`add` is the checkpoint's first, then every newer one in date order."""
        grouping: Grouping[Groupable] = cls(frequencies, threshold, window, history)
        grouping._weigh(checkpoint.first_date)
        numbers: dict[str, int] = {}
        for article in sorted(open_articles, key=date_order_key):
            date = _utc(article.date)
            assert date is not None  # a checkpoint comes before any undated article
            grouping._add(grouping.count, article, date.timestamp() / 86400)
            numbers[article.id] = grouping.count
            grouping.count += 1
            grouping.newest = max(grouping.newest or 0.0, date.timestamp() / 86400)
        grouping.clusters = [sorted(numbers[i] for i in story) for story in checkpoint.stories]
        grouping.unsettled = {numbers[i] for i in checkpoint.unsettled}
        return grouping

    def _add(self, number: int, article: Groupable, time: float) -> None:
        self.items[number], self.times[number] = article, time
        self._link(number)

    def _link(self, number: int) -> None:
        """Weigh an article's terms, and note its similarity to the articles linked before it within reach."""
        vector = _vector(_terms(self.items[number]), self.frequency, self.total)
        dots: dict[int, float] = {}
        for term, weight in vector.items():
            for other in self.by_term.get(term, ()):
                dots[other] = dots.get(other, 0.0) + weight * self.vectors[other][term]
        self.similar[number] = {}
        time = self.times[number]
        for other, dot in dots.items():
            if abs(time - self.times[other]) <= self.reach:
                self.similar[number][other] = self.similar[other][number] = dot
        self.vectors[number] = vector
        for term in vector:
            self.by_term.setdefault(term, set()).add(number)

    def _weigh(self, date: datetime | None) -> None:
        """Take the weights of ``date``'s month (see the class); the open articles are weighed again, in the order
        they came, as :meth:`resume` weighs them."""
        cutoff = self._cutoff(date)
        if self.cutoff is not False and cutoff == self.cutoff:
            return
        self.frequency, self.total = self.frequencies.before(cutoff)
        self.cutoff = cutoff
        numbers = sorted(self.vectors)
        self.vectors.clear()
        self.by_term.clear()
        self.similar.clear()
        for number in numbers:
            self._link(number)

    def _cutoff(self, date: datetime | None) -> datetime | None:
        """The time before which the articles that weigh ``date``'s articles are dated (None: every article)."""
        if date is None:
            return None
        if self.first_cutoff is False:
            # The first month start with ``history`` articles dated before it (None while there are fewer).
            nth = self.frequencies.nth_date(self.history)
            self.first_cutoff = _next_month(nth) if nth is not None else None
        if self.first_cutoff is None:
            return None
        return max(_month_start(date), self.first_cutoff)

    def _let_go(self, cluster: list[int]) -> StoryGroup[Groupable]:
        for number in cluster:
            for term in self.vectors.pop(number):
                holders = self.by_term[term]
                holders.discard(number)
                if not holders:
                    del self.by_term[term]
            for other in self.similar.pop(number):
                self.similar.get(other, {}).pop(number, None)
            del self.times[number]
            self.unsettled.discard(number)
        self.completed += 1
        return StoryGroup(tuple(self.items.pop(number) for number in sorted(cluster)))

    def _complete(self, now: float | None) -> Iterator[StoryGroup[Groupable]]:
        """Let go of the stories that articles from ``now`` on can no longer reach (all when None)."""
        def done(cluster: list[int]) -> bool:
            return now is None or now - max(self.times[n] for n in cluster) > self.reach

        finished = [c for c in self.clusters if done(c)]
        self.clusters = [c for c in self.clusters if not done(c)]
        for cluster in finished:
            yield self._let_go(cluster)

    def _cluster_batch(self) -> None:
        units = [settled for c in self.clusters if (settled := [n for n in c if n not in self.unsettled])]
        units += [[n] for c in self.clusters for n in c if n in self.unsettled] + [[n] for n in self.batch]
        self.clusters = [sorted(c) for c in average_link(units, self.similar, self.threshold)]
        # The previous day's articles settle now that they have been clustered with this day's.
        self.unsettled.clear()
        self.unsettled.update(self.batch)
