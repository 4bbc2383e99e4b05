"""The site's search: a Pagefind index per language, written after the HTML, and its search box.

Material for MkDocs' own search loads one lunr index of every page in both
languages and builds it in the reader's browser: Arabic searches listed
English pages, Arabic words were matched without their article or suffixes
only by lunr's root stemmer, and at 10,000 articles the reader waited for a
37 MB index to load and be built before the first result (8 to 13 s) (see
benchmarks/search.py and docs/performance.md). Pagefind indexes the built
pages once, one index per page language (``<html lang>``), split into small
chunks that a search fetches as it needs them.

Arabic words are searched by their light stems (:mod:`nashra.site.search_stems`):
Pagefind's own Arabic stemmer (Snowball's) finds a word from its form with or
without the article in 77% of 600 real pairs and misses most indefinite plurals
in ـات (مفاوضات did not find المفاوضات). Each Arabic page carries the light stems
of its indexed words as Pagefind metadata, which Pagefind searches but never
shows, and the search box loads Pagefind through a module of the bundle
(``pagefind/nashra/pagefind.js``, written by :func:`index_site`) that searches
each Arabic word of a query by the same stem; Pagefind's stemming and prefix
matching still apply on top, to the page's text and to the stems. English
pages and queries are Pagefind's alone.

What is indexed is what the old index held: the titles and summaries of the
article and story pages (``data-pagefind-body``), without the notice and the
full-text table (``data-search-exclude``) and without an article's link to its
story (:data:`STORY_LINK`).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import os
import re
import subprocess
import zlib
from collections.abc import Sequence
from pathlib import Path

from ..errors import BuildError
from .labels import LANGUAGES
from .search_stems import QUERY_DIR, STORY_LINK, is_arabic_page, stems_meta, write_query_module
from .urls import ARTICLES_DIR, SEARCH_BUNDLE_DIR, STORIES_DIR, html_file, relative

log = logging.getLogger(__name__)

#: The folder of the search bundle, at the site's root (both languages' indexes are in it).
BUNDLE_DIR = SEARCH_BUNDLE_DIR
#: The folder, inside the bundle, of the index's other parts (see :mod:`nashra.site.search_parts`).
PARTS_DIR = "parts"
#: Elements left out of the index. An article page's link to its story (STORY_LINK) tells how many other
#: articles the story has: it changes whenever the story grows, and is left out so that the page's entry in
#: the index does not (see :func:`search_key`).
EXCLUDE = f"[data-search-exclude], .{STORY_LINK}"
#: The story link as MkDocs writes it, a paragraph on a line of its own (nashra.site.hooks squeezes the
#: whitespace around it to one line break): taken with its line break, the page of an article that joins a
#: story is, without it, the page it was alone.
_STORY_LINK_RE = re.compile(rf'<p class="{STORY_LINK}">.*?</p>\n?'.encode(), re.DOTALL)
#: Pages that are indexed: articles and stories, in every language folder.
_INDEXED_PAGE_RE = re.compile(rf"^(?:[a-z]{{2}}/)?(?:{ARTICLES_DIR}|{STORIES_DIR})/[^/]+\.html$")
_CONTENT_RE = re.compile(r'<article class="md-content__inner md-typeset"')
_HEADER_END_RE = re.compile(r"(<header\b.*?)(</nav>)", re.DOTALL)
_ARTICLE_END = "</article>"
#: The search box loads Pagefind through the query module, at a path the box resolves from its own
#: script's address: a site served under a sub-path loads its own bundle (left to itself, a box
#: loaded as a module looks for /pagefind/ at the host's root).
_CONFIG = f'<pagefind-config bundle-path="./{QUERY_DIR}/"></pagefind-config>'
#: The search dialog: Pagefind's own, one result per page (a page's headings would repeat its title).
_MODAL = ("<pagefind-modal><pagefind-modal-header><pagefind-input></pagefind-input></pagefind-modal-header>"
          "<pagefind-modal-body><pagefind-summary></pagefind-summary><pagefind-results hide-sub-results>"
          "</pagefind-results></pagefind-modal-body><pagefind-modal-footer><pagefind-keyboard-hints>"
          "</pagefind-keyboard-hints></pagefind-modal-footer></pagefind-modal>")
#: Seconds Pagefind may take to index a site (44 to 76 s for 21,000 pages on a busy 2-core machine).
TIMEOUT = 1800


def search_key(site_dir: Path, page: str) -> str | None:
    """A digest of ``page``'s HTML in ``site_dir`` (every language) without its link to its story, which the index
    leaves out (:data:`EXCLUDE`): two pages of the same name and key have the same entries in the index. None
    where a language's HTML cannot be read."""
    digest = hashlib.sha256()
    for lang in LANGUAGES:
        try:
            html = (site_dir / html_file(page, lang)).read_bytes()
        except OSError:
            return None
        indexed = _STORY_LINK_RE.sub(b"", html)
        digest.update(f"{lang}\0{len(indexed)}\0".encode())
        digest.update(indexed)
    return digest.hexdigest()


def executable() -> Path:
    """The Pagefind program shipped in the ``pagefind-bin`` wheel."""
    try:
        from pagefind_bin import get_executable  # type: ignore[import-untyped]
    except ImportError:
        raise BuildError("the search index needs Pagefind: pip install 'pagefind-bin>=1.1'") from None
    return Path(get_executable())


def index_site(site_dir: Path) -> None:
    """Write the search bundle of ``site_dir`` into ``site_dir/pagefind``; raise BuildError on failure.

    The whole site in one index; a briefing's archive is indexed in parts
    (:func:`nashra.site.search_parts.index_search`)."""
    bundle = site_dir / BUNDLE_DIR
    run_pagefind(site_dir, bundle)
    finish_bundle(bundle)


def run_pagefind(site_dir: Path, bundle: Path) -> None:
    """Index the pages of ``site_dir`` into the search bundle folder ``bundle``, checked whole."""
    command = [str(executable()), "--site", str(site_dir), "--output-path", str(bundle),
               "--exclude-selectors", EXCLUDE, "--silent"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BuildError(f"cannot build the search index with Pagefind: {exc}") from None
    if result.returncode != 0:
        message = (result.stderr or result.stdout).strip().splitlines()
        raise BuildError(f"Pagefind could not index {site_dir}: {message[-1] if message else result.returncode}")
    _check_bundle(bundle)
    # The same pages give the same bundle: Pagefind lists the languages in no fixed order.
    entry = bundle / "pagefind-entry.json"
    try:
        data = json.loads(entry.read_text(encoding="utf-8"))
        entry.write_text(json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    except (OSError, ValueError) as exc:
        raise _incomplete(bundle, f"{entry.name} is not readable ({exc})") from None


def finish_bundle(bundle: Path, parts: Sequence[str] = (), main: str = "") -> None:
    """Write the query module the search box loads into the main bundle; ``parts``: the index's other parts,
    ``main``: the part of the bundle's own index."""
    try:
        write_query_module(bundle, parts, main)
    except OSError as exc:
        raise _incomplete(bundle, f"its query module cannot be written ({exc.strerror or exc})") from None
    log.debug("search index written to %s", bundle)


#: Less space than this left after indexing: a damaged bundle is put down to a full disk.
_LOW_SPACE = 16 * 1024 * 1024


def _check_bundle(bundle: Path) -> None:
    """Raise BuildError when a file of Pagefind's bundle is empty or its compressed data cut short.

    Pagefind exits 0 when its writes fail (a full disk leaves empty and truncated files), so the
    bundle is not trusted: every file must hold something, and every gzip file (the index, its
    fragments, metadata and WebAssembly) must decompress to its end (gzip's length and CRC).
    """
    files: list[Path] = []

    def unreadable(exc: OSError) -> None:
        raise _incomplete(bundle, f"it cannot be read ({exc.strerror or exc})") from None

    for folder, names, found in os.walk(bundle, onerror=unreadable):
        if Path(folder) == bundle:  # the other parts of an index are bundles of their own, checked as made
            names[:] = [name for name in names if name != PARTS_DIR]
        files.extend(Path(folder) / name for name in found)
    files.sort()
    for path in files:
        try:
            with path.open("rb") as handle:
                head = handle.read(2)
                if not head:
                    raise _incomplete(bundle, f"{path.relative_to(bundle)} is empty")
                if head == b"\x1f\x8b":
                    handle.seek(0)
                    with gzip.GzipFile(fileobj=handle) as unpacked:
                        while unpacked.read(1 << 20):
                            pass
        except (OSError, EOFError, zlib.error) as exc:
            if isinstance(exc, OSError) and exc.errno is not None:
                raise _incomplete(bundle, f"{path.relative_to(bundle)} cannot be read ({exc.strerror})") from None
            raise _incomplete(bundle, f"{path.relative_to(bundle)} is cut short ({exc})") from None


def _incomplete(bundle: Path, what: str) -> BuildError:
    free = _free_bytes(bundle if bundle.exists() else bundle.parent)
    if free is not None and free < _LOW_SPACE:
        advice = (f"its disk has {free // 1024:,} kB left: free some disk space or choose another -o folder "
                  "(the previous site, if any, is unchanged)")
    else:
        advice = "Pagefind could not finish writing it; build again (the previous site, if any, is unchanged)"
    return BuildError(f"the search index {bundle} is incomplete: {what}; {advice}")


def _free_bytes(path: Path) -> int | None:
    """The space left to this user on ``path``'s file system (None when it cannot be told)."""
    try:
        info = os.statvfs(path)
    except (OSError, AttributeError):  # no statvfs on Windows
        return None
    return info.f_bavail * info.f_frsize


def is_indexed(page_url: str) -> bool:
    """Whether the page at ``page_url`` (relative to the site root) is searched: articles and stories."""
    return bool(_INDEXED_PAGE_RE.match(page_url))


def add_search(output: str, page_url: str) -> str:
    """A page's HTML with the search box in its header, and its content marked for the index.

    The box's script loads the index of the page's language (its ``<html lang>``).
    """
    bundle = relative(page_url, BUNDLE_DIR)
    head = (f'<link rel="stylesheet" href="{bundle}/pagefind-component-ui.css">\n'
            f'  <script type="module" src="{bundle}/pagefind-component-ui.js"></script>\n  ')
    output = output.replace("</head>", head + "</head>", 1)
    if is_indexed(page_url):
        output = _CONTENT_RE.sub(lambda m: m.group(0) + " data-pagefind-body" + _stems(output, m.end()), output,
                                 count=1)
    output = _HEADER_END_RE.sub(
        lambda m: m.group(1) + '<div class="md-header__option nashra-search">'
                               "<pagefind-modal-trigger></pagefind-modal-trigger></div>" + m.group(2),
        output, count=1)
    return output.replace("</body>", _CONFIG + _MODAL + "\n</body>", 1)


def _stems(output: str, start: int) -> str:
    """The stems metadata of an Arabic page's indexed element, which starts at ``start`` ('' elsewhere)."""
    if not is_arabic_page(output):
        return ""
    end = output.find(_ARTICLE_END, start)
    return stems_meta(output[start:end if end >= 0 else len(output)])
