"""The transformers engine on a GPU beside the CPU of the same machine, for both supported models.

Each model is its random-weight replica with the published architecture
(see benchmarks/models.py), every translation forced to the same length, beam
4, on the same sentences (from examples/). Both devices translate through
Nashra's own engine (``MarianTranslator``: length-sorted batches under a token
budget, ``torch.inference_mode``), no cache. The table gives sentences per
second on each device, the GPU's speed-up over the CPU, the GPU's peak memory,
and how many sentences the two devices translated identically (float32 on both;
a different kernel can change the last digits of a score, and so now and then
a beam's choice, with random weights more than with trained ones).

Needs a CUDA GPU (it stops with a message otherwise). Run:
  python benchmarks/gpu.py [--sentences N] [--length L] [--work DIR]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from models import REPLICAS, build_replica  # noqa: E402
from translate import load_sentences  # noqa: E402


def timed(model: Path, device: str, sentences: list[str], repeat: int) -> tuple[float, list[str], float]:
    """Best seconds over ``repeat`` runs, the translations, and the device's peak memory in MB (GPU only)."""
    import torch

    from nashra.translate import get_translator

    translator = get_translator("transformers", str(model), device=device)
    translator.load()
    translator.translate(sentences[:4])  # warm-up: kernels, allocator
    if device.startswith("cuda"):
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()
    best, output = float("inf"), []
    for _ in range(repeat):
        started = time.perf_counter()
        output = translator.translate(sentences)
        if device.startswith("cuda"):
            torch.cuda.synchronize()
        best = min(best, time.perf_counter() - started)
    peak = torch.cuda.max_memory_allocated() / 2**20 if device.startswith("cuda") else 0.0
    del translator
    if device.startswith("cuda"):
        torch.cuda.empty_cache()
    return best, output, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sentences", type=int, default=96, help="sentences translated by every run")
    parser.add_argument("--length", type=int, default=32, help="output tokens per sentence, </s> included")
    parser.add_argument("--beams", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=2, help="timed runs per device; the best counts")
    parser.add_argument("--work", type=Path, help="keep (and reuse) the replicas here")
    args = parser.parse_args()

    import torch

    if not torch.cuda.is_available():
        raise SystemExit("no CUDA GPU: this benchmark compares the GPU with the CPU of the same machine")
    sentences = load_sentences(args.sentences)
    work = args.work or Path(tempfile.mkdtemp(prefix="nashra-gpu-"))
    rows = []
    for name in REPLICAS:
        folder = work / name
        if not (folder / "config.json").is_file():
            build_replica(name, folder, args.length, args.beams)
        cpu_s, cpu_out, _ = timed(folder, "cpu", sentences, args.repeat)
        gpu_s, gpu_out, peak = timed(folder, "cuda", sentences, args.repeat)
        same = sum(a == b for a, b in zip(cpu_out, gpu_out, strict=True))
        rows.append((name, len(sentences) / cpu_s, len(sentences) / gpu_s, cpu_s / gpu_s, peak, same))

    print(f"\nTransformers engine, CPU ({torch.get_num_threads()} threads) and GPU ({torch.cuda.get_device_name()}),"
          f" {len(sentences)} sentences x {args.length} tokens, beam {args.beams}, float32:\n")
    print(f"{'model':<9}{'CPU sent/s':>12}{'GPU sent/s':>12}{'GPU/CPU':>9}{'GPU peak MB':>13}{'same output':>13}")
    for name, cpu, gpu, ratio, peak, same in rows:
        print(f"{name:<9}{cpu:>12.1f}{gpu:>12.1f}{ratio:>8.1f}x{peak:>13.0f}{same:>9}/{len(sentences)}")
    print(f"\ntc-big / opus-mt time: CPU {rows[0][1] / rows[1][1]:.2f}x, GPU {rows[0][2] / rows[1][2]:.2f}x")


if __name__ == "__main__":
    main()
