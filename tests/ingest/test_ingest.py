import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from nashra.errors import InputError
from nashra.ingest.fields import derive_title, make_id, parse_date
from nashra.ingest.files import decode, iter_file_names, iter_files
from nashra.ingest.stage import load, read_file


def read_one(path: Path):
    items = list(read_file(path))
    assert len(items) == 1, items
    assert not isinstance(items[0], InputError), items[0]
    return items[0]


def test_plain_text_paragraphs_and_derived_title(data_dir):
    article = read_one(data_dir / "plain.txt")
    assert len(article.paragraphs) == 5
    assert article.title_derived
    assert article.title.startswith("أعلنت وزارة الصحة")
    assert len(article.title) <= 91
    assert article.source is None and article.date is None
    assert article.id.startswith("a-")


def test_derived_title_cut_at_word_boundary():
    words = " ".join(["كلمة"] * 40) + "."
    title = derive_title([words])
    assert title.endswith("…")
    assert title[:-1].split(" ")[-1] == "كلمة"
    assert len(title) <= 91


def test_markdown_front_matter(data_dir):
    article = read_one(data_dir / "article.md")
    assert article.id == "farmers-plan-2024"
    assert article.title == "الحكومة تعلن خطة لدعم المزارعين"
    assert article.source == "وكالة الأنباء"
    assert article.url == "https://example.org/news/farmers"
    assert article.date == datetime(2024, 3, 5, 8, 15, tzinfo=timezone.utc)
    # The in-body heading is kept as a paragraph; Markdown lines of one block are joined.
    assert article.paragraphs[1] == "أعلنت الحكومة اليوم خطة جديدة لدعم المزارعين في المناطق الريفية. وتشمل الخطة قروضاً ميسرة وبذوراً محسنة."
    assert not article.title_derived


def test_markdown_heading_becomes_title_without_front_matter(tmp_path):
    path = tmp_path / "a.md"
    path.write_text("# عنوان المقال\n\nنص المقال باللغة العربية.\n", encoding="utf-8")
    article = read_one(path)
    assert article.title == "عنوان المقال"
    assert article.paragraphs == ("نص المقال باللغة العربية.",)


def test_trec_in_txt_file(data_dir):
    article = read_one(data_dir / "trec.txt")
    assert article.id == "xx-economy-12-20180302"
    assert article.title == "ارتفاع أسعار النفط & تراجع الدولار"  # not well-formed XML, read anyway
    assert article.source == "Example News"
    assert article.url == "http://example.com/economy/12"
    assert article.date == datetime(2018, 3, 2, 9, 30, tzinfo=timezone.utc)
    assert article.abstract == "ارتفعت أسعار النفط في تعاملات اليوم."
    assert len(article.paragraphs) == 3


def test_trec_xml_with_two_documents(data_dir):
    items = list(read_file(data_dir / "two-docs.xml"))
    assert [a.id for a in items] == ["xx-sport-1-20180401", "xx-sport-2-20180402"]
    # No TIME: the date comes from the DOCNO.
    assert items[1].date == datetime(2018, 4, 2, tzinfo=timezone.utc)


def test_json_list_and_jsonl(data_dir):
    items = list(read_file(data_dir / "articles.json"))
    assert [a.title for a in items] == ["افتتاح معرض الكتاب", "أمطار غزيرة في العاصمة"]
    assert items[0].id == "json-1" and items[0].source == "صحيفة المدينة"
    assert items[1].paragraphs == ("هطلت أمطار غزيرة على العاصمة.", "وأغلقت السلطات عدة طرق.")
    lines = list(read_file(data_dir / "articles.jsonl"))
    assert [a.id for a in lines] == ["line-1", "line-2"]
    assert lines[0].date == datetime(2024, 2, 10, 18, 0, tzinfo=timezone.utc)


def test_ids_are_stable_and_url_safe(data_dir):
    first = read_one(data_dir / "plain.txt").id
    second = read_one(data_dir / "plain.txt").id
    assert first == second
    assert make_id("BB-culture/181 20180530", "x") .startswith("bb-culture-181-20180530-")
    unsafe = make_id("../../etc/passwd", "x")
    assert "/" not in unsafe and not unsafe.startswith(".")
    assert make_id(None, "نص") == make_id(None, "  نص ")


@pytest.mark.parametrize(
    "name, reason",
    [
        ("empty.txt", "no article text"),
        ("english.txt", "no Arabic text"),
        ("front-matter.md", "malformed YAML front matter"),
        ("broken.json", "malformed JSON"),
        ("binary.txt", "binary file"),
        ("no-text.xml", "no <TEXT>"),
    ],
)
def test_bad_files_are_reported_by_name(data_dir, name, reason):
    items = list(read_file(data_dir / "bad" / name))
    assert len(items) == 1
    assert isinstance(items[0], InputError)
    assert name in str(items[0]) and reason in str(items[0])


def test_load_skips_bad_files_and_keeps_good_ones(data_dir, tmp_path):
    result = load([data_dir])
    ids = {a.id for a in result.articles}
    assert {"farmers-plan-2024", "json-1", "line-1", "xx-economy-12-20180302"} <= ids
    skipped = {Path(str(problem.path).split(" (")[0]).name for problem in result.problems}
    # Every file under bad/, and the English-only text the tiny model is trained on.
    assert skipped == {p.name for p in (data_dir / "bad").iterdir()} | {"target-en.txt"}


def test_duplicate_ids_are_reported(data_dir, tmp_path):
    copy = tmp_path / "copy.md"
    copy.write_text((data_dir / "article.md").read_text(encoding="utf-8"), encoding="utf-8")
    result = load([data_dir / "article.md", copy])
    assert len(result.articles) == 1
    assert "duplicate article id 'farmers-plan-2024'" in str(result.problems[0])


def test_missing_source_raises(tmp_path):
    with pytest.raises(InputError, match="no such file or folder"):
        list(iter_files([tmp_path / "nope"]))


def test_decode_encodings():
    text = "مرحبا بالعالم"
    assert decode(text.encode("utf-8"), "x") == text
    assert decode(b"\xef\xbb\xbf" + text.encode("utf-8"), "x") == text
    assert decode(text.encode("utf-16"), "x") == text
    assert decode(text.encode("cp1256"), "x") == text


def test_parse_date_formats():
    assert parse_date("Mon, 26 Feb 2018 02:20:10 GMT") == datetime(2018, 2, 26, 2, 20, 10, tzinfo=timezone.utc)
    assert parse_date("2024-01-20") == datetime(2024, 1, 20, tzinfo=timezone.utc)
    assert parse_date("not a date") is None
    assert parse_date(None) is None


def test_markdown_headings_are_marked_and_never_summarized(data_dir):
    from nashra.summarize import get_summarizer
    from nashra.text.segment import segment

    article = read_one(data_dir / "article.md")
    assert article.headings == frozenset({0})
    segmented = segment(article)
    assert segmented.sentences[0].heading and segmented.sentences[0].text == "عنوان داخل النص لا يستخدم"
    texts = [s.text for s in segmented.sentences]
    exclude = {i for i, s in enumerate(segmented.sentences) if s.heading}
    assert 0 not in get_summarizer().summarize(texts, 3, "ar", exclude=exclude)


def test_folders_are_walked_in_sorted_order_without_hidden_files(tmp_path):
    for relative in ["b.txt", "a/z.md", "a/.draft.txt", ".git/x.txt", "a.txt", "a/sub/c.xml", "notes.pdf", "a/y.json"]:
        target = tmp_path / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("نص", encoding="utf-8")
    found = [p.relative_to(tmp_path).as_posix() for p in iter_files([tmp_path])]
    assert found == ["a/sub/c.xml", "a/y.json", "a/z.md", "a.txt", "b.txt"]
    assert found == [p.relative_to(tmp_path).as_posix() for p in sorted(map(tmp_path.joinpath, found))]


@pytest.mark.parametrize("given", [".", "./news", "news/", "news//sub/..", "ABSOLUTE", "news/a.txt"])
def test_a_file_is_named_as_pathlib_joins_the_folder_given_and_its_path_inside(tmp_path, monkeypatch, given):
    """The walk writes paths as text; each is the text of ``Path(given) / inside``, which a build's records of its
    input files are keyed by (a file named otherwise would be read again as if changed)."""
    monkeypatch.chdir(tmp_path)
    for relative in ("news/a.txt", "news/sub/b.md"):
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text("نص", encoding="utf-8")
    given = str(tmp_path / "news") if given == "ABSOLUTE" else given
    root = Path(given)
    found = list(iter_file_names([given]))
    assert found == [str(p) for p in iter_files([given])]
    if root.is_file():
        assert found == [str(root)]
        return
    inside = sorted(p.relative_to(root).parts for p in root.rglob("*") if p.is_file())
    assert found == [str(root.joinpath(*parts)) for parts in inside]
    assert len(found) == 2


def test_a_decoding_warning_shows_an_odd_file_name_escaped(tmp_path, caplog):
    """A file name with a line break or a bidi control cannot split the warning or make it read otherwise."""
    path = tmp_path / "a\nb\u202egpj.txt"
    path.write_bytes("عنوان\n\nنص المقالة ".encode() + b"\xff" + "هنا.".encode())
    with caplog.at_level("WARNING"):
        articles = [a for a in read_file(path) if not isinstance(a, Exception)]
    assert len(articles) == 1
    (message,) = [r.getMessage() for r in caplog.records if "invalid UTF-8" in r.getMessage()]
    assert "\n" not in message and "\u202e" not in message
    assert "a\\u000ab\\u202egpj.txt" in message


def test_a_file_reached_twice_is_read_once(tmp_path):
    """The same folder given twice, or a folder and a file inside it, read each article once: no duplicate-id
    problem for every article (which would fail a --strict build)."""
    folder = tmp_path / "news"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text("عنوان أول\n\nنص المقالة الأولى.", encoding="utf-8")
    (folder / "sub" / "b.txt").write_text("عنوان ثان\n\nنص المقالة الثانية.", encoding="utf-8")
    given = [folder, folder, str(folder) + "/", folder / "sub", folder / "a.txt", folder / "sub" / ".." / "a.txt"]
    found = [p.relative_to(folder).as_posix() for p in iter_files(given)]
    assert found == ["a.txt", "sub/b.txt"]
    result = load(given)
    assert sorted(a.title for a in result.articles) == ["عنوان أول", "عنوان ثان"]
    assert result.problems == []


def test_surrogate_escapes_in_yaml_and_json_are_mended_not_a_stopped_build(tmp_path, caplog):
    """YAML keeps an escaped UTF-16 pair as two lone surrogates, which cannot be written as UTF-8: the pair
    becomes its character, a lone one U+FFFD with a warning naming the file, and the article is read."""
    import json

    from nashra.ingest.stage import read_file
    from nashra.state.records import fingerprint

    text = "أعلنت الحكومة اليوم خطة جديدة للمزارعين."
    md = tmp_path / "a.md"
    md.write_text('---\nsource: "\\ud83d\\ude00 \\ud800 وكالة"\ntitle: "عنوان \\udc00"\n---\n\n' + text, encoding="utf-8")
    js = tmp_path / "b.json"
    js.write_text(json.dumps({"title": "عنوان", "text": text + " \\ud800"}).replace("\\\\ud800", "\\ud800"),
                  encoding="utf-8")
    with caplog.at_level("WARNING"):
        (article,) = read_file(md)
        (other,) = read_file(js)
    assert article.source == "\U0001F600 \ufffd وكالة" and article.title == "عنوان \ufffd"
    assert other.paragraphs[-1].endswith("\ufffd")
    for item in (article, other):
        fingerprint(item)  # encodable as UTF-8
    assert any(str(md) in r.getMessage() and "'source'" in r.getMessage() for r in caplog.records)
    assert any(str(js) in r.getMessage() and "'text'" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("value", ["9999-12-31T23:59:59-12:00", "0001-01-01T00:00:00+14:00", "Fri, 31 Dec 9999 23:59:59 -1200",
                                   "99991231", "00010101", datetime(1, 1, 1), datetime(9999, 12, 31).date()])
def test_a_date_past_the_calendar_s_ends_is_ignored_with_a_warning(value, caplog):
    # 9999-12-31 at UTC-12 is year 10000 in UTC: converting it (to sort the archive) overflowed and stopped the build.
    with caplog.at_level("WARNING"):
        assert parse_date(value, "a.md") is None
    assert any(r.getMessage().startswith("a.md: date ") and "ignored" in r.getMessage() for r in caplog.records)


def test_a_build_with_dates_at_the_calendar_s_ends_publishes_every_article(tmp_path, tiny_model):
    from click.testing import CliRunner

    from nashra.cli import cli

    text = "أعلنت الحكومة اليوم خطة جديدة لدعم المزارعين في المناطق الريفية. وقال الوزير إن الخطة تبدأ الشهر المقبل."
    for name, stamp in [("late", "9999-12-31T23:59:59-12:00"), ("early", "0001-01-01T00:00:00+14:00"),
                        ("fine", "2024-01-20")]:
        (tmp_path / f"{name}.md").write_text(f"---\ndate: {stamp}\n---\n\n{text} {name}\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", str(tmp_path), "-o", str(tmp_path / "out"), "--model", str(tiny_model),
                                      "--no-cache"])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert len(list((tmp_path / "out" / "docs" / "articles").glob("*.en.md"))) == 3


def test_ids_that_differ_only_in_accents_or_letters_ascii_lacks_stay_apart():
    # "é" lost its accent and became "e": the article of id "é" was skipped as a duplicate of "e".
    assert make_id("e", "x") == "e"
    assert make_id("é", "x") != "e"
    assert make_id("café", "x") != make_id("cafe", "x")
    assert make_id("خبر-1", "x") != make_id("تقرير-1", "x")
    assert make_id("café", "x") == make_id(" café ", "x")


def test_front_matter_values_are_the_text_written_not_yaml_booleans_or_numbers(tmp_path):
    # YAML 1.1 made "NO" False (shown as the outlet "False"), "0123" the octal 83 and "1.10" the number 1.1.
    text = "أعلنت الحكومة اليوم خطة جديدة لدعم المزارعين في المناطق الريفية."
    one, two = tmp_path / "a.md", tmp_path / "b.md"
    one.write_text(f"---\nid: 0123\nsource: NO\ntitle: 1.10\ndate: 20240120\n---\n\n{text}\n", encoding="utf-8")
    two.write_text(f"---\nid: 83\ntitle: yes\nsource: !!str on\n---\n\n{text} ب\n", encoding="utf-8")
    result = load([tmp_path])
    assert not result.problems
    first, second = result.articles
    assert (first.id, first.source, first.title) == ("0123", "NO", "1.10")
    assert first.date == datetime(2024, 1, 20, tzinfo=timezone.utc)
    assert (second.id, second.title, second.source) == ("83", "yes", "on")


@pytest.mark.parametrize("field", ["title", "source", "url", "abstract", "id"])
def test_a_json_boolean_for_a_text_field_skips_its_item_naming_the_field(tmp_path, field):
    # "source": false was published as the outlet "False".
    text = "أعلنت الحكومة اليوم خطة جديدة لدعم المزارعين في المناطق الريفية."
    path = tmp_path / "a.json"
    path.write_text(json.dumps([{"id": "ok", "text": text}, {"id": "bad", "text": text + " ب", field: False}]),
                    encoding="utf-8")
    result = load([path])
    assert [a.id for a in result.articles] == ["ok"]
    (problem,) = result.problems
    assert "(item 1)" in str(problem) and f"'{field}' must be text, not false" in str(problem)


def test_a_file_name_that_is_not_utf8_is_one_skip_line_the_others_are_read(tmp_path):
    # Its name, b"bad\xff.txt", reached the build records as a lone surrogate and stopped the build.
    import os

    text = "أعلنت الحكومة اليوم خطة جديدة لدعم المزارعين في المناطق الريفية."
    folder = os.fsencode(tmp_path)
    for name, extra in [(b"bad\xff.txt", ""), (b"good.txt", " ب"), (b"new\nline.txt", " ج")]:
        with open(os.path.join(folder, name), "wb") as file:
            file.write((text + extra).encode("utf-8"))
    result = load([tmp_path])
    assert sorted(a.path.name for a in result.articles) == ["good.txt", "new\nline.txt"]
    (problem,) = result.problems
    assert str(problem) == f"{tmp_path}/bad\\xff.txt: the file name is not valid UTF-8; rename the file (or its folder)"


def test_a_skip_line_shows_a_file_name_s_line_breaks_and_bidi_controls_as_escapes():
    assert str(InputError("a\nb\u202e.txt", "empty")) == "a\\u000ab\\u202e.txt: empty"
    assert str(InputError("مقالات/خبر 1.md", "empty")) == "مقالات/خبر 1.md: empty"


def test_a_jsonl_record_holding_u2028_or_nel_in_a_string_is_one_record(tmp_path):
    # JSON allows U+2028, U+2029 and U+0085 in strings as they are; splitlines() cut such a record in three
    # skip lines and numbered the next records wrongly.
    text = "أعلنت الحكومة اليوم خطة جديدة لدعم المزارعين في المناطق الريفية."
    path = tmp_path / "a.jsonl"
    records = [{"id": "a", "text": f"{text}\u2028{text}\u2029ب\x85ج"}, {"id": "b", "text": text + " ب"}, "bad"]
    path.write_text("\r\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    found = list(read_file(path))
    assert [a.id for a in found if not isinstance(a, InputError)] == ["a", "b"]
    (problem,) = [p for p in found if isinstance(p, InputError)]
    assert "(line 3)" in str(problem)


@pytest.mark.parametrize("encoding", ["utf-32", "utf-32-be", "utf-16", "utf-16-be"])
def test_utf32_and_utf16_with_a_byte_order_mark_are_read_without_nuls(encoding):
    # UTF-32-LE's mark (FF FE 00 00) starts with UTF-16-LE's: the text was read with a NUL after every letter.
    text = "أعلنت الحكومة اليوم خطة جديدة"
    data = ("\ufeff" + text).encode(encoding) if encoding.endswith("-be") else text.encode(encoding)
    assert decode(data, "a.txt") == text


@pytest.mark.parametrize("field", ["title", "source", "url", "abstract", "id", "date"])
def test_yaml_binary_for_a_text_field_skips_the_file_naming_the_field(tmp_path, field):
    # "title: !!binary AAAA" was published as the title "b'\x00\x00\x00'".
    path = tmp_path / "a.md"
    path.write_text(f"---\n{field}: !!binary AAAA\n---\n\nأعلنت الحكومة اليوم خطة جديدة لدعم المزارعين\n", encoding="utf-8")
    (problem,) = read_file(path)
    assert isinstance(problem, InputError) and str(problem) == f"{path}: '{field}' must be text, not binary data"


def test_a_duplicate_id_inside_a_jsonl_or_json_file_names_its_line_or_item_and_the_first(tmp_path):
    text = "أعلنت الحكومة اليوم خطة جديدة لدعم المزارعين في المناطق الريفية."
    lines = tmp_path / "a.jsonl"
    lines.write_text("\n".join(json.dumps({"id": "x", "text": text + " " + str(i)}) for i in range(3)), encoding="utf-8")
    items = tmp_path / "b.json"
    items.write_text(json.dumps([{"id": "y", "text": text}, {"id": "y", "text": text + " ب"}]), encoding="utf-8")
    problems = [str(p) for p in load([lines, items]).problems]
    assert problems == [f"{lines} (line 2): duplicate article id 'x' (first seen in {lines} (line 1))",
                        f"{lines} (line 3): duplicate article id 'x' (first seen in {lines} (line 1))",
                        f"{items} (item 1): duplicate article id 'y' (first seen in {items} (item 0))"]


@pytest.mark.parametrize("suffix", [".txt", ".md", ".json", ".jsonl", ".xml", ".markdown"])
def test_an_empty_file_is_the_same_skip_line_in_every_format(tmp_path, suffix):
    # An empty .jsonl gave no line at all, an empty .json "malformed JSON".
    path = tmp_path / f"empty{suffix}"
    path.write_text(" \n\n", encoding="utf-8")
    (problem,) = read_file(path)
    assert str(problem) == f"{path}: no article text (empty or whitespace only)"


def test_a_byte_order_mark_inside_a_jsonl_file_is_not_a_malformed_line(tmp_path):
    # Two files joined with cat: the second one's mark stood before its first line.
    text = "أعلنت الحكومة اليوم خطة جديدة لدعم المزارعين في المناطق الريفية."
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"id": "a", "text": text}) + "\n\ufeff" + json.dumps({"id": "b", "text": text + " ب"}),
                    encoding="utf-8-sig")
    assert [a.id for a in read_file(path)] == ["a", "b"]


def test_a_file_reached_through_links_is_read_once_and_a_link_out_of_the_folder_is_read(tmp_path):
    """A folder's files are known by the folder's real path and their path in it, a file link by its target."""
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "a.txt").write_text("عنوان\n\nنص.", encoding="utf-8")
    (folder / "b.txt").symlink_to(folder / "a.txt")  # the same file again, under another name
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("عنوان آخر\n\nنص آخر.", encoding="utf-8")
    (folder / "c.txt").symlink_to(elsewhere)
    (tmp_path / "alias").symlink_to(folder, target_is_directory=True)
    found = [p.relative_to(tmp_path).as_posix() for p in iter_files([folder, tmp_path / "alias", elsewhere])]
    assert found == ["news/a.txt", "news/c.txt"]


@pytest.mark.parametrize("table", [False, True], ids=["dict", "build records"])
def test_known_files_are_taken_a_run_at_a_time_and_checked_for_repeated_ids_against_the_files_read_between_them(
        tmp_path, table):
    """Known files are taken a run at a time, before the next file is read: a file read after a run sees the ids
    of the known files before it, and a known file whose id was read before is given back, read, and its
    repeated id reported (as in a build that reads every file)."""
    from nashra.ingest.stage import iter_inputs
    from nashra.state.records import RecordStore

    ids = {"a.md": "first", "b.md": "first", "c.md": "third", "d.md": "third", "e.md": "fifth", "f.md": "sixth"}
    for name, article_id in ids.items():
        (tmp_path / name).write_text(f"---\nid: {article_id}\ntitle: عنوان\n---\n\nنص المقالة هنا.\n", encoding="utf-8")
    store = RecordStore(None) if table else None
    seen = store.first_read() if store is not None else {}
    runs: list[list[str]] = []

    class Known:  # unchanged since a build read them: not read again
        def settled(self, files):  # noqa: ANN001, ANN202
            return {path for path, _stamp in files if Path(path).name in {"a.md", "d.md", "e.md", "f.md"}}

        def take(self, paths):  # noqa: ANN001, ANN202
            runs.append([Path(p).name for p in paths])
            for taken, p in enumerate(paths):
                if ids[Path(p).name] in seen:
                    return taken
                seen[ids[Path(p).name]] = p
            return len(paths)

    problems: list = []
    items = list(iter_inputs([tmp_path], problems, seen, Known()))
    # d, its id c's, is read in its place (and reported), then the rest of its run taken.
    assert runs == [["a.md"], ["d.md", "e.md", "f.md"], ["e.md", "f.md"]]
    # Read: b (after a, taken: its id repeated, reported), c, then d (its id is c's: reported).
    assert [(Path(item.path).name, item.id) for item in items] == [("c.md", "third")]
    reported = sorted(str(p) for p in problems)
    assert len(reported) == 2 and all("duplicate article id" in line for line in reported)
    assert "b.md" in reported[0] and "a.md" in reported[0] and "d.md" in reported[1] and "c.md" in reported[1]
    assert all(article_id in seen for article_id in ("first", "third", "fifth", "sixth"))
