"""RSS/Atom feeds into the local archive, over HTTP, politely and robustly.

For each feed of ``kg.toml``:

1. **conditional GET** of the feed: ``If-None-Match`` / ``If-Modified-Since`` from the last
   answer's ``ETag`` / ``Last-Modified``; a ``304 Not Modified`` costs one small request;
2. **parse** the bytes with feedparser (never a string: feedparser would read a string as
   a URL or a path). A feed that is not well-formed XML, or not a feed at all, is reported
   and nothing is taken from it (its validators are not saved, so it is fetched in full
   next time);
3. for each item not yet in the archive: **fetch its page** (``mode = "page"``; the main
   text is extracted by :func:`kg.sources.html.parse_html`) or take the text the feed
   carries (``mode = "feed"``), and **save it** as
   ``<archive>/<feed name>/<hash of the item's guid>.md`` with YAML front matter (title,
   date, lang, source_url, outlet, feed, guid): a file kg reads like any other, so later
   rebuilds never need the network for an old item. With ``mode = "feed"`` an item whose
   text changed in the feed is saved again;
4. an item whose page could not be fetched is kept as *pending* in the state and tried
   again on the next runs (even when the feed answers 304), up to :data:`MAX_ATTEMPTS`.

HTTP (timeouts, deadlines, retries, redirects, the size limit) is :mod:`kg.rebuild.http`.
All feeds are read first, each within its fair share of the run's fetch time (what is
left, divided among the feeds still to read); then their items' pages are fetched in turn,
one item of each feed before the next of any, so a feed whose pages are slow costs the
others only its share too. When the run's fetch deadline comes, the items not yet
fetched stay pending, their attempts not counted, for the next run. Whatever goes wrong
with one feed or one item (a redirect loop, a trickle, a crash in a parser) is reported
against it and costs nothing else.
"""

from __future__ import annotations

import calendar
import hashlib
import re
import time
import xml.sax
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import feedparser
import yaml

from kg.model import Article, SourceError
from kg.rebuild.config import Feed
from kg.rebuild.http import Fetched, Fetcher, FetchError, OutOfTime
from kg.rebuild.state import FeedState
from kg.sinks.files import write_atomic
from kg.sources import parse_date
from kg.sources.decode import UnreadableFile, decode

MAX_ATTEMPTS = 5  # tries of one item's page, over as many runs, before it is given up
FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1"
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1"


# --------------------------------------------------------------------------- feeds


@dataclass(frozen=True)
class Item:
    """What a feed entry says about one article."""

    guid: str
    link: str | None
    title: str | None
    date: str | None
    lang: str | None
    outlet: str | None
    html: str | None  # the text the feed carries (content, else summary)


@dataclass
class FeedResult:
    """What fetching one feed did: ``status`` is fetched, not-modified or failed."""

    url: str
    name: str
    status: str = "failed"
    http_status: int | None = None
    items: int = 0  # entries read from the feed
    saved: list[str] = field(default_factory=list)  # archive files written for new items
    updated: list[str] = field(default_factory=list)  # rewritten (mode = "feed", text changed)
    known: int = 0  # already in the archive: no request
    pending: int = 0  # pages still to fetch next time
    requests: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)  # (source, reason)

    def to_dict(self) -> dict[str, Any]:
        return {
            "url": self.url, "name": self.name, "status": self.status, "http_status": self.http_status,
            "items": self.items, "saved": len(self.saved), "updated": len(self.updated), "known": self.known,
            "pending": self.pending, "requests": self.requests,
        }  # fmt: skip


@dataclass
class _Job:
    """One feed in a run: its state, what was done, the items still to archive."""

    feed: Feed
    state: FeedState
    result: FeedResult
    todo: deque[dict[str, Any]]  # item entries with their "attempts" so far
    cut: list[dict[str, Any]] = field(default_factory=list)  # not reached before the run's deadline


def fetch_feeds(fetcher: Fetcher, feeds: list[tuple[Feed, FeedState]], archive: Path) -> list[FeedResult]:
    """Read every feed, then archive their new items taking the feeds in turn; each state is
    updated in place (validators, pending items) for the caller to save."""
    jobs = []
    for index, (feed, state) in enumerate(feeds):
        # each feed's document may take its fair share of the time left, so that a slow one
        # (or a run deadline shorter than the request deadline) cannot leave the others unread
        share = max(0.0, fetcher.ends - fetcher.clock()) / (len(feeds) - index)
        jobs.append(_plan(fetcher, feed, state, archive, share))
    while any(job.todo for job in jobs):
        for job in jobs:
            if job.todo:
                _archive_entry(fetcher, job, job.todo.popleft(), archive / job.feed.name)
    for job in jobs:
        if job.cut:
            job.state.pending.extend(job.cut)
            job.result.failures.append(
                (job.feed.url, f"{len(job.cut)} item(s) not fetched: {fetcher.out_of_time_reason()}; they stay pending for the next run")
            )
        job.result.pending = len(job.state.pending)
    return [job.result for job in jobs]


def fetch_feed(fetcher: Fetcher, feed: Feed, state: FeedState, archive: Path) -> FeedResult:
    """Fetch one feed and archive its new items (:func:`fetch_feeds` of one)."""
    return fetch_feeds(fetcher, [(feed, state)], archive)[0]


def _plan(fetcher: Fetcher, feed: Feed, state: FeedState, archive: Path, share: float | None = None) -> _Job:
    """Read the feed; its items to archive are the pending ones, then those not archived yet."""
    result = FeedResult(feed.url, feed.name)
    before = fetcher.requests
    folder = archive / feed.name
    try:
        items = _fetch_items(fetcher, feed, state, result, share)
    except Exception as error:  # one feed's surprise must cost only that feed
        result.failures.append((feed.url, f"feed not read: {type(error).__name__}: {error}"))
        items = []
    todo = {entry["guid"]: entry for entry in state.pending}  # pages that failed before come first
    for item in items:
        if feed.mode == "page" and archive_path(folder, item.guid).exists():
            result.known += 1  # archived on an earlier run: no request
            todo.pop(item.guid, None)
            continue
        todo[item.guid] = {**item_dict(item), "attempts": todo.get(item.guid, {}).get("attempts", 0)}
    state.pending = []
    result.requests = fetcher.requests - before
    return _Job(feed, state, result, deque(todo.values()))


def _archive_entry(fetcher: Fetcher, job: _Job, entry: dict[str, Any], folder: Path) -> None:
    if fetcher.out_of_time:
        job.cut.append(entry)
        return
    before = fetcher.requests
    item = item_from_dict(entry)
    try:
        _archive_item(fetcher, job.feed, item, entry.get("attempts", 0), folder, job.state, job.result)
    except OutOfTime:
        job.cut.append(entry)
    except Exception as error:  # a page that breaks a parser costs only itself
        article = SourceError(item.link or item.guid, f"page not archived: {type(error).__name__}: {error}")
        _failed(job.feed, item, entry.get("attempts", 0), article, job.state, job.result)
    finally:
        job.result.requests += fetcher.requests - before


def _fetch_items(fetcher: Fetcher, feed: Feed, state: FeedState, result: FeedResult, share: float | None = None) -> list[Item]:
    headers = {"Accept": FEED_ACCEPT}
    if state.etag:
        headers["If-None-Match"] = state.etag
    if state.last_modified:
        headers["If-Modified-Since"] = state.last_modified
    try:
        answer = fetcher.get(feed.url, headers, share=share)
    except OutOfTime as error:
        result.failures.append((feed.url, f"feed not fetched: {error}; fetched on the next run"))
        return []
    except FetchError as error:
        result.failures.append((feed.url, f"feed not fetched: {error}"))
        return []
    result.http_status = answer.status
    if answer.status == 304:
        result.status = "not-modified"
        return []
    parsed = feedparser.parse(answer.content, response_headers={"content-type": answer.headers.get("content-type", "")})
    problem = feed_problem(parsed)
    if problem:
        result.failures.append((feed.url, problem))
        return []
    result.status = "fetched"
    state.etag = answer.headers.get("etag")
    state.last_modified = answer.headers.get("last-modified")
    entries = parsed.entries[: fetcher.settings.max_items]
    result.items = len(entries)
    return [entry_item(entry, parsed.feed, feed) for entry in entries]


def feed_problem(parsed) -> str | None:
    """Why a parsed document is not a usable feed, or None."""
    error = parsed.get("bozo_exception")
    if isinstance(error, xml.sax.SAXException):
        where = ""
        if isinstance(error, xml.sax.SAXParseException):
            where = f" at line {error.getLineNumber()}, column {error.getColumnNumber()}"
        return f"feed is not well-formed XML{where}: {error.getMessage()}; nothing taken from it"
    if not parsed.get("version"):
        return "not an RSS or Atom feed (no <rss>, <feed> or <rdf:RDF> root); nothing taken from it"
    return None


def entry_item(entry, channel, feed: Feed) -> Item:
    """A feedparser entry as an :class:`Item`."""
    link = entry.get("link") or None
    title = entry.get("title") or None
    guid = entry.get("id") or link or hashlib.blake2b(f"{title}|{entry.get('published')}".encode(), digest_size=8).hexdigest()
    date = _entry_date(entry)
    contents = entry.get("content") or []
    html = next((c.get("value") for c in contents if c.get("value")), None) or entry.get("summary") or None
    return Item(
        guid=guid,
        link=link,
        title=title,
        date=date,
        lang=feed.lang or channel.get("language") or None,
        outlet=feed.outlet or channel.get("title") or None,
        html=html,
    )


def _entry_date(entry) -> str | None:
    for key in ("published", "updated", "created"):
        text = entry.get(key)
        if text:
            date = parse_date(text)
            if date:
                return date
        parsed = entry.get(f"{key}_parsed")
        if parsed:
            return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(calendar.timegm(parsed)))
    return None


def item_dict(item: Item) -> dict[str, Any]:
    return {k: getattr(item, k) for k in Item.__dataclass_fields__}


def item_from_dict(entry: dict[str, Any]) -> Item:
    return Item(**{k: entry.get(k) for k in Item.__dataclass_fields__})


# --------------------------------------------------------------------------- archive


def archive_path(folder: Path, guid: str) -> Path:
    """Where an item is saved: named by a hash of its guid, so it is found again."""
    return folder / (hashlib.blake2b(guid.encode("utf-8"), digest_size=10).hexdigest() + ".md")


def _archive_item(fetcher, feed: Feed, item: Item, attempts: int, folder: Path, state: FeedState, result: FeedResult) -> None:
    path = archive_path(folder, item.guid)
    if feed.mode == "page" and item.link:
        article = page_article(fetcher, item)
    else:
        article = feed_article(item)
    if isinstance(article, SourceError):
        _failed(feed, item, attempts, article, state, result)
        return
    text = archive_text(item, feed, article)
    existed = path.exists()
    if existed and path.read_text("utf-8") == text:
        result.known += 1
        return
    write_atomic(path, text)
    (result.updated if existed else result.saved).append(path.as_posix())


def _failed(feed: Feed, item: Item, attempts: int, article: SourceError, state: FeedState, result: FeedResult) -> None:
    """An item not archived: pending again (its attempts counted) until MAX_ATTEMPTS."""
    attempts += 1
    source = item.link or item.guid
    if feed.mode == "page" and item.link and attempts < MAX_ATTEMPTS:
        state.pending.append({**item_dict(item), "attempts": attempts})
        result.failures.append((source, f"{article.reason} (attempt {attempts} of {MAX_ATTEMPTS}; tried again next run)"))
    else:
        result.failures.append((source, article.reason + (f" (gave up after {attempts} attempts)" if attempts > 1 else "")))


def page_article(fetcher: Fetcher, item: Item) -> Article | SourceError:
    """The item's page, fetched and reduced to its main text by kg's HTML reader; raises
    :class:`~kg.rebuild.http.OutOfTime` when the run's fetch deadline stopped it."""
    link = item.link or ""
    if not link.startswith(("http://", "https://")):
        return SourceError(link, f"item link {link!r} is not an http(s) URL")
    try:
        answer = fetcher.get(link, {"Accept": PAGE_ACCEPT})
    except OutOfTime:
        raise
    except FetchError as error:
        return SourceError(link, f"page not fetched: {error}")
    try:
        text = _page_text(answer)
    except UnreadableFile as error:
        return SourceError(link, f"page not readable: {error}")
    from kg.sources.html import parse_html

    return parse_html(link, text)


def feed_article(item: Item) -> Article | SourceError:
    """The text the feed itself carries for the item (content, else summary)."""
    from kg.sources.article import make_article
    from kg.sources.prose import blank_urls

    body = html_to_text(item.html or "")
    if not body.strip():
        return SourceError(item.link or item.guid, "the feed carries no text for this item (mode = \"feed\")")
    return make_article(
        item.link or item.guid, body=body, prose=blank_urls(body), title=item.title or "", date=item.date,
        lang=item.lang, url=item.link, outlet=item.outlet,
    )  # fmt: skip


def archive_text(item: Item, feed: Feed, article: Article) -> str:
    """The archive file: YAML front matter (every value a string), a blank line, the text."""
    meta = {
        "title": item.title or article.title,
        "date": item.date or article.date,
        "lang": feed.lang or article.lang,
        "source_url": item.link or article.url,
        "outlet": item.outlet or article.outlet,
        "feed": feed.url,
        "guid": item.guid,
    }
    meta = {key: str(value) for key, value in meta.items() if value}
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1_000_000)
    body = article.body.replace("\r\n", "\n").replace("\r", "\n").strip("\n") + "\n"
    return f"---\n{front}---\n{body}"


def _page_text(answer: Fetched) -> str:
    charset = _charset(answer.headers.get("content-type", ""))
    if charset:
        try:
            return answer.content.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    return decode(answer.content)


def _charset(content_type: str) -> str | None:
    match = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9._-]+)", content_type)
    return match.group(1) if match else None


_BLOCKS = frozenset(
    "p div li ul ol h1 h2 h3 h4 h5 h6 blockquote pre tr table section article header footer figure figcaption dd dt".split()
)
_BLANK_LINES = re.compile(r"\n{3,}")


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment, one paragraph per block element.

    >>> html_to_text("<p>Goldman Sachs said <b>Nvidia</b> looks cheap.</p><p>Second.<br>Line</p>")
    'Goldman Sachs said Nvidia looks cheap.\\n\\nSecond.\\nLine'
    """
    from lxml import etree
    from lxml import html as lxml_html

    if not html.strip():
        return ""
    try:
        root = lxml_html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        return html.strip()
    for element in root.xpath("//script|//style"):
        element.drop_tree()
    for element in root.iter():
        if element.tag == "br":
            element.tail = "\n" + (element.tail or "")
        elif element.tag in _BLOCKS:
            element.tail = "\n\n" + (element.tail or "")
    lines = [" ".join(line.split()) for line in root.text_content().split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
