"""Scheduled rebuilds (kg rebuild / status / schedule / init) against a real HTTP server.

The server is ``http.server`` on 127.0.0.1 in a thread, serving RSS feeds and article
pages written here (our own text). Each test is one behaviour with exact values. Neo4j
tests need a local server (scripts/test starts one) and are skipped without it; every
other test runs with ``[neo4j] sync = false``.
"""

from __future__ import annotations

import hashlib
import json
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.rebuild.config import ConfigError, load_config
from kg.rebuild.lock import RunLock
from kg.rebuild.report import report_files
from kg.rebuild.run import Options, rebuild_locked

ROOT = Path(__file__).resolve().parents[1]

# One claim each (holder → target), checked by test_each_sentence_carries_one_claim.
SENTENCES = [
    "Goldman Sachs said Nvidia shares look attractive after the selloff.",
    "Morgan Stanley warned that Tesla faces weak demand.",
    "UBS said Microsoft will benefit from strong cloud demand.",
    "Bank of America reiterated a buy rating on Broadcom.",
    "JPMorgan said Alibaba looks cheap after the rally.",
    "Citi warned that Intel faces a difficult year.",
    "HSBC said Tencent shares look attractive.",
    "瑞银认为，英伟达将受益于AI需求。",
]
FOLDER_ARTICLES = 2  # sentences 0-1 as .md files in the folder source
FEED_ITEMS = 3  # sentences 2-4 as feed items with article pages


# --------------------------------------------------------------------------- the HTTP server


@dataclass
class Resource:
    body: bytes
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    etag: str | None = None
    last_modified: str | None = None


@dataclass
class Site:
    """What the server answers (path → resource) and every request it got (path, headers)."""

    base: str = ""
    routes: dict[str, Resource] = field(default_factory=dict)
    log: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def requests(self, path: str) -> list[dict[str, str]]:
        return [headers for logged, headers in self.log if logged == path]

    def paths(self) -> list[str]:
        return [path for path, _ in self.log]

    def url(self, path: str) -> str:
        return self.base + path


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        site: Site = self.server.site  # type: ignore[attr-defined]
        site.log.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
        resource = site.routes.get(self.path)
        if resource is None:
            self._answer(404, b"not found", "text/plain")
            return
        if resource.etag and self.headers.get("If-None-Match") == resource.etag:
            self._answer(304, b"", None)
            return
        if resource.last_modified and self.headers.get("If-Modified-Since") == resource.last_modified:
            self._answer(304, b"", None)
            return
        extra = {"ETag": resource.etag, "Last-Modified": resource.last_modified}
        self._answer(resource.status, resource.body, resource.content_type, extra)

    def _answer(self, status: int, body: bytes, content_type: str | None, extra: dict | None = None) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in (extra or {}).items():
            if value:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def site(monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.site = Site(base=f"http://127.0.0.1:{server.server_address[1]}")  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server.site  # type: ignore[attr-defined]
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def page(title: str, sentence: str) -> bytes:
    return (
        f'<!DOCTYPE html><html lang="en"><head><title>{title}</title></head><body><article>'
        f"<h1>{title}</h1><p>{sentence}</p><p>The note was published on Monday.</p></article></body></html>"
    ).encode()


def rss(items: list[tuple[str, str, str]]) -> bytes:
    """An RSS 2.0 feed of (guid, title, link) items."""
    entries = "".join(
        f"<item><guid>{guid}</guid><title>{title}</title><link>{link}</link>"
        f"<pubDate>Mon, 03 Mar 2025 0{n}:00:00 +0000</pubDate></item>"
        for n, (guid, title, link) in enumerate(items)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Test Wire</title>'
        f"<link>http://127.0.0.1/</link><description>t</description>{entries}</channel></rss>"
    ).encode()


def serve_feed(site: Site, path: str, items: list[tuple[str, str, str]]) -> None:
    body = rss(items)
    site.routes[path] = Resource(
        body, content_type="application/rss+xml", etag='"' + hashlib.md5(body).hexdigest() + '"',
        last_modified=formatdate(1740960000 + len(items), usegmt=True),
    )  # fmt: skip


def wire_items(site: Site, numbers: range) -> list[tuple[str, str, str]]:
    """Serve a page for each of these SENTENCES; the feed items that link to them."""
    items = []
    for n in numbers:
        site.routes[f"/news/{n}.html"] = Resource(page(f"Wire story {n}", SENTENCES[n]))
        items.append((f"wire-{n}", f"Wire story {n}", site.url(f"/news/{n}.html")))
    return items


# --------------------------------------------------------------------------- a project


@dataclass
class Project:
    root: Path
    feeds: list[str] = field(default_factory=list)
    sync: bool = False
    extra: str = ""

    @property
    def config(self) -> Path:
        return self.root / "kg.toml"

    @property
    def out(self) -> Path:
        return self.root / "build"

    def write_config(self, **changes) -> Path:
        for key, value in changes.items():
            setattr(self, key, value)
        feeds = ", ".join(_toml_value(feed) for feed in self.feeds)
        self.config.write_text(
            f"""
[sources]
paths = ["articles/"]
jsonl = []
feeds = [{feeds}]
archive = "archive"

[fetch]
timeout = 5
retries = 2
backoff = 0.01

[output]
folder = "build"
keep_reports = 5

[exports]
html = ""
rdf = []

[neo4j]
sync = {str(self.sync).lower()}
{self.extra}
""",
            encoding="utf-8",
        )
        return self.config

    def article(self, name: str, sentence: str, day: int = 1) -> Path:
        path = self.root / "articles" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f'---\ntitle: "{name}"\ndate: "2025-03-0{day}"\nlang: "en"\n---\n{sentence}\n', encoding="utf-8")
        return path

    def run(self, **options):
        report, _ = rebuild_locked(load_config(self.config), Options(**options))
        return report

    def graph_bytes(self) -> tuple[bytes, bytes]:
        return (self.out / "graph.json").read_bytes(), (self.out / "claims.jsonl").read_bytes()


def _toml_value(value) -> str:
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {json.dumps(v)}" for k, v in value.items()) + " }"
    return json.dumps(value)


@pytest.fixture
def project(tmp_path) -> Project:
    project = Project(tmp_path / "project")
    for n in range(FOLDER_ARTICLES):
        project.article(f"a{n}.md", SENTENCES[n], day=n + 1)
    project.write_config()
    return project


@pytest.fixture
def wired(project, site) -> Project:
    """The project with a feed of FEED_ITEMS items, each linking to its page."""
    serve_feed(site, "/feed.xml", wire_items(site, range(FOLDER_ARTICLES, FOLDER_ARTICLES + FEED_ITEMS)))
    project.write_config(feeds=[site.url("/feed.xml")])
    return project


def counts(report) -> dict[str, int]:
    return {k: v for k, v in report.counts.items() if k != "duplicates"}


# --------------------------------------------------------------------------- the sample text


def test_each_sentence_carries_one_claim():
    from kg.extract import RuleExtractor, load_catalogue
    from kg.sources.markdown import parse_markdown

    extractor = RuleExtractor(load_catalogue())
    found = [len(extractor.extract(parse_markdown("x.md", s + "\n")).claims) for s in SENTENCES]
    assert found == [1] * len(SENTENCES)


# --------------------------------------------------------------------------- first and second runs


def test_first_run_ingests_every_feed_item_and_folder_article(wired):
    report = wired.run()
    assert counts(report) == {"new": 5, "changed": 0, "unchanged": 0, "removed": 0, "failed": 0}
    assert (report.exit_code, report.articles, report.claims) == (0, 5, 5)
    assert len((wired.out / "claims.jsonl").read_text().splitlines()) == 5


def test_fetched_items_are_archived_as_markdown_kg_reads_again(wired, site):
    from kg.sources import read_articles

    wired.run()
    articles = list(read_articles(sorted((wired.root / "archive").rglob("*.md"))))
    assert sorted(a.title for a in articles) == ["Wire story 2", "Wire story 3", "Wire story 4"]
    assert sorted(a.url for a in articles) == [site.url(f"/news/{n}.html") for n in (2, 3, 4)]
    assert sorted(a.date for a in articles) == ["2025-03-03T00:00:00+00:00", "2025-03-03T01:00:00+00:00", "2025-03-03T02:00:00+00:00"]


def test_second_run_with_nothing_new_extracts_and_writes_nothing(wired):
    wired.run()
    before = {p: p.stat().st_mtime_ns for p in wired.out.glob("*.*")}
    report = wired.run()
    assert counts(report) == {"new": 0, "changed": 0, "unchanged": 5, "removed": 0, "failed": 0}
    assert (report.seconds["extract"], report.seconds["files"]) == (0.0, 0.0)
    assert report.outputs == {"written": False, "files": []}
    assert {p: p.stat().st_mtime_ns for p in wired.out.glob("*.*")} == before


def test_second_run_sends_validators_and_a_304_costs_one_request(wired, site):
    wired.run()
    site.log.clear()
    report = wired.run()
    assert site.paths() == ["/feed.xml"]
    sent = site.requests("/feed.xml")[0]
    assert sent["if-none-match"] == site.routes["/feed.xml"].etag
    assert sent["if-modified-since"] == site.routes["/feed.xml"].last_modified
    assert (report.feeds[0]["status"], report.feeds[0]["http_status"], report.feeds[0]["requests"]) == ("not-modified", 304, 1)


def test_one_new_item_only_it_is_fetched_and_extracted(wired, site):
    wired.run()
    items = wire_items(site, range(FOLDER_ARTICLES, FOLDER_ARTICLES + FEED_ITEMS + 1))
    serve_feed(site, "/feed.xml", items)
    site.log.clear()
    report = wired.run()
    assert site.paths() == ["/feed.xml", "/news/5.html"]
    assert counts(report) == {"new": 1, "changed": 0, "unchanged": 5, "removed": 0, "failed": 0}
    assert report.feeds[0]["saved"] == 1 and report.feeds[0]["known"] == 3


def test_old_items_need_no_network_once_archived(wired, site):
    wired.run()
    site.routes.clear()  # the feed and every page now answer 404
    report = wired.run()
    assert (report.articles, report.claims) == (5, 5)
    assert [(f.stage, f.reason) for f in report.failures] == [("fetch", "feed not fetched: HTTP 404 Not Found")]


# --------------------------------------------------------------------------- failing sources


def test_a_feed_answering_500_is_reported_after_its_retries_and_others_go_on(wired, site):
    site.routes["/broken.xml"] = Resource(b"oops", status=500, content_type="text/plain")
    wired.write_config(feeds=[site.url("/broken.xml"), site.url("/feed.xml")])
    report = wired.run()
    assert len(site.requests("/broken.xml")) == 3  # 1 + retries
    assert [(f.stage, f.source, f.reason) for f in report.failures] == [
        ("fetch", site.url("/broken.xml"), "feed not fetched: HTTP 500 Internal Server Error (after 3 attempts)")
    ]
    assert counts(report) == {"new": 5, "changed": 0, "unchanged": 0, "removed": 0, "failed": 1}
    assert report.exit_code == 0


def test_a_malformed_feed_is_reported_and_nothing_is_taken_from_it(wired, site):
    bad = rss(wire_items(site, range(6, 7))).replace(b"</title>", b"</titel>", 1)
    site.routes["/bad.xml"] = Resource(bad, content_type="application/rss+xml")
    wired.write_config(feeds=[site.url("/bad.xml"), site.url("/feed.xml")])
    report = wired.run()
    (failure,) = report.failures
    assert failure.source == site.url("/bad.xml")
    assert failure.reason.startswith("feed is not well-formed XML at line 1, column ")
    assert "/news/6.html" not in site.paths()
    assert report.articles == 5 and report.feeds[0]["status"] == "failed"


def test_an_item_page_that_fails_is_tried_again_next_run_even_on_304(wired, site):
    site.routes["/news/4.html"].status = 503
    first = wired.run()
    assert [f.reason for f in first.failures] == [
        "page not fetched: HTTP 503 Service Unavailable (after 3 attempts) (attempt 1 of 5; tried again next run)"
    ]
    site.routes["/news/4.html"].status = 200
    site.log.clear()
    second = wired.run()
    assert site.paths() == ["/feed.xml", "/news/4.html"]
    assert site.requests("/feed.xml") and second.feeds[0]["status"] == "not-modified"
    assert counts(second) == {"new": 1, "changed": 0, "unchanged": 4, "removed": 0, "failed": 0}


def test_a_bad_file_is_reported_with_its_reason_and_the_rest_is_built(project):
    (project.root / "articles" / "empty.md").write_bytes(b"")
    report = project.run()
    assert [(f.stage, Path(f.source).name, f.reason) for f in report.failures] == [("read", "empty.md", "empty file")]
    assert (report.articles, report.exit_code) == (2, 0)


def test_strict_turns_a_bad_file_into_exit_1(project):
    (project.root / "articles" / "empty.md").write_bytes(b"")
    assert project.run(strict=True).exit_code == 1


def test_a_missing_source_folder_keeps_its_articles_from_the_last_run(project):
    project.run()
    (project.root / "articles").rename(project.root / "elsewhere")
    report = project.run()
    assert (report.articles, report.counts["removed"]) == (2, 0)
    assert report.failures[0].reason == "no such file or folder; its articles are kept from the last run"


# --------------------------------------------------------------------------- what counts as changed


def test_an_edited_article_is_changed_and_replaces_its_claims(project):
    project.run()
    project.article("a1.md", SENTENCES[5], day=2)
    report = project.run()
    assert counts(report) == {"new": 0, "changed": 1, "unchanged": 1, "removed": 0, "failed": 0}
    targets = sorted(json.loads(line)["target"] for line in (project.out / "claims.jsonl").read_text().splitlines())
    assert targets == ["Intel", "Nvidia"]


def test_a_file_older_than_its_last_hashing_with_the_same_size_and_time_is_not_read(project, monkeypatch):
    hour_ago = time.time_ns() - 3600 * 10**9
    for path in (project.root / "articles").iterdir():
        os.utime(path, ns=(hour_ago, hour_ago))
    project.run()
    monkeypatch.setattr("kg.rebuild.reading._file_digest", lambda *a: pytest.fail("a file was read"))
    assert counts(project.run())["unchanged"] == 2


def test_a_same_size_edit_keeping_the_time_is_seen_when_the_time_is_recent(project):
    path = project.root / "articles" / "a1.md"
    stamp = path.stat().st_mtime_ns
    project.run()
    path.write_text(path.read_text().replace("Tesla", "Intel"), encoding="utf-8")  # same length
    os.utime(path, ns=(stamp, stamp))
    assert counts(project.run())["changed"] == 1


def test_a_deleted_article_is_removed_from_the_outputs(project):
    project.run()
    (project.root / "articles" / "a0.md").unlink()
    report = project.run()
    assert (counts(report)["removed"], report.articles, report.claims) == (1, 1, 1)


def test_a_jsonl_line_edit_re_extracts_only_that_line(project):
    lines = [{"title": f"j{n}", "url": f"https://example.org/{n}", "text": SENTENCES[n]} for n in (2, 3, 4)]
    dump = project.root / "dump.jsonl"
    dump.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    project.config.write_text(project.config.read_text().replace("jsonl = []", 'jsonl = ["dump.jsonl"]'))
    project.run()
    lines[1]["text"] = SENTENCES[6]
    dump.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    report = project.run()
    assert counts(report) == {"new": 0, "changed": 1, "unchanged": 4, "removed": 0, "failed": 0}


def test_a_new_extractor_version_re_extracts_everything(project, monkeypatch):
    project.run()
    monkeypatch.setattr("kg.rebuild.state.EXTRACTOR", "kg-rules/99.0.0")
    report = project.run()
    assert counts(report) == {"new": 0, "changed": 2, "unchanged": 0, "removed": 0, "failed": 0}


def test_a_damaged_state_is_started_anew(project):
    project.run()
    state = project.out / "rebuild" / "state.sqlite"
    state.write_bytes(b"not a database " * 1000)
    report = project.run()
    assert (report.exit_code, counts(report)["new"]) == (0, 2)


def test_the_state_survives_a_power_cut_wal_synced_at_checkpoints(project):
    from kg.rebuild.state import Store

    project.run()
    with Store(project.out / "rebuild" / "state.sqlite") as store:
        pragmas = [store.db.execute(f"PRAGMA {name}").fetchone()[0] for name in ("journal_mode", "synchronous")]
    assert pragmas == ["wal", 1]  # 1: NORMAL (0 is OFF, which a power cut could leave damaged)


def test_full_re_extracts_and_rewrites_everything(project):
    project.run()
    report = project.run(full=True)
    assert (report.counts["changed"], report.outputs["written"]) == (2, True)


def test_the_rebuild_writes_what_kg_build_writes(project, tmp_path):
    project.run()
    result = CliRunner().invoke(app, ["build", str(project.root / "articles"), "--out", str(tmp_path / "ref"), "--no-html"])
    assert result.exit_code == 0
    assert project.graph_bytes() == ((tmp_path / "ref/graph.json").read_bytes(), (tmp_path / "ref/claims.jsonl").read_bytes())


def _write_jsonl(path, texts):
    path.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts), encoding="utf-8")


def _feed_jsonl(project, texts):
    """A JSON Lines file of ``texts`` beside the project's articles, listed in its kg.toml."""
    dump = project.root / "dump.jsonl"
    _write_jsonl(dump, texts)
    project.config.write_text(project.config.read_text().replace("jsonl = []", 'jsonl = ["dump.jsonl"]'))
    return dump


def test_a_jsonl_file_gives_what_kg_build_gives_after_its_lines_move(project, tmp_path):
    # two lines whose claims tie on (file, start, holder, target): line order decides
    texts = ["Goldman Sachs said Nvidia shares look attractive.", "Goldman Sachs said Nvidia shares look cheap."]
    dump = _feed_jsonl(project, texts)
    project.run()
    _write_jsonl(dump, [SENTENCES[6], *reversed(texts)])
    report = project.run()
    assert counts(report) == {"new": 1, "changed": 0, "unchanged": 4, "removed": 0, "failed": 0}
    result = CliRunner().invoke(
        app, ["build", str(project.root / "articles"), str(dump), "--out", str(tmp_path / "ref"), "--no-html"]
    )
    assert result.exit_code == 0
    assert project.graph_bytes() == ((tmp_path / "ref/graph.json").read_bytes(), (tmp_path / "ref/claims.jsonl").read_bytes())


def test_an_entity_named_only_by_lines_that_moved_stays_in_the_graph(project, tmp_path):
    # the lines move (a line put before them), unchanged: Intel is named by a moved line alone
    texts = ["Goldman Sachs said Nvidia shares look attractive.", "Morgan Stanley said Intel shares look cheap."]
    dump = _feed_jsonl(project, texts)
    project.run()
    _write_jsonl(dump, [SENTENCES[6], *texts])
    assert counts(project.run())["unchanged"] == 4
    result = CliRunner().invoke(
        app, ["build", str(project.root / "articles"), str(dump), "--out", str(tmp_path / "ref"), "--no-html"]
    )
    assert result.exit_code == 0
    assert project.graph_bytes() == ((tmp_path / "ref/graph.json").read_bytes(), (tmp_path / "ref/claims.jsonl").read_bytes())


def test_a_feed_in_feed_mode_needs_no_page_and_an_edited_item_is_changed(project, site):
    def feed(text: str) -> bytes:
        item = f"<item><guid>n1</guid><title>Note</title><link>{site.url('/n1')}</link><description>&lt;p&gt;{text}&lt;/p&gt;</description></item>"
        return rss([]).replace(b"</channel>", item.encode() + b"</channel>")

    site.routes["/full.xml"] = Resource(feed(SENTENCES[2]), content_type="application/rss+xml")
    project.write_config(feeds=[{"url": site.url("/full.xml"), "mode": "feed"}])
    first = project.run()
    site.routes["/full.xml"] = Resource(feed(SENTENCES[5]), content_type="application/rss+xml")
    second = project.run()
    assert site.paths() == ["/full.xml", "/full.xml"]
    assert (counts(first)["new"], counts(second)["changed"], second.feeds[0]["updated"]) == (3, 1, 1)
    assert "Intel" in (project.out / "claims.jsonl").read_text()


def test_exports_are_refreshed_atomically_with_no_temporary_file_left(project):
    project.config.write_text(project.config.read_text().replace('html = ""\nrdf = []', 'html = "exports/graph.html"\nrdf = ["nt"]'))
    project.run()
    first = (project.root / "exports/graph.nt").read_text()
    project.article("a2.md", SENTENCES[2], day=3)
    report = project.run()
    assert sorted(Path(p).name for p in report.outputs["files"]) == ["claims.jsonl", "graph.html", "graph.json", "graph.nt"]
    assert (project.root / "exports/graph.nt").read_text().count("Microsoft") > first.count("Microsoft") == 0
    assert sorted(p.name for p in (project.root / "exports").iterdir()) == ["graph.html", "graph.nt"]


# --------------------------------------------------------------------------- kill -9, locks


def _start(project: Project, pause_at: str, seconds: float = 60, commit_every: int = 1) -> subprocess.Popen:
    env = {
        **os.environ,
        "KG_REBUILD_PAUSE_AT": pause_at,
        "KG_REBUILD_PAUSE_SECONDS": str(seconds),
        "KG_REBUILD_COMMIT_EVERY": str(commit_every),
    }
    return subprocess.Popen(
        [sys.executable, "-c", "from kg.cli import app; app()", "rebuild", "--config", str(project.config)],
        env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, cwd=ROOT,
    )  # fmt: skip


def _wait_for_pause(process: subprocess.Popen, stage: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    seen = []
    while time.monotonic() < deadline:
        ready, _, _ = select.select([process.stderr], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            break
        line = process.stderr.readline()
        if not line:
            break
        seen.append(line)
        if f"paused at {stage}" in line:
            return
    process.kill()
    raise AssertionError(f"the run never paused at {stage}: {''.join(seen)}")


def _kill(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    process.stderr.close()


def _clean_run(project: Project, tmp_path: Path) -> tuple[bytes, bytes]:
    """The same sources rebuilt from nothing into another folder."""
    clean = Project(tmp_path / "clean")
    clean.root.mkdir()
    text = project.config.read_text().replace('paths = ["articles/"]', f'paths = ["{project.root / "articles"}/"]')
    clean.config.write_text(text)
    clean.run()
    return clean.graph_bytes()


def _change_sources(project: Project) -> None:
    project.article("a1.md", SENTENCES[5], day=2)  # edited
    project.article("a2.md", SENTENCES[2], day=3)  # new
    project.article("a3.md", SENTENCES[3], day=4)  # new


def test_kill_9_during_extraction_leaves_outputs_and_the_next_run_equals_a_clean_run(project, tmp_path):
    project.run()
    previous = project.graph_bytes()
    _change_sources(project)
    process = _start(project, "extract")
    _wait_for_pause(process, "extract")
    assert project.graph_bytes() == previous
    _kill(process)
    assert project.graph_bytes() == previous
    report = project.run()
    assert (report.counts["changed"] + report.counts["new"], report.exit_code) == (2, 0)  # one was committed
    assert project.graph_bytes() == _clean_run(project, tmp_path)


def test_kill_9_between_two_output_files_then_the_next_run_equals_a_clean_run(project, tmp_path):
    project.run()
    previous_graph, _ = project.graph_bytes()
    _change_sources(project)
    process = _start(project, "files")
    _wait_for_pause(process, "files")
    _kill(process)
    assert project.graph_bytes()[0] == previous_graph  # each file whole: graph.json is still the old one
    report = project.run()
    assert (counts(report)["new"], report.outputs["written"]) == (0, True)
    assert project.graph_bytes() == _clean_run(project, tmp_path)


def test_a_second_concurrent_run_exits_5_saying_who_holds_the_lock(project):
    process = _start(project, "extract")
    try:
        _wait_for_pause(process, "extract")
        result = CliRunner().invoke(app, ["rebuild", "--config", str(project.config)])
    finally:
        _kill(process)
    assert result.exit_code == 5
    assert f"another rebuild is running (pid {process.pid} on " in " ".join(result.output.split())


def test_a_second_run_with_wait_runs_after_the_first_and_finds_its_work_done(project):
    process = _start(project, "extract", seconds=1.0)
    _wait_for_pause(process, "extract")
    result = CliRunner().invoke(app, ["rebuild", "--config", str(project.config), "--wait", "--json"])
    assert process.wait(timeout=30) == 0
    process.stderr.close()
    report = json.loads(result.stdout)
    assert (result.exit_code, report["counts"]["new"], report["counts"]["unchanged"]) == (0, 0, 2)


def test_wait_timeout_gives_up_with_exit_5(project):
    with RunLock(load_config(project.config).lock_file).acquire():
        result = CliRunner().invoke(app, ["rebuild", "--config", str(project.config), "--wait", "--wait-timeout", "0.3"])
    assert result.exit_code == 5
    assert "after waiting 0 s" in " ".join(result.output.split())


# --------------------------------------------------------------------------- reports, status, init, config


def test_only_the_last_n_reports_are_kept(project):
    project.config.write_text(project.config.read_text().replace("keep_reports = 5", "keep_reports = 2"))
    reports = [project.run() for _ in range(3)]
    kept = report_files(project.out / "rebuild" / "reports")
    assert [json.loads(p.read_text())["started"] for p in kept] == [r.started for r in reports[1:]]


def test_a_report_says_when_what_and_how_long(project):
    project.run()
    (path,) = report_files(project.out / "rebuild" / "reports")
    report = json.loads(path.read_text())
    assert set(report) >= {"started", "ended", "counts", "failures", "seconds", "exit_code"}
    assert list(report["seconds"]) == ["setup", "fetch", "read", "extract", "store", "graph", "files", "exports", "neo4j", "total"]


def test_status_shows_the_latest_report(project):
    project.run()
    result = CliRunner().invoke(app, ["status", "--config", str(project.config), "--json"])
    shown = json.loads(result.stdout)
    assert (result.exit_code, shown["counts"]["new"], shown["running_now"]) == (0, 2, False)


def test_status_before_any_run_exits_3(project):
    result = CliRunner().invoke(app, ["status", "--config", str(project.config)])
    assert result.exit_code == 3 and "no rebuild has run yet" in result.output


def test_status_table_lists_counts_and_failures(project):
    (project.root / "articles" / "empty.md").write_bytes(b"")
    project.run()
    result = CliRunner().invoke(app, ["status", "--config", str(project.config)])
    assert result.exit_code == 0
    assert "unchanged" in result.stdout and "empty file" in result.stdout


def test_init_writes_a_config_that_loads_and_refuses_to_overwrite(tmp_path):
    path = tmp_path / "kg.toml"
    runner = CliRunner()
    assert runner.invoke(app, ["init", str(path)]).exit_code == 0
    assert load_config(path).output == tmp_path / "build"
    again = runner.invoke(app, ["init", str(path)])
    assert again.exit_code == 2 and "--force" in again.output
    assert runner.invoke(app, ["init", str(path), "--force"]).exit_code == 0


def test_a_config_error_names_the_key_and_exits_2(project):
    project.config.write_text(project.config.read_text().replace("retries = 2", 'retries = "three"'))
    result = CliRunner().invoke(app, ["rebuild", "--config", str(project.config)])
    assert result.exit_code == 2
    assert "kg.toml: fetch.retries: must be a whole number ≥ 0, not 'three'" in " ".join(result.output.split())


def test_an_unknown_key_is_an_error(project):
    project.config.write_text(project.config.read_text().replace("[output]", "[output]\nfoldr = 'x'"))
    with pytest.raises(ConfigError, match=r"output\.foldr: unknown key"):
        load_config(project.config)


def test_environment_overrides_the_neo4j_target(project):
    project.write_config(extra='uri = "bolt://db.invalid:7687"\ndatabase = "kg"')
    target = load_config(project.config).neo4j
    settings = target.settings({"NEO4J_URI": "bolt://127.0.0.1:7999", "NEO4J_PASSWORD": "s3cret"})
    assert (settings.uri, settings.database, settings.password) == ("bolt://127.0.0.1:7999", "kg", "s3cret")


def test_no_articles_anywhere_exits_3_and_touches_nothing(tmp_path):
    project = Project(tmp_path / "empty")
    (project.root / "articles").mkdir(parents=True)
    project.write_config()
    report = project.run()
    assert (report.exit_code, report.outputs["written"]) == (3, False)
    assert not (project.out / "graph.json").exists()


def test_schedule_runs_every_interval_until_max_runs(project):
    result = CliRunner().invoke(app, ["schedule", "--every", "1s", "--config", str(project.config), "--max-runs", "2"])
    assert result.exit_code == 0
    assert len(report_files(project.out / "rebuild" / "reports")) == 2
    assert "stopped after 2 run(s)" in result.output


# --------------------------------------------------------------------------- Neo4j


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_neo4j_unreachable_exits_4_after_writing_the_files_and_stays_pending(project, monkeypatch):
    for name in ("NEO4J_URI", "NEO4J_USERNAME", "NEO4J_PASSWORD", "NEO4J_DATABASE"):
        monkeypatch.delenv(name, raising=False)
    project.write_config(sync=True, extra=f'uri = "bolt://127.0.0.1:{_free_port()}"')
    first = project.run()
    assert (first.exit_code, first.outputs["written"], first.neo4j["mode"]) == (4, True, "failed")
    assert first.failures[0].stage == "neo4j" and "cannot reach Neo4j" in first.failures[0].reason
    assert project.run().neo4j["mode"] == "failed"  # still pending: tried again


@pytest.fixture
def neo4j(neo4j_driver):
    """tests/conftest.py's driver on an empty database (it also sets the NEO4J_* variables
    the rebuild reads); skipped without a server, like the other Neo4j tests."""
    return neo4j_driver


def _db_counts(driver) -> dict[str, int]:
    from kg.sinks.neo4j import graph_counts

    return {k: v for k, v in graph_counts(driver, os.environ.get("NEO4J_DATABASE") or "neo4j").items() if v}


def test_neo4j_second_run_with_nothing_new_writes_nothing(project, neo4j):
    project.write_config(sync=True)
    first = project.run()
    assert (first.neo4j["mode"], _db_counts(neo4j)["Article"]) == ("all", 2) and first.neo4j["transactions"] > 0
    before = _db_counts(neo4j)
    second = project.run()
    assert second.neo4j == {"sync": True, "mode": "skipped", "articles": 0, "transactions": 0}
    assert _db_counts(neo4j) == before


def test_neo4j_one_new_article_only_it_is_written(project, neo4j):
    project.write_config(sync=True)
    project.run()
    project.article("a2.md", SENTENCES[2], day=3)
    report = project.run()
    assert (report.neo4j["mode"], report.neo4j["articles"]) == ("incremental", 1)
    assert report.neo4j["new"] == {"Article": 1, "Claim": 1, "Action": 0, "Entity": 2}
    assert report.neo4j["changed"] == {"Article": 0, "Claim": 0, "Action": 0, "Entity": 0}
    assert _db_counts(neo4j)["Article"] == 3


def test_neo4j_an_edited_article_replaces_its_claims_without_pruning(project, neo4j):
    project.write_config(sync=True)
    project.run()
    project.article("a1.md", SENTENCES[5], day=2)
    report = project.run()
    assert report.neo4j["mode"] == "incremental"
    with neo4j.session() as session:
        targets = session.run("MATCH (c:Claim)-[:ABOUT]->(t) RETURN t.name AS t ORDER BY t").value()
    assert targets == ["Intel", "Nvidia"]


def test_neo4j_a_deleted_article_is_pruned(project, neo4j):
    project.write_config(sync=True)
    project.run()
    (project.root / "articles" / "a0.md").unlink()
    report = project.run()
    assert (report.neo4j["mode"], _db_counts(neo4j)["Article"], _db_counts(neo4j)["Claim"]) == ("full", 1, 1)


def test_an_edit_keeping_the_article_id_rewrites_only_the_pieces_that_changed(project, tmp_path):
    """A new title keeps the body, so the id and the claims: the edit drops the pieces put
    back as they were (kg.rebuild.edits._drop_unchanged) and the files still equal a clean run's."""
    project.run()
    path = project.article("a1.md", SENTENCES[1], day=2)
    path.write_text(path.read_text(encoding="utf-8").replace('title: "a1.md"', 'title: "A new title"'), encoding="utf-8")
    report = project.run()
    assert (counts(report)["changed"], report.outputs["edited"]) == (1, True)
    assert project.graph_bytes() == _clean_run(project, tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace('date: "2025-03-02"', 'date: "2025-03-07"'), encoding="utf-8")
    report = project.run()
    assert (counts(report)["changed"], report.outputs["edited"]) == (1, True)
    (tmp_path / "again").mkdir()
    assert project.graph_bytes() == _clean_run(project, tmp_path / "again")


def test_an_edit_naming_only_known_entities_does_not_make_the_entity_part_again(project, tmp_path, monkeypatch):
    """Goldman Sachs and Nvidia stay as the catalogue gives them when a0.md gets another
    sentence about them: the entity nodes and links of graph.json are left as they are."""
    project.run()
    project.article("a0.md", SENTENCES[0] + " Goldman Sachs said Nvidia looks cheap.", day=1)
    monkeypatch.setattr("kg.rebuild.outputs.entity_texts", lambda *a: pytest.fail("the entity part was made again"))
    report = project.run()
    assert (counts(report)["changed"], report.outputs["edited"]) == (1, True)
    monkeypatch.undo()
    assert project.graph_bytes() == _clean_run(project, tmp_path)


def test_an_edit_naming_a_new_entity_adds_it_to_the_entity_part(project, tmp_path):
    project.run()
    project.article("a0.md", SENTENCES[0] + " " + SENTENCES[6], day=1)  # HSBC and Tencent, named nowhere else
    report = project.run()
    assert (counts(report)["changed"], report.outputs["edited"]) == (1, True)
    graph = json.loads((project.out / "graph.json").read_text(encoding="utf-8"))
    assert {"entity:HSBC", "entity:Tencent"} <= {node["id"] for node in graph["nodes"]}
    assert project.graph_bytes() == _clean_run(project, tmp_path)


def test_a_change_to_most_of_the_articles_writes_the_files_whole(project, tmp_path, monkeypatch):
    """A new extractor re-reads every article: an edit per piece would cost far more than
    writing the files again (the article count that makes a change big is lowered here)."""
    monkeypatch.setattr("kg.rebuild.outputs.BIG_CHANGE_ARTICLES", 1)
    project.run()
    for n in range(FOLDER_ARTICLES):
        project.article(f"a{n}.md", SENTENCES[n] + " " + SENTENCES[6], day=n + 1)
    report = project.run()
    assert (counts(report)["changed"], report.outputs["edited"]) == (2, False)
    assert project.graph_bytes() == _clean_run(project, tmp_path)


def test_a_change_to_one_article_of_two_is_edited_when_few_articles_changed(project):
    project.run()
    project.article("a0.md", SENTENCES[0] + " " + SENTENCES[6], day=1)
    report = project.run()
    assert (counts(report)["changed"], report.outputs["edited"]) == (1, True)
