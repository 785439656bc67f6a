"""A company's price-target history as the charts draw it (:func:`target_history`): every price
target the banks set on it, by currency, and the rating changes, read from a claim graph's
Action nodes. The side panel of ``kg view`` and ``kg chart targets`` draw the same thing.

Only dated actions are drawn (a chart has a time axis): an action of an undated article is
left out. A bank that states the same target twice on one day (two sentences of one note)
gives one point.

>>> import networkx as nx
>>> target_history(nx.MultiDiGraph(), "entity:TSMC").points
()
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg.graph import schema

if TYPE_CHECKING:
    import networkx as nx  # ~0.2 s to import: paid only where a graph object is made

RATING_CHANGES = ("upgrade", "downgrade", "initiate")  # marked on the chart; "reiterate" is no change


@dataclass(frozen=True)
class TargetPoint:
    """One price target a bank set on the company."""

    holder: str  # the bank's canonical name
    date: str  # YYYY-MM-DD
    price: float
    currency: str  # an ISO 4217 code or "points"
    action: str  # target_raised, target_cut or target_set
    previous: float | None = None
    rating: str | None = None
    evidence: str = ""


@dataclass(frozen=True)
class RatingMark:
    """A rating change: an upgrade, a downgrade or a new coverage."""

    holder: str
    date: str
    action: str
    rating: str | None = None
    rating_class: str | None = None
    evidence: str = ""


@dataclass(frozen=True)
class TargetHistory:
    """What a company's target chart shows: points by (currency, holder, date), marks by date."""

    target: str  # the entity's node id
    name: str
    points: tuple[TargetPoint, ...] = ()
    marks: tuple[RatingMark, ...] = ()

    @property
    def currencies(self) -> list[str]:
        """The currencies of the targets, most targets first (then by name)."""
        counts: dict[str, int] = {}
        for point in self.points:
            counts[point.currency] = counts.get(point.currency, 0) + 1
        return sorted(counts, key=lambda currency: (-counts[currency], currency))

    @property
    def holders(self) -> list[str]:
        """Every bank with a target or a rating change, sorted (each keeps its colour everywhere)."""
        return sorted({p.holder for p in self.points} | {m.holder for m in self.marks})

    def series(self, currency: str) -> dict[str, list[TargetPoint]]:
        """The targets in one currency, by bank, each bank's in date order."""
        found: dict[str, list[TargetPoint]] = {}
        for point in self.points:
            if point.currency == currency:
                found.setdefault(point.holder, []).append(point)
        return found


def target_history(graph: nx.MultiDiGraph, entity: str) -> TargetHistory:
    """The price targets and rating changes the graph's claims about ``entity`` state."""
    points: set[TargetPoint] = set()
    marks: set[RatingMark] = set()
    for claim in _claims_about(graph, entity):
        data = graph.nodes[claim]
        day = str(data.get("article_date") or "")[:10]
        if not day:
            continue
        holder = str(data.get("holder") or "")
        evidence = str(data.get("evidence") or "")
        for action in _actions_of(graph, claim):
            kind = str(action.get("action") or "")
            if action.get("price_target") is not None and action.get("currency"):
                points.add(
                    TargetPoint(holder, day, float(action["price_target"]), str(action["currency"]), kind,
                                _number(action.get("previous_target")), action.get("rating"), evidence)
                )  # fmt: skip
            elif kind in RATING_CHANGES:
                marks.add(RatingMark(holder, day, kind, action.get("rating"), action.get("rating_class"), evidence))
    name = str(graph.nodes[entity].get("name") or "") if entity in graph else ""
    return TargetHistory(
        entity,
        name or entity.removeprefix("entity:"),
        tuple(sorted(_one_a_day(points), key=lambda p: (p.currency, p.holder, p.date, p.price))),
        tuple(sorted(marks, key=lambda m: (m.date, m.holder, m.action))),
    )


def target_histories(graph: nx.MultiDiGraph) -> dict[str, TargetHistory]:
    """The history of every entity some claim states a price target on, by node id."""
    targets = set()
    for node, data in graph.nodes(data=True):
        if data.get("label") == schema.ACTION and data.get("price_target") is not None:
            for claim in graph.predecessors(node):
                targets.update(_about(graph, claim))
    return {entity: target_history(graph, entity) for entity in sorted(targets)}


def _claims_about(graph: nx.MultiDiGraph, entity: str) -> list[str]:
    if entity not in graph:
        return []
    return sorted(
        source
        for source, _, data in graph.in_edges(entity, data=True)
        if data.get("type") == schema.ABOUT and graph.nodes[source].get("label") == schema.CLAIM
    )


def _about(graph: nx.MultiDiGraph, claim: str) -> list[str]:
    return [target for _, target, data in graph.out_edges(claim, data=True) if data.get("type") == schema.ABOUT]


def _actions_of(graph: nx.MultiDiGraph, claim: str) -> list[dict]:
    return [
        graph.nodes[action]
        for _, action, data in sorted(graph.out_edges(claim, data=True), key=lambda e: e[1])
        if data.get("type") == schema.STATES
    ]


def _one_a_day(points: set[TargetPoint]) -> list[TargetPoint]:
    """One point per bank, currency, day and price (the first sentence's)."""
    kept: dict[tuple, TargetPoint] = {}
    for point in sorted(points, key=lambda p: (p.evidence, p.action)):
        kept.setdefault((point.holder, point.currency, point.date, point.price), point)
    return list(kept.values())


def _number(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]
