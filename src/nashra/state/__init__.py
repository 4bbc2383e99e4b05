"""The build state: everything a build keeps for the next one, in one place.

A build's state lives in ``OUT/.nashra/``; this package alone writes SQL and
creates tables there, and the stages and the site use it through the typed
classes below:

* :mod:`.records`: :class:`~.records.RecordStore`, per article the article as
  read, its fingerprint, translation, summary, digest and published page key
  (``records.sqlite3``; older files are migrated by adding columns when opened);
* :mod:`.lines`: :class:`~.lines.OutletLineIndex`, the outlets' recurring
  (boilerplate) lines, in the same file;
* :mod:`.catalog`: :class:`~.catalog.Catalog`, the stories grouped from the
  digests and the queries the site is written from, in the same file;
* :mod:`.pages`: :class:`~.pages.PageStore`, the page database of the HTML
  build (``pages.sqlite3``);
* :mod:`.sqlite`: opening a file that can be rebuilt (a damaged one is moved
  aside), paging through tables, short write transactions.

Two other stores keep their own SQLite files outside the build state, each
with its own schema: the translation cache (:mod:`nashra.translate.cache`,
shared between builds) and the fetcher's record (:mod:`nashra.fetch.record`).
"""

from __future__ import annotations

from .records import FILE_NAME, Record, RecordStore, StoredArticle, state_dir

__all__ = ["FILE_NAME", "Record", "RecordStore", "StoredArticle", "state_dir"]
