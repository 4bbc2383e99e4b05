"""The build records: kept here for older imports; the build state lives in :mod:`nashra.state`."""

from .state.records import (FILE_NAME, state_dir, fingerprint, article_to_json, article_from_json, digest_to_json, digest_from_json, date_order, Record, StoredArticle, flags_to_json, flags_from_json, RecordStore, FirstRead)

__all__ = ["FILE_NAME", "state_dir", "fingerprint", "article_to_json", "article_from_json", "digest_to_json", "digest_from_json", "date_order", "Record", "StoredArticle", "flags_to_json", "flags_from_json", "RecordStore", "FirstRead"]
