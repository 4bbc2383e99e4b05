"""Translation throughput and memory: the naive way, Nashra's engines, and a warm rebuild.

Builds a random-weight MarianMT model with opus-mt-ar-en's exact architecture
(d_model 512, 6+6 layers, 8 heads, FFN 2048, vocabulary 62,834, 512 positions),
forces every translation to the same output length, and translates the same
sentences (from examples/) with the same beam size in four ways, each in a
fresh process so that peak memory is its own:

  (a) naive: one ``model.generate`` call per sentence (transformers);
  (b) Nashra, transformers engine (length-sorted batches, inference mode);
  (c) Nashra, CTranslate2 engine, int8;
  (d) a warm rebuild: Nashra served entirely from its translation cache.

Run:  python benchmarks/translate.py [--sentences N] [--length L] [--beams B]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VOCAB = 62_834


def load_sentences(count: int) -> list[str]:
    from nashra.text.segment import segment_paragraphs

    sentences: list[str] = []
    for path in sorted((ROOT / "examples").glob("*.txt")):
        sentences += [s.text for s in segment_paragraphs(path.read_text(encoding="utf-8").splitlines()) if not s.heading]
    while len(sentences) < count:
        sentences += sentences
    return sentences[:count]


def build_model(folder: Path, length: int, beams: int) -> Path:
    from nashra.testing import make_tiny_marian

    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples").glob("*.txt"))]
    english = (ROOT / "tests" / "data" / "target-en.txt").read_text(encoding="utf-8")
    # max_length counts the decoder start token: every output is exactly `length` tokens, </s> included.
    return make_tiny_marian(
        folder, texts, [english], vocab_size=2000, d_model=512, layers=6, heads=8, ffn_dim=2048,
        max_position_embeddings=512, num_beams=beams, max_length=length + 1, init_std=0.02,
        min_vocab_size=VOCAB, generation_overrides={"min_length": length + 1},
    )


# -- one method per process ------------------------------------------------------


def run_method(method: str, model: str, sentences: list[str], cache: str | None, repeat: int) -> dict:
    """Load, then translate ``sentences`` ``repeat`` times; the best time counts."""
    started = time.perf_counter()
    times: list[float] = []
    tokens = None
    if method == "naive":
        from transformers import MarianMTModel, MarianTokenizer

        tokenizer = MarianTokenizer.from_pretrained(model)
        hf = MarianMTModel.from_pretrained(model)
        loaded = time.perf_counter()
        for _ in range(repeat):
            tick, tokens = time.perf_counter(), 0
            for sentence in sentences:
                output = hf.generate(**tokenizer(sentence, return_tensors="pt"))
                tokens += output.shape[1] - 1  # without the decoder start token
            times.append(time.perf_counter() - tick)
    else:
        from nashra.translate import get_translator
        from nashra.translate.cache import TranslationCache
        from nashra.translate.normalize import normalize_source

        engine, options = {"transformers": ("transformers", {}), "ctranslate2": ("ctranslate2", {"compute_type": "int8"}),
                           "warm": ("transformers", {})}[method]
        warm = method == "warm"
        translator = get_translator(engine, model, device="cpu", cache=TranslationCache(cache) if warm else None, **options)
        # Random weights loop far more often than a trained model: measure the decoding itself.
        translator.redecode_loops = False
        if not warm:
            translator.load()
        loaded = time.perf_counter()
        for _ in range(repeat):
            tick = time.perf_counter()
            translated = translator.translate(sentences)
            times.append(time.perf_counter() - tick)
        if warm:
            assert translator.stats.translated == 0, "the warm run had to translate"
        elif cache:
            # Fill the cache for (d) with exactly what this engine produced (untimed).
            TranslationCache(cache).put_many(translator.namespace, dict(zip(map(normalize_source, sentences), translated)))
    # A warm rebuild is a fresh process: its first run is the honest one.
    seconds = times[0] if method == "warm" else min(times)
    return {"load_s": loaded - started, "seconds": seconds, "tokens": tokens, "peak_mb": peak_memory_mb()}


def peak_memory_mb() -> float:
    """Peak resident memory of this process.

    ``VmHWM`` belongs to the address space made at exec, so unlike
    ``ru_maxrss`` it does not inherit the parent's peak through fork.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def in_subprocess(method: str, model: Path, sentences: list[str], cache: Path | None, repeat: int) -> dict:
    payload = json.dumps({"method": method, "model": str(model), "sentences": sentences,
                          "cache": str(cache) if cache else None, "repeat": repeat})
    result = subprocess.run([sys.executable, __file__, "--child"], input=payload, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"{method} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sentences", type=int, default=24, help="sentences translated by every method")
    parser.add_argument("--length", type=int, default=32, help="output tokens per sentence, </s> included")
    parser.add_argument("--beams", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=2, help="timed runs per method; the best counts")
    parser.add_argument("--model-dir", type=Path, help="reuse (or create) the benchmark model here")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        job = json.loads(sys.stdin.read())
        print(json.dumps(run_method(job["method"], job["model"], job["sentences"], job["cache"], job["repeat"])))
        return

    sentences = load_sentences(args.sentences)
    work = Path(tempfile.mkdtemp(prefix="nashra-bench-"))
    model = args.model_dir or work / "model"
    if not (model / "config.json").is_file():
        t = time.perf_counter()
        build_model(model, args.length, args.beams)
        print(f"built the random opus-mt-ar-en-shaped model in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    from nashra.translate.ct2 import convert_model

    t = time.perf_counter()
    ct2_model = convert_model(str(model), work / "ct2-int8", quantization="int8")
    print(f"converted to CTranslate2 int8 in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    cache = work / "cache.sqlite3"

    results = {}
    for label, method, folder, cache_file in [
        ("(a) naive: generate() per sentence", "naive", model, None),
        ("(b) Nashra, transformers engine", "transformers", model, cache),
        ("(c) Nashra, CTranslate2 int8", "ctranslate2", ct2_model, None),
        ("(d) warm rebuild from the cache", "warm", model, cache),
    ]:
        print(f"running {label} ...", file=sys.stderr)
        results[label] = in_subprocess(method, folder, sentences, cache_file, args.repeat)

    naive = results["(a) naive: generate() per sentence"]
    assert naive["tokens"] == args.length * len(sentences), naive
    target_tokens = args.length * len(sentences)
    print(f"\n{len(sentences)} sentences x {args.length} target tokens, beam {args.beams}, "
          f"random weights with opus-mt-ar-en's architecture, CPU threads: {_threads()}\n")
    header = f"{'method':38} {'time s':>8} {'tokens/s':>9} {'speed-up':>9} {'peak MB':>8} {'memory':>7} {'load s':>7}"
    print(header)
    print("-" * len(header))
    for label, r in results.items():
        rate = target_tokens / r["seconds"]
        print(f"{label:38} {r['seconds']:8.2f} {rate:9.1f} {naive['seconds'] / r['seconds']:8.1f}x "
              f"{r['peak_mb']:8.0f} {r['peak_mb'] / naive['peak_mb']:6.0%} {r['load_s']:7.2f}")
    print(f"\nspeed-up and memory are ratios to (a), measured in this run; time is the best of {args.repeat} runs "
          "and excludes loading; peak memory is the whole process's.")


def _threads() -> int:
    from nashra.cpus import available_cpus

    return available_cpus()


if __name__ == "__main__":
    main()
