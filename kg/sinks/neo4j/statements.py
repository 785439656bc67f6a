"""The Cypher a load writes with, and the rows each statement takes.

Two ways to write a node with what it owns (see :mod:`kg.sinks.neo4j.writer`):

- **new** (:func:`new_nodes`): nodes the database did not hold when the load read it. One
  statement for the rows of a batch that own as many relationships of each type (a claim:
  one holder, one target, one article) CREATEs each node with its properties, its
  relationships and its parts (a claim's actions): no lookup of the node by id, nothing to
  delete first, no subquery a row, one pass over the rows. The unique-id constraint still
  guards it: had another load created one of the nodes meanwhile, the batch fails whole and
  is written the changed way instead.
- **changed** (:func:`changed_nodes`): MERGE the node and ``SET n = $props`` (which takes
  its write lock), delete the relationships and parts it owns, CREATE them as the build has
  them. Under the owner's lock CREATE cannot duplicate a relationship, even with two loads
  at once, and it is about twice as fast as MERGE on a relationship.

Both check that every relationship was written (an end node missing from the database is
a :class:`~kg.sinks.neo4j.errors.LoadError`, and the transaction is rolled back). Labels and
relationship types come from :mod:`kg.graph.schema` through :func:`quote`; every value
travels as a parameter.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from kg.graph import schema
from kg.sinks.neo4j.errors import LoadError
from kg.sinks.neo4j.plan import NodeRow, Plan, owned_types
from kg.sinks.neo4j.schema import quote

Work = Callable[[Any], Any]  # a managed transaction's function


class Rows(list):
    """A statement's list parameter (rows or ids) that prints as its length. The driver
    formats every RUN's parameters for its debug log line even when nothing logs (``" ".join(
    map(repr, fields))``): for a batch of claims that repr took a tenth of the client's CPU
    in a first load. The driver packs a list subclass as the list it is."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"<{len(self)} rows>"


def statement_row(row: NodeRow) -> dict[str, Any]:
    """A node's properties as the statements take them: ``props`` and ``day`` (ISO text, or
    None: :meth:`~kg.sinks.neo4j.plan.NodeRow.day_text`), which :func:`set_day` makes a DATE."""
    return {"props": row.statement_props(), "day": row.day_text()}


def set_day(node: str, row: str) -> str:
    """The clause that follows ``SET node = row.props``: ``day`` as a DATE made from the
    row's text; a node without one keeps what its properties said (``date(null)`` is null)."""
    return f"SET {node}.day = coalesce(date({row}.day), {node}.day)"


# --------------------------------------------------------------------------- new nodes


@dataclass(frozen=True)
class Link:
    """One kind of relationship a node of some kind owns, as the new-nodes statement makes it."""

    key: str  # the row's field with the other ends' ids
    rel_type: str
    other_kind: str
    outgoing: bool  # (node)-[:rel_type]->(other), else (other)-[:rel_type]->(node)


@cache
def links_of(kind: str) -> tuple[Link, ...]:
    """The relationships a node of this kind owns, parts' excepted (they are made with the part)."""
    outgoing, incoming = owned_types(kind)
    part_types = {rel_type for owner, rel_type in schema.PARTS.values() if owner == kind}
    links = []
    for rel_type in sorted(set(outgoing + incoming) - part_types):
        source, target = schema.ENDPOINTS[rel_type]
        out = rel_type in outgoing
        links.append(Link(f"r{len(links)}", rel_type, target if out else source, out))
    return tuple(links)


@cache
def parts_of(kind: str) -> tuple[tuple[str, str], ...]:
    """(part kind, relationship type) of the parts a node of this kind has (a claim: Action, STATES)."""
    return tuple(sorted((part, rel_type) for part, (owner, rel_type) in schema.PARTS.items() if owner == kind))


@cache
def new_nodes_statement(kind: str) -> str:
    """CREATE a batch of new nodes of ``kind`` (Article or Claim: their label is their kind)
    with what they own, whatever their shape (:func:`shaped_statement` is faster for the
    shapes it takes), and count what was made of each relationship and part, so that a
    missing end node is noticed."""
    node = quote(kind)
    lines = ["UNWIND $rows AS row", f"CREATE (n:{node}) SET n += row.props {set_day('n', 'row')}", "WITH n, row"]
    counts = []
    for link in links_of(kind):
        lines.append(
            f"CALL (n, row) {{ UNWIND row.{link.key} AS other MATCH (o:{quote(link.other_kind)} {{id: other}}) "
            f"CREATE {_arrow(link, 'o')} RETURN count(*) AS {link.key} }}"
        )
        counts.append(link.key)
    for index, (part, rel_type) in enumerate(parts_of(kind)):
        key = f"p{index}"
        lines.append(
            f"CALL (n, row) {{ UNWIND row.{key} AS part CREATE (n)-[:{quote(rel_type)}]->(p:{quote(part)}) "
            f"SET p += part.props {set_day('p', 'part')} RETURN count(*) AS {key} }}"
        )
        counts.append(key)
    lines.append("RETURN " + ", ".join(f"sum({key}) AS {key}" for key in counts) if counts else "RETURN count(*) AS n")
    return "\n".join(lines)


@cache
def shaped_statement(kind: str, shape: tuple[int, ...]) -> str:
    """CREATE a batch of new nodes of ``kind`` that own the same number of relationships of
    each type (``shape``, one entry a link of :func:`links_of`: 0 none, 1 one, 2 more; at
    most one entry 2), without a subquery a row: the single ends are MATCHed first, the node
    and its relationships CREATEd in one pass, its parts by FOREACH, then the one list of
    ends UNWOUND. It returns one row a relationship of the list (a node a row without one):
    fewer means an end node is missing (its row was dropped by a MATCH)."""
    links = links_of(kind)
    lines = ["UNWIND $rows AS row"]
    for index, (link, count) in enumerate(zip(links, shape, strict=True)):
        if count == 1:
            lines.append(f"MATCH (o{index}:{quote(link.other_kind)} {{id: row.{link.key}[0]}})")
    lines.append(f"CREATE (n:{quote(kind)}) SET n = row.props {set_day('n', 'row')}")
    for index, (link, count) in enumerate(zip(links, shape, strict=True)):
        if count == 1:
            lines.append(f"CREATE {_arrow(link, f'o{index}')}")
    for index, (part, rel_type) in enumerate(parts_of(kind)):
        lines.append(
            f"FOREACH (part IN row.p{index} | CREATE (n)-[:{quote(rel_type)}]->(p:{quote(part)}) "
            f"SET p = part.props {set_day('p', 'part')})"
        )
    for link, count in zip(links, shape, strict=True):
        if count == 2:
            lines.append(f"WITH n, row UNWIND row.{link.key} AS other MATCH (o:{quote(link.other_kind)} {{id: other}})")
            lines.append(f"CREATE {_arrow(link, 'o')}")
    lines.append("RETURN count(*) AS n")
    return "\n".join(lines)


def _arrow(link: Link, other: str) -> str:
    rel = quote(link.rel_type)
    return f"(n)-[:{rel}]->({other})" if link.outgoing else f"({other})-[:{rel}]->(n)"


def new_nodes(kind: str, chunk: Sequence[NodeRow]) -> Work:
    """The transaction that writes a batch of new nodes: rows of one shape a statement
    (:func:`shaped_statement`; a node with more than one list of ends by
    :func:`new_nodes_statement`)."""
    links = links_of(kind)
    parts = parts_of(kind)
    key_of = {(link.rel_type, link.outgoing): link.key for link in links}
    by_shape: dict[tuple[int, ...] | None, Rows] = defaultdict(Rows)
    for row in chunk:
        record: dict[str, Any] = {**statement_row(row), **{link.key: [] for link in links}}
        for rel_type, source, target in row.owned:
            outgoing = source == row.id
            key = key_of.get((rel_type, outgoing))
            if key is not None:
                record[key].append(target if outgoing else source)
        for index, (part_kind, _) in enumerate(parts):
            record[f"p{index}"] = [statement_row(part) for part in row.parts if part.kind == part_kind]
        shape = tuple(min(len(record[link.key]), 2) for link in links)
        by_shape[shape if shape.count(2) <= 1 else None].append(record)
    batches = [(shape, by_shape[shape]) for shape in sorted(by_shape, key=lambda s: (s is None, s or ()))]

    def work(tx):
        for shape, rows in batches:
            if shape is None:
                _write_general(tx, kind, rows)
                continue
            lists = [link.key for link, count in zip(links, shape, strict=True) if count == 2]
            expected = sum(len(row[lists[0]]) for row in rows) if lists else len(rows)
            made = tx.run(shaped_statement(kind, shape), rows=rows).single()["n"]
            if made != expected:
                raise LoadError(missing_ends(kind))

    return work


def _write_general(tx, kind: str, rows: Rows) -> None:
    made = tx.run(new_nodes_statement(kind), rows=rows).single()
    keys = [link.key for link in links_of(kind)] + [f"p{index}" for index in range(len(parts_of(kind)))]
    missing = sum(sum(len(row[key]) for row in rows) - (made[key] or 0) for key in keys)
    if missing:
        raise LoadError(missing_ends(kind))


def missing_ends(kind: str) -> str:
    """The error of a batch that could not write every relationship (the transaction is rolled back)."""
    return f"a batch of {kind} nodes could not be written: an end node of their relationships is missing from the database"


def in_write_order(kind: str, rows: Sequence[NodeRow]) -> list[NodeRow]:
    """Claims ordered by their article (then id), so that the batches written at once touch
    different articles: a relationship takes a lock on each end that is not a dense node
    (Neo4j's dense-node handling starts at 50 relationships, and an article has about 35
    claims), so batches with the same articles wait for each other, or deadlock and retry.
    Nodes of other kinds keep their order."""
    if kind != schema.CLAIM:
        return list(rows)

    def article(row: NodeRow) -> tuple[str, str]:
        return next((target for rel_type, _, target in row.owned if rel_type == schema.EVIDENCED_BY), ""), row.id

    return sorted(rows, key=article)


RELATIONSHIPS_PER_NODE = 4  # a batch of N nodes holds at most 4·N relationships (a claim owns 3 or 4)


def write_batches(kind: str, rows: Sequence[NodeRow], batch_size: int) -> Iterator[list[NodeRow]]:
    """The batches the nodes are written in (:func:`in_write_order`): at most ``batch_size``
    nodes, and at most ``RELATIONSHIPS_PER_NODE`` × ``batch_size`` relationships, so that
    nodes with many (an article's ~40 MENTIONS) come in more batches than one, which the
    writers share."""
    most = batch_size * RELATIONSHIPS_PER_NODE
    batch: list[NodeRow] = []
    weight = 0
    for row in in_write_order(kind, rows):
        owns = len(row.owned)
        if batch and (len(batch) == batch_size or weight + owns > most):
            yield batch
            batch, weight = [], 0
        batch.append(row)
        weight += owns
    if batch:
        yield batch


# --------------------------------------------------------------------------- changed nodes


def changed_nodes(kind: str, chunk: Sequence[NodeRow], build: Plan) -> Work:
    """The transaction that rewrites a batch of nodes the database holds (or that another
    load created meanwhile) with what they own. Entities: only their links and hash (the
    entity stage wrote the nodes)."""
    with_props = kind != schema.ENTITY
    label = quote(kind)
    node_statement = (
        f"UNWIND $rows AS row MERGE (n:{label} {{id: row.id}}) SET n = row.props {set_day('n', 'row')}"
        if with_props
        else f"UNWIND $rows AS row MATCH (n:{label} {{id: row.id}}) SET n.{schema.LOAD_HASH} = row.hash"
    )
    # its parts go first, while the relationships that find them are still there
    clear_statements = [clear for _, clear in clear_parts_statements(kind)] + clear_owned_statements(kind)
    rows = Rows({"id": r.id, **statement_row(r)} if with_props else {"id": r.id, "hash": r.hash} for r in chunk)
    ids = Rows(r.id for r in chunk)
    create_statements = _create_statements(chunk, build)

    def work(tx):
        # the node first: SET takes its write lock, so what follows cannot interleave with
        # another load of the same node
        tx.run(node_statement, rows=rows).consume()
        for statement in clear_statements:
            tx.run(statement, ids=ids).consume()
        for statement, edge_rows in create_statements:
            written = tx.run(statement, rows=Rows(edge_rows)).single()["n"]
            if written != len(edge_rows):
                raise LoadError(
                    f"{len(edge_rows) - written} relationship(s) could not be written: "
                    "an end node is missing from the database"
                )

    return work


def _create_statements(chunk: Sequence[NodeRow], build: Plan) -> list[tuple[str, list[dict[str, Any]]]]:
    """The statements that create what the nodes of ``chunk`` own, with their rows: the parts
    (with the relationship from their owner), then the other relationships by type and ends."""
    parts: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    edges: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in chunk:
        for part in row.parts:
            parts[schema.PARTS[part.kind][1], row.kind, part.kind].append(
                {"s": row.id, "t": part.id, **statement_row(part)}
            )
        for rel_type, source, target in row.owned:
            if schema.PARTS.get(build.kinds[target], (None, None))[1] != rel_type:  # made with the part
                edges[rel_type, build.kinds[source], build.kinds[target]].append({"s": source, "t": target})
    return [(_create_parts_statement(*key), rows) for key, rows in sorted(parts.items())] + [
        (_create_edges_statement(*key), rows) for key, rows in sorted(edges.items())
    ]


def clear_parts_statements(kind: str) -> list[tuple[str, str]]:
    """(part kind, statement) pairs that delete the parts of nodes of this kind (a claim's
    actions), with their relationships, and count them."""
    return [
        (
            part,
            f"UNWIND $ids AS id MATCH (n:{quote(kind)} {{id: id}})-[:{quote(rel_type)}]->(p:{quote(part)}) "
            "DETACH DELETE p RETURN count(*) AS n",
        )
        for part, (owner, rel_type) in sorted(schema.PARTS.items())
        if owner == kind
    ]


def _create_parts_statement(rel_type: str, owner_kind: str, part_kind: str) -> str:
    """Parts are MERGEd on their id (an action whose claim was deleted by hand is taken over)."""
    return (
        f"UNWIND $rows AS row MATCH (s:{quote(owner_kind)} {{id: row.s}}) MERGE (t:{quote(part_kind)} {{id: row.t}}) "
        f"SET t = row.props {set_day('t', 'row')} CREATE (s)-[:{quote(rel_type)}]->(t) RETURN count(*) AS n"
    )


def clear_owned_statements(kind: str) -> list[str]:
    """Delete the relationships nodes of this kind own (see :func:`owner_side`)."""
    label = quote(kind)
    outgoing, incoming = owned_types(kind)
    statements = []
    for types, arrow in ((outgoing, "-[r:{}]->"), (incoming, "<-[r:{}]-")):
        if types:
            pattern = arrow.format("|".join(quote(t) for t in types))
            statements.append(f"UNWIND $ids AS id MATCH (n:{label} {{id: id}}){pattern}() DELETE r")
    return statements


def _create_edges_statement(rel_type: str, source_kind: str, target_kind: str) -> str:
    """The owner's relationships were just deleted in the same transaction, under the owner's
    write lock: CREATE cannot make a duplicate, and is about twice as fast as MERGE here."""
    return (
        f"UNWIND $rows AS row MATCH (s:{quote(source_kind)} {{id: row.s}}) MATCH (t:{quote(target_kind)} {{id: row.t}}) "
        f"CREATE (s)-[:{quote(rel_type)}]->(t) RETURN count(*) AS n"
    )
