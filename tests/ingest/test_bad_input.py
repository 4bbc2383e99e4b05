"""Bad input is reported by file and reason; nothing else is lost."""

import logging

from click.testing import CliRunner

from nashra.cli import cli
from nashra.errors import InputError
from nashra.ingest.fields import MAX_ARTICLE_CHARS, make_id
from nashra.ingest.files import decode
from nashra.ingest.stage import load, read_file
from oracles import process
from nashra.summarize import get_summarizer


def test_undecodable_bytes_warn_with_file_and_offset(caplog):
    data = "نص عربي صحيح".encode("utf-8") + b"\xff\xfe\xfa" + " وبقية النص".encode("utf-8")
    with caplog.at_level(logging.WARNING):
        text = decode(data, "broken.txt")
    assert "نص عربي صحيح" in text and "وبقية النص" in text
    assert "broken.txt" in caplog.text and "byte offset 22" in caplog.text


def test_windows_1256_and_utf16_files(tmp_path):
    text = "أعلنت الحكومة خطة جديدة لدعم المزارعين."
    (tmp_path / "legacy.txt").write_bytes(text.encode("cp1256"))
    (tmp_path / "utf16.txt").write_bytes(text.encode("utf-16"))
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    for name in ("legacy.txt", "utf16.txt", "bom.txt"):
        (article,) = read_file(tmp_path / name)
        assert not isinstance(article, InputError), article
        assert article.paragraphs == (text,)
    # The same text in three encodings is one article: the copies are reported as duplicates.
    assert len(load([tmp_path]).articles) == 1


def test_huge_article_is_refused_with_the_limit(tmp_path):
    path = tmp_path / "huge.txt"
    line = "هذه جملة طويلة في مقال ضخم جدا يتجاوز الحد المسموح به. "
    path.write_text((line * (MAX_ARTICLE_CHARS // len(line) + 10) + "\n"), encoding="utf-8")
    items = list(read_file(path))
    assert isinstance(items[0], InputError)
    assert "huge.txt" in str(items[0]) and f"{MAX_ARTICLE_CHARS:,}" in str(items[0])


def test_thousands_of_tiny_files(tmp_path, dict_translator):
    for i in range(2000):
        (tmp_path / f"{i:05d}.txt").write_text(f"خبر قصير رقم {i} عن المدينة.\n", encoding="utf-8")
    items, report = process([tmp_path], dict_translator.impl, get_summarizer(), sentences=1)
    assert len(items) == 2000 and not report.skipped
    assert len({i.article.id for i in items}) == 2000


def test_ids_never_leave_the_output_folder():
    for raw in ["../../etc/passwd", "/abs/path", "..", ".", "CON", "con.txt", "LPT1", "a" * 500, "ok\\..\\x", "~/x", "\u202eevil"]:
        article_id = make_id(raw, "x")
        assert "/" not in article_id and "\\" not in article_id and ".." not in article_id
        assert not article_id.startswith((".", "-")) and 0 < len(article_id) <= 80
        assert article_id.split(".")[0] not in {"con", "prn", "aux", "nul", "lpt1"}


def test_build_skips_bad_files_summarizes_and_strict_exits_1(tmp_path, data_dir, tiny_model):
    sources = tmp_path / "in"
    sources.mkdir()
    (sources / "good.md").write_bytes((data_dir / "article.md").read_bytes())
    for bad in (data_dir / "bad").iterdir():
        (sources / bad.name).write_bytes(bad.read_bytes())
    args = ["build", str(sources), "-o", str(tmp_path / "out"), "--model", str(tiny_model)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "Built 1 article" in result.output
    assert "Skipped 6 inputs:" in result.output
    for bad in (data_dir / "bad").iterdir():
        assert sum(bad.name in line for line in result.output.splitlines()) >= 1
    assert (tmp_path / "out" / "site" / "articles" / "farmers-plan-2024.html").is_file()
    strict = CliRunner().invoke(cli, [*args, "--strict"])
    assert strict.exit_code == 1 and "Skipped 6 inputs:" in strict.output
