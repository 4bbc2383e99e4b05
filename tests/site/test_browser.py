"""The built site in a real browser: headless Chromium driven by Playwright.

Checks that Arabic pages render right-to-left, that lines mixing Arabic with
a Latin outlet name, a date and a time zone keep their reading order on
screen, that the language switcher lands on the same article, that search
lists the pages of the site's language only and finds an article by an Arabic
word with or without its article, and that no page logs a console error. Screenshots are
kept in test-artifacts/browser/ (or $NASHRA_TEST_ARTIFACTS).

Debian's chromium is installed by the test set-up when missing; the test is
skipped, with the reason, only where it cannot be installed.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

pytestmark = pytest.mark.slow
ROOT = Path(__file__).parent.parent.parent
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"]


def chromium_path() -> str:
    """Debian's chromium, installed with apt-get when missing; skip with the reason otherwise."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        pytest.skip("chromium is not installed and cannot be installed here (needs root and apt-get)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium"]):
        result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=900)
        if result.returncode != 0:
            pytest.skip(f"could not install chromium: {' '.join(command)} failed: {result.stderr.strip()[-300:]}")
    found = shutil.which("chromium")
    if not found:
        pytest.skip("apt-get installed chromium but it is not on PATH")
    return found


@pytest.fixture(scope="module")
def site(tmp_path_factory, tiny_model, examples_dir, seeds_copier) -> Path:
    sources = tmp_path_factory.mktemp("browser-sources")
    seeds_copier(sources)
    (sources / "opec.md").write_text(
        "---\ntitle: اجتماع أوبك في فيينا\nsource: Example Wire\ndate: 2024-06-02T14:30:00+03:00\nid: opec-meeting\n"
        "url: https://example.org/opec\n---\n\n"
        "اجتمع وزراء منظمة أوبك OPEC في فيينا لبحث مستويات الإنتاج.\n\nوقرر الوزراء تمديد خفض الإنتاج حتى نهاية العام.\n",
        encoding="utf-8",
    )
    out = tmp_path_factory.mktemp("browser-site")
    from nashra.cli import cli

    result = CliRunner().invoke(cli, ["build", str(sources), "-o", str(out), "--model", str(tiny_model), "--no-cache"])
    assert result.exit_code == 0, result.output
    return out / "site"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture(scope="module")
def server(site):
    handler = functools.partial(QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def artifacts() -> Path:
    folder = Path(os.environ.get("NASHRA_TEST_ARTIFACTS", ROOT / "test-artifacts")) / "browser"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright (the test extra)")
    executable = chromium_path()
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.errors = []  # type: ignore[attr-defined]
    page.on("console", lambda message: message.type == "error" and page.errors.append(message.text))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    context.close()


def seed_id(site: Path) -> str:
    return sorted(p.stem for p in (site / "articles").glob("a-*.html"))[0]


def test_arabic_pages_render_right_to_left(page, server, site, artifacts):
    article = seed_id(site)
    for path in ("ar/index.html", f"ar/articles/{article}.html", "ar/stories/" + sorted(p.name for p in (site / "ar" / "stories").glob("story-a-*"))[0]):
        page.goto(f"{server}/{path}")
        assert page.evaluate("document.documentElement.lang") == "ar"
        assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
        assert page.evaluate("getComputedStyle(document.querySelector('.md-content h1')).direction") == "rtl"
    # In the aligned table the Arabic column is right-to-left even on the English page.
    page.goto(f"{server}/articles/{article}.html")
    assert page.evaluate("getComputedStyle(document.body).direction") == "ltr"
    assert page.evaluate("getComputedStyle(document.querySelector('td[lang=ar]')).direction") == "rtl"
    page.goto(f"{server}/ar/articles/{article}.html")
    page.screenshot(path=str(artifacts / "arabic-article.png"), full_page=False)
    assert page.errors == []


def test_language_switcher_keeps_the_article(page, server, site, artifacts):
    article = seed_id(site)
    page.goto(f"{server}/articles/{article}.html")
    page.hover(".md-header__option .md-select")
    page.click("a[hreflang=ar]")
    page.wait_for_load_state()
    assert page.url.endswith(f"/ar/articles/{article}.html")
    assert page.evaluate("document.documentElement.lang") == "ar"
    page.screenshot(path=str(artifacts / "switched-to-arabic.png"))
    page.hover(".md-header__option .md-select")
    page.click("a[hreflang=en]")
    page.wait_for_load_state()
    assert page.url.endswith(f"/articles/{article}.html") and "/ar/" not in page.url
    assert page.errors == []


def _search(page, query: str, screenshot: Path | None = None) -> list[str]:
    """Open the search box, type ``query`` and return the result links (none: an empty list)."""
    page.click("pagefind-modal-trigger button")
    page.fill("pagefind-modal input[type=search]", query)
    # The summary names the query once its search has started; the list is busy until it is done.
    page.wait_for_function("q => (document.querySelector('pagefind-modal pagefind-summary')?.textContent || '')"
                           ".includes(q)", arg=query, timeout=20_000)
    page.wait_for_timeout(200)
    page.wait_for_function("() => !document.querySelector('pagefind-modal [aria-busy=true]')", timeout=20_000)
    links = page.eval_on_selector_all("pagefind-modal .pf-result-link", "links => links.map(a => a.getAttribute('href'))")
    if screenshot is not None:
        page.screenshot(path=str(screenshot))
    page.keyboard.press("Escape")
    return links


def _english_words(site: Path, article: str) -> list[str]:
    """Latin words of an article's English title (the tiny model's output: words, not English)."""
    import re

    title = re.search(r"<h1[^>]*>(.*?)</h1>", (site / "articles" / f"{article}.html").read_text(encoding="utf-8"), re.S)
    assert title is not None
    return [w for w in re.findall(r"[A-Za-z]{4,}", re.sub(r"<[^>]+>", " ", title.group(1)))]


def test_search_lists_the_pages_of_the_sites_language_only(page, server, site, artifacts):
    article = seed_id(site)
    page.goto(f"{server}/ar/index.html")
    for query in ("البنتاغون", "إيران", "الإيرانية", "وزراء", "الوزراء", "أوبك"):
        hits = _search(page, query, artifacts / "search-arabic.png" if query == "إيران" else None)
        assert hits and all(h.startswith("/ar/") for h in hits), (query, hits)
        expected = "opec-meeting" if query in ("وزراء", "الوزراء", "أوبك") else article
        assert any(expected in h or "/stories/story-a-" in h for h in hits), (query, hits)
    page.goto(f"{server}/index.html")
    words = _english_words(site, "opec-meeting")
    hits = _search(page, " ".join(words[:2]), artifacts / "search-english.png")
    assert hits and all(not h.startswith("/ar/") for h in hits), hits
    assert any("opec-meeting" in h for h in hits), hits
    assert not any(h.startswith("/ar/") for h in _search(page, "البنتاغون"))
    assert page.errors == []


def test_no_console_errors_on_any_kind_of_page(page, server, site):
    article = seed_id(site)
    story = sorted(p.name for p in (site / "stories").glob("story-a-*"))[0]
    for path in ("index.html", "ar/index.html", f"articles/{article}.html", f"ar/articles/{article}.html",
                 f"stories/{story}", f"ar/stories/{story}", "archive/index.html", "ar/archive/2024-06-02.html",
                 "sources/index.html", "ar/sources/index.html"):
        page.goto(f"{server}/{path}")
        page.wait_for_load_state("networkidle")
    assert page.errors == []


# The on-screen boxes of a line's pieces: the outlet, and each word of the date (day, month, year,
# time, zone), measured with Range.getClientRects as the reader sees them.
_PIECES_JS = """
(line) => {
    const box = (node, start, end) => {
        const range = document.createRange();
        range.setStart(node, start);
        range.setEnd(node, end);
        const rects = [...range.getClientRects()].filter(r => r.width > 0);
        return {left: Math.min(...rects.map(r => r.left)), right: Math.max(...rects.map(r => r.right)),
                top: Math.min(...rects.map(r => r.top)), lines: rects.length};
    };
    const source = line.querySelector('.nashra-source bdi, .nashra-sources bdi');
    const date = line.querySelector('.nashra-date bdi').firstChild;
    const words = [];
    let at = 0;
    for (const word of date.textContent.split(' ')) {
        words.push({text: word, ...box(date, at, at + word.length)});
        at += word.length + 1;
    }
    return {source: {text: source.textContent, ...box(source.firstChild, 0, source.textContent.length)}, words};
}
"""


def _pieces(page, selector: str) -> dict:
    return page.eval_on_selector(selector, _PIECES_JS)


def _in_reading_order(boxes: list[dict], rtl: bool) -> bool:
    """Each box comes after the one before in the reading direction, on the same line."""
    for before, after in zip(boxes, boxes[1:], strict=False):
        if abs(before["top"] - after["top"]) > 4:
            return False
        if (after["right"] > before["left"] + 1) if rtl else (after["left"] < before["right"] - 1):
            return False
    return True


@pytest.mark.parametrize("path", ["ar/articles/opec-meeting.html", "ar/index.html"])
def test_arabic_lines_keep_outlet_and_date_in_reading_order(page, server, artifacts, path):
    page.goto(f"{server}/{path}")
    # The line that names an outlet (the home page also lists the seeds' story, whose outlet is unknown).
    line = ".md-content .nashra-meta:has(:is(.nashra-source, .nashra-sources) bdi)"
    pieces = _pieces(page, line)
    assert pieces["source"]["text"] == "Example Wire"
    words = pieces["words"]
    assert [w["text"] for w in words] == ["2", "يونيو", "2024", "14:30", "UTC+03:00"]
    # Right to left: the outlet first (rightmost), then the date: day, month, year, time, zone.
    assert _in_reading_order([pieces["source"], *words], rtl=True), pieces
    # The day stays beside its month: no more than a few spaces apart.
    assert words[0]["left"] - words[1]["right"] < 12, words
    page.locator(line).first.screenshot(path=str(artifacts / f"reading-order-{path.replace('/', '-')}.png"))
    assert page.errors == []


def test_english_lines_keep_outlet_and_date_in_reading_order(page, server):
    page.goto(f"{server}/articles/opec-meeting.html")
    pieces = _pieces(page, ".md-content .nashra-meta")
    assert [w["text"] for w in pieces["words"]] == ["2", "June", "2024", "14:30", "UTC+03:00"]
    assert _in_reading_order([pieces["source"], *pieces["words"]], rtl=False), pieces


def test_arabic_font_is_shipped_with_the_site_and_nothing_is_fetched_elsewhere(page, server, site):
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{server}/ar/articles/opec-meeting.html")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.fonts.check('16px \\'Noto Naskh Arabic\\'', 'نشرة')")
    loaded = page.evaluate("[...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)")
    assert any("Noto Naskh Arabic" in family for family in loaded), loaded
    assert (site / "assets" / "fonts" / "OFL.txt").is_file()
    assert requests and all(url.startswith(server) for url in requests), [u for u in requests if not u.startswith(server)]


def test_links_in_running_text_are_underlined_not_told_by_colour_alone(page, server):
    """WCAG 1.4.1: in the grey meta line the theme's link colour is 1.5:1 from the text's; headings keep theirs."""
    underlined = "(selector) => [...document.querySelectorAll(selector)].map(a => getComputedStyle(a).textDecorationLine)"
    for path in ("articles/opec-meeting.html", "ar/articles/opec-meeting.html"):
        page.goto(f"{server}/{path}")
        lines = page.evaluate(underlined, ".md-content .nashra-meta a")
        assert lines and all(line == "underline" for line in lines), (path, lines)
    page.goto(f"{server}/index.html")
    assert set(page.evaluate(underlined, ".md-content .nashra-articles a")) == {"underline"}
    assert set(page.evaluate(underlined, ".md-content h2 a")) == {"none"}


def test_a_printed_article_gives_the_original_articles_address(page, server):
    """On paper a link cannot be followed: the original's address is printed after it."""
    page.goto(f"{server}/articles/opec-meeting.html")
    after = "getComputedStyle(document.querySelector('.nashra-original a'), '::after').content"
    assert page.evaluate(after) in ("none", "normal")
    page.emulate_media(media="print")
    assert page.get_attribute(".nashra-original a", "href") == "https://example.org/opec"
    assert page.evaluate(after) == '" (https://example.org/opec)"'
    assert page.evaluate("getComputedStyle(document.querySelector('.nashra-aligned tr')).breakInside") == "avoid"


def test_the_headers_icons_are_drawn_and_the_readers_palette_follows_them_from_page_to_page(page, server, artifacts):
    """The theme's icons and scripts live in the site's assets (nashra.site.chrome), not in each page."""
    page.goto(f"{server}/articles/opec-meeting.html")
    boxes = page.evaluate("""[...document.querySelectorAll('.md-header svg')].filter(s => s.checkVisibility())
        .map(s => ({cls: s.getAttribute('class'), w: s.getBoundingClientRect().width,
                    mask: getComputedStyle(s).maskImage.slice(0, 30), bg: getComputedStyle(s).backgroundColor}))""")
    assert {b["cls"] for b in boxes} >= {"nashra-i-library", "nashra-i-weather-night", "nashra-i-translate"}, boxes
    for box in boxes:  # drawn at the theme's size, in the header's text colour, through the icon's shape
        assert box["w"] >= 20 and box["mask"].startswith('url("data:image/svg+xml') and box["bg"] != "rgba(0, 0, 0, 0)"
    assert page.evaluate("__md_scope.href") == f"{server}/"
    page.click("form[data-md-component=palette] label:not([hidden])")
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
    page.goto(f"{server}/ar/index.html")  # another page, another folder: restored from the reader's choice
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
    page.screenshot(path=str(artifacts / "arabic-home-dark.png"))
    assert page.errors == []
