"""The database's schema as kg sets it up: the constraints and indexes of
``schema/neo4j.cypher`` (:func:`apply_schema`), and the labels and relationship types a
statement may name (:func:`quote`).

Labels and relationship types cannot be parameters of a Cypher statement, so they are
written into it; :func:`quote` lets through only the names :mod:`kg.graph.schema` defines,
and every value travels as a parameter.
"""

from __future__ import annotations

import re
from pathlib import Path

from kg.graph import schema
from kg.sinks.neo4j.errors import LoadError

REPO_ROOT = Path(__file__).resolve().parents[3]
SCHEMA_FILE = REPO_ROOT / "schema" / "neo4j.cypher"

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_KNOWN_LABELS = frozenset((*schema.NODE_KINDS, *schema.ENTITY_LABELS))
_KNOWN_TYPES = frozenset(schema.RELATIONSHIPS)


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


def quote(name: str) -> str:
    """A label or relationship type as a Cypher identifier, only if kg's schema knows it."""
    if name not in _KNOWN_LABELS and name not in _KNOWN_TYPES:
        raise LoadError(f"{name!r} is not a label or relationship type of kg.graph.schema")
    if not _IDENTIFIER.fullmatch(name):
        raise LoadError(f"{name!r} is not a plain identifier")
    return f"`{name}`"
