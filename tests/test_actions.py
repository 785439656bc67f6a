"""Analyst actions as nodes of their own: in the graph, in Neo4j (a claim owns its actions),
in RDF with its shapes, in GraphML, GEXF and JSON Lines.

The graph is the hand-made one of tests/actions_graph.py; the Neo4j tests need the server of
``scripts/neo4j-local`` (see tests/conftest.py) and start from an empty database.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import networkx as nx
import pytest
import rdflib
from actions_graph import actions_graph, claim_id
from rdflib import RDF, Literal, Namespace
from typer.testing import CliRunner

from kg.cli import app
from kg.graph import schema
from kg.sinks.files import graph_document, write_graph
from kg.sinks.gephi import write_gexf, write_graphml
from kg.sinks.neo4j import LoadError, clear_database, plan
from kg.sinks.rdf import read_rdf, validate_graph, write_rdf

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "corpus"
KG = Namespace("https://kg.example.org/ontology#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
UBS_TSMC = claim_id("UBS", "TSMC", "a2")
GS_ALIBABA = claim_id("Goldman Sachs", "Alibaba", "a3")


def kg(*args):
    result = CliRunner().invoke(app, [str(a) for a in args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def action(claim: str, index: int) -> str:
    return schema.action_id(claim, index)


def write_build(document: dict, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "graph.json").write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return folder


def dump(driver):
    """Every node by id (labels, properties) and every relationship (not the load's stamp)."""
    with driver.session() as session:
        nodes = {
            r["id"]: (sorted(r["labels"]), r["props"])
            for r in session.run(
                "MATCH (n) WHERE NOT n:KgLoad RETURN n.id AS id, labels(n) AS labels, properties(n) AS props"
            )
        }
        rels = sorted(
            (r["type"], r["s"], r["t"]) for r in session.run("MATCH (s)-[r]->(t) RETURN type(r) AS type, s.id AS s, t.id AS t")
        )
    return nodes, rels


def load(build_dir: Path, *options: str) -> dict:
    result = kg("load", build_dir, "--json", *options)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# --------------------------------------------------------------------------- the graph


def test_each_action_of_a_claim_is_a_node_it_states():
    graph = actions_graph()
    node = action(UBS_TSMC, 1)
    assert node == "action:" + UBS_TSMC.removeprefix("claim:") + "-1"
    assert graph.nodes[node] == {
        "label": "Action", "action": "target_cut", "rating": "neutral", "rating_class": "neutral",
        "price_target": 900, "previous_target": 1000, "currency": "TWD", "date": "2025-02-15T09:30:00",
    }  # fmt: skip
    assert [(v, d["type"]) for _, v, d in graph.out_edges(UBS_TSMC, data=True) if d["type"] == schema.STATES] == [
        (action(UBS_TSMC, 0), "STATES"),
        (action(UBS_TSMC, 1), "STATES"),
    ]
    assert "actions" not in graph.nodes[UBS_TSMC]  # the list is the nodes now
    assert sum(d["label"] == "Action" for _, d in graph.nodes(data=True)) == 14


def test_an_action_is_no_entity_of_the_views(tmp_path):
    from kg.views import entity_nodes, resolve_entity

    graph = actions_graph()
    assert not [n for n in entity_nodes(graph) if n.startswith("action:")]
    with pytest.raises(ValueError):
        resolve_entity(action(UBS_TSMC, 0), graph)


# --------------------------------------------------------------------------- the load plan


def test_a_claims_actions_are_its_parts_and_in_its_hash():
    document = graph_document(actions_graph())
    built = plan(document)
    claim = built.claims[GS_ALIBABA]
    assert [part.id for part in claim.parts] == [action(GS_ALIBABA, i) for i in range(3)]
    assert (schema.STATES, GS_ALIBABA, action(GS_ALIBABA, 2)) in claim.owned
    for node in document["nodes"]:
        if node["id"] == action(GS_ALIBABA, 0):
            node["price_target"] = 175
    changed = plan(document)
    assert changed.claims[GS_ALIBABA].hash != claim.hash
    assert {k: r.hash for k, r in changed.claims.items() if k != GS_ALIBABA} == {
        k: r.hash for k, r in built.claims.items() if k != GS_ALIBABA
    }


def test_an_action_of_no_claim_or_of_two_claims_is_refused():
    document = graph_document(actions_graph())
    document["edges"] = [e for e in document["edges"] if e["target"] != action(UBS_TSMC, 0)]
    with pytest.raises(LoadError, match=f"node {action(UBS_TSMC, 0)} \\(Action\\) is part of no Claim"):
        plan(document)
    document = graph_document(actions_graph())
    document["edges"].append({"source": GS_ALIBABA, "target": action(UBS_TSMC, 0), "type": "STATES", "key": "STATES"})
    with pytest.raises(LoadError, match="is part of two nodes"):
        plan(document)


# --------------------------------------------------------------------------- Neo4j


def test_load_writes_each_action_under_its_claim_with_its_day(neo4j_driver, tmp_path):
    document = graph_document(actions_graph())
    report = load(write_build(document, tmp_path / "build"))
    assert (report["new"]["Action"], report["new"]["Claim"]) == (14, 9)
    nodes, rels = dump(neo4j_driver)
    labels, props = nodes[action(UBS_TSMC, 1)]
    assert labels == ["Action"]
    assert {k: v for k, v in props.items() if k != "day"} == {
        "id": action(UBS_TSMC, 1), "action": "target_cut", "rating": "neutral", "rating_class": "neutral",
        "price_target": 900, "previous_target": 1000, "currency": "TWD", "date": "2025-02-15T09:30:00",
    }  # fmt: skip
    assert str(props["day"]) == "2025-02-15"
    assert ("STATES", UBS_TSMC, action(UBS_TSMC, 1)) in rels
    assert sum(t == "STATES" for t, _, _ in rels) == 14


def test_loading_the_examples_twice_writes_nothing_the_second_time(neo4j_driver, tmp_path):
    build = tmp_path / "build"
    assert kg("build", EXAMPLES, "--no-html", "--out", build).exit_code == 0
    first = load(build)
    assert first["new"]["Action"] > 0  # the examples state ratings and price targets
    before = dump(neo4j_driver)
    again = load(build)
    assert again["transactions"] == 0 and again["unchanged"]["Action"] == first["new"]["Action"]
    assert sum(again["new"].values()) + sum(again["changed"].values()) + sum(again["removed"].values()) == 0
    assert dump(neo4j_driver) == before


def test_a_changed_action_replaces_its_claims_actions_and_nothing_else(neo4j_driver, tmp_path):
    document = graph_document(actions_graph())
    load(write_build(document, tmp_path / "first"))
    before_nodes, before_rels = dump(neo4j_driver)
    # Goldman's Alibaba note: the HKD target becomes 175 and the rating line goes
    gone = action(GS_ALIBABA, 2)
    document["nodes"] = [n for n in document["nodes"] if n["id"] != gone]
    document["edges"] = [e for e in document["edges"] if e["target"] != gone]
    for node in document["nodes"]:
        if node["id"] == action(GS_ALIBABA, 0):
            node["price_target"] = 175
    report = load(write_build(document, tmp_path / "second"))
    assert report["changed"] == {"Article": 0, "Claim": 1, "Action": 2, "Entity": 0} and report["transactions"] == 1
    nodes, rels = dump(neo4j_driver)
    assert gone not in nodes and nodes[action(GS_ALIBABA, 0)][1]["price_target"] == 175
    assert set(before_rels) - set(rels) == {("STATES", GS_ALIBABA, gone)}
    mine = {GS_ALIBABA, gone, action(GS_ALIBABA, 0)}
    assert {k: v for k, v in nodes.items() if k not in mine} == {k: v for k, v in before_nodes.items() if k not in mine}
    clear_database(neo4j_driver, "neo4j")
    load(tmp_path / "second")
    assert dump(neo4j_driver) == (nodes, rels)


def test_a_claim_that_goes_takes_its_actions_along(neo4j_driver, tmp_path):
    document = graph_document(actions_graph())
    load(write_build(document, tmp_path / "first"))
    parts = {action(UBS_TSMC, 0), action(UBS_TSMC, 1)}
    document["nodes"] = [n for n in document["nodes"] if n["id"] not in parts | {UBS_TSMC}]
    document["edges"] = [e for e in document["edges"] if UBS_TSMC not in (e["source"], e["target"])]
    report = load(write_build(document, tmp_path / "second"))
    assert (report["removed"]["Claim"], report["removed"]["Action"]) == (1, 2)
    nodes, _ = dump(neo4j_driver)
    assert not parts & nodes.keys() and UBS_TSMC not in nodes
    with neo4j_driver.session() as session:
        assert session.run("MATCH (a:Action) WHERE NOT ()-[:STATES]->(a) RETURN count(a) AS n").single()["n"] == 0


def test_an_edited_article_replaces_its_claims_actions(neo4j_driver, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(EXAMPLES, corpus)
    assert kg("build", corpus, "--no-html", "--out", tmp_path / "b1").exit_code == 0
    load(tmp_path / "b1")
    edited = corpus / "ex09_broadcom-custom-chips.md"
    text = edited.read_text("utf-8")
    assert "raised its price target on the stock to $300" in text
    edited.write_text(text.replace("to $300", "to $320"), "utf-8")
    assert kg("build", corpus, "--no-html", "--out", tmp_path / "b2").exit_code == 0
    report = load(tmp_path / "b2")
    assert report["removed"]["Action"] >= 1 and report["new"]["Action"] == report["removed"]["Action"]
    with neo4j_driver.session() as session:
        targets = [r["p"] for r in session.run(
            "MATCH (:Entity {name: 'Broadcom'})<-[:ABOUT]-(:Claim)-[:STATES]->(a:Action) "
            "WHERE a.price_target IS NOT NULL RETURN a.price_target AS p"
        )]  # fmt: skip
    assert targets == [320]
    after = dump(neo4j_driver)
    clear_database(neo4j_driver, "neo4j")
    load(tmp_path / "b2")
    assert dump(neo4j_driver) == after


def test_prune_removes_actions_whose_claim_is_gone(neo4j_driver, tmp_path):
    build = write_build(graph_document(actions_graph()), tmp_path / "build")
    load(build)
    loaded = dump(neo4j_driver)
    with neo4j_driver.session() as session:  # an action whose claim someone deleted by hand
        session.run("CREATE (:Action {id: 'action:orphan-0', action: 'reiterate'})").consume()
    assert load(build)["removed"]["Action"] == 0  # without --prune it stays
    assert load(build, "--prune")["removed"]["Action"] == 1
    assert dump(neo4j_driver) == loaded


# --------------------------------------------------------------------------- RDF and the other exports


def test_rdf_has_each_action_with_its_kind_rating_targets_and_currency(tmp_path):
    path = tmp_path / "graph.ttl"
    write_rdf(actions_graph(), path, "turtle")
    data = read_rdf(path)
    [node] = data.subjects(DCTERMS.identifier, Literal(action(UBS_TSMC, 1)))
    assert set(data.predicate_objects(node)) == {
        (RDF.type, KG.Action),
        (DCTERMS.identifier, Literal(action(UBS_TSMC, 1))),
        (KG.actionKind, KG.target_cut),
        (KG.rating, Literal("neutral")),
        (KG.ratingClass, KG.neutral),
        (KG.priceTarget, Literal("900.0", datatype=rdflib.XSD.decimal)),
        (KG.previousTarget, Literal("1000.0", datatype=rdflib.XSD.decimal)),
        (KG.currency, Literal("TWD")),
    }
    [claim] = data.subjects(KG.states, node)
    assert str(data.value(claim, DCTERMS.identifier)) == UBS_TSMC
    assert validate_graph(data) == []


@pytest.mark.parametrize(
    "how, message",
    [
        ("currency", 'has a currency that is not an ISO 4217 code in use (USD, HKD, CNY, TWD, ...) or points: found "HK$"'),
        ("negative", 'has a price target that is not above zero: found "-5.0"'),
        ("no currency", "has a price target without a currency (an ISO 4217 code, or points for an index)"),
        ("kind", "has a kind of action that is not one of upgrade, downgrade, initiate, reiterate, target_raised, "
                 "target_cut, target_set: found kg:sold"),
        ("orphan", "is stated by no claim (an action is part of exactly one)"),
    ],
)  # fmt: skip
def test_validate_names_each_broken_action_in_plain_words(tmp_path, how, message):
    path = tmp_path / "graph.ttl"
    write_rdf(actions_graph(), path, "turtle")
    data = read_rdf(path)
    [node] = data.subjects(DCTERMS.identifier, Literal(action(UBS_TSMC, 1)))
    if how == "currency":
        data.set((node, KG.currency, Literal("HK$")))
    elif how == "negative":
        data.set((node, KG.priceTarget, Literal("-5.0", datatype=rdflib.XSD.decimal)))
    elif how == "no currency":
        data.remove((node, KG.currency, None))
    elif how == "kind":
        data.set((node, KG.actionKind, KG.sold))
    elif how == "orphan":
        data.remove((None, KG.states, node))
    assert [str(v) for v in validate_graph(data)] == [f"{action(UBS_TSMC, 1)} {message}"]


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graphml_and_gexf_carry_each_action_with_numbers_and_a_readable_label(tmp_path, fmt):
    graph = actions_graph()
    out = tmp_path / f"graph.{fmt}"
    (write_graphml if fmt == "graphml" else write_gexf)(graph, out)
    back = nx.read_graphml(out) if fmt == "graphml" else nx.read_gexf(out)
    node = back.nodes[action(GS_ALIBABA, 0)]
    assert node["type"] == "Action" and node["action"] == "target_raised"
    assert (node["price_target"], node["previous_target"], node["currency"]) == (174.0, 158.0, "HKD")
    assert node["label"] == "Goldman Sachs → Alibaba: target_raised 174 HKD (from 158), buy"
    assert back.number_of_nodes() == graph.number_of_nodes()
    assert "STATES" in {d["relationship"] for *_, d in back.edges(data=True)}


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_an_exported_builds_action_labels_name_their_claims_holder_and_target(tmp_path, fmt):
    write_graph(actions_graph(), tmp_path / "build" / "graph.json")  # kg's layout: exported as it streams
    out = tmp_path / f"graph.{fmt}"
    assert kg("export", fmt, tmp_path / "build", "--out", out).exit_code == 0
    back = nx.read_graphml(out) if fmt == "graphml" else nx.read_gexf(out)
    assert back.nodes[action(GS_ALIBABA, 0)]["label"] == "Goldman Sachs → Alibaba: target_raised 174 HKD (from 158), buy"
    assert back.nodes[action(UBS_TSMC, 0)]["label"] == "UBS → TSMC: downgrade, neutral"


def test_jsonl_export_carries_each_claims_actions(tmp_path):
    build = tmp_path / "build"
    write_graph(actions_graph(), build / "graph.json")
    from actions_graph import extractions

    from kg.sinks.files import write_claims

    write_claims([c for e in extractions() for c in e.claims], build / "claims.jsonl")
    out = tmp_path / "claims.jsonl"
    assert kg("export", "jsonl", build, "--out", out).exit_code == 0
    records = {(r["holder"], r["target"], r["article_id"]): r for r in map(json.loads, out.read_text("utf-8").splitlines())}
    assert records["UBS", "TSMC", "article:a2"]["actions"] == [
        {"action": "downgrade", "rating": "neutral", "rating_class": "neutral", "price_target": None,
         "previous_target": None, "currency": None},
        {"action": "target_cut", "rating": "neutral", "rating_class": "neutral", "price_target": 900,
         "previous_target": 1000, "currency": "TWD"},
    ]  # fmt: skip
