"""kg eval: score the extractor against a corpus's hand-annotated gold claims, and its analyst
actions against the corpus's gold actions when it has an ``actions.jsonl``.

The scoring itself is :func:`kg.evaluate.evaluate` and :func:`kg.evaluate.evaluate_actions`;
this module reads the corpus and prints.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text
from rich.table import Table

from kg.cli.common import CatalogueFiles, add_row, catalogue_or_exit, fail, json_flag, plain_console, report_errors
from kg.exit_codes import ExitCode
from kg.pipeline import build


def eval_command(
    corpus: Annotated[
        Path, typer.Argument(metavar="CORPUS_DIR", help="A folder of articles with a gold.jsonl of hand-annotated claims.")
    ],
    as_json: Annotated[bool, json_flag("the scores")] = False,
    errors: Annotated[bool, typer.Option("--errors", help="List each missed gold claim and each false positive.")] = False,
    only: Annotated[
        list[str] | None,
        typer.Option("--only", metavar="GLOB", help="Score only the articles whose file name matches (repeatable), e.g. '2*.md'."),
    ] = None,
    catalogue_files: CatalogueFiles = None,
) -> None:
    """Score extraction against gold claims: precision, recall, F1, holder and stance accuracy.

    Scored as the corpus's ANNOTATION.md defines it: the names must equal the gold's (or
    one of its *_alt names), the stance too, and the evidence must overlap. Scores are
    given overall, for the headline slice, and for each per language (zh, en); the gold of
    an article that failed to read counts as missed.

    When the folder also has actions.jsonl, the analyst actions (ratings, price targets)
    are scored too: precision, recall, F1 and value accuracy.

    Example: [bold]kg eval examples/corpus --errors[/]
    """
    from kg.evaluate import evaluate, read_gold

    gold_file = corpus / "gold.jsonl"
    if not gold_file.is_file():
        raise fail(f"{gold_file} not found: kg eval needs the corpus folder holding gold.jsonl", ExitCode.NO_INPUT)
    selected = _selector(only)
    gold = [g for g in read_gold(gold_file) if selected(g.article)]
    paths = sorted({(corpus / g.article).as_posix() for g in gold}) if only else [corpus]
    result = build(paths, catalogue_or_exit(catalogue_files))
    report_errors(result.errors)
    evaluation = evaluate(result.articles, result.claims, gold)
    actions = _action_scores(corpus / "actions.jsonl", selected, result) if (corpus / "actions.jsonl").is_file() else None
    if as_json:
        document = evaluation.to_dict()
        if errors:
            document["misses"] = [g.to_dict() for g in evaluation.misses]
            document["false_positives"] = [c.to_record() for c in evaluation.false_positives]
        if actions is not None:
            document["actions"] = actions.to_dict()
            if errors:
                said = _action_evidence(result.claims)
                document["actions"]["misses"] = [asdict(g) for g in actions.misses]
                document["actions"]["false_positives"] = [
                    {**asdict(p), "evidence": said.get(p, "")} for p in actions.false_positives
                ]
        print(json.dumps(document, ensure_ascii=False, indent=2))
        return
    _print_scores(evaluation, actions)
    if errors:
        _print_errors(evaluation)
        if actions is not None:
            _print_action_errors(actions, _action_evidence(result.claims))


def _action_evidence(claims) -> dict:
    """Each predicted action's evidence sentence (the sentence of the claim stating it)."""
    from kg.evaluate import predicted_actions

    return {action: claim.evidence for claim in claims for action in predicted_actions([claim])}


def _action_scores(path: Path, selected, result):
    """The analyst actions scored against the gold of ``path`` (only the selected articles')."""
    from kg.evaluate import evaluate_actions, read_gold_actions

    try:
        gold = [g for g in read_gold_actions(path) if selected(g.article)]
    except ValueError as error:
        raise fail(str(error), ExitCode.USAGE) from error
    articles = {Path(article.path).name for article in result.articles if selected(Path(article.path).name)}
    return evaluate_actions(result.claims, gold, articles)


def _selector(patterns: list[str] | None):
    """Does an article's file name match one of ``patterns`` (all match when none)?"""
    import fnmatch

    return lambda name: not patterns or any(fnmatch.fnmatch(name, p) for p in patterns)


def _print_scores(evaluation, actions=None) -> None:
    out = plain_console(width=120)
    table = Table("slice", "precision", "recall", "F1", "matched", "predicted", "gold", title="Claim extraction")
    rows = [("overall", evaluation.overall), ("headline", evaluation.headline)]
    for lang, parts in evaluation.by_language.items():
        rows += [(f"{part} {lang}", s) for part, s in parts.items() if s.gold or s.predicted]
    for name, s in rows:
        add_row(table, name, f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}", str(s.matched), str(s.predicted), str(s.gold))
    out.print(table)
    for label, value in (("holder accuracy", evaluation.holder_accuracy), ("stance accuracy", evaluation.stance_accuracy)):
        out.print(f"{label}: " + ("n/a" if value is None else f"{value:.3f}"))
    if actions is not None:
        s = actions.scores
        table = Table("precision", "recall", "F1", "matched", "predicted", "gold", title="Analyst actions (actions.jsonl)")
        add_row(table, f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}", str(s.matched), str(s.predicted), str(s.gold))
        out.print(table)
        value = actions.value_accuracy
        out.print("value accuracy (targets, previous targets, currency, rating class): " + ("n/a" if value is None else f"{value:.3f}"))


def _print_action_errors(actions, said: dict) -> None:
    out = plain_console(width=160)

    def figures(a) -> str:
        parts = [f"{a.price_target:g} {a.currency or ''}".rstrip() if a.price_target is not None else "",
                 f"from {a.previous_target:g}" if a.previous_target is not None else "", a.rating_class or ""]
        return ", ".join(p for p in parts if p)

    out.print(Text(f"\nMissed gold actions ({len(actions.misses)})", style="bold"))
    for gold in actions.misses:
        out.print(f"- {gold.article}: {gold.holder} → {gold.target} {gold.action} ({figures(gold)})\n    {gold.evidence}")
    out.print(Text(f"\nFalse positive actions ({len(actions.false_positives)})", style="bold"))
    for p in actions.false_positives:
        out.print(f"- {p.article}: {p.holder} → {p.target} {p.action} ({figures(p)})\n    {said.get(p, '')}")


def _print_errors(evaluation) -> None:
    out = plain_console(width=160)
    out.print(Text(f"\nMissed gold claims ({len(evaluation.misses)})", style="bold"))
    for gold in evaluation.misses:
        out.print(f"- {gold.article}: {gold.holder} → {gold.target} [{gold.stance}]\n    {gold.evidence}")
    out.print(Text(f"\nFalse positives ({len(evaluation.false_positives)})", style="bold"))
    for c in evaluation.false_positives:
        out.print(f"- {Path(c.article_file).name}: {c.holder} → {c.target} [{c.stance}] {c.assessment}\n    {c.evidence}")
