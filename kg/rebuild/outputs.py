"""The graph, files and exports stages of a rebuild (:func:`write_outputs`), and which of
them are out of date (:func:`plan_outputs`).

``claims.jsonl`` and ``graph.json`` are written whole (:func:`write_whole`) on the first run,
with ``--full``, or when they are not as the last run left them: the pieces of every article
(:mod:`kg.sinks.pieces`) sorted on disk, as ``kg build`` writes them, byte-identical. The
state then records where each piece sits (``spans``). Any later run **edits** them
(:func:`write_edits`): it takes out the pieces of the articles replaced or removed
(``retired`` in the state), puts in those of the articles extracted now, and copies
everything between from the old file (``copy_file_range``: the kernel copies, no text
passes through Python), so its cost follows the change, not the corpus. Each file is
written beside its target and renamed onto it, so a reader sees the old file or the new,
never a part; the exports are made from the graph read back.
"""

from __future__ import annotations

import json
import os
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.rebuild.config import Config
from kg.rebuild.edits import CLAIMS, EDGES, NODES, FilesChanged, entity_texts, patch_files
from kg.rebuild.fragments import unpack
from kg.rebuild.options import Options, pause_point
from kg.rebuild.reading import Reading
from kg.rebuild.report import RunReport
from kg.rebuild.state import Store, digest
from kg.rebuild.sync import neo4j_changes
from kg.sinks.files import CLAIMS_FILE, GRAPH_FILE, atomic_output
from kg.sinks.pieces import article_pieces, graph_json_chunks, merge_batches

FILES_VERSION = "files_version"  # meta: the data version the build files were last written for
FILES_STAMP = "files_stamp"  # meta: each file's size and modification time as written
ENTITY_TEXTS = "entity_texts"  # meta: the entity part as written (compressed JSON)
ENTITY_INPUTS = "entity_inputs"  # meta: a digest of what it was made from (_entity_inputs)
# the files are written whole when more articles than both of these were extracted in a run
BIG_CHANGE = 0.1  # of the corpus's articles
BIG_CHANGE_ARTICLES = 200  # (below, edits take a second or two at most)
BLOCK = 8  # spans per block: a rebuild reads the blocks its edits fall in (few pieces each) and the block totals


@dataclass
class Tasks:
    outputs: bool  # write claims.jsonl, graph.json and the exports
    neo4j: bool  # load Neo4j
    outputs_key: str
    whole: bool = True  # write the files whole (else edit them)


def plan_outputs(config: Config, store: Store, reading: Reading, options: Options, files_version: str | None) -> Tasks:
    """Which outputs are out of date: only those are written; and whether the files can be
    edited (they are as the last write left them) or must be written whole."""
    settings = [str(config.output), *map(str, config.exports.paths()), config.exports.base_iri]
    outputs_key = digest(f"{store.data_version}\0{len(reading.current)}\0" + "\0".join(settings))
    expected = [config.output / CLAIMS_FILE, config.output / GRAPH_FILE, *config.exports.paths()]
    outputs = options.full or store.get_meta("outputs_key") != outputs_key or not all(p.is_file() for p in expected)
    neo4j = config.neo4j.sync and (options.full or any(neo4j_changes(store, reading)))
    intact = files_version is not None and store.get_meta(FILES_STAMP) == _stamps(config.output)
    # a big change (a new extractor re-reads every article) is written faster whole than by
    # an edit per piece (measured on 2,000 articles all changed: 1.7 s whole, 9.9 s edited)
    big = len(reading.extracted) > max(BIG_CHANGE * len(reading.current), BIG_CHANGE_ARTICLES)
    whole = options.full or not intact or not reading.stored or big
    return Tasks(outputs, neo4j, outputs_key, whole)


# --------------------------------------------------------------------------- files + exports


def write_outputs(config: Config, store: Store, tasks: Tasks, catalogue, report: RunReport, spool) -> None:
    """claims.jsonl, graph.json, then each export; each atomically. The outputs key is saved
    only when all were written, so a run stopped half-way has the next run write them all."""
    written: list[str] = []
    with report.stage("graph"):
        inputs = _entity_inputs(store, report.extractor)
        # the entity part as the files hold it, when what it is made from did not change (most runs)
        entities = None if not tasks.whole and store.get_meta(ENTITY_INPUTS) == inputs else entity_texts(store, catalogue)
    with report.stage("files"):
        edited, old_entities = False, None
        if not tasks.whole:
            try:
                old_entities = None if entities is None else _old_entities(store)
                patch_files(config.output, store, catalogue, spool, entities, old_entities)
                edited = True
            except FilesChanged:
                pass  # not as the state says (edited by hand?): written whole below
        if not edited:
            entities = entities or entity_texts(store, catalogue)
            write_whole(config.output, store, catalogue, spool, entities)
        with store.transaction():
            store.forget_retired()
            if entities is not None and entities != old_entities:  # else the entity part is as it was: not packed again
                store.set_meta(ENTITY_TEXTS, _packed(entities))
            store.set_meta(ENTITY_INPUTS, inputs)
            store.set_meta(FILES_VERSION, str(store.data_version))
            store.set_meta(FILES_STAMP, _stamps(config.output))
        written += [str(config.output / CLAIMS_FILE), str(config.output / GRAPH_FILE)]
    pause_point("exports")
    _write_exports(config, report, written)
    report.outputs = {"written": True, "files": written, "edited": edited}
    if not any(f.stage == "exports" for f in report.failures):
        with store.transaction():
            store.set_meta("outputs_key", tasks.outputs_key)


def _entity_inputs(store: Store, extractor: str | None) -> str:
    """A digest of what the entity part is made from: each entity's attributes as its first
    article gives them (not which article that is: an edited article gets a new id, and is
    often some entity's first, while the attributes stay), the links between entities, and
    the extractor key (which covers the catalogue). Reading them is 1,903 rows at 10,000
    articles; making the part from them again, 0.1 s."""
    firsts = sorted((node, attrs or "") for node, _, attrs in store.first_entities())
    return digest(json.dumps([extractor, firsts, sorted(store.entity_links())], ensure_ascii=False))


def _packed(entities) -> str:
    nodes, links = entities
    document = [[[k, t.decode()] for k, t in nodes], [[k, t.decode()] for k, t in links]]
    return zlib.compress(json.dumps(document, ensure_ascii=False).encode()).hex()


def _old_entities(store: Store):
    text = store.get_meta(ENTITY_TEXTS)
    if text is None:
        raise FilesChanged("no entity part recorded")
    nodes, links = json.loads(zlib.decompress(bytes.fromhex(text)))
    return [(k, t.encode()) for k, t in nodes], [(k, t.encode()) for k, t in links]


def _stamps(folder: Path) -> str:
    """Size and modification time of each build file: a file edited since is written whole."""
    found = []
    for name in (CLAIMS_FILE, GRAPH_FILE):
        try:
            stat = os.stat(folder / name)
            found.append(f"{stat.st_size}:{stat.st_mtime_ns}")
        except OSError:
            found.append("missing")
    return " ".join(found)


# --------------------------------------------------------------------------- written whole


def write_whole(folder: Path, store: Store, catalogue, spool, entities) -> None:
    """Both files from the pieces of every current article (those extracted now are in the
    spool already, the others made again from the state), recording where each piece sits."""
    extracted = set(spool.seen)
    for article_id, pos, blob in store.extractions():
        if article_id not in extracted:
            spool.add(article_pieces(unpack(blob), catalogue, pos))
    spool.finish()
    entity_nodes, entity_links = entities
    with store.transaction():
        store.forget_spans()
        claims = _recorded(spool.claim_rows(), store, CLAIMS)
        _write_chunks(folder / CLAIMS_FILE, claims)
        pause_point("files")
        nodes = _recorded(_merged(spool.sorted("nodes"), entity_nodes), store, NODES)
        edges = _recorded(_merged(spool.sorted("edges"), entity_links), store, EDGES)
        _write_chunks(folder / GRAPH_FILE, graph_json_chunks(nodes, edges))


def _merged(batches: Iterable[list], extra: list) -> Iterator[list]:
    return merge_batches(batches, extra, key=lambda row: row[0])


def _recorded(batches: Iterable[list[tuple[str, bytes]]], store: Store, section: int) -> Iterator[list[bytes]]:
    """The texts of (key, text) batches, each piece's span recorded: a claims.jsonl line
    counts toward its file's block, a graph.json piece is its text and the ",\\n" after it."""
    spans: list[tuple[str, int]] = []
    if section == CLAIMS:
        files: dict[str, int] = {}
        for batch in batches:
            for key, text in batch:
                file = key.partition("\x00")[0]
                files[file] = files.get(file, 0) + len(text) + 1
            yield [b"".join(text + b"\n" for _, text in batch)]
        spans = list(files.items())
    else:
        for batch in batches:
            spans += [(key, len(text) + 2) for key, text in batch]
            yield [text for _, text in batch]
    store.put_spans(section, spans)
    store.put_blocks(section, [(spans[i][0], sum(n for _, n in spans[i : i + BLOCK])) for i in range(0, len(spans), BLOCK)])


def _write_chunks(path: Path, batches: Iterable) -> None:
    with atomic_output(path, "wb") as out:
        for chunk in batches:
            out.write(b"".join(chunk) if isinstance(chunk, list) else chunk)


# --------------------------------------------------------------------------- exports


def _write_exports(config: Config, report: RunReport, written: list[str]) -> None:
    writers = export_writers(config)
    if not writers:
        return
    with report.stage("exports"):
        graph_file = config.output / GRAPH_FILE
        for path, write in writers:
            try:
                write(graph_file)
                written.append(str(path))
            except Exception as error:  # a full disk, a bad path: report it, keep the others
                report.fail("exports", str(path), f"{type(error).__name__}: {error}")


def export_writers(config: Config) -> list[tuple[Path, Callable[[Path], object]]]:
    """(path, write(graph.json)) for each configured export; each writer is atomic."""
    exports = config.exports
    writers: list[tuple[Path, Callable[[Path], object]]] = []
    if exports.html:
        writers.append((exports.html, lambda graph_file: _write_view(graph_file, exports.html)))
    for fmt in exports.rdf:
        path = exports.rdf_path(fmt)
        writers.append((path, lambda graph_file, fmt=fmt, path=path: _write_rdf(graph_file, path, fmt, exports.base_iri)))
    return writers


def _write_view(graph_file: Path, path: Path) -> None:
    from kg.sinks.html.streamed import write_file_page

    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    write_file_page(graph_file, path, title="Who said what about whom", built=f"Rebuilt {stamp}.")


def _write_rdf(graph_file: Path, path: Path, fmt: str, base: str) -> None:
    from kg.sinks.files import read_graph
    from kg.sinks.rdf import write_rdf

    write_rdf(read_graph(graph_file), path, fmt, base=base)
