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

Every request has a timeout; timeouts, connection errors, 429 and 5xx answers are retried
with exponential backoff (``Retry-After`` is honoured up to a minute); other answers fail
at once. Bodies are read up to ``max_bytes``.
"""

from __future__ import annotations

import calendar
import hashlib
import re
import time
import xml.sax
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import feedparser
import httpx
import yaml

from kg.model import Article, SourceError
from kg.rebuild.config import Feed, FetchSettings
from kg.rebuild.state import FeedState
from kg.sinks.files import write_atomic
from kg.sources import parse_date
from kg.sources.decode import UnreadableFile, decode

MAX_ATTEMPTS = 5  # tries of one item's page, over as many runs, before it is given up
MAX_RETRY_AFTER = 60.0
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1"
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1"


class FetchError(Exception):
    """A request that failed for good (after its retries); the message says why."""


# --------------------------------------------------------------------------- HTTP


@dataclass
class Fetched:
    status: int
    content: bytes
    headers: httpx.Headers
    url: str


class Fetcher:
    """One HTTP client for a run: timeouts, retries with backoff, a size limit."""

    def __init__(self, settings: FetchSettings, max_bytes: int, *, sleep: Callable[[float], None] = time.sleep):
        self.settings = settings
        self.max_bytes = max_bytes
        self.sleep = sleep
        self.requests = 0
        self.client = httpx.Client(
            timeout=httpx.Timeout(settings.timeout),
            follow_redirects=True,
            headers={"User-Agent": settings.user_agent},
        )

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def get(self, url: str, headers: dict[str, str] | None = None) -> Fetched:
        """GET ``url``: a 2xx or 304 answer, or :class:`FetchError` once retries are spent."""
        attempts = self.settings.retries + 1
        for attempt in range(attempts):
            try:
                answer = self._get_once(url, headers or {})
            except httpx.TransportError as error:
                reason = _transport_reason(error)
                delay = self._delay(attempt, None)
            else:
                if answer.status < 400 or answer.status not in RETRY_STATUSES:
                    if answer.status >= 400:
                        raise FetchError(f"HTTP {answer.status} {_phrase(answer.status)}")
                    return answer
                reason = f"HTTP {answer.status} {_phrase(answer.status)}"
                delay = self._delay(attempt, answer.headers.get("retry-after"))
            if attempt + 1 < attempts:
                self.sleep(delay)
        tries = f" (after {attempts} attempts)" if attempts > 1 else ""
        raise FetchError(reason + tries)

    def _get_once(self, url: str, headers: dict[str, str]) -> Fetched:
        self.requests += 1
        with self.client.stream("GET", url, headers=headers) as response:
            if response.status_code == 304 or response.status_code >= 400:
                return Fetched(response.status_code, b"", response.headers, str(response.url))
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > self.max_bytes:
                    raise FetchError(f"answer is larger than the {self.max_bytes:,}-byte limit (output.max_bytes)")
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


def fetch_feed(fetcher: Fetcher, feed: Feed, state: FeedState, archive: Path) -> FeedResult:
    """Fetch ``feed`` and archive its new items; ``state`` is updated in place (validators,
    pending items) for the caller to save."""
    result = FeedResult(feed.url, feed.name)
    before = fetcher.requests
    folder = archive / feed.name
    items = _fetch_items(fetcher, feed, state, result)
    todo = {entry["guid"]: entry for entry in state.pending}  # pages that failed before come first
    for item in items:
        if feed.mode == "page" and archive_path(folder, item.guid).exists():
            result.known += 1  # archived on an earlier run: no request
            todo.pop(item.guid, None)
            continue
        todo[item.guid] = {**item_dict(item), "attempts": todo.get(item.guid, {}).get("attempts", 0)}
    state.pending = []
    for entry in todo.values():
        _archive_item(fetcher, feed, item_from_dict(entry), entry.get("attempts", 0), folder, state, result)
    result.pending = len(state.pending)
    result.requests = fetcher.requests - before
    return result


def _fetch_items(fetcher: Fetcher, feed: Feed, state: FeedState, result: FeedResult) -> list[Item]:
    headers = {"Accept": FEED_ACCEPT}
    if state.etag:
        headers["If-None-Match"] = state.etag
    if state.last_modified:
        headers["If-Modified-Since"] = state.last_modified
    try:
        answer = fetcher.get(feed.url, headers)
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
    source = item.link or item.guid
    if feed.mode == "page" and item.link:
        article = page_article(fetcher, item)
    else:
        article = feed_article(item)
    if isinstance(article, SourceError):
        attempts += 1
        if feed.mode == "page" and item.link and attempts < MAX_ATTEMPTS:
            state.pending.append({**item_dict(item), "attempts": attempts})
            result.failures.append((source, f"{article.reason} (attempt {attempts} of {MAX_ATTEMPTS}; tried again next run)"))
        else:
            result.failures.append((source, article.reason + (f" (gave up after {attempts} attempts)" if attempts > 1 else "")))
        return
    text = archive_text(item, feed, article)
    existed = path.exists()
    if existed and path.read_text("utf-8") == text:
        result.known += 1
        return
    write_atomic(path, text)
    (result.updated if existed else result.saved).append(path.as_posix())


def page_article(fetcher: Fetcher, item: Item) -> Article | SourceError:
    """The item's page, fetched and reduced to its main text by kg's HTML reader."""
    link = item.link or ""
    if not link.startswith(("http://", "https://")):
        return SourceError(link, f"item link {link!r} is not an http(s) URL")
    try:
        answer = fetcher.get(link, {"Accept": PAGE_ACCEPT})
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
