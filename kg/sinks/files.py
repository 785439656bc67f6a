"""The build folder: ``claims.jsonl`` (one claim record per line) and ``graph.json``.

Both are written deterministically (sorted, fixed separators) so the same input gives
byte-identical files, and atomically (write beside, then rename) so a reader never sees
half a file.
"""

from __future__ import annotations

import json
import os
import tempfile
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


@contextmanager
def atomic_output(path: Path, mode: str = "w") -> Iterator[IO]:
    """Open a file beside ``path`` for writing and rename it onto ``path`` when done, so a
    reader sees the old file or the new, never a part. Text mode is UTF-8 with \\n."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        options = {"encoding": "utf-8", "newline": "\n"} if "b" not in mode else {}
        with os.fdopen(handle, mode, buffering=1 << 20, **options) as out:
            yield out
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes it private; outputs are for sharing
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


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
