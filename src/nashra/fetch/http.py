"""A polite HTTP client: robots.txt, one request at a time per host with a delay, limits.

Every request goes through :meth:`PoliteClient.get`, which

* sends a User-Agent naming Nashra, its version and where to read about it;
* asks robots.txt first (read once per site with :mod:`urllib.robotparser`)
  and honours its ``Crawl-delay`` when it is longer than ours;
* waits ``delay`` seconds between two requests to the same host (requests are
  made one at a time, so a host never sees two at once);
* follows at most ``max_redirects`` redirects, only to http(s) URLs, each one
  checked against robots.txt again, and never from a public site to a private
  address (:meth:`PoliteClient.private`);
* gives up after ``timeout`` seconds of silence, past ``max_bytes`` of body,
  and when a response's headers, or its body, take longer than ``max_seconds``
  to come (a server that sends a byte now and then is never silent for long);
* on 429 or 503 waits for ``Retry-After`` when it is at most ``max_wait``
  seconds and tries once more, otherwise leaves the host alone until then
  (:class:`Deferred`), for the rest of this run and, through the fetch
  record, for later runs.

Requests are made with urllib3, which trafilatura itself uses (no further
dependency), with its own redirects and retries turned off so that each hop
and each retry goes through the rules above.

Problems are :class:`FetchProblem` subclasses: :class:`Refused` (we chose not
to fetch: robots.txt, a non-http(s) redirect, too large), :class:`Failed`
(the site or the network failed) and :class:`Deferred` (try again later).
"""

from __future__ import annotations

import logging
import socket
import threading
import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, UTC
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

from .. import __version__
from ..errors import NashraError

log = logging.getLogger(__name__)

PROJECT_URL = "https://pypi.org/project/nashra/"
USER_AGENT = f"Nashra/{__version__} (+{PROJECT_URL}; Arabic news briefing)"
#: Seconds to wait for a 429/503 when the site gives no Retry-After.
DEFAULT_RETRY_AFTER = 600.0
#: The longest Retry-After believed (30 days): a larger one (or a date centuries ahead) is taken as this.
MAX_RETRY_AFTER = 30 * 86400.0
#: The longest Crawl-delay honoured, so that one site cannot stall a run.
MAX_CRAWL_DELAY = 60.0
_REDIRECTS = {301, 302, 303, 307, 308}


class FetchProblem(NashraError):
    """A URL that was not fetched, and why."""

    kind = "failed"

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


class Refused(FetchProblem):
    """Not fetched by choice: robots.txt forbids it, a redirect leaves http(s), the body is too large."""

    kind = "skipped"


class Failed(FetchProblem):
    """The site answered with an error, or could not be reached."""

    kind = "failed"


class Deferred(FetchProblem):
    """The site asked us to come back later (429/503); ``retry_at`` is a Unix time."""

    kind = "deferred"

    def __init__(self, url: str, reason: str, retry_at: float) -> None:
        super().__init__(url, reason)
        self.retry_at = retry_at


@dataclass
class Response:
    url: str
    status: int
    headers: dict[str, str]
    body: bytes = b""

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


@dataclass
class PoliteClient:
    """Sequential, polite HTTP GETs (see the module's documentation)."""

    delay: float = 1.0
    timeout: float = 20.0
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    max_wait: float = 30.0
    #: The longest time one response's headers, and then its body, may take to arrive.
    max_seconds: float = 120.0
    user_agent: str = USER_AGENT
    #: Host -> Unix time before which it is not asked again (from 429/503).
    blocked: dict[str, float] = field(default_factory=dict)
    sleep: Callable[[float], None] = time.sleep
    requests: int = 0

    def __post_init__(self) -> None:
        import urllib3

        self._pool = urllib3.PoolManager(num_pools=20, retries=False,
                                         timeout=urllib3.Timeout(connect=self.timeout, read=self.timeout))
        # urllib3 hands back nothing before the headers are in: the connections time their reading themselves.
        self._headers_too_slow = threading.Event()
        self._pool.pool_classes_by_scheme = _deadline_pools(self.max_seconds, self._headers_too_slow)
        self._robots: dict[str, urllib.robotparser.RobotFileParser | FetchProblem] = {}
        self._last: dict[str, float] = {}
        self._host_delay: dict[str, float] = {}
        self._private: dict[str, bool] = {}

    def close(self) -> None:
        self._pool.clear()

    # -- public --------------------------------------------------------------------

    def get(self, url: str, headers: dict[str, str] | None = None) -> Response:
        """GET ``url`` politely; raise a :class:`FetchProblem` when it cannot or may not be fetched."""
        current = url
        for _ in range(self.max_redirects + 1):
            _check_scheme(url, current)
            self._check_allowed(url, current)
            response = self._request(url, current, headers or {}, retry=True)
            if response.status in _REDIRECTS:
                location = response.headers.get("location")
                if not location:
                    raise Failed(url, f"HTTP {response.status} without a Location")
                try:
                    target = urljoin(current, location)
                    scheme = urlsplit(target).scheme
                except ValueError:
                    raise Failed(url, f"redirect to an invalid URL ({location[:80]})") from None
                if scheme not in ("http", "https"):
                    raise Refused(url, f"redirect to a non-http(s) URL ({target[:80]})")
                if self.private(target) and not self.private(current):
                    raise Refused(url, f"redirect from a public site to a private address ({target[:80]})")
                log.debug("%s redirects to %s", current, target)
                current = target
                continue
            return response
        raise Failed(url, f"more than {self.max_redirects} redirects")

    def private(self, url: str) -> bool:
        """Whether ``url``'s host is this machine or its private network (loopback, 10.x, 169.254.x, ...).

        A public site's feed or redirect pointing there is refused: it would have the fetch read
        (and publish) what only this machine can see, such as a cloud's metadata service.
        """
        try:
            host = urlsplit(url).hostname or ""
        except ValueError:
            return False  # not a valid URL: get() refuses it
        if host not in self._private:
            self._private[host] = _resolves_to_private(host)
        return self._private[host]

    def allowed(self, url: str) -> bool:
        """Whether robots.txt lets Nashra fetch ``url`` (reading it once per site)."""
        try:
            self._check_allowed(url, url)
        except Refused:
            return False
        return True

    # -- robots.txt ------------------------------------------------------------------

    def _check_allowed(self, url: str, current: str) -> None:
        parts = urlsplit(current)
        origin = f"{parts.scheme}://{parts.netloc}"
        rules = self._robots.get(origin)
        if rules is None:
            rules = self._read_robots(origin)
            self._robots[origin] = rules
        if isinstance(rules, FetchProblem):
            raise type(rules)(url, rules.reason) if not isinstance(rules, Deferred) else \
                Deferred(url, rules.reason, rules.retry_at)
        if not rules.can_fetch(self.user_agent, current):
            raise Refused(url, f"robots.txt forbids it{'' if current == url else ' (' + current + ')'}")

    def _read_robots(self, origin: str) -> urllib.robotparser.RobotFileParser | FetchProblem:
        """robots.txt of ``origin``, per RFC 9309: unavailable (4xx) allows all, unreachable (5xx) forbids all."""
        parser = urllib.robotparser.RobotFileParser(origin + "/robots.txt")
        target = origin + "/robots.txt"
        try:
            for _ in range(self.max_redirects + 1):
                response = self._request(target, target, {}, retry=False, check=False)
                if response.status in _REDIRECTS and response.headers.get("location"):
                    target = urljoin(target, response.headers["location"])
                    if urlsplit(target).scheme not in ("http", "https"):
                        break
                    continue
                break
        except Deferred as exc:
            return exc
        except FetchProblem as exc:
            return Failed(origin, f"robots.txt could not be read ({exc.reason}); try again later")
        if response.status >= 500:
            return Failed(origin, f"robots.txt could not be read (HTTP {response.status}); try again later")
        if 200 <= response.status < 300:
            parser.parse(response.body.decode("utf-8", "replace").splitlines())
            crawl_delay = parser.crawl_delay(self.user_agent)
            if crawl_delay:
                self._host_delay[urlsplit(origin).netloc] = min(float(crawl_delay), MAX_CRAWL_DELAY)
        else:
            parser.parse([])  # robots.txt unavailable (4xx): everything is allowed
        return parser

    # -- one request -------------------------------------------------------------

    def _wait_turn(self, host: str) -> None:
        delay = max(self.delay, self._host_delay.get(host, 0.0))
        last = self._last.get(host)
        if last is not None:
            remaining = last + delay - time.monotonic()
            if remaining > 0:
                self.sleep(remaining)

    def _too_slow(self, url: str, part: str) -> Failed:
        return Failed(url, f"the {part} took more than {self.max_seconds:g} s to arrive")

    def _request(self, url: str, current: str, headers: dict[str, str], retry: bool, check: bool = True) -> Response:
        import urllib3

        host = urlsplit(current).netloc
        blocked = self.blocked.get(host, 0.0)
        if blocked > time.time():
            raise Deferred(url, f"{host} asked to wait until {_when(blocked)}", blocked)
        self._wait_turn(host)
        request_headers = {"User-Agent": self.user_agent, "Accept-Encoding": "gzip, deflate", **headers}
        self._headers_too_slow.clear()
        try:
            raw = self._pool.request("GET", current, headers=request_headers, redirect=False,
                                     preload_content=False, retries=False)
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            if self._headers_too_slow.is_set():
                raise self._too_slow(url, "headers") from None
            raise Failed(url, _network_reason(exc)) from None
        finally:
            self._last[host] = time.monotonic()
            self.requests += 1
        if self._headers_too_slow.is_set():  # cut off, http.client may still have made a response of a part
            raw.release_conn()
            raise self._too_slow(url, "headers")
        too_slow = threading.Event()

        def stop_reading() -> None:
            too_slow.set()
            try:
                raw.shutdown()  # makes the read blocked in this thread give up
            except (ValueError, RuntimeError, OSError):
                pass

        watchdog = threading.Timer(self.max_seconds, stop_reading)
        watchdog.daemon = True
        watchdog.start()
        try:
            response_headers = {k.lower(): v for k, v in raw.headers.items()}
            status = raw.status
            if status in (429, 503):
                wait = _retry_after(response_headers.get("retry-after"))
                if retry and wait <= self.max_wait:
                    log.info("%s: HTTP %d, waiting %.0f s as asked", current, status, wait)
                    raw.release_conn()
                    self.sleep(wait)
                    return self._request(url, current, headers, retry=False, check=check)
                retry_at = time.time() + wait
                self.blocked[host] = max(self.blocked.get(host, 0.0), retry_at)
                raise Deferred(url, f"HTTP {status}, {host} asked to wait until {_when(retry_at)}", retry_at)
            if status in _REDIRECTS or status == 304:
                return Response(current, status, response_headers)
            if status >= 400 and check:
                raise Failed(url, f"HTTP {status}")
            length = response_headers.get("content-length", "")
            if length.isdigit() and int(length) > self.max_bytes:
                raise Refused(url, f"larger than {self.max_bytes:,} bytes")
            chunks: list[bytes] = []
            size = 0
            for chunk in raw.stream(64 * 1024):
                size += len(chunk)
                if size > self.max_bytes:
                    raise Refused(url, f"larger than {self.max_bytes:,} bytes")
                chunks.append(chunk)
            if too_slow.is_set():
                raise self._too_slow(url, "page")
            return Response(current, status, response_headers, b"".join(chunks))
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            if too_slow.is_set():
                raise self._too_slow(url, "page") from None
            raise Failed(url, _network_reason(exc)) from None
        finally:
            watchdog.cancel()
            raw.release_conn()


def _deadline_pools(seconds: float, too_slow: threading.Event) -> dict[str, type]:
    """urllib3 pool classes whose connections stop reading a response's headers after ``seconds``.

    The read timeout only bounds silence: a server sending its headers a byte
    at a time would hold the fetch for ever. A timer shuts the socket down,
    which makes the blocked read give up, and sets ``too_slow``.
    """
    from urllib3.connection import HTTPConnection, HTTPSConnection
    from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
    from urllib3.response import BaseHTTPResponse

    def stop(sock: socket.socket | None) -> None:
        too_slow.set()
        try:
            if sock is not None:
                socket.socket.shutdown(sock, socket.SHUT_RDWR)
        except OSError:
            pass

    class Timed:
        sock: socket.socket | None

        def getresponse(self) -> BaseHTTPResponse:
            timer = threading.Timer(seconds, stop, (self.sock,))
            timer.daemon = True
            timer.start()
            try:
                return super().getresponse()  # type: ignore[misc, no-any-return]
            finally:
                timer.cancel()

    class TimedHTTPConnection(Timed, HTTPConnection):  # type: ignore[misc]
        pass

    class TimedHTTPSConnection(Timed, HTTPSConnection):  # type: ignore[misc]
        pass

    class TimedHTTPConnectionPool(HTTPConnectionPool):
        ConnectionCls = TimedHTTPConnection

    class TimedHTTPSConnectionPool(HTTPSConnectionPool):
        ConnectionCls = TimedHTTPSConnection

    return {"http": TimedHTTPConnectionPool, "https": TimedHTTPSConnectionPool}


def _resolves_to_private(host: str) -> bool:
    import ipaddress
    import socket

    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except (OSError, UnicodeError, ValueError):
        return False  # unknown: the request itself fails
    return any(not ipaddress.ip_address(str(a).split("%")[0]).is_global for a in addresses)


def _check_scheme(url: str, current: str) -> None:
    try:
        parts = urlsplit(current)
        parts.port  # noqa: B018 - raises ValueError for a port out of range or not a number
    except ValueError as exc:
        raise Refused(url, f"not a valid URL ({exc})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Refused(url, "not an http(s) URL")


def _retry_after(value: str | None) -> float:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date), at most MAX_RETRY_AFTER."""
    return min(_retry_after_header(value), MAX_RETRY_AFTER)


def _retry_after_header(value: str | None) -> float:
    if not value:
        return DEFAULT_RETRY_AFTER
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return DEFAULT_RETRY_AFTER
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _when(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d %H:%M UTC")


def _network_reason(exc: Exception) -> str:
    import urllib3

    if isinstance(exc, (urllib3.exceptions.ReadTimeoutError, urllib3.exceptions.ConnectTimeoutError)):
        return "timed out"
    if isinstance(exc, urllib3.exceptions.NameResolutionError):
        return "unknown host"
    if isinstance(exc, urllib3.exceptions.NewConnectionError):
        return "cannot connect"
    if isinstance(exc, urllib3.exceptions.SSLError):
        return "TLS error"
    if isinstance(exc, urllib3.exceptions.DecodeError):
        return "the body is not in the compression its Content-Encoding names"
    if isinstance(exc, urllib3.exceptions.ProtocolError):
        return "the connection broke off"
    return type(exc).__name__
