"""The page of a big graph: its most-discussed holders and targets and the links between them.

No browser or projector shows a hundred thousand claims, and a page listing them all would
weigh hundreds of megabytes. A graph with more than ``WHOLE_CLAIMS`` claims or
``TOP_ENTITIES`` holders and targets is drawn as its overview (:func:`cut`):

* the ``TOP_ENTITIES`` (150) entities with the most claims by and about them;
* the links (holder → target) between two of them, the ``TOP_LINKS`` (1,000) busiest,
  aggregated: a link's width, colour and stance mix count all of its claims;
* the latest ``LINK_CLAIMS`` (5) claims of each link listed in the side panel, the links
  with the most claims first, ``PAGE_CLAIMS`` (1,500) claims in all;

and the page says what it left out and how to see it (``kg view --focus``, the filters).
The page stays under 5 MB whatever the corpus size (benchmarks/bench_view.py). A smaller
graph keeps the page that draws it whole.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from kg.sinks.html.collect import EntityView, View, claim_view
from kg.sinks.tally import Tally

TOP_ENTITIES = 150
TOP_LINKS = 1000  # and at most this many of the links between them, the busiest
WHOLE_CLAIMS = 3000  # a graph with at most this many claims (and TOP_ENTITIES entities) is drawn whole
LINK_CLAIMS = 5
PAGE_CLAIMS = 1500
Pair = tuple[str, str]


def is_whole(tally: Tally) -> bool:
    """Whether the page draws the graph whole (else :func:`cut` says what it draws)."""
    return tally.claims <= WHOLE_CLAIMS and len(tally.entities) <= TOP_ENTITIES


@dataclass(frozen=True)
class Cut:
    """What the overview of a graph draws, and which claims its panel lists."""

    entities: list[str]  # node ids, most claims by and about them first
    links: list[Pair]  # the links between them, most claims first
    quota: dict[Pair, int]  # claims listed per link (the links left without are absent)
    mix: dict[Pair, Counter]  # each link's claims per stance


def top_entities(tally: Tally) -> list[str]:
    """The TOP_ENTITIES entities with the most claims by and about them, most first."""
    weight = {node: tally.made[node] + tally.about[node] for node in tally.entities}
    return sorted(weight, key=lambda node: (-weight[node], node))[:TOP_ENTITIES]


def cut(tally: Tally, links: Mapping[Pair, Counter] | None = None) -> Cut:
    """The most-discussed entities, the links between them, and each link's share of the list.
    ``links``: the tally's, unless counted elsewhere (at least those between the top entities)."""
    ranked = top_entities(tally)
    kept = set(ranked)
    links = tally.links if links is None else links
    chosen = sorted(
        (pair for pair in links if pair[0] in kept and pair[1] in kept), key=lambda pair: (-sum(links[pair].values()), pair)
    )[:TOP_LINKS]
    quota, budget = {}, PAGE_CLAIMS
    for pair in chosen:
        share = min(LINK_CLAIMS, sum(links[pair].values()), budget)
        if share:
            quota[pair] = share
            budget -= share
    return Cut(ranked, chosen, quota, {pair: links[pair] for pair in chosen})


def left_out(tally: Tally, chosen: Cut) -> str:
    """What the page does not show, and how to see it, in words."""
    shown = sum(sum(mix.values()) for mix in chosen.mix.values())
    listed = sum(chosen.quota.values())
    entities = len(tally.entities)
    return (
        f"Overview: the {len(chosen.entities)} most-discussed of {entities:,} holders and targets and the "
        f"{len(chosen.links):,} busiest links between them ({shown:,} of {tally.claims:,} claims); the panel lists "
        f"{listed:,} of their claims, the latest {LINK_CLAIMS} of each busiest link. "
        f"Left out: {entities - len(chosen.entities):,} holders and targets, and {tally.claims - shown:,} claims "
        "on the links not drawn. To see them: kg view --focus NAME, or filters "
        "(--holder, --target, --stance, --from/--to, --lang, --topic, --min-claims)."
    )


def overview_view(
    tally: Tally,
    chosen: Cut,
    entity_attrs: Mapping[str, dict],
    listed: Mapping[Pair, list[tuple[dict, dict, str]]],
) -> View:
    """The view of the cut: ``entity_attrs`` are the entity nodes' attributes, ``listed`` the
    (claim record, article attributes, article id) of the claims each link lists."""
    view = View()
    for node in sorted(chosen.entities):
        attrs = entity_attrs.get(node, {})
        view.entities[node] = EntityView(
            node, str(attrs.get("name") or node.removeprefix("entity:")), str(attrs.get("label") or "Sector"),
            tuple(str(a) for a in attrs.get("aliases") or ()), tally.made[node], tally.about[node],
        )  # fmt: skip
    for pair in sorted(chosen.links):
        target = view.entities[pair[1]]
        claims = [claim_view(record, article, article_id, target) for record, article, article_id in listed.get(pair, ())]
        view.pairs[pair] = sorted(claims, key=lambda c: c.order)
        view.totals[pair] = chosen.mix[pair]
        view.notes[pair] = _note(view, pair, len(claims), sum(chosen.mix[pair].values()))
    return view


def _note(view: View, pair: Pair, listed: int, total: int) -> str:
    holder, target = (view.entities[node].name for node in pair)
    command = f"kg view --holder {json.dumps(holder, ensure_ascii=False)} --target {json.dumps(target, ensure_ascii=False)}"
    return f"{listed} of {total} claims listed here; {command} shows them all."


# ---------------------------------------------------------------- kg build's page


def write_build_page(graph_file: Path, spool, built, path: Path, *, title: str, subtitle: str) -> Path:
    """The page ``kg build`` writes: the whole graph when it is small, else its overview,
    from the build's tally and spool (never the whole graph in memory)."""
    from kg.sinks.files import write_atomic
    from kg.sinks.html import write_html

    if is_whole(built.tally):
        from kg.sinks.files import read_graph

        return write_html(read_graph(graph_file), path, title=title, subtitle=subtitle)
    write_atomic(path, build_page(spool, built, title=title, subtitle=subtitle))
    return path


def build_page(spool, built, *, title: str, subtitle: str) -> str:
    """The overview page of a build too big to draw whole (not :func:`is_whole`), from its
    tally and its spool (or a :class:`kg.sinks.spool.SpoolReader` of it): no graph.json needed."""
    from kg.sinks.html import render_view

    chosen = cut(built.tally, spool.links(set(top_entities(built.tally))))
    attrs = {node: attrs for node, (_, attrs) in built.entities.first.items()}
    listed = claims_of(spool.latest_claims(LINK_CLAIMS, chosen.quota), chosen.quota)
    view = overview_view(built.tally, chosen, attrs, listed)
    return render_view(view, title=title, subtitle=subtitle + "\n" + left_out(built.tally, chosen), layout="auto")


def claims_of(rows, quota: Mapping[Pair, int]) -> dict[Pair, list[tuple[dict, dict, str]]]:
    """Rows (holder, target, claim line, article attributes JSON, article id), latest first
    per link, cut to each link's quota."""
    found: dict[Pair, list[tuple[dict, dict, str]]] = {}
    for holder, target, line, article, article_id in rows:
        kept = found.setdefault((holder, target), [])
        if len(kept) < quota.get((holder, target), 0):
            kept.append((json.loads(line), json.loads(article or "{}"), article_id))
    return found

