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

Every relationship has one owner node (a Claim owns all of its relationships, an Article its
MENTIONS, an entity its outgoing links to other entities), and a node's ``kg_hash`` covers
its labels, its properties and the relationships it owns. A node whose hash is unchanged is
skipped, so loading the same build twice writes nothing. A node is written in one
transaction with everything it owns (:mod:`kg.sinks.neo4j.statements`): a node the database
did not hold is CREATEd with its relationships and parts in one statement (a first load
writes only such nodes, and reads nothing per id from a label the database has none of);
a changed node is MERGEd on ``id``, its owned relationships and parts deleted and created
again. Relationships of types kg does not know are never touched, except when their node is
deleted.

A claim's actions are part of it (``schema.PARTS``): they have no hash of their own, the
claim's covers them, and they are written, replaced and deleted with the claim.

The batches of one stage are independent, so ``writers`` of them run at once (Neo4j runs each
transaction on one core); a deadlock between them is a transient error the driver retries.
Entities are written by one writer: their batches lock each other's nodes, and they are few.
The rows of the next batch (and the hashes of new nodes) are made while the server writes,
so the client's work hides behind the server's.

A load of a graph.json file (:meth:`Neo4jLoader.load_file`) ends by stamping the database
with the file's digest; loading the same file again finds the stamp still true and does
nothing else (:mod:`kg.sinks.neo4j.stamp`).

Labels and relationship types come from :mod:`kg.graph.schema` only, and are checked
against it before they are written into a statement; every value travels as a parameter.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from pathlib import Path
from typing import Any

from kg.graph import schema
from kg.sinks.neo4j.errors import GraphFileError, LoadError, describe_failure, is_unreachable
from kg.sinks.neo4j.plan import NodeRow, Plan, plan, read_document
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
from kg.sinks.neo4j.stamp import file_digest, matching_stamp, remove_stamp, write_pending, write_stamp
from kg.sinks.neo4j.statements import Rows, changed_nodes, clear_parts_statements, new_nodes, write_batches

_WHOLE_KINDS = tuple(kind for kind in schema.NODE_KINDS if kind not in schema.PARTS)  # each with its hash
_MISSING = object()
Job = Callable[[str], Any]  # writes one batch of a stage (the stage's name given)

# Smaller transactions cost the server less: with its default 1 GB heap, 2,000 claims a
# transaction kept so much state alive that young collections copied it again and again
# (GC pauses 1.0-1.6 s for 60,000 claims, 500: 0.1-0.4 s; its CPU for them 5.4-6.5 s
# against 4.0-5.5 s, in one session); fewer than 500 add round trips and no saving.
DEFAULT_BATCH_SIZE = 500
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

    def load_file(
        self,
        path: Path,
        *,
        prune: bool = False,
        recheck: bool = False,
        read: Callable[[Path], Mapping[str, Any]] = read_document,
        progress: ProgressFn | None = None,
        report: LoadReport | None = None,
    ) -> LoadReport:
        """Load a graph.json file. When the database holds the stamp of a load of this very
        file that is still true (:mod:`kg.sinks.neo4j.stamp`), nothing is read or written;
        ``recheck`` compares every node anyway. A file that cannot be read as a graph is a
        :class:`GraphFileError`."""
        from neo4j.exceptions import DriverError, Neo4jError

        report = report or LoadReport()
        started = time.perf_counter()
        digest = file_digest(path)
        try:
            stamp = None if recheck else matching_stamp(self.driver, self.database, digest, prune)
        except (Neo4jError, DriverError, OSError) as error:
            raise LoadError(describe_failure(error), report, unreachable=is_unreachable(error)) from error
        if stamp is not None:
            if stamp.imported:
                self._finish_import(stamp, report)
            for kind, count in stamp.kinds.items():
                report.unchanged[kind] = count - report.changed[kind]
            report.same_as_last_load = True
            report.complete = True
            report.seconds["total"] = time.perf_counter() - started
            return report
        try:
            build = plan(read(path))
        except (LoadError, ValueError, UnicodeDecodeError) as error:
            raise GraphFileError(str(error), report) from None
        return self.load(build, prune=prune, progress=progress, report=report, digest=digest)

    def _finish_import(self, stamp, report: LoadReport) -> None:
        """After Neo4j's bulk importer: kg's schema, the nodes it could not write whole, and
        the stamp as a load's own."""
        from neo4j.exceptions import DriverError, Neo4jError

        try:
            self._timed_into(report, "schema", lambda: apply_schema(self.driver, self.database, SCHEMA_FILE))
            write_pending(self.driver, self.database, stamp)
            write_stamp(self.driver, self.database, stamp.digest, stamp.prune, stamp.kinds)
        except (Neo4jError, DriverError, OSError) as error:
            raise LoadError(describe_failure(error), report, unreachable=is_unreachable(error)) from error
        for node in stamp.pending:
            report.changed[node["kind"]] += 1

    @staticmethod
    def _timed_into(report: LoadReport, name: str, step: Callable[[], Any]) -> Any:
        t0 = time.perf_counter()
        try:
            return step()
        finally:
            report.seconds[name] = report.seconds.get(name, 0.0) + time.perf_counter() - t0

    def load(
        self,
        build: Plan | Mapping[str, Any],
        *,
        prune: bool = False,
        schema_file: Path | None = SCHEMA_FILE,
        progress: ProgressFn | None = None,
        report: LoadReport | None = None,
        digest: str | None = None,
    ) -> LoadReport:
        """Load ``build`` (a :class:`Plan` or a graph.json document). See the module docstring.
        ``digest``: the graph.json file's (:func:`~kg.sinks.neo4j.stamp.file_digest`), stamped
        on the database when the load is complete.

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
            remove_stamp(self.driver, self.database)  # true or not, it is no longer sure
            state = self._timed("reading", lambda: self._read_state(build, prune))
            self._timed(STAGE_ENTITIES, lambda: self._write_entities(build, state))
            self._timed(STAGE_ARTICLES, lambda: self._write_owned(schema.ARTICLE, build, state, STAGE_ARTICLES))
            self._timed(STAGE_CLAIMS, lambda: self._write_owned(schema.CLAIM, build, state, STAGE_CLAIMS))
            self._timed(STAGE_REMOVE, lambda: self._remove(build, state, prune))
            if digest is not None:
                kinds = {kind: len(build.nodes[kind]) for kind in schema.NODE_KINDS}
                write_stamp(self.driver, self.database, digest, prune, kinds)
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
        return self._timed_into(self._report, name, step)

    def _read_state(self, build: Plan, prune: bool) -> dict[str, Any]:
        hashes: dict[str, dict[str, str | None]] = {kind: {} for kind in schema.PARTS}
        for kind in _WHOLE_KINDS:
            hashes[kind] = {}
            if build.nodes[kind] and self._holds_any(kind):  # an empty label: every node is new, nothing to read
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
        state["new"], state["changed"] = {}, {}
        for kind in _WHOLE_KINDS:
            state["new"][kind], state["changed"][kind] = self._todo(kind, build, hashes[kind])
        # every stage's size is known now, so a load that stops can say how far it got
        entities = len(state["new"][schema.ENTITY]) + len(state["changed"][schema.ENTITY])
        stages = self._report.stages
        stages[STAGE_ENTITIES] = StageCount(total=entities)
        stages[STAGE_LINKS] = StageCount(total=entities)
        for kind, stage in ((schema.ARTICLE, STAGE_ARTICLES), (schema.CLAIM, STAGE_CLAIMS)):
            stages[stage] = StageCount(total=len(state["new"][kind]) + len(state["changed"][kind]))
        stages[STAGE_REMOVE] = StageCount(total=len(stale_claims) + len(old_articles))
        return state

    def _write_entities(self, build: Plan, state: dict[str, Any]) -> None:
        todo = state["new"][schema.ENTITY] + state["changed"][schema.ENTITY]
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
                rows = Rows({"id": r.id, "props": r.props} for r in chunk)
                jobs.append(self._batch(len(chunk), lambda tx, rows=rows, q=statement: tx.run(q, rows=rows).consume()))
        # one writer: batches of entities at once locked each other's nodes (MERGE, then links
        # between entities of two batches) and deadlocked in every first load, and the
        # driver's retry waited a second; a build has few entities, so nothing is lost
        self._write_all(STAGE_ENTITIES, jobs, writers=1)
        # 2. their owned links and hashes (all nodes exist now: links may point at any)
        links = (self._changed_job(schema.ENTITY, c, build) for c in chunks(todo, self.batch_size))
        self._write_all(STAGE_LINKS, links, writers=1)

    def _todo(self, kind: str, build: Plan, existing: dict[str, str | None]) -> tuple[list[NodeRow], list[NodeRow]]:
        """The nodes of this kind that are new, and those that changed (and count all three).
        Only a node the database holds needs its hash now; a new one's is made when written."""
        new, changed = [], []
        report = self._report
        for node_id, row in sorted(build.nodes[kind].items()):
            held = existing.get(node_id, _MISSING)
            if held is _MISSING:
                count = report.new
                new.append(row)
            elif held != row.hash:
                count = report.changed
                changed.append(row)
            else:
                count = report.unchanged
            count[kind] += 1
            for part in row.parts:
                count[part.kind] += 1
        return new, changed

    def _write_owned(self, kind: str, build: Plan, state: dict[str, Any], stage: str) -> None:
        """Write the new and changed nodes of one kind (Article or Claim) with what they own
        and their hash, one transaction a batch; each batch's rows are made while the server
        writes the batches before it."""
        new = (self._new_job(kind, batch, build) for batch in write_batches(kind, state["new"][kind], self.batch_size))
        changed = (
            self._changed_job(kind, batch, build) for batch in write_batches(kind, state["changed"][kind], self.batch_size)
        )
        self._write_all(stage, itertools.chain(new, changed))

    def _batch(self, rows: int, work: Callable) -> Job:
        return lambda stage: self._write(stage, rows, work)

    def _new_job(self, kind: str, chunk: Sequence[NodeRow], build: Plan) -> Job:
        """New nodes are CREATEd; should another load have created one of them since this one
        read the database, the unique-id constraint refuses the batch and it is written as
        changed nodes are (MERGE), so nothing is duplicated."""
        from neo4j.exceptions import ConstraintError

        work = new_nodes(kind, chunk)

        def write(stage: str) -> None:
            try:
                self._write(stage, len(chunk), work)
            except ConstraintError:
                self._write(stage, len(chunk), changed_nodes(kind, chunk, build))

        return write

    def _changed_job(self, kind: str, chunk: Sequence[NodeRow], build: Plan) -> Job:
        return self._batch(len(chunk), changed_nodes(kind, chunk, build))

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
            parts = clear_parts_statements(kind)  # a claim's actions go with it
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
                self._write(STAGE_REMOVE, len(chunk), lambda tx, ids=Rows(chunk): tx.run(statement, ids=ids).consume())
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
                self._write(STAGE_REMOVE, len(chunk), lambda tx, ids=Rows(chunk): tx.run(statement, ids=ids).consume())
                self._report.removed[part] += len(chunk)

    # -- plumbing

    def _write_all(self, stage: str, jobs: Iterable[Job], writers: int | None = None) -> None:
        """Run independent batches of one stage, ``writers`` (default the loader's) at a time.
        Jobs are taken from ``jobs`` one ahead of the writers, so the next batch's rows are
        made while the server works. The first failure stops the rest (those already running
        finish or fail on their own)."""
        writers = min(writers or self.writers, self.writers)
        if writers == 1:
            for job in jobs:
                job(stage)
            return
        with ThreadPoolExecutor(writers, thread_name_prefix="kg-load") as pool:
            running: deque = deque()
            for job in jobs:
                running.append(pool.submit(job, stage))
                while len(running) > writers:
                    done, _ = wait(running, return_when=FIRST_COMPLETED)
                    self._raise_first(running, done)
            self._raise_first(running, wait(running).done)

    @staticmethod
    def _raise_first(running: deque, done) -> None:
        failed = [f for f in done if not f.cancelled() and f.exception()]
        for future in done:
            running.remove(future)
        if failed:
            for future in running:
                future.cancel()
            wait(running)
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
                out.extend(session.execute_read(lambda tx, c=chunk: [tuple(r.values()) for r in tx.run(statement, ids=Rows(c))]))
        return out

    def _holds_any(self, kind: str) -> bool:
        """Whether the database has a node of this label (a count-store lookup, no scan)."""
        return bool(self._read_all(f"MATCH (n:{quote(kind)}) RETURN count(n) > 0")[0][0])

    def _read_all(self, statement: str) -> list[tuple[Any, ...]]:
        with self.driver.session(database=self.database) as session:
            return session.execute_read(lambda tx: [tuple(r.values()) for r in tx.run(statement)])


def _collect_near(statement: str, ids: list[str], parts: list[tuple[str, str]] = ()):
    """Delete the nodes ``ids`` (first their ``parts``: (part kind, statement) pairs) and
    return the entities next to them and how many parts of each kind went."""
    ids = Rows(ids)

    def work(tx):
        gone_parts = {kind: tx.run(clear, ids=ids).single()["n"] for kind, clear in parts}
        near: set[str] = set()
        for record in tx.run(statement, ids=ids):
            near.update(record["near"])
        return near, gone_parts

    return work


def _collect_rows(statement: str, ids: list[str]):
    ids = Rows(ids)

    def work(tx):
        return [(record["near"], record["gone"]) for record in tx.run(statement, ids=ids)]

    return work


def chunks(items: Sequence, size: int) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
