"""What each article produced, from which input and settings: the basis of incremental builds.

For every article the record keeps the article as read and a fingerprint of
it, the translation namespace (engine, model, revision, settings) with the
translations, and the summary settings with the sentences they picked. A
rebuild reuses an unchanged article's translation without asking the
translator, re-summarizes only when the summary settings changed, and forgets
articles whose input is gone. The records are also the build's working set:
pages are written from them one article at a time, so a build never holds
the whole archive's text.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from . import __version__
from .document import Article
from .errors import BuildError

FILE_NAME = "records.sqlite3"


def state_dir(out_dir: Path) -> Path:
    """Where a build keeps what the next build reuses: ``OUT/.nashra``."""
    return out_dir / ".nashra"


def fingerprint(article: Article) -> str:
    """Everything about an article's input that can change its pages (and Nashra's version)."""
    payload = json.dumps(
        [__version__, article.id, article.title, article.title_derived, list(article.paragraphs),
         sorted(article.headings), article.source, article.url, article.date.isoformat() if article.date else None],
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def article_to_json(article: Article) -> str:
    return json.dumps({
        "id": article.id, "title": article.title, "paragraphs": list(article.paragraphs), "source": article.source,
        "url": article.url, "date": article.date.isoformat() if article.date else None,
        "path": str(article.path) if article.path else None, "title_derived": article.title_derived,
        "abstract": article.abstract, "language": article.language, "headings": sorted(article.headings),
    }, ensure_ascii=False)


def article_from_json(text: str) -> Article:
    data: dict[str, Any] = json.loads(text)
    return Article(
        id=data["id"], title=data["title"], paragraphs=tuple(data["paragraphs"]), source=data["source"],
        url=data["url"], date=datetime.fromisoformat(data["date"]) if data["date"] else None,
        path=Path(data["path"]) if data["path"] else None, title_derived=data["title_derived"],
        abstract=data["abstract"], language=data["language"], headings=frozenset(data["headings"]),
    )


@dataclass(frozen=True)
class Record:
    """What was produced for one article. An article read but not yet translated has no namespace."""

    fingerprint: str
    namespace: str | None
    title_translation: str
    translations: tuple[str, ...]
    summary_key: str | None
    summary_ar: tuple[int, ...]
    summary_en: tuple[int, ...]
    #: False for records of older builds, which did not keep the article.
    has_article: bool = True


class RecordStore:
    """Build records in SQLite: ``OUT/.nashra/records.sqlite3``, or in memory when ``path`` is None."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        try:
            if path is not None:
                path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(path if path is not None else ":memory:", timeout=60.0, isolation_level=None)
            self._conn.execute("PRAGMA journal_mode=WAL")
            # Records can be rebuilt from the inputs: a power cut may lose the last writes, never corrupt them.
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.execute(
                "CREATE TABLE IF NOT EXISTS records (id TEXT PRIMARY KEY, fingerprint TEXT, namespace TEXT,"
                " title_translation TEXT, translations TEXT, summary_key TEXT, summary_ar TEXT, summary_en TEXT)"
            )
            present = {row[1] for row in self._conn.execute("PRAGMA table_info(records)")}
            if "article" not in present:
                self._conn.execute("ALTER TABLE records ADD COLUMN article TEXT")
        except (sqlite3.Error, OSError) as exc:
            raise BuildError(f"cannot open the build records {path}: {exc}") from None

    @classmethod
    def for_output(cls, out_dir: Path) -> RecordStore:
        return cls(state_dir(out_dir) / FILE_NAME)

    def get(self, article_id: str) -> Record | None:
        row = self._conn.execute(
            "SELECT fingerprint, namespace, title_translation, translations, summary_key, summary_ar, summary_en,"
            " article IS NOT NULL FROM records WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            return None
        return Record(row[0], row[1], row[2] or "", tuple(json.loads(row[3] or "[]")), row[4],
                      tuple(json.loads(row[5] or "[]")), tuple(json.loads(row[6] or "[]")), bool(row[7]))

    def article(self, article_id: str) -> Article:
        row = self._conn.execute("SELECT article FROM records WHERE id = ?", (article_id,)).fetchone()
        if row is None or row[0] is None:
            raise BuildError(f"{self.path}: no stored article '{article_id}' (remove the file and build again)")
        return article_from_json(row[0])

    def _write(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            self._conn.executemany(sql, rows)
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    def put_articles(self, articles: Iterable[tuple[Article, str]]) -> None:
        """Store articles as read, with their fingerprints, to be translated (earlier results dropped)."""
        self._write("INSERT OR REPLACE INTO records (id, fingerprint, article) VALUES (?, ?, ?)",
                    [(article.id, print_of, article_to_json(article)) for article, print_of in articles])

    def set_articles(self, articles: Iterable[Article]) -> None:
        """Keep the article as read beside results that stay valid (records of older builds lack it)."""
        self._write("UPDATE records SET article = ? WHERE id = ?", [(article_to_json(a), a.id) for a in articles])

    def put_many(self, records: Iterable[tuple[str, Record]]) -> None:
        """Store translations and summaries of articles already stored with :meth:`put_articles`."""
        self._write(
            "UPDATE records SET fingerprint = ?, namespace = ?, title_translation = ?, translations = ?,"
            " summary_key = ?, summary_ar = ?, summary_en = ? WHERE id = ?",
            [(r.fingerprint, r.namespace, r.title_translation, json.dumps(list(r.translations), ensure_ascii=False),
              r.summary_key, json.dumps(list(r.summary_ar)), json.dumps(list(r.summary_en)), i) for i, r in records])

    def keep_only(self, ids: Iterable[str]) -> int:
        """Forget every article not in ``ids``; return how many were forgotten."""
        keep = set(ids)
        stale = [row[0] for row in self._conn.execute("SELECT id FROM records") if row[0] not in keep]
        self._write("DELETE FROM records WHERE id = ?", [(i,) for i in stale])
        return len(stale)

    def close(self) -> None:
        self._conn.close()
