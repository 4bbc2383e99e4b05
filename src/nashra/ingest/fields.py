"""An article's fields as a file gives them, checked and cleaned into an :class:`~nashra.document.Article`."""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, UTC
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from ..document import Article
from ..errors import InputError, shown_path
from ..text.arabic import arabic_ratio
from ..text.clean import single_line
from ..text.metadata import infer_metadata
from ..text.segment import split_sentences


log = logging.getLogger(__name__)

#: An article longer than this (in characters) is refused.
MAX_ARTICLE_CHARS = 1_000_000

#: Share of Arabic letters below which a text is not treated as Arabic.
MIN_ARABIC_RATIO = 0.4

TITLE_MAX_CHARS = 90
ID_MAX_CHARS = 80
#: Dates outside these years (in UTC) are ignored: no news article has one, and date arithmetic near
#: the ends of Python's calendar (years 1 and 9999) overflows.
DATE_YEARS = (1800, 2999)

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


@dataclass(frozen=True)
class Fields:
    """An article's fields as a file gives them, before any check: whatever a file holds (a JSON
    number, a YAML list, a date) may stand where text belongs, and :func:`build_article` says so."""

    #: The article's text: a string, or a list of paragraphs.
    text: object
    title: object = None
    source: object = None
    url: object = None
    date: object = None
    id: object = None
    abstract: object = None
    #: Numbers of the text's lines that are headings (Markdown).
    headings: frozenset[int] = frozenset()


def build_article(path: Path, fields: Fields, where: str = "") -> Article:
    """Check and clean the fields read from ``path`` (at ``where`` inside it) into an :class:`Article`;
    an :class:`~nashra.errors.InputError` naming the file, the place and the field otherwise."""
    label = f"{path}{where}"
    headings = fields.headings
    text, title, source, url, date_value, raw_id, abstract = (
        _valid_unicode(value, label, name) for name, value in (
            ("text", fields.text), ("title", fields.title), ("source", fields.source), ("url", fields.url),
            ("date", fields.date), ("id", fields.id), ("abstract", fields.abstract)))
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
