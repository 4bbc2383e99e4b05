"""What each article produced, from which input and settings: the basis of incremental builds.

For every article the record keeps a fingerprint of its input, the
translation namespace (engine, model, revision, settings) with the
translations, and the summary settings with the sentences they picked. A
rebuild reuses an unchanged article's translation without asking the
translator, re-summarizes only when the summary settings changed, and forgets
articles whose input is gone.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .document import Article
from .errors import BuildError

FILE_NAME = "records.sqlite3"


def fingerprint(article: Article) -> str:
    """Everything about an article's input that can change its pages (and Nashra's version)."""
    payload = json.dumps(
        [__version__, article.id, article.title, article.title_derived, list(article.paragraphs),
         sorted(article.headings), article.source, article.url, article.date.isoformat() if article.date else None],
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Record:
    fingerprint: str
    namespace: str
    title_translation: str
    translations: tuple[str, ...]
    summary_key: str
    summary_ar: tuple[int, ...]
    summary_en: tuple[int, ...]


class RecordStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(path, timeout=60.0, isolation_level=None)
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute(
                "CREATE TABLE IF NOT EXISTS records (id TEXT PRIMARY KEY, fingerprint TEXT, namespace TEXT,"
                " title_translation TEXT, translations TEXT, summary_key TEXT, summary_ar TEXT, summary_en TEXT)"
            )
        except (sqlite3.Error, OSError) as exc:
            raise BuildError(f"cannot open the build records {path}: {exc}") from None

    @classmethod
    def for_output(cls, out_dir: Path) -> RecordStore:
        return cls(out_dir / ".nashra" / FILE_NAME)

    def get(self, article_id: str) -> Record | None:
        row = self._conn.execute(
            "SELECT fingerprint, namespace, title_translation, translations, summary_key, summary_ar, summary_en"
            " FROM records WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            return None
        return Record(row[0], row[1], row[2], tuple(json.loads(row[3])), row[4], tuple(json.loads(row[5])),
                      tuple(json.loads(row[6])))

    def put_many(self, records: Iterable[tuple[str, Record]]) -> None:
        rows = [(i, r.fingerprint, r.namespace, r.title_translation, json.dumps(list(r.translations), ensure_ascii=False),
                 r.summary_key, json.dumps(list(r.summary_ar)), json.dumps(list(r.summary_en))) for i, r in records]
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            self._conn.executemany("INSERT OR REPLACE INTO records VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    def keep_only(self, ids: Iterable[str]) -> int:
        """Forget every article not in ``ids``; return how many were forgotten."""
        keep = set(ids)
        stale = [row[0] for row in self._conn.execute("SELECT id FROM records") if row[0] not in keep]
        self._conn.execute("BEGIN IMMEDIATE")
        self._conn.executemany("DELETE FROM records WHERE id = ?", [(i,) for i in stale])
        self._conn.execute("COMMIT")
        return len(stale)

    def close(self) -> None:
        self._conn.close()
