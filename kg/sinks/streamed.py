"""A build streamed to disk: each article's pieces stored as it is extracted (on every core,
each process in a shard of the spool), counted in a tally, its entities gathered; then the
files written in order.

Memory holds the tally and the entity part (a few numbers per entity and per link), never
the claims: ``kg build`` of 100,000 articles runs in the memory of 1,000
(benchmarks/bench_memory.py).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kg.extract import Catalogue
from kg.model import ArticleExtraction, SourceError
from kg.pipeline import Done, map_articles
from kg.sinks.files import write_claims_file, write_graph_file
from kg.sinks.pieces import EntityPart, article_pieces
from kg.sinks.spool import Shard, Spool, SpoolReader
from kg.sinks.tally import Tally


@dataclass(frozen=True, slots=True)
class Spooled:
    """One article whose pieces are in a shard: where (to drop it if it is a duplicate), and
    what kg keeps of it: its share of the tally and of the entity part."""

    shard: str  # the shard's file name
    seq: int  # the article's number in it
    article_id: str
    nodes: int  # nodes it owns (itself, its claims and actions)
    relationships: int
    date: str | None
    file: str | None
    holders: list[str]  # of its claims, in order (entity node ids)
    targets: list[str]
    entities: list[tuple[str, dict]]  # as ArticlePieces has them (for EntityPart.add)
    links: list[tuple[str, str, str]]


class ShardWork:
    """:func:`kg.pipeline.map_articles`'s work for a streamed build: each article's pieces
    (:func:`kg.sinks.pieces.article_pieces`) stored in the shard of the process that extracted
    it, a worker or kg itself; a :class:`Spooled` handed back."""

    def __init__(self, spool: Spool):
        self.folder, self.owner = spool.folder, os.getpid()
        self.shard: Shard | None = None

    def __call__(self, extraction: ArticleExtraction, catalogue: Catalogue, pos: int) -> Spooled:
        shard = self._own()
        if shard is None:  # the first article of this process (a forked worker starts without one)
            shard = self.shard = Shard(self.folder, self.owner)
        pieces = article_pieces(extraction, catalogue, pos)
        seq = shard.add(pieces)
        article = pieces.article
        return Spooled(
            shard.name, seq, pieces.article_id, len(pieces.nodes), pieces.relationships, article.get("date"),
            article.get("file"), [c.holder for c in pieces.claims], [c.target for c in pieces.claims],
            pieces.entities, pieces.links,
        )  # fmt: skip

    def commit(self) -> None:
        """After each batch of files: what was stored is there for the spool to read."""
        if shard := self._own():
            shard.commit()

    def close(self) -> None:
        if shard := self._own():
            shard.close()
            self.shard = None

    def _own(self) -> Shard | None:
        return self.shard if self.shard is not None and self.shard.pid == os.getpid() else None


@dataclass
class StreamedBuild:
    """What a streamed build read: the tally of its graph, its entities, what failed."""

    tally: Tally = field(default_factory=lambda: Tally(links=None))  # the spool counts the links
    entities: EntityPart = field(default_factory=EntityPart)
    errors: list[SourceError] = field(default_factory=list)

    def add(self, article: Spooled) -> None:
        self._article_nodes += article.nodes
        self.tally.add_article(article.date, article.file)
        self.tally.relationships += article.relationships
        self.tally.add_claims(article.holders, article.targets)
        self.entities.add(article)

    @property
    def nodes(self) -> int:
        """Nodes of the graph: what the articles own (themselves, their claims and actions)
        and the entities (as the entity part has them)."""
        return self._article_nodes + self._entity_nodes

    _article_nodes: int = 0
    _entity_nodes: int = 0


def stream_build(
    paths: Iterable[str | Path],
    catalogue: Catalogue,
    spool: Spool,
    *,
    workers: int = 1,
    max_bytes: int,
    on_file: Callable[[], None] | None = None,
) -> StreamedBuild:
    """Extract everything under ``paths`` into ``spool``: the articles' pieces are made and
    stored by the processes that extract them (in shards of the spool), so this one only
    keeps the order, the duplicates and the tally. A duplicate's pieces are dropped from its
    shard before the spool reads the shards."""
    built = StreamedBuild()
    work = ShardWork(spool)
    shards: set[str] = set()
    dropped: dict[str, list[int]] = {}

    def duplicate(done: Done) -> None:
        shards.add(done.result.shard)
        dropped.setdefault(done.result.shard, []).append(done.result.seq)

    items = map_articles(
        paths, catalogue, work, workers=workers, max_bytes=max_bytes, seen=spool.seen, on_file=on_file,
        after_task=work.commit, on_duplicate=duplicate,
    )  # fmt: skip
    try:
        for item in items:
            if isinstance(item, SourceError):
                built.errors.append(item)
            else:
                shards.add(item.result.shard)
                built.add(item.result)
    finally:
        work.close()
    spool.attach(shards, dropped)
    return built


PageText = Callable[[object, StreamedBuild], str]  # (a spool or a reader of it, the build) → a page's HTML
SIDE_CLAIMS = 3000  # a build with more claims writes claims.jsonl (and its page) in a side process
STOP_SECONDS = 10  # for the side process to clean up when interrupted


def write_streamed(
    built: StreamedBuild, spool: Spool, catalogue: Catalogue, out: Path, *, page: PageText | None = None
) -> str | None:
    """claims.jsonl and graph.json of a streamed build; counts the entity nodes and links.
    ``page`` makes a page from the spool alone (an overview: no graph.json needed): its
    text is returned, for the caller to write once the files are.

    A build of more than SIDE_CLAIMS claims writes claims.jsonl and makes the page in a
    side process, from its own connection to the spool, while this one writes graph.json:
    the end of a build, which no worker shares, runs on two cores. The side process is a
    new one (spawned: ~0.2 s, ~50 MB), not a fork of kg, which would double what kg's
    memory counts at the end of a big build."""
    node_texts, link_texts = built.entities.texts(catalogue)
    built._entity_nodes = len(node_texts)
    built.tally.relationships += len(link_texts)
    spool.finish()
    if built.tally.claims <= SIDE_CLAIMS:
        write_claims_file(spool, out)
        write_graph_file(spool, node_texts, link_texts, out)
        return page(spool, built) if page else None
    side = _Side(_claims_and_page, spool.reader(), out, built, page)
    try:
        write_graph_file(spool, node_texts, link_texts, out)
    except BaseException:
        side.stop()
        raise
    return side.result()


def _claims_and_page(reader: SpoolReader, out: Path, built: StreamedBuild, page: PageText | None) -> str | None:
    parent = os.getppid()

    def while_kg_runs(chunks):  # a side process whose kg was killed leaves the files alone
        for chunk in chunks:
            if os.getppid() != parent:
                raise InterruptedError("kg is gone")
            yield chunk

    with reader:
        write_claims_file(reader, out, while_kg_runs)
        return page(reader, built) if page else None


class _Side:
    """``work(*args)`` in a new process (``work`` and ``args`` pickled to it): :meth:`result`
    waits for what it returns (or raises what it raised), :meth:`stop` ends it."""

    def __init__(self, work: Callable, *args):
        context = multiprocessing.get_context("spawn")
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(target=_side_main, args=(send, work, args), daemon=True)
        self._process.start()
        send.close()

    def result(self):
        try:
            ok, value = self._receive.recv()
        except EOFError:
            self._process.join()
            raise RuntimeError(f"kg build's side process ended without a word (exit code {self._process.exitcode})") from None
        finally:
            self._receive.close()
        self._process.join()
        if not ok:
            raise value
        return value

    def stop(self) -> None:
        """Interrupt it (what it was writing is removed, as after Ctrl-C), or end it."""
        if self._process.is_alive():
            os.kill(self._process.pid, signal.SIGINT)
            self._process.join(STOP_SECONDS)
            if self._process.is_alive():
                self._process.terminate()
        self._process.join()
        self._receive.close()


def _side_main(send, work: Callable, args: tuple) -> None:
    try:
        answer = (True, work(*args))
    except BaseException as error:  # noqa: BLE001 -- all of it goes back to kg
        answer = (False, error)
    try:
        send.send(answer)
    except OSError:
        pass  # kg is gone, or stopped listening
    except Exception as error:  # an exception that does not pickle
        with contextlib.suppress(OSError):
            send.send((False, RuntimeError(f"{type(answer[1]).__name__}: {answer[1]}; and {error}")))
