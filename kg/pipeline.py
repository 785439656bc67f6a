"""The pipeline: sources → extract → graph, as plain functions the CLI and sinks share.

>>> from kg.extract import load_catalogue
>>> result = build(["examples/corpus"], load_catalogue())  # doctest: +SKIP
>>> len(result.claims) > 0  # doctest: +SKIP
True
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from kg.extract import Catalogue, RuleExtractor
from kg.graph import build_graph
from kg.model import Article, ArticleExtraction, Claim, SourceError
from kg.sources import DEFAULT_MAX_BYTES, read_articles

Progress = Callable[[Article | SourceError], None]


@dataclass
class BuildResult:
    """What one build produced: each article's extraction, each failure, and the graph."""

    extractions: list[ArticleExtraction]
    errors: list[SourceError]
    graph: nx.MultiDiGraph = field(default_factory=nx.MultiDiGraph)

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
            yield extract_one(extractor, item)


def extract_one(extractor: RuleExtractor, article: Article) -> ArticleExtraction | SourceError:
    try:
        return extractor.extract(article)
    except Exception as error:  # one article's bug must not lose the others
        return SourceError(article.path, f"extraction failed: {type(error).__name__}: {error}")


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
