"""kg export neo4j-csv of a graph.json read as it streams (:func:`export_file`): the files
:func:`~kg.sinks.neo4j.bulk.write_import_files` writes of the whole plan, byte for byte, with
one node in memory at a time beside the ids of the articles and entities.

It leans on the order kg writes graph.json in: the edges sorted by (source, target), then the
nodes sorted by id. The file is gone through twice:

1. :func:`survey`, for what must be known before a line is written: each kind's signatures
   (its files, numbered in signature order, and their headers), the kind of every article
   and entity (to check the relationships' ends: a few ids per article, never the claims),
   how many actions there are, and whether the file is in that order and each claim's
   ASSERTS edge is the one its record's ``holder`` names.
2. :func:`_write`: the nodes in id order and, beside them, the edges in source order, so each
   node has the relationships it owns when its row and its hash are made. Two things it owns
   are not there: its actions (``action:<claim>-<n>``) sort before every claim, in their
   claims' order, so a second cursor over the nodes hands each claim its own; its ASSERTS
   edge sorts under its holder, long after the claim, so it is the one the claim's
   ``holder`` names, which the survey checked against the edges (the sums of the pairs'
   digests: the same pairs, the same sum). The relationships are spooled per type and the
   stamp's pending nodes per kind, beside the output, and joined in order at the end.

A file in another layout or order, or whose ASSERTS edges are not its claims' holders, is
exported as before, read whole.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from kg.graph import schema
from kg.sinks.files import iter_section, streams
from kg.sinks.neo4j.bulk import (
    ARGUMENTS_FILE, RELATIONSHIPS_FILE, STAMP_FILE, ImportFiles, import_arguments, importable, node_header, node_line,
    pending_node, pending_text, quoted, signature, write_import_files, write_stamp_file,
)  # fmt: skip
from kg.sinks.neo4j.database import COUNT_STATEMENTS
from kg.sinks.neo4j.errors import LoadError
from kg.sinks.neo4j.plan import NodeRow, node_row, owner_side, plan, read_document
from kg.sinks.neo4j.stamp import file_digest

Edge = tuple[str, str, str]  # (type, source id, target id)
SOURCE_OWNS = {rel_type: owner_side(rel_type) == "source" for rel_type in schema.ENDPOINTS}
PART_OF = {rel_type: kind for kind, (_, rel_type) in schema.PARTS.items()}  # STATES → Action
CHECKED_ELSEWHERE = (schema.CLAIM, *schema.PARTS)  # ends not among the surveyed kinds (see _check)
DIGEST_SPACE = 1 << 128


def export_file(graph_file: Path, folder: Path) -> ImportFiles:
    """The importer's files of a build's graph.json, written into ``folder``: read as it
    streams when in kg's layout and order, else whole."""
    graph_file, folder = Path(graph_file), Path(folder)
    digest = file_digest(graph_file)
    found = survey(graph_file) if streams(graph_file) else None
    if found is None or not found.streamable:
        return write_import_files(plan(read_document(graph_file)), folder, digest)
    return _write(graph_file, folder, found, digest)


# --------------------------------------------------------------------------- the first pass


@dataclass
class Survey:
    """What the writing pass must know before its first line (:func:`survey`)."""

    signatures: dict[str, set[tuple]] = field(default_factory=lambda: {kind: set() for kind in schema.NODE_KINDS})
    kinds: dict[str, str] = field(default_factory=dict)  # article and entity id → kind
    parts: int = 0  # nodes of a part kind (actions)
    in_order: bool = True  # nodes by id, no id twice; edges by (source, target)
    held: int = 0  # the sum of the digests of each claim's ASSERTS edge, as its holder names it
    asserted: int = 0  # … and of the ASSERTS edges the file holds

    @property
    def streamable(self) -> bool:
        return self.in_order and self.held == self.asserted


def survey(graph_file: Path) -> Survey:
    """The first pass over graph.json: nothing held but ids of articles and entities,
    signatures and counts. Raises :class:`LoadError` for a node kg cannot load."""
    found = Survey()
    _survey_nodes(graph_file, found)
    _survey_edges(graph_file, found)
    return found


def _survey_nodes(graph_file: Path, found: Survey) -> None:
    last = ""
    for raw in iter_section(graph_file, "nodes"):
        row = node_row(raw)
        found.in_order = found.in_order and row.id > last
        last = row.id
        row._hash = ""  # which file a node goes to depends on its columns' types, not on its hash
        found.signatures[row.kind].add(signature(row, importable(row.write_props())))
        if row.kind in schema.PARTS:
            found.parts += 1
        elif row.kind != schema.CLAIM:
            found.kinds[row.id] = row.kind
        elif (edge := held_edge(row)) is not None:
            found.held = _summed(found.held, edge)


def _survey_edges(graph_file: Path, found: Survey) -> None:
    last = ("", "")
    for raw in iter_section(graph_file, "edges"):
        source, target = raw.get("source"), raw.get("target")
        if not (isinstance(source, str) and isinstance(target, str)) or (source, target) < last:
            found.in_order = False
            return
        last = (source, target)
        if _type_of(raw) == schema.ASSERTS:
            found.asserted = _summed(found.asserted, (schema.ASSERTS, source, target))


def held_edge(row: NodeRow) -> Edge | None:
    """A claim's ASSERTS edge as its record names it: from its holder's entity."""
    holder = row.props.get("holder")
    return (schema.ASSERTS, schema.entity_id(holder), row.id) if isinstance(holder, str) else None


def _summed(total: int, edge: Edge) -> int:
    """``total`` with the edge's digest added: sums over two lists are equal when they hold
    the same edges (in any order), and all but never when they do not."""
    digest = hashlib.blake2b("\0".join(edge).encode("utf-8"), digest_size=16).digest()
    return (total + int.from_bytes(digest, "big")) % DIGEST_SPACE


def _type_of(raw: dict) -> str | None:
    return raw.get("type") or raw.get("key")


# --------------------------------------------------------------------------- the writing pass


def _write(graph_file: Path, folder: Path, found: Survey, digest: str) -> ImportFiles:
    folder.mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:
        out = _Output(folder, found.signatures, stack)
        try:
            for row in _rows(graph_file, found, out):
                out.node(row)
            return out.finish(digest)
        except BaseException:  # a relationship refused half way: no half an import left to run
            out.discard()
            raise


def _rows(graph_file: Path, found: Survey, out: _Output) -> Iterator[NodeRow]:
    """Each node in id order as the row a load writes, with what it owns; its edges are
    written on the way."""
    links = _Links(iter_section(graph_file, "edges"))
    parts = _Parts(iter_section(graph_file, "nodes"))
    try:
        for raw in iter_section(graph_file, "nodes"):
            row = node_row(raw)
            _attach(row, links.of(row.id), found.kinds, parts, out)
            yield row
        links.finish()
        parts.finish(found.parts)
    finally:
        links.close()
        parts.close()


def _attach(row: NodeRow, edges: Iterable[dict], kinds: dict[str, str], parts: _Parts, out: _Output) -> None:
    """Write the node's outgoing edges, and give it those it owns, its parts and its ASSERTS."""
    target_before, types = None, set()  # the types seen to the current target: the same edge twice is one
    for raw in edges:
        rel_type, target = _type_of(raw), raw.get("target")
        if target != target_before:
            target_before, types = target, set()
        if rel_type in types:
            continue
        types.add(rel_type)
        edge = (rel_type, row.id, target)
        _check(edge, row.kind, kinds)
        out.relationship(edge)
        if SOURCE_OWNS[rel_type]:
            row.owned.append(edge)
        if rel_type in PART_OF:
            row.parts.append(parts.take(edge))
    if row.kind == schema.CLAIM and (held := held_edge(row)) is not None:
        row.owned.append(held)
    row.owned.sort()
    row.parts.sort(key=lambda part: part.id)


def _check(edge: Edge, source_kind: str, kinds: dict[str, str]) -> None:
    """The edge's type and ends are what kg.graph.schema says. Its source is the node at hand;
    a target that is a claim is checked by the survey (its holder's edge), one that is an
    action by :class:`_Parts` (found, and taken once)."""
    rel_type, source, target = edge
    if rel_type not in schema.ENDPOINTS:
        raise LoadError(f"relationship {source} → {target}: unknown type {rel_type!r}")
    expected = schema.ENDPOINTS[rel_type]
    target_kind = kinds.get(target) or (expected[1] if expected[1] in CHECKED_ELSEWHERE else None)
    if target_kind is None:
        raise _dangling(edge)
    if (source_kind, target_kind) != expected:
        raise LoadError(
            f"relationship {rel_type} {source} → {target} connects {source_kind} → {target_kind}; "
            f"kg.graph.schema says {expected[0]} → {expected[1]}"
        )


def _dangling(edge: Edge) -> LoadError:
    rel_type, source, target = edge
    if rel_type not in schema.ENDPOINTS:
        return LoadError(f"relationship {source} → {target}: unknown type {rel_type!r}")
    return LoadError(f"relationship {rel_type} {source} → {target} points at a node that is not in the graph")


class _Links:
    """The edges in (source, target) order, handed to each node as the nodes come in id order."""

    def __init__(self, edges: Iterator[dict]):
        self._edges = edges
        self._next = next(edges, None)

    def of(self, node_id: str) -> Iterator[dict]:
        """The edges from ``node_id``; one from a node that was passed is from no node."""
        while self._next is not None and self._next["source"] <= node_id:
            if self._next["source"] != node_id:
                raise _dangling((_type_of(self._next), self._next["source"], self._next["target"]))
            edge, self._next = self._next, next(self._edges, None)
            yield edge

    def finish(self) -> None:
        if self._next is not None:
            raise _dangling((_type_of(self._next), self._next["source"], self._next["target"]))

    def close(self) -> None:
        self._edges.close()


class _Parts:
    """A second cursor over the nodes, handing each part (a claim's action) to its owner. In id
    order the actions come first, each claim's together and in the claims' order, so it reads
    one action ahead; one read before its owner asks waits in ``ahead``."""

    def __init__(self, nodes: Iterator[dict]):
        self._nodes = nodes
        self.ahead: dict[str, NodeRow] = {}
        self.taken = 0

    def take(self, edge: Edge) -> NodeRow:
        rel_type, owner, part_id = edge
        while part_id not in self.ahead:
            raw = next(self._nodes, None)
            if raw is None:
                raise LoadError(
                    f"relationship {rel_type} {owner} → {part_id} points at no {PART_OF[rel_type]}, "
                    "or at one that is part of another node"
                )
            if raw.get("label") in schema.PARTS:
                part = node_row(raw)
                self.ahead[part.id] = part
        self.taken += 1
        return self.ahead.pop(part_id)  # handed out once: a second owner does not find it

    def finish(self, parts: int) -> None:
        """Every part was taken (by one owner: :meth:`take` hands each out once)."""
        if self.taken == parts:
            return
        left = next(iter(self.ahead.values()), None) or next(self._rest())  # fewer taken: one is left
        owner, rel_type = schema.PARTS[left.kind]
        raise LoadError(f"node {left.id} ({left.kind}) is part of no {owner}: it needs a {rel_type} relationship")

    def _rest(self) -> Iterator[NodeRow]:
        return (node_row(raw) for raw in self._nodes if raw.get("label") in schema.PARTS)

    def close(self) -> None:
        self._nodes.close()


class _Output:
    """The folder as it is written: a file per signature, open from the start and filled in id
    order; relationships spooled per type and pending nodes per kind, joined at the end."""

    def __init__(self, folder: Path, signatures: dict[str, set[tuple]], stack: ExitStack):
        self.written = ImportFiles(folder)
        self.counts = dict.fromkeys(COUNT_STATEMENTS, 0)
        spool = Path(stack.enter_context(tempfile.TemporaryDirectory(dir=folder, prefix=".kg-spool-")))
        self.relationships = _Spool(spool / "relationships", stack)
        self.pending = _Spool(spool / "pending", stack)
        self.files: dict[tuple[str, tuple], tuple[str, IO[str]]] = {}
        for kind in schema.NODE_KINDS:
            for number, signature_ in enumerate(sorted(signatures[kind]), 1):
                name = f"nodes-{kind.lower()}-{number}.csv"
                out = stack.enter_context(open(folder / name, "w", encoding="utf-8", newline=""))
                out.write(",".join(node_header(signature_)) + "\n")
                self.files[(kind, signature_)] = (name, out)
                self.written.nodes[name] = 0

    def node(self, row: NodeRow) -> None:
        props = row.write_props()
        fit = importable(props)
        if fit is not props:
            self.pending.add(row.kind, pending_text(pending_node(row, props)) + "\n")
        signature_ = signature(row, fit)
        name, out = self.files[(row.kind, signature_)]
        out.write(",".join(node_line(signature_, fit)) + "\n")
        self.written.nodes[name] += 1
        self.counts[row.kind] += 1
        if row.label != row.kind:
            self.counts[row.label] += 1

    def relationship(self, edge: Edge) -> None:
        rel_type, source, target = edge
        self.relationships.add(rel_type, f"{quoted(source)},{quoted(target)},{quoted(rel_type)}\n")
        self.counts[rel_type] += 1
        self.written.relationships += 1

    def discard(self) -> None:
        """Remove the files of the folder this export writes (and the arguments of an older
        one, whose files these were)."""
        names = [*self.written.nodes, RELATIONSHIPS_FILE, STAMP_FILE, ARGUMENTS_FILE]
        for name in names:
            (self.written.folder / name).unlink(missing_ok=True)

    def finish(self, digest: str) -> ImportFiles:
        folder = self.written.folder
        with open(folder / RELATIONSHIPS_FILE, "w", encoding="utf-8", newline="") as out:
            out.write(":START_ID,:END_ID,:TYPE\n")
            self.relationships.copy_into(out, sorted(self.relationships.keys()))  # the file is sorted by type first
        kinds = {kind: self.counts[kind] for kind in schema.NODE_KINDS}
        pending = (line.removesuffix("\n") for line in self.pending.lines(schema.NODE_KINDS))
        write_stamp_file(folder / STAMP_FILE, digest, kinds, self.counts, pending)
        self.written.arguments = import_arguments(self.written)
        (folder / ARGUMENTS_FILE).write_text("\n".join(self.written.arguments) + "\n", encoding="utf-8")
        return self.written


class _Spool:
    """Lines put aside by key (a relationship type, a node kind), a temporary file each."""

    def __init__(self, folder: Path, stack: ExitStack):
        folder.mkdir()
        self.folder, self.stack = folder, stack
        self.files: dict[str, IO[str]] = {}

    def add(self, key: str, line: str) -> None:
        out = self.files.get(key)
        if out is None:
            out = self.files[key] = self.stack.enter_context(open(self._path(key), "w", encoding="utf-8", newline=""))
        out.write(line)

    def keys(self) -> list[str]:
        return list(self.files)

    def copy_into(self, out: IO[str], keys: Iterable[str]) -> None:
        for key in self._flushed(keys):
            with open(self._path(key), encoding="utf-8", newline="") as spooled:
                shutil.copyfileobj(spooled, out, 1 << 20)

    def lines(self, keys: Iterable[str]) -> Iterator[str]:
        for key in self._flushed(keys):
            with open(self._path(key), encoding="utf-8", newline="") as spooled:
                yield from spooled

    def _flushed(self, keys: Iterable[str]) -> list[str]:
        kept = [key for key in keys if key in self.files]
        for key in kept:
            self.files[key].flush()
        return kept

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}.txt"
