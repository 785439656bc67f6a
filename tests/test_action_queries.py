"""The analyst-action queries of queries/: target-history, current-ratings, rating-changes and
target-spread, against a real Neo4j (see tests/conftest.py).

Exact rows on the hand-made graph of tests/actions_graph.py; on the examples and the dev
corpus (``../shared/corpus/dev``, skipped when absent) the rows are checked against what the
build itself holds, so a better extractor does not break them.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from actions_graph import actions_graph, claim_id
from typer.testing import CliRunner

from kg.cli import app
from kg.sinks.files import write_graph

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "corpus"
DEV = Path(os.environ.get("KG_DEV_CORPUS") or ROOT.parent / "shared" / "corpus" / "dev")
NASTY = ["x' OR 1=1 //", '"}) MATCH (n) DETACH DELETE n //', "`Entity`) DETACH DELETE n RETURN 1 //", "$target"]


def kg(*args):
    result = CliRunner().invoke(app, [str(a) for a in args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def rows(*args: str) -> list[dict]:
    result = kg("query", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture
def loaded(neo4j_driver, tmp_path):
    """The hand-made graph, loaded."""
    write_graph(actions_graph(), tmp_path / "build" / "graph.json")
    assert kg("load", tmp_path / "build").exit_code == 0
    return neo4j_driver


def evidence(holder: str, target: str, key: str) -> str:
    node = actions_graph().nodes[claim_id(holder, target, key)]
    return node["evidence"]


# --------------------------------------------------------------------------- the hand-made graph


def test_target_history_lists_each_banks_targets_in_date_order_with_evidence(loaded):
    found = rows("target-history", "--param", "target=台積電")
    assert [(r["holder"], r["date"], r["action"], r["price_target"], r["previous_target"], r["currency"], r["rating"])
            for r in found] == [
        ("Goldman Sachs", "2025-01-10", "target_set", 1000.0, None, "TWD", "buy"),
        ("Goldman Sachs", "2025-02-15T09:30:00", "target_raised", 1200.0, 1000.0, "TWD", "buy"),
        ("Morgan Stanley", "2025-01-10", "target_set", 950.0, None, "TWD", "overweight"),
        ("Morgan Stanley", "2025-03-05", "target_raised", 1100.0, 950.0, "TWD", None),
        ("UBS", "2025-02-15T09:30:00", "target_cut", 900.0, 1000.0, "TWD", "neutral"),
    ]  # fmt: skip
    assert found[4]["evidence"] == evidence("UBS", "TSMC", "a2") and found[4]["claim"] == claim_id("UBS", "TSMC", "a2")
    assert {r["target"] for r in found} == {"TSMC"}
    assert rows("target-history", "--param", "target=2330") == found  # a ticker
    assert [r["price_target"] for r in rows("target-history", "--param", "target=TSMC", "--param", "holder=大摩")] == [950.0, 1100.0]
    assert [(r["price_target"], r["currency"]) for r in rows("target-history", "--param", "target=Alibaba")] == [
        (174.0, "HKD"), (179.0, "USD"),
    ]  # fmt: skip
    assert [r["price_target"] for r in rows("target-history", "--param", "target=Alibaba", "--param", "currency=usd")] == [179.0]


def test_current_ratings_give_each_banks_latest_rating_positive_first(loaded):
    found = rows("current-ratings", "--param", "target=TSMC")
    assert [(r["holder"], r["rating"], r["rating_class"], r["action"], r["date"], r["times_rated"]) for r in found] == [
        ("Goldman Sachs", "buy", "positive", "target_raised", "2025-02-15T09:30:00", 2),
        ("Morgan Stanley", "overweight", "positive", "initiate", "2025-01-10", 1),
        ("UBS", "neutral", "neutral", "downgrade", "2025-02-15T09:30:00", 1),
    ]  # fmt: skip
    assert found[2]["evidence"] == evidence("UBS", "TSMC", "a2")
    assert [r["holder"] for r in rows("current-ratings", "--param", "target=台积电", "--param", "rating_class=positive")] == [
        "Goldman Sachs", "Morgan Stanley",
    ]  # fmt: skip
    [hsbc] = rows("current-ratings", "--param", "target=NVDA")
    assert (hsbc["holder"], hsbc["rating"], hsbc["action"], hsbc["times_rated"]) == ("HSBC", "buy", "upgrade", 2)


def test_rating_changes_in_a_date_range_with_the_rating_before(loaded):
    found = rows("rating-changes")
    assert [(r["date"], r["holder"], r["target"], r["action"], r["rating"], r["previous_rating"]) for r in found] == [
        ("2025-01-10", "Morgan Stanley", "TSMC", "initiate", "overweight", None),
        ("2025-02-15T09:30:00", "UBS", "TSMC", "downgrade", "neutral", None),
        ("2025-03-05", "HSBC", "Nvidia", "upgrade", "buy", "hold"),
    ]  # fmt: skip
    assert [r["holder"] for r in rows("rating-changes", "--param", "since=2025-02-01", "--param", "until=2025-02-28")] == ["UBS"]
    assert [r["holder"] for r in rows("rating-changes", "--param", "target=英伟达")] == ["HSBC"]
    cuts = rows("rating-changes", "--param", "target=TSMC", "--param", "actions=downgrade, target_cut")
    assert [(r["action"], r["price_target"], r["currency"]) for r in cuts] == [("downgrade", None, None), ("target_cut", 900.0, "TWD")]


def test_target_spread_counts_each_banks_latest_target_at_a_date(loaded):
    found = rows("target-spread")
    assert [(r["target"], r["currency"], r["banks"], r["min_target"], r["median_target"], r["max_target"], r["targets"])
            for r in found] == [
        ("Alibaba", "HKD", 1, 174.0, 174.0, 174.0, ["Goldman Sachs 174"]),
        ("Alibaba", "USD", 1, 179.0, 179.0, 179.0, ["Goldman Sachs 179"]),
        ("Nvidia", "USD", 1, 320.0, 320.0, 320.0, ["HSBC 320"]),
        ("TSMC", "TWD", 3, 900.0, 1100.0, 1200.0, ["Goldman Sachs 1200", "Morgan Stanley 1100", "UBS 900"]),
    ]  # fmt: skip
    [tsmc] = rows("target-spread", "--param", "target=台积电", "--param", "at=2025-02-20")
    assert (tsmc["banks"], tsmc["min_target"], tsmc["median_target"], tsmc["max_target"]) == (3, 900.0, 950.0, 1200.0)
    assert (tsmc["oldest"], tsmc["newest"]) == ("2025-01-10", "2025-02-15T09:30:00")
    assert rows("target-spread", "--param", "at=2025-01-01") == []


def test_action_query_parameters_full_of_quotes_and_cypher_are_just_strings(loaded):
    for nasty in NASTY:
        for name, param in (("target-history", "target"), ("current-ratings", "target"), ("rating-changes", "target"),
                            ("target-spread", "target"), ("rating-changes", "actions")):  # fmt: skip
            assert rows(name, "--param", f"{param}={nasty}") == [], (name, nasty)
    assert len(rows("target-history", "--param", "target=TSMC")) == 5  # nothing was deleted


# --------------------------------------------------------------------------- built corpora


def action_rows(build: Path, target: str) -> list[tuple]:
    """What target-history must return for ``target``, read from the build's graph.json."""
    document = json.loads((build / "graph.json").read_text("utf-8"))
    nodes = {n["id"]: n for n in document["nodes"]}
    holder = {e["target"]: nodes[e["source"]]["name"] for e in document["edges"] if e["type"] == "ASSERTS"}
    found = []
    for edge in document["edges"]:
        claim, action = nodes[edge["source"]], nodes[edge["target"]]
        if edge["type"] == "STATES" and claim["target"] == target and action.get("price_target") is not None:
            found.append((holder[claim["id"]], claim["article_date"], claim["article_id"], claim["evidence_start"], action["id"],
                          action["price_target"], action["currency"], claim["evidence"]))  # fmt: skip
    return [(h, d, p, c, e) for h, d, _, _, _, p, c, e in sorted(found)]


@pytest.mark.parametrize("corpus", [EXAMPLES, DEV], ids=["examples", "dev"])
def test_target_history_of_tsmc_is_the_builds_targets_by_bank_in_date_order(neo4j_driver, tmp_path, corpus):
    if not corpus.is_dir():
        pytest.skip(f"{corpus} is not here")
    build = tmp_path / "build"
    assert kg("build", corpus, "--no-html", "--out", build).exit_code == 0
    assert kg("load", build).exit_code == 0
    found = rows("target-history", "--param", "target=台积电")
    assert [(r["holder"], r["date"], r["price_target"], r["currency"], r["evidence"]) for r in found] == action_rows(build, "TSMC")
    assert len({r["holder"] for r in found}) >= 3  # several banks, each with its targets
    for row in found:  # the evidence states the figure (2,100 or 2100)
        figure = f"{row['price_target']:,.0f}"
        assert figure in row["evidence"] or figure.replace(",", "") in row["evidence"], row
