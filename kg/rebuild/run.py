"""One rebuild: fetch → read → extract → graph → files → exports → Neo4j.

* **fetch**: each feed into the archive (:mod:`kg.rebuild.feeds`);
* **read**: a file with the size and modification time it had when it was last hashed (and
  that time well before the hashing) is not even opened; any other file's bytes are hashed,
  and a file whose digest and extractor key are those of the last run is not parsed again
  (its articles come from the store); any other is read with kg's readers and each article
  gets its content digest (:func:`kg.rebuild.state.article_digest`);
* **extract**: only articles whose digest is new; the extractions are committed to the
  store in batches, with the file rows that list them, so a run killed half-way keeps what
  it extracted and the next run carries on;
* **graph**: the entity nodes and catalogue links of the current articles (everything else
  in the graph was serialised per article when it was extracted, :mod:`kg.rebuild.fragments`);
* **files** (``claims.jsonl``, ``graph.json``): an ordered scan of the stored fragments,
  byte-identical to what ``kg build`` writes; **exports** (HTML view, RDF) from the graph
  read back. Each file is written beside its target and renamed onto it, so a reader sees
  the old file or the new, never a part. They are rewritten only when the articles changed
  since they were last written in full (or a file is missing, or the export settings changed);
* **neo4j**: only the articles whose digest Neo4j does not hold yet are loaded (with the
  claims and entities hanging on them); an article deleted from the sources is removed with
  a pruning load of the whole graph. Nothing to sync means no connection at all.

A run that stops anywhere (``kill -9`` included) leaves the previous outputs in place: the
store says what is done, and the next run finishes the rest.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from operator import itemgetter
from pathlib import Path

import networkx as nx

from kg.exit_codes import ExitCode
from kg.extract import CatalogueError, RuleExtractor, load_catalogue
from kg.model import Article, SourceError
from kg.pipeline import extract_one
from kg.rebuild.config import Config
from kg.rebuild.fragments import (
    article_fragments,
    edge_text,
    entity_documents,
    entity_part,
    graph_json_chunks,
    merge_batches,
)
from kg.rebuild.lock import RunLock
from kg.rebuild.report import RunReport, save_report
from kg.rebuild.state import (
    ENTITY_IDS,
    ArticleRow,
    Neo4jRow,
    Store,
    StoredArticle,
    StoredFile,
    article_digest,
    classify,
    digest,
    extractor_key,
    slot_of,
)
from kg.sinks.files import CLAIMS_FILE, GRAPH_FILE, atomic_output, read_graph
from kg.sources import find_files, read_file

COMMIT_EVERY = 256  # extractions per store transaction
PAUSE_ENV = "KG_REBUILD_PAUSE_AT"  # testing hook: stage at which to sleep (see pause_point)
PAUSE_SECONDS_ENV = "KG_REBUILD_PAUSE_SECONDS"
COMMIT_EVERY_ENV = "KG_REBUILD_COMMIT_EVERY"
MULTI_ARTICLE_SUFFIXES = (".jsonl", ".ndjson")

Say = Callable[[str], None]


@dataclass
class Options:
    """How to run: ``full`` re-extracts everything, rewrites every output and reloads Neo4j
    with pruning; ``strict`` makes any failed source an exit 1."""

    full: bool = False
    strict: bool = False
    commit_every: int = field(default_factory=lambda: int(os.environ.get(COMMIT_EVERY_ENV) or COMMIT_EVERY))
    say: Say = lambda message: None


# --------------------------------------------------------------------------- entry points


def rebuild_locked(
    config: Config, options: Options, *, wait: bool = False, timeout: float | None = None
) -> tuple[RunReport, Path]:
    """Take the lock (or raise :class:`kg.rebuild.lock.LockHeld`), run, save the report;
    return the report and where it was saved."""
    lock = RunLock(config.lock_file).acquire(
        wait=wait, timeout=timeout, on_wait=lambda holder: options.say(f"waiting: another rebuild is running ({holder})")
    )
    with lock:
        report = RunReport(config=str(config.path))
        try:
            rebuild(config, options, report)
        except KeyboardInterrupt:
            report.finish("interrupted", ExitCode.INTERRUPTED, "interrupted; the next run finishes the work")
            raise
        except CatalogueError as error:
            report.finish("failed", ExitCode.USAGE, str(error))
            raise
        except BaseException as error:
            report.finish("failed", ExitCode.FAILED, f"{type(error).__name__}: {error}")
            raise
        finally:
            saved = save_report(report, config.reports_folder, config.keep_reports)
    return report, saved


def rebuild(config: Config, options: Options, report: RunReport) -> RunReport:
    """Run every stage, filling ``report``; the exit code is ``report.exit_code``."""
    with report.stage("setup"):
        catalogue = load_catalogue(config.catalogue)
        report.extractor = key = extractor_key(config.catalogue)
        store = Store(config.state_file)
    if store.reset:
        options.say(f"{config.state_file} was from another kg version or damaged: started anew (a full rebuild)")
    with store:
        with report.stage("fetch"):
            fetch_feeds(config, store, report, options.say)
        pause_point("fetch")
        reading = read_sources(config, store, RuleExtractor(catalogue), key, report, options)
        if not reading.current:
            return report.finish("failed", ExitCode.NO_INPUT, "no articles in any source; outputs left as they were")
        with report.stage("store"):
            remove_stale(store, reading, report)
            tasks = plan_outputs(config, store, reading, options)
        if tasks.outputs:
            write_outputs(config, store, tasks, catalogue, report)
        with report.stage("store"):
            report.claims = store.claim_count()
        if tasks.neo4j:
            with report.stage("neo4j"):
                sync_neo4j(config, store, reading, catalogue, report, full=options.full)
        elif config.neo4j.sync:
            report.neo4j = {"sync": True, "mode": "skipped", "articles": 0, "transactions": 0}
    return report.finish(*outcome(report, options))


def outcome(report: RunReport, options: Options) -> tuple[str, int, str]:
    """The run's status, exit code and one-line message."""
    stages = {failure.stage for failure in report.failures}
    if "neo4j" in stages:
        return "failures", ExitCode.UNREACHABLE, "Neo4j was not synced; the next run tries again"
    if "exports" in stages or "files" in stages:
        return "failures", ExitCode.FAILED, "some outputs were not written; the next run tries again"
    if report.failures:
        code = ExitCode.FAILED if options.strict else ExitCode.OK
        return "failures", code, f"{len(report.failures)} source(s) could not be read"
    return "ok", ExitCode.OK, ""


# --------------------------------------------------------------------------- fetch


def fetch_feeds(config: Config, store: Store, report: RunReport, say: Say) -> None:
    """Fetch every feed into the archive; one feed's failure does not stop the others."""
    if not config.feeds:
        return
    from kg.rebuild.feeds import Fetcher, fetch_feed

    with Fetcher(config.fetch, config.max_bytes) as fetcher:
        for feed in config.feeds:
            state = store.feed_state(feed.url)
            result = fetch_feed(fetcher, feed, state, config.archive)
            store.save_feed_state(state)
            report.feeds.append(result.to_dict())
            for source, reason in result.failures:
                report.fail("fetch", source, reason)
            say(f"feed {feed.name}: {result.status}, {len(result.saved)} new item(s)")


# --------------------------------------------------------------------------- read + extract


@dataclass
class Reading:
    """What the read stage found: every current article, and which were extracted now."""

    current: dict[str, StoredArticle] = field(default_factory=dict)  # id → article, in source order
    extracted: list[str] = field(default_factory=list)  # ids extracted in this run
    stored: dict[str, StoredArticle] = field(default_factory=dict)  # the store before the run
    seen_files: set[str] = field(default_factory=set)
    kept_prefixes: list[str] = field(default_factory=list)  # sources that were missing: keep their files
    stored_files: set[str] = field(default_factory=set)  # the files the store knew before the run


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


def read_sources(config: Config, store: Store, extractor: RuleExtractor, key: str, report: RunReport, options: Options) -> Reading:
    """Read every source; extract the articles whose content digest is new."""
    with report.stage("setup"):
        reading = Reading(stored=store.articles())
        stored_files = store.files()
    reading.stored_files = set(stored_files)
    batch = _Batch(store, options.commit_every, report)
    for found in _source_files(config, reading, report):
        old = stored_files.get(found)
        reuse = not options.full and old is not None and old.extractor == key
        with report.stage("read"):
            stamp = _stamp(found)
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


def _source_files(config: Config, reading: Reading, report: RunReport) -> Iterator[str]:
    """Every file of the sources, each once even if two sources reach it (same device and
    inode: cheaper than resolving every path)."""
    seen: set[tuple[int, int]] = set()
    with report.stage("read"):
        found = list(find_files(config.source_paths()))
    for item in found:
        if isinstance(item, SourceError):
            report.fail("read", item.path, item.reason + "; its articles are kept from the last run")
            reading.kept_prefixes.append(item.path)
            continue
        try:
            stat = os.stat(item)
            identity = (stat.st_dev, stat.st_ino)
        except OSError:
            identity = (-1, hash(item))  # unreadable: read_file says why
        if identity not in seen:
            seen.add(identity)
            reading.seen_files.add(item)
            yield item


def _file_digest(path: Path, max_bytes: int) -> str:
    try:
        stat = path.stat()
        if stat.st_size > max_bytes:
            return f"size:{stat.st_size}:{stat.st_mtime_ns}"  # too large: read_file reports it
        return digest(path.read_bytes())
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
                fragments = article_fragments(result, extractor.catalogue)
        if isinstance(result, SourceError):
            errors.append((result.path, result.reason))
            listed.pop()
            continue
        reading.current[article.id] = entry
        reading.extracted.append(article.id)
        rows.append(ArticleRow(entry, fragments))
    for error_path, reason in errors:
        report.fail("extract" if reason.startswith("extraction failed") else "read", error_path, reason)
    batch.add(replace(file, articles=tuple(listed), errors=tuple(errors)), rows, moves)


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


# --------------------------------------------------------------------------- what to write


@dataclass
class Tasks:
    outputs: bool  # write claims.jsonl, graph.json and the exports
    neo4j: bool  # load Neo4j
    outputs_key: str


def plan_outputs(config: Config, store: Store, reading: Reading, options: Options) -> Tasks:
    """Which outputs are out of date: only those are written."""
    settings = [str(config.output), *map(str, config.exports.paths()), config.exports.base_iri]
    outputs_key = digest(f"{store.data_version}\0{len(reading.current)}\0" + "\0".join(settings))
    expected = [config.output / CLAIMS_FILE, config.output / GRAPH_FILE, *config.exports.paths()]
    outputs = options.full or store.get_meta("outputs_key") != outputs_key or not all(p.is_file() for p in expected)
    neo4j = config.neo4j.sync and (options.full or any(neo4j_changes(store, reading)))
    return Tasks(outputs, neo4j, outputs_key)


# --------------------------------------------------------------------------- files + exports


def write_outputs(config: Config, store: Store, tasks: Tasks, catalogue, report: RunReport) -> None:
    """claims.jsonl, graph.json, then each export; each atomically. The outputs key is saved
    only when all were written, so a run stopped half-way has the next run write them all."""
    written: list[str] = []
    claims_path, graph_path = config.output / CLAIMS_FILE, config.output / GRAPH_FILE
    with report.stage("graph"):
        entity_nodes, entity_edges = entity_part(store.entities_by_article(), catalogue)
    with report.stage("files"):
        write_chunks(claims_path, store.claim_batches())
        written.append(str(claims_path))
        pause_point("files")
        write_chunks(graph_path, graph_json_chunks(graph_nodes(store, entity_nodes), graph_edges(store, entity_edges)))
        written.append(str(graph_path))
    pause_point("exports")
    writers = export_writers(config)
    if writers:
        with report.stage("exports"):
            graph = read_graph(graph_path)
            for path, write in writers:
                try:
                    write(graph)
                    written.append(str(path))
                except Exception as error:  # a full disk, a bad path: report it, keep the others
                    report.fail("exports", str(path), f"{type(error).__name__}: {error}")
    report.outputs = {"written": True, "files": written}
    if not any(f.stage == "exports" for f in report.failures):
        with store.transaction():
            store.set_meta("outputs_key", tasks.outputs_key)


def graph_nodes(store: Store, entity_nodes: list[tuple[str, str]]) -> Iterator[list[bytes]]:
    """graph.json's node texts in order, in batches: the stored ones with the entity nodes merged in."""
    assert all(node_id >= ENTITY_IDS for node_id, _ in entity_nodes)
    yield from store.node_batches("head")
    extra = [(node_id, text.encode("utf-8")) for node_id, text in entity_nodes]
    for batch in merge_batches(store.node_batches("tail"), extra, key=itemgetter(0)):
        yield [text for _, text in batch]


def graph_edges(store: Store, entity_edges: list[tuple[str, str, str]]) -> Iterator[list[bytes]]:
    """graph.json's edge texts in order, in batches: the stored runs with the entity links merged in."""
    assert all(source >= ENTITY_IDS for source, _, _ in entity_edges)
    yield from store.edge_batches("head")
    extra = [(*edge, edge_text(*edge).encode("utf-8")) for edge in entity_edges]
    for batch in merge_batches(store.edge_batches("tail"), extra, key=itemgetter(0, 1, 2)):
        yield [row[3] for row in batch]


def write_chunks(path: Path, chunks: Iterable[bytes]) -> None:
    """Stream bytes into a file beside ``path``, then rename it onto ``path``: a reader sees
    the old file or the new, never a part (a run killed while writing leaves a stray
    ``.name.*.tmp``, removed by the next run)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for stray in path.parent.glob(f".{path.name}.*.tmp"):
        stray.unlink(missing_ok=True)
    with atomic_output(path, "wb") as out:
        for chunk in chunks:
            out.write(chunk)


def export_writers(config: Config) -> list[tuple[Path, Callable[[nx.MultiDiGraph], object]]]:
    """(path, write(graph)) for each configured export; each writer is atomic."""
    exports = config.exports
    writers: list[tuple[Path, Callable[[nx.MultiDiGraph], object]]] = []
    if exports.html:
        writers.append((exports.html, lambda graph: _write_view(graph, exports.html)))
    for fmt in exports.rdf:
        path = exports.rdf_path(fmt)
        writers.append((path, lambda graph, fmt=fmt, path=path: _write_rdf(graph, path, fmt, exports.base_iri)))
    return writers


def _write_view(graph: nx.MultiDiGraph, path: Path) -> None:
    from kg.sinks.html import write_html
    from kg.views import corpus_summary

    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    write_html(graph, path, title="Who said what about whom", subtitle=f"Corpus: {corpus_summary(graph)}.\nRebuilt {stamp}.")


def _write_rdf(graph: nx.MultiDiGraph, path: Path, fmt: str, base: str) -> None:
    from kg.sinks.rdf import write_rdf

    write_rdf(graph, path, fmt, base=base)


# --------------------------------------------------------------------------- neo4j


def neo4j_changes(store: Store, reading: Reading) -> tuple[list[str], list[Neo4jRow]]:
    """(current articles Neo4j lacks or holds with another digest, articles it holds that are gone)."""
    held = store.neo4j_rows()
    pending = [i for i, a in reading.current.items() if i not in held or held[i].digest != a.digest]
    gone = [row for i, row in held.items() if i not in reading.current]
    return pending, gone


def sync_neo4j(config: Config, store: Store, reading: Reading, catalogue, report: RunReport, *, full: bool) -> None:
    """Load the changed articles (or, when articles were deleted, the whole graph with
    pruning) and record what Neo4j now holds. Failures are reported, never raised."""
    from kg.sinks.neo4j import (
        LoadError,
        Neo4jConnectionError,
        Neo4jLoader,
        Neo4jUsageError,
        connect,
        read_document,
    )

    pending, gone = neo4j_changes(store, reading)
    articles = neo4j_articles(reading, pending)
    prune = full or not all(_covered(row, reading, articles) for row in gone)
    if prune:
        articles = set(reading.current)
    settings = config.neo4j.settings()
    whole = prune or len(articles) == len(reading.current)
    mode = "full" if prune else "all" if whole else "incremental"
    report.neo4j = {
        "sync": True, "mode": mode, "target": settings.where(),
        "articles": len(articles), "pending": len(pending), "transactions": 0,
    }  # fmt: skip
    try:
        driver = connect(settings)
    except (Neo4jConnectionError, Neo4jUsageError) as error:
        report.neo4j["mode"] = "failed"
        report.fail("neo4j", settings.where(), str(error))
        return
    try:
        document = read_document(config.output / GRAPH_FILE) if whole else partial_document(store, articles, catalogue)
        load = Neo4jLoader(driver, settings.database).load(document, prune=prune)
    except LoadError as error:
        report.neo4j["mode"] = "failed"
        if error.report is not None:
            report.neo4j.update(error.report.to_dict())
        report.fail("neo4j", settings.where(), str(error))
        return
    finally:
        driver.close()
    report.neo4j.update(load.to_dict())
    loaded = [Neo4jRow(i, reading.current[i].digest, reading.current[i].path, reading.current[i].url) for i in sorted(articles)]
    store.record_neo4j(loaded, [row.id for row in gone], replace_all=prune)


def neo4j_articles(reading: Reading, pending: list[str]) -> set[str]:
    """The articles to send: the pending ones and every current article sharing a file or
    URL with one of them. (The loader treats an article of the same file or URL that is not
    in what it is given as an older version and deletes it: a JSON Lines file's other
    articles must come along, unchanged, so they are skipped, not removed.)"""
    paths = {reading.current[i].path for i in pending}
    urls = {reading.current[i].url for i in pending} - {None}
    return set(pending) | {i for i, a in reading.current.items() if a.path in paths or (a.url and a.url in urls)}


def _covered(row: Neo4jRow, reading: Reading, articles: set[str]) -> bool:
    """Whether the loader removes this gone article by itself: it does for an older version
    of an article it is given (same file or same URL)."""
    return any(reading.current[i].path == row.path or (row.url and reading.current[i].url == row.url) for i in articles)


def partial_document(store: Store, articles: set[str], catalogue) -> dict:
    """The part of graph.json a load of ``articles`` needs: the articles, their claims, the
    relationships these own, and the entities they reach with each entity's own links (so
    every node's load hash is the one the whole graph gives it: unchanged nodes are skipped)."""
    node_texts, edge_texts = store.fragments_of(articles)
    nodes = [json.loads(text) for text in node_texts]
    edges = [edge for text in edge_texts for edge in json.loads(f"[{text}]")]
    entity_nodes, entity_links = entity_documents(store.entities_by_article(), catalogue)
    needed = {end for edge in edges for end in (edge["source"], edge["target"]) if end in entity_nodes}
    links: list[dict] = []
    todo = sorted(needed)
    while todo:
        name = todo.pop()
        for link in (link for link in entity_links if link["source"] == name):
            links.append(link)
            if link["target"] not in needed:
                needed.add(link["target"])
                todo.append(link["target"])
    nodes += [entity_nodes[node_id] for node_id in sorted(needed)]
    return {"directed": True, "multigraph": True, "graph": {}, "nodes": nodes, "edges": edges + links}


# --------------------------------------------------------------------------- testing hook


def pause_point(stage: str) -> None:
    """Sleep here when ``KG_REBUILD_PAUSE_AT`` names this stage (tests kill the run there).

    Stages: ``fetch`` (feeds archived), ``extract`` (first batch of extractions committed),
    ``files`` (claims.jsonl written, graph.json not yet), ``exports`` (files written).
    """
    if os.environ.get(PAUSE_ENV) != stage:
        return
    print(f"kg-rebuild: paused at {stage}", file=sys.stderr, flush=True)
    time.sleep(float(os.environ.get(PAUSE_SECONDS_ENV) or 60))
