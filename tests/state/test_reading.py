"""The last build's reading, kept (nashra.state.reading): a daily build takes from it the files the records would
say are settled, without asking of each, and its results are those of a build that asks of every file."""

import json
import os
import random
import sqlite3
from pathlib import Path
from unittest import mock

import pytest

import nashra.ingest.stage as ingest
from nashra.ingest.files import file_stamp, iter_file_names
from nashra.pipeline import run
from nashra.state.reading import order_key
from nashra.state.records import RecordStore
from nashra.summarize import get_summarizer
from nashra.summarize.options import SummaryOptions

WORDS = ("الحكومة", "الوزير", "المدينة", "الاجتماع", "البرلمان", "الاقتصاد", "المباراة", "الفريق", "أعلن", "قال",
         "اليوم", "أمس", "الرئيس", "المجلس", "القرار", "الشركة", "السوق", "النفط", "الأمطار", "المدرسة")


def _article(rng: random.Random, article_id: str) -> str:
    title = " ".join(rng.choice(WORDS) for _ in range(4))
    text = " ".join(" ".join(rng.choice(WORDS) for _ in range(6)) + "." for _ in range(rng.randint(2, 4)))
    return json.dumps({"id": article_id, "title": title, "text": text}, ensure_ascii=False)


def _write(path: Path, lines: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


class Build:
    """What one build gave: its report's counts, its articles in the order read, and which files it read and which
    it asked of in SQL."""

    def __init__(self, folder: Path, records: Path, translator, sentences: int = 3, kept: bool = True) -> None:
        if not kept and records.exists():  # a build that asks of every file: the kept reading forgotten first
            plain = sqlite3.connect(records)
            with plain:
                plain.execute("DELETE FROM meta WHERE key = 'reading'")
            plain.close()
        self.read: list[str] = []
        self.asked: list[str] = []
        real_read, real_sql = ingest.read_file, RecordStore._settled_in_sql

        def counted(path):
            self.read.append(str(path.relative_to(folder)))
            return real_read(path)

        def asked(store, files, *args):
            self.asked.extend(str(Path(path).relative_to(folder)) for path, _ in files)
            return real_sql(store, files, *args)

        store = RecordStore(records)
        try:
            with mock.patch.object(ingest, "read_file", counted), \
                    mock.patch.object(RecordStore, "_settled_in_sql", asked):
                briefing = run([folder], translator, get_summarizer(), store, SummaryOptions(sentences=sentences))
            report = briefing.report
            self.counts = (report.articles, report.sentences, report.flagged, dict(report.flag_counts),
                           report.translated, report.summarized, report.removed, [str(p) for p in report.skipped])
            self.order = [article_id for article_id, _, _ in store.read_page_states()]
            self.articles = sorted((item.article.id, item.translated.translations, item.summary_ar)
                                   for item in briefing.articles())
        finally:
            store.close()


def _archive(folder: Path, rng: random.Random, files: int) -> dict[Path, list[str]]:
    contents: dict[Path, list[str]] = {}
    for n in range(files):
        name = folder / rng.choice(["", "sub/", "sub.d/", "sub/deeper/"]) / f"{rng.choice('abmxz')}{n:02d}.jsonl"
        contents[name] = [_article(rng, f"{name.stem}-{k}") for k in range(rng.randint(1, 3))]
        _write(name, contents[name])
    return contents


def _built(tmp_path: Path, translator, seed: int, files: int) -> tuple[Path, dict[Path, list[str]], Path, Build]:
    """An archive of ``files`` random files in ``tmp_path/articles``, built once: the folder, its files' articles,
    the records and the build."""
    folder = tmp_path / "articles"
    contents = _archive(folder, random.Random(seed), files)
    records = tmp_path / "records.sqlite3"
    return folder, contents, records, Build(folder, records, translator)


def test_a_build_with_nothing_changed_asks_of_no_file(tmp_path, dict_translator):
    folder, _, records, first = _built(tmp_path, dict_translator.impl, 1, 12)
    assert len(first.read) == 12
    second = Build(folder, records, dict_translator.impl)  # the first build's reading was kept once translated
    assert second.read == [] and second.asked == []
    assert (second.counts, second.order, second.articles) == (
        first.counts[:4] + (0, 0, 0, []), first.order, first.articles)
    # One new file: asked of (and read) alone; the kept files around it are taken in the walk's order.
    _write(folder / "m-new.jsonl", [_article(random.Random(2), "new-0")])
    third = Build(folder, records, dict_translator.impl)
    assert third.read == third.asked == ["m-new.jsonl"]
    fresh = Build(folder, tmp_path / "fresh.sqlite3", dict_translator.impl)
    assert third.order == fresh.order and third.articles == fresh.articles


def test_a_record_another_program_writes_makes_its_file_read_again(tmp_path, dict_translator):
    """The kept reading is told of a record written since by triggers of the file itself: a program without
    Nashra's own (an older version, the sqlite3 shell) counts too."""
    folder, contents, records, _ = _built(tmp_path, dict_translator.impl, 3, 6)
    target = sorted(contents)[2]
    article_id = json.loads(contents[target][0])["id"]
    plain = sqlite3.connect(records)
    with plain:
        plain.execute("UPDATE records SET digest = NULL WHERE id = ?", (article_id,))  # left out of the site
    plain.close()
    again = Build(folder, records, dict_translator.impl)
    assert again.read == again.asked == [str(target.relative_to(folder))]
    store = RecordStore(records)
    try:
        assert store.get(article_id).has_digest  # made again
    finally:
        store.close()


def test_other_settings_drop_the_kept_reading(tmp_path, dict_translator):
    folder, _, records, _ = _built(tmp_path, dict_translator.impl, 4, 5)
    other = Build(folder, records, dict_translator.impl, sentences=2)  # every summary made again
    assert len(other.asked) == len(other.read) == 5
    assert other.counts[5] == other.counts[0]
    again = Build(folder, records, dict_translator.impl, sentences=2)
    assert again.asked == again.read == []


def test_a_build_stopped_after_reading_leaves_the_kept_reading_true(tmp_path, dict_translator):
    """A build stopped before its reading is kept (here: in translation) leaves the last one, which the records it
    wrote since make the next build ask of again."""
    folder, contents, records, _ = _built(tmp_path, dict_translator.impl, 5, 8)
    changed = sorted(contents)[3]
    _write(changed, [_article(random.Random(6), json.loads(line)["id"]) for line in contents[changed]])
    _write(folder / "c-new.jsonl", [_article(random.Random(7), "c-new-0")])
    import nashra.pipeline as pipeline

    with mock.patch.object(pipeline, "translate", side_effect=KeyboardInterrupt), pytest.raises(KeyboardInterrupt):
        Build(folder, records, dict_translator.impl)
    after = Build(folder, records, dict_translator.impl)
    assert sorted(after.read) == sorted([str(changed.relative_to(folder)), "c-new.jsonl"])
    fresh = Build(folder, tmp_path / "fresh.sqlite3", dict_translator.impl)
    assert (after.order, after.articles) == (fresh.order, fresh.articles)
    assert after.counts[:4] == fresh.counts[:4]


def test_the_kept_reading_follows_files_that_lose_articles_or_move(tmp_path, dict_translator):
    folder, contents, records, _ = _built(tmp_path, dict_translator.impl, 8, 6)
    shrunk = next(name for name in sorted(contents) if len(contents[name]) > 1)
    _write(shrunk, contents[shrunk][:1])
    moved = next(name for name in sorted(contents) if name != shrunk)
    moved.rename(folder / "sub" / "moved.jsonl")
    Build(folder, records, dict_translator.impl)
    plain = sqlite3.connect(records)
    try:
        listed = dict(plain.execute("SELECT path, count(*) FROM reading GROUP BY path"))
    finally:
        plain.close()
    assert listed[str(shrunk)] == 1 and str(moved) not in listed and listed[str(folder / "sub" / "moved.jsonl")]
    assert len(listed) == 6
    again = Build(folder, records, dict_translator.impl)
    assert again.asked == again.read == []


def test_a_file_whose_record_changes_after_it_was_taken_is_kept_only_if_still_settled(tmp_path, dict_translator):
    """A record written after its file was taken, in the same build (here: its digest gone after translation):
    the kept reading checks the file again before keeping it, so the next build reads it."""
    import nashra.pipeline as pipeline

    folder, contents, records, _ = _built(tmp_path, dict_translator.impl, 9, 5)
    target = sorted(contents)[1]
    article_id = json.loads(contents[target][0])["id"]
    real = pipeline.translate

    def then_unsettled(stage, *args):
        real(stage, *args)
        stage.store.connection.execute("UPDATE records SET digest = NULL WHERE id = ?", (article_id,))

    with mock.patch.object(pipeline, "translate", then_unsettled):
        taken = Build(folder, records, dict_translator.impl)
    assert taken.read == []
    after = Build(folder, records, dict_translator.impl)
    assert after.read == after.asked == [str(target.relative_to(folder))]


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_builds_taking_from_the_kept_reading_give_what_builds_asking_of_every_file_give(tmp_path, dict_translator,
                                                                                        seed):
    """Day after day of changes (files added anywhere in the walk, rewritten, touched, removed, an id repeated in
    another file, a record written): each build that takes from the kept reading reads no file that a build asking
    of every file in SQL would not, and gives the same articles, in the same order, with the same counts."""
    rng = random.Random(seed)
    folder = tmp_path / "articles"
    contents = _archive(folder, rng, 14)
    kept, asking = tmp_path / "kept.sqlite3", tmp_path / "asking.sqlite3"
    taken = 0
    for day in range(8):
        if day:
            for _ in range(rng.randint(1, 3)):
                change = rng.choice(["add", "add", "rewrite", "touch", "remove", "move", "repeat", "record"])
                names = sorted(contents)
                if change == "add":
                    place = rng.choice(["", "sub/", "sub/deeper/", "new/"])
                    name = folder / place / f"{rng.choice('abmxz')}{day}{rng.randint(0, 99)}.jsonl"
                    contents[name] = [_article(rng, f"{name.stem}-{k}") for k in range(rng.randint(1, 2))]
                    _write(name, contents[name])
                elif change == "rewrite":  # the same ids, an article more or fewer
                    name = rng.choice(names)
                    ids = [json.loads(line)["id"] for line in contents[name]]
                    ids = ids[:-1] if len(ids) > 1 and rng.random() < 0.5 else [*ids, f"{name.stem}-{day}"]
                    contents[name] = [_article(rng, article_id) for article_id in ids]
                    _write(name, contents[name])
                elif change == "touch":
                    name = rng.choice(names)
                    stat = name.stat()
                    os.utime(name, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
                elif change == "remove" and len(names) > 3:
                    name = rng.choice(names)
                    name.unlink()
                    del contents[name]
                elif change == "move":  # the same articles under another name
                    name = rng.choice(names)
                    moved = folder / rng.choice(["", "sub/", "new/"]) / f"moved{day}-{name.name}"
                    moved.parent.mkdir(parents=True, exist_ok=True)
                    name.rename(moved)
                    contents[moved] = contents.pop(name)
                elif change == "repeat":
                    source = rng.choice(names)
                    name = folder / f"{rng.choice('abz')}-again{day}.jsonl"
                    contents[name] = [_article(rng, json.loads(contents[source][0])["id"])]
                    _write(name, contents[name])
                elif change == "record":
                    article_id = json.loads(rng.choice(list(contents.values()))[0])["id"]
                    for path in (kept, asking):
                        store = RecordStore(path)
                        try:
                            store.connection.execute("UPDATE records SET digest = NULL WHERE id = ?", (article_id,))
                        finally:
                            store.close()
        with_kept = Build(folder, kept, dict_translator.impl)
        every = Build(folder, asking, dict_translator.impl, kept=False)
        assert sorted(with_kept.read) == sorted(every.read), day
        assert with_kept.counts == every.counts, day
        assert (with_kept.order, with_kept.articles) == (every.order, every.articles), day
        if day:
            assert len(every.asked) == len(contents)  # every file asked of in SQL
            taken += len(contents) - len(with_kept.asked)
        # The kept reading lists files as they are now, each with its articles as read (none gone or changed).
        plain = sqlite3.connect(kept)
        try:
            listed = plain.execute("SELECT path, stamp, group_concat(id, ' ') FROM (SELECT * FROM reading"
                                   " ORDER BY key, place) GROUP BY path").fetchall()
        finally:
            plain.close()
        for path, stamp, ids in listed:
            name = Path(path)
            assert name in contents and file_stamp(name) == stamp, (day, path)
            assert ids.split() == [json.loads(line)["id"] for line in contents[name]], (day, path)
    assert taken > 40  # most files of the later days were taken from the kept reading


def test_order_keys_sort_as_the_walk_gives_the_files(tmp_path):
    folder = tmp_path / "articles"
    for name in ("a/x.md", "a.md", "a-b.md", "a b.md", "B.md", "a/b/c.md", "ab.md", "é.md", "a0.md"):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text("x", encoding="utf-8")
    walked = list(iter_file_names([folder]))
    assert len(walked) == 9
    assert sorted(walked, key=order_key) == walked
