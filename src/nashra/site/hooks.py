"""MkDocs hooks used by every briefing site Nashra builds.

Page titles come from article front matter, and the Material theme inserts
them into the page without escaping; they are escaped here, for rendering
only (the Markdown files keep the real title).
"""

from __future__ import annotations

import html
from typing import Any


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any, **_: Any) -> str:
    title = page.meta.get("title")
    if title is not None:
        page.meta["title"] = html.escape(" ".join(str(title).split()), quote=True)
    return markdown
