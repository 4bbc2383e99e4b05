"""``nashra translate``, ``nashra evaluate`` and ``nashra convert-model``: the translator on its own."""

from __future__ import annotations

import contextlib
import functools
import gc
import json
import logging
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click

from ..config import Settings
from ..errors import ConfigError
from ..ingest.files import decode, require_sources
from ..ingest.stage import iter_articles, segment_or_skip
from ..progress import interactive, progress_bar, quiet
from ..quality import check
from ..text.lines import split_lines
from ..text.segment import split_sentences
from ..translate import get_translator
from ..translate.models import resolve_name
from ..translate.normalize import normalize_source
from ..translate.options import TranslationOptions
from .common import check_stdout, make_translator, read_input


def translate(settings: Settings, file: str, fmt: str = "text") -> None:
    """Print the English of ``file`` (``-``: standard input), one line per input line; ``fmt`` text or jsonl."""
    check_stdout()
    lines = split_lines(read_input(file))
    split = [split_sentences(line) for line in lines]
    flat = [s for sentences in split for s in sentences]
    translated = make_translator(settings.translation).translate(
        flat, progress=functools.partial(progress_bar, label="Translating")) if flat else []
    position = 0
    for line, sentences in zip(lines, split, strict=True):
        english = translated[position : position + len(sentences)]
        position += len(sentences)
        if fmt == "jsonl":
            flags = [reason for source, text in zip(sentences, english, strict=True) for reason in check(source, text)]
            click.echo(json.dumps({"source": line, "translation": " ".join(english), "flags": flags},
                                  ensure_ascii=False))
        else:  # click.echo: a console that cannot encode the text (ASCII, say) is written UTF-8 all the same
            click.echo(" ".join(english))


def evaluate(settings: Settings, source: Path, reference: Path, fmt: str = "text") -> None:
    """Print BLEU, chrF and the quality flags' rates of the settings' translator on a parallel test set."""
    from ..translate.evaluate import evaluate as run_evaluation
    from ..translate.evaluate import format_evaluation, read_parallel

    check_stdout()
    sources, references = read_parallel(decode(source.read_bytes(), source), decode(reference.read_bytes(), reference),
                                        str(source), str(reference))
    translator = make_translator(settings.translation)
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


def translate_archive(settings: Settings, cluster: str = "auto", actors: int | None = None,
                      cpus_per_actor: float | None = None, shared_model: bool = False,
                      batch_size: int | None = None) -> None:
    """Translate every title and sentence of ``settings.sources`` that the translation cache lacks, on a Ray
    cluster, into the cache a build of the same settings reads."""
    from ..pipeline import translation_texts
    from ..translate.cluster import (BATCH_SENTENCES, ModelSpec, connect, files_digest, import_ray, model_files,
                                     translate_archive as run_archive)
    log = logging.getLogger(__name__)
    ray = import_ray()  # Ray missing: one line naming the install command, before anything is read
    sources = [Path(s) for s in settings.sources]
    require_sources(sources)  # a missing source fails before the cluster is joined
    translator = make_translator(settings.translation)
    if translator.cache is None:
        raise ConfigError("translate-archive fills the translation cache: give --cache FILE (not --no-cache)")
    check_model(settings.translation)  # a model that cannot load fails here, in one line, before the cluster is joined
    joined = connect(cluster)
    cpus = cpus_per_actor or 1.0
    use_gpu, count = actor_slots(ray, settings.translation.device, cpus, actors)
    options: dict[str, Any] = {"device": "cuda" if use_gpu else "cpu", "threads": max(1, int(cpus))}
    if settings.translation.engine == "ctranslate2":
        options["compute_type"] = settings.translation.compute_type
    model = resolve_name(settings.translation.model)
    folder = Path(model).expanduser()
    spec = ModelSpec(settings.translation.engine, str(folder.resolve()) if folder.is_dir() else model, options)
    if folder.is_dir() and not shared_model and not joined.local:
        files = model_files(folder)
        spec = ModelSpec(spec.engine, spec.model, options, [ray.put(files)], files_digest(files))
        where = f"shipped to the workers ({sum(len(d) for d in files.values()) / 1e6:.0f} MB)"
    elif folder.is_dir():
        where = "read from its folder on every node"
    else:
        where = "downloaded once per node"
    log.info("joined %s: %d actor(s), %s CPU(s)%s each; model %s", joined, count, f"{cpus:g}",
             " and a GPU" if use_gpu else "", where)
    problems: list[Any] = []

    def texts() -> Iterator[str]:
        for article in iter_articles(sources, problems):
            segmented = segment_or_skip(article, problems)
            if segmented is not None:
                yield from (normalize_source(t) for t in translation_texts(segmented))

    with progress_total("Translating") as (on_chunk, on_batch):
        report = run_archive(texts(), spec, translator.namespace, translator.cache, count, cpus,
                             1.0 if use_gpu else 0.0, batch_size or BATCH_SENTENCES, on_chunk=on_chunk,
                             on_batch=on_batch)
    for problem in problems:
        log.warning("skipped %s", problem)
    click.echo(f"Translated {report.translated} sentences on {joined} in {report.seconds:.1f} s "
               f"({report.rate:.1f} a second, {count} actor{'s' if count != 1 else ''}); "
               f"{report.cached} of {report.sentences} distinct titles and sentences were in the cache "
               f"{translator.cache.path}.", err=True)
    for worker, stats in sorted(report.workers.items()):
        rate = stats.sentences / stats.seconds if stats.seconds else 0.0
        click.echo(f"  worker {worker}: {stats.sentences} sentences, {rate:.1f} a second", err=True)


def check_model(settings: TranslationOptions) -> None:
    """Load the model once here (on the CPU, then let go): a missing or broken model is one line now,
    not an actor's failure on every node."""
    options: dict[str, Any] = {"device": "cpu", "cache": None}
    if settings.engine == "ctranslate2":
        options["compute_type"] = "int8"
    probe = get_translator(settings.engine, settings.model, **options)
    probe.load()
    del probe
    gc.collect()


def actor_slots(ray: Any, device: str, cpus: float, actors: int | None) -> tuple[bool, int]:
    """(use GPUs, actors) for the cluster joined: a request no node can hold is a ConfigError (Ray would
    wait for it for ever); more actors than fit at once are cut to those that fit, with a warning."""
    log = logging.getLogger(__name__)
    nodes = [n.get("Resources", {}) for n in ray.nodes() if n.get("Alive")]
    total_cpus = sum(r.get("CPU", 0.0) for r in nodes)
    gpus = int(sum(r.get("GPU", 0.0) for r in nodes))
    use_gpu = device.startswith("cuda") or (device == "auto" and gpus > 0)
    if use_gpu and not gpus:
        raise ConfigError(f"--device {device}: the Ray cluster has no GPU")
    largest = max((r.get("CPU", 0.0) for r in nodes), default=0.0)
    if cpus > largest:
        raise ConfigError(f"--cpus-per-actor {cpus:g}: no node of the Ray cluster has more than {largest:g} CPUs")
    fit = gpus if use_gpu else int(sum(r.get("CPU", 0.0) // cpus for r in nodes))
    count = actors or max(1, fit)
    if count > fit:
        log.warning("%d actors asked for, %d fit on the cluster (%g CPUs%s): running %d", count, fit, total_cpus,
                    f", {gpus} GPUs" if use_gpu else "", fit)
        count = fit
    return use_gpu, count


@contextlib.contextmanager
def progress_total(label: str) -> Iterator[tuple[Callable[[int], None], Callable[[int], None]]]:
    """A progress bar whose total grows as work is found: (add to the total, add to what is done)."""
    if not interactive() or quiet():
        yield (lambda count: None), (lambda count: None)
        return
    from tqdm import tqdm  # type: ignore[import-untyped]

    with tqdm(total=0, desc=label, unit="sentence", file=sys.stderr, dynamic_ncols=True, mininterval=0.2) as bar:
        def grow(count: int) -> None:
            bar.total += count
            bar.refresh()

        yield grow, bar.update
