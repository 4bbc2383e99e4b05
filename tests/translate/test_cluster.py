"""``nashra translate-archive``: Ray Data fills the translation cache; a build then translates nothing.

The Ray tests start a local Ray instance (2 CPUs) and translate with the tiny test model.
"""

from __future__ import annotations

import logging
import os
import random
import signal
import sys

import pytest
from click.testing import CliRunner

from nashra.cli import cli
from nashra.translate.cache import TranslationCache
from nashra.translate.cluster import RAY_MISSING, ModelSpec, chunks, model_files, translate_archive


def test_chunks_are_distinct_sentences_in_order():
    assert list(chunks(["a", "b", "", "a", "c", "b", "d"], size=2)) == [["a", "b"], ["c", "d"]]


def test_without_ray_the_command_names_the_install(monkeypatch, tmp_path, examples_dir):
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray raises ImportError
    result = CliRunner().invoke(cli, ["translate-archive", str(examples_dir), "--cache", str(tmp_path / "t.sqlite3")])
    assert result.exit_code != 0
    assert RAY_MISSING in result.output and "Traceback" not in result.output
    assert not (tmp_path / "t.sqlite3").exists()  # nothing was read or opened


def _has_ray() -> bool:
    try:
        import ray.data  # noqa: F401
    except ImportError:
        return False
    return True


needs_ray = pytest.mark.skipif(not _has_ray(), reason="Ray is not installed (pip install 'nashra[ray]')")


def test_an_address_nothing_answers_at_is_one_line_at_once():
    import socket

    from nashra.errors import ConfigError
    from nashra.translate.cluster import _reachable

    with socket.socket() as sock:  # a port that was free a moment ago: nothing listens there
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(ConfigError, match=f"cannot reach the Ray cluster at 127.0.0.1:{port}"):
        _reachable(f"127.0.0.1:{port}")
    with pytest.raises(ConfigError, match="expected auto, local, HOST:PORT"):
        _reachable("nonsense")


class _Cluster:
    """A stand-in for the ``ray`` module's view of a cluster: its nodes' resources."""

    def __init__(self, *nodes):
        self._nodes = [{"Alive": True, "Resources": r} for r in nodes]

    def nodes(self):
        return self._nodes


def test_actors_are_fitted_to_the_cluster_and_impossible_requests_refused():
    from nashra.commands.translate import actor_slots
    from nashra.errors import ConfigError

    two_nodes = _Cluster({"CPU": 4.0}, {"CPU": 2.0})
    assert actor_slots(two_nodes, "cpu", 1.0, None) == (False, 6)
    assert actor_slots(two_nodes, "cpu", 2.0, None) == (False, 3)
    assert actor_slots(two_nodes, "cpu", 1.0, 10) == (False, 6)  # cut to what fits, with a warning
    assert actor_slots(two_nodes, "auto", 1.0, 2) == (False, 2)
    with pytest.raises(ConfigError, match="no node of the Ray cluster has more than 4 CPUs"):
        actor_slots(two_nodes, "cpu", 8.0, None)
    with pytest.raises(ConfigError, match="has no GPU"):
        actor_slots(two_nodes, "cuda", 1.0, None)
    gpu_nodes = _Cluster({"CPU": 8.0, "GPU": 1.0}, {"CPU": 8.0, "GPU": 1.0})
    assert actor_slots(gpu_nodes, "auto", 1.0, None) == (True, 2)


@needs_ray
def test_a_broken_model_fails_before_the_cluster_is_joined(tmp_path, tiny_model, examples_dir, monkeypatch):
    import shutil

    broken = tmp_path / "broken"
    shutil.copytree(tiny_model, broken)
    for weights in broken.glob("*.safetensors"):
        weights.unlink()
    joined = []
    monkeypatch.setattr("nashra.translate.cluster.connect", lambda *a, **k: joined.append(a) or "")
    result = CliRunner().invoke(cli, ["translate-archive", str(examples_dir), "--model", str(broken), "--cache",
                                      str(tmp_path / "t.sqlite3")])
    assert result.exit_code != 0 and "cannot load" in result.output and "Traceback" not in result.output
    assert not joined


@pytest.fixture(scope="module")
def local_ray():
    import ray

    ray.init(num_cpus=2, include_dashboard=False, logging_level=logging.WARNING, log_to_driver=False)
    yield ray
    ray.shutdown()


def _translator(tiny_model, cache):
    from nashra.translate import get_translator

    return get_translator("transformers", str(tiny_model), cache=cache, device="cpu")


@needs_ray
@pytest.mark.slow
def test_a_build_after_translate_archive_translates_nothing(local_ray, tiny_model, examples_dir, data_dir, tmp_path):
    cache = tmp_path / "translations.sqlite3"
    sources = [str(examples_dir), str(data_dir / "article.md"), str(data_dir / "trec.txt")]
    runner = CliRunner()
    first = runner.invoke(cli, ["translate-archive", *sources, "--model", str(tiny_model), "--cache", str(cache),
                                "--actors", "2", "--batch-size", "4"], catch_exceptions=False)
    assert first.exit_code == 0, first.output
    assert "Translated " in first.output and " 0 of " in first.output  # an empty cache to begin with
    with TranslationCache(cache) as stored:
        filled = stored.count()
    assert filled > 0
    # Again, over overlapping sources: nothing is translated twice.
    again = runner.invoke(cli, ["translate-archive", str(examples_dir), "--model", str(tiny_model), "--cache",
                                str(cache)], catch_exceptions=False)
    assert again.exit_code == 0 and again.output.startswith("Translated 0 sentences")
    built = runner.invoke(cli, ["build", *sources, "--model", str(tiny_model), "--cache", str(cache), "-o",
                                str(tmp_path / "briefing")], catch_exceptions=False)
    assert built.exit_code == 0, built.output
    assert f"Titles and sentences: 0 translated, {filled} from the cache" in built.output


def _sentences(count: int) -> list[str]:
    rng = random.Random(7)
    words = ["الحكومة", "الوزير", "المدينة", "أعلن", "قال", "الاقتصاد", "الانتخابات", "البرلمان", "النفط", "غزة",
             "بيروت", "الصحة", "التعليم", "السوق", "الشركة", "الجيش"]
    return list(dict.fromkeys(" ".join(rng.choice(words) for _ in range(rng.randint(4, 12))) + "."
                              for _ in range(count)))


@needs_ray
def test_a_worker_killed_mid_run_loses_only_its_batch(local_ray, tiny_model, tmp_path):
    """An actor killed (SIGKILL) after the first batches: Ray restarts it and runs its batch again; the run
    completes with every sentence in the cache, each once."""
    from nashra.translate.cluster import ArchiveReport

    sentences = _sentences(240)
    report = ArchiveReport()
    killed: list[int] = []
    with TranslationCache(tmp_path / "t.sqlite3") as cache:
        namespace = _translator(tiny_model, None).namespace
        spec = ModelSpec("transformers", str(tiny_model), {"device": "cpu", "threads": 1})

        def on_batch(done: int) -> None:
            # The actors name themselves host:pid in their results: kill one once a few batches are back.
            if not killed and report.translated >= 10:
                pid = int(sorted(report.workers)[0].rsplit(":", 1)[1])
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)

        translate_archive(sentences, spec, namespace, cache, actors=2, cpus_per_actor=1, batch_size=2,
                          on_batch=on_batch, report=report)
        assert killed, "no actor was killed: the run ended too soon"
        assert report.translated == len(sentences) and report.cached == 0
        assert cache.count(namespace) == len(sentences)  # every sentence, each once (one row per sentence)
        assert set(cache.get_many(namespace, sentences)) == set(sentences)
        # A second run finds everything in the cache and translates nothing.
        again = translate_archive(sentences, spec, namespace, cache, actors=1, cpus_per_actor=1)
        assert again.translated == 0 and again.cached == len(sentences)


@needs_ray
def test_a_local_model_folder_is_shipped_to_the_workers(local_ray, tiny_model, tmp_path):
    sentences = _sentences(20)
    files = model_files(tiny_model)
    assert "config.json" in files
    # The actors are given no readable path, only the files in the object store.
    spec = ModelSpec("transformers", str(tmp_path / "not-on-this-node"), {"device": "cpu", "threads": 1},
                     [local_ray.put(files)], digest=f"test-{os.getpid()}")
    with TranslationCache(tmp_path / "t.sqlite3") as cache:
        namespace = _translator(tiny_model, None).namespace
        report = translate_archive(sentences, spec, namespace, cache, actors=1, cpus_per_actor=1, batch_size=8)
        assert report.translated == len(sentences)
        translations = cache.get_many(namespace, sentences)
        assert set(translations) == set(sentences)
    assert report.workers and sum(w.sentences for w in report.workers.values()) == len(sentences)
