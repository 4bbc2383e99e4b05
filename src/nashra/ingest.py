"""Read articles from files and folders.

Formats, chosen by extension (and content for ``.txt``):

* ``.txt``: UTF-8 plain text, one paragraph per line; the title is derived
  from the lead sentence. A ``.txt`` file whose content starts with ``<DOC>``
  is read as TREC, which is how the ANT corpus ships its articles.
* ``.md``/``.markdown``: Markdown with optional YAML front matter
  (``title``, ``source``, ``url``, ``date``, ``id``).
* ``.xml``/``.trec``: TREC-style ``<DOC>`` documents (DOCNO, URL, SRC, TITLE,
  TIME, ABSTRACT, TEXT). Parsed leniently: not every corpus file is valid XML.
* ``.json`` (an object or a list of objects) and ``.jsonl`` (one object per
  line) with ``title`` and ``text`` and the optional fields above.

A file that cannot be read never stops the others: :func:`load` returns the
articles it could read and a :class:`~nashra.errors.InputError` for each file
or record it could not.
"""

from __future__ import annotations

import hashlib
import html
import json
import logging
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, UTC
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, Protocol

import yaml

from .document import Article
from .errors import InputError
from .text.arabic import arabic_ratio
from .text.metadata import infer_metadata
from .text.segment import split_sentences

log = logging.getLogger(__name__)

SUFFIXES = {".txt", ".md", ".markdown", ".xml", ".trec", ".json", ".jsonl"}
#: Files larger than this are refused (a JSON Lines file may hold many articles).
MAX_FILE_BYTES = 64 * 1024 * 1024
#: An article longer than this (in characters) is refused.
MAX_ARTICLE_CHARS = 1_000_000
#: Share of Arabic letters below which a text is not treated as Arabic.
MIN_ARABIC_RATIO = 0.4
TITLE_MAX_CHARS = 90
ID_MAX_CHARS = 80


@dataclass
class IngestResult:
    articles: list[Article] = field(default_factory=list)
    problems: list[InputError] = field(default_factory=list)


# -- files -------------------------------------------------------------------


def _walk(folder: Path) -> Iterator[Path]:
    """Article files under ``folder`` in sorted order, hidden files and folders left out.

    Holds the names of one folder at a time (as text), not a list of every path in the tree.
    """
    with os.scandir(folder) as entries:
        names = sorted((entry.name, entry.is_dir(follow_symlinks=False)) for entry in entries
                       if not entry.name.startswith("."))
    for name, is_dir in names:
        child = folder / name
        if is_dir:
            yield from _walk(child)
        elif child.suffix.lower() in SUFFIXES and child.is_file():
            yield child


def iter_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Every article file under ``paths``, folders walked in sorted order.

    Raises :class:`InputError` for a path that does not exist.
    """
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from _walk(path)
        elif path.is_file():
            yield path
        else:
            raise InputError(path, "no such file or folder")


def decode(data: bytes, path: Path | str) -> str:
    """Decode ``data``: UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1256.

    Text that is UTF-8 apart from a few bad bytes stays UTF-8: the bad bytes
    are replaced, with a warning naming the file and the first byte offset.
    Windows-1256 is chosen only when the bytes are not UTF-8 at large.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data[:8192]:
        raise InputError(path, "binary file (contains NUL bytes), not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    lenient = data.decode("utf-8-sig", errors="replace")
    bad = lenient.count("\ufffd")
    # Legacy Arabic text has almost no valid multi-byte UTF-8 sequences; damaged UTF-8 has many.
    valid_multibyte = sum(1 for c in lenient if ord(c) > 0x7F) - bad
    if valid_multibyte >= 2 * bad:
        log.warning("%s: invalid UTF-8 at byte offset %d (%d bad sequences replaced)", path, first_bad, bad)
        return lenient
    try:
        legacy = data.decode("cp1256")
    except UnicodeDecodeError:
        legacy = None
    if legacy is not None and arabic_ratio(legacy) >= MIN_ARABIC_RATIO:
        log.info("%s: not UTF-8, read as Windows-1256", path)
        return legacy
    log.warning("%s: invalid UTF-8 at byte offset %d (%d bad sequences replaced)", path, first_bad, bad)
    return lenient


def read_text(path: Path) -> str:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise InputError(path, f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}")
    return decode(path.read_bytes(), path)


# -- fields ------------------------------------------------------------------

_SLUG_RE = re.compile(r"[^a-z0-9._-]+")
#: Names Windows reserves for devices, with or without an extension.
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}


def make_id(raw: str | None, content: str) -> str:
    """A stable, URL- and file-safe id: from ``raw`` when given, else from ``content``."""
    if raw is not None and str(raw).strip():
        text = unicodedata.normalize("NFKD", str(raw).strip()).encode("ascii", "ignore").decode()
        slug = re.sub(r"\.{2,}", ".", _SLUG_RE.sub("-", text.lower())).strip("-._")
        reserved = slug.split(".")[0] in _RESERVED
        if slug and len(slug) <= ID_MAX_CHARS and slug == text.lower() and not reserved:
            return slug
        digest = hashlib.sha1(str(raw).strip().encode("utf-8")).hexdigest()[:10]
        base = slug[: ID_MAX_CHARS - 14].rstrip("-._")
        return f"id-{base}-{digest}" if reserved or not base else f"{base}-{digest}"
    normalized = " ".join(content.split())
    return "a-" + hashlib.sha1(normalized.encode("utf-8")).hexdigest()[:12]


def parse_date(value: Any) -> datetime | None:
    """Parse the date formats found in news feeds; ``None`` when absent or unreadable."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    text = str(value).strip()
    for parse in (_parse_iso, parsedate_to_datetime, _parse_compact):
        try:
            parsed = parse(text)
        except (TypeError, ValueError, IndexError, OverflowError):
            continue
        if parsed is not None:
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    log.warning("unreadable date %r ignored", text)
    return None


def _parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _parse_compact(text: str) -> datetime:
    return datetime.strptime(text, "%Y%m%d")


def derive_title(paragraphs: Iterable[str]) -> str:
    """A short title from the lead sentence, cut at a word boundary."""
    for paragraph in paragraphs:
        sentences = split_sentences(paragraph)
        if sentences:
            lead = sentences[0].rstrip(".!؟?")
            if len(lead) <= TITLE_MAX_CHARS:
                return lead
            cut = lead[:TITLE_MAX_CHARS]
            if " " in cut:
                cut = cut[: cut.rindex(" ")]
            return cut.rstrip(" ،,:؛;-–") + "…"
    return ""


def split_paragraphs(text: str) -> tuple[str, ...]:
    """Non-empty lines with whitespace collapsed."""
    return tuple(" ".join(line.split()) for line in text.splitlines() if line.strip())


def _clean(value: Any) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def build_article(
    path: Path,
    *,
    text: str | list[str],
    title: Any = None,
    source: Any = None,
    url: Any = None,
    date_value: Any = None,
    raw_id: Any = None,
    abstract: Any = None,
    where: str = "",
    headings: frozenset[int] = frozenset(),
) -> Article:
    """Validate the fields read from a file and make an :class:`Article`."""
    label = f"{path}{where}"
    if isinstance(text, list):
        text = "\n".join(str(t) for t in text)
    if not isinstance(text, str):
        raise InputError(label, "'text' must be a string or a list of strings")
    if headings and isinstance(text, str):
        # Keep heading indices valid: count only non-empty paragraphs.
        lines = text.splitlines()
        kept = [i for i, line in enumerate(lines) if line.strip()]
        headings = frozenset(kept.index(i) for i in headings if i in kept)
    paragraphs = split_paragraphs(text)
    if not paragraphs:
        raise InputError(label, "no article text (empty or whitespace only)")
    body = "\n".join(paragraphs)
    if len(body) > MAX_ARTICLE_CHARS:
        raise InputError(label, f"article is {len(body):,} characters; the limit is {MAX_ARTICLE_CHARS:,}")
    if arabic_ratio(body) < MIN_ARABIC_RATIO:
        raise InputError(label, "no Arabic text found")
    clean_title = _clean(title)
    derived = clean_title is None
    if derived:
        clean_title = derive_title(paragraphs)
    # A date or outlet the file lacks is read from the text when it gives one (marked as inferred).
    return infer_metadata(Article(
        id=make_id(None if raw_id is None else str(raw_id), f"{clean_title}\n{body}"),
        title=clean_title or "",
        paragraphs=paragraphs,
        source=_clean(source),
        url=_clean(url),
        date=parse_date(date_value),
        path=path,
        title_derived=derived,
        abstract=_clean(abstract),
        headings=headings,
    ))


# -- formats -----------------------------------------------------------------


def read_plain(path: Path, content: str) -> list[Article]:
    return [build_article(path, text=content)]


_FRONT_MATTER_RE = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_MD_HEADING_RE = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")


def read_markdown(path: Path, content: str) -> list[Article]:
    meta: dict[str, Any] = {}
    match = _FRONT_MATTER_RE.match(content)
    if match:
        try:
            loaded = yaml.safe_load(match.group(1))
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" (line {mark.line + 2})" if mark is not None else ""
            raise InputError(path, f"malformed YAML front matter{where}") from None
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
        heading = _MD_HEADING_RE.match(line)
        if heading and heading_title is None and not paragraphs and not block and "title" not in meta:
            heading_title = heading.group(1)
            continue
        if heading:
            line = heading.group(1)
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
    return [
        build_article(
            path,
            text="\n".join(" ".join(p.split()) for p in paragraphs),
            headings=frozenset(heading_lines),
            title=meta.get("title", heading_title),
            source=meta.get("source"),
            url=meta.get("url"),
            date_value=meta.get("date"),
            raw_id=meta.get("id"),
            abstract=meta.get("abstract"),
        )
    ]


_DOC_RE = re.compile(r"<DOC>(.*?)(?:</DOC>|\Z)", re.DOTALL | re.IGNORECASE)


def _trec_field(doc: str, tag: str) -> str | None:
    match = re.search(rf"<{tag}>(.*?)</{tag}>", doc, re.DOTALL | re.IGNORECASE)
    if not match:
        return None
    return html.unescape(match.group(1)).strip()


def read_trec(path: Path, content: str) -> list[Article]:
    docs = _DOC_RE.findall(content)
    if not docs:
        raise InputError(path, "no <DOC> element found in TREC file")
    articles = []
    for number, doc in enumerate(docs, 1):
        text = _trec_field(doc, "TEXT")
        where = f" (document {number})" if len(docs) > 1 else ""
        if text is None:
            raise InputError(f"{path}{where}", "TREC document has no <TEXT> element")
        docno = _trec_field(doc, "DOCNO")
        date_value = _trec_field(doc, "TIME")
        if not date_value and docno:
            compact = re.search(r"(\d{8})$", docno)
            date_value = compact.group(1) if compact else None
        articles.append(
            build_article(
                path,
                text=text,
                title=_trec_field(doc, "TITLE"),
                source=_trec_field(doc, "SRC"),
                url=_trec_field(doc, "URL"),
                date_value=date_value,
                raw_id=docno,
                abstract=_trec_field(doc, "ABSTRACT"),
                where=where,
            )
        )
    return articles


def _from_record(path: Path, record: Any, where: str) -> Article:
    if not isinstance(record, dict):
        raise InputError(f"{path}{where}", "expected a JSON object with 'title' and 'text'")
    if "text" not in record:
        raise InputError(f"{path}{where}", "JSON object has no 'text' field")
    return build_article(
        path,
        text=record["text"],
        title=record.get("title"),
        source=record.get("source"),
        url=record.get("url"),
        date_value=record.get("date"),
        raw_id=record.get("id"),
        abstract=record.get("abstract"),
        where=where,
    )


def read_json(path: Path, content: str) -> list[Article]:
    try:
        data = json.loads(content)
    except json.JSONDecodeError as exc:
        raise InputError(path, f"malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    records = data if isinstance(data, list) else [data]
    return [_from_record(path, r, f" (item {i})" if isinstance(data, list) else "") for i, r in enumerate(records)]


def read_jsonl(path: Path, content: str) -> Iterator[Article | InputError]:
    for number, line in enumerate(content.splitlines(), 1):
        if not line.strip():
            continue
        where = f" (line {number})"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputError(f"{path}{where}", f"malformed JSON: {exc.msg}")
            continue
        try:
            yield _from_record(path, record, where)
        except InputError as exc:
            yield exc


def read_file(path: Path) -> Iterator[Article | InputError]:
    """Articles of one file; problems are yielded, not raised, so good records survive."""
    try:
        content = read_text(path)
        suffix = path.suffix.lower()
        if suffix == ".jsonl":
            yield from read_jsonl(path, content)
            return
        if suffix in (".xml", ".trec") or (suffix == ".txt" and content.lstrip().upper().startswith("<DOC>")):
            articles = read_trec(path, content)
        elif suffix in (".md", ".markdown"):
            articles = read_markdown(path, content)
        elif suffix == ".json":
            articles = read_json(path, content)
        elif suffix == ".txt":
            articles = read_plain(path, content)
        else:
            raise InputError(path, f"unsupported file type '{path.suffix}' (use one of {', '.join(sorted(SUFFIXES))})")
        yield from articles
    except InputError as exc:
        yield exc
    except OSError as exc:
        yield InputError(path, f"cannot read file: {exc.strerror or exc}")


class SeenIds(Protocol):
    """Where each article id was first read from (a dict, or a table for an archive of any size)."""

    def __contains__(self, article_id: object, /) -> bool: ...

    def __getitem__(self, article_id: str, /) -> str: ...

    def __setitem__(self, article_id: str, path: str, /) -> None: ...


def iter_articles(paths: Iterable[str | Path], problems: list[InputError],
                  seen: SeenIds | None = None) -> Iterator[Article]:
    """Stage: read the articles under ``paths`` one at a time, appending what cannot be read to ``problems``.

    Articles whose id was already seen are reported as problems and skipped;
    ``seen`` (a dict by default) remembers the ids read and their files.
    """
    seen = {} if seen is None else seen
    for path in iter_files(paths):
        for item in read_file(path):
            if isinstance(item, InputError):
                problems.append(item)
                continue
            if item.id in seen:
                problems.append(InputError(path, f"duplicate article id '{item.id}' (first seen in {seen[item.id]})"))
                continue
            seen[item.id] = str(path)
            yield item


def load(paths: Iterable[str | Path]) -> IngestResult:
    """Stage: read every article under ``paths`` (see :func:`iter_articles`)."""
    result = IngestResult()
    result.articles = list(iter_articles(paths, result.problems))
    return result
