"""Whole input files made by hypothesis: any bytes, any encoding, nesting, sizes up to the limits.

However hostile the files beside them, a build completes in bounded time,
publishes every good article, and reports each bad file (or line) in one line.
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nashra.ingest.fields import MAX_ARTICLE_CHARS
from nashra.ingest.formats import SUFFIXES
from nashra.ingest.jsonfiles import MAX_JSON_DEPTH
from oracles import process
from nashra.summarize import get_summarizer
from nashra.testing import StandInTranslator

GOOD_TXT = "أعلنت الحكومة اليوم خطة جديدة لدعم المزارعين في المناطق الريفية.\nوقال الوزير إن الخطة تبدأ الشهر المقبل.\n"
GOOD_JSON = {"id": "good-json", "title": "افتتاح معرض الكتاب", "source": "صحيفة المدينة", "date": "2024-01-20",
             "text": ["افتتح معرض الكتاب أبوابه أمام الزوار.", "ويشارك في المعرض أكثر من 500 دار نشر."]}
ARABIC = "ابتثجحخدذرسشصضطظعغفقكلمنهوي ءآأإةى،؛؟."
#: Limits on each example: a file is made in memory, so the largest ones stay a few megabytes.
SECONDS_PER_BUILD = 60

suffixes = st.sampled_from(sorted(SUFFIXES))
encodings = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1256", "latin-1"])
arabic_text = st.text(alphabet=st.sampled_from(list(ARABIC) + ["\n", "\u202e", "\u200b", "\x00", "#", "<", "&", "*"]),
                      max_size=300)
any_text = st.one_of(st.text(max_size=300), arabic_text)


@st.composite
def encoded(draw: st.DrawFn, text: st.SearchStrategy[str]) -> bytes:
    data = draw(text).encode(draw(encodings), errors="replace")
    if draw(st.booleans()):  # a stray byte or three, anywhere
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=3)) + data[at:]
    return data


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), any_text),
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(any_text, children, max_size=4)),
    max_leaves=20,
)
record = st.fixed_dictionaries({}, optional={
    "id": json_values, "title": json_values, "text": st.one_of(arabic_text, st.lists(arabic_text, max_size=4), json_values),
    "source": json_values, "url": json_values, "date": st.one_of(json_values, st.dates().map(str), st.text(max_size=12)),
    "abstract": json_values,
})


@st.composite
def front_matter(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["fields", "aliases", "nested", "garbage"]))
    if kind == "fields":
        odd = st.sampled_from(["2024-13-45", "9" * 5000, "[1, 2]", "{a: 1}", "!!binary AAAA", "*nothing"])
        keys = draw(st.lists(st.sampled_from(["title", "source", "url", "date", "id", "abstract"]), max_size=4))
        body = "\n".join(f"{key}: {draw(st.one_of(any_text.map(json.dumps), odd))}" for key in keys)
    elif kind == "aliases":
        width, depth = draw(st.integers(1, 12)), draw(st.integers(1, 12))
        lines = ['a0: &a0 "lol"'] + [f"a{i}: &a{i} [{', '.join(f'*a{i - 1}' for _ in range(width))}]"
                                     for i in range(1, depth)]
        body = "\n".join(lines) + f"\ntitle: *a{depth - 1}"
    elif kind == "nested":
        depth = draw(st.integers(1, 20_000))
        body = "title: " + "[" * depth + "]" * draw(st.integers(0, depth))
    else:
        body = draw(any_text)
    return f"---\n{body}\n---\n\n" + draw(arabic_text)


@st.composite
def trec(draw: st.DrawFn) -> str:
    tags = ["<DOC>", "</DOC>", "<TEXT>", "</TEXT>", "<TITLE>", "</TITLE>", "<DOCNO>", "</DOCNO>", "<TIME>", "&amp;", "&#0;"]
    parts = draw(st.lists(st.one_of(st.sampled_from(tags), arabic_text), max_size=30))
    repeat = draw(st.sampled_from([1, 1, 1, 10_000]))  # unclosed tags many times over
    return "".join(parts) * repeat if repeat == 1 else "<DOC><TEXT>" + "<TEXT><TITLE>" * repeat


@st.composite
def hostile_file(draw: st.DrawFn) -> tuple[str, bytes]:
    kind = draw(st.sampled_from(["bytes", "text", "json", "jsonl", "nested-json", "front-matter", "trec", "big", "utf16"]))
    if kind == "bytes":
        return draw(suffixes), draw(st.binary(max_size=3000))
    if kind == "text":
        return draw(suffixes), draw(encoded(any_text))
    if kind == "json":
        return ".json", json.dumps(draw(st.one_of(record, st.lists(record, max_size=3), json_values))).encode()
    if kind == "jsonl":
        lines = draw(st.lists(st.one_of(record.map(json.dumps), any_text, st.just("[" * 50_000)), max_size=5))
        return ".jsonl", "\n".join(lines).encode("utf-8", errors="replace")
    if kind == "nested-json":
        depth = draw(st.integers(MAX_JSON_DEPTH - 2, 200_000))
        opener, closer = draw(st.sampled_from([("[", "]"), ('{"a":', "}")]))
        return draw(st.sampled_from([".json", ".jsonl"])), (opener * depth + "1" + closer * depth).encode()
    if kind == "front-matter":
        return ".md", draw(encoded(front_matter()))
    if kind == "trec":
        return draw(st.sampled_from([".xml", ".txt"])), draw(trec()).encode("utf-8", errors="replace")
    if kind == "big":  # up to and past the article limit: one paragraph of many short sentences
        sentence = draw(st.sampled_from(["جملة قصيرة. ", "خبر!", "د. ", "1. ", "# ", "ب."]))
        count = draw(st.integers(1, MAX_ARTICLE_CHARS // len(sentence) + 100))
        return draw(st.sampled_from([".txt", ".md"])), (sentence * count).encode("utf-8")
    return ".txt", GOOD_TXT.encode("utf-16") + draw(st.binary(min_size=1, max_size=1))


def write_sources(folder: Path, files: list[tuple[str, bytes]]) -> None:
    (folder / "good.txt").write_text(GOOD_TXT, encoding="utf-8")
    (folder / "good.json").write_text(json.dumps(GOOD_JSON, ensure_ascii=False), encoding="utf-8")
    nested = folder / "hostile"
    nested.mkdir()
    for number, (suffix, data) in enumerate(files):
        (nested / f"file-{number}{suffix}").write_bytes(data)


def check_problems(problems: list, folder: Path) -> None:
    for problem in problems:
        line = str(problem)
        assert "\n" not in line and "\r" not in line, line
        assert line.startswith(str(folder)), line


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(hostile_file(), min_size=1, max_size=3))
def test_any_files_beside_good_ones(files: list[tuple[str, bytes]]) -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        write_sources(folder, files)
        started = time.monotonic()
        items, report = process([folder], StandInTranslator(), get_summarizer(), sentences=2)
        assert time.monotonic() - started < SECONDS_PER_BUILD
        ids = {item.article.id for item in items}
        assert "good-json" in ids and any(item.article.path.name == "good.txt" for item in items), report.skipped
        check_problems(report.skipped, folder)
        for item in items:
            assert item.article.title == " ".join(item.article.title.split())
            assert not set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\ufeff") & set(item.article.title)


@pytest.mark.slow
@settings(max_examples=2, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                                 HealthCheck.function_scoped_fixture])
@given(st.lists(hostile_file(), min_size=3, max_size=6))
def test_a_real_build_publishes_every_good_article(tiny_model: Path, files: list[tuple[str, bytes]]) -> None:
    """End to end, with the transformers engine on the tiny model: the site has both good articles."""
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name) / "in"
        folder.mkdir()
        write_sources(folder, files)
        out = Path(name) / "out"
        started = time.monotonic()
        result = CliRunner().invoke(cli_main(), ["build", str(folder), "-o", str(out), "--model", str(tiny_model),
                                                 "--cache", str(Path(name) / "cache.sqlite3")])
        assert time.monotonic() - started < SECONDS_PER_BUILD * 2
        assert result.exit_code == 0, result.output
        assert "Traceback" not in result.output
        assert (out / "site" / "articles" / "good-json.html").is_file()
        pages = {p.name for p in (out / "site" / "articles").glob("*.html")}
        assert len(pages) >= 2, pages
        skipped = [line for line in result.output.splitlines() if line.startswith("  ")]
        for line in skipped:
            assert line.strip().startswith(str(folder)), line


def cli_main():
    from nashra.cli import cli

    return cli
