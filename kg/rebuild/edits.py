"""Editing the build files in place of rewriting them (:func:`patch_files`).

Each file is a sorted list of pieces: claims.jsonl a block of lines per source file (its
claims are sorted by file first), graph.json's edges and nodes each a list of runs and
nodes kept apart by ",\\n" (:mod:`kg.sinks.pieces`). The state records each piece's key and
length in the files' order (``spans``), so the offset of any key is the sum of the lengths
before it (the blocks' totals and a few spans: :mod:`kg.rebuild.spans`). A rebuild's edits
are then: take out the pieces of the retired articles, put in those of the articles
extracted now (and the file blocks and entity pieces that changed), each at its key's
place; the new file is the old one copied around them by the kernel (``copy_file_range``).
Each edit is checked against the old file (the piece there names its key); a file that is
not as the state says raises :class:`FilesChanged`, and the caller writes it whole.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from kg.graph import add_entity
from kg.rebuild.fragments import unpack
from kg.rebuild.options import pause_point
from kg.rebuild.state import Store
from kg.sinks.files import CLAIMS_FILE, GRAPH_FILE, atomic_output
from kg.sinks.pieces import EntityPart, article_keys, article_pieces, claim_piece

CLAIMS, EDGES, NODES = 0, 1, 2  # the state's sections: claims.jsonl's file blocks, graph.json's edges and nodes
GRAPH_HEAD = b'{\n "directed": true,\n "edges": [\n'
GRAPH_MIDDLE = b',\n "graph": {},\n "multigraph": true,\n "nodes": [\n'
GRAPH_TAIL = b"\n}\n"
GAP = 2  # len(b",\n"): after every piece of graph.json but the last of a list, which has "\n ]" (3)


class FilesChanged(Exception):
    """The build files are not as the state says: they must be written whole."""


@dataclass(frozen=True)
class Edit:
    offset: int  # in the section, as the state counts it
    remove: int  # bytes taken out from there
    insert: bytes  # bytes put in their place


@dataclass
class Changes:
    """What a write changes in one section: keys taken out, pieces put in (key → text)."""

    removed: set[str]
    added: dict[str, bytes]


def patch_files(folder: Path, store: Store, catalogue, spool, entities, old_entities) -> None:
    """Edit claims.jsonl and graph.json for the articles retired and extracted since they
    were written, and the entity part that changed (``entities`` None: it did not); record
    the new spans."""
    spool.finish()
    graph, files = _graph_changes(store, catalogue, spool)
    if entities is not None:  # None: the entity part is as the files hold it
        for section, new, old in ((NODES, entities[0], old_entities[0]), (EDGES, entities[1], old_entities[1])):
            _entity_changes(graph[section], dict(new), dict(old))
    claims = Changes(set(), _file_blocks(store, catalogue, spool, files))
    claims.removed = set(files)
    (claim_edits, claim_growth), (edge_edits, edge_growth), (node_edits, node_growth) = (
        _edits(store, section, changes, graph_piece=section != CLAIMS)
        for section, changes in ((CLAIMS, claims), (EDGES, graph[EDGES]), (NODES, graph[NODES])))  # fmt: skip
    _patch_claims(folder / CLAIMS_FILE, store, claim_edits)
    pause_point("files")
    _patch_graph(folder / GRAPH_FILE, store, edge_edits, node_edits)
    with store.transaction():
        sections = ((CLAIMS, claims, claim_growth), (EDGES, graph[EDGES], edge_growth), (NODES, graph[NODES], node_growth))
        for section, changes, growth in sections:
            store.remove_spans(section, changes.removed - changes.added.keys())
            gap = 0 if section == CLAIMS else GAP
            store.put_spans(section, ((key, len(text) + gap) for key, text in changes.added.items() if text))
            store.remove_spans(section, [key for key, text in changes.added.items() if not text])
            store.grow_blocks(section, growth)


def _graph_changes(store: Store, catalogue, spool) -> tuple[dict[int, Changes], set[str]]:
    """The graph pieces to take out (of the retired articles) and put in (from the spool),
    and the source files whose block of claims.jsonl changes."""
    extracted = set(spool.seen)
    graph = {EDGES: Changes(set(), {}), NODES: Changes(set(), {})}
    old: dict[int, dict[str, bytes]] = {EDGES: {}, NODES: {}}
    files: set[str] = set()
    for article_id, pos, blob in store.extractions(retired=True):
        extraction = unpack(blob)
        files.add(extraction.article.path)
        if article_id in extracted:  # extracted again with the same id: most pieces may be as they were
            pieces = article_pieces(extraction, catalogue, pos)
            old[NODES].update(pieces.nodes)
            old[EDGES].update(pieces.edges)
        elif not store.has_article(article_id):  # gone (or its id changed with its text): only where its pieces are
            nodes, edges = article_keys(extraction, catalogue)
            graph[NODES].removed.update(nodes)
            graph[EDGES].removed.update(edges)
        # else moved in its file only: its graph pieces stay as they are
    for section, table in ((NODES, "nodes"), (EDGES, "edges")):
        graph[section].removed.update(old[section])
        for batch in spool.sorted(table):
            graph[section].added.update(batch)
        _drop_unchanged(graph[section], old[section])
    files.update(spool.paths())
    return graph, files


def _drop_unchanged(changes: Changes, old: dict[str, bytes]) -> None:
    """Forget the pieces put back as they were: an edited article keeps most of its claims,
    and each of its claims is a few pieces scattered over graph.json (ids sort by hash), so
    rewriting them would cost an edit and a copy range each for no change in the bytes."""
    for key in [key for key, text in changes.added.items() if old.get(key) == text]:
        del changes.added[key]
        changes.removed.discard(key)


def _entity_changes(changes: Changes, new: dict[str, bytes], old: dict[str, bytes]) -> None:
    changes.removed.update(key for key in old if key not in new)
    changes.added.update((key, text) for key, text in new.items() if old.get(key) != text)
    changes.removed.update(key for key, text in new.items() if key in old and old[key] != text)


def _file_blocks(store: Store, catalogue, spool, files: set[str]) -> dict[str, bytes]:
    """Each changed source file's block of claims.jsonl: the sorted lines of its current
    articles (those extracted now from the spool, the others made again from the state)."""
    extracted = set(spool.seen)
    spooled = spool.claims_by_file(files)
    blocks: dict[str, bytes] = {}
    for file in sorted(files):
        lines = spooled.get(file, [])
        for article_id, pos, blob in store.extractions(store.ids_in_files([file])):
            if article_id not in extracted:
                extraction = unpack(blob)
                lines += [(c.key, c.line) for c in (claim_piece(claim, pos, n) for n, claim in enumerate(extraction.claims))]
        blocks[file] = b"".join(line + b"\n" for _, line in sorted(lines))
    return blocks


def _edits(store: Store, section: int, changes: Changes, *, graph_piece: bool) -> tuple[list[Edit], dict[str, int]]:
    """The section's changes as edits at offsets, in order, and the bytes each key's span
    grows by (its block's total grows as much); a key to take out that the state does not
    have means the files are not what it says."""
    keys = sorted(changes.removed | changes.added.keys())
    where = store.offsets(section, keys)
    # offset → (bytes taken out, pieces put in): new keys after the same old piece all go in
    # at its offset, so their pieces are joined once, not added to a growing bytes each
    edits: dict[int, tuple[int, list[bytes]]] = {}
    growth: dict[str, int] = {}
    for key in keys:
        start, length = where[key]
        if key in changes.removed and not length and graph_piece:
            raise FilesChanged(f"no piece {key!r} in section {section}")  # (a file block may be empty)
        text = changes.added.get(key)
        insert = (text + b",\n" if graph_piece else text) if text else b""
        remove = length if key in changes.removed else 0
        if key in changes.added and key not in changes.removed and length:
            raise FilesChanged(f"piece {key!r} is already in section {section}")
        removed, inserts = edits.setdefault(start, (0, []))
        edits[start] = (removed + remove, inserts)
        inserts.append(insert)
        growth[key] = len(insert) - remove
    return [Edit(offset, edits[offset][0], b"".join(edits[offset][1])) for offset in sorted(edits)], growth


def _patch_claims(path: Path, store: Store, edits: list[Edit]) -> None:
    pieces, total = store.section_length(CLAIMS)
    if not pieces or path.stat().st_size != total:
        raise FilesChanged(f"{path} is not as last written")
    with open(path, "rb") as old, atomic_output(path, "wb") as out:
        _reserve(out, total + _growth(edits))
        _splice(old, out, 0, total, edits, virtual_gap=False)
        out.truncate()


def _patch_graph(path: Path, store: Store, edge_edits: list[Edit], node_edits: list[Edit]) -> None:
    (edge_count, edges), (node_count, nodes) = store.section_length(EDGES), store.section_length(NODES)
    size = len(GRAPH_HEAD) + edges + 1 + len(GRAPH_MIDDLE) + nodes + 1 + len(GRAPH_TAIL)
    if not edge_count or not node_count or path.stat().st_size != size:
        raise FilesChanged(f"{path} is not as last written")
    nodes_base = len(GRAPH_HEAD) + edges + 1 + len(GRAPH_MIDDLE)
    _check(path, len(GRAPH_HEAD), edge_edits)
    _check(path, nodes_base, node_edits)
    with open(path, "rb") as old, atomic_output(path, "wb") as out:
        _reserve(out, size + _growth(edge_edits) + _growth(node_edits))
        out.write(GRAPH_HEAD)
        _splice(old, out, len(GRAPH_HEAD), edges, edge_edits, virtual_gap=True)
        out.write(GRAPH_MIDDLE)
        _splice(old, out, nodes_base, nodes, node_edits, virtual_gap=True)
        out.write(GRAPH_TAIL)
        out.truncate()


def _growth(edits: list[Edit]) -> int:
    return sum(len(edit.insert) - edit.remove for edit in edits)


def _reserve(out: IO[bytes], size: int) -> None:
    """Allocate the new file's blocks at once: ext4 allocates a file's delayed blocks when
    it is renamed onto another (auto_da_alloc), block by block (measured on a 450 MB
    graph.json: the rename took 0.16 s, 0.08 s preallocated). The file is cut where the
    writing ends (out.truncate()), so a size computed wrong cannot leave zeros at its end.
    (Where the file system has no fallocate, glibc writes zeros instead: slower, not wrong.)"""
    try:
        os.posix_fallocate(out.fileno(), 0, size)
    except OSError:  # no room for it (the writes will say), or a file system without it
        pass


def _check(path: Path, base: int, edits: Iterable[Edit]) -> None:
    """Each piece taken out starts a piece of the old file (a cheap look, not a proof)."""
    with open(path, "rb") as old:
        for edit in edits:
            if edit.remove and os.pread(old.fileno(), 4, base + edit.offset) != b"  {\n":
                raise FilesChanged(f"{path} is not as last written")


def _splice(old: IO[bytes], out: IO[bytes], base: int, total: int, edits: list[Edit], *, virtual_gap: bool) -> None:
    """Write the section of ``total`` bytes at ``base`` of ``old`` with the edits made. With
    ``virtual_gap`` the section is a JSON list: its last piece is followed by "\\n ]", not
    ",\\n": the edits count as if it were, and the list is closed again at the end."""
    end = total - GAP if virtual_gap else total
    if total + _growth(edits) <= 0:
        raise FilesChanged("a section would be empty")
    position = 0
    for edit in edits:
        _copy(old, out, base, position, edit.offset, end)
        out.write(edit.insert)
        position = edit.offset + edit.remove
    _copy(old, out, base, position, total, end)
    if virtual_gap:
        out.flush()
        out.seek(-GAP, os.SEEK_CUR)
        out.write(b"\n ]")


def _copy(old: IO[bytes], out: IO[bytes], base: int, start: int, stop: int, end: int) -> None:
    """Copy [start, stop) of the section; what lies past ``end`` is the virtual ",\\n"."""
    real = min(stop, end) - start
    if real > 0:
        out.flush()
        offset, left = base + start, real
        while left > 0:
            try:
                done = os.copy_file_range(old.fileno(), out.fileno(), left, offset)
            except OSError:  # another file system, or no such call: copy through memory
                done = out.write(os.pread(old.fileno(), min(left, 1 << 22), offset))
                out.flush()
            if done <= 0:
                raise FilesChanged("the old file ended early")
            offset, left = offset + done, left - done
    if stop > end:
        out.write(b",\n"[max(start - end, 0) : stop - end])



def entity_texts(store: Store, catalogue) -> tuple[list[tuple[str, bytes]], list[tuple[str, bytes]]]:
    """The entity nodes and links of the current articles, as graph.json writes them."""
    part = EntityPart()
    defaults: dict = {}
    for node, article, attrs in store.first_entities():
        part.first[node] = (article, json.loads(attrs) if attrs is not None else _catalogue_attrs(node, catalogue, defaults))
    part.links = store.entity_links()
    return part.texts(catalogue)


def _catalogue_attrs(node: str, catalogue, nodes: dict) -> dict:
    """The attributes of an entity node no article gives its own (the catalogue's)."""
    add_entity(node.removeprefix("entity:"), None, catalogue, nodes)
    return nodes[node]
