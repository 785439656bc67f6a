"""The open-format exports: RDF (Turtle, N-Triples, JSON-LD, TriG) with its ontology and
SHACL shapes, GraphML, GEXF and JSON Lines; and kg validate.

The example corpus is built once per module into a temporary folder. Exact expected rows
come from a tiny graph built here from hand-written records.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from xml.etree import ElementTree

import networkx as nx
import pytest
import rdflib
from rdflib import RDF, Literal, Namespace, URIRef
from typer.testing import CliRunner

from kg.cli import app
from kg.extract.catalogue import Catalogue, load_catalogue
from kg.graph import build_graph
from kg.model import Article, ArticleExtraction, Claim, Entity
from kg.pipeline import build
from kg.sinks.files import read_claims, read_graph, write_claims, write_graph
from kg.sinks.gephi import write_gexf, write_graphml
from kg.sinks.rdf import (
    DEFAULT_BASE,
    iri,
    label_languages,
    read_rdf,
    schema_file,
    validate_graph,
    write_rdf,
)

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples" / "corpus"
KG = Namespace("https://kg.example.org/ontology#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
PROV = Namespace("http://www.w3.org/ns/prov#")
RDF_FORMATS = {"turtle": "ttl", "nt": "nt", "jsonld": "jsonld", "trig": "trig"}

runner = CliRunner()


def kg(*args: str):
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


# --- Fixtures -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def example_build(tmp_path_factory) -> Path:
    """The example corpus built into a folder, as kg build writes it."""
    folder = tmp_path_factory.mktemp("build")
    result = build([EXAMPLES], load_catalogue())
    assert result.claims and not result.errors
    write_claims(result.claims, folder / "claims.jsonl")
    write_graph(result.graph, folder / "graph.json")
    return folder


@pytest.fixture(scope="module")
def example_exports(example_build, tmp_path_factory) -> dict[str, Path]:
    """The example build exported in every RDF format through the command line."""
    folder = tmp_path_factory.mktemp("exports")
    paths = {}
    for fmt, suffix in RDF_FORMATS.items():
        paths[fmt] = folder / f"graph.{suffix}"
        result = kg("export", "rdf", "--format", fmt, "--build", example_build, "--out", paths[fmt])
        assert result.exit_code == 0, result.output
    return paths


def article(article_id: str, lang: str, date: str | None, title: str) -> Article:
    body = "x" * 200
    return Article(article_id, f"{article_id}.md", title, date, lang, None, "Test Wire", body, body)


def claim(article_: Article, holder: str, target: str, stance: str, assessment: str, evidence: str,
          start: int, holder_type: str = "Institution", target_type: str = "Company") -> Claim:
    return Claim(
        article_id=article_.id, article_file=article_.path, article_date=article_.date,
        holder=holder, holder_type=holder_type, target=target, target_type=target_type,
        stance=stance, assessment=assessment, topic=None, evidence=evidence,
        evidence_start=start, evidence_end=start + len(evidence), confidence=0.75, extractor="kg-rules/0.2.0",
    )


TINY_CATALOGUE = Catalogue([
    Entity("UBS", "Institution", ("UBS", "瑞银", "瑞銀")),
    Entity("Goldman Sachs", "Institution", ("Goldman Sachs", "高盛")),
    Entity("Meta", "Company", ("Meta", "Meta Platforms")),
    Entity("Nvidia", "Company", ("Nvidia", "英伟达", "英偉達")),
])
ZH = article("article:00000000000000a1", "zh-Hans", "2025-01-30", "瑞银上调Meta评级")
EN = article("article:00000000000000b2", "en", "2025-02-03T09:30:00", "UBS and Goldman on Meta")
TINY_CLAIMS = (
    claim(ZH, "UBS", "Meta", "positive", "上调评级", "瑞银上调Meta评级。", 0),
    claim(ZH, "UBS", "Nvidia", "negative", "承压", "瑞银称英伟达短期承压。", 20),
    claim(EN, "UBS", "Meta", "mixed", "capex risk", "UBS said Meta's capex is a risk but ads are strong.", 10),
    claim(EN, "Goldman Sachs", "Meta", "negative", "expensive", "Goldman Sachs called Meta expensive.", 80),
)


@pytest.fixture(scope="module")
def tiny_graph() -> nx.MultiDiGraph:
    extractions = [
        ArticleExtraction(a, tuple(c for c in TINY_CLAIMS if c.article_id == a.id), ("Meta", "Nvidia", "UBS"))
        for a in (ZH, EN)
    ]
    return build_graph(extractions, TINY_CATALOGUE)


def count(graph: rdflib.Graph, predicate=None, rdf_class=None) -> int:
    if rdf_class is not None:
        return len(set(graph.subjects(RDF.type, rdf_class)))
    return len(set(graph.objects(None, predicate)))


# --- The published model -------------------------------------------------------------------


@pytest.mark.parametrize("name", ["kg.ttl", "shapes.ttl"])
def test_package_copy_of_the_schema_is_identical_to_the_published_one(name):
    # schema/ is the published model; kg/schema_data/ is the copy the package reads at run time.
    assert schema_file(name).read_bytes() == (REPO / "schema" / name).read_bytes(), (
        f"schema/{name} and kg/schema_data/{name} differ: edit schema/ and copy it to kg/schema_data/"
    )


def test_every_kg_term_the_export_uses_is_declared_in_the_ontology(example_exports):
    ontology = rdflib.Graph().parse(REPO / "schema" / "kg.ttl", format="turtle")
    declared = set(ontology.subjects(RDF.type, None))
    data = read_rdf(example_exports["turtle"])
    used = {p for p in data.predicates() if str(p).startswith(str(KG))}
    used |= {o for o in data.objects(None, RDF.type) if str(o).startswith(str(KG))}
    used |= {o for o in data.objects(None, KG.stance)}
    assert used and used <= declared, sorted(used - declared)


# --- RDF export -------------------------------------------------------------------------------


def test_examples_export_validates_with_zero_violations(example_exports):
    result = kg("validate", example_exports["turtle"])
    assert result.exit_code == 0, result.output
    assert validate_graph(read_rdf(example_exports["turtle"])) == []


def test_turtle_read_back_has_the_builds_numbers_of_claims_holders_targets_and_articles(example_build, example_exports):
    claims = read_claims(example_build / "claims.jsonl")
    graph = read_graph(example_build / "graph.json")
    data = rdflib.Graph().parse(example_exports["turtle"], format="turtle")
    assert count(data, rdf_class=KG.Claim) == len(claims)
    assert count(data, KG.holder) == len({c.holder for c in claims})
    assert count(data, KG.about) == len({c.target for c in claims})
    assert count(data, rdf_class=KG.Article) == sum(1 for _, d in graph.nodes(data=True) if d["label"] == "Article")


def rdflib_triples(path: Path, fmt: str) -> set:
    """The triples of an export as rdflib's own parser reads them (a TriG file's graphs merged)."""
    if fmt == "trig":
        dataset = rdflib.Dataset()
        dataset.parse(path, format="trig")
        return {(s, p, o) for s, p, o, _ in dataset.quads((None, None, None, None))}
    return set(rdflib.Graph().parse(path, format={"jsonld": "json-ld"}.get(fmt, fmt)))


@pytest.mark.parametrize("fmt", ["turtle", "jsonld", "trig"])
def test_every_format_reads_back_as_the_same_triples_as_n_triples(example_exports, fmt):
    reference = set(read_rdf(example_exports["nt"]))
    assert set(read_rdf(example_exports[fmt])) == reference
    # Other tools read it the same: rdflib's parsers (rdflib compares language tags case-insensitively).
    assert rdflib_triples(example_exports[fmt], fmt) == rdflib_triples(example_exports["nt"], "nt") == reference


def test_iris_ending_in_a_dot_read_back_and_validate_in_every_format(tiny_graph, tmp_path):
    # Turtle writes <…/outlet/Test%20Wire%20Inc.> as outlet:Test\%20Wire\%20Inc\. (valid Turtle that
    # rdflib's parser rejects, rdflib#933): read_rdf and kg validate parse with Oxigraph.
    graph = tiny_graph.copy()
    for _, data in graph.nodes(data=True):
        if data["label"] == "Article":
            data["outlet"] = "Test Wire Inc."
    outlet = URIRef(DEFAULT_BASE + "outlet/Test%20Wire%20Inc.")
    triples = {}
    for fmt, suffix in RDF_FORMATS.items():
        path = tmp_path / f"graph.{suffix}"
        write_rdf(graph, path, fmt)
        triples[fmt] = set(read_rdf(path))
        assert (outlet, RDF.type, URIRef("https://schema.org/NewsMediaOrganization")) in triples[fmt], fmt
        assert kg("validate", path).exit_code == 0, fmt
    assert all(found == triples["nt"] for found in triples.values())


def test_an_article_language_that_is_no_language_tag_is_kept_but_not_used_as_a_tag(tiny_graph, tmp_path):
    graph = tiny_graph.copy()
    graph.nodes[ZH.id]["lang"] = "zh_CN"  # not BCP 47: the title and evidence are tagged by their script
    path = tmp_path / "graph.nt"
    write_rdf(graph, path, "nt")
    data = read_rdf(path)
    article_ = URIRef(iri(ZH.id))
    assert data.value(article_, DCTERMS.language) == Literal("zh_CN")
    assert data.value(article_, DCTERMS.title) == Literal(ZH.title, lang="zh-Hans")
    evidence = {o for o in data.objects(None, KG.evidence) if str(o) == "瑞银上调Meta评级。"}
    assert evidence == {Literal("瑞银上调Meta评级。", lang="zh-Hans")}


def test_chinese_labels_keep_their_language_tags(example_exports):
    data = rdflib.Graph().parse(example_exports["turtle"], format="turtle")
    ubs = URIRef(DEFAULT_BASE + "entity/UBS")
    assert set(data.objects(ubs, SKOS.prefLabel)) == {Literal("UBS", lang="en")}
    # Language tags are case-insensitive (BCP 47): Oxigraph writes them lowercased (zh-hans).
    labels = {(str(o), o.language.lower()) for o in data.objects(ubs, SKOS.altLabel)}
    assert {("瑞银", "zh-hans"), ("瑞銀", "zh-hant")} <= labels
    # A name written the same in both scripts is a label in both.
    goldman = URIRef(DEFAULT_BASE + "entity/Goldman%20Sachs")
    goldman_labels = {(str(o), o.language.lower()) for o in data.objects(goldman, SKOS.altLabel)}
    assert {("高盛", "zh-hans"), ("高盛", "zh-hant")} <= goldman_labels
    # Titles and evidence carry their article's language.
    title_languages = {o.language.lower() for o in data.objects(None, DCTERMS.title)}
    assert {"zh-hans", "zh-hant", "en"} <= title_languages
    evidence_languages = {o.language.lower() for o in data.objects(None, KG.evidence)}
    assert {"zh-hans", "zh-hant", "en"} <= evidence_languages
    assert re.search(r'"瑞银"@zh-hans\b', example_exports["turtle"].read_text("utf-8"), re.IGNORECASE)
    assert re.search(r'"瑞銀"@zh-hant\b', example_exports["nt"].read_text("utf-8"), re.IGNORECASE)


def test_label_languages_tell_simplified_traditional_both_and_english():
    assert label_languages("UBS") == ("en",)
    assert label_languages("瑞银") == ("zh-Hans",)
    assert label_languages("瑞銀") == ("zh-Hant",)
    assert label_languages("高盛") == ("zh-Hans", "zh-Hant")
    assert label_languages("Meta公司") == ("zh-Hans", "zh-Hant")
    assert label_languages("삼성") == ()


def test_two_runs_give_identical_files_and_iris_from_canonical_ids(example_build, example_exports, tmp_path):
    for fmt, suffix in RDF_FORMATS.items():
        again = tmp_path / f"again.{suffix}"
        assert kg("export", "rdf", "-f", fmt, "-b", example_build, "-o", again).exit_code == 0
        assert again.read_bytes() == example_exports[fmt].read_bytes(), fmt
    graph = read_graph(example_build / "graph.json")
    for fmt in ("graphml", "gexf"):
        first, second = tmp_path / f"1.{fmt}", tmp_path / f"2.{fmt}"
        (write_graphml if fmt == "graphml" else write_gexf)(graph, first)
        (write_graphml if fmt == "graphml" else write_gexf)(graph, second)
        assert first.read_bytes() == second.read_bytes(), fmt
    data = read_rdf(example_exports["turtle"])
    claim_iris = {str(s) for s in data.subjects(RDF.type, KG.Claim)}
    claim_ids = {c.id for c in read_claims(example_build / "claims.jsonl")}
    assert claim_iris == {DEFAULT_BASE + "claim/" + i.removeprefix("claim:") for i in claim_ids}


def test_iris_follow_the_base_iri(tiny_graph, tmp_path):
    path = tmp_path / "graph.nt"
    write_rdf(tiny_graph, path, "nt", base="https://example.net/kg/")
    subjects = {str(s) for s in read_rdf(path).subjects()}
    assert "https://example.net/kg/entity/Goldman%20Sachs" in subjects
    assert not any(s.startswith(DEFAULT_BASE) for s in subjects)
    assert iri("entity:S&P 500") == "https://kg.example.org/entity/S%26P%20500"


def test_sparql_what_did_ubs_say_about_meta(tiny_graph, tmp_path):
    path = tmp_path / "graph.ttl"
    write_rdf(tiny_graph, path, "turtle")
    data = rdflib.Graph().parse(path, format="turtle")
    rows = data.query(
        """
        PREFIX kg: <https://kg.example.org/ontology#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?stance ?assessment ?evidence ?date WHERE {
            ?holder skos:altLabel "瑞银"@zh-Hans .
            ?target skos:prefLabel "Meta"@en .
            ?claim kg:holder ?holder ; kg:about ?target ; kg:stance ?s ; kg:assessment ?assessment ;
                   kg:evidence ?evidence ; prov:wasDerivedFrom/dcterms:date ?date .
            BIND(STRAFTER(STR(?s), "#") AS ?stance)
        } ORDER BY ?date
        """
    )
    assert [tuple(str(v) for v in row) for row in rows] == [
        ("positive", "上调评级", "瑞银上调Meta评级。", "2025-01-30"),
        ("mixed", "capex risk", "UBS said Meta's capex is a risk but ads are strong.", "2025-02-03T09:30:00"),
    ]


def test_a_claim_records_its_extractor_and_version_through_prov(tiny_graph, tmp_path):
    path = tmp_path / "graph.ttl"
    write_rdf(tiny_graph, path, "turtle")
    rows = read_rdf(path).query(
        """
        PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX schema: <https://schema.org/>
        SELECT DISTINCT ?name ?version ?article WHERE {
            ?claim prov:wasGeneratedBy ?run ; prov:wasDerivedFrom ?article .
            ?run prov:used ?article ; prov:wasAssociatedWith ?agent .
            ?agent schema:name ?name ; schema:softwareVersion ?version .
        } ORDER BY ?article
        """
    )
    assert [tuple(str(v) for v in row) for row in rows] == [
        ("kg-rules", "0.2.0", iri(ZH.id)),
        ("kg-rules", "0.2.0", iri(EN.id)),
    ]


# --- kg validate ---------------------------------------------------------------------------------


def test_validate_reports_a_claim_without_holder_by_its_id(example_exports, tmp_path):
    data = read_rdf(example_exports["turtle"])
    victim = sorted(data.subjects(RDF.type, KG.Claim))[0]
    victim_id = str(data.value(victim, DCTERMS.identifier))
    data.remove((victim, KG.holder, None))
    broken = tmp_path / "broken.nt"
    broken.write_text(data.serialize(format="nt"), encoding="utf-8")

    result = kg("validate", broken)

    assert result.exit_code == 1
    assert result.stdout.splitlines() == [f"{victim_id} has no holder (a claim needs exactly one)"]
    assert "1 violation in" in result.output


def _break(graph: rdflib.Graph, how: str) -> tuple[str, str]:
    """Break the first claim of ``graph`` in one way; its id and its article's id."""
    claim_ = sorted(graph.subjects(RDF.type, KG.Claim))[0]
    if how == "stance":
        graph.set((claim_, KG.stance, KG.bullish))
    elif how == "offsets":
        graph.set((claim_, KG.evidenceStart, Literal(50)))
        graph.set((claim_, KG.evidenceEnd, Literal(40)))
    elif how == "negative":
        graph.set((claim_, KG.evidenceStart, Literal(-3)))
    elif how == "target":
        graph.remove((claim_, KG.about, None))
    elif how == "two holders":
        graph.add((claim_, KG.holder, URIRef(DEFAULT_BASE + "entity/Goldman%20Sachs")))
    elif how == "undated":
        graph.remove((graph.value(claim_, PROV.wasDerivedFrom), DCTERMS.date, None))
    article_ = graph.value(claim_, PROV.wasDerivedFrom)
    return str(graph.value(claim_, DCTERMS.identifier)), str(graph.value(article_, DCTERMS.identifier))


@pytest.mark.parametrize(
    "how, message",
    [
        ("stance", "has a stance that is not one of positive, negative, neutral, mixed: found kg:bullish"),
        ("offsets", "has an evidence start offset that is not before its end offset: found \"50\""),
        ("negative", "has a negative evidence start offset: found \"-3\""),
        ("target", "has no target (a claim needs at least one)"),
        ("two holders", "has more than one holder (a claim needs exactly one)"),
        ("undated", "derives from an article that has no date: found {article}"),
    ],
)
def test_validate_names_each_kind_of_broken_claim_in_plain_words(tiny_graph, tmp_path, how, message):
    path = tmp_path / "graph.ttl"
    write_rdf(tiny_graph, path, "turtle")
    data = read_rdf(path)
    claim_id, article_id = _break(data, how)
    violations = validate_graph(data)
    assert [str(v) for v in violations if v.focus == claim_id] == [f"{claim_id} {message.format(article=article_id)}"]


def test_validate_a_missing_file_exits_3(tmp_path):
    assert kg("validate", tmp_path / "nothing.ttl").exit_code == 3


def test_validate_json_lists_violations(tiny_graph, tmp_path):
    path = tmp_path / "graph.ttl"
    write_rdf(tiny_graph, path, "turtle")
    result = kg("validate", path, "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"file": str(path), "claims": 4, "conforms": True, "violations": []}


# --- kg export: other formats and errors ------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graphml_and_gexf_read_back_with_the_graphs_counts_and_attributes(example_build, tmp_path, fmt):
    out = tmp_path / f"graph.{fmt}"
    assert kg("export", fmt, "--build", example_build, "--out", out).exit_code == 0
    graph = read_graph(example_build / "graph.json")
    back = nx.read_graphml(out) if fmt == "graphml" else nx.read_gexf(out)
    assert back.number_of_nodes() == graph.number_of_nodes()
    assert back.number_of_edges() == graph.number_of_edges()
    claim_id = next(n for n, d in graph.nodes(data=True) if d["label"] == "Claim")
    original, node = graph.nodes[claim_id], back.nodes[claim_id]
    assert node["type"] == "Claim" and node["stance"] == original["stance"]
    assert node["date"] == original["article_date"] and node["evidence_start"] == original["evidence_start"]
    assert node["label"] == f"{original['holder']} → {original['target']} ({original['stance']})"
    if fmt == "graphml":  # one key id per attribute, even where nodes and edges share a name
        keys = [k.get("id") for k in ElementTree.parse(out).getroot() if k.tag.endswith("key")]
        assert len(keys) == len(set(keys))
    relationships = {d["relationship"] for *_, d in back.edges(data=True)}
    assert relationships == {d["type"] for *_, d in graph.edges(data=True)}


def test_graphml_and_gexf_replace_characters_xml_cannot_hold(tiny_graph, tmp_path):
    graph = tiny_graph.copy()
    claim_id = next(n for n, d in graph.nodes(data=True) if d["label"] == "Claim")
    graph.nodes[claim_id]["evidence"] = "page\x0cbreak"
    write_graphml(graph, tmp_path / "g.graphml")
    write_gexf(graph, tmp_path / "g.gexf")
    assert nx.read_graphml(tmp_path / "g.graphml").nodes[claim_id]["evidence"] == "page\ufffdbreak"
    assert nx.read_gexf(tmp_path / "g.gexf").nodes[claim_id]["evidence"] == "page\ufffdbreak"


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_a_control_character_in_an_articles_text_is_replaced_in_the_exported_build(tiny_graph, tmp_path, fmt):
    graph = tiny_graph.copy()
    article_id = next(n for n, d in graph.nodes(data=True) if d["label"] == "Article")
    graph.nodes[article_id]["title"] = "page\x0cbreak\x00"
    write_graph(graph, tmp_path / "build" / "graph.json")
    out = tmp_path / f"graph.{fmt}"
    assert kg("export", fmt, tmp_path / "build", "--out", out).exit_code == 0
    back = nx.read_graphml(out) if fmt == "graphml" else nx.read_gexf(out)
    assert back.nodes[article_id]["title"] == "page\ufffdbreak\ufffd"
    assert back.nodes[article_id]["label"] == "page\ufffdbreak\ufffd"


def test_jsonl_export_is_the_builds_claim_records(example_build, tmp_path):
    out = tmp_path / "claims.jsonl"
    assert kg("export", "jsonl", "--build", example_build, "--out", out).exit_code == 0
    assert out.read_bytes() == (example_build / "claims.jsonl").read_bytes()


def test_export_without_a_build_exits_3_and_says_to_run_kg_build(tmp_path):
    result = kg("export", "rdf", "--build", tmp_path / "missing", "--out", tmp_path / "g.ttl")
    assert result.exit_code == 3
    assert "run kg build first" in result.output


def test_export_rdf_rejects_an_unknown_format_or_base_with_exit_2(example_build, tmp_path):
    assert kg("export", "rdf", "-f", "rdfxml", "-b", example_build, "-o", tmp_path / "g").exit_code == 2
    assert kg("export", "rdf", "-b", example_build, "-o", tmp_path / "g", "--base", "not an iri").exit_code == 2
