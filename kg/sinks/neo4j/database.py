"""The whole database at once: kg's node and relationship counts (``kg neo4j status``) and
emptying it (tests and benchmarks start from an empty database).
"""

from __future__ import annotations

from kg.graph import schema
from kg.sinks.neo4j.schema import quote


def clear_database(driver, database: str) -> None:
    """Delete every relationship, then every node (all of them, not only kg's), in batches
    of their own transactions: a big graph would not fit in one transaction's memory."""
    with driver.session(database=database) as session:
        session.run("MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 20000 ROWS").consume()
        session.run("MATCH (n) CALL (n) { DELETE n } IN TRANSACTIONS OF 20000 ROWS").consume()


# kg's labels and relationship types, each counted from Neo4j's count store (no scan)
COUNT_STATEMENTS = {
    **{label: f"MATCH (n:{quote(label)}) RETURN count(n) AS n" for label in (*schema.NODE_KINDS, *schema.ENTITY_LABELS)},
    **{rel_type: f"MATCH ()-[r:{quote(rel_type)}]->() RETURN count(r) AS n" for rel_type in schema.RELATIONSHIPS},
}


def graph_counts(driver, database: str) -> dict[str, int]:
    """Counts of kg's nodes by label and relationships by type (labels from kg.graph.schema)."""
    with driver.session(database=database) as session:
        return session.execute_read(lambda tx: {name: tx.run(q).single()["n"] for name, q in COUNT_STATEMENTS.items()})
