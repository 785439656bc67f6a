"""The stamp of the last complete load: which graph.json the database holds, so that loading
the same file again reads neither the file's graph nor every node's hash.

A load of a graph.json file ends by writing one node, ``(:KgLoad {id: "kg-load"})``, with
the file's digest (with the loader's version), whether it pruned, how many nodes of each
kind the build has, and kg's node and relationship counts in the database right after it.
Every other load removes the stamp before it writes anything, so a stamp is only ever that
of the last load, and only of one that finished.

A later load of a file with the same digest skips everything when the stamp is still true:
the counts in the database are those the stamp recorded (a node or relationship added or
deleted since, by hand or by a load that stopped, makes them differ) and, for ``--prune``,
the stamped load pruned too. ``kg load --recheck`` compares every node's hash anyway.

Neo4j's bulk importer writes a stamp too (:mod:`kg.sinks.neo4j.bulk`), marked ``imported``:
the database then lacks kg's constraints and indexes, and the few nodes the CSV files could
not hold exactly (``pending``: each with its properties as a load writes them). The first
``kg load`` of the same file applies the schema, writes those nodes and stamps it as its own
(:meth:`~kg.sinks.neo4j.writer.Neo4jLoader.load_file`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from kg.sinks.neo4j.database import COUNT_STATEMENTS
from kg.sinks.neo4j.plan import LOADER_VERSION
from kg.sinks.neo4j.schema import quote

LABEL = "KgLoad"  # not a label of kg's graph: only this node has it
STAMP_ID = "kg-load"


@dataclass(frozen=True)
class Stamp:
    digest: str  # of graph.json's bytes and the loader's version
    prune: bool  # the load removed everything not in the build
    kinds: dict[str, int]  # the build's nodes per kind (Article, Claim, Action, Entity)
    counts: dict[str, int]  # kg's labels and relationship types in the database after the load
    imported: bool = False  # written by the bulk importer: the schema and the pending nodes are still to do
    pending: tuple[dict, ...] = ()  # {"kind", "id", "props", "day"}: nodes the importer could not write whole


def file_digest(path: Path) -> str:
    """A digest of the file's bytes and the loader's version (a new loader maps the same file
    differently, so its first load compares everything)."""
    digest = hashlib.blake2b(LOADER_VERSION.encode(), digest_size=16)
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def matching_stamp(driver, database: str, digest: str, prune: bool) -> Stamp | None:
    """The stamp, if it is that of a load of this very file and still true of the database."""
    with driver.session(database=database) as session:
        return session.execute_read(_matching, digest, prune)


def _matching(tx, digest: str, prune: bool) -> Stamp | None:
    record = tx.run(
        f"MATCH (s:{LABEL} {{id: $id}}) RETURN s.digest AS digest, s.prune AS prune, s.kinds AS kinds, "
        "s.counts AS counts, s.imported AS imported, s.pending AS pending",
        id=STAMP_ID,
    ).single()
    if record is None or record["digest"] != digest or (prune and not record["prune"]):
        return None
    stamp = Stamp(
        record["digest"],
        bool(record["prune"]),
        json.loads(record["kinds"]),
        json.loads(record["counts"]),
        bool(record["imported"]),
        tuple(json.loads(record["pending"] or "[]")),
    )
    return stamp if _counts(tx) == stamp.counts else None


def remove_stamp(driver, database: str) -> None:
    """Before a load writes: whatever it does, the old stamp is no longer sure to be true."""
    with driver.session(database=database) as session:
        session.execute_write(lambda tx: tx.run(f"MATCH (s:{LABEL}) DELETE s").consume())


def write_stamp(driver, database: str, digest: str, prune: bool, kinds: dict[str, int]) -> None:
    """After a complete load: the stamp, with the counts read in the same transaction (an
    import's stamp becomes a load's: nothing is left to do)."""

    def work(tx):
        counts = _counts(tx)
        tx.run(
            f"MERGE (s:{LABEL} {{id: $id}}) SET s.digest = $digest, s.prune = $prune, s.kinds = $kinds, "
            "s.counts = $counts, s.loaded_at = datetime() REMOVE s.imported, s.pending",
            id=STAMP_ID,
            digest=digest,
            prune=prune,
            kinds=json.dumps(kinds, sort_keys=True),
            counts=json.dumps(counts, sort_keys=True),
        ).consume()

    with driver.session(database=database) as session:
        session.execute_write(work)


def write_pending(driver, database: str, stamp: Stamp) -> None:
    """The nodes the importer could not write whole, as a load writes them (their labels are
    right already: only the properties)."""
    by_kind: dict[str, list[dict]] = {}
    for node in stamp.pending:
        by_kind.setdefault(node["kind"], []).append(node)
    with driver.session(database=database) as session:
        for kind, rows in sorted(by_kind.items()):
            statement = (
                f"UNWIND $rows AS row MATCH (n:{quote(kind)} {{id: row.id}}) "
                "SET n = row.props SET n.day = CASE WHEN row.day IS NULL THEN null ELSE date(row.day) END"
            )
            session.execute_write(lambda tx, q=statement, r=rows: tx.run(q, rows=r).consume())


def _counts(tx) -> dict[str, int]:
    return {name: tx.run(statement).single()["n"] for name, statement in COUNT_STATEMENTS.items()}
