"""Score extracted claims against hand-annotated gold claims, as ANNOTATION.md defines it.

A predicted claim matches a gold claim of the same article when its holder equals the
gold holder or one of its ``holder_alt`` names, its target the gold target or one of its
``target_alt`` names (case-insensitively, with no catalogue mapping: a naming error is an
error), the stances are equal, and its evidence overlaps the gold evidence sentence. Each
gold claim is matched at most once. The gold of an article that could not be read or
extracted counts as missed. The headline slice keeps claims whose holder is an
Institution, Person or Group and whose target is a Company, Product or Index, judged on
each side by its own types.

>>> gold = GoldClaim("a.md", "Citi", "Institution", "Nvidia", "Company", "negative",
...                  "Citi sees downside for Nvidia.", target_alt=("NVIDIA Corp",))
>>> gold.names_holder("citi"), gold.names_target("nvidia corp"), gold.names_target("NVDA")
(True, True, False)
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kg.model import Article, Claim

HEADLINE_HOLDERS = frozenset({"Institution", "Person", "Group"})
HEADLINE_TARGETS = frozenset({"Company", "Product", "Index"})
LANGUAGE_GROUPS = ("zh", "en")  # Simplified and Traditional Chinese are scored together
_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True)
class GoldClaim:
    article: str  # the article's file name
    holder: str
    holder_type: str
    target: str
    target_type: str
    stance: str
    evidence: str
    assessment: str = ""
    holder_alt: tuple[str, ...] = ()
    target_alt: tuple[str, ...] = ()

    def names_holder(self, name: str) -> bool:
        return _names(name, self.holder, self.holder_alt)

    def names_target(self, name: str) -> bool:
        return _names(name, self.target, self.target_alt)

    @property
    def headline(self) -> bool:
        return self.holder_type in HEADLINE_HOLDERS and self.target_type in HEADLINE_TARGETS

    def to_dict(self) -> dict[str, str]:
        keys = ("article", "holder", "holder_type", "target", "target_type", "stance", "evidence")
        return {key: getattr(self, key) for key in keys}


def _names(predicted: str, name: str, alternatives: tuple[str, ...]) -> bool:
    wanted = predicted.strip().casefold()
    return any(wanted == accepted.strip().casefold() for accepted in (name, *alternatives))


def is_headline(claim: Claim) -> bool:
    return claim.holder_type in HEADLINE_HOLDERS and claim.target_type in HEADLINE_TARGETS


@dataclass(frozen=True)
class Scores:
    matched: int
    predicted: int
    gold: int

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "matched": self.matched,
            "predicted": self.predicted,
            "gold": self.gold,
        }


@dataclass
class Evaluation:
    """The scores of one corpus: overall, headline, each per language group (zh, en)."""

    overall: Scores
    headline: Scores
    by_language: dict[str, dict[str, Scores]]  # "zh" | "en" → {"overall": …, "headline": …}
    holder_accuracy: float | None
    stance_accuracy: float | None
    misses: list[GoldClaim] = field(default_factory=list)
    false_positives: list[Claim] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {
            "overall": self.overall.to_dict(),
            "headline": self.headline.to_dict(),
            "by_language": {
                lang: {part: s.to_dict() for part, s in parts.items()} for lang, parts in self.by_language.items()
            },
            "holder_accuracy": _round(self.holder_accuracy),
            "stance_accuracy": _round(self.stance_accuracy),
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def read_gold(path: Path | str) -> list[GoldClaim]:
    """Gold claims from a JSON Lines file, one per line, as ANNOTATION.md describes them."""
    claims = []
    for number, line in enumerate(Path(path).read_text("utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            claims.append(
                GoldClaim(
                    article=Path(record["article"]).name,
                    holder=record["holder"],
                    holder_type=record["holder_type"],
                    target=record["target"],
                    target_type=record["target_type"],
                    stance=record["stance"],
                    evidence=record["evidence"],
                    assessment=record.get("assessment", ""),
                    holder_alt=tuple(record.get("holder_alt") or ()),
                    target_alt=tuple(record.get("target_alt") or ()),
                )
            )
        except (ValueError, KeyError, TypeError) as error:
            raise ValueError(f"{path}:{number}: not a gold claim: {error}") from error
    return claims


def locate(evidence: str, body: str) -> tuple[int, int] | None:
    """Where the gold evidence stands in the article body, ignoring spacing differences."""
    at = body.find(evidence)
    if at >= 0:
        return at, at + len(evidence)
    squeezed = "".join(evidence.split())
    if not squeezed:
        return None
    # Map positions of the body without white space back to the body itself.
    keep = [i for i, c in enumerate(body) if not c.isspace()]
    compact = "".join(body[i] for i in keep)
    at = compact.find(squeezed)
    if at < 0:
        return None
    return keep[at], keep[at + len(squeezed) - 1] + 1


def language_group(lang: str) -> str:
    """'zh' for zh-Hans, zh-Hant and the BCP-47 regional tags (zh-CN, zh-TW), else 'en'."""
    return "zh" if lang.lower().startswith("zh") else "en"


class _Corpus:
    """The articles as read, with where each gold evidence stands in its article."""

    def __init__(self, articles: Iterable[Article], gold: list[GoldClaim]):
        self.articles = {Path(a.path).name: a for a in articles}
        self.spans = {
            id(g): locate(g.evidence, self.articles[g.article].body) if g.article in self.articles else None
            for g in gold
        }

    def language(self, name: str, gold: GoldClaim | None = None) -> str:
        if name in self.articles:
            return language_group(self.articles[name].lang)
        return "zh" if gold is not None and _CJK.search(gold.evidence) else "en"

    def overlaps(self, claim: Claim, g: GoldClaim) -> bool:
        if Path(claim.article_file).name != g.article:
            return False
        span = self.spans[id(g)]
        if span is None:
            return g.evidence in claim.evidence or claim.evidence in g.evidence
        return claim.evidence_start < span[1] and span[0] < claim.evidence_end


def evaluate(articles: Iterable[Article], claims: Iterable[Claim], gold: list[GoldClaim]) -> Evaluation:
    """Match predictions to gold claims and compute the scores ANNOTATION.md defines.

    Every gold claim given counts: one of an article missing from ``articles`` (it failed
    to read or extract) is a miss.
    """
    corpus = _Corpus(articles, gold)
    predictions = list(claims)

    def equal(claim: Claim, g: GoldClaim) -> bool:
        return (
            claim.stance == g.stance
            and g.names_holder(claim.holder)
            and g.names_target(claim.target)
            and corpus.overlaps(claim, g)
        )

    matches = _match(predictions, gold, equal)
    scorer = _Scorer(matches, predictions, gold)
    holder_accuracy, stance_accuracy = _accuracies(predictions, gold, corpus)
    by_language = {}
    for lang in LANGUAGE_GROUPS:
        in_claim = lambda c, lang=lang: corpus.language(Path(c.article_file).name) == lang  # noqa: E731
        in_gold = lambda g, lang=lang: corpus.language(g.article, g) == lang  # noqa: E731
        by_language[lang] = {
            "overall": scorer.scores(in_claim, in_gold),
            "headline": scorer.scores(lambda c: in_claim(c) and is_headline(c), lambda g: in_gold(g) and g.headline),
        }
    matched_gold, matched_claims = {id(g) for _, g in matches}, {id(c) for c, _ in matches}
    return Evaluation(
        overall=scorer.scores(lambda c: True, lambda g: True),
        headline=scorer.scores(is_headline, lambda g: g.headline),
        by_language=by_language,
        holder_accuracy=holder_accuracy,
        stance_accuracy=stance_accuracy,
        misses=[g for g in gold if id(g) not in matched_gold],
        false_positives=[c for c in predictions if id(c) not in matched_claims],
    )


@dataclass(frozen=True)
class _Scorer:
    matches: list[tuple[Claim, GoldClaim]]
    predictions: list[Claim]
    gold: list[GoldClaim]

    def scores(self, keep_claim: Callable[[Claim], bool], keep_gold: Callable[[GoldClaim], bool]) -> Scores:
        return Scores(
            matched=sum(1 for c, g in self.matches if keep_claim(c) and keep_gold(g)),
            predicted=sum(1 for c in self.predictions if keep_claim(c)),
            gold=sum(1 for g in self.gold if keep_gold(g)),
        )


def _accuracies(predictions: list[Claim], gold: list[GoldClaim], corpus: _Corpus) -> tuple[float | None, float | None]:
    """Of the predictions whose target and evidence match a gold claim: the share with the
    right holder, and the share with the right stance."""
    holder_hits = stance_hits = judged = 0
    for claim in predictions:
        about = [g for g in gold if g.names_target(claim.target) and corpus.overlaps(claim, g)]
        if about:
            judged += 1
            holder_hits += any(g.names_holder(claim.holder) for g in about)
            stance_hits += any(claim.stance == g.stance for g in about)
    if not judged:
        return None, None
    return holder_hits / judged, stance_hits / judged


def _match(predictions: list[Claim], gold: list[GoldClaim], equal) -> list[tuple[Claim, GoldClaim]]:
    """One-to-one matching, each prediction to the first free gold claim it equals."""
    taken: set[int] = set()
    matches = []
    for claim in predictions:
        for g in gold:
            if id(g) not in taken and equal(claim, g):
                taken.add(id(g))
                matches.append((claim, g))
                break
    return matches


# -- analyst actions ----------------------------------------------------------------

_PRICE_TOLERANCE = 0.005  # a price target within 0.5 % of the gold's is the same target


@dataclass(frozen=True)
class GoldAction:
    """One line of actions.jsonl: a rating or price target a firm set on a company."""

    article: str
    holder: str
    target: str
    action: str
    rating: str | None = None
    rating_class: str | None = None
    price_target: float | None = None
    previous_target: float | None = None
    currency: str | None = None
    evidence: str = ""
    holder_alt: tuple[str, ...] = ()
    target_alt: tuple[str, ...] = ()

    def names(self, holder: str, target: str) -> bool:
        return _names(holder, self.holder, self.holder_alt) and _names(target, self.target, self.target_alt)


@dataclass(frozen=True)
class PredictedAction:
    """An action as the extractor states it: on a claim, with the claim's holder and target."""

    article: str
    holder: str
    target: str
    action: str
    rating_class: str | None
    price_target: float | None
    previous_target: float | None
    currency: str | None


@dataclass
class ActionEvaluation:
    scores: Scores
    value_accuracy: float | None  # of the matches: targets, previous targets, currency and rating class all agree
    misses: list[GoldAction] = field(default_factory=list)
    false_positives: list[PredictedAction] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {**self.scores.to_dict(), "value_accuracy": _round(self.value_accuracy)}


def read_gold_actions(path: Path | str) -> list[GoldAction]:
    """Gold analyst actions from a JSON Lines file (ANNOTATION.md, "Analyst actions")."""
    actions = []
    for number, line in enumerate(Path(path).read_text("utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            actions.append(
                GoldAction(
                    article=Path(record["article"]).name,
                    holder=record["holder"],
                    target=record["target"],
                    action=record["action"],
                    rating=record.get("rating"),
                    rating_class=record.get("rating_class"),
                    price_target=_number(record.get("price_target")),
                    previous_target=_number(record.get("previous_target")),
                    currency=record.get("currency"),
                    evidence=record.get("evidence", ""),
                    holder_alt=tuple(record.get("holder_alt") or ()),
                    target_alt=tuple(record.get("target_alt") or ()),
                )
            )
        except (ValueError, KeyError, TypeError) as error:
            raise ValueError(f"{path}:{number}: not a gold action: {error}") from error
    return actions


def _number(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


def predicted_actions(claims: Iterable[Claim]) -> list[PredictedAction]:
    """Every action the claims carry, with their claim's article, holder and target."""
    return [
        PredictedAction(Path(c.article_file).name, c.holder, c.target, a.action, a.rating_class, a.price_target,
                        a.previous_target, a.currency)
        for c in claims
        for a in c.actions
    ]


def _same_price(predicted: float | None, gold: float | None) -> bool:
    if gold is None or predicted is None:
        return predicted is None and gold is None
    return abs(predicted - gold) <= _PRICE_TOLERANCE * abs(gold)


def evaluate_actions(claims: Iterable[Claim], gold: list[GoldAction], articles: Iterable[str] | None = None) -> ActionEvaluation:
    """Match predicted actions to gold ones as ANNOTATION.md defines it: same article,
    holder, target and action, and the same price target (within 0.5 %) where gold has one."""
    predictions = predicted_actions(claims)
    if articles is not None:
        wanted = set(articles)
        predictions = [p for p in predictions if p.article in wanted]

    def equal(p: PredictedAction, g: GoldAction) -> bool:
        return (
            p.article == g.article
            and p.action == g.action
            and g.names(p.holder, p.target)
            and (g.price_target is None or _same_price(p.price_target, g.price_target))
        )

    matches = _match(predictions, gold, equal)  # type: ignore[arg-type]
    right = sum(
        1
        for p, g in matches
        if _same_price(p.price_target, g.price_target)
        and _same_price(p.previous_target, g.previous_target)
        and p.currency == g.currency
        and p.rating_class == g.rating_class
    )
    matched_gold, matched = {id(g) for _, g in matches}, {id(p) for p, _ in matches}
    return ActionEvaluation(
        scores=Scores(len(matches), len(predictions), len(gold)),
        value_accuracy=right / len(matches) if matches else None,
        misses=[g for g in gold if id(g) not in matched_gold],
        false_positives=[p for p in predictions if id(p) not in matched],
    )
