"""The read and extract stages of a rebuild (:func:`read_sources`): which files changed,
which of their articles are new, and only those extracted, committed to the store in batches.

A file with the size and modification time it had when it was last hashed (and that time
well before the hashing) is not even opened; any other file's bytes are hashed, and a file
whose digest and extractor key are those of the last run is not parsed again (its articles
come from the store). A source that is missing keeps its articles (:func:`_keep_missing`):
a transient outage must not empty the graph.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from kg.extract import RuleExtractor
from kg.model import Article, SourceError
from kg.graph import add_entity
from kg.pipeline import extract_one
from kg.rebuild.config import Config
from kg.rebuild.fragments import pack
from kg.rebuild.options import Options, pause_point
from kg.rebuild.report import RunReport
from kg.rebuild.state import (
    ArticleRow,
    Store,
    StoredArticle,
    StoredFile,
    article_digest,
    classify,
    digest,
    slot_of,
)
from kg.sinks.pieces import article_pieces
from kg.sources import find_files, read_file
from kg.sources.decode import UnreadableFile, read_bytes

MULTI_ARTICLE_SUFFIXES = (".jsonl", ".ndjson")


@dataclass
class Reading:
    """What the read stage found: every current article, and which were extracted now."""

    current: dict[str, StoredArticle] = field(default_factory=dict)  # id → article, in source order
    extracted: list[str] = field(default_factory=list)  # ids extracted in this run
    stored: dict[str, StoredArticle] = field(default_factory=dict)  # the store before the run
    seen_files: set[str] = field(default_factory=set)
    kept_prefixes: list[str] = field(default_factory=list)  # sources that were missing: keep their files
    stored_files: set[str] = field(default_factory=set)  # the files the store knew before the run
    spool: object = None  # kg.sinks.spool.Spool: the pieces of the build files of what was extracted now


class _Batch:
    """Extractions, moves and file rows waiting for the next commit (one transaction)."""

    def __init__(self, store: Store, size: int, report: RunReport):
        self.store, self.size, self.report = store, size, report
        self.rows: list[ArticleRow] = []
        self.moves: list[tuple[str, int]] = []
        self.files: list[StoredFile] = []
        self.commits = 0

    def add(self, file: StoredFile, rows: list[ArticleRow], moves: list[tuple[str, int]]) -> None:
        self.files.append(file)
        self.rows.extend(rows)
        self.moves.extend(moves)
        if len(self.rows) >= self.size:
            self.commit()

    def commit(self) -> None:
        if not self.files:
            return
        with self.report.stage("store"), self.store.transaction():
            if self.rows:
                self.store.put_articles(self.rows)
            if self.moves:
                self.store.move_articles(self.moves)
            for file in self.files:
                self.store.put_file(file)
        self.rows, self.moves, self.files = [], [], []
        self.commits += 1
        if self.commits == 1:
            pause_point("extract")


def read_sources(
    config: Config, store: Store, extractor: RuleExtractor, key: str, report: RunReport, options: Options, spool
) -> Reading:
    """Read every source; extract the articles whose content digest is new (their pieces of
    the build files go to ``spool``)."""
    with report.stage("setup"):
        reading = Reading(stored=store.articles(), spool=spool)
        stored_files = store.files()
    reading.stored_files = set(stored_files)
    batch = _Batch(store, options.commit_every, report)
    for found, stamp in _source_files(config, reading, report):
        old = stored_files.get(found)
        reuse = not options.full and old is not None and old.extractor == key
        with report.stage("read"):
            if reuse and unchanged_stamp(old, stamp) and _reusable(old, reading):
                _reuse(old, reading, report)  # size and mtime as when it was hashed: not even read
                continue
            checked_ns = time.time_ns()
            file = StoredFile(found, _file_digest(Path(found), config.max_bytes), key, (), (), *stamp, checked_ns)
        if reuse and old.digest == file.digest and _reusable(old, reading):
            _reuse(old, reading, report)
            batch.add(replace(old, size=file.size, mtime_ns=file.mtime_ns, checked_ns=checked_ns), [], [])
            continue
        _read_file(file, extractor, reading, batch, report, options, config.max_bytes)
    batch.commit()
    _keep_missing(stored_files, reading)
    return reading


RACY_NS = 2_000_000_000  # a file modified this close to when it was hashed is hashed again


def _stamp(path: str) -> tuple[int, int]:
    try:
        stat = os.stat(path)
    except OSError:
        return -1, -1
    return stat.st_size, stat.st_mtime_ns


def unchanged_stamp(old: StoredFile, stamp: tuple[int, int]) -> bool:
    """Whether a file is known unchanged without reading it: same size and modification time
    as when it was hashed, and that time well before the hashing (as git does: a file written
    within the file system's timestamp granularity of being hashed could change unseen).

    >>> old = StoredFile("a.md", "d", "x", (), (), 10, 5_000_000_000, 9_000_000_000)
    >>> unchanged_stamp(old, (10, 5_000_000_000)), unchanged_stamp(old, (11, 5_000_000_000))
    (True, False)
    >>> unchanged_stamp(replace(old, checked_ns=6_000_000_000), (10, 5_000_000_000))
    False
    """
    size, mtime_ns = stamp
    return size >= 0 and (size, mtime_ns) == (old.size, old.mtime_ns) and mtime_ns + RACY_NS < old.checked_ns


def _source_files(config: Config, reading: Reading, report: RunReport) -> Iterator[tuple[str, tuple[int, int]]]:
    """Every file of the sources, each once even if two sources reach it (same device and
    inode: cheaper than resolving every path), with its size and modification time (from
    the same stat: a rebuild that finds nothing changed is mostly stats)."""
    seen: set[tuple[int, int]] = set()
    with report.stage("read"):
        sources = config.source_paths()
        found = list(find_files(sources))
    given = {Path(source) for source in sources}
    for item in found:
        if isinstance(item, SourceError):
            _source_failed(item, Path(item.path) in given, reading, report)
            continue
        try:
            stat = os.stat(item)
            identity, stamp = (stat.st_dev, stat.st_ino), (stat.st_size, stat.st_mtime_ns)
        except OSError:
            identity, stamp = (-1, hash(item)), (-1, -1)  # unreadable: read_file says why
        if identity not in seen:
            seen.add(identity)
            reading.seen_files.add(item)
            yield item, stamp


def _source_failed(error: SourceError, is_source: bool, reading: Reading, report: RunReport) -> None:
    """A source that is missing (or empty, or matches nothing) keeps the articles the last
    run read from it; a file in a source that cannot be read is only reported."""
    kept = ""
    if is_source:
        reading.kept_prefixes.append(error.path)
        if any(_under(path, error.path) for path in reading.stored_files):
            kept = "; its articles are kept from the last run"
    report.fail("read", error.path, error.reason + kept)


def _file_digest(path: Path, max_bytes: int) -> str:
    try:
        return digest(read_bytes(path, max_bytes))
    except UnreadableFile as error:  # too large, or no regular file: read_file reports it
        return f"unreadable:{error}:{_stamp(str(path))}"
    except OSError as error:
        return f"unreadable:{error.errno}"


def _reusable(old: StoredFile, reading: Reading) -> bool:
    """A file's stored articles can be reused if the store still holds each as listed."""
    for article_id, content in old.articles:
        if article_id in reading.current:
            continue  # a duplicate of an earlier file
        stored = reading.stored.get(article_id)
        if stored is None or stored.digest != content:
            return False
    return True


def _reuse(old: StoredFile, reading: Reading, report: RunReport) -> None:
    for article_id, _ in old.articles:
        if article_id in reading.current:
            report.counts["duplicates"] += 1
        else:
            reading.current[article_id] = reading.stored[article_id]
    for path, reason in old.errors:
        report.fail("read", path, reason)


def _read_file(file: StoredFile, extractor, reading: Reading, batch: _Batch, report: RunReport, options, max_bytes) -> None:
    """Parse one new or changed file; extract each of its articles whose digest is new."""
    path, key = file.path, file.extractor
    with report.stage("read"):
        items = list(read_file(path, max_bytes=max_bytes))
    shares = path.lower().endswith(MULTI_ARTICLE_SUFFIXES)
    errors = [(item.path, item.reason) for item in items if isinstance(item, SourceError)]
    listed: list[tuple[str, str]] = []
    rows: list[ArticleRow] = []
    moves: list[tuple[str, int]] = []
    for pos, article in enumerate(item for item in items if isinstance(item, Article)):
        content = article_digest(article, key)
        listed.append((article.id, content))
        if article.id in reading.current:
            report.counts["duplicates"] += 1
            continue
        entry = StoredArticle(article.id, content, article.path, article.url, slot_of(article, shares), pos)
        previous = reading.stored.get(article.id)
        if not options.full and previous is not None and previous.digest == content:
            reading.current[article.id] = entry
            if previous.pos != pos:
                moves.append((article.id, pos))
            continue
        with report.stage("extract"):
            result = extract_one(extractor, article)
            if not isinstance(result, SourceError):
                row = stored_row(entry, result, extractor.catalogue, reading.spool)
        if isinstance(result, SourceError):
            errors.append((result.path, result.reason))
            listed.pop()
            continue
        reading.current[article.id] = entry
        reading.extracted.append(article.id)
        rows.append(row)
    for error_path, reason in errors:
        report.fail("extract" if reason.startswith("extraction failed") else "read", error_path, reason)
    batch.add(replace(file, articles=tuple(listed), errors=tuple(errors)), rows, moves)


def stored_row(entry: StoredArticle, extraction, catalogue, spool) -> ArticleRow:
    """An extracted article as the store keeps it; its pieces of the build files into the spool."""
    pieces = article_pieces(extraction, catalogue, entry.pos)
    spool.add(pieces)
    entities = [(node, None if attrs == _catalogue_attrs(node, catalogue) else json.dumps(attrs, ensure_ascii=False))
                for node, attrs in pieces.entities]  # fmt: skip
    return ArticleRow(entry, pack(extraction), len(extraction.claims), entities, pieces.links)


def _catalogue_attrs(node: str, catalogue) -> dict:
    """The attributes an entity node has when no article says otherwise (the catalogue's)."""
    nodes: dict = {}
    add_entity(node.removeprefix("entity:"), None, catalogue, nodes)
    return nodes[node]


def _keep_missing(stored_files: dict[str, StoredFile], reading: Reading) -> None:
    """Files under a source that is missing now (unmounted, deleted folder) keep their
    articles: a transient outage must not empty the graph and Neo4j."""
    if not reading.kept_prefixes:
        return
    for path, file in sorted(stored_files.items()):
        if path in reading.seen_files or not any(_under(path, source) for source in reading.kept_prefixes):
            continue
        if _reusable(file, reading):
            reading.seen_files.add(path)
            for article_id, _ in file.articles:
                reading.current.setdefault(article_id, reading.stored[article_id])


def _under(path: str, source: str) -> bool:
    """Whether ``path`` may have come from ``source`` (a file, a folder or a glob).

    >>> _under("/a/b/c.md", "/a/b"), _under("/a/bc.md", "/a/b"), _under("/a/b/x/c.md", "/a/b/**/*.md")
    (True, False, True)
    """
    cut = min((source.find(c) for c in "*?[" if c in source), default=-1)
    if cut >= 0:
        return path.startswith(source[:cut])  # a glob: anything under its literal part
    return path == source or path.startswith(source.rstrip("/") + "/")


def remove_stale(store: Store, reading: Reading, report: RunReport) -> None:
    """Drop what is no longer in the sources, and count new / changed / unchanged / removed."""
    changes = classify(reading.stored, reading.current, reading.extracted)
    report.counts.update(changes.counts())
    report.articles = len(reading.current)
    gone_files = [path for path in reading.stored_files if path not in reading.seen_files]
    if changes.gone or gone_files:
        with store.transaction():
            store.remove_files(gone_files)
            if changes.gone:
                store.remove_articles(changes.gone)
