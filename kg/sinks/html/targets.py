"""The price-target charts of the side panel: for each company on the page that banks set
price targets on, its targets by currency and its rating changes, as the page's script
draws them (``templates/targets.js``: inline SVG, built from DOM nodes, no remote script).

The history itself is :func:`kg.target_history.target_history`, as ``kg chart targets``
draws it too.
"""

from __future__ import annotations

from collections.abc import Container
from pathlib import Path
from typing import TYPE_CHECKING

from kg.target_history import TargetHistory, target_histories

if TYPE_CHECKING:
    import networkx as nx  # ~0.2 s to import: paid only where a graph object is made

CHART_SCRIPT = Path(__file__).parent.parent / "templates" / "targets.js"


def target_records(graph: nx.MultiDiGraph, entities: Container[str]) -> dict[str, dict]:
    """The chart data of every entity of ``entities`` with a price target, by node id."""
    return {
        node: history_record(history)
        for node, history in target_histories(graph).items()
        if node in entities and history.points
    }


def history_record(history: TargetHistory) -> dict:
    """One company's chart as plain JSON: banks (in colour order), targets by currency, marks.

    >>> from kg.target_history import TargetPoint
    >>> history_record(TargetHistory("entity:X", "X", (TargetPoint("UBS", "2025-01-02", 9.5, "USD", "target_set"),)))
    {'holders': ['UBS'], 'currencies': [{'currency': 'USD', 'points': [{'holder': 'UBS', 'date': '2025-01-02', \
'price': 9.5, 'previous': None, 'action': 'target_set', 'rating': None}]}], 'marks': []}
    """
    return {
        "holders": history.holders,
        "currencies": [
            {
                "currency": currency,
                "points": [
                    {"holder": p.holder, "date": p.date, "price": p.price, "previous": p.previous, "action": p.action,
                     "rating": p.rating}  # fmt: skip
                    for points in history.series(currency).values()
                    for p in points
                ],
            }
            for currency in history.currencies
        ],
        "marks": [
            {"holder": m.holder, "date": m.date, "action": m.action, "rating": m.rating, "rating_class": m.rating_class}
            for m in history.marks
        ],
    }


def chart_script() -> str:
    """The page's chart script, checked safe to inline."""
    text = CHART_SCRIPT.read_text("utf-8")
    if "</script" in text.lower():
        raise ValueError(f"{CHART_SCRIPT} cannot be inlined safely")
    return text
