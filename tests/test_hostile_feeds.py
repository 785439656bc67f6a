"""Hostile feeds against a real HTTP server on 127.0.0.1: a redirect loop, a server that
trickles a byte at a time, one that fails. Each costs only itself: the run ends, reports it
by name with its reason, and keeps every good article; what the deadline cut off is
fetched on the next run.

The server is ``http.server`` in a thread of the test, serving RSS and pages written here.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from kg.rebuild.config import load_config
from kg.rebuild.run import Options, rebuild_locked

TRICKLE_PAUSE = 0.2  # seconds between two bytes of a trickling answer
GOOD_SENTENCES = [
    "Goldman Sachs said Nvidia shares look attractive after the selloff.",
    "UBS said Microsoft will benefit from strong cloud demand.",
    "HSBC said Tencent shares look attractive.",
]
LOCAL_SENTENCES = ["Morgan Stanley warned that Tesla faces weak demand.", "Citi warned that Intel faces a difficult year."]


# --------------------------------------------------------------------------- the server


@dataclass
class Route:
    kind: str  # "ok", "redirect", "status", "trickle-body", "trickle-head"
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    location: str = ""
    status: int = 200


@dataclass
class Site:
    base: str = ""
    routes: dict[str, Route] = field(default_factory=dict)
    hits: list[str] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def url(self, path: str) -> str:
        return self.base + path


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        site: Site = self.server.site  # type: ignore[attr-defined]
        site.hits.append(self.path)
        route = site.routes.get(self.path, Route("status", b"not found", "text/plain", status=404))
        try:
            getattr(self, "_" + route.kind.replace("-", "_"))(route, site)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up on us, as it should

    def _ok(self, route: Route, site: Site) -> None:
        self._head(route.status, route.content_type, len(route.body))
        self.wfile.write(route.body)

    _status = _ok

    def _redirect(self, route: Route, site: Site) -> None:
        self.send_response(302)
        self.send_header("Location", route.location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _trickle_body(self, route: Route, site: Site) -> None:
        self._head(200, route.content_type, 1_000_000)
        self._trickle(b"<?xml version='1.0'?><rss version='2.0'>" + b" " * 1_000_000, site)

    def _trickle_head(self, route: Route, site: Site) -> None:
        self._trickle(b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 1_000_000, site)

    def _trickle(self, data: bytes, site: Site) -> None:
        for byte in data:
            if site.stop.wait(TRICKLE_PAUSE):
                return
            self.wfile.write(bytes([byte]))
            self.wfile.flush()

    def _head(self, status: int, content_type: str, length: int) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(length))
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def site(monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.block_on_close = False
    server.site = Site(base=f"http://127.0.0.1:{server.server_address[1]}")  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server.site  # type: ignore[attr-defined]
    server.site.stop.set()  # type: ignore[attr-defined]
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def page(title: str, sentence: str) -> bytes:
    return (
        f'<!DOCTYPE html><html lang="en"><head><title>{title}</title></head><body><article>'
        f"<h1>{title}</h1><p>{sentence}</p><p>The note was published on Monday.</p></article></body></html>"
    ).encode()


def rss(links: list[str]) -> bytes:
    entries = "".join(
        f"<item><guid>{link}</guid><title>Story {n}</title><link>{link}</link>"
        f"<pubDate>Mon, 03 Mar 2025 0{n}:00:00 +0000</pubDate></item>"
        for n, link in enumerate(links)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Wire</title>'
        f"<link>http://127.0.0.1/</link><description>t</description>{entries}</channel></rss>"
    ).encode()


def serve_good_feed(site: Site, path: str = "/good.xml", extra_links: tuple[str, ...] = ()) -> list[str]:
    """A feed of pages, one per GOOD_SENTENCES (after ``extra_links``); returns its item links."""
    links = list(extra_links)
    for n, sentence in enumerate(GOOD_SENTENCES):
        site.routes[f"/news/{n}.html"] = Route("ok", page(f"Story {n}", sentence))
        links.append(site.url(f"/news/{n}.html"))
    site.routes[path] = Route("ok", rss(links), "application/rss+xml")
    return links


# --------------------------------------------------------------------------- the project


def project(root: Path, feeds: list[str], *, request_deadline: float = 2, run_deadline: float = 60) -> Path:
    for n, sentence in enumerate(LOCAL_SENTENCES):
        path = root / "articles" / f"local{n}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f'---\ntitle: "local {n}"\ndate: "2025-03-0{n + 1}"\nlang: "en"\n---\n{sentence}\n', "utf-8")
    config = root / "kg.toml"
    config.write_text(
        f"""
[sources]
paths = ["articles/"]
feeds = [{", ".join(f'"{url}"' for url in feeds)}]

[fetch]
timeout = 5
request_deadline = {request_deadline}
run_deadline = {run_deadline}
retries = 1
backoff = 0.01

[exports]
html = ""
""",
        encoding="utf-8",
    )
    return config


def run(config: Path):
    report, _ = rebuild_locked(load_config(config), Options())
    return report


def failures(report) -> list[tuple[str, str, str]]:
    return [(f.stage, f.source, f.reason) for f in report.failures]


# --------------------------------------------------------------------------- the tests


def test_a_feed_redirecting_in_a_loop_is_reported_and_every_other_source_is_built(site, tmp_path):
    serve_good_feed(site)
    site.routes["/loop.xml"] = Route("redirect", location="/loop.xml")
    report = run(project(tmp_path, [site.url("/loop.xml"), site.url("/good.xml")]))
    assert (report.exit_code, report.articles) == (0, len(LOCAL_SENTENCES) + len(GOOD_SENTENCES))
    assert failures(report) == [("fetch", site.url("/loop.xml"), "feed not fetched: more than 10 redirects (a redirect loop?)")]


def test_a_redirect_loop_does_not_fail_the_runs_after_it(site, tmp_path):
    site.routes["/loop.xml"] = Route("redirect", location="/loop.xml")
    config = project(tmp_path, [site.url("/loop.xml")])
    run(config)
    report = run(config)
    assert (report.exit_code, report.status, report.articles) == (0, "failures", len(LOCAL_SENTENCES))


def test_an_item_link_redirecting_in_a_loop_stays_pending_and_costs_only_itself(site, tmp_path):
    loop = site.url("/news/loop.html")
    site.routes["/news/loop.html"] = Route("redirect", location="/news/loop.html")
    serve_good_feed(site, extra_links=(loop,))
    report = run(project(tmp_path, [site.url("/good.xml")]))
    assert report.articles == len(LOCAL_SENTENCES) + len(GOOD_SENTENCES)
    assert failures(report) == [
        ("fetch", loop, "page not fetched: more than 10 redirects (a redirect loop?) (attempt 1 of 5; tried again next run)")
    ]
    assert report.feeds[0]["pending"] == 1


def test_a_feed_trickling_its_body_is_cut_at_the_request_deadline_and_the_run_goes_on(site, tmp_path):
    serve_good_feed(site)
    site.routes["/trickle.xml"] = Route("trickle-body")
    report = run(project(tmp_path, [site.url("/trickle.xml"), site.url("/good.xml")], request_deadline=1))
    assert (report.exit_code, report.articles) == (0, len(LOCAL_SENTENCES) + len(GOOD_SENTENCES))
    assert failures(report) == [
        ("fetch", site.url("/trickle.xml"), "feed not fetched: no complete answer within the 1-s request deadline (fetch.request_deadline)")
    ]


def test_a_feed_trickling_its_headers_is_cut_at_the_request_deadline(site, tmp_path):
    site.routes["/trickle.xml"] = Route("trickle-head")
    report = run(project(tmp_path, [site.url("/trickle.xml")], request_deadline=1))
    assert failures(report) == [
        ("fetch", site.url("/trickle.xml"), "feed not fetched: no complete answer within the 1-s request deadline (fetch.request_deadline)")
    ]


def test_pages_cut_off_by_the_run_deadline_stay_pending_and_are_fetched_next_run(site, tmp_path):
    slow = site.url("/news/slow.html")
    site.routes["/news/slow.html"] = Route("trickle-body")
    links = serve_good_feed(site, extra_links=(slow,))
    config = project(tmp_path, [site.url("/good.xml")], request_deadline=600, run_deadline=3)
    first = run(config)
    assert failures(first) == [
        ("fetch", site.url("/good.xml"), "4 item(s) not fetched: the run's fetch deadline had come "
         "(fetch.run_deadline = 3 s); they stay pending for the next run"),
    ]  # fmt: skip
    assert (first.feeds[0]["pending"], first.articles) == (4, len(LOCAL_SENTENCES))
    site.routes["/news/slow.html"] = Route("ok", page("Slow story", "JPMorgan said Alibaba looks cheap after the rally."))
    second = run(config)
    assert (failures(second), second.feeds[0]["saved"], second.articles) == ([], len(links), 6)


def test_a_looping_a_trickling_and_a_failing_feed_cost_only_themselves(site, tmp_path):
    serve_good_feed(site)
    site.routes["/loop.xml"] = Route("redirect", location="/loop.xml")
    site.routes["/trickle.xml"] = Route("trickle-body")
    site.routes["/fail.xml"] = Route("status", b"down", "text/plain", status=500)
    feeds = [site.url(p) for p in ("/loop.xml", "/trickle.xml", "/fail.xml", "/good.xml")]
    report = run(project(tmp_path, feeds, request_deadline=1, run_deadline=20))
    assert (report.exit_code, report.status, report.articles) == (0, "failures", len(LOCAL_SENTENCES) + len(GOOD_SENTENCES))
    assert failures(report) == [
        ("fetch", feeds[0], "feed not fetched: more than 10 redirects (a redirect loop?)"),
        ("fetch", feeds[1], "feed not fetched: no complete answer within the 1-s request deadline (fetch.request_deadline)"),
        ("fetch", feeds[2], "feed not fetched: HTTP 500 Internal Server Error (after 2 attempts)"),
    ]


def test_a_trickling_feed_cannot_leave_the_feeds_after_it_unread(site, tmp_path):
    serve_good_feed(site)
    site.routes["/trickle.xml"] = Route("trickle-body")
    # a request deadline longer than the run's: the trickle gets its share of the run, no more
    report = run(project(tmp_path, [site.url("/trickle.xml"), site.url("/good.xml")], request_deadline=600, run_deadline=6))
    assert [(f.source, f.reason.split(" (")[0]) for f in report.failures] == [
        (site.url("/trickle.xml"), "feed not fetched: no complete answer within its share of the run's fetch time"),
    ]
    assert report.feeds[1]["status"] == "fetched"
