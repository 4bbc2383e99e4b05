"""Arabic search by light stems: the index and the reader's query normalized the same way.

Pagefind's Arabic stemmer (Snowball's) gives a word with and without the
article one stem in 77% of 600 real pairs, and misses most indefinite plurals
in ـات (a search for مفاوضات did not find المفاوضات); Nashra's light stemmer
(:func:`nashra.text.tokens.light_stem` after
:func:`nashra.text.arabic.normalize_arabic`) agrees on 91%. So both sides of
an Arabic search go through the light stemmer, and Pagefind matches what it
gives:

- the index: each Arabic page that is searched carries the light stems of its
  indexed words as Pagefind metadata (``data-pagefind-meta="stems:..."``).
  Pagefind searches metadata as it does the page's text, but an excerpt is only
  ever taken from the page's text: results show what the page says, never the
  stems. (A hidden element is indexed too, but its words are part of the
  page's text and end up in the excerpts; an element marked
  ``data-pagefind-ignore`` is not indexed at all.)
- the query: the search box loads Pagefind through a small module
  (:data:`QUERY_DIR`/``pagefind.js`` in the bundle, written by
  :func:`write_query_module`, named by the box's ``<pagefind-config
  bundle-path>``) that rewrites each Arabic word of the query to its light
  stem before Pagefind's search, on Arabic pages only. (Pagefind's Default UI
  has a ``processTerm`` option for this; its component UI, the site's search
  box, has none.) Its rules (the
  diacritics, the letter forms, the prefixes and suffixes) are written into it
  from the Python ones, and a test compares it with :func:`search_stem` in a
  browser word by word.

English pages and English queries are left as they were.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from ..text import arabic, tokens
from ..text.arabic import normalize_arabic
from ..text.tokens import light_stem

#: The metadata key of a page's stems.
META_KEY = "stems"
#: The folder, inside the search bundle, of the module the search box loads Pagefind through.
QUERY_DIR = "nashra"
#: An Arabic word: Arabic letters with their diacritics and tatweel (the same in the query module).
ARABIC_WORD = "[\u0610-\u061a\u0621-\u065f\u0670-\u06d3\u06d6-\u06ed]+"
_ARABIC_WORD_RE = re.compile(ARABIC_WORD)
_ARABIC_PAGE_RE = re.compile(r"<html\b[^>]*\blang=\"ar\b", re.IGNORECASE)
#: The class of an article page's paragraph linking to its story (nashra.site.render), which the index leaves
#: out with the elements marked ``data-search-exclude`` (nashra.site.search.EXCLUDE).
STORY_LINK = "nashra-story-link"
_EXCLUDED_START_RE = re.compile(rf'<([a-zA-Z][a-zA-Z0-9]*)\b[^>]*\s(?:data-search-exclude\b|class="{STORY_LINK}")'
                                r'[^>]*>')
_TAG_RE = re.compile(r"<[^>]*>")
_QUERY_TEMPLATE = "search_query.js"


def search_stem(word: str) -> str:
    """The form an Arabic word is searched by: its light stem, normalized."""
    return light_stem(normalize_arabic(word), "ar")


def stems(text: str) -> list[str]:
    """The search stems of the Arabic words of ``text``, each once, in the order they first occur."""
    found = dict.fromkeys(search_stem(word) for word in _ARABIC_WORD_RE.findall(text))
    found.pop("", None)
    return list(found)


def is_arabic_page(output: str) -> bool:
    """Whether the page's ``<html lang>`` is Arabic."""
    return bool(_ARABIC_PAGE_RE.search(output[:2000]))


def _close(markup: str, tag: str, start: int) -> int:
    """The end of the element ``tag`` whose start tag ends at ``start`` (the end of ``markup`` if unclosed)."""
    pattern = re.compile(rf"<(/?){tag}\b[^>]*>", re.IGNORECASE)
    depth = 1
    for match in pattern.finditer(markup, start):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            return match.end()
    return len(markup)


def indexed_text(markup: str) -> str:
    """The text of an indexed element's HTML as the index has it: tags and excluded elements removed."""
    parts: list[str] = []
    position = 0
    while (match := _EXCLUDED_START_RE.search(markup, position)) is not None:
        parts.append(markup[position:match.start()])
        position = _close(markup, match.group(1), match.end())
    parts.append(markup[position:])
    return html.unescape(_TAG_RE.sub(" ", " ".join(parts)))


def stems_meta(markup: str) -> str:
    """The ``data-pagefind-meta`` attribute that carries the stems of an indexed element's HTML ('' if none)."""
    found = stems(indexed_text(markup))
    if not found:
        return ""
    return f' data-pagefind-meta="{html.escape(META_KEY + ":" + " ".join(found), quote=True)}"'


def stemmer_sources() -> list[bytes]:
    """The code the stems are made by (nashra.text's normalization and light stemmer): pages that carry
    stems are made again when it changes (:func:`nashra.site.pagebuild.site_signature`), so that they
    keep the stems the query module makes."""
    package = resources.files("nashra.text")
    return [package.joinpath(name).read_bytes() for name in ("arabic.py", "tokens.py")]


def query_rules() -> dict[str, object]:
    """The light stemmer's rules, for the query module: the same as :func:`search_stem` applies."""
    letters = {chr(code): (value or "") for code, value in arabic._LETTER_MAP.items()}
    return {"word": ARABIC_WORD, "diacritics": arabic.DIACRITICS_RE.pattern, "letters": letters,
            "prefixes": list(tokens._AR_PREFIXES + tokens._AR_PROCLITICS), "suffixes": list(tokens._AR_SUFFIXES),
            "meta": META_KEY}


def query_module(parts: Sequence[str] = (), main: str = "") -> str:
    """The JavaScript module the search box loads Pagefind through (see the module docstring); ``parts``:
    the index's other parts, merged into every search, and ``main`` the part of the bundle's own index
    (:mod:`nashra.site.search_parts`)."""
    template = resources.files("nashra.site").joinpath(_QUERY_TEMPLATE).read_text(encoding="utf-8")
    return (template.replace("/*RULES*/null", json.dumps(query_rules(), ensure_ascii=False, sort_keys=True))
            .replace("/*PARTS*/[]", json.dumps(list(parts))).replace('/*MAIN*/""', json.dumps(main)))


def write_query_module(bundle: Path, parts: Sequence[str] = (), main: str = "") -> Path:
    """Write the query module into the search bundle folder ``bundle``; return its path."""
    target = bundle / QUERY_DIR / "pagefind.js"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(query_module(parts, main), encoding="utf-8")
    return target
