"""Markdown with optional YAML front matter (title, source, url, date, id, abstract)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .. import safeyaml
from ..document import Article
from ..errors import InputError
from .fields import Fields, build_article
from .reader import Reader


#: YAML front matter whose aliases expand past this many nodes and characters is refused.
MAX_YAML_UNITS = safeyaml.FrontMatterLoader.max_units

_FRONT_MATTER_RE = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_MD_HEADING_RE = re.compile(r"\s{0,3}#{1,6}\s+")


def heading_text(line: str) -> str | None:
    """The text of a Markdown heading line without its ``#``s (None for another line).

    Found with a prefix match and three strips: a pattern such as ``(.*?)\\s*#*\\s*$`` takes time
    growing with the square of a long line of ``#``.
    """
    prefix = _MD_HEADING_RE.match(line)
    if prefix is None:
        return None
    return line[prefix.end():].rstrip().rstrip("#").rstrip()


class MarkdownReader(Reader):
    suffixes = (".md", ".markdown")

    def read(self, path: Path, content: str) -> list[Article | InputError]:
        return [read_markdown(path, content)]


def read_markdown(path: Path, content: str) -> Article:
    """The article of a Markdown file: its front matter's fields, its first heading as title when the front
    matter has none, paragraphs (blocks of lines) and headings."""
    meta: dict[str, Any] = {}
    match = _FRONT_MATTER_RE.match(content)
    if match:
        try:
            loaded = safeyaml.load(match.group(1), safeyaml.FrontMatterLoader, first_line=2)
        except safeyaml.YAMLProblem as exc:
            where = f" (line {exc.line})" if exc.line is not None else ""
            raise InputError(path, f"malformed YAML front matter{where}: {exc.reason}") from None
        if loaded is not None and not isinstance(loaded, dict):
            raise InputError(path, "front matter must be a mapping of keys to values")
        meta = loaded or {}
        content = content[match.end():]
    # Markdown paragraphs: blocks separated by blank lines; lines inside a block joined.
    paragraphs: list[str] = []
    heading_lines: set[int] = set()
    heading_title: str | None = None
    block: list[str] = []
    for line in content.splitlines() + [""]:
        heading = heading_text(line)
        if heading is not None and heading_title is None and not paragraphs and not block and "title" not in meta:
            heading_title = heading
            continue
        if heading is not None:
            line = heading
            if block:
                paragraphs.append(" ".join(block))
                block = []
            heading_lines.add(len(paragraphs))
            paragraphs.append(line)
            continue
        if line.strip():
            block.append(line.strip())
        elif block:
            paragraphs.append(" ".join(block))
            block = []
    fields = Fields(text="\n".join(" ".join(p.split()) for p in paragraphs), headings=frozenset(heading_lines),
                    title=meta.get("title", heading_title), source=meta.get("source"), url=meta.get("url"),
                    date=meta.get("date"), id=meta.get("id"), abstract=meta.get("abstract"))
    return build_article(path, fields)
