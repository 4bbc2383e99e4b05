"""The catalog of a briefing: kept here for older imports; see :mod:`nashra.state.catalog`."""

from .state.catalog import STORY_CACHE, Catalog

__all__ = ["STORY_CACHE", "Catalog"]
