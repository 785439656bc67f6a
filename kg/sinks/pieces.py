"""The build files as per-article pieces, so they can be written as articles stream by.

``graph.json`` is the node-link document of :func:`kg.graph.build_graph`, written with sorted
keys, one-space indentation, nodes sorted by id and edges by (source, target, key); and
``claims.jsonl`` holds the claim records sorted by (file, evidence start, holder, target),
ties in reading order. Every node and edge an article owns (the article, its claims, the
relationships they own) and every claim line depends on that article alone, so each is
serialised once, as the article is extracted (in a worker process, for ``kg build
--workers``), with a key that sorts as the file does. Only the entity nodes and the links
between entities depend on all articles together (an entity is in the graph if any article
names it, with the attributes the first article by id gives it); they are a few hundred,
made at the end from each article's :attr:`ArticlePieces.entities` (:func:`entity_part`).

Writing the files is then a sort of the pieces by key (:mod:`kg.sinks.spool`) merged
with the entity part: byte-identical to writing the whole graph at once (tests check it).
"""

from __future__ import annotations

import heapq
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from kg import graph as kg_graph
from kg.extract import Catalogue
from kg.graph import schema
from kg.model import ArticleExtraction, Claim
from kg.sinks.jsontext import indented, nested

ENTITY_IDS = "entity:"  # kg.graph.schema.entity_id's prefix: the nodes articles share
SEP = "\x00"  # between the parts of a sort key: sorts before any character of a name


@dataclass(frozen=True)
class ClaimPiece:
    """One claim's line of claims.jsonl, and what a page needs to pick it."""

    key: str  # claims.jsonl's sort key (:func:`claim_key`)
    line: bytes  # the JSON line, without its newline
    holder: str  # holder and target node ids
    target: str
    stance: str
    order: str  # the page's order of a link's claims: date, article, evidence start


@dataclass(frozen=True)
class ArticlePieces:
    """One article's share of the build files, serialised."""

    article_id: str
    nodes: list[tuple[str, bytes]]  # (node id, text): the article, its claims
    edges: list[tuple[str, bytes]]  # (sort key of the run, text of the run): see edge_runs
    claims: list[ClaimPiece]
    entities: list[tuple[str, dict]]  # (node id, attributes) of each entity it names, as it first adds it
    links: list[tuple[str, str, str]]  # relationships between entities it gives (a discovered analyst's firm)
    article: dict  # the article node's attributes
    relationships: int  # how many relationships its edges hold (links between entities apart)


def article_pieces(extraction: ArticleExtraction, catalogue: Catalogue, pos: int = 0) -> ArticlePieces:
    """Serialise one article's nodes, edges and claim lines exactly as the whole build would.
    ``pos`` is the article's place in its file (JSON Lines): claims.jsonl's last tie-breaker."""
    nodes: dict[str, dict[str, object]] = {}
    edges: set[tuple[str, str, str]] = set()
    kg_graph.add_article(extraction, catalogue, nodes, edges)  # the build's own code, one article
    own = [(node_id, node_text(node_id, attrs).encode()) for node_id, attrs in sorted(nodes.items()) if not _shared(node_id)]
    entities = [(node_id, attrs) for node_id, attrs in nodes.items() if _shared(node_id)]
    links = sorted(edge for edge in edges if _shared(edge[0]) and _shared(edge[1]))
    owned = [edge for edge in edges if not (_shared(edge[0]) and _shared(edge[1]))]
    claims = [claim_piece(claim, pos, n) for n, claim in enumerate(extraction.claims)]
    article = nodes[extraction.article.id]
    return ArticlePieces(extraction.article.id, own, edge_runs(owned), claims, entities, links, article, len(owned))


def claim_piece(claim: Claim, pos: int, n: int) -> ClaimPiece:
    line = json.dumps(claim.to_record(), ensure_ascii=False).encode()
    order = SEP.join((claim.article_date or "", claim.article_id, f"{claim.evidence_start:010d}"))
    holder, target = schema.entity_id(claim.holder), schema.entity_id(claim.target)
    return ClaimPiece(claim_key(claim, pos, n), line, holder, target, claim.stance, order)


def claim_key(claim: Claim, pos: int, n: int) -> str:
    """claims.jsonl's order as one string: file, evidence start, holder, target, then the
    article's place in its file and the claim's in the article (the order they were read).

    >>> from dataclasses import fields
    >>> a, b = (Claim(**{f.name: "" for f in fields(Claim)} | {"article_file": "f", "evidence_start": s,
    ...     "evidence_end": 0, "confidence": 0.0, "article_date": None, "topic": None}) for s in (9, 10))
    >>> claim_key(a, 0, 0) < claim_key(b, 0, 0)
    True
    """
    parts = (claim.article_file, f"{claim.evidence_start:010d}", claim.holder, claim.target, f"{pos:08d}", f"{n:05d}")
    return SEP.join(parts)


def edge_key(source: str, target: str, key: str) -> str:
    return SEP.join((source, target, key))


def edge_runs(edges: Iterable[tuple[str, str, str]]) -> list[tuple[str, bytes]]:
    """An article's relationships as pieces: the key of the first edge of a run and the text
    of the run. The relationships leaving one claim (or the article) are all of graph.json's
    edges with that source, so they stay together in the file's order and are one run;
    ASSERTS edges leave an entity, among other articles' edges, so each is a run of its own.

    >>> [(k.split(SEP), text.count(b'"key"')) for k, text in edge_runs(
    ...     [("claim:1", "entity:a", "ABOUT"), ("claim:1", "article:1", "EVIDENCED_BY"), ("entity:b", "claim:1", "ASSERTS")])]
    [(['claim:1'], 2), (['entity:b', 'claim:1', 'ASSERTS'], 1)]
    """
    # a run owns every edge of its source, so its source alone sorts it among the others
    return [(SEP.join(key), ",\n".join(edge_text(*edge) for edge in run).encode()) for key, run in _runs(edges).items()]


def _runs(edges: Iterable[tuple[str, str, str]]) -> dict[tuple[str, ...], list[tuple[str, str, str]]]:
    runs: dict[tuple[str, ...], list[tuple[str, str, str]]] = {}
    for edge in sorted(edges):
        runs.setdefault((edge[0],) if not _shared(edge[0]) else edge, []).append(edge)
    return runs


def article_keys(extraction: ArticleExtraction, catalogue: Catalogue) -> tuple[list[str], list[str]]:
    """The keys of the nodes and edges :func:`article_pieces` gives, without their texts:
    what taking an article out of the files needs (serialising is most of the cost)."""
    nodes: dict[str, dict[str, object]] = {}
    edges: set[tuple[str, str, str]] = set()
    kg_graph.add_article(extraction, catalogue, nodes, edges)
    owned = [edge for edge in edges if not (_shared(edge[0]) and _shared(edge[1]))]
    return [node_id for node_id in nodes if not _shared(node_id)], [SEP.join(key) for key in _runs(owned)]


# ---------------------------------------------------------------- the entity part


@dataclass
class EntityPart:
    """The entity nodes and the links between entities, gathered from every article's pieces."""

    first: dict[str, tuple[str, dict]]  # node id → (article id, attributes) of the first article by id
    links: set[tuple[str, str, str]]

    def __init__(self) -> None:
        self.first, self.links = {}, set()

    def add(self, pieces: ArticlePieces) -> None:
        for node_id, attrs in pieces.entities:
            known = self.first.get(node_id)
            if known is None or pieces.article_id < known[0]:
                self.first[node_id] = (pieces.article_id, attrs)
        self.links.update(pieces.links)

    def texts(self, catalogue: Catalogue) -> tuple[list[tuple[str, bytes]], list[tuple[str, bytes]]]:
        """(id, text) of each entity node and (key, text) of each link, sorted, as
        :func:`kg.graph.build_graph` makes them: catalogue links of every named entity added."""
        nodes = {node_id: dict(attrs) for node_id, (_, attrs) in self.first.items()}
        edges = set(self.links)
        for name in sorted({attrs["name"] for attrs in nodes.values()}):
            kg_graph.add_catalogue_links(name, catalogue, nodes, edges)
        node_texts = [(node_id, node_text(node_id, nodes[node_id]).encode()) for node_id in sorted(nodes)]
        return node_texts, [(edge_key(*edge), edge_text(*edge).encode()) for edge in sorted(edges)]


# ---------------------------------------------------------------- text


def node_text(node_id: str, attrs: dict[str, object]) -> str:
    """A node as graph.json writes it (sorted keys, indent 1, two levels deep)."""
    return nested(indented({**attrs, "id": node_id}, 0), 2)


def edge_text(source: str, target: str, key: str) -> str:
    """An edge as graph.json writes it, made by hand (millions of them: ~10x json.dumps's speed).

    >>> edge_text('entity:摩根"大通', "claim:1", "ASSERTS") == nested(json.dumps(
    ...     edge_dict('entity:摩根"大通', "claim:1", "ASSERTS"), ensure_ascii=False, sort_keys=True, indent=1), 2)
    True
    """
    key = _string(key)
    return f'  {{\n   "key": {key},\n   "source": {_string(source)},\n   "target": {_string(target)},\n   "type": {key}\n  }}'


def edge_dict(source: str, target: str, key: str) -> dict[str, str]:
    return {"key": key, "source": source, "target": target, "type": key}


_string = json.encoder.encode_basestring


def _shared(node_id: str) -> bool:
    return node_id.startswith(ENTITY_IDS)


# ---------------------------------------------------------------- assembling the files


def merge_batches(batches: Iterable[list], extra: list, key: Callable) -> Iterator[list]:
    """Batches of a sorted stream with a few more sorted items merged in: only the batches
    an extra item falls into are merged item by item, the others pass through whole.

    >>> list(merge_batches([[1, 3], [5, 7]], [0, 4, 9], key=lambda x: x))
    [[0, 1, 3], [4, 5, 7], [9]]
    """
    taken = 0
    for batch in batches:
        if not batch:
            continue
        last = key(batch[-1])
        end = taken
        while end < len(extra) and key(extra[end]) <= last:
            end += 1
        if end > taken:
            batch = list(heapq.merge(extra[taken:end], batch, key=key))
            taken = end
        yield batch
    if taken < len(extra):
        yield extra[taken:]


def graph_json_chunks(nodes: Iterable[list[bytes]], edges: Iterable[list[bytes]]) -> Iterator[bytes]:
    """graph.json's UTF-8 bytes, piece by piece, from batches of node and edge texts in order."""
    yield b'{\n "directed": true,\n "edges": '
    yield from _list(edges)
    yield b',\n "graph": {},\n "multigraph": true,\n "nodes": '
    yield from _list(nodes)
    yield b"\n}\n"


def _list(batches: Iterable[list[bytes]]) -> Iterator[bytes]:
    first = True
    for texts in batches:
        if texts:
            yield (b"[\n" if first else b",\n") + b",\n".join(texts)
            first = False
    yield b"[]" if first else b"\n ]"
