"""kg export neo4j-csv: a build as CSV files for Neo4j's bulk importer, and the importer run
for real (``scripts/neo4j-local import``) into a second local server.

The first tests need no server: they read the files back as the importer reads them (its
header format: ``name:type`` columns, ``:ID``, ``:LABEL``, ``:START_ID``/``:END_ID``/``:TYPE``).
The last one imports the examples' build into a fresh database of a server of its own, starts
it, runs ``kg load`` (constraints, indexes, and the nodes the CSV could not hold exactly) and
compares everything with what ``kg load`` alone writes into the test server.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import socket
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from kg.graph import schema
from kg.sinks.neo4j import LOCAL_PASSWORD, LoadError, Settings, connect, plan, read_document
from kg.sinks.neo4j.bulk import ARRAY_DELIMITER, write_import_files
from kg.sinks.neo4j.bulk_stream import export_file, survey
from kg.sinks.neo4j.stamp import file_digest
from test_neo4j import NEO4J_LOCAL, ROOT, dump, examples_build, kg, small_graph  # noqa: F401 (a fixture)

TYPES = {"long": int, "double": float, "boolean": lambda text: text == "true", "date": date.fromisoformat}


def read_back(folder: Path) -> tuple[dict[str, tuple[list[str], dict]], list[tuple[str, str, str]]]:
    """The nodes (by id: labels, properties) and relationships the importer reads from the files."""
    nodes = {}
    for name in sorted(p.name for p in folder.glob("nodes-*.csv")):
        with open(folder / name, encoding="utf-8", newline="") as handle:
            rows = csv.reader(handle)
            header = next(rows)
            assert header[0] == "id:ID" and header[-1] == ":LABEL"
            for row in rows:
                props = {"id": row[0]}
                for column, text in zip(header[1:-1], row[1:-1], strict=True):
                    key, _, kind = column.partition(":")
                    if text == "":
                        continue
                    if kind.endswith("[]"):
                        convert = TYPES.get(kind[:-2], str)
                        props[key] = [convert(part) for part in text.split(ARRAY_DELIMITER)]
                    else:
                        props[key] = TYPES.get(kind, str)(text)
                nodes[row[0]] = (sorted(row[-1].split(ARRAY_DELIMITER)), props)
    with open(folder / "relationships.csv", encoding="utf-8", newline="") as handle:
        rows = csv.reader(handle)
        assert next(rows) == [":START_ID", ":END_ID", ":TYPE"]
        rels = sorted((kind, start, end) for start, end, kind in rows)
    return nodes, rels


def test_the_csv_files_hold_every_node_with_its_labels_and_typed_properties(tmp_path):
    doc = small_graph()
    built = plan(doc)
    write_import_files(built, tmp_path, "digest")
    nodes, rels = read_back(tmp_path)
    assert rels == sorted((e["type"], e["source"], e["target"]) for e in doc["edges"])
    assert nodes.keys() == {n["id"] for n in doc["nodes"]}
    for kind in schema.NODE_KINDS:
        for row in built.nodes[kind].values():
            labels, props = nodes[row.id]
            assert labels == sorted({row.kind, row.label})
            want = row.write_props()
            if any(value == [] for value in want.values()):  # written whole by the kg load after the import
                want = {k: v for k, v in want.items() if v != [] and k != schema.LOAD_HASH}
            assert props == want


def test_a_claims_file_has_the_importer_header_with_each_type(tmp_path):
    write_import_files(plan(small_graph()), tmp_path, "digest")
    headers = {p.name: p.read_text("utf-8").splitlines()[0] for p in tmp_path.glob("nodes-claim-*.csv")}
    assert sorted(headers.values()) == [
        "id:ID,article_date,article_file,article_id,assessment,confidence:double,day:date,evidence,evidence_end:long,"
        "evidence_start:long,extractor,holder,holder_type,kg_hash,stance,target,target_type,:LABEL",
        "id:ID,article_date,article_file,article_id,assessment,confidence:double,day:date,evidence,evidence_end:long,"
        "evidence_start:long,extractor,holder,holder_type,kg_hash,stance,target,target_type,topic,:LABEL",
    ]


def test_the_arguments_name_every_file_and_the_delimiters_used(tmp_path):
    written = write_import_files(plan(small_graph()), tmp_path, "digest")
    arguments = (tmp_path / "arguments.txt").read_text("utf-8").splitlines()
    assert arguments == written.arguments
    assert sorted(a.split("=", 1)[1] for a in arguments if a.startswith("--nodes=")) == sorted(
        [p.name for p in tmp_path.glob("nodes-*.csv")] + ["stamp.csv"]
    )
    assert "--relationships=relationships.csv" in arguments and "--array-delimiter=U+001F" in arguments
    assert written.command().startswith("neo4j-admin database import full --nodes=") and written.command().endswith(" neo4j")


def test_kg_export_neo4j_csv_writes_the_folder(tmp_path, examples_build):
    result = kg("export", "neo4j-csv", examples_build, "--out", tmp_path / "csv")
    assert result.exit_code == 0, result.output
    nodes, rels = read_back(tmp_path / "csv")
    doc = json.loads((examples_build / "graph.json").read_text("utf-8"))
    assert len(nodes) == len(doc["nodes"]) and len(rels) == len(doc["edges"])


# --------------------------------------------------------------------------- graph.json read as it streams


def whole_export(graph_file: Path, folder: Path) -> dict[str, bytes]:
    """The files as kg export neo4j-csv wrote them before it streamed: the whole plan's."""
    write_import_files(plan(read_document(graph_file)), folder, file_digest(graph_file))
    return folder_bytes(folder)


def folder_bytes(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def in_kg_layout(document: dict, path: Path) -> Path:
    """A node-link document written as kg build writes graph.json: sorted, indented by one."""
    document = {
        **document,
        "nodes": sorted(document["nodes"], key=lambda n: n["id"]),
        "edges": sorted(document["edges"], key=lambda e: (e["source"], e["target"], e["key"])),
    }
    path.write_text(json.dumps(document, ensure_ascii=False, sort_keys=True, indent=1) + "\n", encoding="utf-8")
    return path


def examples_document(examples_build: Path) -> dict:
    return json.loads((examples_build / "graph.json").read_text("utf-8"))


def test_the_streamed_export_of_the_examples_is_the_bytes_the_whole_plan_wrote(examples_build, tmp_path):
    graph_file = examples_build / "graph.json"
    found = survey(graph_file)
    assert found.streamable and found.parts == 18  # streamed, actions and all
    export_file(graph_file, tmp_path / "streamed")
    assert folder_bytes(tmp_path / "streamed") == whole_export(graph_file, tmp_path / "whole")


def test_kg_export_neo4j_csv_never_reads_graph_json_whole(examples_build, tmp_path, monkeypatch):
    def whole_read(path):
        raise AssertionError(f"{path} read whole")

    for name in ("kg.sinks.neo4j.bulk_stream.read_document", "kg.sinks.files._whole", "kg.sinks.files.read_graph"):
        monkeypatch.setattr(name, whole_read)
    result = kg("export", "neo4j-csv", examples_build, "--out", tmp_path / "csv")
    assert result.exit_code == 0, result.output
    assert "272 nodes in 19 files and 653 relationships" in result.output


def test_a_graph_json_whose_nodes_are_not_in_kg_order_is_exported_whole_to_the_same_bytes(examples_build, tmp_path):
    document = examples_document(examples_build)
    graph_file = tmp_path / "graph.json"
    graph_file.write_text(json.dumps({**document, "nodes": document["nodes"][::-1]}, ensure_ascii=False, indent=1), "utf-8")
    assert not survey(graph_file).in_order
    export_file(graph_file, tmp_path / "file")
    assert folder_bytes(tmp_path / "file") == whole_export(graph_file, tmp_path / "whole")


def test_a_graph_json_in_another_layout_with_links_is_exported_whole_to_the_same_bytes(examples_build, tmp_path):
    document = examples_document(examples_build)
    document["links"] = document.pop("edges")
    graph_file = tmp_path / "graph.json"
    graph_file.write_text(json.dumps(document, ensure_ascii=False), "utf-8")
    written = export_file(graph_file, tmp_path / "file")
    assert written.relationships == 653
    assert folder_bytes(tmp_path / "file") == whole_export(graph_file, tmp_path / "whole")


def test_a_claim_whose_holder_is_not_its_asserts_edges_is_exported_whole_to_the_same_bytes(examples_build, tmp_path):
    document = examples_document(examples_build)
    claim = next(node for node in document["nodes"] if node["label"] == schema.CLAIM)
    claim["holder"] = "Someone Else"  # the ASSERTS edge still comes from the old holder: its hash must say so
    graph_file = in_kg_layout(document, tmp_path / "graph.json")
    found = survey(graph_file)
    assert found.in_order and not found.streamable
    export_file(graph_file, tmp_path / "file")
    assert folder_bytes(tmp_path / "file") == whole_export(graph_file, tmp_path / "whole")


def _edge(source: str, target: str, rel_type: str) -> dict:
    return {"key": rel_type, "source": source, "target": target, "type": rel_type}


BROKEN = {  # what is done to the examples' graph.json → the file kg refuses
    "an edge to no node": lambda d, ids: d["edges"].append(_edge(ids["Article"], "entity:Nobody at all", "MENTIONS")),
    "an edge from no node": lambda d, ids: d["edges"].append(_edge("article:0", ids["Entity"], "MENTIONS")),
    "an unknown type": lambda d, ids: d["edges"].append(_edge(ids["Article"], ids["Entity"], "LIKES")),
    "the wrong kinds": lambda d, ids: d["edges"].append(_edge(ids["Claim"], ids["Entity"], "MENTIONS")),
    "an action no claim states": lambda d, ids: d["edges"].remove(next(e for e in d["edges"] if e["type"] == "STATES")),
}


@pytest.mark.parametrize("broken", BROKEN)
def test_a_broken_graph_json_is_refused_with_the_whole_plans_message(examples_build, tmp_path, broken):
    document = examples_document(examples_build)
    first = {}
    for node in document["nodes"]:
        first.setdefault(schema.node_kind(node["label"]), node["id"])
    BROKEN[broken](document, first)
    graph_file = in_kg_layout(document, tmp_path / "graph.json")
    with pytest.raises(LoadError) as whole:
        plan(read_document(graph_file))
    assert survey(graph_file).streamable
    with pytest.raises(LoadError) as streamed:
        export_file(graph_file, tmp_path / "file")
    assert str(streamed.value) == str(whole.value)


def test_a_graph_json_refused_half_way_through_the_writing_leaves_no_files(examples_build, tmp_path):
    document = examples_document(examples_build)
    entity = next(node["id"] for node in document["nodes"] if node["id"].startswith("entity:"))
    document["edges"].append(_edge(entity, "entity:Nobody at all", "MADE_BY"))  # found among the last nodes
    graph_file = in_kg_layout(document, tmp_path / "graph.json")
    (tmp_path / "file").mkdir()
    (tmp_path / "file" / "arguments.txt").write_text("--nodes=nodes-claim-1.csv\n", "utf-8")  # an older export's
    with pytest.raises(LoadError, match="points at a node that is not in the graph"):
        export_file(graph_file, tmp_path / "file")
    assert list((tmp_path / "file").iterdir()) == []


# --------------------------------------------------------------------------- the importer, for real


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_imported_then_loaded_is_exactly_what_kg_load_writes(neo4j_driver, examples_build, tmp_path):
    if shutil.which("java") is None and not os.environ.get("NEO4J_JAVA"):
        if os.environ.get("CI"):
            pytest.fail("java is needed for scripts/neo4j-local import")
        pytest.skip("java is needed for scripts/neo4j-local import")
    assert kg("load", examples_build).exit_code == 0
    expected = dump(neo4j_driver)

    assert kg("export", "neo4j-csv", examples_build, "--out", tmp_path / "csv").exit_code == 0
    doc = json.loads((examples_build / "graph.json").read_text("utf-8"))
    built = plan(doc)
    port = free_port()
    env = {**os.environ, "NEO4J_STATE": str(tmp_path / "state"), "NEO4J_BOLT_PORT": str(port)}
    env.setdefault("NEO4J_PASSWORD", LOCAL_PASSWORD)

    def local(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([NEO4J_LOCAL, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)

    imported = local("import", str(tmp_path / "csv"))
    assert imported.returncode == 0, imported.stderr[-3000:]
    assert "IMPORT DONE" in imported.stdout
    try:
        started = local("start", "--keep-data")
        assert started.returncode == 0, started.stderr[-3000:]
        settings = Settings(uri=f"bolt://127.0.0.1:{port}", password=env["NEO4J_PASSWORD"])
        driver = connect(settings)
        try:
            before = dump(driver)
            assert len(before[0]) == len(expected[0]) and before[1] == expected[1]  # everything, before kg load
            load_env = {"NEO4J_URI": settings.uri, "NEO4J_BOLT_PORT": str(port)}

            def load() -> dict:
                result = subprocess.run(
                    [sys.executable, "-c", "from kg.cli import app; app()", "load", str(examples_build), "--json"],
                    env={**env, **load_env}, cwd=ROOT, capture_output=True, text=True, timeout=300,
                )  # fmt: skip
                assert result.returncode == 0, result.stderr
                return json.loads(result.stdout)

            report = load()
            assert report["same_as_last_load"] and report["transactions"] == 0  # the import's stamp: nothing compared
            assert report["new"] == {"Article": 0, "Claim": 0, "Action": 0, "Entity": 0}
            pending = [n for n in doc["nodes"] if [] in n.values()]  # an empty list: written by the load
            assert report["changed"] == {"Article": 0, "Claim": 0, "Action": 0, "Entity": len(pending)} and pending
            assert dump(driver) == expected
            with driver.session() as session:
                names = {r["name"] for r in session.run("SHOW CONSTRAINTS YIELD name RETURN name")}
            assert {"claim_id", "entity_id", "article_id", "action_id"} <= names
            again = load()  # the import's stamp is now the load's own: nothing left to do
            assert again["same_as_last_load"] and again["transactions"] == 0
            assert again["changed"] == {"Article": 0, "Claim": 0, "Action": 0, "Entity": 0}
            assert again["unchanged"] == {kind: len(built.nodes[kind]) for kind in schema.NODE_KINDS}
            with driver.session() as session:
                stamp = session.run("MATCH (s:KgLoad) RETURN s.imported AS imported, s.pending AS pending").single()
            assert (stamp["imported"], stamp["pending"]) == (None, None)
            assert dump(driver) == expected
        finally:
            driver.close()
    finally:
        local("stop")
