"""kg's extractor as a pure function over a list of files, for a distributed engine to map
(:func:`extract_files`), and the one reduce step it needs (:func:`merge`); with Dask, whole
(:func:`dask_extract`). See docs/scaling.md.

``extract_files`` depends on nothing but its files and kg's catalogue (each call makes its
own extractor), returns plain picklable records, and can run anywhere kg is installed: a
Dask worker, a Spark executor, a Ray task. ``merge`` does on the driver what
``kg extract`` does in one process: an article whose text was already read under another
file name is kept once (the first file in path order), and the claims come out in
``kg extract``'s order, so the result is the same whatever the partitions.

    from kg.distributed import dask_extract
    claims = dask_extract(["examples/corpus"], partitions=4)                    # local processes
    claims = dask_extract(paths, scheduler="tcp://scheduler:8786")              # a Dask cluster
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kg.model import Claim, SourceError
from kg.sources import find_files


@dataclass(frozen=True)
class Extracted:
    """One article's result: its id, its file, its claims (or why it failed: ``error``)."""

    article_id: str
    path: str
    claims: tuple[Claim, ...] = ()
    error: str = ""


def corpus_files(paths: Iterable[str | Path]) -> list[str]:
    """The files ``kg extract`` would read under ``paths``, in its order: what to partition."""
    return [str(found) for found in find_files(paths) if not isinstance(found, SourceError)]


def extract_files(files: Sequence[str]) -> list[Extracted]:
    """Read and extract these files (a partition): a pure function of the files."""
    from kg.extract import RuleExtractor, load_catalogue
    from kg.extract.batch import extract_stream
    from kg.sources import read_articles

    extractor = RuleExtractor(load_catalogue())
    results = []
    for item, done in extract_stream(extractor, read_articles(files)):
        if isinstance(item, SourceError):
            results.append(Extracted("", item.path, error=item.reason))
            continue
        if isinstance(done, SourceError):
            results.append(Extracted(item.id, item.path, error=done.reason))
        else:
            results.append(Extracted(item.id, item.path, tuple(done.claims)))
    return results


def merge(results: Iterable[Extracted]) -> tuple[list[Claim], list[Extracted]]:
    """The claims of every article read once (the first of its files in path order), in
    ``kg extract``'s order, and the failures."""
    from kg.sinks.files import sorted_claims

    ordered = sorted(results, key=lambda r: r.path)
    seen: set[str] = set()
    claims: list[Claim] = []
    failures = [r for r in ordered if r.error]
    for result in ordered:
        if result.error or result.article_id in seen:
            continue
        seen.add(result.article_id)
        claims.extend(result.claims)
    return sorted_claims(claims), failures


def dask_extract(
    paths: Iterable[str | Path], *, partitions: int = 8, scheduler: str = "processes"
) -> tuple[list[Claim], list[Extracted]]:
    """Map :func:`extract_files` over the corpus's files with Dask (``pip install
    'kg[distributed]'``). ``scheduler``: ``processes`` (local worker processes),
    ``threads``, ``synchronous``, or a Dask cluster's address (``tcp://host:8786``, which
    needs ``dask.distributed``)."""
    import dask.bag as bag

    files = corpus_files(paths)
    partitioned = bag.from_sequence(files, npartitions=max(1, min(partitions, len(files))))
    extracted = partitioned.map_partitions(extract_files)
    if "://" in scheduler:
        from dask.distributed import Client

        with Client(scheduler) as client:
            return merge(extracted.compute(scheduler=client))
    return merge(extracted.compute(scheduler=scheduler))
