"""The site's size budget: what a static host accepts, and which articles give their pages up to stay in it.

A daily briefing's archive only grows, and static hosts cap what they publish
(GitHub Pages: 1 GB a site; GitLab Pages: 1 GB and 200,000 files by default;
Cloudflare Pages' free plan: 20,000 files). ``[site] max_size`` (default 1 GB)
and ``[site] max_files`` (default none) set the budget. A build measures the
site it staged; when it is over the budget, the oldest days' articles become
*compact entries* on their day's archive page (title in both languages,
outlet, time, link to the original, summary in both languages), and the
stories whose newest article is that old lose their pages too, oldest first,
until the site fits in :data:`TARGET` of its budget (room for the days to
come, so that pages do not give way every day). The articles' Markdown stays
in ``OUT/docs``. The cutoff is kept with the site's page records and moves
only forward while the budget stays the same.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from .labels import LANGUAGES
from .urls import article_page, html_file, story_page

if TYPE_CHECKING:
    from .inputs import Archive

#: The default budget: GitHub Pages' limit on a published site.
DEFAULT_MAX_SIZE = 1_000_000_000
#: A build warns when the site reaches this share of its budget.
WARN_AT = 0.8
#: A site over its budget gives pages up until it fits in this share of it.
TARGET = 0.9
#: What an article's entry on its day's page costs in one language: its markup, titles and summary in both
#: languages (about 1.4 KB on the ANT archive's articles; counted high, so that one pass is enough).
ENTRY_BYTES = 2000

_UNITS = {"": 1, "b": 1, "kb": 1000, "mb": 1000**2, "gb": 1000**3, "tb": 1000**4,
          "kib": 1024, "mib": 1024**2, "gib": 1024**3, "tib": 1024**4}
_SIZE_RE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*")


def parse_size(value: object) -> int:
    """Bytes from ``1000000``, ``"1 GB"``, ``"500MB"``, ``"2 GiB"`` (0: no limit); ValueError otherwise."""
    if isinstance(value, bool):
        raise ValueError("must be a size such as \"1 GB\", \"800 MB\" or a number of bytes (0: no limit)")
    if isinstance(value, int):
        if value < 0:
            raise ValueError("must be 0 (no limit) or more bytes")
        return value
    match = _SIZE_RE.fullmatch(value) if isinstance(value, str) else None
    if match is None or match.group(2).lower() not in _UNITS:
        raise ValueError("must be a size such as \"1 GB\", \"800 MB\" or a number of bytes (0: no limit)")
    return int(float(match.group(1)) * _UNITS[match.group(2).lower()])


def format_size(size: int) -> str:
    """``1.2 GB``, ``850 MB``, ``12 KB`` (decimal units, as hosts state their limits)."""
    for unit, scale in (("GB", 1000**3), ("MB", 1000**2), ("KB", 1000)):
        if size >= scale:
            value = size / scale
            return f"{value:.1f} {unit}" if value < 10 else f"{value:,.0f} {unit}"
    return f"{size} bytes"


@dataclass(frozen=True)
class Budget:
    """How large a site may be: bytes and files (0: no limit)."""

    max_bytes: int = DEFAULT_MAX_SIZE
    max_files: int = 0

    @property
    def key(self) -> str:
        """What the cutoff recorded with a site was chosen under."""
        return f"{self.max_bytes}/{self.max_files}"

    def share(self, size: SiteSize) -> float:
        """The largest share of a limit the site takes (0 without limits)."""
        shares = [size.bytes / self.max_bytes if self.max_bytes else 0.0,
                  size.files / self.max_files if self.max_files else 0.0]
        return max(shares)

    def describe(self) -> str:
        parts = [format_size(self.max_bytes)] if self.max_bytes else []
        if self.max_files:
            parts.append(f"{self.max_files:,} files")
        return " and ".join(parts) or "no limit"


@dataclass(frozen=True)
class SiteSize:
    bytes: int
    files: int


def measure(site_dir: Path) -> SiteSize:
    """The bytes and files of a site (each file counted once however many links it has here)."""
    total = files = 0
    seen: set[tuple[int, int]] = set()
    folders = [os.fspath(site_dir)]
    while folders:
        with os.scandir(folders.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    folders.append(entry.path)
                    continue
                stat = entry.stat(follow_symlinks=False)
                files += 1
                if stat.st_nlink > 1:
                    if (stat.st_dev, stat.st_ino) in seen:
                        continue
                    seen.add((stat.st_dev, stat.st_ino))
                total += stat.st_size
    return SiteSize(total, files)


def _file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _pages_of(sites: Sequence[Path], page: str) -> tuple[int, int]:
    """The bytes and files of a page's HTML in every language (each file from the first of ``sites`` that has it)."""
    sizes = [next((size for site in sites if (size := _file_size(site / html_file(page, lang)))), 0)
             for lang in LANGUAGES]
    return sum(sizes), sum(1 for size in sizes if size)


def choose_cutoff(sites: Sequence[Path], archive: Archive, size: SiteSize, budget: Budget,
                  search_bytes_per_page: float, current: date | None) -> date | None:
    """The day before which articles become compact entries so that the site staged in ``sites`` (its
    staging folder, then the site it is staged over; of ``size``, with articles before ``current`` already
    compact) fits in :data:`TARGET` of ``budget`` (or in the budget itself where the site's fixed part
    leaves less room); None when no day frees enough."""
    freed: dict[date, list[int]] = {}  # day -> [bytes, files] its pages free
    for day, page, extra in _candidates(archive, current):
        page_bytes, page_files = _pages_of(sites, page)
        if not page_files:
            continue
        got = freed.setdefault(day, [0, 0])
        got[0] += page_bytes + int(search_bytes_per_page * page_files) - extra
        got[1] += page_files
    for share in (TARGET, 1.0):
        goal_bytes = int(budget.max_bytes * share) if budget.max_bytes else None
        goal_files = int(budget.max_files * share) if budget.max_files else None
        bytes_left, files_left = size.bytes, size.files
        for day in sorted(freed):
            bytes_left -= freed[day][0]
            files_left -= freed[day][1]
            if (goal_bytes is None or bytes_left <= goal_bytes) and (goal_files is None or files_left <= goal_files):
                return day + timedelta(days=1)
    return None


def _candidates(archive: Archive, current: date | None) -> Iterator[tuple[date, str, int]]:
    """Pages that would give way, by the day that makes them compact: (day, page, bytes its entry adds); those
    already compact (before ``current``) are not asked for, and undated pages never give way."""
    for article_id, day in archive.article_days(since=current):
        if day is not None:
            yield day, article_page(article_id), ENTRY_BYTES * len(LANGUAGES)
    for story_id, latest in archive.story_dates(several=True, since=current):
        if latest is not None:
            yield latest.date(), story_page(story_id), 0


def compact_pages(archive: Archive, cutoff: date | None) -> Iterator[str]:
    """The pages that gave way: articles dated before ``cutoff``, and stories whose newest article is."""
    if cutoff is None:
        return
    for article_id, _ in archive.article_days(before=cutoff):
        yield article_page(article_id)
    for story_id, _ in archive.story_dates(several=True, before=cutoff):
        yield story_page(story_id)


__all__ = ["Budget", "DEFAULT_MAX_SIZE", "SiteSize", "TARGET", "WARN_AT", "choose_cutoff", "compact_pages",
           "format_size", "measure", "parse_size"]
