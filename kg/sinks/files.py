"""The build folder: ``claims.jsonl`` (one claim record per line) and ``graph.json``.

Both are written deterministically (sorted, fixed separators) so the same input gives
byte-identical files, and atomically (write beside, then rename) so a reader never sees
half a file. Every output of kg (exports, views, reports, archived feed items) is written
through :func:`atomic_output`, which also removes what a writer killed before its rename
left behind (:func:`remove_strays`).
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from operator import itemgetter
from typing import IO, TYPE_CHECKING

from kg.model import Claim
from kg.sinks.spool import process_running

if TYPE_CHECKING:
    import networkx as nx  # ~0.2 s to import: paid only where a graph object is made

    from kg.sinks.spool import Spool

CLAIMS_FILE = "claims.jsonl"
GRAPH_FILE = "graph.json"


def claim_line(claim: Claim) -> str:
    """One claim as a JSON line with the record's field names, in their order."""
    return json.dumps(claim.to_record(), ensure_ascii=False)


PAUSE_WRITING_ENV = "KG_PAUSE_WRITING"  # testing hook: a file name; see pause_writing
PAUSE_SECONDS_ENV = "KG_PAUSE_SECONDS"
STRAY_AGE = 3600  # seconds: a temporary of another host (or an older kg) this old is abandoned


@contextmanager
def atomic_output(path: Path, mode: str = "w") -> Iterator[IO]:
    """Open a file beside ``path`` for writing and rename it onto ``path`` when done, so a
    reader sees the old file or the new, never a part. Text mode is UTF-8 with \\n.

    The temporary file is ``.<name>.<writer>.<random>.tmp``, the writer being this host and
    process, so that a later writer of the same file can tell one left by a killed process
    (removed) from one still being written (left alone)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_strays(path)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{_writer()}.", suffix=".tmp")
    try:
        pause_writing(path)
        options = {"encoding": "utf-8", "newline": "\n"} if "b" not in mode else {}
        with os.fdopen(handle, mode, buffering=1 << 20, **options) as out:
            yield out
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes it private; outputs are for sharing
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def remove_strays(path: Path) -> list[Path]:
    """Remove the temporaries of ``path`` whose writer was killed before renaming them: those
    of a process of this host that is gone, and any other once :data:`STRAY_AGE` old."""
    removed = []
    prefix = f".{path.name}."
    try:
        entries = list(os.scandir(path.parent))
    except OSError:
        return removed
    candidates = [entry for entry in entries if entry.name.startswith(prefix) and entry.name.endswith(".tmp")]
    for entry in candidates:
        writer = entry.name[len(prefix) : -len(".tmp")].split(".")[0]
        host, _, pid = writer.partition("-")
        if host == _host() and pid.isdigit():
            abandoned = not process_running(int(pid))
        else:
            try:
                abandoned = time.time() - entry.stat(follow_symlinks=False).st_mtime > STRAY_AGE
            except OSError:
                continue
        if abandoned:
            Path(entry.path).unlink(missing_ok=True)
            removed.append(Path(entry.path))
    return removed


def _writer() -> str:
    return f"{_host()}-{os.getpid()}"


def _host() -> str:
    return hashlib.blake2b(socket.gethostname().encode(), digest_size=3).hexdigest()


def pause_writing(path: Path) -> None:
    """Testing hook: with ``KG_PAUSE_WRITING`` naming this file, say so on stderr and sleep
    ``KG_PAUSE_SECONDS`` (default 60) with its temporary open, for a test to kill the process."""
    if os.environ.get(PAUSE_WRITING_ENV) != path.name:
        return
    print(f"kg: paused writing {path.name}", file=sys.stderr, flush=True)
    time.sleep(float(os.environ.get(PAUSE_SECONDS_ENV) or 60))


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that readers see the old file or the new, never a part."""
    with atomic_output(path) as out:
        out.write(text)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def sorted_claims(claims: Iterable[Claim]) -> list[Claim]:
    return sorted(claims, key=lambda c: (c.article_file, c.evidence_start, c.holder, c.target))


def write_claims(claims: Iterable[Claim], path: Path) -> None:
    write_atomic(path, "".join(claim_line(c) + "\n" for c in sorted_claims(claims)))


def graph_document(graph: nx.MultiDiGraph) -> dict[str, object]:
    import networkx as nx

    data = nx.node_link_data(graph, edges="edges")
    data["nodes"] = sorted(data["nodes"], key=lambda n: n["id"])
    data["edges"] = sorted(data["edges"], key=lambda e: (e["source"], e["target"], e["key"]))
    return data


def write_graph(graph: nx.MultiDiGraph, path: Path) -> None:
    """graph.json of a graph in memory, written piece by piece as a streamed build writes it."""
    from kg.sinks.jsontext import indented, nested
    from kg.sinks.pieces import graph_json_chunks

    document = graph_document(graph)
    if document.get("graph") or not (document.get("directed") and document.get("multigraph")):
        write_atomic(path, json.dumps(document, ensure_ascii=False, sort_keys=True, indent=1) + "\n")
        return
    nodes = ([nested(indented(node), 2).encode()] for node in document["nodes"])
    edges = ([nested(indented(edge), 2).encode()] for edge in document["edges"])
    write_chunks(path, graph_json_chunks(nodes, edges))


def write_chunks(path: Path, chunks: Iterable[bytes]) -> None:
    """Stream bytes into a file beside ``path``, then rename it onto ``path``: a reader sees
    the old file or the new, never a part."""
    with atomic_output(path, "wb") as out:
        for chunk in chunks:
            out.write(chunk)


def write_build_files(spool: Spool, entity_nodes: list, entity_links: list, out: Path) -> None:
    """claims.jsonl and graph.json of a streamed build: the spooled pieces in order, the
    entity nodes and links (:meth:`kg.sinks.pieces.EntityPart.texts`) merged in; byte-identical to :func:`write_claims` and
    :func:`write_graph` of the same articles' whole graph."""
    write_claims_file(spool, out)
    write_graph_file(spool, entity_nodes, entity_links, out)


def write_claims_file(spool, out: Path, chunks: Callable[[Iterator[bytes]], Iterator[bytes]] | None = None) -> None:
    """claims.jsonl of a streamed build from its spool (or a reader of it); ``chunks``, if
    given, sees the lines as they go by (and may stop them by raising)."""
    lines = spool.claim_lines()
    write_chunks(out / CLAIMS_FILE, chunks(lines) if chunks else lines)


def write_graph_file(spool, entity_nodes: list, entity_links: list, out: Path) -> None:
    """graph.json of a streamed build from its spool, the entity part merged in."""
    from kg.sinks.pieces import graph_json_chunks, merge_batches

    first = itemgetter(0)
    nodes = ([text for _, text in batch] for batch in merge_batches(spool.sorted("nodes"), entity_nodes, key=first))
    edges = ([text for _, text in batch] for batch in merge_batches(spool.sorted("edges"), entity_links, key=first))
    write_chunks(out / GRAPH_FILE, graph_json_chunks(nodes, edges))


def read_graph(path: Path) -> nx.MultiDiGraph:
    """The graph a build wrote, back as a networkx MultiDiGraph."""
    import networkx as nx

    data = json.loads(Path(path).read_text("utf-8"))
    return nx.node_link_graph(data, directed=True, multigraph=True, edges="edges")


def copy_claims(source: Path, path: Path) -> int:
    """claims.jsonl's records to ``path``, a line at a time, each read and written again as
    the claim record it is (claims.jsonl is in claims order already); how many."""
    count = 0
    with open(source, encoding="utf-8") as lines, atomic_output(path) as out:
        for line in lines:
            if line.strip():
                out.write(claim_line(Claim.from_record(json.loads(line))) + "\n")
                count += 1
    return count


def read_claims(path: Path) -> list[Claim]:
    """The claims a build wrote."""
    return [Claim.from_record(json.loads(line)) for line in Path(path).read_text("utf-8").splitlines() if line.strip()]


# --------------------------------------------------------------------------- reading graph.json as it streams

CHUNK = 1 << 20
_ITEM_GAP = b"\n  },\n  {"  # between two nodes (or edges) of graph.json as kg writes it
_LAST_ITEM = b"\n  }\n ]"


def iter_section(path: Path, section: str) -> Iterator[dict]:
    """Each node (``section`` "nodes") or edge ("edges") of a graph.json, one at a time,
    without reading the whole file: graph.json as kg writes it is read piece by piece; any
    other layout of the same JSON is read whole (a file from another tool)."""
    with open(path, "rb") as handle:
        found = _seek_section(handle, section)
        if found is None:
            yield from _whole(path).get(section, ())
            return
        yield from _items(handle, found)


def streams(path: Path) -> bool:
    """Whether :func:`iter_section` reads this graph.json piece by piece (kg's layout, both
    lists found) rather than whole. Reads the file through once, holding a chunk at a time."""
    with open(path, "rb") as handle:
        if _seek_section(handle, "edges") is None:
            return False
    with open(path, "rb") as handle:
        return _seek_section(handle, "nodes") is not None


def _seek_section(handle: IO[bytes], section: str) -> bytes | None:
    """Read up to ``"section": [`` at the start of a line and return what follows it (or None:
    not kg's layout). The edges come first, so finding the nodes skips over them."""
    marker = f'\n "{section}": ['.encode()
    buffer = handle.read(CHUNK)
    if not buffer.startswith(b'{\n "'):
        return None
    while True:
        at = buffer.find(marker)
        if at >= 0:
            return buffer[at + len(marker) :]
        more = handle.read(CHUNK)
        if not more:
            return None
        buffer = buffer[-len(marker) :] + more


def _items(handle: IO[bytes], buffer: bytes) -> Iterator[dict]:
    while len(buffer) < 4 and (more := handle.read(CHUNK)):
        buffer += more
    if buffer.startswith(b"]"):
        return
    if not buffer.startswith(b"\n  {"):
        raise ValueError("graph.json: a list that is not a list of objects")
    start = len(b"\n  {")  # where the current item's text starts in buffer
    while True:
        gap = buffer.find(_ITEM_GAP, start)
        # the list's end can only come before the next gap (else this list goes on)
        end = buffer.find(_LAST_ITEM, start, gap + len(_LAST_ITEM) if gap >= 0 else len(buffer))
        if end >= 0 and (gap < 0 or end < gap):  # the list ends here (what follows is another list)
            yield json.loads(b"{" + buffer[start:end] + b"\n  }")
            return
        if gap >= 0:
            yield json.loads(b"{" + buffer[start:gap] + b"\n  }")
            start = gap + len(_ITEM_GAP)
            continue
        more = handle.read(CHUNK)
        if not more:
            raise ValueError("graph.json ends in the middle of a list")
        buffer, start = buffer[start:] + more, 0


def _whole(path: Path) -> dict:
    document = json.loads(Path(path).read_text("utf-8"))
    if not isinstance(document, dict):
        raise ValueError(f"{path} is not a node-link graph document")
    return document


class StreamedDocument(Mapping):
    """graph.json as the node-link document kg load takes, its ``nodes`` and ``edges`` read
    from the file each time they are gone through, never held whole (:func:`stream_document`)."""

    def __init__(self, path: Path):
        self.path = Path(path)

    def __getitem__(self, key: str):
        if key in ("nodes", "edges"):
            return _Section(self.path, key)
        if key in ("directed", "multigraph"):
            return True
        if key == "graph":
            return {}
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return iter(("directed", "edges", "graph", "multigraph", "nodes"))

    def __len__(self) -> int:
        return 5


class _Section:
    def __init__(self, path: Path, name: str):
        self.path, self.name = path, name

    def __iter__(self) -> Iterator[dict]:
        return iter_section(self.path, self.name)


def stream_document(path: Path) -> StreamedDocument:
    """A build's graph.json to go through node by node and edge by edge (for kg load, kg
    export, kg view): memory holds one piece at a time, whatever the file's size."""
    if not Path(path).is_file():
        raise FileNotFoundError(path)
    return StreamedDocument(Path(path))
