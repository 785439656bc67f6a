"""The Neo4j sink: a build's claim graph loaded into Neo4j, and the query library run on it.

One file per part: :mod:`~kg.sinks.neo4j.settings` (where Neo4j is, a checked connection),
:mod:`~kg.sinks.neo4j.schema` (constraints and indexes; the names a statement may use),
:mod:`~kg.sinks.neo4j.plan` (graph.json as rows, each node with what it owns and its hash),
:mod:`~kg.sinks.neo4j.writer` (the idempotent, incremental load), :mod:`~kg.sinks.neo4j.report`
(what a load did), :mod:`~kg.sinks.neo4j.errors` (what went wrong, in one line),
:mod:`~kg.sinks.neo4j.database` (counts, clearing) and :mod:`~kg.sinks.neo4j.queries`
(``queries/*.cypher``). The names below are the sink's public face.
"""

from kg.sinks.neo4j.database import clear_database, graph_counts
from kg.sinks.neo4j.errors import GraphFileError, LoadError, Neo4jConnectionError, Neo4jUsageError, describe_failure
from kg.sinks.neo4j.plan import Plan, owned_types, owner_side, plan, read_document
from kg.sinks.neo4j.report import LoadReport
from kg.sinks.neo4j.schema import REPO_ROOT, SCHEMA_FILE, apply_schema, quote, schema_statements
from kg.sinks.neo4j.settings import DEFAULT_RETRY_SECONDS, LOCAL_PASSWORD, Settings, connect
from kg.sinks.neo4j.writer import DEFAULT_BATCH_SIZE, DEFAULT_WRITERS, Neo4jLoader

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "DEFAULT_RETRY_SECONDS",
    "DEFAULT_WRITERS",
    "LOCAL_PASSWORD",
    "REPO_ROOT",
    "SCHEMA_FILE",
    "GraphFileError",
    "LoadError",
    "LoadReport",
    "Neo4jConnectionError",
    "Neo4jLoader",
    "Neo4jUsageError",
    "Plan",
    "Settings",
    "apply_schema",
    "clear_database",
    "connect",
    "describe_failure",
    "graph_counts",
    "owned_types",
    "owner_side",
    "plan",
    "quote",
    "read_document",
    "schema_statements",
]
