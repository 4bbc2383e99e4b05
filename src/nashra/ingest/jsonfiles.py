"""JSON (an object or a list of objects) and JSON Lines (one object a line)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..document import Article
from ..errors import InputError
from .fields import Fields, build_article
from .reader import Reader, or_problem, unexpected


#: JSON nested deeper than this (objects and lists inside each other) is refused.
MAX_JSON_DEPTH = 200


def _from_record(path: Path, record: Any, where: str) -> Article:
    if not isinstance(record, dict):
        raise InputError(f"{path}{where}", "expected a JSON object with 'title' and 'text'")
    if "text" not in record:
        raise InputError(f"{path}{where}", "JSON object has no 'text' field")
    return build_article(path, Fields(record["text"], title=record.get("title"), source=record.get("source"),
                                      url=record.get("url"), date=record.get("date"), id=record.get("id"),
                                      abstract=record.get("abstract")), where)


def _json_depth_over(data: Any, limit: int) -> bool:
    """Whether lists and objects nest deeper than ``limit`` in ``data`` (walked without recursion)."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            value = list(value.values())
        elif not isinstance(value, list):
            continue
        if depth > limit:
            return True
        stack.extend((item, depth + 1) for item in value if isinstance(item, (dict, list)))
    return False


def parse_json(text: str, label: object) -> Any:
    """JSON ``text`` as Python data; :class:`InputError` naming ``label`` when malformed or nested too deeply."""
    too_deep = InputError(label, f"JSON nested more than {MAX_JSON_DEPTH:,} levels deep (the limit)")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(label, f"malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise too_deep from None
    except ValueError as exc:  # such as an integer of more digits than Python converts
        raise InputError(label, f"malformed JSON: {' '.join(str(exc).split())}") from None
    if _json_depth_over(data, MAX_JSON_DEPTH):
        raise too_deep
    return data


class JsonReader(Reader):
    suffixes = (".json",)

    def read(self, path: Path, content: str) -> list[Article | InputError]:
        """The articles of a JSON file; an item of a list that cannot be read is its own problem, not the file's."""
        data = parse_json(content, path)
        if not isinstance(data, list):
            return [_from_record(path, data, "")]
        return [or_problem(_from_record, path, record, f" (item {i})") for i, record in enumerate(data)]


class JsonLinesReader(Reader):
    suffixes = (".jsonl",)

    def read(self, path: Path, content: str) -> Iterator[Article | InputError]:
        """The articles of a JSON Lines file, one a line; a line that cannot be read is its own problem."""
        # Lines end at "\n" (or "\r\n") only: a JSON string may hold U+2028, U+2029 or U+0085 as they are,
        # which str.splitlines() would take for line ends, cutting a good record in two.
        for number, line in enumerate(content.split("\n"), 1):
            line = line.lstrip("\ufeff")  # the byte-order mark of a file joined to another (cat a.jsonl b.jsonl)
            if not line.strip():
                continue
            where = f" (line {number})"
            try:
                yield _from_record(path, parse_json(line, f"{path}{where}"), where)
            except InputError as exc:
                yield exc
            except Exception as exc:  # noqa: BLE001 - whatever breaks on one line skips that line only
                yield unexpected(f"{path}{where}", exc)
