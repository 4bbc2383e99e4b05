"""The stage signatures an article page shows in its provenance footer.

The strings are the very keys that decided whether the article's translation,
summary and pages were reused (see :mod:`nashra.signatures`). The Markdown
export's front matter holds them in full; the page shows them in a collapsed
``<details>`` line, each isolated left-to-right so that an Arabic page keeps
its reading order, with long digests cut to :data:`SHOWN_HEX` hex digits (the
full string is then the ``title`` of the shortened one, in the page's source).
"""

from __future__ import annotations

import re

from ..document import Provenance
from .bidi import bdi
from .escape import escape_html
from .labels import label

#: Hex digits of a digest shown on the page.
SHOWN_HEX = 12
_DIGEST = re.compile(rf"[0-9a-f]{{{SHOWN_HEX + 4},}}")


def shorten(signature: str) -> str:
    """``signature`` with every digest of more than ``SHOWN_HEX + 3`` hex digits cut to ``SHOWN_HEX`` and '…'."""
    return _DIGEST.sub(lambda match: match[0][:SHOWN_HEX] + "…", signature)


def signature_strings(provenance: Provenance, page_signature: str | None) -> dict[str, str | None]:
    """The stages' signature strings, by front matter key."""
    return {"translation_signature": provenance.translation_signature,
            "summary_signature": provenance.summary_signature,
            "page_signature": page_signature}


#: The label of each stage's signature (see :mod:`nashra.site.labels`).
_STAGE_LABELS = {"translation_signature": "signature_translation", "summary_signature": "signature_summary",
                 "page_signature": "signature_page"}


def signatures_html(provenance: Provenance, page_signature: str | None, lang: str) -> str:
    """The signatures as a collapsed line of the provenance footer ('' when none is known)."""
    shown = []
    for key, signature in signature_strings(provenance, page_signature).items():
        if signature:
            shown_text = shorten(signature)
            # The full string is the title of a shortened one (a page carries no copy it does not need).
            title = f' title="{escape_html(signature)}"' if shown_text != signature else ""
            code = f"<code{title}>{escape_html(shown_text)}</code>"
            shown.append(f'<span class="nashra-signature">{escape_html(label(lang, _STAGE_LABELS[key]))} '
                         f'{bdi(code, "ltr")}</span>')
    if not shown:
        return ""
    return (f'<details class="nashra-signatures"><summary>{escape_html(label(lang, "signatures"))}</summary>'
            f'{" ".join(shown)}</details>')


__all__ = ["SHOWN_HEX", "shorten", "signature_strings", "signatures_html"]
