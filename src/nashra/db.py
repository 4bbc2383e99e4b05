"""SQLite helpers of the build state: kept here for older imports; see :mod:`nashra.state.sqlite`."""

from .state.sqlite import PAGE_ROWS, WRITE_ROWS, paged, transaction

__all__ = ["PAGE_ROWS", "WRITE_ROWS", "paged", "transaction"]
