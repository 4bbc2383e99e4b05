"""Inputs made to break a build: each is one file's skip line (or one line's), never the build's end."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from nashra.errors import InputError
from nashra.ingest.files import iter_files
from nashra.ingest.jsonfiles import MAX_JSON_DEPTH
from nashra.ingest.markdown import MAX_YAML_UNITS
from nashra.ingest.stage import load, read_file
from nashra.site.build import remove_tree

GOOD = "أعلنت الحكومة اليوم خطة جديدة لدعم المزارعين في المناطق الريفية."


def items(path: Path) -> list:
    return list(read_file(path))


def only_problem(path: Path) -> InputError:
    (item,) = items(path)
    assert isinstance(item, InputError), item
    assert str(path) in str(item) and "\n" not in str(item)
    return item


def test_deeply_nested_json_is_one_skip_line_naming_the_limit(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    problem = only_problem(path)
    assert f"{MAX_JSON_DEPTH:,} levels" in problem.reason
    # Deeper than the limit but shallow enough for Python's parser: refused the same way.
    path.write_text(json.dumps({"title": "x", "text": GOOD, "extra": json.loads("[" * 300 + "]" * 300)}), encoding="utf-8")
    assert f"{MAX_JSON_DEPTH:,} levels" in only_problem(path).reason


def test_a_bad_jsonl_line_skips_that_line_only(tmp_path):
    path = tmp_path / "mixed.jsonl"
    lines = [json.dumps({"id": "one", "text": GOOD}), "[" * 100_000 + "]" * 100_000, "9" * 5000,
             json.dumps({"id": "two", "text": GOOD + " ثانية"}), json.dumps({"id": "three", "title": {"a": [1, 2]}, "text": GOOD})]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = items(path)
    assert [a.id for a in found if not isinstance(a, InputError)] == ["one", "two"]
    problems = [str(p) for p in found if isinstance(p, InputError)]
    assert len(problems) == 3
    assert "(line 2)" in problems[0] and "(line 3)" in problems[1] and "(line 5)" in problems[2]


@pytest.mark.parametrize("title", [{"a": [1, 2]}, [1, 2], ["x"]])
def test_a_title_that_is_not_text_is_refused(tmp_path, title):
    path = tmp_path / "t.json"
    path.write_text(json.dumps({"title": title, "text": GOOD}), encoding="utf-8")
    assert "'title'" in only_problem(path).reason
    for field in ("source", "url", "abstract", "date", "id"):
        path.write_text(json.dumps({"title": "عنوان", field: title, "text": GOOD}), encoding="utf-8")
        assert f"'{field}'" in only_problem(path).reason
    path = tmp_path / "t.md"
    path.write_text(f"---\ntitle: {json.dumps(title)}\n---\n\n{GOOD}\n", encoding="utf-8")
    assert "'title'" in only_problem(path).reason


def test_text_list_of_objects_is_refused(tmp_path):
    path = tmp_path / "t.json"
    path.write_text(json.dumps({"title": "x", "text": [GOOD, {"a": 1}]}), encoding="utf-8")
    assert "'text'" in only_problem(path).reason


def test_impossible_front_matter_date_keeps_the_article_undated(tmp_path, caplog):
    path = tmp_path / "date.md"
    path.write_text(f"---\ntitle: عنوان\ndate: 2024-13-45\n---\n\n{GOOD}\n", encoding="utf-8")
    (article,) = items(path)
    assert not isinstance(article, InputError), article
    assert article.date is None
    assert "date.md" in caplog.text and "2024-13-45" in caplog.text


def test_front_matter_with_a_huge_number_or_deep_nesting_is_one_line(tmp_path):
    path = tmp_path / "num.md"
    path.write_text(f"---\ntitle: {'9' * 5000}\n---\n\n{GOOD}\n", encoding="utf-8")
    (item,) = items(path)  # a long number is text enough for a title, or refused: never a crash
    assert isinstance(item, InputError) or item.title
    path.write_text("---\ntitle: " + "[" * 50_000 + "\n---\n\n" + GOOD + "\n", encoding="utf-8")
    only_problem(path)


def test_utf16_with_a_stray_trailing_byte(tmp_path, caplog):
    path = tmp_path / "odd.txt"
    path.write_bytes(GOOD.encode("utf-16") + b"\x00"[:0] + b"A")
    (article,) = items(path)
    assert not isinstance(article, InputError), article
    assert article.paragraphs[0].startswith(GOOD)
    assert "odd.txt" in caplog.text


def test_yaml_alias_bomb_in_front_matter_is_refused_quickly(tmp_path):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [{','.join('*' + prev for _ in range(9))}]")
    path = tmp_path / "bomb.md"
    path.write_text("---\n" + "\n".join(lines) + "\ntitle: *i\n---\n\n" + GOOD + "\n", encoding="utf-8")
    started = time.monotonic()
    problem = only_problem(path)
    assert time.monotonic() - started < 5
    assert f"{MAX_YAML_UNITS:,}" in problem.reason


def test_front_matter_past_the_limit_without_aliases_is_not_said_to_have_aliases(tmp_path):
    path = tmp_path / "long.md"
    path.write_text("---\ntitle: " + "ب" * (MAX_YAML_UNITS + 10) + "\n---\n\n" + GOOD + "\n", encoding="utf-8")
    problem = only_problem(path)
    assert f"more than {MAX_YAML_UNITS:,} values and characters with its aliases expanded" in problem.reason
    assert "its aliases expand to" not in problem.reason


def test_small_aliases_in_front_matter_still_work(tmp_path):
    path = tmp_path / "alias.md"
    path.write_text(f"---\nsource: &s وكالة\ntitle: *s\n---\n\n{GOOD}\n", encoding="utf-8")
    (article,) = items(path)
    assert article.title == "وكالة" and article.source == "وكالة"


def test_a_thousand_nested_folders(tmp_path):
    folder = tmp_path
    for _ in range(1000):
        folder = folder / "d"
        try:
            folder.mkdir()
        except OSError:  # pragma: no cover - a file system with a short path limit
            pytest.skip("path too long for this file system")
    try:
        (folder / "deep.txt").write_text(GOOD, encoding="utf-8")
        (tmp_path / "top.txt").write_text(GOOD + " أخرى", encoding="utf-8")
        found = list(iter_files([tmp_path]))
        assert [p.name for p in found] == ["deep.txt", "top.txt"]
        assert len(load([tmp_path]).articles) == 2
    finally:
        remove_tree(tmp_path / "d")  # shutil.rmtree, which pytest cleans up with, recurses once per level


def test_symlink_loops_fifos_and_unreadable_folders_get_a_skip_line(tmp_path):
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    os.symlink("loop.txt", tmp_path / "loop.txt")
    os.mkfifo(tmp_path / "pipe.txt")
    os.symlink(tmp_path, tmp_path / "again")  # a folder link is not followed (no endless walk)
    started = time.monotonic()
    result = load([tmp_path])
    assert time.monotonic() - started < 10  # the FIFO is never opened
    assert [a.path.name for a in result.articles] == ["good.txt"]
    reasons = {Path(str(p.path)).name: p.reason for p in result.problems}
    assert set(reasons) == {"loop.txt", "pipe.txt"}
    assert "loop" in reasons["loop.txt"] and "FIFO" in reasons["pipe.txt"]
    # A FIFO named on the command line is refused the same way, without blocking.
    assert "FIFO" in only_problem(tmp_path / "pipe.txt").reason


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every folder")
def test_an_unreadable_folder_is_a_skip_line(tmp_path):
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "x.txt").write_text(GOOD, encoding="utf-8")
    locked.chmod(0)
    try:
        result = load([tmp_path])
    finally:
        locked.chmod(0o755)
    assert len(result.articles) == 1
    (problem,) = result.problems
    assert "locked" in str(problem) and "permission" in problem.reason.lower()


@pytest.mark.parametrize("given", ["parent", "output"])
def test_a_folder_that_cannot_be_told_from_an_output_is_a_skip_line_never_read(tmp_path, refuse_stat, given):
    """A folder whose build records cannot be looked for (its ``.nashra/`` cannot be searched) may be a Nashra
    output: it is reported and left out, not read as if its pages were articles (nor does the walk stop)."""
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    output = tmp_path / "out"
    (output / ".nashra").mkdir(parents=True)
    (output / ".nashra" / "records.sqlite3").write_bytes(b"")
    (output / "docs").mkdir()
    (output / "docs" / "page.txt").write_text(GOOD.replace("الحكومة", "الوزارة"), encoding="utf-8")
    refuse_stat(output / ".nashra" / "records.sqlite3")  # out/.nashra may not be searched
    result = load([tmp_path if given == "parent" else output])
    assert [Path(article.path).name for article in result.articles] == (["good.txt"] if given == "parent" else [])
    (problem,) = result.problems
    assert str(output) in str(problem) and "permission" in problem.reason.lower()


def test_bidi_controls_and_zero_width_characters_leave_single_line_fields(tmp_path):
    path = tmp_path / "bidi.json"
    record = {"title": "عنوان\u202e\u2066مقلوب\u2069\u200b", "source": "\u202aوكالة\u202c\u200d", "url": "https://e.org/\u202ex",
              "abstract": "ملخص\u2067\u200c", "text": GOOD}
    path.write_text(json.dumps(record), encoding="utf-8")
    (article,) = items(path)
    controls = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\u200c\u200d\u2060\ufeff\u200e\u200f")
    for value in (article.title, article.source, article.url, article.abstract):
        assert not controls & set(value), repr(value)
    assert article.title == "عنوانمقلوب" and article.source == "وكالة"


def test_bidi_controls_leave_derived_titles(tmp_path):
    path = tmp_path / "derived.txt"
    path.write_text("\u202e" + GOOD, encoding="utf-8")
    (article,) = items(path)
    assert "\u202e" not in article.title and article.title_derived


def test_any_exception_while_reading_one_file_is_its_skip_line(tmp_path, monkeypatch):
    import nashra.ingest.markdown as ingest

    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.md").write_text(GOOD + " ب", encoding="utf-8")

    def broken(path: Path, content: str) -> list:
        raise ZeroDivisionError("a bug in a reader")

    monkeypatch.setattr(ingest, "read_markdown", broken)
    result = load([tmp_path])
    assert [a.path.name for a in result.articles] == ["a.txt"]
    (problem,) = result.problems
    assert "b.md" in str(problem) and "a bug in a reader" in problem.reason


def test_an_article_of_too_many_sentences_is_skipped_naming_the_limit(tmp_path, dict_translator):
    from nashra.ingest.stage import MAX_ARTICLE_SENTENCES
    from oracles import process
    from nashra.summarize import get_summarizer

    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "long.txt").write_text(" ".join(f"جملة قصيرة رقم {i}." for i in range(MAX_ARTICLE_SENTENCES + 1)),
                                       encoding="utf-8")
    items, report = process([tmp_path], dict_translator.impl, get_summarizer(), sentences=1)
    assert [i.article.path.name for i in items] == ["good.txt"]
    (problem,) = report.skipped
    assert "long.txt" in str(problem) and f"{MAX_ARTICLE_SENTENCES:,}" in problem.reason


def test_an_error_while_segmenting_one_article_is_its_skip_line(tmp_path, dict_translator, monkeypatch):
    import nashra.ingest.stage as stage
    from nashra.summarize import get_summarizer
    from oracles import process

    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.txt").write_text("خبر آخر عن المدينة والطقس اليوم.", encoding="utf-8")
    real = stage.segment

    def fragile(article):
        if article.path.name == "b.txt":
            raise IndexError("a bug in the segmenter")
        return real(article)

    monkeypatch.setattr(stage, "segment", fragile)
    items, report = process([tmp_path], dict_translator.impl, get_summarizer(), sentences=1)
    assert [i.article.path.name for i in items] == ["a.txt"]
    (problem,) = report.skipped
    assert "b.txt" in str(problem) and "a bug in the segmenter" in problem.reason


def test_check_output_refuses_sources_in_or_equal_to_the_output(tmp_path):
    from nashra.errors import BuildError
    from nashra.outputs import check_output

    (tmp_path / "out" / "docs").mkdir(parents=True)
    check_output(tmp_path / "out", [tmp_path])  # an output inside the sources is left out of the walk instead
    check_output(tmp_path / "out", [tmp_path / "out" / "articles"])  # beside what a build writes: fine
    for sources in ([tmp_path / "out"], [tmp_path / "x", tmp_path / "out" / "."]):
        with pytest.raises(BuildError, match="output folder"):
            check_output(tmp_path / "out", sources)
    for inside in ("docs", "site/ar", ".nashra", "docs.old-12", ".nashra-staging-x/docs"):
        with pytest.raises(BuildError, match="writes anew"):
            check_output(tmp_path / "out", [tmp_path / "out" / inside])


def test_a_bad_item_of_a_json_list_skips_that_item_only(tmp_path):
    path = tmp_path / "list.json"
    path.write_text(json.dumps([{"id": "one", "text": GOOD}, {"id": "two", "title": ["x"], "text": GOOD + " ب"},
                                "not an object", {"id": "three", "text": GOOD + " ج"}]), encoding="utf-8")
    found = items(path)
    assert [a.id for a in found if not isinstance(a, InputError)] == ["one", "three"]
    problems = [str(p) for p in found if isinstance(p, InputError)]
    assert len(problems) == 2 and "(item 1)" in problems[0] and "(item 2)" in problems[1]


def test_a_bad_document_of_a_trec_file_skips_that_document_only(tmp_path):
    path = tmp_path / "docs.xml"
    path.write_text(f"<DOC><DOCNO>A1</DOCNO><TEXT>{GOOD}</TEXT></DOC>\n<DOC><DOCNO>A2</DOCNO></DOC>\n"
                    f"<DOC><DOCNO>A3</DOCNO><TEXT>English only.</TEXT></DOC>\n"
                    f"<DOC><DOCNO>A4</DOCNO><TEXT>{GOOD} د</TEXT></DOC>\n", encoding="utf-8")
    found = items(path)
    assert [a.id for a in found if not isinstance(a, InputError)] == ["a1", "a4"]
    problems = [str(p) for p in found if isinstance(p, InputError)]
    assert len(problems) == 2 and "(document 2)" in problems[0] and "(document 3)" in problems[1]


def test_write_failures_are_one_line_naming_path_and_what_to_do(tmp_path):
    import errno
    import sqlite3

    from nashra.outputs import output_failure

    out = tmp_path / "out"
    full = output_failure(OSError(errno.ENOSPC, "No space left on device", str(out / "site" / "x.html")), out)
    assert str(out / "site" / "x.html") in str(full) and "free some disk space" in str(full)
    denied = output_failure(PermissionError(errno.EACCES, "Permission denied", str(out)), out)
    assert "permissions" in str(denied)
    damaged = output_failure(sqlite3.DatabaseError("database disk image is malformed"), out)
    assert str(out / ".nashra") in str(damaged) and "build again" in str(damaged)
    for error in (full, denied, damaged):
        assert "\n" not in str(error) and "unchanged" in str(error)


def test_a_full_disk_while_copying_names_the_file_written_not_the_one_read(tmp_path):
    """shutil's copy (MkDocs copies the theme's files) sets filename to the SOURCE and filename2 to the
    destination on ENOSPC: the line names the output file and says what to do."""
    import errno

    from nashra.outputs import output_failure

    out = tmp_path / "out"
    (tmp_path / "theme.css").write_text("body {}", encoding="utf-8")
    exc = OSError(errno.ENOSPC, "No space left on device")
    exc.filename, exc.filename2 = str(tmp_path / "theme.css"), str(out / "site" / "theme.css")
    line = str(output_failure(exc, out))
    assert str(out / "site" / "theme.css") in line and "free some disk space" in line, line
    assert "theme.css" not in line.replace(str(out / "site" / "theme.css"), ""), line


def test_a_markdown_file_of_many_headings_is_read_in_bounded_time(tmp_path):
    path = tmp_path / "headings.md"
    path.write_text("\n\n".join(f"# عنوان {i}" for i in range(80_000)), encoding="utf-8")
    started = time.monotonic()
    (article,) = items(path)
    assert time.monotonic() - started < 30  # a few seconds when linear; about an hour when not
    assert len(article.headings) == 79_999 and article.title == "عنوان 0"


def test_a_heading_line_of_many_hashes_is_read_in_bounded_time(tmp_path):
    path = tmp_path / "hashes.md"
    path.write_text(f"{GOOD}\n\n# " + "#" * 500_000 + "x\n", encoding="utf-8")
    started = time.monotonic()
    (article,) = items(path)
    assert time.monotonic() - started < 30
    assert article.paragraphs[-1].endswith("x")
