"""``kg.toml``: what a scheduled rebuild reads, where it writes, what it refreshes.

Every relative path is relative to the folder holding ``kg.toml``, so a crontab line can
run ``kg rebuild --config /srv/kg/kg.toml`` from anywhere. The four ``NEO4J_*`` environment
variables override the ``[neo4j]`` table (the password belongs in ``NEO4J_PASSWORD``).

A mistake is a :class:`ConfigError` whose message names the key: ``kg.toml: fetch.retries:
must be a whole number ≥ 0, not "three"``. Unknown keys are mistakes too (a typo must not
silently turn an option off).
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from kg import __version__
from kg.sources import DEFAULT_MAX_BYTES

CONFIG_FILE = "kg.toml"
FEED_MODES = ("page", "feed")
RDF_FORMATS = ("turtle", "nt", "jsonld", "trig")
NEO4J_ENV = ("NEO4J_URI", "NEO4J_USERNAME", "NEO4J_PASSWORD", "NEO4J_DATABASE")


class ConfigError(ValueError):
    """``kg.toml`` cannot be used; the message says which key and why."""


@dataclass(frozen=True)
class Feed:
    """One RSS/Atom feed: where it is, how its items become articles."""

    url: str
    name: str  # the archive subfolder its items are saved in
    mode: str = "page"  # page: fetch each item's link; feed: use the feed's own content
    lang: str | None = None  # when the page or feed does not say
    outlet: str | None = None


@dataclass(frozen=True)
class FetchSettings:
    """How feeds and pages are fetched over HTTP."""

    timeout: float = 15.0  # seconds, for connecting and for each read
    request_deadline: float = 60.0  # seconds for a whole answer, headers and body (a trickle is cut)
    run_deadline: float = 300.0  # seconds for the whole fetch stage of a run; the rest waits for the next
    retries: int = 2  # extra attempts after a timeout, a connection error, a 429 or a 5xx
    backoff: float = 1.0  # seconds before the first retry, doubling for each next one
    max_items: int = 100  # items taken from one feed in one run (the newest first in feed order)
    user_agent: str = f"kg/{__version__} (scheduled rebuild)"


@dataclass(frozen=True)
class Exports:
    """The derived files refreshed after the build: the HTML view and RDF files."""

    html: Path | None
    rdf: tuple[str, ...]
    folder: Path
    base_iri: str

    def rdf_path(self, fmt: str) -> Path:
        from kg.sinks.rdf import FORMATS

        return self.folder / f"graph.{FORMATS[fmt]}"

    def paths(self) -> list[Path]:
        return ([self.html] if self.html else []) + [self.rdf_path(fmt) for fmt in self.rdf]


@dataclass(frozen=True)
class Neo4jTarget:
    """Whether and where to sync Neo4j. ``settings()`` applies the environment overrides."""

    sync: bool = False
    values: Mapping[str, str] = field(default_factory=dict)  # NEO4J_* names → values from kg.toml

    def settings(self, environ: Mapping[str, str] | None = None):
        from kg.sinks.neo4j import Settings

        env = os.environ if environ is None else environ
        merged = {**self.values, **{name: env[name] for name in NEO4J_ENV if name in env}}
        return Settings.from_env(merged)


@dataclass(frozen=True)
class Config:
    """A whole ``kg.toml``, paths resolved."""

    path: Path
    paths: tuple[str, ...]  # files, folders and globs of articles
    jsonl: tuple[str, ...]  # JSON Lines files (or globs)
    feeds: tuple[Feed, ...]
    catalogue: tuple[Path, ...]
    archive: Path
    output: Path
    keep_reports: int
    max_bytes: int
    fetch: FetchSettings
    exports: Exports
    neo4j: Neo4jTarget

    @property
    def rebuild_folder(self) -> Path:
        """Where the rebuild keeps its own files: state, lock, reports."""
        return self.output / "rebuild"

    @property
    def state_file(self) -> Path:
        return self.rebuild_folder / "state.sqlite"

    @property
    def lock_file(self) -> Path:
        return self.rebuild_folder / "lock"

    @property
    def reports_folder(self) -> Path:
        return self.rebuild_folder / "reports"

    def source_paths(self) -> list[str]:
        """Everything the read stage reads: the paths, the JSON Lines files, the archive."""
        archive = [self.archive.as_posix()] if _holds_files(self.archive) else []
        return [*self.paths, *self.jsonl, *archive]


def _holds_files(folder: Path) -> bool:
    return folder.is_dir() and any(path.is_file() for path in folder.rglob("*"))


# --------------------------------------------------------------------------- loading

_TABLES = {
    "sources": {"paths", "jsonl", "feeds", "catalogue", "archive"},
    "fetch": {"timeout", "request_deadline", "run_deadline", "retries", "backoff", "max_items", "user_agent"},
    "output": {"folder", "keep_reports", "max_bytes"},
    "exports": {"html", "rdf", "folder", "base_iri"},
    "neo4j": {"sync", "uri", "username", "password", "database"},
}
_FEED_KEYS = {"url", "name", "mode", "lang", "outlet"}


def load_config(path: Path | str) -> Config:
    """Read and check ``kg.toml``; raises :class:`ConfigError` naming the bad key."""
    path = Path(path)
    try:
        document = tomllib.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path} not found: write an example with `kg init`, or pass --config") from None
    except OSError as error:
        raise ConfigError(f"cannot read {path}: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None
    return parse_config(document, path)


def parse_config(document: Mapping[str, Any], path: Path) -> Config:
    """Turn a parsed TOML document into a :class:`Config` (paths relative to ``path``'s folder)."""
    check = _Checker(path.name)
    check.keys(document, set(_TABLES), "")
    tables = {name: check.table(document, name) for name in _TABLES}
    base = path.resolve().parent
    sources, fetch, output, exports, neo4j = (tables[n] for n in ("sources", "fetch", "output", "exports", "neo4j"))
    out_folder = _resolve(base, check.string(output, "output.folder", "build"))
    return Config(
        path=path,
        paths=tuple(_resolve_str(base, p) for p in check.strings(sources, "sources.paths")),
        jsonl=tuple(_resolve_str(base, p) for p in check.strings(sources, "sources.jsonl")),
        feeds=_feeds(check, sources.get("feeds", [])),
        catalogue=tuple(_resolve(base, p) for p in check.strings(sources, "sources.catalogue")),
        archive=_resolve(base, check.string(sources, "sources.archive", "archive")),
        output=out_folder,
        keep_reports=check.integer(output, "output.keep_reports", 30, minimum=1),
        max_bytes=check.integer(output, "output.max_bytes", DEFAULT_MAX_BYTES, minimum=1),
        fetch=_fetch(check, fetch),
        exports=_exports(check, exports, base),
        neo4j=_neo4j(check, neo4j),
    )


def _fetch(check: _Checker, table: Mapping[str, Any]) -> FetchSettings:
    default = FetchSettings()
    return FetchSettings(
        timeout=check.number(table, "fetch.timeout", default.timeout, minimum=0.001),
        request_deadline=check.number(table, "fetch.request_deadline", default.request_deadline, minimum=0.001),
        run_deadline=check.number(table, "fetch.run_deadline", default.run_deadline, minimum=0.001),
        retries=check.integer(table, "fetch.retries", default.retries, minimum=0),
        backoff=check.number(table, "fetch.backoff", default.backoff, minimum=0.0),
        max_items=check.integer(table, "fetch.max_items", default.max_items, minimum=1),
        user_agent=check.string(table, "fetch.user_agent", default.user_agent),
    )


def _exports(check: _Checker, table: Mapping[str, Any], base: Path) -> Exports:
    from kg.sinks.rdf import DEFAULT_BASE

    html = check.string(table, "exports.html", "exports/graph.html", empty_ok=True)
    rdf = check.strings(table, "exports.rdf")
    for index, fmt in enumerate(rdf):
        if fmt not in RDF_FORMATS:
            raise check.error(f"exports.rdf[{index}]", f"must be one of {', '.join(RDF_FORMATS)}, not {fmt!r}")
    base_iri = check.string(table, "exports.base_iri", DEFAULT_BASE)
    if not base_iri.endswith(("/", "#")) or "://" not in base_iri:
        raise check.error("exports.base_iri", f"must be an absolute IRI ending in / or #, not {base_iri!r}")
    return Exports(
        html=_resolve(base, html) if html else None,
        rdf=tuple(dict.fromkeys(rdf)),
        folder=_resolve(base, check.string(table, "exports.folder", "exports")),
        base_iri=base_iri,
    )


def _neo4j(check: _Checker, table: Mapping[str, Any]) -> Neo4jTarget:
    values = {}
    for key in ("uri", "username", "password", "database"):
        value = check.string(table, f"neo4j.{key}", None)
        if value is not None:
            values[f"NEO4J_{key.upper()}"] = value
    return Neo4jTarget(sync=check.boolean(table, "neo4j.sync", False), values=values)


def _feeds(check: _Checker, entries: Any) -> tuple[Feed, ...]:
    if not isinstance(entries, list):
        raise check.error("sources.feeds", "must be a list of feed URLs or {url = ..., ...} tables")
    feeds = [_feed(check, entry, f"sources.feeds[{index}]") for index, entry in enumerate(entries)]
    names = [feed.name for feed in feeds]
    for index, name in enumerate(names):
        if name in names[:index]:
            raise check.error(f"sources.feeds[{index}].name", f"{name!r} is already the name of another feed")
    return tuple(feeds)


def _feed(check: _Checker, entry: Any, where: str) -> Feed:
    if isinstance(entry, str):
        entry = {"url": entry}
    if not isinstance(entry, dict):
        raise check.error(where, "must be a feed URL or a {url = ..., ...} table")
    check.keys(entry, _FEED_KEYS, where + ".")
    url = check.string(entry, f"{where}.url", None)
    if url is None:
        raise check.error(f"{where}.url", "is missing")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise check.error(f"{where}.url", f"must be an http:// or https:// URL, not {url!r}")
    name = check.string(entry, f"{where}.name", None) or feed_name(url)
    if not name.replace("-", "").replace("_", "").replace(".", "").isalnum():
        raise check.error(f"{where}.name", f"must be letters, digits, '-', '_' or '.', not {name!r}")
    mode = check.string(entry, f"{where}.mode", "page")
    if mode not in FEED_MODES:
        raise check.error(f"{where}.mode", f"must be 'page' (fetch each item's link) or 'feed' (use the feed's content), not {mode!r}")
    return Feed(url, name, mode, check.string(entry, f"{where}.lang", None), check.string(entry, f"{where}.outlet", None))


def feed_name(url: str) -> str:
    """A folder name for a feed's archive: its host and path, made safe.

    >>> feed_name("https://www.example.com/rss/ai.xml")
    'example.com-rss-ai.xml'
    """
    parts = urlsplit(url)
    text = (parts.hostname or "feed").removeprefix("www.") + parts.path.rstrip("/")
    if parts.port:
        text = f"{parts.hostname}-{parts.port}{parts.path.rstrip('/')}"
    safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in text)
    return "-".join(part for part in safe.split("-") if part) or "feed"


def _resolve(base: Path, given: str) -> Path:
    path = Path(os.path.expanduser(given))
    return path if path.is_absolute() else base / path


def _resolve_str(base: Path, given: str) -> str:
    return _resolve(base, given).as_posix()


class _Checker:
    """Type checks that name the key they failed on."""

    def __init__(self, file_name: str):
        self.file_name = file_name

    def error(self, key: str, problem: str) -> ConfigError:
        return ConfigError(f"{self.file_name}: {key}: {problem}")

    def keys(self, table: Mapping[str, Any], known: set[str], prefix: str) -> None:
        for key in table:
            if key not in known:
                raise self.error(prefix + key, f"unknown key (known here: {', '.join(sorted(known))})")

    def table(self, document: Mapping[str, Any], name: str) -> Mapping[str, Any]:
        table = document.get(name, {})
        if not isinstance(table, dict):
            raise self.error(name, f"must be a table ([{name}])")
        self.keys(table, _TABLES[name], name + ".")
        return table

    def _get(self, table: Mapping[str, Any], key: str) -> Any:
        return table.get(key.rsplit(".", 1)[-1])

    def string(self, table, key: str, default: str | None, *, empty_ok: bool = False) -> str | None:
        value = self._get(table, key)
        if value is None:
            return default
        if value is False and empty_ok:
            return ""
        if not isinstance(value, str) or (not value.strip() and not empty_ok):
            raise self.error(key, f"must be a non-empty string, not {value!r}")
        return value.strip()

    def strings(self, table, key: str) -> list[str]:
        value = self._get(table, key)
        if value is None:
            return []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.error(key, f"must be a list of non-empty strings, not {value!r}")
        return [v.strip() for v in value]

    def integer(self, table, key: str, default: int, *, minimum: int) -> int:
        value = self._get(table, key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise self.error(key, f"must be a whole number ≥ {minimum}, not {value!r}")
        return value

    def number(self, table, key: str, default: float, *, minimum: float) -> float:
        value = self._get(table, key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < minimum:
            raise self.error(key, f"must be a number ≥ {minimum:g}, not {value!r}")
        return float(value)

    def boolean(self, table, key: str, default: bool) -> bool:
        value = self._get(table, key)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise self.error(key, f"must be true or false, not {value!r}")
        return value


# --------------------------------------------------------------------------- kg init

SAMPLE_CORPUS = Path("examples") / "corpus"
EXAMPLE_PATHS = 'paths = ["articles/"]'


def example_config(folder: Path) -> tuple[str, str]:
    """``kg init``'s file for a kg.toml in ``folder``, and one line saying what to edit.

    The file reads kg's sample corpus when it can find it (beside the file, or in the
    checkout kg runs from), so ``kg init && kg rebuild`` works as it is; else ``articles/``.
    """
    sample = _sample_corpus(folder)
    if sample is None:
        note = f"sources.paths reads {folder / 'articles'}, which does not exist yet: put articles there or edit [sources] paths"
        return EXAMPLE, note if not (folder / "articles").exists() else "edit [sources] to add feeds and more folders"
    line = f"paths = [{json.dumps(sample, ensure_ascii=False)}]  # the sample corpus: replace it with your own folders"
    return EXAMPLE.replace(EXAMPLE_PATHS, line), f"sources.paths reads the sample corpus ({sample}): point it at your articles"


def _sample_corpus(folder: Path) -> str | None:
    from kg import __file__ as package

    if _holds_articles(folder / SAMPLE_CORPUS):
        return SAMPLE_CORPUS.as_posix()
    checkout = Path(package).resolve().parents[1] / SAMPLE_CORPUS  # kg installed from a clone (pip install -e)
    if _holds_articles(checkout):
        try:
            return checkout.relative_to(folder.resolve()).as_posix()
        except ValueError:
            return checkout.as_posix()
    return None


def _holds_articles(folder: Path) -> bool:
    return folder.is_dir() and any(folder.glob("*.md"))


EXAMPLE = '''\
# kg.toml: what `kg rebuild` reads, where it writes, what it refreshes.
# Relative paths are relative to this file's folder. Reference: docs/rebuild.md

[sources]
# Files, folders (read recursively) and glob patterns of articles (.md, .txt, .html, .jsonl).
paths = ["articles/"]
# JSON Lines files, one article a line: {"title", "date", "lang", "url", "text"}.
jsonl = []
# RSS/Atom feeds. A URL alone fetches each item's page; a table says more:
#   { url = "https://news.example.com/ai.xml", mode = "feed", lang = "zh-Hans", name = "example-ai" }
#   mode = "page" (fetch the item's link) or "feed" (use the text the feed carries)
feeds = [
  # "https://news.example.com/ai/rss.xml",
]
# Every fetched item is saved here as a Markdown file, so old items never need the network again.
archive = "archive"
# Extra entity catalogue YAML files, added to the built-in catalogue.
catalogue = []

[fetch]
timeout = 15       # seconds to connect, and for each read
request_deadline = 60   # seconds for a whole answer: a server trickling it is cut off
run_deadline = 300      # seconds for all fetching of one run; what is left waits for the next run
retries = 2        # extra attempts after a timeout, a connection error, a 429 or a 5xx
backoff = 1.0      # seconds before the first retry, doubled for each next one
max_items = 100    # items taken from one feed in one run
# user_agent = "kg (scheduled rebuild; ops@example.com)"

[output]
folder = "build"   # claims.jsonl, graph.json; the rebuild's state, lock and reports in build/rebuild/
keep_reports = 30  # run reports kept in build/rebuild/reports/
# max_bytes = 20000000   # files larger than this are skipped and reported

[exports]
html = "exports/graph.html"   # the interactive view; "" for none
rdf = ["turtle"]              # any of "turtle", "nt", "jsonld", "trig": exports/graph.ttl, ...
folder = "exports"
# base_iri = "https://kg.example.org/"

[neo4j]
sync = false       # true: load the changed articles into Neo4j after each rebuild
# The environment overrides these: NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD, NEO4J_DATABASE.
# Keep the password in NEO4J_PASSWORD rather than in this file.
# uri = "bolt://127.0.0.1:7687"
# username = "neo4j"
# database = "neo4j"
'''
