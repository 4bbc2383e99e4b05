"""Open a SQLite file that Nashra can rebuild: kept here for older imports; see :mod:`nashra.state.sqlite`."""

from .state.sqlite import connect, is_corrupt, move_aside

__all__ = ["connect", "is_corrupt", "move_aside"]
