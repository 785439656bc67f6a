"""Score extracted claims against hand-annotated gold claims.

A predicted claim matches a gold claim of the same article when holder, target and
stance are equal after mapping to canonical names, and its evidence overlaps the gold
evidence sentence. Each gold claim is matched at most once. The headline slice keeps
claims whose holder is an Institution, Person or Group and whose target is a Company,
Product or Index, judged on each side by its own types.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kg.extract.catalogue import Catalogue
from kg.model import Article, Claim

HEADLINE_HOLDERS = frozenset({"Institution", "Person", "Group"})
HEADLINE_TARGETS = frozenset({"Company", "Product", "Index"})


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


@dataclass(frozen=True)
class Pair:
    """A prediction and gold claim of one article, with the evidence spans they cover."""

    claim: Claim
    gold: GoldClaim
    gold_span: tuple[int, int]


@dataclass
class Evaluation:
    overall: Scores
    headline: Scores
    by_language: dict[str, Scores]
    holder_accuracy: float | None
    stance_accuracy: float | None
    misses: list[tuple[GoldClaim, str]] = field(default_factory=list)  # (gold, article lang)
    false_positives: list[Claim] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {
            "overall": self.overall.to_dict(),
            "headline": self.headline.to_dict(),
            "by_language": {lang: s.to_dict() for lang, s in sorted(self.by_language.items())},
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
                )
            )
        except (ValueError, KeyError) as error:
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


def evaluate(
    articles: Iterable[Article],
    claims: Iterable[Claim],
    gold: list[GoldClaim],
    catalogue: Catalogue,
) -> Evaluation:
    """Match predictions to gold claims and compute the scores ANNOTATION.md defines."""
    by_name = {Path(a.path).name: a for a in articles}
    canon = _canonicaliser(catalogue)
    predictions = [c for c in claims if Path(c.article_file).name in by_name]
    gold = [g for g in gold if g.article in by_name]
    spans = {id(g): locate(g.evidence, by_name[g.article].body) for g in gold}

    def overlaps(claim: Claim, g: GoldClaim) -> bool:
        span = spans[id(g)]
        if span is None:
            return g.evidence in claim.evidence or claim.evidence in g.evidence
        return claim.evidence_start < span[1] and span[0] < claim.evidence_end

    def same_article(claim: Claim, g: GoldClaim) -> bool:
        return Path(claim.article_file).name == g.article

    def equal(claim: Claim, g: GoldClaim) -> bool:
        return (
            same_article(claim, g)
            and canon(claim.holder) == canon(g.holder)
            and canon(claim.target) == canon(g.target)
            and claim.stance == g.stance
            and overlaps(claim, g)
        )

    matches = _match(predictions, gold, equal)
    lang_of = {name: a.lang for name, a in by_name.items()}

    def scores(keep_claim: Callable[[Claim], bool], keep_gold: Callable[[GoldClaim], bool]) -> Scores:
        return Scores(
            matched=sum(1 for c, g in matches if keep_claim(c) and keep_gold(g)),
            predicted=sum(1 for c in predictions if keep_claim(c)),
            gold=sum(1 for g in gold if keep_gold(g)),
        )

    headline = scores(
        lambda c: c.holder_type in HEADLINE_HOLDERS and c.target_type in HEADLINE_TARGETS,
        lambda g: g.holder_type in HEADLINE_HOLDERS and g.target_type in HEADLINE_TARGETS,
    )
    languages = sorted(set(lang_of.values()))
    by_language = {
        lang: scores(
            lambda c, lang=lang: lang_of[Path(c.article_file).name] == lang,
            lambda g, lang=lang: lang_of[g.article] == lang,
        )
        for lang in languages
    }

    holder_hits, stance_hits, judged = 0, 0, 0
    for claim in predictions:
        about = [g for g in gold if same_article(claim, g) and canon(claim.target) == canon(g.target) and overlaps(claim, g)]
        if about:
            judged += 1
            holder_hits += any(canon(claim.holder) == canon(g.holder) for g in about)
            stance_hits += any(claim.stance == g.stance for g in about)
    matched_gold = {id(g) for _, g in matches}
    matched_claims = {id(c) for c, _ in matches}
    return Evaluation(
        overall=scores(lambda c: True, lambda g: True),
        headline=headline,
        by_language=by_language,
        holder_accuracy=holder_hits / judged if judged else None,
        stance_accuracy=stance_hits / judged if judged else None,
        misses=[(g, lang_of[g.article]) for g in gold if id(g) not in matched_gold],
        false_positives=[c for c in predictions if id(c) not in matched_claims],
    )


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


def _canonicaliser(catalogue: Catalogue) -> Callable[[str], str]:
    def canon(name: str) -> str:
        entity = catalogue.lookup(name)
        return entity.name if entity else name.strip()

    return canon
