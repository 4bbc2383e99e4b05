"""Command-line behaviour, through click's CliRunner."""

import json
import logging
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from nashra import __version__
from nashra.cli import cli


def run(*args, input=None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def test_help_lists_commands_with_examples():
    result = run("--help")
    assert result.exit_code == 0
    assert set(cli.commands) == {"build", "translate", "summarize", "convert-model", "init", "serve", "fetch",
                                 "evaluate", "translate-archive"}
    for command in cli.commands:
        assert command in result.output
        sub = run(command, "--help")
        assert sub.exit_code == 0 and "Example:" in sub.output


def test_version():
    assert __version__ in run("--version").output


def test_help_does_not_import_heavy_modules():
    code = "import sys; from nashra.cli import cli; import nashra.cli; print(any(m in sys.modules for m in ('torch', 'transformers', 'mkdocs', 'trafilatura', 'feedparser', 'ray')))"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "False"


def test_summarize_json_indices_count_segmented_sentences(data_dir):
    result = run("summarize", str(data_dir / "plain.txt"), "--sentences", "2", "--format", "json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    indices = [s["index"] for s in payload["sentences"]]
    assert len(indices) == 2 and indices == sorted(indices)
    from nashra.text.segment import segment_paragraphs

    sentences = segment_paragraphs((data_dir / "plain.txt").read_text(encoding="utf-8").splitlines())
    assert [s["text"] for s in payload["sentences"]] == [sentences[i].text for i in indices]


def test_summarize_text_from_stdin_in_english():
    text = "The strikes hit two sites in Syria.\nThe weather was mild.\nOfficials said the strikes in Syria answered attacks.\n"
    result = run("summarize", "-", "--lang", "en", "--sentences", "1", input=text)
    assert result.exit_code == 0
    assert len(result.output.strip().splitlines()) == 1


def test_summarize_structured_file(data_dir):
    result = run("summarize", str(data_dir / "trec.txt"), "-n", "1")
    assert result.exit_code == 0 and result.output.strip()


def test_summarize_reads_a_file_once_and_finds_trec_as_build_does(tmp_path, data_dir):
    damaged = tmp_path / "damaged.txt"
    damaged.write_bytes("أعلنت الوزارة خطة جديدة للتعليم.\nوقال الوزير إن الخطة تبدأ غدا.\n".encode() + b"\xff\n")
    result = run("summarize", str(damaged), "--format", "json")
    assert result.exit_code == 0
    assert result.stderr.count("invalid UTF-8") == 1
    lower = tmp_path / "lower.txt"
    lower.write_text((data_dir / "trec.txt").read_text(encoding="utf-8").replace("<DOC>", "<doc>", 1)
                     .replace("</DOC>", "</doc>"), encoding="utf-8")
    assert run("summarize", str(lower), "-n", "5").output == run("summarize", str(data_dir / "trec.txt"), "-n", "5").output


def test_summarize_says_when_a_file_holds_more_than_the_article_it_summarizes(tmp_path):
    articles = tmp_path / "two.jsonl"
    articles.write_text('{"title": "أول", "text": "أعلنت الوزارة خطة جديدة للتعليم."}\n'
                        '{"title": "ثان", "text": "وقال الوزير إن الخطة تبدأ غدا."}\n', encoding="utf-8")
    result = run("summarize", str(articles))
    assert result.exit_code == 0 and result.stdout == "أعلنت الوزارة خطة جديدة للتعليم.\n"
    assert f"{articles} holds more than one article; only the first is summarized" in result.stderr
    one = tmp_path / "one.jsonl"
    one.write_text(articles.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    assert run("summarize", str(one)).stderr == ""


def test_summarize_takes_a_line_separator_inside_a_paragraph_for_what_it_is():
    result = run("summarize", "-", "--format", "json", "-n", "5",
                 input="أعلنت الوزارة خطة جديدة للتعليم\u2028في المدارس.\nوقال الوزير إن الخطة تبدأ غدا.\n")
    assert [s["text"] for s in json.loads(result.output)["sentences"]][-1] == "وقال الوزير إن الخطة تبدأ غدا."
    assert len(json.loads(result.output)["sentences"]) == 2


def test_output_to_a_closed_pipe_ends_quietly(tmp_path):
    """`nashra summarize ... | head -1`: the reader stopped on purpose; no traceback, no error line, status 1."""
    article = tmp_path / "long.txt"
    letters = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
    # Sentences of words no other sentence has, so that the summary keeps them: about 240 KB, far more than a
    # pipe holds whatever the reader's timing (with words repeating every 235 lines, 470 sentences were kept,
    # 66 KB: a pipe's 64 KB and the 10 bytes read, so under load the writer could finish and exit 0).
    words = [a + b + c + d for a in letters for b in letters for c in letters[:6] for d in letters[:6]]
    article.write_text("\n".join(" ".join(words[(i * 20 + k) % len(words)] for k in range(20)) + "."
                                 for i in range(1500)), encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-m", "nashra.cli", "summarize", str(article), "-n", "1500"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.read(10)
    process.stdout.close()
    error = process.stderr.read().decode()
    assert process.wait(timeout=60) == 1
    assert error == ""


def test_reading_a_closed_standard_input_is_one_line():
    import os

    done = subprocess.run([sys.executable, "-m", "nashra.cli", "summarize", "-"], capture_output=True, timeout=60,
                          preexec_fn=lambda: os.close(0))
    assert done.returncode == 1 and done.stderr.decode() == "Error: <stdin>: standard input is closed\n"


@pytest.mark.parametrize("command", [["summarize", "-"], ["translate", "-", "--model", "opus-mt"]])
def test_printing_to_a_closed_standard_output_fails(command):
    """`nashra summarize - >&-`: the summary could go nowhere, so the command did not do its job."""
    import os

    done = subprocess.run([sys.executable, "-m", "nashra.cli", *command], input="أعلنت الوزارة خطة جديدة.\n".encode(),
                          stderr=subprocess.PIPE, timeout=60, preexec_fn=lambda: os.close(1))
    assert done.returncode == 1 and done.stderr.decode() == "Error: <stdout>: standard output is closed\n"


def test_translate_one_output_line_per_input_line(tiny_model):
    text = "أعلنت الوزارة خطة جديدة. وقال الوزير إنها ستطبق قريباً.\n\nالولايات المتحدة\n"
    result = run("translate", "-", "--model", str(tiny_model), input=text)
    assert result.exit_code == 0, result.output
    lines = result.output.split("\n")
    assert len(lines) == 4 and lines[1] == "" and lines[0] and lines[2]


@pytest.mark.parametrize("inside", ["\u2028", "\u2029", "\x0c", "\x0b", "\x1c", "\x85"])
def test_translate_counts_lines_as_line_breaks_end_them(tiny_model, inside):
    """A line separator, form feed or NEL inside a line is not a line break: still one output line per line."""
    text = f"أعلنت الوزارة{inside}خطة جديدة.\r\nالولايات المتحدة\rقال الوزير\n"
    result = CliRunner().invoke(cli, ["translate", "-", "--model", str(tiny_model), "--no-cache", "--format", "jsonl"],
                                input=text.encode("utf-8"))
    assert result.exit_code == 0, result.output
    objects = [json.loads(line) for line in result.stdout.split("\n")[:-1]]
    assert [o["source"] for o in objects] == [f"أعلنت الوزارة{inside}خطة جديدة.", "الولايات المتحدة", "قال الوزير"]


@pytest.mark.parametrize("command", ["translate", "summarize"])
def test_output_to_a_stream_that_is_not_utf8_is_written_as_utf8(tmp_path, tiny_model, command):
    """A console or PYTHONIOENCODING that cannot encode Arabic: the output is still written, as UTF-8."""
    import os

    article = tmp_path / "a.txt"
    article.write_text("أعلنت الوزارة خطة جديدة.\n", encoding="utf-8")
    extra = ["--model", str(tiny_model), "--no-cache", "--format", "jsonl"] if command == "translate" else []
    done = subprocess.run([sys.executable, "-m", "nashra.cli", command, str(article), *extra], capture_output=True,
                          env={**os.environ, "PYTHONIOENCODING": "ascii"}, timeout=120)
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    text = done.stdout.decode("utf-8")
    assert ("أعلنت الوزارة خطة جديدة." in json.loads(text)["source"]) if command == "translate" else (
        text == "أعلنت الوزارة خطة جديدة.\n")


def test_missing_model_is_one_line_error_without_traceback(tmp_path):
    result = CliRunner().invoke(cli, ["translate", "-", "--model", "Helsinki-NLP/opus-mt-ar-en"], input="مرحبا\n")
    assert result.exit_code == 1
    assert result.output.startswith("Error: model 'Helsinki-NLP/opus-mt-ar-en'")
    assert "--model" in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_missing_source_is_reported(tmp_path, tiny_model):
    result = CliRunner().invoke(cli, ["build", str(tmp_path / "nope"), "-o", str(tmp_path / "out"), "--model", str(tiny_model)])
    assert result.exit_code == 1
    assert "no such file or folder" in result.output


def test_unknown_engine_is_reported(tmp_path, data_dir):
    result = CliRunner().invoke(cli, ["build", str(data_dir / "plain.txt"), "-o", str(tmp_path), "--engine", "nope"])
    assert result.exit_code == 1 and "unknown translation engine 'nope'" in result.output


def test_build_with_a_relative_output_folder(tmp_path, monkeypatch, examples_dir, tiny_model):
    """The README's command: `nashra build examples -o briefing`, run from the project folder."""
    import shutil

    shutil.copytree(examples_dir, tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["build", "examples", "-o", "briefing", "--model", str(tiny_model)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "briefing" / "site" / "index.html").is_file()
    assert (tmp_path / "briefing" / "site" / "ar" / "index.html").is_file()
    assert not list((tmp_path / "briefing").glob(".nashra-staging-*"))


def test_summarize_reads_a_named_pipe_as_it_reads_standard_input(tmp_path, examples_dir):
    """``nashra summarize <(command)`` gives a named pipe: read like standard input, not refused as a special file."""
    import threading

    article = next(examples_dir.glob("*.txt")).read_bytes()
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)

    def write() -> None:
        with open(pipe, "wb") as writer:
            writer.write(article)

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    result = CliRunner().invoke(cli, ["summarize", str(pipe), "--lang", "ar", "-n", "2"])
    thread.join(5)
    assert result.exit_code == 0, result.output
    assert len([line for line in result.output.splitlines() if line.strip()]) == 2


def test_standard_input_past_the_file_size_limit_is_one_line(monkeypatch):
    """``cat /dev/zero | nashra summarize -`` ended only when memory did."""
    monkeypatch.setattr("nashra.ingest.files.MAX_FILE_BYTES", 1000)
    result = CliRunner().invoke(cli, ["summarize", "-", "--lang", "ar"], input="نص " * 1000)
    assert result.exit_code == 1
    assert result.output == "Error: <stdin>: more than 1,000 bytes; the limit is 1,000\n"


@pytest.mark.parametrize("target, reason", [("folder", "a folder, not a file"), ("/dev/zero", "not a regular file"),
                                            ("missing.txt", "no such file")])
def test_summarize_says_why_an_input_is_not_a_file(tmp_path, monkeypatch, target, reason):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "folder").mkdir()
    result = CliRunner().invoke(cli, ["summarize", target, "--lang", "ar"])
    assert result.exit_code == 1 and result.output == f"Error: {target}: {reason}\n"


def test_summarize_says_when_the_text_is_not_in_the_language_given():
    english = "The minister said the talks went well.\nMore rain is forecast tomorrow in the north.\n"
    result = run("summarize", "-", input=english)
    assert result.exit_code == 0 and "give --lang en" in result.output
    assert "give --lang" not in run("summarize", "-", "--lang", "en", input=english).output
    arabic = "قال الوزير إن المحادثات سارت بشكل جيد.\n"
    assert "give --lang ar" in run("summarize", "-", "--lang", "en", input=arabic).output
    assert "give --lang" not in run("summarize", "-", input=arabic).output


@pytest.mark.parametrize("args, level", [(["-v", "summarize", "-"], logging.INFO), (["summarize", "-", "-v"], logging.INFO),
                                         (["summarize", "-vv", "-"], logging.DEBUG), (["summarize", "-", "-q"], logging.ERROR),
                                         (["-v", "summarize", "-", "-v"], logging.DEBUG),
                                         (["summarize", "-"], logging.WARNING)])
def test_verbose_and_quiet_are_taken_before_or_after_the_command(args, level):
    """``nashra build -v`` as ``mkdocs build -v``: the shared options are the command's too."""
    result = CliRunner().invoke(cli, args, input="أعلنت الوزارة خطة جديدة لدعم المزارعين في المناطق الريفية.\n")
    assert result.exit_code == 0, result.output
    assert logging.getLogger().level == level
    assert "-v, --verbose" in CliRunner().invoke(cli, ["build", "--help"]).output
