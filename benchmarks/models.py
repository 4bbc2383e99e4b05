"""The supported models side by side: speed and memory of opus-mt-ar-en and opus-mt-tc-big-ar-en, both engines.

The real weights cannot be downloaded here, so each model is replaced by a
replica with random weights and its exact published architecture:

  opus-mt  Helsinki-NLP/opus-mt-ar-en         d_model 512, 6+6 layers, 8 heads, FFN 2048, swish,
                                              vocabulary 62,834 (</s> 0, <pad> last), 512 positions
  tc-big   Helsinki-NLP/opus-mt-tc-big-ar-en  d_model 1024, 6+6 layers, 16 heads, FFN 4096, ReLU,
                                              vocabulary 61,109 (</s> 25,894, <pad> 61,108), 1,024 positions

Every translation is forced to the same length, so both models do the same
amount of decoding work, at beam 4, on the same sentences (from examples/).
Each run is a fresh process (see benchmarks/translate.py) so that its peak
memory is its own. Speed and memory depend on the architecture, not on the
weights' values, so the figures hold for the real models; translation quality
does not, and comes from the published scores in docs/models.md.

With ``--site OUT`` the tc-big replica also builds the example articles end to
end through ``--engine ctranslate2``, and the pages are checked to name the
model and its licence (the replica carries a model card declaring CC-BY-4.0,
like the real one).

Run:  python benchmarks/models.py [--sentences N] [--length L] [--site OUT]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from translate import ROOT, in_subprocess, load_sentences  # noqa: E402

REPLICAS = {
    "opus-mt": dict(d_model=512, layers=6, heads=8, ffn_dim=2048, min_vocab_size=62_834, eos_id=0,
                    max_position_embeddings=512, activation="swish", licence="apache-2.0"),
    "tc-big": dict(d_model=1024, layers=6, heads=16, ffn_dim=4096, min_vocab_size=61_109, eos_id=25_894,
                   max_position_embeddings=1024, activation="relu", licence="cc-by-4.0"),
}


def build_replica(name: str, folder: Path, length: int, beams: int) -> Path:
    from nashra.testing import make_tiny_marian

    spec = dict(REPLICAS[name])
    activation, licence = spec.pop("activation"), spec.pop("licence")
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples").glob("*.txt"))]
    english = (ROOT / "tests" / "data" / "target-en.txt").read_text(encoding="utf-8")
    make_tiny_marian(folder, texts, [english], vocab_size=2000, num_beams=beams, max_length=length + 1,
                     init_std=0.02, generation_overrides={"min_length": length + 1},
                     config_overrides={"activation_function": activation}, **spec)
    (folder / "README.md").write_text(
        f"---\nlicense: {licence}\ntags:\n- translation\n---\n# {name} replica\n\nRandom weights with the "
        f"architecture of the published model, for benchmarks only: its output is gibberish.\n", encoding="utf-8")
    return folder


def parameters(folder: Path) -> int:
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    d, ffn, layers, vocab = config["d_model"], config["encoder_ffn_dim"], config["encoder_layers"], config["vocab_size"]
    attention = 4 * d * d + 4 * d
    encoder = layers * (attention + 2 * d * ffn + ffn + d + 4 * d)
    decoder = layers * (2 * attention + 2 * d * ffn + ffn + d + 6 * d)
    return vocab * d + encoder + decoder + vocab  # shared embeddings and output projection, final bias


def size_mb(folder: Path) -> float:
    return sum(f.stat().st_size for f in folder.iterdir() if f.suffix in (".safetensors", ".bin")) / 1e6


def check_site(model: Path, out: Path) -> str:
    """Build the example articles with the replica through CTranslate2; check the pages name model and licence."""
    command = [sys.executable, "-m", "nashra.cli", "build", str(ROOT / "examples"), "-o", str(out), "--engine",
               "ctranslate2", "--model", str(model), "--no-cache"]
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"the build failed:\n{result.stderr[-3000:]}")
    pages = sorted((out / "site" / "articles").glob("*.html")) + sorted((out / "site" / "ar" / "articles").glob("*.html"))
    named = [p for p in pages if model.name in p.read_text(encoding="utf-8") and "CC-BY-4.0" in p.read_text(encoding="utf-8")]
    flagged = [line for line in result.stderr.splitlines() if line.startswith("Flagged:")]
    assert pages and len(named) == len(pages), "a page does not name the model and its licence"
    return (f"end to end: nashra build examples/ --engine ctranslate2 --model <tc-big replica> in {seconds:.1f} s; "
            f"{len(named)} of {len(pages)} article pages name the model and CC-BY-4.0. {' '.join(flagged)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sentences", type=int, default=24, help="sentences translated by every run")
    parser.add_argument("--length", type=int, default=32, help="output tokens per sentence, </s> included")
    parser.add_argument("--beams", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=1, help="timed runs per engine and model; the best counts")
    parser.add_argument("--work", type=Path, help="keep (and reuse) the replicas here")
    parser.add_argument("--site", type=Path, help="also build the examples with the tc-big replica into this folder")
    args = parser.parse_args()

    from nashra.translate.ct2 import convert_model

    sentences = load_sentences(args.sentences)
    work = args.work or Path(tempfile.mkdtemp(prefix="nashra-models-"))
    rows = []
    for name in REPLICAS:
        folder = work / f"{name}-replica"
        if not (folder / "config.json").is_file():
            tick = time.perf_counter()
            build_replica(name, folder, args.length, args.beams)
            print(f"built the {name} replica in {time.perf_counter() - tick:.1f} s", file=sys.stderr)
        converted = work / f"{name}-replica-ct2-int8"
        if not (converted / "model.bin").is_file():
            convert_model(str(folder), converted, quantization="int8", force=True)
        for engine, model, disk in (("transformers", folder, size_mb(folder)),
                                    ("ctranslate2", converted, (converted / "model.bin").stat().st_size / 1e6)):
            print(f"running {name} / {engine} ...", file=sys.stderr)
            result = in_subprocess(engine, model, sentences, None, args.repeat)
            rows.append((name, engine, parameters(folder), disk, result))

    tokens = args.length * len(sentences)
    print(f"\n{len(sentences)} sentences x {args.length} target tokens, beam {args.beams}, random weights with each "
          f"model's architecture, CPU threads: {_threads()}\n")
    header = (f"{'model':9} {'engine':22} {'params M':>8} {'disk MB':>8} {'time s':>7} {'tokens/s':>9} "
              f"{'vs opus-mt':>10} {'peak MB':>8} {'load s':>7}")
    print(header)
    print("-" * len(header))
    base = {engine: r["seconds"] for name, engine, _, _, r in rows if name == "opus-mt"}
    for name, engine, params, disk, r in rows:
        label = "transformers (fp32)" if engine == "transformers" else "ctranslate2 (int8)"
        print(f"{name:9} {label:22} {params / 1e6:8.0f} {disk:8.0f} {r['seconds']:7.2f} {tokens / r['seconds']:9.1f} "
              f"{r['seconds'] / base[engine]:9.1f}x {r['peak_mb']:8.0f} {r['load_s']:7.2f}")
    print(f"\n'vs opus-mt': time relative to opus-mt on the same engine, measured in this run; time is the best of "
          f"{args.repeat} run(s) and excludes loading; peak memory is the whole process's.")
    if args.site:
        print("\n" + check_site(work / "tc-big-replica", args.site))


def _threads() -> int:
    from nashra.cpus import available_cpus

    return available_cpus()


if __name__ == "__main__":
    main()
