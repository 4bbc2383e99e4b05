"""The build records: kept here for older imports; the build state lives in :mod:`nashra.state`."""

from .state.records import (FILE_NAME, FirstRead, Record, RecordStore, StoredArticle, article_from_json,
                            article_to_json, date_order, digest_from_json, digest_to_json, fingerprint,
                            flags_from_json, flags_to_json, state_dir)

__all__ = ["FILE_NAME", "FirstRead", "Record", "RecordStore", "StoredArticle", "article_from_json", "article_to_json",
           "date_order", "digest_from_json", "digest_to_json", "fingerprint", "flags_from_json", "flags_to_json",
           "state_dir"]
