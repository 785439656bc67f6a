"""How kg load CREATEs new nodes (kg.sinks.neo4j.statements): the rows of a batch are grouped
by shape (how many relationships of each type a node owns), each shape written by a
statement of its own without a subquery a row, a node with more than one list of ends by the
general statement; whichever way, the database ends up with exactly the build, and an end
node missing from the database fails the whole batch.
"""

from __future__ import annotations

import copy

import pytest

from kg.graph import schema
from kg.sinks.neo4j import LoadError, Neo4jLoader, plan
from kg.sinks.neo4j.statements import Rows, in_write_order, links_of, new_nodes, shaped_statement, write_batches
from test_neo4j import dump, small_graph


def with_more_ends(doc: dict) -> dict:
    """The small graph with one claim about two targets (one list of ends) and one about two
    targets concerning two topics (two lists: the general statement)."""
    doc = copy.deepcopy(doc)
    claims = sorted(n["id"] for n in doc["nodes"] if n["label"] == schema.CLAIM)
    entities = sorted(n["id"] for n in doc["nodes"] if n["label"] in schema.ENTITY_LABELS)
    two_targets, two_lists = claims[-1], claims[-2]
    for claim, types in ((two_targets, [schema.ABOUT]), (two_lists, [schema.ABOUT, schema.CONCERNS, schema.CONCERNS])):
        ends = {e["target"] for e in doc["edges"] if e["source"] == claim}
        for rel_type, entity in zip(types, [e for e in entities if e not in ends], strict=False):
            doc["edges"].append({"source": claim, "target": entity, "type": rel_type, "key": rel_type})
    return doc


def shapes(doc: dict) -> list[tuple[int, ...]]:
    built = plan(doc)
    links = links_of(schema.CLAIM)
    out = []
    for row in built.claims.values():
        ends = [sum(1 for t, s, _ in row.owned if t == link.rel_type and (s == row.id) == link.outgoing) for link in links]
        out.append(tuple(min(n, 2) for n in ends))
    return sorted(out)


def test_the_statement_for_a_claim_with_one_holder_target_and_article_has_no_subquery():
    assert [link.rel_type for link in links_of(schema.CLAIM)] == ["ABOUT", "ASSERTS", "CONCERNS", "EVIDENCED_BY"]
    assert shaped_statement(schema.CLAIM, (1, 1, 0, 1)) == "\n".join(
        [
            "UNWIND $rows AS row",
            "MATCH (o0:`Entity` {id: row.r0[0]})",
            "MATCH (o1:`Entity` {id: row.r1[0]})",
            "MATCH (o3:`Article` {id: row.r3[0]})",
            "CREATE (n:`Claim`) SET n = row.props SET n.day = coalesce(date(row.day), n.day)",
            "CREATE (n)-[:`ABOUT`]->(o0)",
            "CREATE (o1)-[:`ASSERTS`]->(n)",
            "CREATE (n)-[:`EVIDENCED_BY`]->(o3)",
            "FOREACH (part IN row.p0 | CREATE (n)-[:`STATES`]->(p:`Action`) "
            "SET p = part.props SET p.day = coalesce(date(part.day), p.day))",
            "RETURN count(*) AS n",
        ]
    )


def test_new_claims_of_every_shape_are_written_exactly(neo4j_driver):
    doc = with_more_ends(small_graph())
    assert shapes(doc) == [(1, 1, 0, 1)] * 8 + [(1, 1, 1, 1), (2, 1, 1, 1), (2, 1, 2, 1)]  # the last: two lists
    report = Neo4jLoader(neo4j_driver, "neo4j", writers=1).load(doc)
    assert report.new["Claim"] == 11
    nodes, rels = dump(neo4j_driver)
    assert rels == sorted((e["type"], e["source"], e["target"]) for e in doc["edges"])
    assert sorted(nodes) == sorted(n["id"] for n in doc["nodes"])


def test_a_missing_end_node_fails_the_batch_and_writes_none_of_it(neo4j_driver):
    doc = small_graph()
    built = plan(doc)
    Neo4jLoader(neo4j_driver, "neo4j", writers=1).load(doc)
    with neo4j_driver.session() as session:
        session.run("MATCH (n) WHERE n:Claim OR n:Action DETACH DELETE n").consume()
        session.run("MATCH (n:Entity {name: $name}) DETACH DELETE n", name="Nvidia").consume()
        with pytest.raises(LoadError) as error:
            session.execute_write(new_nodes(schema.CLAIM, list(built.claims.values())))
        assert str(error.value) == (
            "a batch of Claim nodes could not be written: an end node of their relationships is missing from the database"
        )
        assert session.run("MATCH (n:Claim) RETURN count(n) AS n").single()["n"] == 0


def test_claims_are_written_in_the_order_of_their_article():
    built = plan(small_graph())
    ordered = in_write_order(schema.CLAIM, sorted(built.claims.values(), key=lambda row: row.id))
    article_of = {
        row.id: next(target for rel_type, _, target in row.owned if rel_type == schema.EVIDENCED_BY)
        for row in built.claims.values()
    }
    assert [(article_of[row.id], row.id) for row in ordered] == sorted((a, c) for c, a in article_of.items())
    assert [article_of[row.id] for row in ordered] == ["article:a1"] * 2 + ["article:a2"] * 3 + ["article:a3"] * 6
    entities = list(built.entities.values())
    assert in_write_order(schema.ENTITY, entities) == entities


def test_a_batch_holds_at_most_four_relationships_a_node_so_articles_come_in_smaller_batches():
    built = plan(small_graph())
    articles = sorted(built.articles.values(), key=lambda row: row.id)
    assert [len(row.owned) for row in articles] == [3, 6, 7]  # MENTIONS
    batches = {size: [[row.id for row in batch] for batch in write_batches(schema.ARTICLE, articles, size)] for size in (2, 3, 4)}
    assert batches == {
        2: [["article:a1"], ["article:a2"], ["article:a3"]],  # at most 8 relationships a batch
        3: [["article:a1", "article:a2"], ["article:a3"]],  # at most 12
        4: [["article:a1", "article:a2", "article:a3"]],  # at most 16: all 16 fit
    }
    claims = list(built.claims.values())  # 3 or 4 relationships each: the node count decides
    assert [len(batch) for batch in write_batches(schema.CLAIM, claims, 4)] == [4, 4, 3]


def test_a_list_parameter_prints_as_its_length_and_reaches_the_server_as_the_list_it_is(neo4j_driver):
    rows = Rows([{"id": "a", "n": 1}, {"id": "b", "n": 2}])
    assert repr(rows) == "<2 rows>"  # the driver formats every RUN's parameters, logging or not
    with neo4j_driver.session(database="neo4j") as session:
        got = session.run("UNWIND $rows AS row RETURN row.id AS id, row.n AS n", rows=rows).data()
    assert got == [{"id": "a", "n": 1}, {"id": "b", "n": 2}]


def days(driver) -> dict[str, tuple[str, bool]]:
    """Each article's and claim's ``day`` as text, and whether it is a DATE."""
    with driver.session(database="neo4j") as session:
        rows = session.run(
            "MATCH (n) WHERE n:Article OR n:Claim RETURN n.id AS id, toString(n.day) AS day, n.day IS :: DATE AS is_date"
        ).data()
    return {row["id"]: (row["day"], row["is_date"]) for row in rows}


def test_day_is_the_date_of_a_node_created_or_rewritten(neo4j_driver):
    doc = small_graph()
    loader = Neo4jLoader(neo4j_driver, "neo4j", writers=1)
    loader.load(doc)
    claim = next(n for n in doc["nodes"] if n["label"] == "Claim" and n["article_id"] == "article:a2")
    claim["stance"] = "negative" if claim["stance"] != "negative" else "positive"
    assert loader.load(doc).changed["Claim"] == 1
    held = days(neo4j_driver)
    assert held["article:a2"] == ("2025-02-15", True)  # from 2025-02-15T09:30:00
    assert held[claim["id"]] == ("2025-02-15", True)
    assert {day for day, _ in held.values()} == {"2025-01-10", "2025-02-15", "2025-03-05"}
    assert all(is_date for _, is_date in held.values())


def test_a_node_without_a_date_keeps_its_own_day_property(neo4j_driver):
    doc = small_graph()
    article = next(n for n in doc["nodes"] if n["id"] == "article:a1")
    del article["date"]
    article["day"] = "Friday"
    Neo4jLoader(neo4j_driver, "neo4j", writers=1).load(doc)
    assert days(neo4j_driver)["article:a1"] == ("Friday", False)
