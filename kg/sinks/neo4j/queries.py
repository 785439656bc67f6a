"""The Cypher query library (``queries/*.cypher``): reading the files' headers, typing the
parameters, running a query in a read (or, when asked, write) transaction, and turning
Neo4j values into plain Python for tables, CSV and JSON.

A query file starts with a header of ``//`` comment lines::

    // name: who-said-what
    // answers: every claim about a target: who said it, the stance, the assessment and the evidence
    // param: target string — the target's name or one of its aliases (Nvidia, 英伟达)
    // param: limit int = 100 — at most this many rows
    // example: kg query who-said-what --param target=Nvidia

``param`` lines give a name, a type (string, int, float, bool, date) and an optional
default after ``=``; a parameter without a default is required. The description follows
an em dash (—) or `` -- ``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from kg.sinks.neo4j.schema import REPO_ROOT

QUERIES_DIR = REPO_ROOT / "queries"
TYPES = ("string", "int", "float", "bool", "date")
_PARAM = re.compile(r"^(?P<name>[A-Za-z_]\w*)\s+(?P<type>\w+)(?:\s*=\s*(?P<default>.*?))?\s*$")


class QueryError(Exception):
    """A query file or a parameter is wrong (a usage error)."""


@dataclass(frozen=True)
class Param:
    name: str
    type: str = "string"
    default: str | None = None
    description: str = ""

    @property
    def required(self) -> bool:
        return self.default is None

    def describe(self) -> str:
        text = f"{self.name} ({self.type}" + ("" if self.required else f", default {self.default}") + ")"
        return text + (f": {self.description}" if self.description else "")


@dataclass(frozen=True)
class Query:
    name: str
    text: str
    path: Path | None = None
    answers: str = ""
    params: tuple[Param, ...] = ()
    examples: tuple[str, ...] = field(default=())

    def parameters(self, given: Mapping[str, str], *, strict: bool = True) -> dict[str, Any]:
        """Typed parameters from ``key=value`` strings, with defaults filled in.

        ``strict``: reject names the header does not declare. A file without ``param``
        lines takes any parameter as a string.
        """
        declared = {p.name: p for p in self.params}
        if strict and declared:
            unknown = sorted(set(given) - set(declared))
            if unknown:
                raise QueryError(
                    f"query {self.name} has no parameter {', '.join(unknown)} "
                    f"(it takes: {', '.join(declared) or 'none'})"
                )
        values: dict[str, Any] = {name: value for name, value in given.items() if name not in declared}
        for param in self.params:
            if param.name in given:
                values[param.name] = convert(param, given[param.name])
            elif param.required:
                raise QueryError(f"query {self.name} needs --param {param.name}=… ({param.describe()})")
            else:
                values[param.name] = convert(param, param.default)
        return values


def convert(param: Param, text: str | None) -> Any:
    """A parameter's string as its declared type; ``null`` (any type) is None."""
    if text is None or text == "null":
        return None
    try:
        if param.type == "string":
            return text
        if param.type == "int":
            return _int64(param, int(text))
        if param.type == "float":
            return float(text)
        if param.type == "bool":
            lowered = text.lower()
            if lowered in ("true", "yes", "1"):
                return True
            if lowered in ("false", "no", "0"):
                return False
            raise ValueError(text)
        if param.type == "date":
            return date.fromisoformat(text)
    except ValueError:
        wanted = {"int": "an integer", "float": "a number", "bool": "true or false", "date": "a date (YYYY-MM-DD)"}
        raise QueryError(f"--param {param.name}={text!r} is not {wanted.get(param.type, param.type)}") from None
    raise QueryError(f"parameter {param.name} has an unknown type {param.type!r} (known: {', '.join(TYPES)})")


INT64 = (-(2**63), 2**63 - 1)  # Neo4j's integers


def _int64(param: Param, value: int) -> int:
    if not INT64[0] <= value <= INT64[1]:
        raise QueryError(f"--param {param.name}={value} is out of range: Neo4j integers run from {INT64[0]} to {INT64[1]}")
    return value


def parse_query(text: str, path: Path | None = None) -> Query:
    """Read a query file's header (see the module docstring)."""
    fields: dict[str, list[str]] = {"name": [], "answers": [], "param": [], "example": []}
    last: str | None = None
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("//"):
            break
        body = stripped[2:].strip()
        match = re.match(r"^(name|answers|param|example)\s*:\s*(.*)$", body, re.IGNORECASE)
        if match:
            last = match.group(1).lower()
            fields[last].append(match.group(2).strip())
        elif body and last in ("answers",) and fields[last]:
            fields[last][-1] += " " + body  # a continued description
        else:
            last = None
    stem = path.stem if path else "query"
    name = fields["name"][0] if fields["name"] else stem
    params = tuple(_parse_param(spec, name) for spec in fields["param"])
    if not text.strip() or all(line.strip().startswith("//") or not line.strip() for line in text.splitlines()):
        raise QueryError(f"{path or 'the query'} holds no Cypher statement")
    return Query(name, text, path, " ".join(fields["answers"]), params, tuple(fields["example"]))


def _parse_param(spec: str, query: str) -> Param:
    parts = re.split(r"\s+(?:—|--)\s+", spec, maxsplit=1)
    head = parts[0].strip()
    description = parts[1].strip() if len(parts) > 1 else ""
    match = _PARAM.match(head)
    if not match or match.group("type") not in TYPES:
        raise QueryError(f"query {query}: cannot read the parameter line {spec!r} (want: NAME TYPE [= DEFAULT] — text)")
    return Param(match.group("name"), match.group("type"), match.group("default"), description)


def library(directory: Path = QUERIES_DIR) -> dict[str, Query]:
    """Every ``*.cypher`` file of the query library, by name."""
    queries: dict[str, Query] = {}
    for path in sorted(Path(directory).glob("*.cypher")):
        query = parse_query(path.read_text("utf-8"), path)
        if query.name in queries:
            raise QueryError(f"two queries are named {query.name}: {queries[query.name].path} and {path}")
        queries[query.name] = query
    return queries


def parse_assignments(items: Sequence[str]) -> dict[str, str]:
    """``["a=1", "b=x=y"]`` → ``{"a": "1", "b": "x=y"}``."""
    out: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not re.fullmatch(r"[A-Za-z_]\w*", key.strip()):
            raise QueryError(f"--param wants key=value, not {item!r}")
        out[key.strip()] = value
    return out


def run_query(driver, database: str, query: Query, params: Mapping[str, Any], *, write: bool = False):
    """Run in a managed read transaction (write transaction if ``write``): (columns, rows)."""

    def work(tx):
        result = tx.run(query.text, dict(params))
        keys = list(result.keys())
        return keys, [[plain(value) for value in record.values()] for record in result]

    with driver.session(database=database) as session:
        return session.execute_write(work) if write else session.execute_read(work)


def plain(value: Any) -> Any:
    """Neo4j values (nodes, relationships, paths, temporal types) as plain Python."""
    from neo4j.graph import Node, Relationship
    from neo4j.graph import Path as GraphPath

    if isinstance(value, Node):
        return {"labels": sorted(value.labels), **{k: plain(v) for k, v in value.items()}}
    if isinstance(value, Relationship):
        return {"type": value.type, **{k: plain(v) for k, v in value.items()}}
    if isinstance(value, GraphPath):
        return [plain(node) for node in value.nodes]
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if hasattr(value, "iso_format"):
        return value.iso_format()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def cell(value: Any) -> str:
    """One value as table or CSV text: lists joined with "; ", None as empty."""
    import json

    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        if all(not isinstance(v, (list, dict)) for v in value):
            return "; ".join(cell(v) for v in value)
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
