"""A build's graph.json as the rows a load writes (:func:`plan`): nodes by kind, each with
the relationships it owns and the hash of all that.

Every relationship has one owner node (:func:`owner_side`: a Claim owns all of its
relationships, an Article its MENTIONS, an entity its outgoing links to other entities),
and a node's hash covers its labels, its properties and the relationships it owns, so a
load skips every node whose hash the database already holds. A node of a part kind
(``schema.PARTS``: a claim's Actions) belongs to its owner whole: it is one of the owner's
``parts``, in the owner's hash, and written, replaced and deleted with it. The document is checked
against :mod:`kg.graph.schema` as it is read: an unknown label or relationship type, or a
relationship between the wrong kinds of node, is a :class:`~kg.sinks.neo4j.errors.LoadError`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from kg.graph import schema
from kg.sinks.neo4j.errors import LoadError

# Bump when the mapping from graph.json to Neo4j changes: every node's hash changes with it,
# so the next load rewrites everything once.
LOADER_VERSION = "kg-neo4j/1"


@dataclass
class NodeRow:
    id: str
    kind: str  # Article, Claim or Entity
    label: str  # the graph label (an entity's type; the kind for articles and claims)
    props: dict[str, Any]
    owned: list[tuple[str, str, str]] = field(default_factory=list)  # (type, source id, target id)
    parts: list[NodeRow] = field(default_factory=list)  # nodes that are part of this one (a claim's actions)
    _hash: str | None = field(default=None, repr=False)

    @property
    def hash(self) -> str:
        """The hash of its labels, properties, owned relationships and parts, made when first
        asked for: a first load makes it as each batch is written, while the server works on
        the one before (hashing is a third of the client's work)."""
        if self._hash is None:
            self._hash = _hash(self)
        return self._hash

    def write_props(self) -> dict[str, Any]:
        """The properties as written to Neo4j: the build's, ``day`` (the date as a Neo4j DATE,
        for date arithmetic) and, for a node with a hash of its own, ``kg_hash``."""
        props = self.statement_props()
        day = _day(self)
        if day is not None:
            props["day"] = day
        return props

    def statement_props(self) -> dict[str, Any]:
        """:meth:`write_props` but ``day``, which kg load's statements set from
        :meth:`day_text`."""
        props = dict(self.props)
        if self.kind not in schema.PARTS:
            props[schema.LOAD_HASH] = self.hash
        return props

    def day_text(self) -> str | None:
        """``day`` as ISO text (``YYYY-MM-DD``), for a statement to make a DATE of: the driver
        packs each Python date through a call back into Python, which cost a first load of
        60,000 claims ~0.2 s of the client's CPU (a third of packing its rows)."""
        day = _day(self)
        return None if day is None else day.isoformat()


@dataclass
class Plan:
    """The build as rows for Neo4j: nodes by kind, each with the relationships it owns."""

    nodes: dict[str, dict[str, NodeRow]]  # kind → id → row
    edges: int
    kinds: dict[str, str] = field(default_factory=dict)  # id → kind, for every node

    @property
    def claims(self) -> dict[str, NodeRow]:
        return self.nodes[schema.CLAIM]

    @property
    def articles(self) -> dict[str, NodeRow]:
        return self.nodes[schema.ARTICLE]

    @property
    def entities(self) -> dict[str, NodeRow]:
        return self.nodes[schema.ENTITY]

    @property
    def actions(self) -> dict[str, NodeRow]:
        return self.nodes[schema.ACTION]


def read_document(path: Path) -> dict[str, Any]:
    """A build's graph.json as the plain node-link document (no networkx needed)."""
    document = json.loads(Path(path).read_bytes())  # UTF-8 (or with a BOM); a third faster than read_text
    if not isinstance(document, dict) or not isinstance(document.get("nodes"), list):
        raise LoadError(f"{path} is not a kg graph.json (no list of nodes)")
    if not isinstance(document.get("edges", document.get("links", [])), list):
        raise LoadError(f"{path} is not a kg graph.json (no list of edges)")
    return document


def plan(document: Mapping[str, Any]) -> Plan:
    """Turn a node-link document (graph.json) into the rows a load writes.

    Hashes are not made here (see :attr:`NodeRow.hash`); the document's ``nodes`` and
    ``edges`` are gone through once each, so they may be iterables read as they stream.
    """
    nodes: dict[str, dict[str, NodeRow]] = {kind: {} for kind in schema.NODE_KINDS}
    by_id: dict[str, NodeRow] = {}
    for raw in document["nodes"]:
        row = node_row(raw)
        if row.id in by_id:
            raise LoadError(f"node {row.id} appears twice")
        nodes[row.kind][row.id] = row
        by_id[row.id] = row
    edges = document.get("edges", document.get("links", []))
    endpoints = schema.ENDPOINTS
    source_owns = {rel_type: owner_side(rel_type) == "source" for rel_type in endpoints}
    part_of = {rel_type: kind for kind, (_, rel_type) in schema.PARTS.items()}  # STATES → Action
    seen: set[tuple[str, str, str]] = set()
    for raw in edges:
        kind = raw.get("type") or raw.get("key")
        source, target = raw.get("source"), raw.get("target")
        edge = (kind, source, target)
        if edge in seen:
            continue
        if kind not in endpoints:
            raise LoadError(f"relationship {source} → {target}: unknown type {kind!r}")
        source_row, target_row = by_id.get(source), by_id.get(target)
        if source_row is None or target_row is None:
            raise LoadError(f"relationship {kind} {source} → {target} points at a node that is not in the graph")
        if (source_row.kind, target_row.kind) != endpoints[kind]:
            raise LoadError(
                f"relationship {kind} {source} → {target} connects {source_row.kind} → {target_row.kind}; "
                f"kg.graph.schema says {endpoints[kind][0]} → {endpoints[kind][1]}"
            )
        seen.add(edge)
        (source_row if source_owns[kind] else target_row).owned.append(edge)
        if part_of.get(kind) == target_row.kind:
            source_row.parts.append(target_row)
    _check_parts(nodes)
    for row in by_id.values():
        if len(row.owned) > 1:
            row.owned.sort()
        if len(row.parts) > 1:
            row.parts.sort(key=lambda part: part.id)
    return Plan(nodes, len(seen), {node_id: row.kind for node_id, row in by_id.items()})


def node_row(raw: Mapping[str, Any]) -> NodeRow:
    """One node of graph.json as a row, its properties checked; nothing it owns yet."""
    node_id, label = raw.get("id"), raw.get("label")
    if not isinstance(node_id, str) or not node_id:
        raise LoadError(f"a node has no string id: {str(raw)[:120]}")
    try:
        kind = schema.node_kind(label)
    except ValueError as error:
        raise LoadError(f"node {node_id}: {error}") from None
    props = {key: value for key, value in raw.items() if value is not None and key != "label"}
    for key, value in props.items():
        if type(value) is not str:
            props[key] = _property(node_id, key, value)
    return NodeRow(node_id, kind, label, props)


def _check_parts(nodes: dict[str, dict[str, NodeRow]]) -> None:
    """Every node of a part kind is part of exactly one owner."""
    owners: dict[str, str] = {}
    for rows in nodes.values():
        for row in rows.values():
            for part in row.parts:
                if owners.setdefault(part.id, row.id) != row.id:
                    raise LoadError(f"node {part.id} is part of two nodes: {owners[part.id]} and {row.id}")
    for kind, (owner, rel_type) in schema.PARTS.items():
        for node_id in nodes[kind]:
            if node_id not in owners:
                raise LoadError(f"node {node_id} ({kind}) is part of no {owner}: it needs a {rel_type} relationship")


def owner_side(rel_type: str) -> str:
    """Which end owns a relationship ("source" or "target"): a Claim owns all of its
    relationships, an Article its MENTIONS, an entity its outgoing links to entities.

    >>> owner_side("ASSERTS"), owner_side("MENTIONS"), owner_side("MADE_BY")
    ('target', 'source', 'source')
    """
    source, target = schema.ENDPOINTS[rel_type]
    for kind in (schema.CLAIM, schema.ARTICLE):
        if source == kind:
            return "source"
        if target == kind:
            return "target"
    return "source"


def owned_types(kind: str) -> tuple[list[str], list[str]]:
    """The relationship types a node of this kind owns: (outgoing, incoming)."""
    outgoing = [t for t in schema.RELATIONSHIPS if owner_side(t) == "source" and schema.ENDPOINTS[t][0] == kind]
    incoming = [t for t in schema.RELATIONSHIPS if owner_side(t) == "target" and schema.ENDPOINTS[t][1] == kind]
    return outgoing, incoming


def _property(node_id: str, key: str, value: Any) -> Any:
    if isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, list) and all(isinstance(v, (str, bool, int, float)) for v in value):
        if len({type(v) for v in value}) > 1:
            raise LoadError(f"node {node_id}: property {key!r} mixes types in one list")
        return value
    raise LoadError(f"node {node_id}: property {key!r} is not a string, number, boolean or list of them")


# json.dumps(content, sort_keys=True, ensure_ascii=False), the same text, without json.dumps
# making an encoder for each node (a seventh of hashing a first load's claims)
_CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False)


def _hash(row: NodeRow) -> str:
    labels = [row.kind] if row.kind == row.label else [row.kind, row.label]
    content = [LOADER_VERSION, labels, row.props, row.owned]
    if row.parts:
        content.append([[part.id, part.props] for part in row.parts])
    text = _CANONICAL.encode(content)
    return hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()


_DATE_OF = {schema.ARTICLE: "date", schema.CLAIM: "article_date", schema.ACTION: "date"}


def _day(row: NodeRow) -> date | None:
    """Articles, claims and actions also get ``day``: their date as a Neo4j DATE. It is not
    in the hash (it only restates the date)."""
    source = _DATE_OF.get(row.kind)
    text = row.props.get(source) if source else None
    if isinstance(text, str):
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            return None
    return None
