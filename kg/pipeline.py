"""The pipeline: sources → extract → graph, as plain functions the CLI and sinks share.

:func:`build` holds everything in memory (for tests and small corpora); :func:`map_articles`
streams a corpus of any size through the extractor, in worker processes when asked, and
hands on what a caller's ``work`` function makes of each article, in reading order.

>>> from kg.extract import load_catalogue
>>> result = build(["examples/corpus"], load_catalogue())  # doctest: +SKIP
>>> len(result.claims) > 0  # doctest: +SKIP
True
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, MutableMapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Generic, TypeVar

from kg.extract import Catalogue, RuleExtractor
from kg.extract.batch import attempt, extract_stream
from kg.graph import build_graph
from kg.model import Article, ArticleExtraction, Claim, SourceError
from kg.sources import DEFAULT_MAX_BYTES, find_files, read_articles, read_file

if TYPE_CHECKING:
    import networkx as nx  # ~0.2 s to import: paid only where a graph object is made

Progress = Callable[[Article | SourceError], None]
T = TypeVar("T")
Work = Callable[[ArticleExtraction, Catalogue, int], T]  # (extraction, catalogue, place in its file) → result
TASK_BYTES = 256_000  # files are sent to workers in tasks of about this many bytes (or one bigger file)
TASK_FILES = 32
TASKS_PER_WORKER = 4  # tasks in flight per worker: enough to keep each busy, few enough to bound memory


def _empty_graph() -> nx.MultiDiGraph:
    import networkx as nx

    return nx.MultiDiGraph()


@dataclass
class BuildResult:
    """What one build produced: each article's extraction, each failure, and the graph."""

    extractions: list[ArticleExtraction]
    errors: list[SourceError]
    graph: nx.MultiDiGraph = field(default_factory=_empty_graph)

    @property
    def claims(self) -> list[Claim]:
        return [claim for extraction in self.extractions for claim in extraction.claims]

    @property
    def articles(self) -> list[Article]:
        return [extraction.article for extraction in self.extractions]


def extract_corpus(
    paths: Iterable[str | Path],
    extractor: RuleExtractor,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    progress: Progress | None = None,
) -> Iterator[ArticleExtraction | SourceError]:
    """Extract every article under ``paths``; failures come through as SourceErrors.

    An article whose text was already read under another file name is reported once as a
    duplicate instead of being extracted twice (its id is the hash of its text).
    """
    for _, result in extract_stream(extractor, _first_articles(paths, max_bytes, progress)):
        yield result


def _first_articles(paths, max_bytes: int, progress: Progress | None) -> Iterator[Article | SourceError]:
    seen: dict[str, str] = {}
    for item in read_articles(paths, max_bytes=max_bytes):
        if progress:
            progress(item)
        if isinstance(item, SourceError):
            yield item
        elif item.id in seen:
            yield SourceError(item.path, f"same text as {seen[item.id]}; read once")
        else:
            seen[item.id] = item.path
            yield item


def extract_one(extractor: RuleExtractor, article: Article) -> ArticleExtraction | SourceError:
    """One article's extraction, or the SourceError that says why it failed."""
    return attempt(extractor.extract, article, article)


def build(
    paths: Iterable[str | Path],
    catalogue: Catalogue,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    progress: Progress | None = None,
) -> BuildResult:
    """Read, extract and build the graph of everything under ``paths``."""
    extractor = RuleExtractor(catalogue)
    extractions, errors = [], []
    for item in extract_corpus(paths, extractor, max_bytes=max_bytes, progress=progress):
        (errors if isinstance(item, SourceError) else extractions).append(item)
    return BuildResult(extractions, errors, build_graph(extractions, catalogue))


# ---------------------------------------------------------------- streaming, on every core


@dataclass(frozen=True)
class Done(Generic[T]):
    """An article extracted, and what ``work`` made of it."""

    article_id: str
    path: str
    result: T


def default_workers() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def map_articles(
    paths: Iterable[str | Path],
    catalogue: Catalogue,
    work: Work,
    *,
    workers: int = 1,
    max_bytes: int = DEFAULT_MAX_BYTES,
    seen: MutableMapping[str, str] | None = None,
    on_file: Callable[[], None] | None = None,
    after_task: Callable[[], None] | None = None,
    on_duplicate: Callable[[Done], None] | None = None,
) -> Iterator[Done | SourceError]:
    """Read and extract every article under ``paths`` and yield ``work(extraction, catalogue,
    pos)`` of each, in reading order, or a SourceError for what could not be read or extracted.

    With ``workers`` > 1 the files are read, extracted and worked on in that many processes;
    what comes out is the same, in the same order, as with one (in this process). An article
    whose text was already read under another file name is reported once as a duplicate;
    ``seen`` (article id → path) remembers what was read: a dict unless the caller keeps it
    elsewhere (on disk, for a corpus of any size). ``on_file`` is called after each file.

    ``after_task`` is called where ``work`` ran (a worker, or here) after each batch of
    files, before their results are handed on: for a ``work`` that stores what it makes
    (kg.sinks.streamed), to commit it. ``on_duplicate`` is given the Done of each duplicate
    before its SourceError is yielded: what its ``work`` stored is then to be forgotten.
    """
    seen = {} if seen is None else seen
    tasks = _tasks(paths)
    context = (catalogue, work, max_bytes, after_task)
    # what is loaded by now (the catalogue) lives as long as the run: frozen, no collection
    # goes through it again, nor copies its pages in a forked worker by marking it
    gc.freeze()
    try:
        results = _run_here(tasks, context) if workers <= 1 else _run_in_workers(tasks, context, workers)
        for task in results:
            for file in task:
                yield from _first_reads(file, seen, on_duplicate)
                if on_file:
                    on_file()
    finally:
        gc.unfreeze()


def _first_reads(file: list, seen: MutableMapping[str, str], on_duplicate) -> Iterator[Done | SourceError]:
    for item in file:
        if isinstance(item, Done):
            if item.article_id in seen:
                if on_duplicate:
                    on_duplicate(item)
                yield SourceError(item.path, f"same text as {seen[item.article_id]}; read once")
                continue
            seen[item.article_id] = item.path
        yield item


def _tasks(paths: Iterable[str | Path]) -> Iterator[list[str | SourceError]]:
    """The files under ``paths`` (each once), in batches of about TASK_BYTES."""
    batch: list[str | SourceError] = []
    size = 0
    reached: set[str] = set()
    for found in find_files(paths):
        if not isinstance(found, SourceError):
            key = os.path.realpath(found)
            if key in reached:
                continue
            reached.add(key)
            size += _size(found)
        batch.append(found)
        if size >= TASK_BYTES or len(batch) >= TASK_FILES:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def _run_here(tasks: Iterable[list], context: tuple) -> Iterator[list[list]]:
    _start_worker(*context)
    for task in tasks:
        yield _run_task(task)


def _run_in_workers(tasks: Iterable[list], context: tuple, workers: int) -> Iterator[list[list]]:
    """Each task's results in order, at most TASKS_PER_WORKER tasks per worker in flight."""
    methods = multiprocessing.get_all_start_methods()
    # fork: the workers share the parent's catalogue as it is, no loading it again
    mp_context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    pool = ProcessPoolExecutor(workers, mp_context=mp_context, initializer=_start_worker, initargs=context)
    pending: deque = deque()
    try:
        for task in tasks:
            pending.append(pool.submit(_run_task, task))
            if len(pending) >= workers * TASKS_PER_WORKER:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


_worker: dict[str, object] = {}  # what each worker process runs with (set by _start_worker)


def _start_worker(catalogue: Catalogue, work: Work, max_bytes: int, after_task: Callable[[], None] | None) -> None:
    _worker.update(extractor=RuleExtractor(catalogue), catalogue=catalogue, work=work, max_bytes=max_bytes, after_task=after_task)


def _run_task(files: list[str | SourceError]) -> list[list]:
    """Read, extract and work on each file of a task: per file, its Done and SourceError items."""
    work, catalogue = _worker["work"], _worker["catalogue"]
    done: list[list] = []
    pos = 0
    for item, result in extract_stream(_worker["extractor"], _task_items(files)):
        if item is _NEXT_FILE:
            done.append([])
            pos = 0
        elif isinstance(item, SourceError) or isinstance(result, SourceError):
            done[-1].append(result)
        else:
            done[-1].append(Done(item.id, item.path, work(result, catalogue, pos)))
        pos += isinstance(item, Article)  # an article's place in its file, extracted or not
    if _worker["after_task"]:
        _worker["after_task"]()
    return done


_NEXT_FILE = object()  # in a task's stream of items: what follows is the next file's


def _task_items(files: list[str | SourceError]) -> Iterator[object]:
    for found in files:
        yield _NEXT_FILE
        yield from [found] if isinstance(found, SourceError) else read_file(found, max_bytes=_worker["max_bytes"])
