"""The theme's chrome, carried once by the site's assets instead of by every page.

Material for MkDocs writes the same things into every page it renders: the header's icons as
inline SVG (the logo twice, the menu, the two palette toggles, the language button, the back-to-top
arrow: about 2.2 KB), two inline scripts (the local-storage helpers in the head and the palette
restorer in the header: about 1 KB) and its configuration as JSON, with the words of a search
box that a Nashra site never has (Pagefind's box replaces it; MkDocs's ``search`` plugin is one of
the settings Nashra keeps for itself). That is about a sixth of an article's page, and a site has
two pages an article.

Each page keeps its markup, and the reader sees the same page:

* each of those icons becomes an empty ``<svg>`` of the same view box, which the theme's style
  sheet sizes and places as before, drawn by a rule of the site's style sheet that masks the
  element with the same icon (:func:`icon_rules`, appended to ``assets/nashra.css``);
* the head's script becomes a script file of the site's assets (``assets/nashra-page.js``,
  :func:`page_script`), which finds the site's root from its own address instead of the page's;
  it also holds the theme's two other inline scripts (the palette restorer and the one that opens
  a linked tab) as functions, which the page calls where the theme ran them;
* the configuration is written without the search box's words and empty settings.

Only what is exactly the theme's own is replaced: an icon a project chose, a scope set in
``extra.scope`` or a page whose base is not the site's root (the 404 page under a site URL) keeps
what the theme wrote. Everything is made from the installed theme's files (its icons and its two
scripts), so the pages and the assets always agree.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from .mkdocs_adapter import theme_templates
from .urls import ASSETS_DIR

#: The icons a Nashra site shows in every page's chrome (Material's names): the logo, the drawer's
#: menu button, the palette toggles, the language button and the back-to-top button.
ICONS = ("library", "menu", "weather-night", "weather-sunny", "translate", "arrow-up")

#: The script file (under the site's assets) that replaces the theme's inline scripts.
PAGE_SCRIPT = "nashra-page.js"
#: The theme's inline scripts moved into the script file (those of partials/javascripts/NAME.html):
#: the palette restorer in the header, and the content's scripts that open the tab a link points
#: to. A page calls each as a function (``__nashra_NAME0()``, ...) where the theme ran it.
MOVED_SCRIPTS = ("palette", "content")

_SCOPE_RE = re.compile(r'<script>__md_scope=new URL\("([^"]*)",location\),(.*?)</script>', re.S)
_CONFIG_RE = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.S)
_ARTICLE_RE = re.compile(r"<article\b.*?</article>", re.S)


@functools.cache
def icon_markup() -> dict[str, str]:
    """Each icon's inline SVG as the theme writes it into a page, by name (those the theme has)."""
    folder = theme_templates() / ".icons" / "material"
    return {name: (folder / f"{name}.svg").read_text(encoding="utf-8").strip()
            for name in ICONS if (folder / f"{name}.svg").is_file()}


@functools.cache
def _theme_scripts() -> tuple[str, dict[str, str]] | None:
    """The rest of the head's script after its scope, and each moved script's body by its function (None if not found)."""
    folder = theme_templates() / "partials" / "javascripts"
    base = (folder / "base.html").read_text(encoding="utf-8")
    head = re.search(r'<script>__md_scope=new URL\("\{\{[^}]*\}\}",location\),(.*?)</script>', base, re.S)
    if head is None:
        return None
    moved = {}
    for name in MOVED_SCRIPTS:
        partial = folder / f"{name}.html"
        text = partial.read_text(encoding="utf-8") if partial.is_file() else ""
        for k, body in enumerate(re.findall(r"<script>(.*?)</script>", text, re.S)):
            moved[f"__nashra_{name}{k}"] = body
    return head.group(1), moved


def page_script() -> str | None:
    """``assets/nashra-page.js``: the theme's head script, scoped at the site's root, and its moved scripts."""
    scripts = _theme_scripts()
    if scripts is None:
        return None
    rest, moved = scripts
    # The file is at ASSETS_DIR/PAGE_SCRIPT: the site's root is the folder above its own.
    return ("/* Material for MkDocs' page scripts, shared by every page of a Nashra site (nashra.site.chrome). */\n"
            f'__md_scope=new URL("..",document.currentScript.src),{rest};\n'
            + "".join(f"function {function}(){{{body}}}\n" for function, body in moved.items()))


def icon_rules() -> str:
    """The style sheet's rules that draw each replaced icon (appended to ``assets/nashra.css``)."""
    rules = ["/* The theme's icons in the page chrome, drawn once here (nashra.site.chrome). */"]
    for name, svg in icon_markup().items():
        image = f'url("data:image/svg+xml;charset=utf-8,{quote(svg, safe=" /=:.,-")}")'
        rules.append(f".nashra-i-{name} {{ background-color: currentcolor; -webkit-mask: {image} center / contain no-repeat;"
                     f" mask: {image} center / contain no-repeat; }}")
    return "\n".join(rules) + "\n"


def _base(page_url: str) -> str:
    """The theme's ``base_url`` of a page at ``page_url`` (its relative way to the site's root)."""
    depth = page_url.count("/")
    return "/".join([".."] * depth) if depth else "."


def slim(output: str, page_url: str) -> str:
    """A rendered page with the chrome above carried by the assets (the article itself is not touched)."""
    articles: list[str] = []

    def keep(match: re.Match[str]) -> str:
        articles.append(match.group(0))
        return f"\0{len(articles) - 1}\0"

    output = _ARTICLE_RE.sub(keep, output)
    for name, svg in icon_markup().items():
        output = output.replace(svg, f'<svg viewBox="0 0 24 24" class="nashra-i-{name}"></svg>')
    scripts = _theme_scripts()
    if scripts is not None:
        rest, moved = scripts
        shared = _SCOPE_RE.sub(_script_file(_base(page_url), rest), output, count=1)
        if shared != output:  # the moved scripts are there only where the page loads the script file
            output = shared
            for function, body in moved.items():
                output = output.replace(f"<script>{body}</script>", f"<script>{function}()</script>")
    output = _CONFIG_RE.sub(lambda m: m.group(1) + _slim_config(m.group(2)) + m.group(3), output, count=1)
    return re.sub("\0(\\d+)\0", lambda m: articles[int(m.group(1))], output)


def _script_file(base: str, rest: str) -> Callable[[re.Match[str]], str]:
    def replace(match: re.Match[str]) -> str:
        if match.group(1) != base or match.group(2) != rest:
            return match.group(0)
        return f'<script src="{base}/{ASSETS_DIR}/{PAGE_SCRIPT}"></script>'
    return replace


def _slim_config(text: str) -> str:
    """The theme's configuration without the search box's words and empty settings (as it was if unreadable)."""
    try:
        config = json.loads(text)
    except ValueError:
        return text
    if not isinstance(config, dict):
        return text
    translations = config.get("translations")
    if isinstance(translations, dict):
        config["translations"] = {k: v for k, v in translations.items() if not k.startswith("search.")}
    config.pop("search", None)
    config = {k: v for k, v in config.items() if v is not None}
    from jinja2.utils import htmlsafe_json_dumps  # what the theme's tojson filter calls: nothing can close the script

    return str(htmlsafe_json_dumps(config, dumps=json.dumps, ensure_ascii=False, separators=(",", ":")))


def write_assets(assets: Path) -> int:
    """Add the chrome's script and the icons' rules to a site's assets folder; return how many files written."""
    written = 0
    script = page_script()
    if script is not None:
        (assets / PAGE_SCRIPT).write_text(script, encoding="utf-8")
        written += 1
    sheet = assets / "nashra.css"
    sheet.write_text(sheet.read_text(encoding="utf-8") + "\n" + icon_rules(), encoding="utf-8")
    return written


__all__ = ["ICONS", "MOVED_SCRIPTS", "PAGE_SCRIPT", "icon_markup", "icon_rules", "page_script", "slim", "write_assets"]
