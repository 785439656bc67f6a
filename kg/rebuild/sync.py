"""The Neo4j stage of a rebuild (:func:`sync_neo4j`): load only the articles whose digest
Neo4j does not hold yet, with the claims and entities hanging on them; an article deleted
from the sources makes it a pruning load of the whole graph.

What Neo4j holds is recorded in the store after each load, so nothing to sync means no
connection at all, and a failed sync is retried by the next run.
"""

from __future__ import annotations

import json

from kg.rebuild.config import Config
from kg.rebuild.edits import entity_texts
from kg.rebuild.fragments import unpack
from kg.rebuild.reading import Reading
from kg.rebuild.report import RunReport
from kg.rebuild.state import Neo4jRow, Store
from kg.sinks.files import GRAPH_FILE, stream_document
from kg.sinks.pieces import article_pieces


def neo4j_changes(store: Store, reading: Reading) -> tuple[list[str], list[Neo4jRow]]:
    """(current articles Neo4j lacks or holds with another digest, articles it holds that are gone)."""
    held = store.neo4j_rows()
    pending = [i for i, a in reading.current.items() if i not in held or held[i].digest != a.digest]
    gone = [row for i, row in held.items() if i not in reading.current]
    return pending, gone


def sync_neo4j(config: Config, store: Store, reading: Reading, catalogue, report: RunReport, *, full: bool) -> None:
    """Load the changed articles (or, when articles were deleted, the whole graph with
    pruning) and record what Neo4j now holds. Failures are reported, never raised."""
    from kg.sinks.neo4j import (
        LoadError,
        Neo4jConnectionError,
        Neo4jLoader,
        Neo4jUsageError,
        connect,
    )

    pending, gone = neo4j_changes(store, reading)
    articles = neo4j_articles(reading, pending)
    prune = full or not all(_covered(row, reading, articles) for row in gone)
    if prune:
        articles = set(reading.current)
    settings = config.neo4j.settings()
    whole = prune or len(articles) == len(reading.current)
    mode = "full" if prune else "all" if whole else "incremental"
    report.neo4j = {
        "sync": True, "mode": mode, "target": settings.where(),
        "articles": len(articles), "pending": len(pending), "transactions": 0,
    }  # fmt: skip
    try:
        driver = connect(settings)
    except (Neo4jConnectionError, Neo4jUsageError) as error:
        report.neo4j["mode"] = "failed"
        report.fail("neo4j", settings.where(), str(error))
        return
    try:
        document = stream_document(config.output / GRAPH_FILE) if whole else partial_document(store, articles, catalogue)
        load = Neo4jLoader(driver, settings.database).load(document, prune=prune)
    except LoadError as error:
        report.neo4j["mode"] = "failed"
        if error.report is not None:
            report.neo4j.update(error.report.to_dict())
        report.fail("neo4j", settings.where(), str(error))
        return
    finally:
        driver.close()
    report.neo4j.update(load.to_dict())
    loaded = [Neo4jRow(i, reading.current[i].digest, reading.current[i].path, reading.current[i].url) for i in sorted(articles)]
    store.record_neo4j(loaded, [row.id for row in gone], replace_all=prune)


def neo4j_articles(reading: Reading, pending: list[str]) -> set[str]:
    """The articles to send: the pending ones and every current article sharing a file or
    URL with one of them. (The loader treats an article of the same file or URL that is not
    in what it is given as an older version and deletes it: a JSON Lines file's other
    articles must come along, unchanged, so they are skipped, not removed.)"""
    paths = {reading.current[i].path for i in pending}
    urls = {reading.current[i].url for i in pending} - {None}
    return set(pending) | {i for i, a in reading.current.items() if a.path in paths or (a.url and a.url in urls)}


def _covered(row: Neo4jRow, reading: Reading, articles: set[str]) -> bool:
    """Whether the loader removes this gone article by itself: it does for an older version
    of an article it is given (same file or same URL)."""
    return any(reading.current[i].path == row.path or (row.url and reading.current[i].url == row.url) for i in articles)


def partial_document(store: Store, articles: set[str], catalogue) -> dict:
    """The part of graph.json a load of ``articles`` needs: the articles, their claims, the
    relationships these own, and the entities they reach with each entity's own links (so
    every node's load hash is the one the whole graph gives it: unchanged nodes are skipped)."""
    nodes: list[dict] = []
    edges: list[dict] = []
    for _, pos, blob in store.extractions(articles):
        pieces = article_pieces(unpack(blob), catalogue, pos)
        nodes += [json.loads(text) for _, text in pieces.nodes]
        edges += [edge for _, text in pieces.edges for edge in json.loads(b"[" + text + b"]")]
    node_texts, link_texts = entity_texts(store, catalogue)
    entity_nodes = {node_id: json.loads(text) for node_id, text in node_texts}
    entity_links = [json.loads(text) for _, text in link_texts]
    needed = {end for edge in edges for end in (edge["source"], edge["target"]) if end in entity_nodes}
    links: list[dict] = []
    todo = sorted(needed)
    while todo:
        name = todo.pop()
        for link in (link for link in entity_links if link["source"] == name):
            links.append(link)
            if link["target"] not in needed:
                needed.add(link["target"])
                todo.append(link["target"])
    nodes += [entity_nodes[node_id] for node_id in sorted(needed)]
    return {"directed": True, "multigraph": True, "graph": {}, "nodes": nodes, "edges": edges + links}
