"""The build files as per-article pieces, so a rebuild rewrites them without rebuilding them.

``graph.json`` is the node-link document of :func:`kg.graph.build_graph`, written with sorted
keys, one-space indentation, nodes sorted by id and edges by (source, target, key); and
``claims.jsonl`` holds the claim records sorted by (file, evidence start, holder, target).
Every node and edge of an article (the article, its claims, the relationships they own)
and every claim line depends on that article alone, so each is serialised once, when the
article is extracted, and stored with its sort key. Only the entity nodes and their
catalogue links depend on all articles together (an entity is in the graph if any article
names it); they are a few hundred, recomputed on each write from each article's entity
names.

Writing the files is then a merge of sorted streams, byte-identical to what ``kg build``
writes for the same articles (the tests check this), at the cost of copying text.
"""

from __future__ import annotations

import heapq
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from kg import graph as kg_graph
from kg.extract import Catalogue
from kg.graph import schema
from kg.model import ArticleExtraction
from kg.sinks.files import claim_line

_ENTITY_LINKS = frozenset((schema.MADE_BY, schema.AFFILIATED_WITH))
_PREFIX = "  "  # nodes and edges sit two levels deep in graph.json (indent=1)


@dataclass(frozen=True)
class Fragments:
    """One article's share of the build files."""

    nodes: list[tuple[str, str]]  # (node id, JSON text): the article and its claims
    edges: list[tuple[str, str, str, str]]  # (source, target, key, JSON text): see edge_rows
    claims: list[tuple[str, int, str, str, int, str]]  # (file, start, holder, target, n, JSON line)
    entities: dict[str, str]  # entity name → the label the article gives it


def article_fragments(extraction: ArticleExtraction, catalogue: Catalogue) -> Fragments:
    """Serialise one article's nodes, edges and claim lines exactly as the whole build would."""
    nodes: dict[str, dict[str, object]] = {}
    edges: set[tuple[str, str, str]] = set()
    kg_graph.add_article(extraction, catalogue, nodes, edges)  # the build's own code, one article
    own = [(node_id, node_text(node_id, attrs)) for node_id, attrs in sorted(nodes.items()) if not _is_entity(node_id)]
    entities = {attrs["name"]: attrs["label"] for node_id, attrs in nodes.items() if _is_entity(node_id)}
    claims = [
        (c.article_file, c.evidence_start, c.holder, c.target, n, claim_line(c))
        for n, c in enumerate(extraction.claims)
    ]
    return Fragments(own, edge_rows(edges), claims, entities)


def edge_rows(edges: Iterable[tuple[str, str, str]]) -> list[tuple[str, str, str, str]]:
    """An article's relationships as stored: (source, target, key) of the first edge of a
    run and the text of the run. The relationships leaving one claim (or the article) are
    all of graph.json's edges with that source, so they stay together in the file's order
    and are stored as one run; ASSERTS edges leave an entity, among other articles' edges,
    so each is a run of its own.

    >>> [(s, t, k, text.count('"key"')) for s, t, k, text in edge_rows(
    ...     [("claim:1", "entity:a", "ABOUT"), ("claim:1", "article:1", "EVIDENCED_BY"), ("entity:b", "claim:1", "ASSERTS")])]
    [('claim:1', 'article:1', 'EVIDENCED_BY', 2), ('entity:b', 'claim:1', 'ASSERTS', 1)]
    """
    runs: dict[tuple[str, ...], list[tuple[str, str, str]]] = {}
    for edge in sorted(edges):
        source = edge[0]
        runs.setdefault((source,) if not _is_entity(source) else edge, []).append(edge)
    return [(*run[0], ",\n".join(edge_text(*edge) for edge in run)) for run in runs.values()]


def entity_part(
    entities_by_article: Iterable[dict[str, str]], catalogue: Catalogue
) -> tuple[list[tuple[str, str]], list[tuple[str, str, str]]]:
    """The entity nodes and their catalogue links, from each article's entity names in article
    id order (the first article to name an entity outside the catalogue gives its label), as
    (id, text) and (source, target, key), sorted."""
    nodes: dict[str, dict[str, object]] = {}
    edges: set[tuple[str, str, str]] = set()
    for entities in entities_by_article:
        for name, label in entities.items():
            kg_graph.add_entity(name, label, catalogue, nodes)
    for name in sorted({attrs["name"] for attrs in nodes.values()}):
        kg_graph.add_catalogue_links(name, catalogue, nodes, edges)
    return [(node_id, node_text(node_id, nodes[node_id])) for node_id in sorted(nodes)], sorted(edges)


def entity_documents(
    entities_by_article: Iterable[dict[str, str]], catalogue: Catalogue
) -> tuple[dict[str, dict], list[dict[str, str]]]:
    """The entity nodes and links as node-link dicts (for a partial graph document)."""
    node_texts, edges = entity_part(entities_by_article, catalogue)
    return {i: json.loads(text) for i, text in node_texts}, [edge_dict(*edge) for edge in edges]


def node_text(node_id: str, attrs: dict[str, object]) -> str:
    """A node as graph.json writes it (sorted keys, indent 1, two levels deep)."""
    return _nested(json.dumps({**attrs, "id": node_id}, ensure_ascii=False, sort_keys=True, indent=1))


def edge_dict(source: str, target: str, key: str) -> dict[str, str]:
    return {"key": key, "source": source, "target": target, "type": key}


def edge_text(source: str, target: str, key: str) -> str:
    """An edge as graph.json writes it, made by hand (millions of them: ~10x json.dumps's speed).

    >>> edge_text('entity:摩根"大通', "claim:1", "ASSERTS") == _nested(json.dumps(
    ...     edge_dict('entity:摩根"大通', "claim:1", "ASSERTS"), ensure_ascii=False, sort_keys=True, indent=1))
    True
    """
    key = _string(key)
    return f'  {{\n   "key": {key},\n   "source": {_string(source)},\n   "target": {_string(target)},\n   "type": {key}\n  }}'


_string = json.encoder.encode_basestring  # json.dumps's own string encoder with ensure_ascii=False


def _nested(text: str) -> str:
    return _PREFIX + text.replace("\n", "\n" + _PREFIX)


def _is_entity(node_id: str) -> bool:
    return node_id.startswith("entity:")


def merge_batches(batches: Iterable[list], extra: list, key: Callable) -> Iterator[list]:
    """Batches of a sorted stream with a few more sorted items merged in: only the batches
    an extra item falls into are merged item by item, the others pass through whole.

    >>> list(merge_batches([[1, 3], [5, 7]], [0, 4, 9], key=lambda x: x))
    [[0, 1, 3], [4, 5, 7], [9]]
    """
    taken = 0
    for batch in batches:
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
