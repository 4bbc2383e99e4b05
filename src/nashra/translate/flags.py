"""The quality flags moved to :mod:`nashra.quality` (they depend on no engine); kept for older imports."""

from ..quality import *  # noqa: F401,F403
