"""Extraction quality, measured against hand-annotated gold claims and actions.

The expectations live in the corpora's gold files (``gold.jsonl``, ``actions.jsonl``),
never in this file: these tests only hold the extractor at the figures it was measured
at, a ratchet. Raise a bar when quality rises; never lower one to make a test pass.
The dev corpus is read from ``../shared/corpus/dev`` and its tests skip where it is
absent; how it is split (the first four articles, the held-out ten) is written down in
``tests/dev_folds.py``. A failing test prints every figure of its corpus.
"""

from __future__ import annotations

import fnmatch
from pathlib import Path

import pytest

from kg.evaluate import evaluate, evaluate_actions, read_gold, read_gold_actions
from kg.extract import load_catalogue
from kg.pipeline import build

from dev_folds import FIRST_FOUR, HELD_OUT

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "corpus"
SHARED_DEV = ROOT.parent / "shared" / "corpus" / "dev"
WRITTEN_CORPORA = ROOT / "tests" / "corpora"

# (F1, precision) of the headline slice, measured at the commit that last raised them.
EXAMPLES_HEADLINE = (0.925, 0.95)
DEV_HEADLINE = {  # group of dev articles → (F1, precision)
    "all": (0.75, 0.815),
    "first four": (0.765, 0.835),
    "the 38 added": (0.745, 0.81),
    # (precision 0.694 → 0.689 when a view on the company a broker rated in the article
    # was read for the first time: one right claim and one wrong more, F1 0.571 → 0.576)
    "held out": (0.585, 0.715),
}
DEV_ACTIONS = (0.93, 0.99)  # (F1, value accuracy) of analyst actions, all dev articles
# Our own written corpora (tests/corpora/*/README.md): (F1, precision) of the headline
# slice and (F1, value accuracy) of actions. written-b and the even-numbered halves of
# written-c … written-q are held out: only figures of them are read.
WRITTEN = {
    "written-a": {"headline": (0.725, 0.745), "actions": (0.95, 0.98)},
    # (written-b's value accuracy 0.925 → 0.915 when one more of its actions was found, on the
    # products' maker, with a value that does not match: its actions F1 0.842 → 0.847)
    # (written-b's precision 0.662 → 0.659 when the twelfth session's catalogue sweep of 228
    # entities gave it one wrong claim more, its right claims unchanged)
    "written-b": {"headline": (0.645, 0.67), "actions": (0.86, 0.91)},
    "written-c": {"headline": (0.635, 0.645), "actions": (0.84, 0.99)},  # its even half held out
    # (written-d's held-out half had two wrong claims more when a company named as a means,
    # yardstick or peer stopped being the paragraph's company: F1 0.543 → 0.540, precision
    # 0.552 → 0.546, while the held-out sets together went 0.563 → 0.565)
    # (written-d's held-out half lost one right claim when a hold kept beside a company's merits
    # became mixed, while the held-out sets together went 475 → 479 right claims)
    # (written-d's F1 0.597 → 0.595 and precision 0.622 → 0.618, written-j's F1 0.670 → 0.668,
    # written-k's F1 0.591 → 0.589 and precision 0.736 → 0.730 when the fifteenth session's idioms
    # ("a warning sign", "less sanguine") judged the paragraph's company in two in-sample sentences
    # whose gold names none, and in one of written-k's held-out half; the held-out sets together
    # went 565/871 → 566/872)
    # (written-d's F1 0.595 → 0.589 and precision 0.618 → 0.612 when a manager's first person ("we like")
    # was read: one right claim fewer in its held-out half, one more in another's; written-i's precision
    # 0.720 → 0.717: its in-sample "We like the industry structure, but not at this price" judges the
    # paragraph's other company)
    "written-d": {"headline": (0.59, 0.615), "actions": (0.965, 0.98)},  # its even half held out
    "written-e": {"headline": (0.645, 0.69), "actions": (0.885, 0.99)},  # its even half held out
    "written-f": {"headline": (0.60, 0.635), "actions": (0.94, 0.95)},  # its even half held out
    # (written-g's precision 0.716 → 0.713 when "公司在业绩说明会上表示" became the company speaking: one wrong
    # claim more in its held-out half, while the sets read in sample gained three right claims)
    "written-g": {"headline": (0.66, 0.715), "actions": (0.93, 0.955)},  # its even half held out (added in the seventh session)
    "written-h": {"headline": (0.675, 0.75), "actions": (0.90, 0.98)},  # its even half held out (added in the eleventh session)
    "written-i": {"headline": (0.665, 0.73), "actions": (0.92, 0.97)},  # its even half held out (added in the twelfth session)
    # (written-j's action value accuracy 0.949 → 0.925 when the fifteenth session's catalogue sweep
    # (equipment, materials, data-centre landlords) found five more of its held-out half's claims
    # and more actions: its actions F1 0.789 → 0.838, headline F1 0.668 → 0.688)
    # (written-j's precision 0.749 → 0.745 and actions F1 0.838 → 0.835 when "prefers X to Y" made Y
    # a claim, negative: one wrong claim more in its held-out half, while the held-out sets together
    # gained three right claims)
    "written-j": {"headline": (0.70, 0.76), "actions": (0.83, 0.92)},  # its even half held out (added in the thirteenth session)
    "written-k": {"headline": (0.605, 0.745), "actions": (0.93, 0.97)},  # its even half held out (added in the fourteenth session)
    "written-l": {"headline": (0.53, 0.62), "actions": (0.835, 0.835)},  # its even half held out (added in the fourteenth session)
    "written-m": {"headline": (0.525, 0.60), "actions": (0.945, 0.985)},  # its even half held out (added in the fourteenth session)
    "written-n": {"headline": (0.665, 0.82), "actions": (0.895, 0.955)},  # its even half held out (added in the fifteenth session)
    "written-o": {"headline": (0.645, 0.705), "actions": (0.97, 0.945)},  # its even half held out (added in the sixteenth session)
    # (written-p as written, scored before any change was made with it: F1 0.591, precision 0.614)
    "written-p": {"headline": (0.69, 0.735), "actions": (0.94, 0.98)},  # its even half held out (added in the seventeenth session)
    # (written-q as written, scored before any change was made with it: F1 0.552, precision 0.641)
    "written-q": {"headline": (0.64, 0.735), "actions": (0.955, 0.955)},  # its even half held out (added in the eighteenth session)
}


class Scored:
    """A corpus built once, scored for any group of its articles."""

    def __init__(self, corpus: Path):
        catalogue = load_catalogue()
        self.result = build([corpus], catalogue)
        self.gold = read_gold(corpus / "gold.jsonl")
        actions = corpus / "actions.jsonl"
        self.gold_actions = read_gold_actions(actions) if actions.is_file() else []

    def claims(self, group=lambda name: True):
        articles = [a for a in self.result.articles if group(Path(a.path).name)]
        gold = [g for g in self.gold if group(g.article)]
        return evaluate(articles, [c for c in self.result.claims if group(Path(c.article_file).name)], gold)

    def actions(self):
        names = [Path(a.path).name for a in self.result.articles]
        return evaluate_actions(self.result.claims, self.gold_actions, names)


def _figures(evaluation) -> str:
    rows = [f"{name}: {scores.to_dict()}" for name, scores in (("overall", evaluation.overall), ("headline", evaluation.headline))]
    for lang, parts in evaluation.by_language.items():
        rows += [f"{part} {lang}: {scores.to_dict()}" for part, scores in parts.items()]
    return "\n".join(rows)


def _in(patterns):
    return lambda name: any(fnmatch.fnmatch(name, p) for p in patterns)


GROUPS = {
    "all": lambda name: True,
    "first four": _in(FIRST_FOUR),
    "the 38 added": lambda name: not _in(FIRST_FOUR)(name),
    "held out": _in(HELD_OUT),
}


@pytest.fixture(scope="module")
def examples() -> Scored:
    return Scored(EXAMPLES)


@pytest.fixture(scope="module")
def dev() -> Scored:
    if not (SHARED_DEV / "gold.jsonl").is_file():
        pytest.skip("the shared annotated corpus is not on this machine")
    return Scored(SHARED_DEV)


def test_every_example_article_is_read_and_extracted(examples):
    assert examples.result.errors == []


def test_examples_headline_f1_and_precision_hold(examples):
    evaluation = examples.claims()
    f1, precision = EXAMPLES_HEADLINE
    assert (evaluation.headline.f1 >= f1, evaluation.headline.precision >= precision) == (True, True), _figures(evaluation)


def test_every_dev_article_is_read_and_extracted(dev):
    assert dev.result.errors == []


@pytest.mark.parametrize("group", list(DEV_HEADLINE))
def test_dev_headline_f1_and_precision_hold(dev, group):
    evaluation = dev.claims(GROUPS[group])
    f1, precision = DEV_HEADLINE[group]
    assert (evaluation.headline.f1 >= f1, evaluation.headline.precision >= precision) == (True, True), _figures(evaluation)


def test_dev_analyst_actions_hold(dev):
    evaluation = dev.actions()
    f1, accuracy = DEV_ACTIONS
    assert (evaluation.scores.f1 >= f1, evaluation.value_accuracy >= accuracy) == (True, True), evaluation.to_dict()


def test_design_card_ubs_sees_meta_least_affected_through_ji_gou_ren_wei(dev):
    body = {a.path: a.body for a in dev.result.articles}
    found = [
        c
        for c in dev.result.claims
        if (c.holder, c.target, c.stance, c.assessment) == ("UBS", "Meta", "positive", "least affected")
    ]
    assert len(found) == 1
    claim = found[0]
    assert "机构认为" in claim.evidence and "受影响最小" in claim.evidence
    assert body[claim.article_file][claim.evidence_start : claim.evidence_end] == claim.evidence


@pytest.fixture(scope="module", params=list(WRITTEN))
def written(request) -> tuple[str, Scored]:
    return request.param, Scored(WRITTEN_CORPORA / request.param)


def test_every_written_article_is_read_and_extracted(written):
    _, scored = written
    assert scored.result.errors == []


def test_written_corpus_headline_f1_and_precision_hold(written):
    name, scored = written
    evaluation = scored.claims()
    f1, precision = WRITTEN[name]["headline"]
    assert (evaluation.headline.f1 >= f1, evaluation.headline.precision >= precision) == (True, True), _figures(evaluation)


def test_written_corpus_analyst_actions_hold(written):
    name, scored = written
    evaluation = scored.actions()
    f1, accuracy = WRITTEN[name]["actions"]
    assert (evaluation.scores.f1 >= f1, evaluation.value_accuracy >= accuracy) == (True, True), evaluation.to_dict()
