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
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import networkx as nx

from kg.model import Claim

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
            abandoned = not _running(int(pid))
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


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


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
    data = nx.node_link_data(graph, edges="edges")
    data["nodes"] = sorted(data["nodes"], key=lambda n: n["id"])
    data["edges"] = sorted(data["edges"], key=lambda e: (e["source"], e["target"], e["key"]))
    return data


def write_graph(graph: nx.MultiDiGraph, path: Path) -> None:
    write_atomic(path, json.dumps(graph_document(graph), ensure_ascii=False, sort_keys=True, indent=1) + "\n")


def read_graph(path: Path) -> nx.MultiDiGraph:
    """The graph a build wrote, back as a networkx MultiDiGraph."""
    data = json.loads(Path(path).read_text("utf-8"))
    return nx.node_link_graph(data, directed=True, multigraph=True, edges="edges")


def read_claims(path: Path) -> list[Claim]:
    """The claims a build wrote."""
    return [Claim.from_record(json.loads(line)) for line in Path(path).read_text("utf-8").splitlines() if line.strip()]
