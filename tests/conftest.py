"""Shared fixtures: test data paths and a tiny MarianMT model built once per session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent
EXAMPLES = ROOT / "examples"


@pytest.fixture(autouse=True, scope="session")
def _offline_hub(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests never touch the network: the hub is offline and its cache empty."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["HF_HOME"] = str(tmp_path_factory.mktemp("hf-home"))
    # Never the user's own translation cache.
    os.environ["NASHRA_CACHE_DIR"] = str(tmp_path_factory.mktemp("nashra-cache"))


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    return EXAMPLES


def copy_seeds(folder: Path) -> None:
    """Copy the two example articles into ``folder``, the second dated the day after the first.

    The first one's text gives its date (26 October 2023), the second's none: dated, the second
    joins the first's story however much newer the other articles of a test are.
    """
    first, second = sorted(EXAMPLES.glob("*.txt"))
    (folder / first.name).write_bytes(first.read_bytes())
    text = second.read_text(encoding="utf-8")
    (folder / f"{second.stem}.md").write_text(f"---\ndate: 2023-10-27\n---\n\n{text}", encoding="utf-8")


@pytest.fixture(scope="session")
def seeds_copier():
    return copy_seeds


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A random-weight MarianMT model with a vocabulary trained on the fixtures, saved to disk."""
    from nashra.testing import make_tiny_marian

    sources = [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.txt"))]
    sources.append((DATA / "plain.txt").read_text(encoding="utf-8"))
    targets = [(DATA / "target-en.txt").read_text(encoding="utf-8")]
    return make_tiny_marian(tmp_path_factory.mktemp("tiny-marian"), sources, targets)


@pytest.fixture(scope="session")
def tiny_translator(tiny_model: Path):
    """The transformers engine on the tiny model, loaded once for the session."""
    from nashra.translate import get_translator

    translator = get_translator("transformers", str(tiny_model), device="cpu")
    translator.load()
    return translator


class DictTranslator:
    """A dictionary-backed translator for unit tests (not for end-to-end tests)."""

    engine = "dict"

    def __init__(self, table: dict[str, str] | None = None) -> None:
        from nashra.translate.base import Translator

        outer = self

        class _Impl(Translator):
            engine = "dict"

            @property
            def max_input_tokens(self) -> int:
                return outer.max_tokens

            @property
            def namespace(self) -> str:
                return "dict-namespace"

            def count_tokens(self, sentence: str) -> int:
                return len(sentence.split()) + 1

            def _translate_batches(self, sentences):
                outer.calls.append(list(sentences))
                for start in range(0, len(sentences), outer.batch_size):
                    if outer.fail_after is not None and start >= outer.fail_after:
                        raise KeyboardInterrupt
                    yield [(i, outer.table.get(sentences[i], f"EN[{sentences[i]}]"))
                           for i in range(start, min(start + outer.batch_size, len(sentences)))]

        self.table = table or {}
        self.calls: list[list[str]] = []
        self.max_tokens = 512
        self.batch_size = 1000
        #: Raise KeyboardInterrupt once this many sentences were translated (None: never).
        self.fail_after: int | None = None
        self.impl = _Impl("dict-model")


@pytest.fixture
def dict_translator() -> DictTranslator:
    return DictTranslator()


@pytest.fixture
def refuse_stat(monkeypatch: pytest.MonkeyPatch):
    """``refuse_stat(path)``: from then on in the test, a stat of ``path`` fails with "Permission denied", as for a
    user who may not search its folder (tests run as root too, who may search any folder)."""

    def refuse(path: Path) -> None:
        real_stat = os.stat

        def stat(name, *args, **kwargs):
            if os.path.abspath(name) == str(path):
                raise PermissionError(13, "Permission denied", os.fspath(name))
            return real_stat(name, *args, **kwargs)

        monkeypatch.setattr(os, "stat", stat)

    return refuse
