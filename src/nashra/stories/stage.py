"""The grouping stage: a build's articles into stories, going on from where the last grouping stood.

Stories decide and the build state stores: :class:`StoryStore` is every question
grouping asks of the articles' digests and everything it writes back (the build
passes :class:`nashra.state.catalog.Catalog`, which answers over SQLite, reading
a page of rows at a time). Memory follows the stories open at one time, never
the size of the archive.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Protocol

from ..document import ArticleDigest
from ..errors import BuildError
from .grouping import (HISTORY, THRESHOLD, WINDOW, Checkpoint, Grouping, PastFrequencies, StoryGroup, TermCounts,
                       date_order_key)
from .story import Story
from .summary import make_story

log = logging.getLogger(__name__)

#: Changes when grouping changes in a way its settings do not show: every story is grouped again.
GROUPING_VERSION = "2"
#: Stories written to the store at a time.
WRITE_STORIES = 500

__all__ = ["GROUPING_VERSION", "StoryConflict", "StoryStore", "group_stories"]


class StoredTermCounts(TermCounts, Protocol):
    """Document frequencies kept with the articles, read as grouping asks for them."""

    def load(self) -> None:
        """Read every term's count at once (before grouping every article)."""


class StoryStore(Protocol):
    """The build state as grouping reads and writes it."""

    def term_frequencies(self) -> tuple[StoredTermCounts, int]:
        """In how many articles each story-matching term appears (0 for a term none has), and how many articles
        there are (what :func:`~nashra.stories.grouping.document_frequencies` makes of every article's terms)."""

    def dated_terms(self, since: datetime | None, before: datetime | None) -> Iterable[Sequence[str]]:
        """The terms of each article dated from ``since`` (None: the oldest) to before ``before`` (None: every
        newer one, and the undated ones)."""

    def count_since(self, since: datetime) -> int:
        """How many articles are dated from ``since`` on, or undated."""

    def nth_date(self, n: int) -> datetime | None:
        """The date of the ``n``-th oldest dated article (1: the oldest); None when there are fewer."""

    def saved_grouping(self) -> dict[str, str]:
        """What :meth:`save_grouping` kept of the last grouping (nothing before the first)."""

    def changed_before(self, checkpoint: Checkpoint) -> bool:
        """Whether a digest older than the checkpoint's first article was added, changed or removed by this build."""

    def digests(self, ids: Iterable[str]) -> list[ArticleDigest]:
        """The digests of ``ids``, in that order (:class:`BuildError` if one has none)."""

    def digests_by_date(self, start: Checkpoint | None) -> Iterator[ArticleDigest]:
        """Every digest, oldest first and undated last (from the checkpoint's first article on)."""

    def clear_stories(self, completed_too: bool) -> None:
        """Remove the stories not completed for good (every story with ``completed_too``)."""

    def next_seq(self) -> int:
        """The number the next story completed is stored under (stories are numbered in completion order)."""

    def write_stories(self, stories: list[tuple[Story, int]]) -> None:
        """Store stories with their numbers (:class:`StoryConflict` if one has the id, or an article, of a stored
        story)."""

    def save_grouping(self, signature: str, completed: range, checkpoint: Checkpoint | None) -> None:
        """Mark the stories numbered ``completed`` as completed for good, and keep the signature and checkpoint
        the next grouping goes on from."""

    def count(self) -> int:
        """How many stories there are."""


def group_stories(store: StoryStore, sentences: int = 3, history: int = HISTORY) -> int:
    """Group the store's articles into stories, each summarized in ``sentences``; return how many stories there are.

    When the digests changed only from the day the last grouping's checkpoint
    stands at (:class:`~nashra.stories.grouping.Checkpoint`: the newest dated day it
    grouped), the stories completed before it are kept as they are and the
    grouping goes on from there: a daily build groups its days, not the archive.
    Otherwise (a first build, an older article changed or removed, other
    settings) every story is grouped again. Either way the stories are those of
    grouping every article at once, but in an archive's first months: until
    ``history`` articles are dated before a month, the articles a build adds
    change how the months before were weighed (see
    :class:`~nashra.stories.grouping.Grouping`), and the stories completed
    before the checkpoint keep the grouping they were given.
    """
    signature = json.dumps([GROUPING_VERSION, sentences, THRESHOLD, WINDOW.total_seconds(), history])
    start = _resumable(store, signature)
    if start is not None:
        try:
            return _group(store, sentences, signature, history, start)
        except StoryConflict as exc:
            # Records of an older version: an article's old date was not noted when its record was replaced.
            log.warning("stories: %s; every story is grouped again", exc)
    return _group(store, sentences, signature, history, None)


class _StoredTerms:
    """The store's terms as :class:`~nashra.stories.grouping.PastFrequencies` reads them; with ``whole`` (every
    article grouped), every term's count is read at once the first time one is asked for (the whole archive's
    counts weigh articles only in an archive of fewer than :data:`~nashra.stories.grouping.HISTORY` articles, and
    the undated ones: a larger archive is counted forward from its oldest articles)."""

    def __init__(self, store: StoryStore, whole: bool) -> None:
        self.store, self.whole = store, whole

    def term_frequencies(self) -> tuple[TermCounts, int]:
        counts, total = self.store.term_frequencies()
        return (_LoadedOnUse(counts) if self.whole else counts), total

    def dated_terms(self, since: datetime | None, before: datetime | None) -> Iterable[Sequence[str]]:
        return self.store.dated_terms(since, before)

    def count_since(self, since: datetime) -> int:
        return self.store.count_since(since)

    def nth_date(self, n: int) -> datetime | None:
        return self.store.nth_date(n)


class StoryConflict(BuildError):
    """A story written with the id, or an article, of a stored story (:meth:`StoryStore.write_stories`)."""


#: Where a grouping goes on from: the last one's checkpoint and the articles of its open stories.
_Start = tuple[Checkpoint, list[ArticleDigest]]


class _LoadedOnUse:
    """Stored counts read whole when the first is asked for."""

    def __init__(self, counts: StoredTermCounts) -> None:
        self.counts = counts
        self.loaded = False

    def __getitem__(self, term: str, /) -> int:
        if not self.loaded:
            self.counts.load()
            self.loaded = True
        return self.counts[term]


def _group(store: StoryStore, sentences: int, signature: str, history: int, start: _Start | None) -> int:
    """:func:`group_stories` from ``start`` (None: every story grouped again)."""
    frequencies = PastFrequencies(_StoredTerms(store, whole=start is None))
    if start is not None:
        resumed, open_articles = start
        store.clear_stories(completed_too=False)
        log.debug("stories: going on from %s (%d open stories)", resumed.first_date, len(resumed.stories))
        grouping = Grouping.resume(resumed, open_articles, frequencies, history=history)
    else:
        store.clear_stories(completed_too=True)
        grouping = Grouping(frequencies, history=history)
    first = seq = store.next_seq()
    batch: list[tuple[Story, int]] = []

    def write(groups: Iterator[StoryGroup[ArticleDigest]]) -> None:
        nonlocal seq
        for group in groups:
            batch.append((make_story(group, sentences), seq))
            seq += 1
            if len(batch) >= WRITE_STORIES:
                store.write_stories(batch)
                batch.clear()

    for article in store.digests_by_date(start[0] if start is not None else None):
        write(grouping.add(article))
    checkpoint = grouping.checkpoint  # the last, taken as the newest dated day began
    write(grouping.finish())
    store.write_stories(batch)
    # The stories completed before the checkpoint can no longer change; the others are grouped again.
    completed = checkpoint.completed if checkpoint is not None else 0
    store.save_grouping(signature, range(first, first + completed), checkpoint)
    return store.count()


def _resumable(store: StoryStore, signature: str) -> _Start | None:
    """Where to go on from: the last grouping's checkpoint, if made under ``signature`` and no older article changed,
    with the articles of its open stories; None where it cannot be: one of them has no digest any more, or is now
    dated from the checkpoint's first article on (or undated), where the grouping would meet it again."""
    saved = store.saved_grouping()
    if saved.get("signature") != signature or "checkpoint" not in saved:
        return None
    checkpoint = Checkpoint.from_json(saved["checkpoint"])
    if store.changed_before(checkpoint):
        return None
    try:
        articles = store.digests([i for story in checkpoint.stories for i in story])
    except BuildError:
        return None
    first = (False, checkpoint.first_date, checkpoint.first_id)
    return (checkpoint, articles) if all(date_order_key(article) < first for article in articles) else None
