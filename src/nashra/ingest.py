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

import errno
import functools
import hashlib
import html
import json
import logging
import os
import re
import stat
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, UTC
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, Protocol

from . import __version__, safeyaml
from .document import Article
from .errors import InputError, shown_path
from .text.arabic import arabic_ratio
from .text.clean import single_line
from .text.metadata import infer_metadata
from .text.segment import split_sentences

log = logging.getLogger(__name__)

SUFFIXES = {".txt", ".md", ".markdown", ".xml", ".trec", ".json", ".jsonl"}
#: Files larger than this are refused (a JSON Lines file may hold many articles).
MAX_FILE_BYTES = 64 * 1024 * 1024
#: An article longer than this (in characters) is refused.
MAX_ARTICLE_CHARS = 1_000_000
#: An article of more sentences than this is refused (summaries compare every pair of sentences).
MAX_ARTICLE_SENTENCES = 2_000
#: Share of Arabic letters below which a text is not treated as Arabic.
MIN_ARABIC_RATIO = 0.4
#: JSON nested deeper than this (objects and lists inside each other) is refused.
MAX_JSON_DEPTH = 200
#: YAML front matter whose aliases expand past this many nodes and characters is refused.
MAX_YAML_UNITS = safeyaml.FrontMatterLoader.max_units
#: The folder a build keeps its state in; a folder holding one is a Nashra output, never read as input.
STATE_DIR_NAME = ".nashra"
TITLE_MAX_CHARS = 90
ID_MAX_CHARS = 80
#: Dates outside these years (in UTC) are ignored: no news article has one, and date arithmetic near
#: the ends of Python's calendar (years 1 and 9999) overflows.
DATE_YEARS = (1800, 2999)


@dataclass
class IngestResult:
    articles: list[Article] = field(default_factory=list)
    problems: list[InputError] = field(default_factory=list)


# -- files -------------------------------------------------------------------


def _walk(folder: Path, problems: list[InputError] | None) -> Iterator[Path]:
    """Article files under ``folder`` in sorted order, hidden files and folders left out.

    Holds the names of one folder per level (as text), not a list of every path in the tree, and
    walks without recursion, so that no depth of folders is too deep. Folder links are not
    followed. A folder that cannot be read, and a Nashra output folder (see :func:`is_output_folder`),
    are left out; the first is reported in ``problems``.
    """
    stack: list[tuple[Path, Iterator[tuple[str, bool]]]] = []

    def enter(path: Path) -> None:
        try:
            with os.scandir(path) as entries:
                names = sorted((entry.name, entry.is_dir(follow_symlinks=False)) for entry in entries
                               if not entry.name.startswith("."))
        except OSError as exc:
            if problems is not None:
                problems.append(InputError(path, f"cannot read folder: {exc.strerror or exc}"))
            return
        stack.append((path, iter(names)))

    enter(folder)
    while stack:
        parent, names = stack[-1]
        entry = next(names, None)
        if entry is None:
            stack.pop()
            continue
        name, is_dir = entry
        child = parent / name
        if is_dir:
            if is_output_folder(child):
                log.info("%s: a Nashra output folder (it holds %s/), not read as input", child, STATE_DIR_NAME)
            else:
                enter(child)
        elif child.suffix.lower() in SUFFIXES:
            # Special files (FIFOs, sockets, links that lead nowhere or in a loop) are yielded too:
            # read_file refuses them with a skip line, without opening them.
            yield child


def is_output_folder(folder: Path) -> bool:
    """Whether ``folder`` is the output of a Nashra build (it keeps its build records in ``.nashra/``).

    A folder of articles may hold a ``.nashra/`` too, with the record of
    ``nashra fetch``; only the build records mark an output.
    """
    return (folder / STATE_DIR_NAME / "records.sqlite3").is_file()


def iter_files(paths: Iterable[str | Path], problems: list[InputError] | None = None) -> Iterator[Path]:
    """Every article file under ``paths``, folders walked in sorted order.

    Raises :class:`InputError` for a path that does not exist. Folders that
    cannot be read, and Nashra output folders, are reported in ``problems``
    (when given) and left out. A file reached more than once (a folder given
    twice, or a folder and a file or folder inside it) is yielded once.
    """
    seen: set[str] = set()

    def first_time(path: Path) -> bool:
        key = os.path.realpath(path)
        if key in seen:
            log.debug("%s: already read (given twice)", path)
            return False
        seen.add(key)
        return True

    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            if is_output_folder(path):
                if problems is not None:
                    problems.append(InputError(path, f"a Nashra output folder (it holds {STATE_DIR_NAME}/), "
                                                     "not read as input; give the folder of the articles instead"))
                continue
            yield from filter(first_time, _walk(path, problems))
        elif path.is_file() or os.path.lexists(path):
            if first_time(path):
                yield path
        else:
            raise InputError(path, "no such file or folder")


def decode(data: bytes, path: Path | str) -> str:
    """Decode ``data``: UTF-8 (with or without BOM), UTF-16 or UTF-32 with BOM, or Windows-1256.

    Text that is UTF-8 apart from a few bad bytes stays UTF-8: the bad bytes
    are replaced, with a warning naming the file and the first byte offset.
    Windows-1256 is chosen only when the bytes are not UTF-8 at large.
    """
    # UTF-32's little-endian byte-order mark starts with UTF-16's: read as UTF-16, it put a NUL after every letter.
    utf32 = data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff"))
    if utf32 or data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-32" if utf32 else "utf-16"
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as exc:
            log.warning("%s: invalid %s at byte offset %d (replaced)", shown_path(path), encoding.upper(), exc.start)
            return data.decode(encoding, errors="replace")
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
        log.warning("%s: invalid UTF-8 at byte offset %d (%d bad sequences replaced)", shown_path(path), first_bad, bad)
        return lenient
    try:
        legacy = data.decode("cp1256")
    except UnicodeDecodeError:
        legacy = None
    if legacy is not None and arabic_ratio(legacy) >= MIN_ARABIC_RATIO:
        log.info("%s: not UTF-8, read as Windows-1256", path)
        return legacy
    log.warning("%s: invalid UTF-8 at byte offset %d (%d bad sequences replaced)", shown_path(path), first_bad, bad)
    return lenient


_SPECIAL_FILES = {stat.S_IFIFO: "a FIFO (named pipe)", stat.S_IFSOCK: "a socket", stat.S_IFCHR: "a character device",
                  stat.S_IFBLK: "a block device", stat.S_IFDIR: "a folder"}


def read_text(path: Path) -> str:
    """The decoded text of a regular file; special files are refused without being opened."""
    try:
        info = path.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InputError(path, "symbolic link loop (the link leads back to itself)") from None
        if os.path.islink(path):
            raise InputError(path, "symbolic link to a missing file") from None
        raise
    if not stat.S_ISREG(info.st_mode):
        kind = _SPECIAL_FILES.get(stat.S_IFMT(info.st_mode), "not a regular file")
        raise InputError(path, f"{kind}, not an article file")
    size = info.st_size
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
        # Kept as it is only when nothing was changed or dropped: "é" and "e" must not both become "e".
        if slug and len(slug) <= ID_MAX_CHARS and slug == str(raw).strip().lower() and not reserved:
            return slug
        digest = hashlib.sha1(str(raw).strip().encode("utf-8")).hexdigest()[:10]
        base = slug[: ID_MAX_CHARS - 14].rstrip("-._")
        return f"id-{base}-{digest}" if reserved or not base else f"{base}-{digest}"
    normalized = " ".join(content.split())
    return "a-" + hashlib.sha1(normalized.encode("utf-8")).hexdigest()[:12]


def parse_date(value: Any, where: object = "") -> datetime | None:
    """Parse the date formats found in news feeds; ``None`` when absent or unreadable."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return _in_range(value if value.tzinfo else value.replace(tzinfo=UTC), where)
    if isinstance(value, date):
        return _in_range(datetime(value.year, value.month, value.day, tzinfo=UTC), where)
    text = str(value).strip()
    for parse in (_parse_iso, parsedate_to_datetime, _parse_compact):
        try:
            parsed = parse(text)
        except (TypeError, ValueError, IndexError, OverflowError):
            continue
        if parsed is not None:
            return _in_range(parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC), where)
    log.warning("%sunreadable date %r ignored", f"{shown_path(where)}: " if where else "", text[:100])
    return None


def _in_range(value: datetime, where: object) -> datetime | None:
    """``value`` when its year in UTC lies within :data:`DATE_YEARS`, else ``None`` with a warning."""
    try:
        year = value.astimezone(UTC).year
    except (OverflowError, ValueError):  # its time zone moves it past year 1 or 9999
        year = value.year
    if DATE_YEARS[0] <= year <= DATE_YEARS[1] and DATE_YEARS[0] <= value.year <= DATE_YEARS[1]:
        return value
    log.warning("%sdate %s ignored: only years %d to %d are read", f"{shown_path(where)}: " if where else "",
                value.isoformat(), *DATE_YEARS)
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


_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def _valid_unicode(value: Any, label: str, name: str) -> Any:
    """``value`` with the UTF-16 surrogates that YAML or JSON escapes can leave in a string made valid:
    an escaped pair (``"\\ud83d\\ude00"``) becomes its character, a lone one U+FFFD (with a warning),
    so that the article can be stored and written as UTF-8. Lists are mended item by item."""
    if isinstance(value, list):
        return [_valid_unicode(item, label, name) for item in value]
    if not isinstance(value, str) or not _SURROGATE_RE.search(value):
        return value
    mended = value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    if mended.count("\ufffd") > value.count("\ufffd"):
        log.warning("%s: unpaired UTF-16 surrogate escape in '%s' replaced by U+FFFD", shown_path(label), name)
    return mended


def _refuse_bool_or_binary(value: Any, label: str, name: str) -> None:
    """Refuse JSON's true or false (shown as "True", a title no one wrote) and YAML's !!binary (shown as
    "b'\x00'") as the field ``name``."""
    if isinstance(value, bool):
        raise InputError(label, f"'{name}' must be text, not {str(value).lower()}")
    if isinstance(value, (bytes, bytearray)):
        raise InputError(label, f"'{name}' must be text, not binary data")


def _clean(value: Any, label: str = "", name: str = "") -> str | None:
    """A single-line field as text: invisible and bidirectional control characters removed.

    A list or mapping is refused (with ``label`` and the field's ``name``): it is not a title or a name.
    """
    if value is None:
        return None
    if isinstance(value, (dict, list, tuple, set)):
        raise InputError(label, f"'{name}' must be text, not a {'list' if not isinstance(value, dict) else 'mapping'}")
    _refuse_bool_or_binary(value, label, name)
    text = single_line(value if isinstance(value, str) else str(value))
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
    text, title, source, url, date_value, raw_id, abstract = (
        _valid_unicode(value, label, name) for name, value in (
            ("text", text), ("title", title), ("source", source), ("url", url), ("date", date_value),
            ("id", raw_id), ("abstract", abstract)))
    if isinstance(text, list):
        if not all(isinstance(t, (str, int, float)) and not isinstance(t, bool) for t in text):
            raise InputError(label, "'text' must be a string or a list of strings")
        text = "\n".join(str(t) for t in text)
    if not isinstance(text, str):
        raise InputError(label, "'text' must be a string or a list of strings")
    if headings and isinstance(text, str):
        # Keep heading indices valid: count only non-empty paragraphs.
        lines = text.splitlines()
        rank = {line: number for number, line in enumerate(i for i, text in enumerate(lines) if text.strip())}
        headings = frozenset(rank[i] for i in headings if i in rank)
    paragraphs = split_paragraphs(text)
    if not paragraphs:
        raise InputError(label, "no article text (empty or whitespace only)")
    body = "\n".join(paragraphs)
    if len(body) > MAX_ARTICLE_CHARS:
        raise InputError(label, f"article is {len(body):,} characters; the limit is {MAX_ARTICLE_CHARS:,}")
    if arabic_ratio(body) < MIN_ARABIC_RATIO:
        raise InputError(label, "no Arabic text found")
    clean_title = _clean(title, label, "title")
    derived = clean_title is None
    if derived:
        clean_title = single_line(derive_title(paragraphs))
    clean_source, clean_url, clean_abstract = (_clean(source, label, "source"), _clean(url, label, "url"),
                                               _clean(abstract, label, "abstract"))
    for name, value in (("date", date_value), ("id", raw_id)):
        if isinstance(value, (dict, list)):
            raise InputError(label, f"'{name}' must be text, not a {'mapping' if isinstance(value, dict) else 'list'}")
        _refuse_bool_or_binary(value, label, name)
    # A date or outlet the file lacks is read from the text when it gives one (marked as inferred).
    return infer_metadata(Article(
        id=make_id(None if raw_id is None else str(raw_id), f"{clean_title}\n{body}"),
        title=clean_title or "",
        paragraphs=paragraphs,
        source=clean_source,
        url=clean_url,
        date=parse_date(date_value, label),
        path=path,
        title_derived=derived,
        abstract=clean_abstract,
        headings=headings,
        where=where,
    ))


# -- formats -----------------------------------------------------------------


def read_plain(path: Path, content: str) -> list[Article]:
    return [build_article(path, text=content)]


_FRONT_MATTER_RE = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_MD_HEADING_RE = re.compile(r"\s{0,3}#{1,6}\s+")


class _Heading:
    """A match of a Markdown heading line: ``group(1)`` is its text without the closing ``#``s.

    Found with a prefix match and three strips: a pattern such as ``(.*?)\\s*#*\\s*$`` takes time
    growing with the square of a long line of ``#``.
    """

    def __init__(self, text: str) -> None:
        self.text = text

    def group(self, index: int) -> str:
        return self.text

    @classmethod
    def match(cls, line: str) -> _Heading | None:
        prefix = _MD_HEADING_RE.match(line)
        if prefix is None:
            return None
        return cls(line[prefix.end():].rstrip().rstrip("#").rstrip())


def read_markdown(path: Path, content: str) -> list[Article]:
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
        heading = _Heading.match(line)
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
    # The first opening tag, then its closing tag: a search for "<TAG>(.*?)</TAG>" would try every
    # opening tag of a document that never closes it, in time growing with the square of its size.
    opening = re.search(rf"<{tag}>", doc, re.IGNORECASE)
    if not opening:
        return None
    closing = re.compile(rf"</{tag}>", re.IGNORECASE).search(doc, opening.end())
    if not closing:
        return None
    return html.unescape(doc[opening.end():closing.start()]).strip()


def read_trec(path: Path, content: str) -> list[Article | InputError]:
    """The documents of a TREC file; a document that cannot be read is its own problem, not the file's."""
    docs = _DOC_RE.findall(content)
    if not docs:
        raise InputError(path, "no <DOC> element found in TREC file")
    if len(docs) == 1:
        return [_trec_article(path, docs[0], "")]
    return [_or_problem(_trec_article, path, doc, f" (document {number})") for number, doc in enumerate(docs, 1)]


def _or_problem(read: Any, path: Path, item: Any, where: str) -> Article | InputError:
    """``read(path, item, where)``, or the problem that stopped it (labelled with ``where``)."""
    try:
        return read(path, item, where)
    except InputError as exc:
        return exc
    except Exception as exc:  # noqa: BLE001 - one item's problem is that item's skip line
        return _unexpected(f"{path}{where}", exc)


def _trec_article(path: Path, doc: str, where: str) -> Article:
    text = _trec_field(doc, "TEXT")
    if text is None:
        raise InputError(f"{path}{where}", "TREC document has no <TEXT> element")
    docno = _trec_field(doc, "DOCNO")
    date_value = _trec_field(doc, "TIME")
    if not date_value and docno:
        compact = re.search(r"(\d{8})$", docno)
        date_value = compact.group(1) if compact else None
    return build_article(
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


def read_json(path: Path, content: str) -> list[Article | InputError]:
    """The articles of a JSON file; an item of a list that cannot be read is its own problem, not the file's."""
    data = parse_json(content, path)
    if not isinstance(data, list):
        return [_from_record(path, data, "")]
    return [_or_problem(_from_record, path, record, f" (item {i})") for i, record in enumerate(data)]


def read_jsonl(path: Path, content: str) -> Iterator[Article | InputError]:
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
            yield _unexpected(f"{path}{where}", exc)


def read_file(path: Path) -> Iterator[Article | InputError]:
    """Articles of one file; problems are yielded, not raised, so good records survive."""
    try:
        content = read_text(path)
        if not content.strip():  # the same line in every format (an empty .jsonl gave none, an empty .json "malformed")
            raise InputError(path, "no article text (empty or whitespace only)")
        suffix = path.suffix.lower()
        if suffix == ".jsonl":
            yield from read_jsonl(path, content)
            return
        if suffix in (".xml", ".trec") or (suffix == ".txt" and content.lstrip().upper().startswith("<DOC>")):
            articles: Sequence[Article | InputError] = read_trec(path, content)
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
    except Exception as exc:  # noqa: BLE001 - one file's problem, whatever it is, is that file's skip line
        yield _unexpected(path, exc)


def _unexpected(label: object, exc: BaseException) -> InputError:
    """A skip line for an error no reader expected (logged in full at DEBUG level)."""
    log.debug("%s: unexpected error", label, exc_info=exc)
    if isinstance(exc, RecursionError):
        return InputError(label, "nested too deeply to read")
    if isinstance(exc, MemoryError):
        return InputError(label, "too large to read in the memory available")
    message = " ".join(str(exc).split())[:200]
    return InputError(label, f"cannot read it ({type(exc).__name__}{': ' + message if message else ''})")


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
    for item in iter_inputs(paths, problems, seen):
        assert isinstance(item, Article)  # without ``known``, every file is read
        yield item


@dataclass(frozen=True)
class KnownArticle:
    """An article of an input file unchanged since a build read it whole: not read again."""

    id: str
    path: Path


#: A file's stamp (see :func:`file_stamp`) -> the ids of its articles when it need not be read, else None.
KnownFile = Callable[[Path, str], Sequence[str] | None]
#: Called with a file's stamp and the ids of its articles once it was read whole without a problem.
ReadFile = Callable[[Path, str, list[str]], None]


def iter_inputs(paths: Iterable[str | Path], problems: list[InputError], seen: SeenIds | None = None,
                known: KnownFile | None = None, read: ReadFile | None = None) -> Iterator[Article | KnownArticle]:
    """:func:`iter_articles`, where a regular file that ``known`` answers for (by its :func:`file_stamp`) is not
    read: its articles come as :class:`KnownArticle`. ``read`` is told of every regular file read whole
    whose articles raised no problem by the time the next file is read (the caller's own problems with
    them, such as a failed segmentation, count)."""
    seen = {} if seen is None else seen
    for path in iter_files(paths, problems):
        try:
            str(path).encode("utf-8")
        except UnicodeEncodeError:  # bytes of another encoding in a file or folder name: no page or record can name it
            problems.append(InputError(path, "the file name is not valid UTF-8; rename the file (or its folder)"))
            continue
        stamp = file_stamp(path) if known is not None or read is not None else None
        ids = known(path, stamp) if known is not None and stamp is not None else None
        if ids is not None and not any(article_id in seen for article_id in ids):
            for article_id in ids:
                seen[article_id] = shown_path(path)
                yield KnownArticle(article_id, path)
            continue
        before, read_ids = len(problems), []
        for item in read_file(path):
            if isinstance(item, InputError):
                problems.append(item)
                continue
            if item.id in seen:
                problems.append(InputError(f"{path}{item.where}",
                                           f"duplicate article id '{item.id}' (first seen in {seen[item.id]})"))
                continue
            seen[item.id] = f"{shown_path(path)}{item.where}"
            read_ids.append(item.id)
            yield item
        if read is not None and stamp is not None and read_ids and len(problems) == before:
            read(path, stamp, read_ids)


#: The code that reads, cleans and splits articles (with nashra.text): a file read by other code is read again.
_READER_MODULES = ("ingest.py", "safeyaml.py", "document.py")


@functools.cache
def _reader() -> str:
    """A digest of Nashra's version and of the code that reads and splits articles (read once a process)."""
    from importlib import resources

    digest = hashlib.sha256(__version__.encode())
    package = resources.files("nashra")
    text = package.joinpath("text")
    for source in [*(package.joinpath(name) for name in _READER_MODULES),
                   *sorted((entry for entry in text.iterdir() if entry.name.endswith(".py")),
                           key=lambda entry: entry.name)]:
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


def file_stamp(path: Path) -> str | None:
    """What tells a regular file unchanged since it was read (size, times, inode, the reader's code); None
    for anything else (a pipe, a file that cannot be stat'ed), which is always read."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    return f"{info.st_size}:{info.st_mtime_ns}:{info.st_ctime_ns}:{info.st_ino}:{info.st_dev}:{_reader()}"


def load(paths: Iterable[str | Path]) -> IngestResult:
    """Stage: read every article under ``paths`` (see :func:`iter_articles`)."""
    result = IngestResult()
    result.articles = list(iter_articles(paths, result.problems))
    return result
