"""A build streamed to disk: each article's pieces into the spool as it is extracted (on
every core), counted in a tally, its entities gathered; then the files written in order.

Memory holds the tally and the entity part (a few numbers per entity and per link), never
the claims: ``kg build`` of 100,000 articles runs in the memory of 1,000
(benchmarks/bench_memory.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kg.extract import Catalogue
from kg.model import SourceError
from kg.pipeline import map_articles
from kg.sinks.files import write_build_files
from kg.sinks.pieces import ArticlePieces, EntityPart, article_pieces
from kg.sinks.spool import Spool
from kg.sinks.tally import Tally


@dataclass
class StreamedBuild:
    """What a streamed build read: the tally of its graph, its entities, what failed."""

    tally: Tally = field(default_factory=lambda: Tally(links=None))  # the spool counts the links
    entities: EntityPart = field(default_factory=EntityPart)
    errors: list[SourceError] = field(default_factory=list)

    def add(self, pieces: ArticlePieces) -> None:
        self._article_nodes += len(pieces.nodes)
        self.tally.add_article(pieces.article.get("date"), pieces.article.get("file"))
        self.tally.relationships += pieces.relationships
        for claim in pieces.claims:
            self.tally.add_claim(claim.holder, claim.target, claim.stance)
        self.entities.add(pieces)

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
    """Extract everything under ``paths`` into ``spool``; the articles' pieces are made in
    the workers, so this process only stores them."""
    built = StreamedBuild()
    items = map_articles(paths, catalogue, article_pieces, workers=workers, max_bytes=max_bytes, seen=spool.seen, on_file=on_file)
    for item in items:
        if isinstance(item, SourceError):
            built.errors.append(item)
        else:
            spool.add(item.result)
            built.add(item.result)
    return built


def write_streamed(built: StreamedBuild, spool: Spool, catalogue: Catalogue, out: Path) -> None:
    """claims.jsonl and graph.json of a streamed build; counts the entity nodes and links."""
    node_texts, link_texts = built.entities.texts(catalogue)
    built._entity_nodes = len(node_texts)
    built.tally.relationships += len(link_texts)
    write_build_files(spool, node_texts, link_texts, out)
