"""How many CPUs this process may use, counted in one place."""

from __future__ import annotations

import os


def available_cpus() -> int:
    """CPUs this process may run on (respects affinity and container limits); at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)
