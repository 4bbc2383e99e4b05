"""A story: its articles, oldest first, and the sentences of its multi-source summary."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..document import ArticleDigest


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
