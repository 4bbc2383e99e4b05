"""Isolate each piece of the other direction in a line Nashra composes.

A line of an Arabic page that puts an outlet's Latin name, a date, a number
with its unit or a model path beside Arabic words is reordered by the Unicode
bidirectional algorithm: ``BBC · 27 فبراير 2018`` displays as
``27 · BBC فبراير 2018``, the day torn from its month. Each piece is isolated
(``<bdi>`` in HTML, FSI … PDI in plain text) so that it is laid out on its own
and the line keeps its reading order in either direction.
"""

from __future__ import annotations

from .escape import escape_html, escape_markdown

#: FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE: ``<bdi>`` for plain text.
FSI, PDI = "\u2068", "\u2069"


#: Class of a short piece (a date, an outlet's name) that a narrow screen should not break.
WHOLE = "nashra-whole"


def bdi(html_text: str, direction: str | None = None, whole: bool = False, lang: str | None = None) -> str:
    """HTML already escaped, isolated; ``direction`` 'ltr' or 'rtl' when known (default: from its first letter).

    ``whole``: kept on one line (see :data:`WHOLE`); ``lang``: the piece's language when it is not the
    page's (a screen reader then reads it in that language's voice).
    """
    attributes = ((f' lang="{lang}"' if lang else "") + (f' dir="{direction}"' if direction else "")
                  + (f' class="{WHOLE}"' if whole else ""))
    return f"<bdi{attributes}>{html_text}</bdi>"


def bdi_text(text: str, direction: str | None = None, whole: bool = False, lang: str | None = None) -> str:
    """Untrusted text, escaped for HTML and isolated."""
    return bdi(escape_html(text), direction, whole, lang)


def bdi_markdown(text: str, direction: str | None = None, whole: bool = False) -> str:
    """Untrusted text, escaped for Markdown and isolated (inline HTML in a Markdown line)."""
    return bdi(escape_markdown(text), direction, whole)


def isolate(text: str) -> str:
    """Plain text isolated with Unicode controls, where no HTML can go."""
    return f"{FSI}{text}{PDI}"


__all__ = ["FSI", "PDI", "WHOLE", "bdi", "bdi_markdown", "bdi_text", "isolate"]
