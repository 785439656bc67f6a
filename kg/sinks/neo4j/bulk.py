"""A build as CSV files for Neo4j's bulk importer, ``neo4j-admin database import full``
(:func:`write_import_files`, of a plan in memory; ``kg export neo4j-csv`` writes the same
files from graph.json as it streams: :mod:`kg.sinks.neo4j.bulk_stream`).

The importer writes the store files directly, without transactions: for a first load of a
big build into an empty database it is much faster than ``kg load``, but the database must
be offline (a stopped DBMS, or a new database). What it writes is what ``kg load`` would
have written, ``kg_hash`` and ``day`` included, so the ``kg load`` that follows it (for the
constraints and indexes) finds the nodes unchanged, and one of a newer build writes only
what changed. The importer cannot write an empty list: a node with one is written without
its hash, and that ``kg load`` writes it whole (:func:`importable`).

The files, in the importer's CSV header format (one header line, then rows):

- ``nodes-<kind>-<n>.csv``: ``id:ID``, each property as ``name:type`` (``long``,
  ``double``, ``boolean``, ``date``, ``string[]``, … ; plain strings untyped), then
  ``:LABEL`` (``Entity`` and ``Company`` for an entity, separated as list elements are). A
  file holds nodes of one kind whose properties have the same names and types, so every value keeps its type (a price target stated as ``180`` stays an
  integer, ``172.5`` a float) and an absent property stays absent.
- ``relationships.csv``: ``:START_ID,:END_ID,:TYPE``. Node ids are kg's, unique across
  kinds, so one id space serves every file.
- ``stamp.csv``: the stamp of a load of this graph.json (:mod:`kg.sinks.neo4j.stamp`),
  marked ``imported``, with the nodes still to write (``pending``): so the first ``kg load``
  of the same file applies the schema, writes those and compares nothing else.
- ``arguments.txt``: the importer's arguments, one a line, file names relative to the folder.

Values: strings are always quoted (``""`` is an empty string, an empty field no value);
list elements are separated by U+001F (``--array-delimiter``), which no kg value contains
(a build whose text does is refused); fields may hold line breaks (``--multiline-fields``).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from kg.graph import schema
from kg.sinks.neo4j.database import COUNT_STATEMENTS
from kg.sinks.neo4j.errors import LoadError
from kg.sinks.neo4j.plan import NodeRow, Plan
from kg.sinks.neo4j.stamp import LABEL as STAMP_LABEL
from kg.sinks.neo4j.stamp import STAMP_ID

ARRAY_DELIMITER = "\x1f"  # the ASCII unit separator: never in a kg value
ARGUMENTS_FILE = "arguments.txt"
RELATIONSHIPS_FILE = "relationships.csv"
STAMP_FILE = "stamp.csv"
_SCALAR_TYPES = {bool: "boolean", int: "long", float: "double", date: "date"}


@dataclass
class ImportFiles:
    """What :func:`write_import_files` wrote."""

    folder: Path
    nodes: dict[str, int] = field(default_factory=dict)  # file name → nodes in it
    relationships: int = 0
    arguments: list[str] = field(default_factory=list)

    def command(self, database: str = "neo4j") -> str:
        """The importer's command line, run from the folder."""
        return " ".join(["neo4j-admin database import full", *self.arguments, database])


def write_import_files(build: Plan, folder: Path, digest: str) -> ImportFiles:
    """Write the build as the importer's CSV files into ``folder`` (made if need be);
    ``digest``: its graph.json's (:func:`~kg.sinks.neo4j.stamp.file_digest`), for the stamp."""
    folder.mkdir(parents=True, exist_ok=True)
    written = ImportFiles(folder)
    pending: list[dict[str, Any]] = []
    for kind in schema.NODE_KINDS:
        groups: dict[tuple, list[dict[str, Any]]] = defaultdict(list)
        for row in sorted(build.nodes[kind].values(), key=lambda r: r.id):
            props = row.write_props()
            fit = importable(props)
            if fit is not props:
                pending.append(pending_node(row, props))
            groups[signature(row, fit)].append(fit)
        for number, (columns, rows) in enumerate(sorted(groups.items()), 1):
            name = f"nodes-{kind.lower()}-{number}.csv"
            write_csv(folder / name, node_header(columns), (node_line(columns, props) for props in rows))
            written.nodes[name] = len(rows)
    written.relationships = _write_relationships(build, folder / RELATIONSHIPS_FILE)
    _write_stamp(build, folder / STAMP_FILE, digest, pending)
    written.arguments = import_arguments(written)
    (folder / ARGUMENTS_FILE).write_text("\n".join(written.arguments) + "\n", encoding="utf-8")
    return written


def importable(props: dict[str, Any]) -> dict[str, Any]:
    """The properties as the importer can write them. It has no way to write an empty list
    (an empty field is no value), so a node with one goes without it and without its
    ``kg_hash``: the ``kg load`` after the import finds its hash missing and writes it whole."""
    if not any(value == [] for value in props.values()):
        return props
    return {key: value for key, value in props.items() if value != [] and key != schema.LOAD_HASH}


def import_arguments(files: ImportFiles) -> list[str]:
    """The importer's options for these files (names relative to their folder)."""
    return [
        *(f"--nodes={name}" for name in files.nodes),
        f"--nodes={STAMP_FILE}",
        f"--relationships={RELATIONSHIPS_FILE}",
        "--id-type=string",
        "--array-delimiter=U+001F",
        "--multiline-fields=true",
        "--strict=true",  # every relationship's ends must be among the nodes
        "--overwrite-destination=true",
    ]


def signature(row: NodeRow, props: dict[str, Any]) -> tuple:
    """The node's labels and its properties' names and types: nodes with the same signature
    share a file (its header)."""
    labels = (row.kind,) if row.kind == row.label else (row.kind, row.label)
    columns = tuple(sorted((key, _type_of(row.id, key, value)) for key, value in props.items() if key != schema.NODE_KEY))
    return (labels, columns)


def _type_of(node_id: str, key: str, value: Any) -> str:
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        element = {_scalar_type(node_id, key, v) for v in value} or {"string"}  # an empty list: a string[]
        if len(element) > 1:
            raise LoadError(f"node {node_id}: property {key!r} mixes types in one list")
        return f"{element.pop()}[]"
    return _scalar_type(node_id, key, value)


def _scalar_type(node_id: str, key: str, value: Any) -> str:
    if isinstance(value, str):
        return "string"
    kind = _SCALAR_TYPES.get(type(value))
    if kind is None:
        raise LoadError(f"node {node_id}: property {key!r} has a value the importer cannot take: {value!r}")
    return kind


def node_header(signature_: tuple) -> list[str]:
    _, columns = signature_
    typed = [name if kind == "string" else f"{name}:{kind}" for name, kind in columns]
    return [f"{schema.NODE_KEY}:ID", *typed, ":LABEL"]


def node_line(signature_: tuple, props: dict[str, Any]) -> list[str]:
    labels, columns = signature_
    node_id = props[schema.NODE_KEY]
    return [quoted(node_id), *(_field(node_id, props[name]) for name, _ in columns), quoted(ARRAY_DELIMITER.join(labels))]


def _write_relationships(build: Plan, path: Path) -> int:
    edges = sorted(edge for rows in build.nodes.values() for row in rows.values() for edge in row.owned)
    lines = ([quoted(source), quoted(target), quoted(rel_type)] for rel_type, source, target in edges)
    write_csv(path, [":START_ID", ":END_ID", ":TYPE"], lines)
    return len(edges)


def pending_node(row: NodeRow, props: dict[str, Any]) -> dict[str, Any]:
    day = props.get("day")
    rest = {key: value for key, value in props.items() if key != "day"}
    return {"kind": row.kind, "id": row.id, "props": rest, "day": day.isoformat() if day else None}


def _write_stamp(build: Plan, path: Path, digest: str, pending: list[dict[str, Any]]) -> None:
    """The stamp of a pruning load of this build, with the counts the import makes."""
    counts = dict.fromkeys(COUNT_STATEMENTS, 0)
    for kind, rows in build.nodes.items():
        counts[kind] += len(rows)
        for row in rows.values():
            if row.label != row.kind:
                counts[row.label] += 1
            for rel_type, _, _ in row.owned:
                counts[rel_type] += 1
    kinds = {kind: len(build.nodes[kind]) for kind in schema.NODE_KINDS}
    write_stamp_file(path, digest, kinds, counts, (pending_text(node) for node in pending))


def pending_text(node: dict[str, Any]) -> str:
    """A node still to write as JSON, one of the stamp's ``pending`` list."""
    return json.dumps(node, ensure_ascii=False, sort_keys=True)


def write_stamp_file(path: Path, digest: str, kinds: dict[str, int], counts: dict[str, int], pending: Iterable[str]) -> None:
    """stamp.csv. ``pending``: each node still to write as JSON (:func:`pending_text`), in
    order; they are joined here into the JSON list, so a writer may stream them from disk."""
    header = ["id:ID", "digest", "prune:boolean", "kinds", "counts", "imported:boolean", "pending", ":LABEL"]
    before = [
        quoted(STAMP_ID),
        quoted(digest),
        "true",
        quoted(json.dumps(kinds, sort_keys=True)),
        quoted(json.dumps(counts, sort_keys=True)),
        "true",
    ]
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write(",".join(header) + "\n")
        out.write(",".join(before) + ',"[')  # the pending list: quoted() of json.dumps of the list, piece by piece
        for number, node in enumerate(pending):
            out.write((", " if number else "") + node.replace('"', '""'))
        out.write(']",' + quoted(STAMP_LABEL) + "\n")


def _field(node_id: str, value: Any) -> str:
    if isinstance(value, str):
        return quoted(_checked(node_id, value))
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):  # every element as its scalar text, quoted as a whole
        return quoted(ARRAY_DELIMITER.join(_checked(node_id, str(_scalar_text(v))) for v in value))
    raise LoadError(f"node {node_id}: a value the importer cannot take: {value!r}")


def _scalar_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else repr(value)


def _checked(node_id: str, text: str) -> str:
    if ARRAY_DELIMITER in text:
        raise LoadError(f"node {node_id}: a value holds U+001F, the importer's array delimiter here")
    return text


def quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def write_csv(path: Path, header: list[str], lines: Iterable[list[str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write(",".join(header) + "\n")
        for line in lines:
            out.write(",".join(line) + "\n")
