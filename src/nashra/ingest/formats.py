"""The article formats Nashra reads, by file suffix: one :class:`~nashra.ingest.reader.Reader` each.

A new format is a module with its reader, and a line here.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from .jsonfiles import JsonLinesReader, JsonReader
from .markdown import MarkdownReader
from .plain import PlainReader
from .reader import Reader
from .trec import TrecReader

#: Suffix (lower case) -> the reader of its format.
READERS: dict[str, Reader] = {suffix: reader for reader in (PlainReader(), MarkdownReader(), TrecReader(),
                                                            JsonReader(), JsonLinesReader())
                              for suffix in reader.suffixes}
#: The suffixes of the files read as articles; others in a folder are left out.
SUFFIXES = frozenset(READERS)


def reader_for(path: Path) -> Reader:
    """The reader of ``path``'s format; an InputError for a suffix no reader reads."""
    try:
        return READERS[path.suffix.lower()]
    except KeyError:
        raise InputError(path, f"unsupported file type '{path.suffix}' (use one of {', '.join(sorted(SUFFIXES))})") from None
