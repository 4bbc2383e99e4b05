"""``nashra translate``, ``nashra evaluate`` and ``nashra convert-model``: the translator on its own."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import click

from ..config import Settings
from ..progress import progress_bar
from .common import check_stdout, make_translator, read_input


def translate(settings: Settings, file: str, fmt: str = "text") -> None:
    """Print the English of ``file`` (``-``: standard input), one line per input line; ``fmt`` text or jsonl."""
    from ..text.lines import split_lines
    from ..text.segment import split_sentences

    check_stdout()
    lines = split_lines(read_input(file))
    split = [split_sentences(line) for line in lines]
    flat = [s for sentences in split for s in sentences]
    translated = make_translator(settings).translate(
        flat, progress=functools.partial(progress_bar, label="Translating")) if flat else []
    position = 0
    for line, sentences in zip(lines, split, strict=True):
        english = translated[position : position + len(sentences)]
        position += len(sentences)
        if fmt == "jsonl":
            from ..quality import check

            flags = [reason for source, text in zip(sentences, english, strict=True) for reason in check(source, text)]
            click.echo(json.dumps({"source": line, "translation": " ".join(english), "flags": flags},
                                  ensure_ascii=False))
        else:  # click.echo: a console that cannot encode the text (ASCII, say) is written UTF-8 all the same
            click.echo(" ".join(english))


def evaluate(settings: Settings, source: Path, reference: Path, fmt: str = "text") -> None:
    """Print BLEU, chrF and the quality flags' rates of the settings' translator on a parallel test set."""
    from ..ingest import decode
    from ..translate.evaluate import evaluate as run_evaluation
    from ..translate.evaluate import format_evaluation, read_parallel

    check_stdout()
    sources, references = read_parallel(decode(source.read_bytes(), source), decode(reference.read_bytes(), reference),
                                        str(source), str(reference))
    translator = make_translator(settings)
    result = run_evaluation(translator, sources, references,
                            progress=functools.partial(progress_bar, label="Translating"))
    if fmt == "json":
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(format_evaluation(result))


def convert_model(model: str, output: Path, quantization: str = "int8", force: bool = False) -> None:
    """Convert MarianMT ``model`` to CTranslate2 in ``output``."""
    from ..translate.ct2 import convert_model as convert

    folder = convert(model, output, quantization=quantization, force=force)
    size = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())
    click.echo(f"Converted {model} to {folder} ({quantization}, {size / 1e6:.1f} MB).", err=True)
