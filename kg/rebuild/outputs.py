"""The graph, files and exports stages of a rebuild (:func:`write_outputs`), and which of
them are out of date (:func:`plan_outputs`).

``claims.jsonl`` and ``graph.json`` are an ordered scan of the fragments stored per
article, merged with the entity nodes and links of the current articles: byte-identical to
what ``kg build`` writes. Each file is written beside its target and renamed onto it, so a
reader sees the old file or the new, never a part; the exports are made from the graph
read back.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path

import networkx as nx

from kg.rebuild.config import Config
from kg.rebuild.fragments import edge_text, entity_part, graph_json_chunks, merge_batches
from kg.rebuild.options import Options, pause_point
from kg.rebuild.reading import Reading
from kg.rebuild.report import RunReport
from kg.rebuild.state import ENTITY_IDS, Store, digest
from kg.rebuild.sync import neo4j_changes
from kg.sinks.files import CLAIMS_FILE, GRAPH_FILE, atomic_output, read_graph


@dataclass
class Tasks:
    outputs: bool  # write claims.jsonl, graph.json and the exports
    neo4j: bool  # load Neo4j
    outputs_key: str


def plan_outputs(config: Config, store: Store, reading: Reading, options: Options) -> Tasks:
    """Which outputs are out of date: only those are written."""
    settings = [str(config.output), *map(str, config.exports.paths()), config.exports.base_iri]
    outputs_key = digest(f"{store.data_version}\0{len(reading.current)}\0" + "\0".join(settings))
    expected = [config.output / CLAIMS_FILE, config.output / GRAPH_FILE, *config.exports.paths()]
    outputs = options.full or store.get_meta("outputs_key") != outputs_key or not all(p.is_file() for p in expected)
    neo4j = config.neo4j.sync and (options.full or any(neo4j_changes(store, reading)))
    return Tasks(outputs, neo4j, outputs_key)


# --------------------------------------------------------------------------- files + exports


def write_outputs(config: Config, store: Store, tasks: Tasks, catalogue, report: RunReport) -> None:
    """claims.jsonl, graph.json, then each export; each atomically. The outputs key is saved
    only when all were written, so a run stopped half-way has the next run write them all."""
    written: list[str] = []
    claims_path, graph_path = config.output / CLAIMS_FILE, config.output / GRAPH_FILE
    with report.stage("graph"):
        entity_nodes, entity_edges = entity_part(store.entities_by_article(), catalogue)
    with report.stage("files"):
        write_chunks(claims_path, store.claim_batches())
        written.append(str(claims_path))
        pause_point("files")
        write_chunks(graph_path, graph_json_chunks(graph_nodes(store, entity_nodes), graph_edges(store, entity_edges)))
        written.append(str(graph_path))
    pause_point("exports")
    writers = export_writers(config)
    if writers:
        with report.stage("exports"):
            graph = read_graph(graph_path)
            for path, write in writers:
                try:
                    write(graph)
                    written.append(str(path))
                except Exception as error:  # a full disk, a bad path: report it, keep the others
                    report.fail("exports", str(path), f"{type(error).__name__}: {error}")
    report.outputs = {"written": True, "files": written}
    if not any(f.stage == "exports" for f in report.failures):
        with store.transaction():
            store.set_meta("outputs_key", tasks.outputs_key)


def graph_nodes(store: Store, entity_nodes: list[tuple[str, str]]) -> Iterator[list[bytes]]:
    """graph.json's node texts in order, in batches: the stored ones with the entity nodes merged in."""
    assert all(node_id >= ENTITY_IDS for node_id, _ in entity_nodes)
    yield from store.node_batches("head")
    extra = [(node_id, text.encode("utf-8")) for node_id, text in entity_nodes]
    for batch in merge_batches(store.node_batches("tail"), extra, key=itemgetter(0)):
        yield [text for _, text in batch]


def graph_edges(store: Store, entity_edges: list[tuple[str, str, str]]) -> Iterator[list[bytes]]:
    """graph.json's edge texts in order, in batches: the stored runs with the entity links merged in."""
    assert all(source >= ENTITY_IDS for source, _, _ in entity_edges)
    yield from store.edge_batches("head")
    extra = [(*edge, edge_text(*edge).encode("utf-8")) for edge in entity_edges]
    for batch in merge_batches(store.edge_batches("tail"), extra, key=itemgetter(0, 1, 2)):
        yield [row[3] for row in batch]


def write_chunks(path: Path, chunks: Iterable[bytes]) -> None:
    """Stream bytes into a file beside ``path``, then rename it onto ``path``: a reader sees
    the old file or the new, never a part (a run killed while writing leaves a stray
    ``.name.*.tmp``, removed by the next write of that file)."""
    with atomic_output(path, "wb") as out:
        for chunk in chunks:
            out.write(chunk)


def export_writers(config: Config) -> list[tuple[Path, Callable[[nx.MultiDiGraph], object]]]:
    """(path, write(graph)) for each configured export; each writer is atomic."""
    exports = config.exports
    writers: list[tuple[Path, Callable[[nx.MultiDiGraph], object]]] = []
    if exports.html:
        writers.append((exports.html, lambda graph: _write_view(graph, exports.html)))
    for fmt in exports.rdf:
        path = exports.rdf_path(fmt)
        writers.append((path, lambda graph, fmt=fmt, path=path: _write_rdf(graph, path, fmt, exports.base_iri)))
    return writers


def _write_view(graph: nx.MultiDiGraph, path: Path) -> None:
    from kg.sinks.html import write_html
    from kg.views import corpus_summary

    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    write_html(graph, path, title="Who said what about whom", subtitle=f"Corpus: {corpus_summary(graph)}.\nRebuilt {stamp}.")


def _write_rdf(graph: nx.MultiDiGraph, path: Path, fmt: str, base: str) -> None:
    from kg.sinks.rdf import write_rdf

    write_rdf(graph, path, fmt, base=base)
