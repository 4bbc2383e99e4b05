"""Quality flags and model choice on the command line: translate --format jsonl, evaluate, and a build
with a model laid out like opus-mt-tc-big-ar-en through CTranslate2."""

import json
import re

import pytest
import yaml
from click.testing import CliRunner

from nashra.cli import cli

LINES = "قتل 27 شخصا في عام 2023 وأصيب خمسة آخرون.\n\nوقال المدير إن العمل سيبدأ غداً. وأضاف أن المستشفى جاهز.\n"


def test_translate_jsonl_one_object_per_input_line(tiny_model):
    result = CliRunner().invoke(cli, ["translate", "-", "--model", str(tiny_model), "--no-cache", "--format", "jsonl"],
                                input=LINES)
    assert result.exit_code == 0, result.output
    objects = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["source"] for o in objects] == LINES.splitlines()
    assert all(set(o) == {"source", "translation", "flags"} for o in objects)
    assert objects[1] == {"source": "", "translation": "", "flags": []}
    assert objects[0]["translation"] and objects[2]["translation"]
    # The tiny model's gibberish has no numbers: the first line's are reported missing.
    assert any(f.startswith("numbers: ") and "27" in f and "2023" in f for f in objects[0]["flags"])
    assert all(isinstance(f, str) and re.match(r"^(empty|numbers|arabic|repetition|length): ", f)
               for o in objects for f in o["flags"])


def test_translate_text_stays_the_default(tiny_model):
    result = CliRunner().invoke(cli, ["translate", "-", "--model", str(tiny_model), "--no-cache"], input=LINES)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 3 and lines[1] == "" and not lines[0].startswith("{")


def test_short_model_names_are_accepted(tmp_path):
    result = CliRunner().invoke(cli, ["translate", "-", "--model", "tc-big", "--no-cache"], input="مرحبا\n")
    assert result.exit_code == 1
    assert "Helsinki-NLP/opus-mt-tc-big-ar-en" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_evaluate_reports_bleu_chrf_and_flag_shares(tiny_model, data_dir, fmt):
    pytest.importorskip("sacrebleu")
    result = CliRunner().invoke(cli, ["evaluate", str(data_dir / "parallel.ar"), str(data_dir / "parallel.en"),
                                      "--model", str(tiny_model), "--no-cache", "--format", fmt])
    assert result.exit_code == 0, result.output
    if fmt == "json":
        data = json.loads(result.stdout)
        assert data["sentences"] == 4 and 0 <= data["bleu"] <= 100 and 0 <= data["chrf"] <= 100
        assert set(data["flags"]) == {"empty", "numbers", "arabic", "repetition", "length", "any"}
        assert all(0 <= share <= 1 for share in data["flags"].values())
        # Two of the four sources hold numbers that gibberish cannot keep.
        assert data["flags"]["numbers"] >= 0.5
        assert data["bleu_signature"].startswith("nrefs:1") and set(data["length_ratio"]) == {"p01", "median", "p99"}
    else:
        assert "BLEU" in result.stdout and "chrF" in result.stdout and "share of sentences flagged" in result.stdout
        assert re.search(r"numbers\s+\d+\.\d%", result.stdout)


def test_evaluate_refuses_misaligned_files(tiny_model, data_dir, tmp_path):
    pytest.importorskip("sacrebleu")
    reference = tmp_path / "ref.en"
    reference.write_text("One line only.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["evaluate", str(data_dir / "parallel.ar"), str(reference),
                                      "--model", str(tiny_model), "--no-cache"])
    assert result.exit_code == 1 and "aligned line by line" in result.output
    assert "1 line for the" in result.output


@pytest.mark.parametrize("empty", ["source", "reference"])
def test_evaluate_refuses_a_line_empty_on_one_side_only(tiny_model, tmp_path, empty):
    """Same line counts but a blank line on one side only: the pairs after it were shifted, or a sentence was
    scored against an empty reference."""
    lines = {"source": ["قال الوزير إن العمل سيبدأ.", "الولايات المتحدة", "أعلنت الوزارة خطة."],
             "reference": ["The minister said work will start.", "The United States", "The ministry announced a plan."]}
    lines[empty][1] = "  "
    (tmp_path / "src.ar").write_text("\n".join(lines["source"]) + "\n", encoding="utf-8")
    (tmp_path / "ref.en").write_text("\n".join(lines["reference"]) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["evaluate", str(tmp_path / "src.ar"), str(tmp_path / "ref.en"),
                                      "--model", str(tiny_model), "--no-cache"])
    assert result.exit_code == 1 and len(result.output.splitlines()) == 1
    named = tmp_path / ("src.ar" if empty == "source" else "ref.en")
    assert result.output.startswith(f"Error: {named}: line 2 is empty")


def test_evaluate_pairs_lines_as_line_breaks_end_them(tiny_model, tmp_path):
    """A line separator or form feed inside a line does not shift the pairs: 2 lines are 2 sentences."""
    pytest.importorskip("sacrebleu")
    (tmp_path / "src.ar").write_text("قال الوزير\u2028إن العمل سيبدأ.\nالولايات المتحدة\n", encoding="utf-8")
    (tmp_path / "ref.en").write_text("The minister said\x0cwork will start.\nThe United States\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["evaluate", str(tmp_path / "src.ar"), str(tmp_path / "ref.en"),
                                      "--model", str(tiny_model), "--no-cache", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["sentences"] == 2


@pytest.fixture(scope="module")
def tc_big_layout(tmp_path_factory, examples_dir, data_dir):
    """A tiny model with opus-mt-tc-big-ar-en's special tokens (vocabulary 61,109, </s> at 25,894, <pad> last),
    ReLU, and a model card declaring CC-BY-4.0 as the hub's does."""
    from nashra.testing import make_tiny_marian

    sources = [p.read_text(encoding="utf-8") for p in sorted(examples_dir.glob("*.txt"))]
    sources.append((data_dir / "plain.txt").read_text(encoding="utf-8"))
    folder = make_tiny_marian(tmp_path_factory.mktemp("tc-big-layout") / "opus-mt-tc-big-ar-en-replica", sources,
                              [(data_dir / "target-en.txt").read_text(encoding="utf-8")], min_vocab_size=61_109,
                              eos_id=25_894, config_overrides={"activation_function": "relu"})
    (folder / "README.md").write_text("---\nlanguage:\n- ar\n- en\ntags:\n- translation\nlicense: cc-by-4.0\n---\n"
                                      "# opus-mt-tc-big-ar-en (random-weight replica)\n", encoding="utf-8")
    return folder


def test_tc_big_layout(tc_big_layout):
    vocab = json.loads((tc_big_layout / "vocab.json").read_text(encoding="utf-8"))
    config = json.loads((tc_big_layout / "config.json").read_text(encoding="utf-8"))
    assert vocab["</s>"] == 25_894 and vocab["<pad>"] == 61_108 and len(vocab) == 61_109
    assert config["eos_token_id"] == 25_894 and config["pad_token_id"] == 61_108


def test_build_with_the_tc_big_layout_through_ctranslate2_names_model_and_licence(tc_big_layout, data_dir, tmp_path):
    pytest.importorskip("ctranslate2")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(data_dir / "plain.txt"), str(data_dir / "article.md"), "-o", str(out),
                                      "--engine", "ctranslate2", "--model", str(tc_big_layout), "--no-cache"])
    assert result.exit_code == 0, result.output
    assert re.search(r"Flagged: \d+ of \d+ sentences as doubtful \(", result.output), result.output
    page = next((out / "docs" / "articles").glob("*.en.md")).read_text(encoding="utf-8")
    meta = yaml.safe_load(page.split("---\n")[1])
    assert meta["engine"] == "ctranslate2" and meta["model_licence"] == "CC-BY-4.0"
    # A sentence may have several kinds of flag; gibberish loses the article's numbers.
    assert 0 < meta["flagged_sentences"] <= sum(meta["flags"].values()) and meta["flags"]["numbers"] > 0
    html = next((out / "site" / "articles").glob("*.html")).read_text(encoding="utf-8")
    assert "opus-mt-tc-big-ar-en-replica" in html and "Model licence: CC-BY-4.0 (https://creativecommons.org/licenses/by/4.0/)" in html
    arabic = next((out / "site" / "ar" / "articles").glob("*.html")).read_text(encoding="utf-8")
    assert "CC-BY-4.0" in arabic
    for home in (out / "site" / "index.html", out / "site" / "ar" / "index.html"):
        text = home.read_text(encoding="utf-8")
        assert "opus-mt-tc-big-ar-en-replica" in text and "CC-BY-4.0" in text
    for site_page in (html, arabic):
        marks = re.findall(r'<span class="nashra-flag" tabindex="0" title="([^"]+)"', site_page)
        assert marks and all(":" in m for m in marks)
        assert '<span class="nashra-flag-reason" dir=' in site_page and 'class="nashra-flag-count"' in site_page
