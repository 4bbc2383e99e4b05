"""Make untrusted article text inert in Markdown, HTML and YAML.

Article text never becomes markup: every character that Markdown or HTML
would interpret is escaped, and only ``http``/``https`` URLs become links.
"""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import urlsplit

import yaml

# Inline markup anywhere in a line: code, emphasis, links, attributes, tables.
_MD_INLINE_RE = re.compile(r"([\\`*_{}\[\]|])")
# Block markup at the start of a line: headings, lists, rules, setext underlines.
_MD_LINE_START_RE = re.compile(r"^(\s*)([#+\-]|\d+(?=[.)]))")
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def one_line(text: str) -> str:
    """Collapse whitespace (newlines included) and drop control characters."""
    return " ".join(_CONTROL_RE.sub(" ", text).split())


def escape_html(text: str) -> str:
    """Escape text for an HTML element or quoted attribute."""
    return html.escape(one_line(text), quote=True)


def escape_markdown(text: str) -> str:
    """Escape text so that Markdown renders it literally, on one line.

    HTML-significant characters become entities; inline Markdown markers are
    backslash-escaped everywhere and block markers at the start of the line.
    """
    text = one_line(text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_INLINE_RE.sub(r"\\\1", text)
    match = _MD_LINE_START_RE.match(text)
    if match:
        marker = match.group(2)
        if marker[0].isdigit():
            end = match.end()
            return f"{text[:end]}\\{text[end:]}"
        return f"{text[: match.start(2)]}\\{text[match.start(2):]}"
    return text


def safe_url(url: str | None) -> str | None:
    """``url`` when it is an absolute http(s) URL, else ``None`` (never a link)."""
    if not url:
        return None
    url = one_line(url)
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


def link_html(url: str | None, label: str) -> str:
    """An external link to ``url`` when safe, else nothing."""
    target = safe_url(url)
    if target is None:
        return ""
    return f'<a href="{html.escape(target, quote=True)}" rel="noopener noreferrer nofollow">{escape_html(label)}</a>'


#: Front matter of a page that lists other pages (home, archive, a day, sources): kept out of the
#: search index (Material's ``search.exclude``), where it would repeat the titles and summaries of
#: the article and story pages, which are indexed and are where a search should lead.
LISTING: dict[str, Any] = {"search": {"exclude": True}}


def front_matter(meta: dict[str, Any]) -> str:
    """A YAML front matter block; every value is quoted as YAML needs."""
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml when present: ~10x faster
    body = yaml.dump(meta, Dumper=dumper, allow_unicode=True, sort_keys=False, default_flow_style=False, width=1_000_000)
    return f"---\n{body}---\n"
