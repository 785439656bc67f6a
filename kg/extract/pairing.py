"""Pairing the analyst actions of a sentence with its holders and targets.

A span's figures go to its holder, or one to each of a group of holders listing as many
("分别将目标价上调至120元和110元"), and to the target named last before them; its rating
to every company it names. A figure written with 元 alone takes the currency of the
market where the share is listed. The actions then say the view: a raised target or an
upgrade is positive, a downgrade negative, a cut target with a buy rating kept mixed.
"""

from __future__ import annotations

import re
from dataclasses import replace

from kg.extract.actions import Figure
from kg.extract.holders import Bound
from kg.extract.lexicon import Hit
from kg.extract.view import SentenceView
from kg.model import Action, Article, Entity

_ACTION_STANCE = {"upgrade": "positive", "downgrade": "negative", "target_raised": "positive", "target_cut": "negative"}
_MARKET_CURRENCY = {"HK": "HKD", "SH": "CNY", "SZ": "CNY", "TW": "TWD", "TWO": "TWD", "KS": "KRW", "T": "JPY"}


def figures_of(view: SentenceView, group: Bound, position: int, span: tuple[int, int]) -> list[Figure]:
    """The target figures of one holder of a group: all of the span's, or, when the
    group lists as many figures as holders ("分别将目标价上调至120元和110元"), its own."""
    inside = [f for f in view.figures if span[0] <= f.start < span[1]]
    if len(group.holders) > 1 and len(inside) == len(group.holders):
        return [inside[position]]
    return inside

def own_actions(view: SentenceView, group: Bound, position: int, span: tuple[int, int]) -> tuple[list[Figure], SentenceView]:
    """One holder's target figures (:func:`figures_of`) and the view whose ratings are its
    own: when a group lists as many ratings as holders ("分别给予买入和增持评级"), the one
    in its place."""
    ratings = [r for r in view.ratings if span[0] <= r.start < span[1]] if len(group.holders) > 1 else []
    if len(ratings) > 1 and len(ratings) == len(group.holders):
        view = replace(view, ratings=[ratings[position]])
    return figures_of(view, group, position, span), view


def actions_for(view: SentenceView, span, starts: list[int], all_starts: list[list[int]], figures: list[Figure],
             article: Article, entity: Entity) -> list[Action]:
    """The analyst actions of one (holder, target) in a span."""
    own = _figures_for(figures, starts, all_starts) if entity.type in ("Company", "Index") else []
    ratings = [r for r in view.ratings if span[0] <= r.start < span[1]] if entity.type in ("Company", "Index") else []
    if ratings and len(all_starts) > 1:
        ratings = _unshared(_ratings_of(ratings, starts, all_starts), starts, all_starts)
    rating = ratings[-1] if ratings else None
    actions = []
    if rating is not None:
        actions.append(Action(rating.move, rating.rating, rating.rating_class))
    else:
        moves = [m for m in view.moves if span[0] <= m.start < span[1] and m.value in ("upgrade", "downgrade", "initiate")
                 and entity.type == "Company" and _near(m, starts)]
        if moves:
            actions.append(Action(_unshared(moves, starts, all_starts)[0].value))
    for figure in own:
        kind = {"raised": "target_raised", "cut": "target_cut"}.get(figure.direction or "", "target_set")
        currency = figure.currency or currency_of(entity, article, figure)
        actions.append(Action(kind, rating.rating if rating else None, rating.rating_class if rating else None,
                              figure.value, figure.previous, currency))
    if not own:
        moved = [m for m in view.moves if span[0] <= m.start < span[1] and m.value in ("raised", "cut")]
        if moved and entity.type in ("Company", "Index"):
            actions.append(Action("target_raised" if moved[0].value == "raised" else "target_cut",
                                  rating.rating if rating else None, rating.rating_class if rating else None))
    return actions

def _ratings_of(ratings: list, starts: list[int], all_starts: list[list[int]]) -> list:
    """The ratings that speak of one of several targets: those it is named near, when any
    target is ("Evercore, which rates Microsoft outperform, said … the OpenAI deal": the
    rating is Microsoft's); else all of them ("维持腾讯、阿里买入评级")."""
    def near(rating, positions) -> bool:
        return any(0 <= rating.start - p <= 60 or 0 <= p - rating.start <= 30 for p in positions if p >= 0)
    if not any(near(r, s) for r in ratings for s in all_starts):
        return ratings
    return [r for r in ratings if near(r, starts)]


def _unshared(hits: list, starts: list[int], all_starts: list[list[int]]) -> list:
    """Of several ratings or moves in a span naming several targets, those no other target
    stands between ("Citi upgraded Micron and downgraded Intel": the downgrade is Intel's)."""
    if len(hits) < 2 or len(all_starts) < 2:
        return hits
    others = [p for s in all_starts if s is not starts for p in s if p >= 0 and p not in starts]

    def alone(hit) -> bool:
        return any(not any(min(hit.start, p) < o < max(hit.start, p) for o in others) for p in starts if p >= 0)

    return [h for h in hits if alone(h)] or hits


def _near(move: Hit, starts: list[int], reach: int = 60) -> bool:
    """Is a rating move within reach of the target it is about ("downgrades Apple",
    "a downgrade from Oppenheimer" after "Microsoft shares fell")?"""
    return any(abs(move.start - s) <= reach for s in starts if s >= 0) or all(s < 0 for s in starts)


def _figures_for(figures: list[Figure], starts: list[int], all_starts: list[list[int]]) -> list[Figure]:
    """The figures that belong to one target when a span names several: each figure goes to
    the target named last before it ("Samsung … to 260,000 won, SK hynix … to 1.5 million won")."""
    if len(all_starts) <= 1 or not figures:
        return figures
    if len(figures) == len(all_starts) and all(s and s[0] >= 0 for s in all_starts):
        order = sorted(range(len(all_starts)), key=lambda i: all_starts[i][0])
        mine = order.index(all_starts.index(starts))
        return [figures[mine]]
    owners = []
    for figure in figures:
        before = [(max(p for p in s if p < figure.start), i) for i, s in enumerate(all_starts) if any(p < figure.start for p in s)]
        owners.append(max(before)[1] if before else 0)
    mine = all_starts.index(starts)
    return [f for f, owner in zip(figures, owners) if owner == mine]


def action_stance(actions: list[Action], stance: str, gloss: str) -> tuple[str, str]:
    """The view the actions state: a raised target or an upgrade is positive, a downgrade
    negative, a cut target with a positive rating kept mixed (so is a buy kept or raised
    for reasons against, and a hold kept despite merits named), a rating its class."""
    sides = set()
    changes = [a for a in actions if a.action in ("upgrade", "downgrade")]
    for action in changes or actions:  # a downgrade with a higher target is a downgrade (the price moved)
        if action.action in _ACTION_STANCE:
            sides.add(_ACTION_STANCE[action.action])
        elif action.rating_class:
            sides.add(action.rating_class)
    if "negative" in sides and "positive" in sides:
        return "mixed", gloss or gloss_of(actions)
    if sides == {"neutral", "positive"} and _kept_neutral(actions):
        if stance in ("negative", "mixed"):
            return "mixed", f"{gloss}; {gloss_of(actions)}"  # a higher target, but a hold kept for reasons against
        return "neutral", gloss_of(actions)  # a hold kept with a higher target: the rating says the view
    if sides == {"neutral"} and stance in ("positive", "mixed"):
        return "mixed", f"{gloss}; {gloss_of(actions)}"  # a hold kept despite the merits named: both sides
    if sides == {"neutral"} and stance == "negative" and not _ATTITUDE_ONLY.issuperset(gloss.split("; ")):
        return stance, gloss or gloss_of(actions)  # a hold kept for the reasons against: the reasons say the view
    if sides == {"positive"} and stance in ("negative", "mixed"):
        return "mixed", gloss or gloss_of(actions)  # a buy kept "but the stock prices in the optimism", a target raised "较为审慎"
    if sides:
        side = "negative" if "negative" in sides else ("positive" if "positive" in sides else "neutral")
        return side, gloss if stance == side and gloss else gloss_of(actions)
    if stance == "negative" and all(a.currency == "points" for a in actions):
        return stance, gloss or gloss_of(actions)  # an index level kept "arguing the market is too dependent on a few names"
    return "positive", gloss if stance == "positive" and gloss else gloss_of(actions)  # a target set, no rating


# Words of a holder's attitude, not of reasons: "JPMorgan was the most cautious, starting at
# neutral" says the rating's view, no more (a hold kept "for the reasons against" is negative).
_ATTITUDE_ONLY = frozenset({"cautious", "conservative", "wary", "less enthusiastic"})


def _kept_neutral(actions: list[Action]) -> bool:
    """A neutral rating kept or given (not an upgrade to it) beside a raised target."""
    return any(a.rating_class == "neutral" and a.action not in _ACTION_STANCE for a in actions) and all(
        a.action != "upgrade" for a in actions)


def gloss_of(actions: list[Action]) -> str:
    parts = []
    for action in actions:
        words = action.action.replace("_", " ")
        if action.rating:
            words += f" ({action.rating})"
        if action.price_target is not None:
            words += f" to {action.price_target:g}" + (f" {action.currency}" if action.currency else "")
        parts.append(words)
    return "; ".join(parts)


def currency_of(entity: Entity, article: Article, figure: Figure) -> str | None:
    """The currency of a figure written with 元 alone: the market where the share is listed
    (H share → HKD, A share → CNY, Taiwan → TWD), else the article's market."""
    if not figure.yuan:
        return None
    markets = [t.rsplit(".", 1)[-1] for t in entity.tickers if "." in t]
    for market in markets:
        if market in _MARKET_CURRENCY:
            return _MARKET_CURRENCY[market]
    return {"TW": "TWD", "HK": "HKD", "MO": "HKD"}.get(article.region or "", "CNY")


def rated_over_products(catalogue, view: SentenceView, span, by_name: dict[str, list[int]],
                        focus: str | None = None) -> dict[str, list[int]]:
    """A span that rates a company or sets its target speaks of the company: its products
    named for the reason ("downgrades Apple on iPhone sales") are no targets of their own,
    and with no company named the rating is the products' maker's when the article is
    about it ("reiterated a neutral rating, saying Agentforce remains too small")."""
    if not (view.ratings or view.figures or view.moves):
        return by_name
    inside = lambda p: span[0] <= p < span[1]  # noqa: E731
    if not (any(inside(r.start) for r in view.ratings) or any(inside(f.start) for f in view.figures)
            or any(inside(m.start) for m in view.moves)):
        return by_name
    rated = {n for n in by_name if (e := catalogue.get(n)) is not None and e.type == "Company"}
    if not rated:
        makers = {e.parent: s for n, s in by_name.items() if (e := catalogue.get(n)) is not None and e.parent
                  and (p := catalogue.get(e.parent)) is not None and p.type == "Company"}
        return makers if len(makers) == 1 and focus in makers else by_name
    return {n: s for n, s in by_name.items() if (e := catalogue.get(n)) is None or e.parent not in rated}


def plain_gloss(stance: str, about_itself: bool) -> str:
    """An English word for a view no stance phrase glosses: the assessment stays English."""
    if about_itself and stance == "neutral":
        return "own outlook"
    return {"positive": "favourable", "negative": "unfavourable", "mixed": "mixed view"}.get(stance, "stated")


# A plan stated: "公司将加大研发投入", "新产能将陆续投产", "we will keep investing".
_PLAN = re.compile(r"将(?:加大|投入|投资|扩大|继续|陆续|在)|计划|plans? to|will (?:invest|spend|expand|keep|continue|build|open|launch)")


def prior_stance(holder_type: str, text: str, span: tuple[int, int]) -> str:
    """The side of a named holder who speaks of a company without a word of stance: in this
    news far more often favourable than not (three in four views are positive), but a person
    stating a plan states it and takes no side."""
    if holder_type == "Person" and _PLAN.search(text, span[0], span[1]):
        return "neutral"
    return "positive"
