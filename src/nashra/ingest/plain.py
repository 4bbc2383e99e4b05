"""Plain text: one paragraph per line, the title derived from the lead; a ``.txt`` file of TREC
documents (as the ANT corpus ships) is read as TREC."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..document import Article
from ..errors import InputError
from .fields import Fields, build_article
from .reader import Reader
from .trec import TrecReader


class PlainReader(Reader):
    suffixes = (".txt",)

    def read(self, path: Path, content: str) -> Iterable[Article | InputError]:
        if content.lstrip().upper().startswith("<DOC>"):
            return TrecReader().read(path, content)
        return [build_article(path, Fields(content))]
