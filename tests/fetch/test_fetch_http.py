"""The polite client's rules on their own: Retry-After, robots.txt answers, the User-Agent."""

from __future__ import annotations

from datetime import datetime, timedelta, UTC
from email.utils import format_datetime

import pytest

from nashra import __version__
from nashra.fetch.http import DEFAULT_RETRY_AFTER, MAX_RETRY_AFTER, USER_AGENT, Deferred, Failed, PoliteClient, Refused, _retry_after


def test_retry_after_in_seconds_or_as_a_date():
    assert _retry_after("120") == 120
    in_an_hour = format_datetime(datetime.now(UTC) + timedelta(hours=1), usegmt=True)
    assert 3500 < _retry_after(in_an_hour) <= 3600
    assert _retry_after(None) == _retry_after("soon") == DEFAULT_RETRY_AFTER


def test_user_agent_names_nashra_its_version_and_where_to_read_about_it():
    assert USER_AGENT.startswith(f"Nashra/{__version__} (+https://")


@pytest.mark.parametrize("status, allowed", [(404, True), (410, True)])
def test_a_missing_robots_txt_allows_everything(news_site, status, allowed):
    news_site.routes["/robots.txt"] = (status, {}, b"")
    assert PoliteClient(delay=0).allowed(news_site.base + "/private/secret.html") is allowed


def test_a_robots_txt_that_fails_forbids_the_site_for_this_run(news_site):
    news_site.routes["/robots.txt"] = (500, {}, b"")
    client = PoliteClient(delay=0)
    with pytest.raises(Failed, match="robots.txt could not be read"):
        client.get(news_site.base + "/news/hospital.html")
    assert news_site.asked("/news/") == 0


def test_a_site_that_asks_to_wait_is_not_asked_again_in_the_same_run(news_site):
    news_site.routes["/news/a.html"] = (503, {"Retry-After": "600"}, b"")
    client = PoliteClient(delay=0, max_wait=5)
    with pytest.raises(Deferred):
        client.get(news_site.base + "/news/a.html")
    with pytest.raises(Deferred):
        client.get(news_site.base + "/news/hospital.html")
    assert news_site.asked("/news/") == 1


def test_robots_crawl_delay_is_honoured(news_site):
    news_site.routes["/robots.txt"] = (200, {}, b"User-agent: *\nCrawl-delay: 7\n")
    waits: list[float] = []
    client = PoliteClient(delay=0, sleep=waits.append)
    client.get(news_site.base + "/news/hospital.html")
    client.get(news_site.base + "/news/pentagon-strikes.html")
    assert len(waits) == 2 and all(6 < w <= 7 for w in waits)


@pytest.mark.parametrize("value", ["99999999999999999999999", "Fri, 31 Dec 9999 23:59:59 GMT"])
def test_a_retry_after_far_in_the_future_is_taken_as_the_longest_wait(value):
    assert _retry_after(value) == MAX_RETRY_AFTER


def test_a_page_whose_site_asks_to_wait_for_ages_is_deferred_and_the_run_goes_on(news_site, tmp_path):
    from nashra.fetch import FeedSource, FetchOptions, fetch

    news_site.routes["/news/a.html"] = (429, {"Retry-After": "99999999999999999999999"}, b"")
    other_host = news_site.base.replace("127.0.0.1", "localhost")
    report = fetch([FeedSource(news_site.base + "/news/a.html"), FeedSource(other_host + "/news/hospital.html")],
                   tmp_path, FetchOptions(delay=0))
    assert [o.state for o in report.outcomes] == ["deferred", "saved"]
    assert "asked to wait until" in report.outcomes[0].reason


def assert_given_up_in_time(url: str, match: str) -> None:
    """A client allowing 2 s of silence and 1.5 s for a response gives ``url`` up with ``match``, within 5 s."""
    import time

    client = PoliteClient(delay=0, timeout=2, max_seconds=1.5)
    started = time.monotonic()
    with pytest.raises(Failed, match=match):
        client.get(url)
    assert time.monotonic() - started < 5


def test_a_body_that_comes_a_few_bytes_at_a_time_is_given_up_after_max_seconds(tmp_path):
    import threading
    import time
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Trickle(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802
            self.send_response(404 if self.path == "/robots.txt" else 200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            try:
                for _ in range(40 if self.path != "/robots.txt" else 0):
                    self.wfile.write(b"<p>a</p>")
                    self.wfile.flush()
                    time.sleep(0.25)  # never silent for the 2 s timeout
            except OSError:
                pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Trickle)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        assert_given_up_in_time(f"http://127.0.0.1:{server.server_port}/news/slow.html", "took more than 1.5 s to arrive")
    finally:
        server.shutdown()
        server.server_close()


def test_headers_that_come_a_byte_at_a_time_are_given_up_after_max_seconds():
    """The read timeout bounds only silence: a server dripping its status line and headers would hold the
    fetch (and a scheduled job) for ever."""
    import socket
    import threading
    import time

    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            with connection:
                request = connection.recv(65536)
                if stop.is_set():
                    return
                if request.startswith(b"GET /robots.txt"):
                    connection.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    continue
                # One byte of a header every 0.2 s: never silent for the 2 s timeout.
                try:
                    connection.sendall(b"HTTP/1.1 200 OK\r\n")
                    for _ in range(100):
                        connection.sendall(b"X")
                        time.sleep(0.2)
                except OSError:
                    pass

    threading.Thread(target=serve, daemon=True).start()
    try:
        assert_given_up_in_time(f"http://127.0.0.1:{listener.getsockname()[1]}/news/slow.html",
                                "slow.html: the headers took more than 1.5 s to arrive$")
    finally:
        stop.set()
        listener.close()


def test_a_body_that_is_not_in_its_content_encoding_fails_with_a_reason(news_site):
    news_site.routes["/news/a.html"] = (200, {"Content-Type": "text/html", "Content-Encoding": "gzip"}, b"not gzip")
    with pytest.raises(Failed, match="not in the compression its Content-Encoding names"):
        PoliteClient(delay=0).get(news_site.base + "/news/a.html")


def test_a_gzip_bomb_is_refused_past_max_bytes(news_site):
    import gzip

    news_site.routes["/news/a.html"] = (200, {"Content-Type": "text/html", "Content-Encoding": "gzip"},
                                        gzip.compress(b"0" * 20_000_000))
    with pytest.raises(Refused, match="larger than 1,000,000 bytes"):
        PoliteClient(delay=0, max_bytes=1_000_000).get(news_site.base + "/news/a.html")


class _PublicBase(PoliteClient):
    """A client that takes 127.0.0.1 for a public site (no public site can be served in a test)."""

    def private(self, url: str) -> bool:
        return not url.startswith("http://127.0.0.1:")


def test_a_public_site_cannot_redirect_or_link_to_a_private_address(news_site, tmp_path):
    from nashra.fetch import FeedSource, FetchOptions, fetch

    inside = news_site.base.replace("127.0.0.1", "localhost")
    news_site.routes["/news/inside.html"] = (302, {"Location": inside + "/news/hospital.html"}, b"")
    news_site.routes["/feeds/inside.xml"] = (200, {"Content-Type": "application/rss+xml"}, (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        f'<item><title>a</title><link>{inside}/news/washington-warning.html</link></item>'
        f'<item><title>b</title><link>{news_site.base}/news/hospital.html</link></item></channel></rss>').encode())
    with pytest.raises(Refused, match="redirect from a public site to a private address"):
        _PublicBase(delay=0).get(news_site.base + "/news/inside.html")
    report = fetch([FeedSource(news_site.base + "/feeds/inside.xml")], tmp_path / "a", FetchOptions(delay=0, days=None),
                   client=_PublicBase(delay=0))
    assert [(o.state, o.url.rsplit("/", 1)[1]) for o in report.outcomes] == [
        ("skipped", "washington-warning.html"), ("saved", "hospital.html")]
    assert news_site.asked("/news/washington-warning.html") == 0


def test_localhost_and_private_networks_are_private():
    client = PoliteClient(delay=0)
    assert client.private("http://127.0.0.1:8000/a") and client.private("http://localhost/a")
    assert client.private("http://169.254.169.254/latest/meta-data/") and client.private("http://10.1.2.3/")
    assert not client.private("http://8.8.8.8/") and not client.private("http://no-such-host.invalid/")
