"""kg eval scores analyst actions when the corpus folder has an actions.jsonl: precision,
recall, F1 and value accuracy (kg.evaluate.evaluate_actions), under ``actions`` with
``--json``; ``--errors`` lists the missed gold actions and the false positives.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from kg.cli import app
from kg.evaluate import evaluate_actions, read_gold_actions
from kg.extract import load_catalogue
from kg.pipeline import build

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "corpus"
ARTICLE = """---
title: "Chip notes"
date: "2025-03-05"
lang: "en"
---
Goldman Sachs raised its price target on Nvidia to $200 from $150 and kept its buy rating.

Shares of the company rose 3% in early trading.

Morgan Stanley cut its price target on Nvidia to $180.
"""
PLANTED = {  # a gold action on a sentence that states none: always a miss
    "article": "notes.md", "holder": "UBS", "target": "Nvidia", "action": "downgrade", "rating": "sell",
    "rating_class": "negative", "price_target": None, "previous_target": None, "currency": None,
    "evidence": "Shares of the company rose 3% in early trading.",
}  # fmt: skip


def kg(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def corpus(tmp_path: Path, with_actions: bool = True) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "notes.md").write_text(ARTICLE, "utf-8")
    gold = {"article": "notes.md", "holder": "Goldman Sachs", "holder_type": "Institution", "target": "Nvidia",
            "target_type": "Company", "stance": "positive", "assessment": "target raised",
            "evidence": ARTICLE.splitlines()[5]}  # fmt: skip
    (folder / "gold.jsonl").write_text(json.dumps(gold) + "\n", "utf-8")
    if with_actions:
        lines = [
            {"article": "notes.md", "holder": "Goldman Sachs", "target": "Nvidia", "action": "target_raised",
             "rating": "buy", "rating_class": "positive", "price_target": 200, "previous_target": 150,
             "currency": "USD", "evidence": gold["evidence"]},
            {"article": "notes.md", "holder": "Goldman Sachs", "target": "Nvidia", "action": "reiterate",
             "rating": "buy", "rating_class": "positive", "price_target": None, "previous_target": None,
             "currency": None, "evidence": gold["evidence"]},
            PLANTED,
        ]  # fmt: skip
        (folder / "actions.jsonl").write_text("".join(json.dumps(line) + "\n" for line in lines), "utf-8")
    return folder


def test_eval_json_scores_the_examples_actions_as_evaluate_actions_does():
    document = json.loads(kg("eval", EXAMPLES, "--json").stdout)
    result = build([EXAMPLES], load_catalogue())
    expected = evaluate_actions(result.claims, read_gold_actions(EXAMPLES / "actions.jsonl"))
    assert document["actions"] == expected.to_dict()
    assert document["actions"]["gold"] == 18


def test_eval_errors_lists_missed_gold_actions_and_false_positives_with_their_sentences(tmp_path):
    folder = corpus(tmp_path)
    document = json.loads(kg("eval", folder, "--json", "--errors").stdout)["actions"]
    assert {k: document[k] for k in ("precision", "recall", "matched", "predicted", "gold", "value_accuracy")} == {
        "precision": 0.6667, "recall": 0.6667, "matched": 2, "predicted": 3, "gold": 3, "value_accuracy": 1.0,
    }  # fmt: skip
    assert document["misses"] == [{**PLANTED, "holder_alt": [], "target_alt": []}]
    assert document["false_positives"] == [
        {"article": "notes.md", "holder": "Morgan Stanley", "target": "Nvidia", "action": "target_cut",
         "rating_class": None, "price_target": 180.0, "previous_target": None, "currency": "USD",
         "evidence": "Morgan Stanley cut its price target on Nvidia to $180."},
    ]  # fmt: skip
    text = kg("eval", folder, "--errors").stdout
    assert "Analyst actions (actions.jsonl)" in text and "value accuracy" in text
    assert "- notes.md: UBS → Nvidia downgrade (negative)\n    Shares of the company rose 3% in early trading." in text
    assert "- notes.md: Morgan Stanley → Nvidia target_cut (180 USD)\n    Morgan Stanley cut its price target" in text


def test_eval_only_scores_the_actions_of_the_chosen_articles(tmp_path):
    folder = corpus(tmp_path)
    shutil.copy(EXAMPLES / "ex09_broadcom-custom-chips.md", folder)
    with (folder / "actions.jsonl").open("a", encoding="utf-8") as out:
        for line in (EXAMPLES / "actions.jsonl").read_text("utf-8").splitlines():
            if json.loads(line)["article"].startswith("ex09"):
                out.write(line + "\n")
    only = json.loads(kg("eval", folder, "--json", "--only", "notes.md").stdout)["actions"]
    assert (only["gold"], only["predicted"]) == (3, 3)


def test_eval_without_actions_jsonl_has_no_action_scores(tmp_path):
    folder = corpus(tmp_path, with_actions=False)
    assert "actions" not in json.loads(kg("eval", folder, "--json").stdout)
    assert "Analyst actions" not in kg("eval", folder).stdout
