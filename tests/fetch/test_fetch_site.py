"""nashra fetch against a small Arabic news site served from 127.0.0.1 (see conftest.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from nashra.fetch import FeedSource, FetchOptions, fetch
from nashra.fetch.http import USER_AGENT
from nashra.ingest.stage import load

FAST = FetchOptions(delay=0, max_wait=0)
BOILERPLATE = ["الرئيسية", "ملفات تعريف الارتباط", "شارك", "فيسبوك", "واتساب", "اقرأ أيضا", "منتخب المغرب",
               "أسعار الذهب", "الأكثر قراءة", "جميع الحقوق محفوظة", "سياسة الخصوصية", "اشترك في نشرتنا",
               "ابحث في الموقع", "الوسوم"]


def by_state(report) -> dict[str, dict[str, str]]:
    states: dict[str, dict[str, str]] = {}
    for outcome in report.outcomes:
        states.setdefault(outcome.state, {})[outcome.url.split("/", 3)[3]] = outcome.reason
    return states


def front_matter(path: Path) -> tuple[dict, str]:
    _, meta, body = path.read_text(encoding="utf-8").split("---\n", 2)
    return yaml.safe_load(meta), body


def test_a_feed_is_fetched_politely_and_what_was_skipped_says_why(news_site, tmp_path):
    out = tmp_path / "articles"
    report = fetch([FeedSource(news_site.base + "/feed.xml")], out, FAST)
    states = by_state(report)
    assert sorted(states["saved"]) == ["moved/hospital", "news/pentagon-strikes.html", "news/washington-warning.html"]
    assert states["skipped"]["private/secret.html"] == "robots.txt forbids it"
    assert re.fullmatch(r"published \d{4}-\d\d-\d\d, more than 2 days ago", states["skipped"]["news/old.html"])
    assert states["failed"] == {"news/broken.html": "HTTP 500"}
    assert list(states["deferred"]) == ["news/busy.html"] and "asked to wait until" in states["deferred"]["news/busy.html"]
    # What was asked, and how: robots.txt first, never the forbidden or the too old page, our User-Agent.
    paths = [path for path, _ in news_site.requests]
    assert paths[0] == "/robots.txt" and news_site.asked("/private/") == 0 and news_site.asked("/news/old.html") == 0
    assert all(headers["user-agent"] == USER_AGENT for _, headers in news_site.requests)
    assert USER_AGENT.startswith("Nashra/") and "http" in USER_AGENT
    assert news_site.busy_requests == ["/robots.txt"]  # its 429 stopped us at once
    assert sorted(p.name for p in out.glob("*.md")) == sorted(o.file.name for o in report.saved)


def test_articles_keep_their_paragraphs_and_lose_the_boilerplate(news_site, tmp_path):
    out = tmp_path / "articles"
    fetch([FeedSource(news_site.base + "/feed.xml", outlet="وكالة المثال")], out, FAST)
    files = sorted(out.glob("*.md"))
    assert len(files) == 3
    for path in files:
        meta, body = front_matter(path)
        assert set(meta) >= {"title", "source", "url", "date", "fetched"}
        assert meta["source"] == "وكالة المثال"  # the outlet named in the settings wins over the page's
        assert meta["url"].startswith(news_site.base + "/news/") and "utm_" not in meta["url"]
        for words in BOILERPLATE:
            assert words not in body, (path.name, words)
        assert body.count("\n\n") >= 4  # paragraphs, not one glued block
    pentagon = next(f for f in files if "pentagon" in front_matter(f)[0]["url"])
    meta, body = front_matter(pentagon)
    assert meta["author"] == "سامر خليل" and meta["title"].startswith("البنتاغون يعلن")
    assert meta["date"] == news_site.dates["DATE0"]  # the page's own time, with its zone
    assert "لويد أوستن" in body  # words in separate inline elements stay apart
    assert "## استهداف مستودعات أسلحة وذخيرة" in body  # a subheading stays a heading
    assert "مستشفى" in front_matter(next(f for f in files if "hospital" in front_matter(f)[0]["url"]))[0]["title"]
    # nashra build reads them as it reads any article, paragraph by paragraph.
    result = load([out])
    assert not result.problems and len(result.articles) == 3
    article = next(a for a in result.articles if a.title.startswith("البنتاغون"))
    assert article.source == "وكالة المثال" and article.url == meta["url"] and article.date is not None
    assert len(article.paragraphs) == body.strip().count("\n\n") + 1


def test_a_second_run_adds_nothing_and_asks_the_feed_conditionally(news_site, tmp_path):
    out = tmp_path / "articles"
    fetch([FeedSource(news_site.base + "/feed.xml")], out, FAST)
    before = sorted(out.glob("*.md"))
    first_requests = len(news_site.requests)
    second = fetch([FeedSource(news_site.base + "/feed.xml")], out, FAST)
    assert second.saved == [] and sorted(out.glob("*.md")) == before
    states = by_state(second)
    assert states["unchanged"] == {"feed.xml": "feed not modified since the last run"}
    asked = [(path, headers) for path, headers in news_site.requests[first_requests:]]
    feed_headers = next(headers for path, headers in asked if path == "/feed.xml")
    assert feed_headers["if-none-match"] == news_site.etag
    # Only robots.txt, the feed and the page that failed (tried again, at most three times) were asked.
    assert sorted(path for path, _ in asked) == ["/feed.xml", "/news/broken.html", "/robots.txt"]
    assert news_site.busy_requests == ["/robots.txt"]  # still inside its Retry-After: not asked at all
    assert "news/busy.html" not in str(states)  # waiting for its time, not reported as new
    # Pages named directly that were fetched before are not fetched again either.
    third = fetch([FeedSource(news_site.base + "/news/pentagon-strikes.html")], out, FAST)
    assert third.saved == [] and by_state(third)["seen"] == {"news/pentagon-strikes.html": "fetched before"}


def test_a_page_of_a_feed_that_failed_is_given_up_after_three_tries(news_site, tmp_path):
    out = tmp_path / "articles"
    for _ in range(4):
        fetch([FeedSource(news_site.base + "/feed.xml")], out, FAST)
    assert news_site.asked("/news/broken.html") == 3 and news_site.asked("/feed.xml") == 4


def test_a_short_retry_after_is_waited_for_once(news_site, tmp_path):
    news_site.unavailable_once.add("/news/hospital.html")
    waits: list[float] = []
    from nashra.fetch.http import PoliteClient

    client = PoliteClient(delay=0, max_wait=5, sleep=waits.append)
    report = fetch([FeedSource(news_site.base + "/news/hospital.html")], tmp_path / "a", client=client)
    assert [o.state for o in report.outcomes] == ["saved"] and news_site.asked("/news/hospital.html") == 2
    assert 0 in waits


def test_requests_to_one_host_are_spaced_by_the_delay(news_site, tmp_path):
    from nashra.fetch.http import PoliteClient

    waits: list[float] = []
    client = PoliteClient(delay=30, sleep=waits.append)
    fetch([FeedSource(news_site.base + "/news/pentagon-strikes.html"),
           FeedSource(news_site.base + "/news/hospital.html")], tmp_path / "a", client=client)
    # robots.txt, then two pages: each request after the first waited for (nearly) the whole delay.
    assert len(waits) == 2 and all(25 < w <= 30 for w in waits)


def test_redirects_only_to_http_and_bodies_within_the_limit(news_site, tmp_path):
    news_site.routes["/news/ftp.html"] = (302, {"Location": "ftp://127.0.0.1/file.txt"}, b"")
    news_site.routes["/news/huge.html"] = (200, {"Content-Type": "text/html"}, b"<p>" + "خبر ".encode() * 400_000)
    options = FetchOptions(delay=0, max_wait=0, max_bytes=1_000_000)
    report = fetch([FeedSource(news_site.base + "/news/ftp.html"), FeedSource(news_site.base + "/news/huge.html"),
                    FeedSource("file:///etc/passwd")], tmp_path / "a", options)
    states = by_state(report)["skipped"]
    assert states["news/ftp.html"].startswith("redirect to a non-http(s) URL")
    assert states["news/huge.html"] == "larger than 1,000,000 bytes"
    assert [o.reason for o in report.outcomes if o.url.startswith("file:")] == ["not an http(s) URL"]


def test_a_page_without_an_article_is_skipped(news_site, tmp_path):
    news_site.routes["/news/video.html"] = (200, {"Content-Type": "text/html; charset=utf-8"},
                                            "<html><body><nav>الرئيسية</nav><p>فيديو</p></body></html>".encode())
    report = fetch([FeedSource(news_site.base + "/news/video.html")], tmp_path / "a", FAST)
    assert by_state(report)["skipped"]["news/video.html"].startswith("no article text found")


def test_an_unreachable_site_is_one_line_and_the_rest_goes_on(news_site, tmp_path):
    report = fetch([FeedSource("http://127.0.0.1:9/feed.xml"), FeedSource(news_site.base + "/news/hospital.html")],
                   tmp_path / "a", FetchOptions(delay=0, max_wait=0, timeout=2))
    assert [o.state for o in report.outcomes] == ["failed", "saved"]
    assert report.outcomes[0].reason.startswith("robots.txt could not be read")


def test_two_runs_into_one_folder_at_once_are_refused(news_site, tmp_path):
    from nashra.errors import NashraError
    from nashra.fetch.record import FetchRecord

    with FetchRecord(tmp_path / "a"):
        with pytest.raises(NashraError, match="another nashra fetch"):
            fetch([FeedSource(news_site.base + "/feed.xml")], tmp_path / "a", FAST)


def test_at_most_max_per_feed_of_the_newest_entries(news_site, tmp_path):
    report = fetch([FeedSource(news_site.base + "/feed.xml")], tmp_path / "a",
                   FetchOptions(delay=0, max_wait=0, max_per_feed=1, days=None))
    assert [o.url.split("/", 3)[3] for o in report.outcomes] == ["news/pentagon-strikes.html"]
    assert report.not_taken == 6


def test_relative_links_of_a_feed_are_relative_to_the_feed(news_site, tmp_path):
    news_site.routes["/feeds/relative.xml"] = (200, {"Content-Type": "application/rss+xml"}, (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        '<item><title>a</title><link>/news/hospital.html</link></item>'
        '<item><title>b</title><link>../news/washington-warning.html</link></item>'
        '<item><title>c</title><link>javascript:alert(1)</link></item></channel></rss>').encode())
    report = fetch([FeedSource(news_site.base + "/feeds/relative.xml")], tmp_path / "a",
                   FetchOptions(delay=0, max_wait=0, days=None))
    assert sorted(o.url for o in report.saved) == [news_site.base + "/news/hospital.html",
                                                   news_site.base + "/news/washington-warning.html"]
    assert [o.reason for o in report.having("skipped")] == ["not an http(s) URL"]


def test_invalid_urls_in_a_feed_or_a_redirect_are_one_line_each_and_the_rest_goes_on(news_site, tmp_path):
    news_site.routes["/feeds/invalid.xml"] = (200, {"Content-Type": "application/rss+xml"}, (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        '<item><title>a</title><link>http://[::1</link></item>'
        '<item><title>b</title><link>http://127.0.0.1:99999/a.html</link></item>'
        '<item><title>c</title><link>/moved/nowhere</link></item>'
        '<item><title>d</title><link>/news/hospital.html</link></item></channel></rss>').encode())
    news_site.routes["/moved/nowhere"] = (302, {"Location": "http://[::1/a.html"}, b"")
    report = fetch([FeedSource(news_site.base + "/feeds/invalid.xml"), FeedSource("http://[::2")], tmp_path / "a",
                   FetchOptions(delay=0, max_wait=0, days=None))
    reasons = sorted(o.reason for o in report.outcomes if o.state != "saved")
    assert reasons == ["not a valid URL (Invalid IPv6 URL)", "not a valid URL (Invalid IPv6 URL)",
                       "not a valid URL (Port out of range 0-65535)",
                       "redirect to an invalid URL (http://[::1/a.html)"]
    assert [o.url for o in report.saved] == [news_site.base + "/news/hospital.html"]


def test_a_damaged_fetch_record_is_set_aside_and_saved_articles_are_not_fetched_again(news_site, tmp_path, caplog):
    fetch([FeedSource(news_site.base + "/news/hospital.html")], tmp_path / "a", FAST)
    record = tmp_path / "a" / ".nashra" / "fetch.sqlite3"
    record.write_bytes(b"not a database " * 100)
    report = fetch([FeedSource(news_site.base + "/news/hospital.html"),
                    FeedSource(news_site.base + "/news/washington-warning.html")], tmp_path / "a", FAST)
    assert [o.state for o in report.outcomes] == ["seen", "saved"]
    assert "fetch record file is damaged" in caplog.text
    assert len(list((tmp_path / "a" / ".nashra").glob("fetch.sqlite3.corrupt-*"))) == 1


def test_an_output_folder_that_cannot_hold_the_record_is_one_error(news_site, tmp_path):
    from nashra.errors import NashraError

    (tmp_path / "a").mkdir()
    (tmp_path / "a" / ".nashra").write_text("a file, not a folder")
    with pytest.raises(NashraError, match="cannot make the folder of the fetch record"):
        fetch([FeedSource(news_site.base + "/news/hospital.html")], tmp_path / "a", FAST)


def test_the_same_article_under_two_addresses_is_saved_once(news_site, tmp_path):
    page = (Path(__file__).parent.parent / "data" / "news-site" / "news" / "hospital.html").read_text(encoding="utf-8")
    canonical = '<head><link rel="canonical" href="{{BASE}}/news/hospital.html">'
    news_site.routes["/amp/hospital.html"] = (200, {"Content-Type": "text/html; charset=utf-8"},
                                              news_site.fill(page.replace("<head>", canonical, 1)))
    other = page.replace("<head>", canonical, 1).replace("افتتاح مستشفى جديد", "افتتاح مدرسة جديدة")
    news_site.routes["/news/school.html"] = (200, {"Content-Type": "text/html; charset=utf-8"}, news_site.fill(other))
    first = fetch([FeedSource(news_site.base + "/news/hospital.html"),
                   FeedSource(news_site.base + "/amp/hospital.html")], tmp_path / "a", FAST)
    assert [o.state for o in first.outcomes] == ["saved", "seen"]
    assert first.outcomes[1].reason.startswith(f"same article as {news_site.base}/news/hospital.html")
    # a page that names another article's address as its own but has another title is not that article
    second = fetch([FeedSource(news_site.base + "/news/school.html")], tmp_path / "a", FAST)
    assert [o.state for o in second.outcomes] == ["saved"]
    assert len(list((tmp_path / "a").glob("*.md"))) == 2


def test_feed_dates_out_of_range_are_no_dates_and_the_run_goes_on(news_site, tmp_path):
    news_site.routes["/feeds/dates.xml"] = (200, {"Content-Type": "application/atom+xml"}, (
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>'
        '<entry><title>a</title><link href="/news/hospital.html"/><updated>0000-00-00T00:00:00Z</updated></entry>'
        '<entry><title>b</title><link href="/news/washington-warning.html"/>'
        '<updated>9999-12-31T23:59:59-14:00</updated></entry></feed>').encode())
    report = fetch([FeedSource(news_site.base + "/feeds/dates.xml")], tmp_path / "a", FAST)
    assert sorted(o.url.rsplit("/", 1)[1] for o in report.saved) == ["hospital.html", "washington-warning.html"]


def test_a_feed_with_external_or_exploding_entities_reads_no_local_file(news_site, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-MARKER", encoding="utf-8")
    laughs = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8))
    news_site.routes["/feeds/entities.xml"] = (200, {"Content-Type": "application/rss+xml"}, (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file://{secret}">{laughs}]>'
        '<rss version="2.0"><channel><title>&x;&i;</title>'
        '<item><title>&x;</title><link>/news/hospital.html</link><description>&x;</description></item>'
        '</channel></rss>').encode())
    report = fetch([FeedSource(news_site.base + "/feeds/entities.xml")], tmp_path / "a",
                   FetchOptions(delay=0, max_wait=0, days=None))
    assert [o.state for o in report.outcomes] == ["saved"]
    for path in (tmp_path / "a").rglob("*"):
        if path.is_file():
            assert b"SECRET-MARKER" not in path.read_bytes()
