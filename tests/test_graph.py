"""The graph stage: names the catalogue lacks become nodes marked as discovered."""

from __future__ import annotations

from kg.extract import RuleExtractor, load_catalogue
from kg.extract.catalogue import Catalogue
from kg.graph import build_graph
from kg.model import Article, Entity


def extraction_of(body: str, catalogue: Catalogue):
    article = Article("article:g", "g.md", "t", "2025-03-01", "en", None, None, body, body)
    return RuleExtractor(catalogue).extract(article)


def test_a_firm_the_catalogue_lacks_is_a_node_marked_discovered():
    catalogue = load_catalogue()
    graph = build_graph([extraction_of("Northwind Research said Micron is undervalued.", catalogue)], catalogue)
    node = graph.nodes["entity:Northwind Research"]
    assert (node["label"], node["discovered"]) == ("Institution", True)


def test_a_discovered_analyst_is_affiliated_with_the_firm_named_with_them():
    catalogue = load_catalogue()
    body = "Northwind Research analyst Jane Roe said Micron is undervalued."
    graph = build_graph([extraction_of(body, catalogue)], catalogue)
    assert graph.has_edge("entity:Jane Roe", "entity:Northwind Research", key="AFFILIATED_WITH")


def test_a_catalogue_entry_takes_a_discovered_name_over():
    base = load_catalogue()
    catalogue = Catalogue([*base.entities.values(), Entity("Northwind Research", "Institution", ("Northwind Research",))])
    graph = build_graph([extraction_of("Northwind Research said Micron is undervalued.", catalogue)], catalogue)
    assert "discovered" not in graph.nodes["entity:Northwind Research"]
