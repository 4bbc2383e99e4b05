"""A persistent translation cache in SQLite.

Translations are keyed by a *namespace* — engine, model, model revision and
generation settings — and the normalized source sentence, so a different
model or setting never reuses another's output. Each finished batch is
committed at once (WAL journal, full sync): an interrupted build keeps every
batch that finished, and builds running at the same time share the file
safely.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import time
from collections.abc import Iterable, Mapping
from pathlib import Path

from ..cachedir import default_cache_dir
from ..state.sqlite import connect, rows_in, transaction
from ..errors import ConfigError

log = logging.getLogger(__name__)

FILE_NAME = "translations.sqlite3"


def default_cache_path() -> Path:
    return default_cache_dir() / FILE_NAME


def namespace_key(*parts: str) -> str:
    """A short, stable key for the settings that make a translation what it is."""
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:24]


def _is_text(path: Path) -> bool:
    """Whether ``path`` is a plain file whose start holds no NUL byte: text, which no SQLite file (whole or
    damaged: its header and pages are full of zero bytes) is."""
    if not path.is_file():  # missing, or not a plain file (a FIFO would block here): opening it says so
        return False
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError:  # unreadable: opening it says why
        return False
    return bool(head) and b"\x00" not in head


def _read_only(path: Path) -> sqlite3.Connection | None:
    """``path`` opened for reading when it is a cache that cannot be written (a read-only file, folder or
    mount), else None. A WAL file on a read-only mount opens only as immutable (no one can write it there)."""
    if not path.is_file():
        return None
    for mode in ("ro", "ro&immutable=1"):
        try:
            conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode={mode}", uri=True, isolation_level=None,
                                   check_same_thread=False)
        except sqlite3.Error:
            continue
        try:
            conn.execute("SELECT count(*) FROM translations").fetchone()
            return conn
        except sqlite3.Error:
            conn.close()
    return None


class TranslationCache:
    """Translations of normalized sentences, per namespace, in one SQLite file."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path).expanduser()
        self._writable = True
        if self.path.is_dir():
            raise ConfigError(f"--cache '{self.path}' is a folder; give a file path such as {self.path / FILE_NAME}")
        if _is_text(self.path):  # a wrong path (an article, say), not a damaged cache to move aside
            raise ConfigError(f"--cache '{self.path}' is a text file, not a translation cache; give another file"
                              " or use --no-cache")
        def setup(conn: sqlite3.Connection) -> None:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute(
                "CREATE TABLE IF NOT EXISTS translations ("
                " namespace TEXT NOT NULL, source TEXT NOT NULL, translation TEXT NOT NULL, created REAL NOT NULL,"
                " PRIMARY KEY (namespace, source)) WITHOUT ROWID"
            )

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = connect(self.path, "translation cache", setup, timeout=60.0, isolation_level=None,
                                 check_same_thread=False)
        except (sqlite3.Error, OSError) as exc:
            reader = _read_only(self.path)
            if reader is None:
                raise ConfigError(f"cannot open translation cache {self.path}: {exc} (check its permissions, "
                                  "or use --cache with another file or --no-cache)") from None
            log.warning("cannot write the translation cache %s (%s): reading it only, new translations are not "
                        "stored there; check its permissions, or use --cache with another file", self.path, exc)
            self._conn, self._writable = reader, False

    def get_many(self, namespace: str, sources: Iterable[str]) -> dict[str, str]:
        """The cached translations of ``sources`` (missing ones are left out)."""
        wanted = list(dict.fromkeys(sources))
        return dict(rows_in(self._conn, "SELECT source, translation FROM translations WHERE namespace = ?"
                                        " AND source IN ({marks})", wanted, namespace))

    def put_many(self, namespace: str, translations: Mapping[str, str]) -> None:
        """Store ``translations`` in one transaction (committed before returning)."""
        if not translations or not self._writable:
            return
        now = time.time()
        rows = [(namespace, source, text, now) for source, text in translations.items()]
        try:
            with transaction(self._conn):
                self._conn.executemany(
                    "INSERT OR REPLACE INTO translations (namespace, source, translation, created) VALUES (?, ?, ?, ?)",
                    rows,
                )
        except sqlite3.OperationalError as exc:
            # A full disk, a read-only file or folder: the translations still reach the build records;
            # only later builds' reuse through the cache is lost. Said once, not tried for every batch.
            self._writable = False
            log.warning("cannot write the translation cache %s (%s): translating on without storing there; free "
                        "some space or check its permissions, or use --cache with another file", self.path, exc)

    def count(self, namespace: str | None = None) -> int:
        if namespace is None:
            return self._conn.execute("SELECT COUNT(*) FROM translations").fetchone()[0]
        return self._conn.execute("SELECT COUNT(*) FROM translations WHERE namespace = ?", (namespace,)).fetchone()[0]

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> TranslationCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
