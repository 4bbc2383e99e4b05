"""The persistent translation cache: reuse, isolation, resumption, concurrency."""

import multiprocessing
import sqlite3

import pytest

from nashra.errors import ConfigError
from nashra.translate import get_translator
from nashra.translate.cache import TranslationCache, default_cache_path


def test_get_and_put_round_trip(tmp_path):
    with TranslationCache(tmp_path / "c.sqlite3") as cache:
        cache.put_many("ns", {"أ": "A", "ب": "B"})
        assert cache.get_many("ns", ["أ", "ب", "ج"]) == {"أ": "A", "ب": "B"}
        assert cache.get_many("other", ["أ"]) == {}
        assert cache.count() == 2 and cache.count("ns") == 2


def test_many_keys_are_chunked(tmp_path):
    with TranslationCache(tmp_path / "c.sqlite3") as cache:
        cache.put_many("ns", {str(i): f"t{i}" for i in range(1234)})
        assert len(cache.get_many("ns", [str(i) for i in range(1300)])) == 1234


def test_warm_rebuild_translates_nothing(tmp_path, dict_translator):
    cache = TranslationCache(tmp_path / "c.sqlite3")
    dict_translator.impl.cache = cache
    first = dict_translator.impl.translate(["أ ب", "ج", "أ ب"])
    assert dict_translator.impl.stats.translated == 2
    dict_translator.calls.clear()
    # Normalization is part of the key: the same sentence with a ZWNJ and extra spaces hits.
    second = dict_translator.impl.translate(["أ\u200c ب", "ج  "])
    assert dict_translator.calls == []
    assert second == first[:2]
    assert dict_translator.impl.stats.cached == 2


def test_interrupted_run_keeps_finished_batches_and_resumes(tmp_path, dict_translator):
    cache = TranslationCache(tmp_path / "c.sqlite3")
    translator = dict_translator.impl
    translator.cache = cache
    sentences = [f"جملة {i}" for i in range(10)]
    dict_translator.batch_size = 3
    dict_translator.fail_after = 6
    with pytest.raises(KeyboardInterrupt):
        translator.translate(sentences)
    assert cache.count() == 6  # two batches finished before the interruption
    dict_translator.fail_after = None
    dict_translator.calls.clear()
    out = translator.translate(sentences)
    assert dict_translator.calls == [sentences[6:]]
    assert out == [f"EN[{s}]" for s in sentences]


def test_long_sentence_is_cached_whole(tmp_path, dict_translator):
    dict_translator.max_tokens = 4
    translator = dict_translator.impl
    translator.cache = TranslationCache(tmp_path / "c.sqlite3")
    out = translator.translate(["واحد اثنان، ثلاثة أربعة"])
    assert translator.cache.get_many("dict-namespace", ["واحد اثنان، ثلاثة أربعة"]) == {"واحد اثنان، ثلاثة أربعة": out[0]}


def _writer(path, worker):
    cache = TranslationCache(path)
    for batch in range(20):
        cache.put_many("ns", {f"{worker}-{batch}-{i}": f"t{i}" for i in range(25)})
    cache.close()


def test_concurrent_writers_do_not_corrupt(tmp_path):
    path = tmp_path / "shared.sqlite3"
    TranslationCache(path).close()
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_writer, args=(path, w)) for w in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
        assert worker.exitcode == 0
    with TranslationCache(path) as cache:
        assert cache.count() == 4 * 20 * 25
    assert sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_cache_path_errors_and_default(tmp_path, monkeypatch):
    with pytest.raises(ConfigError, match="is a folder"):
        TranslationCache(tmp_path)
    monkeypatch.setenv("NASHRA_CACHE_DIR", str(tmp_path / "x"))
    assert default_cache_path() == tmp_path / "x" / "translations.sqlite3"


def test_namespace_separates_models_and_settings(tiny_model, tmp_path):
    import shutil
    import json

    other = tmp_path / "other"
    shutil.copytree(tiny_model, other)
    config = json.loads((other / "generation_config.json").read_text())
    config["num_beams"] = 2
    (other / "generation_config.json").write_text(json.dumps(config))
    a = get_translator("transformers", str(tiny_model))
    b = get_translator("transformers", str(other))
    assert a.namespace != b.namespace
    assert a.namespace == get_translator("transformers", str(tiny_model)).namespace


def test_real_engine_warm_run_never_loads_the_model(tiny_model, tmp_path):
    cache = TranslationCache(tmp_path / "c.sqlite3")
    first = get_translator("transformers", str(tiny_model), cache=cache)
    out = first.translate(["مرحبا بكم", "الولايات المتحدة"])
    warm = get_translator("transformers", str(tiny_model), cache=cache)
    assert warm.translate(["مرحبا بكم", "الولايات المتحدة"]) == out
    assert warm._model is None and warm._tokenizer is None
    assert warm.stats.cached == 2 and warm.stats.translated == 0


def test_a_file_that_is_not_a_database_is_refused_not_moved_aside(tmp_path):
    """--cache article.txt is a wrong path: the file stays as it is, with a one-line error."""
    article = tmp_path / "article.txt"
    article.write_text("مرحبا بالعالم.\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="a text file, not a translation cache"):
        TranslationCache(article)
    assert article.read_text(encoding="utf-8") == "مرحبا بالعالم.\n"
    assert [p.name for p in tmp_path.iterdir()] == ["article.txt"]


def test_a_damaged_cache_is_still_moved_aside_and_made_again(tmp_path):
    path = tmp_path / "c.sqlite3"
    with TranslationCache(path) as cache:
        cache.put_many("ns", {str(i): "x" * 500 for i in range(200)})
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # the first page damaged, the SQLite header kept
    path.write_bytes(bytes(data))
    with TranslationCache(path) as cache:
        assert cache.count() == 0
    assert any(p.name.startswith("c.sqlite3.corrupt-") for p in tmp_path.iterdir())


def test_an_empty_file_is_a_new_cache(tmp_path):
    (tmp_path / "c.sqlite3").write_bytes(b"")
    with TranslationCache(tmp_path / "c.sqlite3") as cache:
        cache.put_many("ns", {"أ": "A"})
        assert cache.count() == 1


class _FullDisk:
    """A cache connection whose writes fail as on a full disk (reads pass through)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.writes = 0

    def execute(self, sql, *args):
        return self.conn.execute(sql, *args)

    def executemany(self, sql, rows):
        self.writes += 1
        raise sqlite3.OperationalError("database or disk is full")

    @property
    def in_transaction(self) -> bool:
        return self.conn.in_transaction

    def close(self) -> None:
        self.conn.close()


def test_a_full_cache_disk_warns_once_naming_the_cache_and_the_translation_goes_on(tmp_path, dict_translator,
                                                                                    caplog):
    cache = TranslationCache(tmp_path / "c.sqlite3")
    full = _FullDisk(cache._conn)
    cache._conn = full
    translator = dict_translator.impl
    translator.cache = cache
    dict_translator.batch_size = 2
    sentences = [f"جملة {i}" for i in range(6)]
    with caplog.at_level("WARNING"):
        out = translator.translate(sentences)
    assert out == [f"EN[{s}]" for s in sentences]
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert len(warnings) == 1 and str(tmp_path / "c.sqlite3") in warnings[0] and "full" in warnings[0], warnings
    assert full.writes == 1  # not tried again for every batch
    cache._conn = full.conn
    assert cache.count() == 0


def test_a_cache_that_cannot_be_written_is_read_only_with_a_warning(tmp_path, monkeypatch, caplog):
    path = tmp_path / "c.sqlite3"
    with TranslationCache(path) as cache:
        cache.put_many("ns", {"أ": "A"})
    import nashra.translate.cache as cache_module

    def read_only(*args, **kwargs):  # what opening for writing says on a read-only mount or file
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(cache_module, "connect", read_only)
    with caplog.at_level("WARNING"), TranslationCache(path) as cache:
        assert cache.get_many("ns", ["أ", "ب"]) == {"أ": "A"}
        cache.put_many("ns", {"ب": "B"})  # not stored, and no error
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert len(warnings) == 1 and str(path) in warnings[0] and "read" in warnings[0], warnings
    monkeypatch.undo()
    with TranslationCache(path) as cache:
        assert cache.get_many("ns", ["أ", "ب"]) == {"أ": "A"}
