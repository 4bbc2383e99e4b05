"""The theme's chrome carried by the site's assets (nashra.site.chrome): what pages keep and what moves."""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from nashra.site import chrome

SCRIPT_SRC_RE = re.compile(r'<script src="([^"]*)/assets/nashra-page\.js"></script>')
CALL_RE = re.compile(r"<script>(__nashra_[a-z]+\d+)\(\)</script>")
CONFIG_RE = re.compile(r'<script id="__config" type="application/json">(.*?)</script>', re.S)


@pytest.fixture(scope="module")
def site(tmp_path_factory, tiny_model, examples_dir) -> Path:
    from nashra.cli import cli

    out = tmp_path_factory.mktemp("chrome-site")
    result = CliRunner().invoke(cli, ["build", str(examples_dir), "-o", str(out), "--model", str(tiny_model),
                                      "--no-cache"])
    assert result.exit_code == 0, result.output
    return out / "site"


def _pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if p.name != "404.html" and "pagefind" not in p.parts)


def test_every_page_loads_the_shared_script_and_calls_only_what_it_defines(site):
    script = (site / "assets" / chrome.PAGE_SCRIPT).read_text(encoding="utf-8")
    defined = set(re.findall(r"function (__nashra_[a-z]+\d+)\(\)", script))
    assert {"__nashra_palette0", "__nashra_content1"} <= defined
    pages = _pages(site)
    assert len(pages) >= 10
    for page in pages:
        html = page.read_text(encoding="utf-8")
        relative = page.relative_to(site).as_posix()
        found = SCRIPT_SRC_RE.findall(html)
        assert found == ["/".join([".."] * relative.count("/")) or "."], relative
        # The script is where the page says, and its scope is the site's root seen from there.
        assert (page.parent / found[0] / "assets" / chrome.PAGE_SCRIPT).resolve() == \
            (site / "assets" / chrome.PAGE_SCRIPT).resolve()
        assert "__md_scope=" not in html and "var palette=" not in html, relative
        calls = CALL_RE.findall(html)
        assert "__nashra_palette0" in calls and set(calls) <= defined, relative
        # The script file runs before the header calls into it.
        assert html.index(chrome.PAGE_SCRIPT) < html.index("__nashra_palette0()")


def test_the_headers_icons_are_drawn_by_the_style_sheet_not_written_into_each_page(site):
    sheet = (site / "assets" / "nashra.css").read_text(encoding="utf-8")
    markup = chrome.icon_markup()
    assert set(markup) == set(chrome.ICONS), "the theme no longer has one of the icons Nashra's chrome uses"
    for page in _pages(site):
        html = page.read_text(encoding="utf-8")
        assert "<svg xmlns" not in html and "<path" not in html, page
        for name in re.findall(r'<svg viewBox="0 0 24 24" class="nashra-i-([a-z-]+)"></svg>', html):
            assert f".nashra-i-{name} {{" in sheet
    en = (site / "index.html").read_text(encoding="utf-8")
    for name in ("library", "menu", "weather-night", "weather-sunny", "translate"):
        assert f'class="nashra-i-{name}"' in en
    # Each rule masks with the theme's own icon, the same path the page used to carry.
    for name, svg in markup.items():
        path = re.search(r' d="([^"]+)"', svg).group(1)
        rule = re.search(rf"\.nashra-i-{name} \{{[^}}]*\}}", sheet).group(0)
        assert path.replace(" ", "%20") in rule or path in rule


def test_the_configuration_keeps_what_the_theme_reads_and_drops_the_search_boxs_words(site):
    for page in _pages(site):
        config = json.loads(CONFIG_RE.search(page.read_text(encoding="utf-8")).group(1))
        relative = page.relative_to(site).as_posix()
        assert config["base"] == ("/".join([".."] * relative.count("/")) or ".")
        assert config["features"] == ["navigation.top", "content.tooltips"]
        assert "search" not in config and not any(k.startswith("search.") for k in config["translations"])
        assert None not in config.values()
    arabic = json.loads(CONFIG_RE.search((site / "ar" / "index.html").read_text(encoding="utf-8")).group(1))
    assert arabic["translations"]["clipboard.copy"] != "Copy to clipboard"  # still in the page's language


def _theme_page(scope: str, article: str = "<p>text</p>", icon: str | None = None) -> str:
    rest, moved = chrome._theme_scripts()
    palette = moved["__nashra_palette0"]
    logo = icon if icon is not None else chrome.icon_markup()["library"]
    config = json.dumps({"base": scope, "features": [], "translations": {"search.result.none": "x",
                                                                         "clipboard.copy": "<b>&"},
                         "search": "a.js", "tags": None})
    return (f'<html><head><script>__md_scope=new URL("{scope}",location),{rest}</script></head><body>'
            f'<header><a class="md-logo">{logo}</a><form></form><script>{palette}</script></header>'
            f'<article class="md-content__inner">{article}</article>'
            f'<script id="__config" type="application/json">{config}</script></body></html>')


def test_slim_leaves_the_article_and_a_projects_own_icon_as_they_are():
    logo = chrome.icon_markup()["library"]
    own = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M1 1h2v2H1z"/></svg>'
    page = _theme_page("..", article=f"<p>{logo}</p><pre>  kept  </pre>", icon=own)
    slimmed = chrome.slim(page, "articles/a.html")
    assert f"<article class=\"md-content__inner\"><p>{logo}</p><pre>  kept  </pre></article>" in slimmed
    assert own in slimmed
    assert '<script src="../assets/nashra-page.js"></script>' in slimmed
    assert "<script>__nashra_palette0()</script>" in slimmed
    config = json.loads(CONFIG_RE.search(slimmed).group(1))
    assert config == {"base": "..", "features": [], "translations": {"clipboard.copy": "<b>&"}}
    assert "\\u003cb\\u003e\\u0026" in slimmed  # as the theme writes it: nothing can close the script element
    assert chrome.slim(slimmed, "articles/a.html") == slimmed


def test_a_page_scoped_elsewhere_keeps_the_themes_scripts():
    # A scope set in extra.scope, or the 404 page under a site URL: the shared script's root would be wrong.
    for scope, url in (("/briefing/", "404.html"), (".", "articles/a.html")):
        page = _theme_page(scope)
        slimmed = chrome.slim(page, url)
        assert f'<script>__md_scope=new URL("{scope}",location),' in slimmed
        assert "__nashra_palette0()" not in slimmed and "var palette=" in slimmed
        assert "nashra-page.js" not in slimmed


def test_an_unreadable_configuration_is_left_as_it_is():
    page = _theme_page("..").replace('{"base"', '{"base" oops', 1)
    assert '{"base" oops' in chrome.slim(page, "articles/a.html")


def test_the_page_script_finds_the_sites_root_from_its_own_address():
    script = chrome.page_script()
    assert script is not None
    assert '__md_scope=new URL("..",document.currentScript.src)' in script
    assert posixpath.join("assets", chrome.PAGE_SCRIPT).count("/") == 1  # one folder under the root
