"""The loader: write a plan into Neo4j, idempotently and incrementally (:class:`Neo4jLoader`).

What a load does, in order (each numbered step in UNWIND batches, each batch one managed
write transaction, which the driver retries on transient errors):

0. apply ``schema/neo4j.cypher`` (constraints and indexes, ``IF NOT EXISTS``);
1. read what the database already holds of this build: the ``kg_hash`` of each node, the
   older versions of the build's articles (an Article not in the build with the same
   ``file`` or ``url`` as one in it: an article's id is the hash of its text, so an edited
   article is a new node) and the claims hanging on those articles;
2. entities: MERGE the new and changed ones (labels and properties), then their catalogue
   links (MADE_BY, AFFILIATED_WITH);
3. articles, with their MENTIONS;
4. claims, with ASSERTS, ABOUT, EVIDENCED_BY and CONCERNS, and their actions (STATES);
5. remove the claims of the build's articles that are not in the build any more (with their
   actions), the older versions of its articles (with their claims), and the entities that
   hung only on what was removed; with ``prune``, every Article, Claim, Action and entity
   not in the build.

Nodes are MERGEd on ``id``. Every relationship has one owner node (a Claim owns all of its
relationships, an Article its MENTIONS, an entity its outgoing links to other entities), and
a node's ``kg_hash`` covers its labels, its properties and the relationships it owns. A node
whose hash is unchanged is skipped, so loading the same build twice writes nothing. A new or
changed node is written in one transaction with everything it owns: MERGE the node and
``SET n = $props`` (which takes its write lock), delete the relationships it owns, CREATE
them as the build has them. Under the owner's lock CREATE cannot duplicate a relationship,
even with two loads at once, and it is about twice as fast as MERGE on a relationship.
Relationships of types kg does not know are never touched, except when their node is deleted.

A claim's actions are part of it (``schema.PARTS``): they have no hash of their own, the
claim's covers them; a new or changed claim's old actions are deleted and its actions as the
build has them created in the claim's transaction, and a claim that goes takes them along.

The batches of one stage are independent, so ``writers`` of them run at once (Neo4j runs each
transaction on one core); a deadlock between them is a transient error the driver retries.

Labels and relationship types come from :mod:`kg.graph.schema` only, and are checked
against it before they are written into a statement; every value travels as a parameter.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from pathlib import Path
from typing import Any

from kg.graph import schema
from kg.sinks.neo4j.errors import LoadError, describe_failure, is_unreachable
from kg.sinks.neo4j.plan import NodeRow, Plan, owned_types, plan
from kg.sinks.neo4j.report import (
    STAGE_ARTICLES,
    STAGE_CLAIMS,
    STAGE_ENTITIES,
    STAGE_LINKS,
    STAGE_REMOVE,
    LoadReport,
    ProgressFn,
    StageCount,
)
from kg.sinks.neo4j.schema import SCHEMA_FILE, apply_schema, quote
from kg.sinks.neo4j.settings import DEFAULT_DATABASE

_WHOLE_KINDS = tuple(kind for kind in schema.NODE_KINDS if kind not in schema.PARTS)  # each with its hash

DEFAULT_BATCH_SIZE = 2000
DEFAULT_WRITERS = 2  # concurrent write transactions within a stage (Neo4j runs each on one core)
READ_BATCH = 10000


class Neo4jLoader:
    """Loads plans into one database through an open driver."""

    def __init__(
        self,
        driver,
        database: str = DEFAULT_DATABASE,
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
        writers: int = DEFAULT_WRITERS,
    ):
        if batch_size < 1 or writers < 1:
            raise ValueError("batch_size and writers must be at least 1")
        self.driver = driver
        self.database = database
        self.batch_size = batch_size
        self.writers = writers
        self._lock = threading.Lock()

    # -- public

    def load(
        self,
        build: Plan | Mapping[str, Any],
        *,
        prune: bool = False,
        schema_file: Path | None = SCHEMA_FILE,
        progress: ProgressFn | None = None,
        report: LoadReport | None = None,
    ) -> LoadReport:
        """Load ``build`` (a :class:`Plan` or a graph.json document). See the module docstring.

        Raises :class:`LoadError` (with the partial report) when the server goes away or
        refuses a write; whatever was committed until then is consistent, and running the
        same load again finishes it.
        """
        from neo4j.exceptions import DriverError, Neo4jError

        build = build if isinstance(build, Plan) else plan(build)
        report = report or LoadReport()
        self._progress = progress or (lambda stage, rows, total: None)
        self._report = report
        started = time.perf_counter()
        try:
            if schema_file is not None:
                self._timed("schema", lambda: apply_schema(self.driver, self.database, schema_file))
            state = self._timed("reading", lambda: self._read_state(build, prune))
            self._timed(STAGE_ENTITIES, lambda: self._write_entities(build, state))
            self._timed(STAGE_ARTICLES, lambda: self._write_owned(schema.ARTICLE, build, state, STAGE_ARTICLES))
            self._timed(STAGE_CLAIMS, lambda: self._write_owned(schema.CLAIM, build, state, STAGE_CLAIMS))
            self._timed(STAGE_REMOVE, lambda: self._remove(build, state, prune))
        except LoadError as error:
            error.report = report
            raise
        except (Neo4jError, DriverError, OSError) as error:
            raise LoadError(describe_failure(error), report, unreachable=is_unreachable(error)) from error
        report.seconds["total"] = time.perf_counter() - started
        report.complete = True
        return report

    # -- steps

    def _timed(self, name: str, step: Callable[[], Any]) -> Any:
        t0 = time.perf_counter()
        try:
            return step()
        finally:
            self._report.seconds[name] = self._report.seconds.get(name, 0.0) + time.perf_counter() - t0

    def _read_state(self, build: Plan, prune: bool) -> dict[str, Any]:
        hashes: dict[str, dict[str, str | None]] = {kind: {} for kind in schema.PARTS}
        for kind in _WHOLE_KINDS:
            hashes[kind] = dict(
                self._read_rows(
                    f"UNWIND $ids AS id MATCH (n:{quote(kind)} {{id: id}}) RETURN n.id AS id, n.{schema.LOAD_HASH} AS hash",
                    list(build.nodes[kind]),
                )
            )
        build_articles = build.articles
        if prune:
            old_articles = [row[0] for row in self._read_all(f"MATCH (n:{quote(schema.ARTICLE)}) RETURN n.id")]
            old_articles = [a for a in old_articles if a not in build_articles]
        else:
            files = sorted({r.props["file"] for r in build_articles.values() if isinstance(r.props.get("file"), str)})
            urls = sorted({r.props["url"] for r in build_articles.values() if isinstance(r.props.get("url"), str)})
            article = quote(schema.ARTICLE)
            found = self._read_rows(f"UNWIND $ids AS f MATCH (n:{article} {{file: f}}) RETURN n.id, null", files)
            found += self._read_rows(f"UNWIND $ids AS u MATCH (n:{article} {{url: u}}) RETURN n.id, null", urls)
            old_articles = sorted({a for a, _ in found if a not in build_articles})
        if prune:
            old_claims = [row[0] for row in self._read_all(f"MATCH (n:{quote(schema.CLAIM)}) RETURN n.id")]
        else:
            old_claims = [
                c
                for c, _ in self._read_rows(
                    f"UNWIND $ids AS a MATCH (:{quote(schema.ARTICLE)} {{id: a}})<-[:{quote(schema.EVIDENCED_BY)}]-"
                    f"(n:{quote(schema.CLAIM)}) RETURN n.id, null",
                    sorted(set(hashes[schema.ARTICLE]) | set(old_articles)),
                )
            ]
        stale_claims = sorted({c for c in old_claims if c not in build.claims})
        state = {"hashes": hashes, "old_articles": old_articles, "stale_claims": stale_claims}
        state["todo"] = {kind: self._todo(kind, build, hashes[kind]) for kind in _WHOLE_KINDS}
        # every stage's size is known now, so a load that stops can say how far it got
        stages = self._report.stages
        stages[STAGE_ENTITIES] = StageCount(total=len(state["todo"][schema.ENTITY]))
        stages[STAGE_LINKS] = StageCount(total=len(state["todo"][schema.ENTITY]))
        stages[STAGE_ARTICLES] = StageCount(total=len(state["todo"][schema.ARTICLE]))
        stages[STAGE_CLAIMS] = StageCount(total=len(state["todo"][schema.CLAIM]))
        stages[STAGE_REMOVE] = StageCount(total=len(stale_claims) + len(old_articles))
        return state

    def _write_entities(self, build: Plan, state: dict[str, Any]) -> None:
        todo = state["todo"][schema.ENTITY]
        entity = quote(schema.ENTITY)
        # 1. the nodes, grouped by their label (labels cannot be parameters); no hash yet:
        #    it is written with the links, so a load stopped between the two redoes both
        by_label: dict[str, list[NodeRow]] = defaultdict(list)
        for row in todo:
            by_label[row.label].append(row)
        jobs = []
        for label in sorted(by_label):
            others = [other for other in schema.ENTITY_LABELS if other != label]
            statement = (
                f"UNWIND $rows AS row MERGE (n:{entity} {{id: row.id}}) SET n = row.props, n:{quote(label)} "
                f"REMOVE n:{':'.join(quote(o) for o in others)}"
            )
            for chunk in chunks(by_label[label], self.batch_size):
                rows = [{"id": r.id, "props": r.props} for r in chunk]
                jobs.append((len(chunk), lambda tx, rows=rows, q=statement: tx.run(q, rows=rows).consume()))
        self._write_all(STAGE_ENTITIES, jobs)
        # 2. their owned links and hashes (all nodes exist now: links may point at any)
        self._write_owned(schema.ENTITY, build, state, STAGE_LINKS)

    def _todo(self, kind: str, build: Plan, existing: dict[str, str | None]) -> list[NodeRow]:
        """The nodes of this kind that are new or changed (and count all three)."""
        todo = []
        for node_id, row in sorted(build.nodes[kind].items()):
            if node_id not in existing:
                count = self._report.new
                todo.append(row)
            elif existing[node_id] != row.hash:
                count = self._report.changed
                todo.append(row)
            else:
                count = self._report.unchanged
            count[kind] += 1
            for part in row.parts:
                count[part.kind] += 1
        return todo

    def _write_owned(self, kind: str, build: Plan, state: dict[str, Any], stage: str) -> None:
        """Write the new and changed nodes of one kind with the relationships they own and
        their hash, one transaction a batch (entities: only links and hash, the nodes exist)."""
        with_props = kind != schema.ENTITY
        todo = state["todo"][kind]
        label = quote(kind)
        node_statement = (
            f"UNWIND $rows AS row MERGE (n:{label} {{id: row.id}}) SET n = row.props"
            if with_props
            else f"UNWIND $rows AS row MATCH (n:{label} {{id: row.id}}) SET n.{schema.LOAD_HASH} = row.hash"
        )
        # its parts go first, while the relationships that find them are still there
        clear_statements = [clear for _, clear in _clear_parts_statements(kind)] + _clear_owned_statements(kind)
        jobs = []
        for chunk in chunks(todo, self.batch_size):
            rows = [
                {"id": r.id, "props": {**r.props, schema.LOAD_HASH: r.hash}} if with_props else {"id": r.id, "hash": r.hash}
                for r in chunk
            ]
            ids = [r.id for r in chunk]
            create_statements = _create_statements(chunk, build)

            def work(tx, rows=rows, ids=ids, create_statements=create_statements):
                # the node first: SET takes its write lock, so what follows cannot interleave
                # with another load of the same node
                tx.run(node_statement, rows=rows).consume()
                for statement in clear_statements:
                    tx.run(statement, ids=ids).consume()
                for statement, edge_rows in create_statements:
                    written = tx.run(statement, rows=edge_rows).single()["n"]
                    if written != len(edge_rows):
                        raise LoadError(
                            f"{len(edge_rows) - written} relationship(s) could not be written: "
                            "an end node is missing from the database"
                        )

            jobs.append((len(chunk), work))
        self._write_all(stage, jobs)

    def _remove(self, build: Plan, state: dict[str, Any], prune: bool) -> None:
        claim, article, entity = quote(schema.CLAIM), quote(schema.ARTICLE), quote(schema.ENTITY)
        stale_claims, old_articles = state["stale_claims"], state["old_articles"]
        stage = self._report.stages[STAGE_REMOVE]
        candidates: set[str] = set()
        neighbours = (
            "OPTIONAL MATCH (n)--(e:{entity}) WITH n, n.id AS gone, collect(e.id) AS near "
            "DETACH DELETE n RETURN near, gone"
        )
        for kind, label, ids in ((schema.CLAIM, claim, stale_claims), (schema.ARTICLE, article, old_articles)):
            statement = f"UNWIND $ids AS id MATCH (n:{label} {{id: id}}) " + neighbours.format(entity=entity)
            parts = _clear_parts_statements(kind)  # a claim's actions go with it
            for chunk in chunks(ids, self.batch_size):
                near, gone_parts = self._write(STAGE_REMOVE, len(chunk), _collect_near(statement, chunk, parts))
                candidates.update(near)
                self._report.removed[kind] += len(chunk)
                for part_kind, count in gone_parts.items():
                    self._report.removed[part_kind] += count
        # entities: with prune every one not in the build; else those that hung only on what went
        keep = build.entities
        if prune:
            self._remove_orphan_parts()
            gone = [e for (e,) in self._read_all(f"MATCH (n:{entity}) RETURN n.id") if e not in keep]
            stage.total += len(gone)
            statement = f"UNWIND $ids AS id MATCH (n:{entity} {{id: id}}) DETACH DELETE n"
            for chunk in chunks(gone, self.batch_size):
                self._write(STAGE_REMOVE, len(chunk), lambda tx, ids=chunk: tx.run(statement, ids=ids).consume())
                self._report.removed[schema.ENTITY] += len(chunk)
            return
        statement = (
            f"UNWIND $ids AS id MATCH (n:{entity} {{id: id}}) "
            f"WHERE NOT EXISTS {{ (n)--(:{claim}) }} AND NOT EXISTS {{ (n)--(:{article}) }} "
            + neighbours.format(entity=entity)
        )
        done: set[str] = set()
        candidates -= keep.keys()
        while candidates:
            ids = sorted(candidates)
            done.update(ids)
            stage.total += len(ids)
            candidates = set()
            for chunk in chunks(ids, self.batch_size):
                rows = self._write(STAGE_REMOVE, len(chunk), _collect_rows(statement, chunk))
                self._report.removed[schema.ENTITY] += len(rows)
                for near, _ in rows:
                    candidates.update(near)
            candidates -= keep.keys() | done

    def _remove_orphan_parts(self) -> None:
        """With prune: parts whose owner is gone (deleted by hand, not by kg), if there are any."""
        stage = self._report.stages[STAGE_REMOVE]
        for part, (owner, rel_type) in sorted(schema.PARTS.items()):
            label = quote(part)
            orphans = [
                p for (p,) in self._read_all(
                    f"MATCH (p:{label}) WHERE NOT EXISTS {{ (:{quote(owner)})-[:{quote(rel_type)}]->(p) }} RETURN p.id"
                )
            ]  # fmt: skip
            stage.total += len(orphans)
            statement = f"UNWIND $ids AS id MATCH (p:{label} {{id: id}}) DETACH DELETE p"
            for chunk in chunks(orphans, self.batch_size):
                self._write(STAGE_REMOVE, len(chunk), lambda tx, ids=chunk: tx.run(statement, ids=ids).consume())
                self._report.removed[part] += len(chunk)

    # -- plumbing

    def _write_all(self, stage: str, jobs: list[tuple[int, Callable]]) -> None:
        """Run independent write transactions of one stage, ``writers`` at a time. The first
        failure stops the rest (those already running finish or fail on their own)."""
        if self.writers == 1 or len(jobs) < 2:
            for rows, work in jobs:
                self._write(stage, rows, work)
            return
        with ThreadPoolExecutor(self.writers, thread_name_prefix="kg-load") as pool:
            futures = [pool.submit(self._write, stage, rows, work) for rows, work in jobs]
            wait(futures, return_when=FIRST_EXCEPTION)
            failed = [f for f in futures if f.done() and not f.cancelled() and f.exception()]
            if failed:
                for future in futures:
                    future.cancel()
                wait(futures)
                raise failed[0].exception()

    def _write(self, stage: str, rows: int, work: Callable) -> Any:
        """One write transaction (a session per call: sessions are not shared by threads)."""
        with self.driver.session(database=self.database) as session:
            result = session.execute_write(work)
        with self._lock:
            count = self._report.stages.setdefault(stage, StageCount(total=rows))
            count.done += rows
            count.batches += 1
            self._progress(stage, rows, count.total)
        return result

    def _read_rows(self, statement: str, ids: Sequence[str]) -> list[tuple[Any, Any]]:
        out: list[tuple[Any, Any]] = []
        with self.driver.session(database=self.database) as session:
            for chunk in chunks(list(ids), READ_BATCH):
                out.extend(session.execute_read(lambda tx, c=chunk: [tuple(r.values()) for r in tx.run(statement, ids=c)]))
        return out

    def _read_all(self, statement: str) -> list[tuple[Any, ...]]:
        with self.driver.session(database=self.database) as session:
            return session.execute_read(lambda tx: [tuple(r.values()) for r in tx.run(statement)])


def _collect_near(statement: str, ids: list[str], parts: list[tuple[str, str]] = ()):
    """Delete the nodes ``ids`` (first their ``parts``: (part kind, statement) pairs) and
    return the entities next to them and how many parts of each kind went."""

    def work(tx):
        gone_parts = {kind: tx.run(clear, ids=ids).single()["n"] for kind, clear in parts}
        near: set[str] = set()
        for record in tx.run(statement, ids=ids):
            near.update(record["near"])
        return near, gone_parts

    return work


def _collect_rows(statement: str, ids: list[str]):
    def work(tx):
        return [(record["near"], record["gone"]) for record in tx.run(statement, ids=ids)]

    return work


def _create_statements(chunk: Sequence[NodeRow], build: Plan) -> list[tuple[str, list[dict[str, Any]]]]:
    """The statements that create what the nodes of ``chunk`` own, with their rows: the parts
    (with the relationship from their owner), then the other relationships by type and ends."""
    parts: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    edges: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in chunk:
        for part in row.parts:
            parts[schema.PARTS[part.kind][1], row.kind, part.kind].append({"s": row.id, "t": part.id, "props": part.props})
        for rel_type, source, target in row.owned:
            if schema.PARTS.get(build.kinds[target], (None, None))[1] != rel_type:  # made with the part
                edges[rel_type, build.kinds[source], build.kinds[target]].append({"s": source, "t": target})
    return [(_create_parts_statement(*key), rows) for key, rows in sorted(parts.items())] + [
        (_create_edges_statement(*key), rows) for key, rows in sorted(edges.items())
    ]


def _clear_parts_statements(kind: str) -> list[tuple[str, str]]:
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
        f"SET t = row.props CREATE (s)-[:{quote(rel_type)}]->(t) RETURN count(*) AS n"
    )


def _clear_owned_statements(kind: str) -> list[str]:
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


def chunks(items: Sequence, size: int) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
