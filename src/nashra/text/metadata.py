"""An article's date and outlet read from its own text, for files that carry neither.

Arabic news gives its date near the top: "الخميس 26 أكتوبر/تشرين الأول 2023",
"26/10/2023", in Western or Arabic-Indic digits, with the month named in
the Egyptian/Gulf series (أكتوبر), the Levantine one (تشرين الأول), the
Maghrebi one (أكتوبر, جوان...) or two of them joined by a slash. A Hijri date
("11 ربيع الآخر 1445 هـ") is kept as written, never converted. The outlet comes
from a dateline credit ("دبي (CNN) -- ...") or, failing that, from the host of
the article's URL. Whatever is inferred is marked so (``Article.inferred``):
the pages say where it came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from urllib.parse import urlsplit

from ..document import Article
from .arabic import normalize_arabic, strip_diacritics
from .dateline import split_dateline

#: How far into the text a date or a credit is looked for: the dateline and the lead.
HEAD_CHARS = 400

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")

# Month names as written (they are normalized with the text before matching).
_MONTHS: dict[str, int] = {}
for _number, _names in enumerate((
    ("يناير", "كانون الثاني", "جانفي"),
    ("فبراير", "شباط", "فيفري"),
    ("مارس", "آذار"),
    ("أبريل", "ابريل", "إبريل", "نيسان", "أفريل"),
    ("مايو", "أيار", "ماي"),
    ("يونيو", "يونيه", "حزيران", "جوان"),
    ("يوليو", "يوليه", "تموز", "جويلية"),
    ("أغسطس", "اغسطس", "آب", "أوت"),
    ("سبتمبر", "أيلول", "شتنبر"),
    ("أكتوبر", "اكتوبر", "تشرين الأول"),
    ("نوفمبر", "تشرين الثاني", "نونبر"),
    ("ديسمبر", "كانون الأول", "دجنبر"),
), start=1):
    for _name in _names:
        _MONTHS[normalize_arabic(_name)] = _number

_HIJRI_MONTHS = tuple(normalize_arabic(m) for m in (
    "محرم", "صفر", "ربيع الأول", "ربيع الاول", "ربيع الآخر", "ربيع الثاني", "جمادى الأولى", "جمادى الاولى",
    "جمادى الآخرة", "جمادى الثانية", "رجب", "شعبان", "رمضان", "شوال", "ذو القعدة", "ذو الحجة", "ذي القعدة",
    "ذي الحجة"))

_WEEKDAYS = "|".join(normalize_arabic(d) for d in ("السبت", "الأحد", "الاثنين", "الإثنين", "الثلاثاء", "الأربعاء",
                                                   "الخميس", "الجمعة"))


def _alternatives(names: tuple[str, ...] | list[str]) -> str:
    # Longest first, so that "تشرين الاول" is not read as a shorter name.
    return "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))


_MONTH = f"(?:{_alternatives(list(_MONTHS))})"
# "26 أكتوبر/تشرين الأول 2023", "26 تشرين الأول (أكتوبر) 2023", "26 أكتوبر، 2023".
_NAMED_DATE_RE = re.compile(
    rf"(?<!\d)(?P<day>\d{{1,2}})\s+(?P<month>{_MONTH})(?:\s*[/(]\s*{_MONTH}\s*\)?)?\s*[،,]?\s+(?P<year>\d{{4}})(?!\d)")
_NUMERIC_DATE_RE = re.compile(r"(?<![\d/.-])(?P<day>\d{1,2})([/.-])(?P<month>\d{1,2})\2(?P<year>\d{4})(?![\d/.-])")
_ISO_DATE_RE = re.compile(r"(?<![\d/.-])(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})(?![\d/.-])")
_HIJRI_RE = re.compile(
    rf"(?<!\d)\d{{1,2}}\s+(?:{_alternatives(list(_HIJRI_MONTHS))})\s+\d{{3,4}}(?:\s*ه(?=[\s.,،)]|$))?")
_WEEKDAY_RE = re.compile(rf"(?:{_WEEKDAYS})\s*[،,]?\s*$")
# A credit in brackets in the lead's dateline: "(CNN)", "(رويترز)".
_CREDIT_RE = re.compile(r"\(([^()]{2,30})\)")


@dataclass(frozen=True)
class FoundDate:
    date: datetime
    #: The text the date was read from.
    text: str


def _head(paragraphs: tuple[str, ...] | list[str]) -> str:
    return "\n".join(paragraphs)[:HEAD_CHARS]


def _matchable(text: str) -> tuple[str, str]:
    """``text`` without diacritics, and a copy of it normalized letter for letter (same positions)."""
    base = strip_diacritics(text)
    return base, "".join((normalize_arabic(c) or c)[0] for c in base.translate(_DIGITS))


def find_date(text: str) -> FoundDate | None:
    """The first Gregorian date in ``text`` (a weekday before it wins over an earlier bare date)."""
    base, normalized = _matchable(text)
    candidates: list[tuple[int, int, FoundDate]] = []
    for pattern, named in ((_NAMED_DATE_RE, True), (_NUMERIC_DATE_RE, False), (_ISO_DATE_RE, False)):
        for match in pattern.finditer(normalized):
            month = _MONTHS[" ".join(match.group("month").split())] if named else int(match.group("month"))
            try:
                found = datetime(int(match.group("year")), month, int(match.group("day")), tzinfo=UTC)
            except ValueError:
                continue
            if not 1900 <= found.year <= 2100:
                continue
            weekday = bool(_WEEKDAY_RE.search(normalized[:match.start()]))
            candidates.append((0 if weekday else 1, match.start(), FoundDate(found, base[match.start():match.end()])))
    if not candidates:
        return None
    return min(candidates, key=lambda c: (c[0], c[1]))[2]


def find_hijri(text: str) -> str | None:
    """A Hijri date in ``text``, as written, or ``None``."""
    base, normalized = _matchable(text)
    match = _HIJRI_RE.search(normalized)
    return " ".join(base[match.start():match.end()].split()) if match else None


def find_credit(first_paragraph: str) -> str | None:
    """The outlet credited in the lead's dateline: ``دبي (CNN) -- ...`` -> ``CNN``."""
    dateline, _ = split_dateline(first_paragraph)
    credits = _CREDIT_RE.findall(dateline)
    if not credits:
        return None
    credit = " ".join(credits[-1].split())
    return credit if len(credit.split()) <= 4 else None


def host_of(url: str | None) -> str | None:
    """The host of an article's URL without ``www.``: ``https://www.bbc.com/arabic/x`` -> ``bbc.com``."""
    if not url:
        return None
    try:
        host = urlsplit(url if "//" in url else f"//{url}").hostname
    except ValueError:
        return None
    if not host or "." not in host:
        return None
    return host.removeprefix("www.")


def infer_metadata(article: Article) -> Article:
    """``article`` with the date and outlet its file lacks, read from its text, marked as inferred.

    Returns the article unchanged when it has both, or when its text names neither.
    """
    inferred: list[str] = []
    changes: dict[str, object] = {}
    head = _head(article.paragraphs)
    if article.date is None:
        found = find_date(head)
        if found is not None:
            changes["date"] = found.date
            inferred.append("date")
        hijri = find_hijri(head)
        if hijri is not None:
            changes["date_hijri"] = hijri
    if article.source is None:
        source = find_credit(article.paragraphs[0]) if article.paragraphs else None
        source = source or host_of(article.url)
        if source is not None:
            changes["source"] = source
            inferred.append("source")
    if not changes:
        return article
    return replace(article, inferred=(*article.inferred, *inferred), **changes)  # type: ignore[arg-type]
