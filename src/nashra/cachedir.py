"""Where Nashra keeps what it can make again but need not on every run (translations, converted models, word lists)."""

from __future__ import annotations

import os
from pathlib import Path


def default_cache_dir() -> Path:
    """``$NASHRA_CACHE_DIR``, else ``$XDG_CACHE_HOME/nashra``, else ``~/.cache/nashra``."""
    if os.environ.get("NASHRA_CACHE_DIR"):
        return Path(os.environ["NASHRA_CACHE_DIR"]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base).expanduser() / "nashra"
