"""The RDF subjects of a graph.json read as it streams: never the whole graph in memory.

:func:`kg.sinks.rdf.subjects.rdf_subjects` takes a networkx graph, which holds every node and
edge of a build (about 150 KB per article). Here the same subjects, in the same order, come
from the file: graph.json as kg writes it lists its nodes sorted by id, as the export orders
them. A first pass notes the node ids and each edge as its owner's link (ASSERTS from the
claim's side) in a SQLite file in a temporary folder; the second reads the nodes again and
their links sorted by owner, in step. What stays in memory: each article's language (claims'
evidence is tagged with it), the outlets and extractions the nodes name, and a bounded cache
of IRIs. A file not in kg's order, or with an edge to a node it does not list, is exported
from the whole graph instead (:func:`kg.sinks.rdf.writer.write_rdf_file`).
"""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from contextlib import closing
from functools import lru_cache
from pathlib import Path

from pyoxigraph import NamedNode

from kg.graph import schema
from kg.sinks.files import iter_section
from kg.sinks.rdf.subjects import Nodes, extras, subjects_of_nodes
from kg.sinks.rdf.terms import Subject, check_base, iri, language_tag
from kg.sinks.rdf.vocabulary import DEFAULT_BASE

IRI_CACHE = 200_000  # IRIs of the nodes linked most often (entities) are made once
BATCH = 10_000


class NotSorted(ValueError):
    """The file cannot be read as it streams: its nodes are not sorted by id, or an edge
    names a node it does not list (networkx adds such a node bare). Read it whole instead."""


def file_subjects(graph_file: Path, base: str = DEFAULT_BASE, *, tally: list[int] | None = None) -> Iterator[Subject]:
    """Every subject of the export of a graph.json, as :func:`rdf_subjects` makes them of the
    graph it holds; ``tally[0]`` counts the claims. Raises :class:`NotSorted`, before the
    first subject, for a file that cannot be read so."""
    check_base(base)
    node_iri = lru_cache(maxsize=IRI_CACHE)(lambda node_id: NamedNode(iri(node_id, base)))
    outlets: set[str] = set()
    extractions: set[tuple[str, str]] = set()
    with tempfile.TemporaryDirectory(prefix="kg-rdf-") as folder, closing(sqlite3.connect(Path(folder) / "links.sqlite")) as db:
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA synchronous = OFF")
        article_lang = _store_nodes(db, graph_file)
        _store_links(db, graph_file)
        links_of = _links_in_step(db, node_iri)
        yield from subjects_of_nodes(_nodes(graph_file, tally), links_of, node_iri, article_lang, base, outlets, extractions)
    yield from extras(outlets, extractions, base, node_iri)


def _store_nodes(db: sqlite3.Connection, graph_file: Path) -> dict:
    """Note each node's id (checking they come sorted); each article's language."""
    db.execute("CREATE TABLE nodes (id TEXT PRIMARY KEY) WITHOUT ROWID")
    article_lang, batch, last = {}, [], None
    for node in iter_section(graph_file, "nodes"):
        node_id = node["id"]
        if last is not None and node_id <= last:
            raise NotSorted(f"{graph_file}: node {node_id!r} comes after {last!r}")
        last = node_id
        batch.append((node_id,))
        if node.get("label") == schema.ARTICLE:
            article_lang[node_id] = language_tag(node.get("lang"))
        if len(batch) >= BATCH:
            db.executemany("INSERT INTO nodes VALUES (?)", batch)
            batch.clear()
    db.executemany("INSERT INTO nodes VALUES (?)", batch)
    return article_lang


def _nodes(graph_file: Path, tally: list[int] | None) -> Nodes:
    for node in iter_section(graph_file, "nodes"):
        if tally is not None and node.get("label") == schema.CLAIM:
            tally[0] += 1
        yield node.pop("id"), node


def _store_links(db: sqlite3.Connection, graph_file: Path) -> None:
    """Each edge as (owner, relationship, other node): ASSERTS is its claim's, the rest their
    source's; an edge to or from a node the file does not list raises :class:`NotSorted`."""
    db.execute("CREATE TABLE links (owner TEXT NOT NULL, kind TEXT NOT NULL, other TEXT NOT NULL)")
    rows: list[tuple[str, str, str]] = []
    for edge in iter_section(graph_file, "edges"):
        kind = str(edge.get("type", edge.get("key")))
        source, target = edge["source"], edge["target"]
        rows.append((target, kind, source) if kind == schema.ASSERTS else (source, kind, target))
        if len(rows) >= BATCH:
            db.executemany("INSERT INTO links VALUES (?, ?, ?)", rows)
            rows.clear()
    db.executemany("INSERT INTO links VALUES (?, ?, ?)", rows)
    db.execute("CREATE INDEX links_order ON links (owner, kind, other)")
    db.commit()
    dangling = db.execute(
        "SELECT owner, other FROM links WHERE owner NOT IN (SELECT id FROM nodes) OR other NOT IN (SELECT id FROM nodes) LIMIT 1"
    ).fetchone()
    if dangling:
        raise NotSorted(f"{graph_file}: an edge between {dangling[0]!r} and {dangling[1]!r} names a node the file does not list")


def _links_in_step(db: sqlite3.Connection, node_iri: Callable[[str], NamedNode]) -> Callable[[str], dict]:
    """A function giving a node's links (relationship → sorted IRIs), to be asked for the
    nodes in increasing id order, as the owners come out of the table."""
    rows = db.execute("SELECT owner, kind, other FROM links ORDER BY owner, kind, other")
    pending = [next(rows, None)]
    no_links: dict = {}

    def links_of(node_id: str) -> dict:
        row = pending[0]
        while row is not None and row[0] < node_id:  # (none: every owner is a node, checked)
            row = next(rows, None)
        found: dict[str, list[NamedNode]] = {}
        while row is not None and row[0] == node_id:
            found.setdefault(row[1], []).append(node_iri(row[2]))
            row = next(rows, None)
        pending[0] = row
        return found or no_links

    return links_of
