"""Sinks: where the claim graph goes (files, HTML views, Neo4j, RDF)."""
