"""The graph stage: claims, their analyst actions, articles and entities as one networkx
MultiDiGraph (the names are :mod:`kg.graph.schema`'s).

>>> graph = build_graph([], Catalogue([]))
>>> graph.number_of_nodes()
0
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from kg.extract.catalogue import Catalogue
from kg.graph import schema
from kg.graph.schema import entity_id
from kg.model import ArticleExtraction, Entity

if TYPE_CHECKING:
    import networkx as nx  # ~0.2 s to import: paid only where a graph object is made

__all__ = ["build_graph", "add_article", "add_entity", "add_discovered", "add_catalogue_links", "schema", "entity_id"]


def build_graph(extractions: Iterable[ArticleExtraction], catalogue: Catalogue) -> nx.MultiDiGraph:
    """Build the claim graph. Nodes and edges are added in sorted order, so the same
    input always gives the same graph, down to the order of its JSON export."""
    import networkx as nx

    extractions = sorted(extractions, key=lambda e: e.article.id)
    nodes: dict[str, dict[str, object]] = {}
    edges: set[tuple[str, str, str]] = set()
    for extraction in extractions:
        add_article(extraction, catalogue, nodes, edges)
    for name in sorted({nodes[n]["name"] for n in nodes if n.startswith("entity:")}):
        add_catalogue_links(name, catalogue, nodes, edges)
    graph = nx.MultiDiGraph()
    for node in sorted(nodes):
        graph.add_node(node, **nodes[node])
    for source, target, kind in sorted(edges):
        graph.add_edge(source, target, key=kind, type=kind)
    return graph


def add_article(extraction: ArticleExtraction, catalogue, nodes, edges) -> None:
    """Add one article's node, claims and links to ``nodes`` and ``edges`` (also used by
    kg rebuild to make one article's share of the graph)."""
    article = extraction.article
    nodes[article.id] = {
        "label": schema.ARTICLE,
        "title": article.title,
        "date": article.date,
        "url": article.url,
        "lang": article.lang,
        "outlet": article.outlet,
        "file": article.path,
    }
    for entity in extraction.discovered:
        add_discovered(entity, catalogue, nodes, edges)
    for name in extraction.mentioned:
        edges.add((article.id, add_entity(name, None, catalogue, nodes), schema.MENTIONS))
    for claim in extraction.claims:
        record = claim.to_record()
        del record["actions"]  # nodes of their own, below
        nodes[claim.id] = {"label": schema.CLAIM, **record}
        holder = add_entity(claim.holder, claim.holder_type, catalogue, nodes)
        target = add_entity(claim.target, claim.target_type, catalogue, nodes)
        edges.add((holder, claim.id, schema.ASSERTS))
        edges.add((claim.id, target, schema.ABOUT))
        edges.add((claim.id, article.id, schema.EVIDENCED_BY))
        if claim.topic and claim.topic in catalogue:
            edges.add((claim.id, add_entity(claim.topic, None, catalogue, nodes), schema.CONCERNS))
        for index, action in enumerate(claim.actions):
            node = schema.action_id(claim.id, index)
            nodes[node] = {"label": schema.ACTION, **action.to_record(), "date": claim.article_date}
            edges.add((claim.id, node, schema.STATES))


def add_entity(name: str, fallback_type: str | None, catalogue: Catalogue, nodes) -> str:
    node = entity_id(name)
    if node not in nodes:
        entity = catalogue.get(name)
        nodes[node] = {
            "label": entity.type if entity else (fallback_type or "Sector"),
            "name": name,
            "aliases": list(entity.aliases) if entity else [],
            "tickers": list(entity.tickers) if entity else [],
        }
    return node


def add_discovered(entity: Entity, catalogue: Catalogue, nodes, edges) -> None:
    """A name the catalogue lacks, recognised in an article: a node marked ``discovered``,
    with the firm an analyst works for. A catalogue entry of that name later takes it over
    (the next build finds the name in the catalogue, so the node is the catalogue's)."""
    if entity.name in catalogue:
        return
    node = entity_id(entity.name)
    if node not in nodes:
        nodes[node] = {
            "label": entity.type,
            "name": entity.name,
            "aliases": list(entity.aliases),
            "tickers": list(entity.tickers),
            "discovered": True,
        }
    if entity.affiliation:
        edges.add((node, add_entity(entity.affiliation, "Institution", catalogue, nodes), schema.AFFILIATED_WITH))


def add_catalogue_links(name: str, catalogue: Catalogue, nodes, edges) -> None:
    entity = catalogue.get(name)
    if entity is None:
        return
    if entity.parent:
        edges.add((entity_id(name), add_entity(entity.parent, None, catalogue, nodes), schema.MADE_BY))
    if entity.affiliation:
        edges.add((entity_id(name), add_entity(entity.affiliation, None, catalogue, nodes), schema.AFFILIATED_WITH))
