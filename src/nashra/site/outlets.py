"""The names readers know outlets by, in English and Arabic.

Input files name their outlet however their scraper did (``skynews``,
``alarabia``, ``BBC``). The site shows the name the outlet uses itself, from a
built-in table of common Arabic-language outlets keyed by the normalized raw
name, which a project's ``nashra.toml`` may extend or override::

    [outlets]
    skynews = { en = "Sky News Arabia", ar = "سكاي نيوز عربية" }
    "Example Wire" = { en = "Example Wire", ar = "وكالة المثال" }

A raw name missing from both is shown as written.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class OutletName:
    en: str
    ar: str

    def in_lang(self, lang: str) -> str:
        return self.ar if lang == "ar" else self.en


def _names(en: str, ar: str, *keys: str) -> dict[str, OutletName]:
    name = OutletName(en, ar)
    return {key: name for key in keys}


#: Built-in display names, by normalized raw name (see :func:`outlet_key`); aliases share one entry.
BUILT_IN: dict[str, OutletName] = {
    **_names("Al Arabiya", "العربية", "alarabia", "alarabiya", "alarabiyanet", "العربية", "العربيةنت"),
    **_names("BBC Arabic", "بي بي سي عربي", "bbc", "bbcarabic", "bbcnews", "bbcnewsarabic", "بيبيسي",
             "بيبيسيعربي"),
    **_names("CNN Arabic", "سي إن إن بالعربية", "cnn", "cnnarabic", "arabiccnn", "سيإنإن", "سيإنإنبالعربية"),
    **_names("France 24", "فرانس 24", "france24", "france24arabic", "فرانس24"),
    **_names("Sky News Arabia", "سكاي نيوز عربية", "skynews", "skynewsarabia", "سكاينيوزعربية"),
    **_names("Al Jazeera", "الجزيرة", "aljazeera", "aljazeeranet", "jazeera", "الجزيرة", "الجزيرةنت"),
    **_names("Asharq Al-Awsat", "الشرق الأوسط", "asharqalawsat", "aawsat", "alsharqalawsat", "الشرقالأوسط"),
    **_names("Anadolu Agency", "الأناضول", "anadolu", "anadoluagency", "aa", "الأناضول", "وكالةالأناضول"),
    **_names("RT Arabic", "آر تي عربي", "rt", "rtarabic", "russiatoday", "روسيااليوم", "آرتي"),
    **_names("Reuters", "رويترز", "reuters", "رويترز"),
    **_names("AFP", "فرانس برس", "afp", "agencefrancepresse", "فرانسبرس", "فرانسبريس"),
    **_names("Associated Press", "أسوشيتد برس", "ap", "associatedpress", "أسوشيتدبرس"),
    **_names("Al-Ahram", "الأهرام", "ahram", "alahram", "الأهرام"),
    **_names("Al Mayadeen", "الميادين", "almayadeen", "mayadeen", "الميادين"),
    **_names("Euronews Arabic", "يورونيوز عربي", "euronews", "euronewsarabic", "يورونيوز"),
    **_names("DW Arabic", "دويتشه فيله عربية", "dw", "dwarabic", "deutschewelle", "دويتشهفيله"),
    **_names("Independent Arabia", "اندبندنت عربية", "independentarabia", "اندبندنتعربية"),
    **_names("Al-Quds Al-Arabi", "القدس العربي", "alquds", "alqudsalarabi", "القدسالعربي"),
    **_names("Asharq News", "الشرق", "asharq", "asharqnews", "الشرق"),
    **_names("SANA", "سانا", "sana", "سانا"),
    **_names("WAFA", "وفا", "wafa", "وفا"),
}

_DROP_RE = re.compile(r"[\W_]+")


def outlet_key(raw: str) -> str:
    """The normalized form of a raw outlet name: lower case, letters and digits only (``Sky News`` -> ``skynews``)."""
    text = unicodedata.normalize("NFKC", raw).casefold()
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return _DROP_RE.sub("", text.replace("\u0640", ""))


_overrides: dict[str, OutletName] = {}


@contextmanager
def outlet_names(overrides: Mapping[str, Mapping[str, str]] | None) -> Iterator[None]:
    """Use a project's names (raw name -> {"en": ..., "ar": ...}) over the built-in ones while pages are written."""
    global _overrides
    previous = _overrides
    _overrides = {outlet_key(raw): OutletName(names.get("en") or raw, names.get("ar") or names.get("en") or raw)
                  for raw, names in (overrides or {}).items()}
    try:
        yield
    finally:
        _overrides = previous


def known(raw: str | None) -> OutletName | None:
    """The display names of a raw outlet name, or None when neither the project nor Nashra knows it."""
    if not raw:
        return None
    key = outlet_key(raw)
    return _overrides.get(key) or BUILT_IN.get(key)


def outlet_name(raw: str | None, lang: str) -> str | None:
    """The name to show for a raw outlet name in ``lang`` (the raw name when unknown; None without one)."""
    if not raw or not raw.strip():
        return None
    names = known(raw)
    return names.in_lang(lang) if names else " ".join(raw.split())


#: The longest outlet name used as its page's file name as it is.
SLUG_MAX_CHARS = 80


def outlet_slug(raw: str) -> str:
    """The file name of an outlet's page: its normalized name when plain ASCII and at most
    :data:`SLUG_MAX_CHARS` long (a file name has a length limit), else a short hash of it."""
    key = outlet_key(raw)
    names = known(raw)
    if names is not None:
        key = outlet_key(names.en) or key
    if key and key.isascii() and key.isalnum() and len(key) <= SLUG_MAX_CHARS:
        return key
    return "outlet-" + hashlib.sha256((key or " ".join(raw.split())).encode("utf-8")).hexdigest()[:10]


def names_fingerprint() -> str:
    """What the names in use depend on: part of every article page's key."""
    return json.dumps(sorted((k, v.en, v.ar) for k, v in _overrides.items()), ensure_ascii=False)


__all__ = ["BUILT_IN", "OutletName", "known", "names_fingerprint", "outlet_key", "outlet_name", "outlet_names",
           "outlet_slug"]
