"""A corpus of any size: kg build streams (the same files as writing the whole graph at
once), extracts on every core with the same output, draws a big corpus as its overview, and
kg rebuild keeps a compact state and edits the files in place of rewriting them.

Small generated corpora here; the sizes that matter are measured by benchmarks/.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from gephi_reference import NETWORKX_WRITERS, read_back
from typer.testing import CliRunner

from kg.cli import app
from kg.extract import load_catalogue
from kg.pipeline import build
from kg.sinks.files import graph_document, iter_section, read_graph, write_graph
from kg.sinks.gephi import export_file, gephi_graph, timeline_day
from kg.sinks.jsontext import indented, nested
from kg.sinks.rdf import write_rdf, write_rdf_file

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "corpus"


def generated(folder: Path, articles: int, fmt: str = "md") -> Path:
    """The first ``articles`` articles of benchmarks/generate_corpus.py's corpus."""
    spec = importlib.util.spec_from_file_location("generate_corpus", ROOT / "benchmarks" / "generate_corpus.py")
    module = sys.modules.setdefault("generate_corpus", importlib.util.module_from_spec(spec))
    spec.loader.exec_module(module)
    module.generate(folder, articles, 5, 1, fmt)
    return folder


@pytest.fixture(scope="module")
def example_graph():
    return build([EXAMPLES], load_catalogue()).graph


def kg(*args: str) -> None:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output


def test_graph_json_text_is_json_dumps_with_indent_1_for_every_node_and_edge_of_the_examples(example_graph):
    document = graph_document(example_graph)
    for item in document["nodes"] + document["edges"]:
        assert nested(indented(item), 2) == nested(json.dumps(item, ensure_ascii=False, sort_keys=True, indent=1), 2)


def test_the_streaming_graph_writer_writes_what_json_dumps_of_the_whole_document_wrote(example_graph, tmp_path):
    write_graph(example_graph, tmp_path / "graph.json")
    whole = json.dumps(graph_document(example_graph), ensure_ascii=False, sort_keys=True, indent=1) + "\n"
    assert (tmp_path / "graph.json").read_text("utf-8") == whole


def test_kg_build_writes_the_files_of_the_whole_graph_written_at_once(example_graph, tmp_path):
    kg("build", str(EXAMPLES), "--out", str(tmp_path / "build"), "--no-html")
    write_graph(example_graph, tmp_path / "whole.json")
    assert (tmp_path / "build" / "graph.json").read_bytes() == (tmp_path / "whole.json").read_bytes()


def test_kg_builds_summary_counts_the_nodes_and_relationships_graph_json_holds(example_graph, tmp_path):
    result = CliRunner().invoke(app, ["build", str(EXAMPLES), "--out", str(tmp_path / "build"), "--no-html", "--json"])
    summary = json.loads(result.stdout)
    document = json.loads((tmp_path / "build" / "graph.json").read_text("utf-8"))
    assert (summary["nodes"], summary["relationships"]) == (len(document["nodes"]), len(document["edges"]))
    assert summary["nodes"] == example_graph.number_of_nodes()


def test_graph_json_reads_back_piece_by_piece_as_the_document_it_is(example_graph, tmp_path):
    write_graph(example_graph, tmp_path / "graph.json")
    document = graph_document(example_graph)
    nodes, edges = list(iter_section(tmp_path / "graph.json", "nodes")), list(iter_section(tmp_path / "graph.json", "edges"))
    assert (nodes, edges) == (document["nodes"], document["edges"])


@pytest.mark.parametrize("fmt", ["turtle", "nt", "jsonld", "trig"])
def test_kg_export_rdf_reads_graph_json_as_it_streams_and_writes_the_bytes_of_the_whole_graph(
    example_graph, tmp_path, monkeypatch, fmt
):
    kg("build", str(EXAMPLES), "--out", str(tmp_path / "build"), "--no-html")
    write_rdf(example_graph, tmp_path / "whole", fmt)
    _forbid_whole_reads(monkeypatch)
    result = CliRunner().invoke(app, ["export", "rdf", str(tmp_path / "build"), "--format", fmt, "--out", str(tmp_path / "streamed")])
    assert result.exit_code == 0, result.output
    assert "143 claims, 3803 triples" in result.output
    assert (tmp_path / "streamed").read_bytes() == (tmp_path / "whole").read_bytes()


def _forbid_whole_reads(monkeypatch):
    def whole_read(path):
        raise AssertionError(f"{path} read whole")

    for name in ("kg.sinks.files.read_graph", "kg.sinks.files._whole", "kg.sinks.html.streamed.read_graph"):
        monkeypatch.setattr(name, whole_read)


def test_a_graph_json_whose_nodes_are_not_in_kg_order_is_exported_whole_to_the_same_bytes(example_graph, tmp_path):
    document = graph_document(example_graph)
    document["nodes"].reverse()
    (tmp_path / "graph.json").write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    write_rdf(example_graph, tmp_path / "whole.ttl")
    assert write_rdf_file(tmp_path / "graph.json", tmp_path / "file.ttl") == (3803, 143)
    assert (tmp_path / "file.ttl").read_bytes() == (tmp_path / "whole.ttl").read_bytes()


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_kg_export_graphml_and_gexf_read_graph_json_as_it_streams_and_write_networkxs_bytes_of_the_whole_graph(
    tmp_path, monkeypatch, fmt
):
    kg("build", str(EXAMPLES), "--out", str(tmp_path / "build"), "--no-html")
    graph = read_graph(tmp_path / "build" / "graph.json")
    whole = NETWORKX_WRITERS[fmt](graph, tmp_path / "whole")
    _forbid_whole_reads(monkeypatch)
    result = CliRunner().invoke(app, ["export", fmt, str(tmp_path / "build"), "--out", str(tmp_path / "streamed")])
    assert result.exit_code == 0, result.output
    assert f"{graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges" in result.output
    assert (tmp_path / "streamed").read_bytes() == whole


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_streamed_graphml_and_gexf_read_back_as_the_flattened_graph_its_nodes_edges_and_attribute_types(
    example_graph, tmp_path, fmt
):
    write_graph(example_graph, tmp_path / "graph.json")
    export_file(tmp_path / "graph.json", tmp_path / "streamed", fmt)
    flat = gephi_graph(read_graph(tmp_path / "graph.json"))
    if fmt == "gexf":  # GEXF reads each node's day on the timeline back as its start
        for _, data in flat.nodes(data=True):
            data.update({"start": day} if (day := timeline_day(data)) else {})
    back = read_back(tmp_path / "streamed", fmt)
    assert dict(back.nodes(data=True)) == dict(flat.nodes(data=True))  # == on values: 1 != "1", 1.0 == 1
    assert {(n, k, type(v)) for n, d in back.nodes(data=True) for k, v in d.items()} == {
        (n, k, type(v)) for n, d in flat.nodes(data=True) for k, v in d.items()
    }
    assert sorted(back.edges(data="relationship")) == sorted(flat.edges(data="relationship"))


def test_a_graph_json_whose_nodes_are_not_in_kg_order_is_exported_to_graphml_and_gexf_whole_to_the_same_bytes(
    example_graph, tmp_path
):
    document = graph_document(example_graph)
    document["nodes"].reverse()
    (tmp_path / "graph.json").write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    for fmt, write in NETWORKX_WRITERS.items():
        whole = write(read_graph(tmp_path / "graph.json"), tmp_path / f"whole.{fmt}")
        counts = export_file(tmp_path / "graph.json", tmp_path / f"file.{fmt}", fmt)
        assert counts == (example_graph.number_of_nodes(), example_graph.number_of_edges())
        assert (tmp_path / f"file.{fmt}").read_bytes() == whole


def test_a_graph_json_whose_edges_are_not_in_kg_order_is_exported_to_graphml_whole_to_the_same_bytes(example_graph, tmp_path):
    write_graph(example_graph, tmp_path / "graph.json")
    text = (tmp_path / "graph.json").read_text("utf-8")
    document = graph_document(example_graph)
    first, last = (nested(indented(edge), 2) for edge in (document["edges"][0], document["edges"][-1]))
    swapped = text.replace(first, "\0").replace(last, first).replace("\0", last)  # still kg's layout
    (tmp_path / "graph.json").write_text(swapped, encoding="utf-8")
    whole = NETWORKX_WRITERS["graphml"](read_graph(tmp_path / "graph.json"), tmp_path / "whole")
    export_file(tmp_path / "graph.json", tmp_path / "file", "graphml")
    assert (tmp_path / "file").read_bytes() == whole


@pytest.mark.parametrize("fmt", ["md", "jsonl"])
def test_one_and_two_workers_write_identical_claims_and_graph(tmp_path, fmt):
    corpus = generated(tmp_path / "corpus", 60, fmt)
    for workers in ("1", "2"):
        kg("build", str(corpus), "--out", str(tmp_path / workers), "--no-html", "--workers", workers)
    for name in ("claims.jsonl", "graph.json"):
        assert (tmp_path / "1" / name).read_bytes() == (tmp_path / "2" / name).read_bytes()


@pytest.fixture(scope="module")
def big_build(tmp_path_factory):
    """A generated corpus past what a page draws whole (3,000 claims, 150 entities)."""
    folder = tmp_path_factory.mktemp("big")
    corpus = generated(folder / "corpus", 150)
    kg("build", str(corpus), "--out", str(folder / "build"), "--html", str(folder / "graph.html"))
    return folder


def test_the_default_page_of_a_large_generated_corpus_is_under_5_mb_and_says_what_it_left_out(big_build):
    page = (big_build / "graph.html").read_text("utf-8")
    assert len(page.encode()) <= 5_000_000
    assert re.search(r"Overview: the 150 most-discussed of [\d,]+ holders and targets", page)
    assert "Left out: " in page and "kg view --focus NAME" in page


def test_kg_view_of_a_large_build_draws_the_same_overview_as_kg_build(big_build, tmp_path):
    kg("view", str(big_build / "build"), "--out", str(tmp_path / "view.html"))
    page = (tmp_path / "view.html").read_text("utf-8")
    built = (big_build / "graph.html").read_text("utf-8")
    overview = re.compile(r"Overview: [^\n<]*")
    assert overview.search(page).group() == overview.search(built).group()


def test_a_graph_json_with_an_edge_to_a_node_it_does_not_list_is_exported_as_networkx_reads_it(example_graph, tmp_path):
    document = graph_document(example_graph)
    document["edges"].append({"key": "MENTIONS", "source": document["nodes"][-1]["id"], "target": "entity:Nowhere", "type": "MENTIONS"})
    (tmp_path / "graph.json").write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    write_rdf(read_graph(tmp_path / "graph.json"), tmp_path / "whole.ttl")
    assert write_rdf_file(tmp_path / "graph.json", tmp_path / "file.ttl") == (3807, 143)
    assert (tmp_path / "file.ttl").read_bytes() == (tmp_path / "whole.ttl").read_bytes()


@pytest.mark.parametrize("options", [[], ["--focus", "Nvidia"], ["--stance", "negative", "--min-claims", "3"]])
def test_kg_view_of_a_large_build_reads_graph_json_as_it_streams_never_whole(big_build, tmp_path, monkeypatch, options):
    _forbid_whole_reads(monkeypatch)
    kg("view", str(big_build / "build"), "--out", str(tmp_path / "view.html"), *options)
    assert (tmp_path / "view.html").stat().st_size > 0


REBUILD_TOML = """[sources]
paths = ["articles/"]
[output]
folder = "build"
[exports]
html = ""
rdf = []
"""


def rebuild(folder: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", "from kg.cli import app; app()", "rebuild", "--json"],
                          cwd=folder, capture_output=True, text=True, check=True)  # fmt: skip
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory):
    folder = tmp_path_factory.mktemp("rebuild")
    generated(folder / "articles", 100)
    (folder / "kg.toml").write_text(REBUILD_TOML, encoding="utf-8")
    return folder, rebuild(folder)


def test_the_rebuild_state_grows_under_20_kb_per_5_kb_article(tmp_path):
    # What each article adds, from 100 articles to 200: the state also keeps the catalogue and
    # the entities' part of the outputs once (about 0.2 MB, bounded by the catalogue, not the
    # corpus), which at 100 articles alone would count as 2 KB an article.
    generated(tmp_path / "all", 200)
    (tmp_path / "articles").mkdir()
    (tmp_path / "kg.toml").write_text(REBUILD_TOML, encoding="utf-8")
    state = tmp_path / "build" / "rebuild" / "state.sqlite"
    sizes = []
    for part in (slice(0, 100), slice(100, 200)):
        for path in sorted((tmp_path / "all").iterdir())[part]:
            shutil.copy(path, tmp_path / "articles" / path.name)
        rebuild(tmp_path)
        sizes.append(state.stat().st_size)
    assert (sizes[1] - sizes[0]) / 100 <= 20_000


def test_a_rebuild_after_edits_edits_the_files_and_they_equal_what_kg_build_writes(rebuilt):
    folder, _ = rebuilt
    articles = sorted((folder / "articles").iterdir())
    with articles[7].open("a", encoding="utf-8") as out:
        out.write("\nGoldman Sachs said Nvidia shares look attractive after the selloff.\n")
    articles[20].unlink()
    report = rebuild(folder)
    assert (report["counts"]["changed"], report["counts"]["removed"], report["outputs"]["edited"]) == (1, 1, True)
    kg("build", str(folder / "articles"), "--out", str(folder / "kg-build"), "--no-html")
    for name in ("claims.jsonl", "graph.json"):
        assert (folder / "build" / name).read_bytes() == (folder / "kg-build" / name).read_bytes()


# --------------------------------------------------------------------------- workers: each writes its own shard


def test_one_and_two_workers_write_identical_overview_pages(tmp_path):
    corpus = generated(tmp_path / "corpus", 150)
    for workers in ("1", "2"):
        kg("build", str(corpus), "--out", str(tmp_path / workers), "--html", str(tmp_path / f"{workers}.html"), "--workers", workers)
    page = (tmp_path / "1.html").read_text("utf-8")
    assert "Overview: the 150 most-discussed" in page
    assert (tmp_path / "2.html").read_text("utf-8") == page


def test_a_duplicate_article_under_a_later_name_is_read_once_with_two_workers(tmp_path):
    corpus = generated(tmp_path / "corpus", 60)
    kg("build", str(corpus), "--out", str(tmp_path / "alone"), "--no-html", "--workers", "2")
    original = sorted(corpus.iterdir())[3]
    (corpus / "zz-copy.md").write_bytes(original.read_bytes())
    result = CliRunner().invoke(app, ["build", str(corpus), "--out", str(tmp_path / "copied"), "--no-html", "--workers", "2", "--json"])
    assert json.loads(result.stdout)["failures"] == [
        {"path": f"{corpus}/zz-copy.md", "reason": f"same text as {original}; read once"}
    ]
    for name in ("claims.jsonl", "graph.json"):
        assert (tmp_path / "copied" / name).read_bytes() == (tmp_path / "alone" / name).read_bytes()


def test_a_line_repeated_in_a_jsonl_file_is_read_once_with_one_or_two_workers(tmp_path):
    corpus = generated(tmp_path / "corpus", 40, "jsonl")
    shard = next(corpus.glob("*.jsonl"))
    lines = shard.read_text("utf-8").splitlines(keepends=True)
    shard.write_text("".join(lines[:5] + lines[4:]), encoding="utf-8")  # the fifth article twice, in a row
    for workers in ("1", "2"):
        result = CliRunner().invoke(app, ["build", str(corpus), "--out", str(tmp_path / workers), "--no-html", "--workers", workers, "--json"])
        summary = json.loads(result.stdout)
        lines = (tmp_path / workers / "claims.jsonl").read_bytes().count(b"\n")
        assert (summary["articles"], summary["failed"], lines) == (40, 1, summary["claims"])
    for name in ("claims.jsonl", "graph.json"):
        assert (tmp_path / "1" / name).read_bytes() == (tmp_path / "2" / name).read_bytes()


@pytest.fixture(scope="module")
def example_pieces():
    from kg.sinks.pieces import article_pieces

    catalogue = load_catalogue()
    return [article_pieces(extraction, catalogue) for extraction in build([EXAMPLES], catalogue).extractions]


def _spooled(folder: Path, shards: list[list], dropped: dict[int, list[int]], *, attach_limit: int | None = None):
    """The claim keys a spool reads from shards holding these pieces, ``dropped`` (shard's
    index → article numbers) left out."""
    from kg.sinks.spool import Shard, Spool

    with Spool(folder) as spool:
        names = []
        for n, pieces in enumerate(shards):
            shard = Shard(folder, os.getpid(), writer=900_000 + n)  # as if written by another process
            for piece in pieces:
                shard.add(piece)
            shard.commit()
            shard.close()
            names.append(shard.name)
        if attach_limit is not None:
            spool.db.setlimit(sqlite3.SQLITE_LIMIT_ATTACHED, attach_limit)
        spool.attach(names, {names[i]: seqs for i, seqs in dropped.items()})
        keys = [key for batch in spool.claim_rows() for key, _ in batch]
        nodes = [key for batch in spool.sorted("nodes") for key, _ in batch]
        with spool.reader() as reader:
            read_again = [key for batch in reader.claim_rows() for key, _ in batch]
        assert read_again == keys
        return keys, nodes, len(spool.parts)


def _keys(pieces: list) -> tuple[list[str], list[str]]:
    return sorted(c.key for p in pieces for c in p.claims), sorted(key for p in pieces for key, _ in p.nodes)


def test_dropping_an_article_from_a_shard_drops_its_rows_only_first_middle_or_last(example_pieces, tmp_path):
    a, b, c, d = example_pieces[:4]
    keys, nodes, _ = _spooled(tmp_path, [[a, b, c], [d, a]], {0: [1, 3], 1: [2]})
    assert (keys, nodes) == _keys([b, d])


def test_more_shards_than_sqlite_attaches_are_all_read(example_pieces, tmp_path):
    shards = [example_pieces[i : i + 2] for i in range(0, 10, 2)]  # five shards of two articles
    keys, nodes, parts = _spooled(tmp_path, shards, {2: [1]}, attach_limit=2)
    assert (keys, nodes) == _keys(example_pieces[:4] + example_pieces[5:10])
    assert parts == 3  # the spool and two shards attached: the others copied into the spool
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_the_shards_of_a_build_killed_while_writing_are_removed_by_the_next_build(tmp_path):
    corpus = generated(tmp_path / "corpus", 40)
    out = tmp_path / "build"
    env = {**os.environ, "KG_PAUSE_WRITING": "graph.json", "KG_PAUSE_SECONDS": "120"}
    args = [sys.executable, "-m", "kg.cli", "build", str(corpus), "--out", str(out), "--no-html", "--workers", "2"]
    process = subprocess.Popen(args, env=env, stderr=subprocess.PIPE, text=True)
    try:
        for line in process.stderr:
            if line.strip() == "kg: paused writing graph.json":
                break
        else:
            pytest.fail("kg build ended without pausing at graph.json")
    finally:
        process.kill()
        process.wait(timeout=60)
        process.stderr.close()
    left = sorted(p.name for p in out.glob(".kg-spool.*"))
    assert f".kg-spool.{process.pid}.sqlite" in left and len(left) in (2, 3)  # the spool, a shard per worker that had work
    assert {name.split(".")[2] for name in left} == {str(process.pid)}
    kg("build", str(corpus), "--out", str(out), "--no-html", "--workers", "2")
    assert sorted(p.name for p in out.iterdir()) == ["claims.jsonl", "graph.json"]


def test_a_failure_writing_claims_jsonl_beside_graph_json_fails_the_build_with_its_error(tmp_path):
    corpus = generated(tmp_path / "corpus", 150)  # more claims than a build writes in one process
    (tmp_path / "build" / "claims.jsonl").mkdir(parents=True)  # claims.jsonl cannot be written
    result = CliRunner().invoke(app, ["build", str(corpus), "--out", str(tmp_path / "build"), "--html", str(tmp_path / "page.html")])
    assert type(result.exception) is IsADirectoryError
    assert sorted(p.name for p in (tmp_path / "build").iterdir()) == ["claims.jsonl", "graph.json"]
    assert list((tmp_path / "build" / "claims.jsonl").iterdir()) == []
    assert not (tmp_path / "page.html").exists()


def test_a_failure_writing_graph_json_stops_claims_jsonl_and_leaves_no_temporaries(tmp_path, monkeypatch):
    corpus = generated(tmp_path / "corpus", 150)

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("kg.sinks.streamed.write_graph_file", full)
    result = CliRunner().invoke(app, ["build", str(corpus), "--out", str(tmp_path / "build"), "--no-html"])
    assert (type(result.exception), result.exception.errno) == (OSError, 28)
    assert [p.name for p in (tmp_path / "build").iterdir() if p.name != "claims.jsonl"] == []
