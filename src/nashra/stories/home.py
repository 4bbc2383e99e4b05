"""Which stories the home page lists: the most covered (outlets, then articles, then the newest) of
the latest period, widened to a screenful. :meth:`nashra.state.catalog.Catalog.home` applies the rule
in SQL; these are its figures and its period."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta


#: The home page lists the stories of the latest HOME_DAYS days; a sparse period is widened (doubled
#: until it holds HOME_MINIMUM stories, a screenful, when the archive has them). At most HOME_LIMIT.
HOME_DAYS = 3
HOME_MINIMUM = 10
HOME_LIMIT = 60


def home_period(newest: datetime, count_since: Callable[[datetime], int], total: int,
                days: int = HOME_DAYS, minimum: int = HOME_MINIMUM) -> datetime:
    """From when the home page lists stories: ``days`` before ``newest``, doubled while fewer than ``minimum``
    stories (``count_since``) are that recent and older ones exist (``total`` dated stories)."""
    period = days
    while True:
        since = newest - timedelta(days=period)
        found = count_since(since)
        if found >= min(minimum, total):
            return since
        period *= 2
