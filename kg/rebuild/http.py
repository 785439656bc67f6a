"""HTTP for the rebuild's feeds: one GET, bounded in every way a hostile server can stretch it.

* **each read** waits at most ``fetch.timeout`` seconds (httpx's timeouts);
* **each answer**, headers and body together, must be complete within
  ``fetch.request_deadline`` seconds: a server that trickles a byte a second keeps every read
  short and would otherwise hold the run for ever. At the deadline a timer shuts the
  request's socket down, which ends a read blocked in another thread at once;
* **the whole fetch stage** ends by ``fetch.run_deadline`` seconds after it started: no
  request starts after that, none runs past it, and no retry waits beyond it
  (:class:`OutOfTime`; what was not fetched is fetched on the next run). A caller may give a
  request a smaller ``share`` of that time (each feed's document gets its fair share, so
  one slow feed cannot leave the others unread);
* **redirects**: at most :data:`MAX_REDIRECTS`; a loop is one failure of that source, never
  retried, never a crash;
* **size**: a body over ``output.max_bytes`` is refused as it arrives.

Timeouts, connection errors, 429 and 5xx answers are retried with exponential backoff
(``Retry-After`` is honoured up to a minute); other answers fail at once. Name resolution
is the one step no timer can interrupt (the C library's ``getaddrinfo``).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from kg.rebuild.config import FetchSettings

MAX_REDIRECTS = 10
MAX_RETRY_AFTER = 60.0
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class FetchError(Exception):
    """A request that failed for good (after its retries); the message says why."""


class OutOfTime(FetchError):
    """The run's fetch deadline passed: the source is not at fault and is tried next run."""


@dataclass
class Fetched:
    status: int
    content: bytes
    headers: httpx.Headers
    url: str


class _Watchdog:
    """Shuts down the sockets of one request when its deadline comes.

    The sockets are learnt from httpcore's ``trace`` extension as each connection is made
    (one per redirect hop, since connections are not kept alive); shutting one down makes a
    read blocked on it return, whatever its timeout.
    """

    def __init__(self) -> None:
        self.fired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()

    def trace(self, event: str, info: dict) -> None:
        if event in ("connection.connect_tcp.complete", "connection.start_tls.complete"):
            stream = info.get("return_value")
            sock = stream.get_extra_info("socket") if stream is not None else None
            if sock is not None:
                with self._lock:
                    self._sockets.append(sock)
                    if self.fired:
                        _shut(sock)

    def fire(self) -> None:
        with self._lock:
            self.fired = True
            for sock in self._sockets:
                _shut(sock)


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # already closed: that request is over


class Fetcher:
    """One HTTP client for a run's fetch stage: timeouts, deadlines, retries, a size limit."""

    def __init__(
        self,
        settings: FetchSettings,
        max_bytes: int,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.settings = settings
        self.max_bytes = max_bytes
        self.sleep = sleep
        self.clock = clock
        self.ends = clock() + settings.run_deadline
        self.requests = 0
        self.client = httpx.Client(
            timeout=httpx.Timeout(settings.timeout),
            follow_redirects=True,
            max_redirects=MAX_REDIRECTS,
            headers={"User-Agent": settings.user_agent},
            # a new connection per request, so the watchdog knows every socket a request uses
            limits=httpx.Limits(max_keepalive_connections=0),
        )

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def out_of_time(self) -> bool:
        return self.clock() >= self.ends

    def out_of_time_reason(self) -> str:
        return f"the run's fetch deadline had come (fetch.run_deadline = {self.settings.run_deadline:g} s)"

    def get(self, url: str, headers: dict[str, str] | None = None, *, share: float | None = None) -> Fetched:
        """GET ``url``: a 2xx or 304 answer, or :class:`FetchError` once retries are spent
        (:class:`OutOfTime` when the run's fetch deadline stopped it). ``share``: seconds of
        the run's fetch time this source may take at most, if fewer than the request deadline."""
        attempts = self.settings.retries + 1
        for attempt in range(attempts):
            if self.out_of_time:
                raise OutOfTime(self.out_of_time_reason())
            try:
                answer = self._get_once(url, headers or {}, share)
            except httpx.TransportError as error:
                if isinstance(error, httpx.UnsupportedProtocol):
                    raise FetchError(f"redirected to a URL kg does not fetch: {error}") from None
                reason = _transport_reason(error)
                delay = self._delay(attempt, None)
            except httpx.TooManyRedirects:
                raise FetchError(f"more than {MAX_REDIRECTS} redirects (a redirect loop?)") from None
            except (httpx.HTTPError, httpx.InvalidURL) as error:
                raise FetchError(f"{type(error).__name__}: {error}") from None
            else:
                if answer.status < 400 or answer.status not in RETRY_STATUSES:
                    if answer.status >= 400:
                        raise FetchError(f"HTTP {answer.status} {_phrase(answer.status)}")
                    return answer
                reason = f"HTTP {answer.status} {_phrase(answer.status)}"
                delay = self._delay(attempt, answer.headers.get("retry-after"))
            if attempt + 1 < attempts:
                if self.clock() + delay >= self.ends:
                    raise OutOfTime(f"{reason}; no time left to try again: {self.out_of_time_reason()}")
                self.sleep(delay)
        tries = f" (after {attempts} attempts)" if attempts > 1 else ""
        raise FetchError(reason + tries)

    def _get_once(self, url: str, headers: dict[str, str], share: float | None = None) -> Fetched:
        """One attempt, cut at the request's deadline (or share) or the run's, whichever comes first."""
        self.requests += 1
        started = self.clock()
        limit = min(self.settings.request_deadline, share) if share is not None else self.settings.request_deadline
        own = started + limit
        deadline = min(own, self.ends)
        watchdog = _Watchdog()
        timer = threading.Timer(max(0.0, deadline - started), watchdog.fire)
        timer.daemon = True
        timer.start()
        try:
            answer = self._stream(url, headers, watchdog, deadline)
        except (httpx.HTTPError, FetchError):
            if not watchdog.fired:
                raise
            answer = None
        finally:
            timer.cancel()
        if watchdog.fired or self.clock() > deadline:
            # also when the answer looked complete: a body read until the connection closes
            # would end, cut, at the shutdown as if whole
            if own <= self.ends:
                if limit < self.settings.request_deadline:
                    raise FetchError(
                        f"no complete answer within its share of the run's fetch time ({limit:.3g} s of "
                        f"fetch.run_deadline = {self.settings.run_deadline:g} s)"
                    )
                raise FetchError(
                    f"no complete answer within the {self.settings.request_deadline:g}-s request deadline "
                    "(fetch.request_deadline)"
                )
            raise OutOfTime(f"cut off: {self.out_of_time_reason()}")
        assert answer is not None
        return answer

    def _stream(self, url: str, headers: dict[str, str], watchdog: _Watchdog, deadline: float) -> Fetched:
        timeout = httpx.Timeout(max(0.001, min(self.settings.timeout, deadline - self.clock())))
        with self.client.stream("GET", url, headers=headers, timeout=timeout, extensions={"trace": watchdog.trace}) as response:
            if response.status_code == 304 or response.status_code >= 400:
                return Fetched(response.status_code, b"", response.headers, str(response.url))
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > self.max_bytes:
                    raise FetchError(f"answer is larger than the {self.max_bytes:,}-byte limit (output.max_bytes)")
                if self.clock() > deadline:
                    watchdog.fire()
                    break
            return Fetched(response.status_code, bytes(body), response.headers, str(response.url))

    def _delay(self, attempt: int, retry_after: str | None) -> float:
        delay = self.settings.backoff * (2**attempt)
        if retry_after and retry_after.strip().isdigit():
            delay = max(delay, min(float(retry_after), MAX_RETRY_AFTER))
        return delay


def _phrase(status: int) -> str:
    return httpx.codes.get_reason_phrase(status)


def _transport_reason(error: httpx.TransportError) -> str:
    if isinstance(error, httpx.TimeoutException):
        return f"timed out ({type(error).__name__})"
    if isinstance(error, httpx.ConnectError):
        return f"cannot connect: {error}" if str(error) else "cannot connect"
    return f"{type(error).__name__}: {error}"
