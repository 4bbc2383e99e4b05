"""Hostile inputs: the time to read (or refuse) each, at growing sizes, side by side.

Each case but the alias bomb (widths 4, 9 and 16) is measured at sizes
growing by a factor of 4; when the time is linear in the size, each row's
time is about 4x the row before (the ratio column), where a quadratic reader
would show 16x. The cases:

* one paragraph of many short sentences, segmented;
* a paragraph of letterless fragments ("1! 1! ..."), segmented;
* JSON nested ever deeper (refused past the depth limit);
* YAML front matter with an alias bomb of growing width (refused past the expansion limit);
* folders nested ever deeper, walked (each level's path is longer than the one above, so the
  characters handled grow with the square of the depth: 1,000 levels take well under a second).

Run:  python benchmarks/hostile.py
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from nashra.ingest.files import iter_files
from nashra.ingest.stage import read_file
from nashra.site.build import remove_tree
from nashra.text.segment import split_sentences


def timed(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def sentences(n: int) -> Callable[[], object]:
    text = " ".join(f"جملة قصيرة رقم {i}." for i in range(n))
    return lambda: split_sentences(text)


def fragments(n: int) -> Callable[[], object]:
    text = "بداية الخبر. " + "1! " * n
    return lambda: split_sentences(text)


def nested_json(folder: Path, n: int) -> Callable[[], object]:
    path = folder / f"deep-{n}.json"
    path.write_text("[" * n + "]" * n, encoding="utf-8")
    return lambda: list(read_file(path))


def alias_bomb(folder: Path, width: int) -> Callable[[], object]:
    lines = ['a0: &a0 "lol"'] + [f"a{i}: &a{i} [{', '.join(f'*a{i - 1}' for _ in range(width))}]" for i in range(1, 10)]
    path = folder / f"bomb-{width}.md"
    path.write_text("---\n" + "\n".join(lines) + "\ntitle: *a9\n---\n\nنص عربي قصير هنا.\n", encoding="utf-8")
    return lambda: list(read_file(path))


def deep_folders(folder: Path, n: int) -> Callable[[], object]:
    root = folder / f"tree-{n}"
    root.mkdir()
    current = root
    for _ in range(n):  # one level at a time: Path.mkdir(parents=True) recurses once per level
        current = current / "d"
        current.mkdir()
    (current / "a.txt").write_text("نص عربي قصير هنا.", encoding="utf-8")
    return lambda: list(iter_files([root]))


def main() -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        cases: list[tuple[str, str, list[int], Callable[[int], Callable[[], object]]]] = [
            ("sentences in one paragraph", "sentences", [6_250, 25_000, 100_000], sentences),
            ("letterless fragments", "fragments", [12_500, 50_000, 200_000], fragments),
            ("nested JSON", "levels", [6_250, 25_000, 100_000], lambda n: nested_json(folder, n)),
            ("YAML alias bomb, 9 levels", "aliases per level", [4, 9, 16], lambda n: alias_bomb(folder, n)),
            ("nested folders", "levels", [60, 250, 1_000], lambda n: deep_folders(folder, n)),
        ]
        print(f"{'case':<28} {'size':>22} {'seconds':>9} {'ratio':>7}")
        try:
            for label, unit, sizes, make in cases:
                previous = None
                for size in sizes:
                    seconds = timed(make(size))
                    ratio = f"{seconds / previous:.1f}x" if previous else ""
                    print(f"{label:<28} {f'{size:,} {unit}':>22} {seconds:9.3f} {ratio:>7}")
                    previous = max(seconds, 1e-6)
        finally:
            for tree in folder.glob("tree-*"):
                remove_tree(tree)  # shutil.rmtree, which cleans the temporary folder, recurses once per level


if __name__ == "__main__":
    main()
