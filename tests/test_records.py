"""Incremental builds: only new or changed articles are translated and summarized."""

import re
import shutil

import pytest
from click.testing import CliRunner

from nashra.cli import cli
from nashra.records import RecordStore, fingerprint
from nashra.ingest import load

pytestmark = pytest.mark.slow


def counts(output: str) -> dict[str, int]:
    match = re.search(r"Articles: (\d+) translated, (\d+) summarized, (\d+) reused unchanged(?:, (\d+) removed)?", output)
    assert match, output
    return {"translated": int(match[1]), "summarized": int(match[2]), "reused": int(match[3]),
            "removed": int(match[4] or 0)}


def test_incremental_builds(tmp_path, tiny_model, examples_dir, data_dir):
    sources = tmp_path / "in"
    sources.mkdir()
    for path in examples_dir.glob("*.txt"):
        shutil.copy(path, sources / path.name)
    out = tmp_path / "out"
    runner = CliRunner()

    def build(*extra):
        result = runner.invoke(cli, ["build", str(sources), "-o", str(out), "--model", str(tiny_model),
                                     "--cache", str(tmp_path / "cache.sqlite3"), *extra])
        assert result.exit_code == 0, result.output
        return counts(result.output), result.output

    first, _ = build()
    assert first == {"translated": 2, "summarized": 2, "reused": 0, "removed": 0}

    unchanged, output = build()
    assert unchanged == {"translated": 0, "summarized": 0, "reused": 2, "removed": 0}
    assert "Titles and sentences: 0 translated, 0 from the cache" in output  # the translator was not even asked

    shutil.copy(data_dir / "article.md", sources / "article.md")
    added, _ = build()
    assert added == {"translated": 1, "summarized": 1, "reused": 2, "removed": 0}

    resummarized, _ = build("--sentences", "2")
    assert resummarized == {"translated": 0, "summarized": 3, "reused": 3, "removed": 0}

    edited = sources / "article.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nوأضاف الوزير أن التمويل سيبدأ الشهر المقبل.\n", encoding="utf-8")
    changed, _ = build("--sentences", "2")
    assert changed == {"translated": 1, "summarized": 1, "reused": 2, "removed": 0}

    (sources / "article.md").unlink()
    removed, _ = build("--sentences", "2")
    assert removed == {"translated": 0, "summarized": 0, "reused": 2, "removed": 1}
    assert not list((out / "docs").rglob("farmers-plan-2024*")) and not list((out / "site").rglob("farmers-plan-2024*"))


def test_fingerprint_changes_with_input(data_dir):
    import dataclasses

    article = load([data_dir / "article.md"]).articles[0]
    assert fingerprint(article) == fingerprint(dataclasses.replace(article))
    assert fingerprint(article) != fingerprint(dataclasses.replace(article, source="another"))
    assert fingerprint(article) != fingerprint(dataclasses.replace(article, paragraphs=article.paragraphs[:-1]))


def test_record_store_round_trip(tmp_path):
    from nashra.records import Record

    store = RecordStore(tmp_path / "r.sqlite3")
    record = Record("fp", "ns", "Title", ("a", "b"), "key", (0,), (1,))
    store.put_many([("x", record), ("y", record)])
    assert store.get("x") == record and store.get("z") is None
    assert store.keep_only(["x"]) == 1 and store.get("y") is None
