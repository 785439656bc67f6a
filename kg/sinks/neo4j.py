"""The Neo4j sink: load a build's claim graph into Neo4j, idempotently and incrementally.

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
4. claims, with ASSERTS, ABOUT, EVIDENCED_BY and CONCERNS;
5. remove the claims of the build's articles that are not in the build any more, the older
   versions of its articles (with their claims), and the entities that hung only on what
   was removed; with ``prune``, every Article, Claim and entity not in the build.

Nodes are MERGEd on ``id``. Every relationship has one owner node (a Claim owns all of its
relationships, an Article its MENTIONS, an entity its outgoing links to other entities), and
a node's ``kg_hash`` covers its labels, its properties and the relationships it owns. A node
whose hash is unchanged is skipped, so loading the same build twice writes nothing. A new or
changed node is written in one transaction with everything it owns: MERGE the node and
``SET n = $props`` (which takes its write lock), delete the relationships it owns, CREATE
them as the build has them. Under the owner's lock CREATE cannot duplicate a relationship,
even with two loads at once, and it is about twice as fast as MERGE on a relationship.
Relationships of types kg does not know are never touched, except when their node is deleted.

The batches of one stage are independent, so ``writers`` of them run at once (Neo4j runs each
transaction on one core); a deadlock between them is a transient error the driver retries.

Labels and relationship types come from :mod:`kg.graph.schema` only, and are checked
against it before they are written into a statement; every value travels as a parameter.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from kg.graph import schema

REPO_ROOT = Path(__file__).resolve().parent.parent.parent
SCHEMA_FILE = REPO_ROOT / "schema" / "neo4j.cypher"

DEFAULT_URI = "bolt://127.0.0.1:7687"
DEFAULT_USERNAME = "neo4j"
DEFAULT_DATABASE = "neo4j"
BOLT_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
LOCAL_PASSWORD = "kg-local-password"  # scripts/neo4j-local's default, used when NEO4J_PASSWORD is unset
DEFAULT_BATCH_SIZE = 2000
DEFAULT_RETRY_SECONDS = 30.0
DEFAULT_WRITERS = 2  # concurrent write transactions within a stage (Neo4j runs each on one core)
READ_BATCH = 10000

# Bump when the mapping from graph.json to Neo4j changes: every node's hash changes with it,
# so the next load rewrites everything once.
LOADER_VERSION = "kg-neo4j/1"

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_KNOWN_LABELS = frozenset((schema.ARTICLE, schema.CLAIM, schema.ENTITY, *schema.ENTITY_LABELS))
_KNOWN_TYPES = frozenset(schema.RELATIONSHIPS)


# --------------------------------------------------------------------------- connection


@dataclass(frozen=True)
class Settings:
    """Where Neo4j is: from NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD, NEO4J_DATABASE.

    Without NEO4J_PASSWORD the password of the local test server (scripts/neo4j-local) is
    used, so ``scripts/neo4j-local start && kg load`` works as it is.
    """

    uri: str = DEFAULT_URI
    username: str = DEFAULT_USERNAME
    password: str = field(default=LOCAL_PASSWORD, repr=False)
    database: str = DEFAULT_DATABASE
    password_from_env: bool = True

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        return cls(
            uri=env.get("NEO4J_URI") or DEFAULT_URI,
            username=env.get("NEO4J_USERNAME") or DEFAULT_USERNAME,
            password=env.get("NEO4J_PASSWORD", LOCAL_PASSWORD),
            database=env.get("NEO4J_DATABASE") or DEFAULT_DATABASE,
            password_from_env="NEO4J_PASSWORD" in env,
        )

    def where(self) -> str:
        return f"{self.uri} (database {self.database})"


class Neo4jConnectionError(Exception):
    """The server cannot be reached, refused the login, or lacks the database.

    The message is one line and never contains the password.
    """


class Neo4jUsageError(Exception):
    """The settings themselves are wrong (e.g. NEO4J_URI is not a Neo4j URI)."""


def quiet_driver_logs() -> None:
    """The driver logs retries and server notifications as warnings; kg reports errors itself."""
    logger = logging.getLogger("neo4j")
    logger.setLevel(logging.CRITICAL)
    logger.propagate = False
    if not logger.handlers:
        logger.addHandler(logging.NullHandler())


def connect(settings: Settings, *, retry_seconds: float = DEFAULT_RETRY_SECONDS, connection_timeout: float = 5.0):
    """Open a driver and check that the login and the database work (``RETURN 1``).

    Raises :class:`Neo4jConnectionError` (unreachable, login refused, no such database) or
    :class:`Neo4jUsageError` (bad URI), each with a one-line message.
    """
    from neo4j import GraphDatabase
    from neo4j.exceptions import AuthError, ConfigurationError, Neo4jError, ServiceUnavailable, SessionExpired

    quiet_driver_logs()
    scheme = settings.uri.partition("://")[0].lower() if "://" in settings.uri else ""
    if scheme not in BOLT_SCHEMES:
        raise Neo4jUsageError(
            f"NEO4J_URI {settings.uri!r} is not a Bolt URI: kg talks Bolt, so use "
            "bolt://host:7687 or neo4j://host:7687 (neo4j+s:// for Aura and other TLS servers)"
        )
    try:
        driver = GraphDatabase.driver(
            settings.uri,
            auth=(settings.username, settings.password),
            max_transaction_retry_time=retry_seconds,
            connection_timeout=connection_timeout,
            connection_acquisition_timeout=connection_timeout + 5,
            user_agent="kg",
        )
    except (ConfigurationError, ValueError) as error:
        raise Neo4jUsageError(f"NEO4J_URI {settings.uri!r} is not a Neo4j URI: {one_line(error)}") from None
    try:
        with driver.session(database=settings.database) as session:
            session.run("RETURN 1").consume()
    except AuthError:
        driver.close()
        hint = "check NEO4J_USERNAME and NEO4J_PASSWORD"
        if not settings.password_from_env:
            hint = "NEO4J_PASSWORD is not set, so the local test server's default was tried; set NEO4J_PASSWORD"
        raise Neo4jConnectionError(
            f"Neo4j at {settings.uri} refused the login of user {settings.username!r} ({hint})"
        ) from None
    except (ServiceUnavailable, SessionExpired, OSError) as error:
        driver.close()
        raise Neo4jConnectionError(f"cannot reach Neo4j at {settings.uri}: {unreachable_reason(error)}") from None
    except Neo4jError as error:
        driver.close()
        if "DatabaseNotFound" in (error.code or ""):
            raise Neo4jConnectionError(
                f"Neo4j at {settings.uri} has no database {settings.database!r} (set NEO4J_DATABASE)"
            ) from None
        raise Neo4jConnectionError(f"Neo4j at {settings.uri} refused the session: {one_line(error)}") from None
    except BaseException:
        driver.close()
        raise
    return driver


def one_line(error: BaseException) -> str:
    message = getattr(error, "message", None) or str(error) or type(error).__name__
    return " ".join(str(message).split())[:300]


def unreachable_reason(error: BaseException) -> str:
    """The useful part of the driver's multi-line 'could not connect' message."""
    text = " ".join(str(error).split())
    found = re.findall(r"reason (?:\[Errno -?\d+\] )?([^)]+)\)", text)
    if found:
        return found[-1].strip()
    if "timed out" in text.lower():
        return "connection timed out"
    if "DNS resolve" in text:
        return "cannot resolve the host name"
    text = re.sub(r"\s*\(resolved to \(.*?\)\)", "", text)
    text = re.sub(r"ResolvedIPv[46]Address\(\('([^']*)', (\d+)\)\)", r"\1:\2", text)
    return text[:200] or type(error).__name__


# --------------------------------------------------------------------------- schema


def schema_statements(text: str) -> list[str]:
    """The statements of a schema file: ``//`` comment lines dropped, split on ``;``.

    >>> schema_statements("// c\\nCREATE INDEX a IF NOT EXISTS FOR (n:A) ON (n.x);\\n\\nRETURN 1;")
    ['CREATE INDEX a IF NOT EXISTS FOR (n:A) ON (n.x)', 'RETURN 1']
    """
    lines = [line for line in text.splitlines() if not line.strip().startswith("//")]
    return [" ".join(part.split()) for part in "\n".join(lines).split(";") if part.strip()]


def apply_schema(driver, database: str, path: Path = SCHEMA_FILE, *, wait_seconds: int = 300) -> int:
    """Run every statement of the schema file (each idempotent) and wait for the indexes."""
    statements = schema_statements(Path(path).read_text("utf-8"))
    with driver.session(database=database) as session:
        for statement in statements:
            session.run(statement).consume()
        session.run("CALL db.awaitIndexes($seconds)", seconds=wait_seconds).consume()
    return len(statements)


# --------------------------------------------------------------------------- the plan


def quote(name: str) -> str:
    """A label or relationship type as a Cypher identifier, only if kg's schema knows it."""
    if name not in _KNOWN_LABELS and name not in _KNOWN_TYPES:
        raise LoadError(f"{name!r} is not a label or relationship type of kg.graph.schema")
    if not _IDENTIFIER.fullmatch(name):
        raise LoadError(f"{name!r} is not a plain identifier")
    return f"`{name}`"


@dataclass
class NodeRow:
    id: str
    kind: str  # Article, Claim or Entity
    label: str  # the graph label (an entity's type; the kind for articles and claims)
    props: dict[str, Any]
    owned: list[tuple[str, str, str]] = field(default_factory=list)  # (type, source id, target id)
    hash: str = ""


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


def read_document(path: Path) -> dict[str, Any]:
    """A build's graph.json as the plain node-link document (no networkx needed)."""
    document = json.loads(Path(path).read_text("utf-8"))
    if not isinstance(document, dict) or not isinstance(document.get("nodes"), list):
        raise LoadError(f"{path} is not a kg graph.json (no list of nodes)")
    if not isinstance(document.get("edges", document.get("links", [])), list):
        raise LoadError(f"{path} is not a kg graph.json (no list of edges)")
    return document


def plan(document: Mapping[str, Any]) -> Plan:
    """Turn a node-link document (graph.json) into the rows a load writes."""
    nodes: dict[str, dict[str, NodeRow]] = {kind: {} for kind in schema.NODE_KINDS}
    by_id: dict[str, NodeRow] = {}
    for raw in document["nodes"]:
        node_id, label = raw.get("id"), raw.get("label")
        if not isinstance(node_id, str) or not node_id:
            raise LoadError(f"a node has no string id: {str(raw)[:120]}")
        try:
            kind = schema.node_kind(label)
        except ValueError as error:
            raise LoadError(f"node {node_id}: {error}") from None
        if node_id in by_id:
            raise LoadError(f"node {node_id} appears twice")
        # A claim's analyst actions are records of their own, not properties of the claim.
        props = {key: value for key, value in raw.items() if value is not None and key not in ("label", "actions")}
        for key, value in props.items():
            if type(value) is not str:
                props[key] = _property(node_id, key, value)
        row = NodeRow(node_id, kind, label, props)
        nodes[kind][node_id] = row
        by_id[node_id] = row
    edges = document.get("edges", document.get("links", []))
    endpoints = schema.ENDPOINTS
    source_owns = {rel_type: owner_side(rel_type) == "source" for rel_type in endpoints}
    seen: set[tuple[str, str, str]] = set()
    for raw in edges:
        kind = raw.get("type") or raw.get("key")
        source, target = raw.get("source"), raw.get("target")
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
        edge = (kind, source, target)
        if edge in seen:
            continue
        seen.add(edge)
        (source_row if source_owns[kind] else target_row).owned.append(edge)
    for row in by_id.values():
        row.owned.sort()
        row.hash = _hash(row)
        _add_day(row)
    return Plan(nodes, len(seen), {node_id: row.kind for node_id, row in by_id.items()})


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


def _hash(row: NodeRow) -> str:
    labels = [row.kind] if row.kind == row.label else [row.kind, row.label]
    text = json.dumps([LOADER_VERSION, labels, row.props, row.owned], sort_keys=True, ensure_ascii=False)
    return hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()


def _add_day(row: NodeRow) -> None:
    """Articles and claims also get ``day``, the date as a Neo4j DATE (for date arithmetic)."""
    source = {schema.ARTICLE: "date", schema.CLAIM: "article_date"}.get(row.kind)
    text = row.props.get(source) if source else None
    if isinstance(text, str):
        try:
            row.props["day"] = date.fromisoformat(text[:10])
        except ValueError:
            pass


# --------------------------------------------------------------------------- loading


class LoadError(Exception):
    """A load could not finish; ``report`` says what was committed before it stopped."""

    def __init__(self, message: str, report: LoadReport | None = None, *, unreachable: bool = False):
        super().__init__(message)
        self.report = report
        self.unreachable = unreachable  # the server went away or refused the login


@dataclass
class StageCount:
    total: int = 0  # rows this stage has to write
    done: int = 0  # rows committed
    batches: int = 0  # transactions committed


@dataclass
class LoadReport:
    """What a load did (or, when it stopped, what it had committed)."""

    new: dict[str, int] = field(default_factory=lambda: dict.fromkeys(schema.NODE_KINDS, 0))
    changed: dict[str, int] = field(default_factory=lambda: dict.fromkeys(schema.NODE_KINDS, 0))
    unchanged: dict[str, int] = field(default_factory=lambda: dict.fromkeys(schema.NODE_KINDS, 0))
    removed: dict[str, int] = field(default_factory=lambda: dict.fromkeys(schema.NODE_KINDS, 0))
    stages: dict[str, StageCount] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    complete: bool = False

    @property
    def batches(self) -> int:
        return sum(stage.batches for stage in self.stages.values())

    def progress_line(self) -> str:
        """How far the load got: committed rows per stage."""
        parts = [f"{name} {s.done:,}/{s.total:,}" for name, s in self.stages.items() if s.total or s.done]
        n = self.batches
        return f"{n} transaction{'' if n == 1 else 's'} committed ({'; '.join(parts) or 'nothing written yet'})"

    def to_dict(self) -> dict[str, Any]:
        return {
            "complete": self.complete,
            "new": self.new,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "removed": self.removed,
            "transactions": self.batches,
            "stages": {k: vars(v) for k, v in self.stages.items()},
            "seconds": {k: round(v, 3) for k, v in self.seconds.items()},
        }


# progress(stage, rows_just_committed, stage_total): called after each committed transaction
ProgressFn = Callable[[str, int, int], None]

STAGE_ENTITIES, STAGE_LINKS, STAGE_ARTICLES, STAGE_CLAIMS, STAGE_REMOVE = (
    "entities",
    "entity links",
    "articles",
    "claims",
    "removing",
)


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
        hashes: dict[str, dict[str, str | None]] = {}
        for kind in schema.NODE_KINDS:
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
        state["todo"] = {kind: self._todo(kind, build, hashes[kind]) for kind in schema.NODE_KINDS}
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
                self._report.new[kind] += 1
                todo.append(row)
            elif existing[node_id] != row.hash:
                self._report.changed[kind] += 1
                todo.append(row)
            else:
                self._report.unchanged[kind] += 1
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
        clear_statements = _clear_owned_statements(kind)
        jobs = []
        for chunk in chunks(todo, self.batch_size):
            rows = [
                {"id": r.id, "props": {**r.props, schema.LOAD_HASH: r.hash}} if with_props else {"id": r.id, "hash": r.hash}
                for r in chunk
            ]
            ids = [r.id for r in chunk]
            edges: dict[tuple[str, str, str], list[dict[str, str]]] = defaultdict(list)
            for r in chunk:
                for rel_type, source, target in r.owned:
                    edges[rel_type, build.kinds[source], build.kinds[target]].append({"s": source, "t": target})
            edge_statements = [(_create_edges_statement(*key), rows_of) for key, rows_of in sorted(edges.items())]

            def work(tx, rows=rows, ids=ids, edge_statements=edge_statements):
                # the node first: SET takes its write lock, so what follows cannot interleave
                # with another load of the same node
                tx.run(node_statement, rows=rows).consume()
                for statement in clear_statements:
                    tx.run(statement, ids=ids).consume()
                for statement, edge_rows in edge_statements:
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
            for chunk in chunks(ids, self.batch_size):
                near = self._write(STAGE_REMOVE, len(chunk), _collect_near(statement, chunk))
                candidates.update(near)
                self._report.removed[kind] += len(chunk)
        # entities: with prune every one not in the build; else those that hung only on what went
        keep = build.entities
        if prune:
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


def _collect_near(statement: str, ids: list[str]):
    def work(tx):
        near: set[str] = set()
        for record in tx.run(statement, ids=ids):
            near.update(record["near"])
        return near

    return work


def _collect_rows(statement: str, ids: list[str]):
    def work(tx):
        return [(record["near"], record["gone"]) for record in tx.run(statement, ids=ids)]

    return work


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


def is_unreachable(error: BaseException) -> bool:
    from neo4j.exceptions import AuthError, ServiceUnavailable, SessionExpired

    return isinstance(error, (AuthError, ServiceUnavailable, SessionExpired, OSError))


def describe_failure(error: BaseException) -> str:
    from neo4j.exceptions import AuthError, ServiceUnavailable, SessionExpired

    if isinstance(error, AuthError):
        return "Neo4j refused the login during the load"
    if isinstance(error, (ServiceUnavailable, SessionExpired, OSError)):
        return f"lost the connection to Neo4j ({unreachable_reason(error)})"
    return f"Neo4j refused a write: {one_line(error)}"


# --------------------------------------------------------------------------- reading back


def clear_database(driver, database: str) -> None:
    """Delete every relationship, then every node (all of them, not only kg's), in batches
    of their own transactions: a big graph would not fit in one transaction's memory."""
    with driver.session(database=database) as session:
        session.run("MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 20000 ROWS").consume()
        session.run("MATCH (n) CALL (n) { DELETE n } IN TRANSACTIONS OF 20000 ROWS").consume()


def graph_counts(driver, database: str) -> dict[str, int]:
    """Counts of kg's nodes by label and relationships by type (labels from kg.graph.schema)."""
    counts: dict[str, int] = {}
    with driver.session(database=database) as session:
        for label in (schema.ARTICLE, schema.CLAIM, schema.ENTITY, *schema.ENTITY_LABELS):
            counts[label] = session.run(f"MATCH (n:{quote(label)}) RETURN count(n) AS n").single()["n"]
        for rel_type in schema.RELATIONSHIPS:
            counts[rel_type] = session.run(f"MATCH ()-[r:{quote(rel_type)}]->() RETURN count(r) AS n").single()["n"]
    return counts

