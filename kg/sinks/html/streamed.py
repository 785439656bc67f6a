"""The page of a graph.json read as it streams: never the whole graph in memory.

A first pass over the nodes counts the claims per entity and per link (:class:`Tally`); a
graph small enough to draw whole is then read into networkx and drawn as before, a bigger
one gets its overview (:mod:`kg.sinks.html.overview`), whose listed claims a second pass
picks: the latest of each link, with their articles.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from kg.graph import schema
from kg.sinks.files import iter_section, read_graph
from kg.sinks.html.overview import Cut, cut, is_whole, left_out, overview_view
from kg.sinks.tally import Tally

Keep = Callable[[dict], bool]  # which claim nodes count (a view's filters); all when None


def tally_file(graph_file: Path, keep: Keep | None = None) -> tuple[Tally, dict[str, dict]]:
    """The tally of a graph.json's claims (those ``keep`` keeps) and its entity nodes."""
    tally, entities = Tally(), {}
    for node in iter_section(graph_file, "nodes"):
        label = node.get("label")
        if label == schema.ARTICLE:
            tally.add_article(node.get("date"), node.get("file"))
        elif label == schema.CLAIM:
            if keep is None or keep(node):
                holder, target = claim_ends(node)
                tally.add_claim(holder, target, str(node.get("stance") or "neutral"))
        else:
            entities[node["id"]] = node
    return tally, entities


def claim_ends(node: dict) -> tuple[str, str]:
    """A claim node's holder and target node ids, as its record names them."""
    return schema.entity_id(str(node.get("holder") or "?")), schema.entity_id(str(node.get("target") or "?"))


def latest_claims(graph_file: Path, chosen: Cut, keep: Keep | None = None) -> dict:
    """For each link of the cut, its latest claims up to its quota: (record, article, article id)."""
    articles: dict[str, dict] = {}
    heaps: dict[tuple[str, str], list] = {}
    for node in iter_section(graph_file, "nodes"):
        label = node.get("label")
        if label == schema.ARTICLE:
            articles[node["id"]] = {k: node.get(k) for k in ("title", "outlet", "url", "date")}
        elif label == schema.CLAIM and (keep is None or keep(node)):
            pair = claim_ends(node)
            quota = chosen.quota.get(pair, 0)
            if quota:
                order = (str(node.get("article_date") or ""), str(node.get("article_id") or ""), int(node.get("evidence_start") or 0))
                heap = heaps.setdefault(pair, [])
                item = (order, node["id"], node)
                heapq.heappush(heap, item) if len(heap) < quota else heapq.heappushpop(heap, item)
    return {
        pair: [(node, articles.get(str(node.get("article_id")), {}), str(node.get("article_id") or "")) for _, _, node in heap]
        for pair, heap in heaps.items()
    }


def write_file_page(graph_file: Path, path: Path, *, title: str, built: str) -> Path:
    """The page of a build's graph.json, as ``kg rebuild`` exports it."""
    from kg.sinks.html import write_html, write_view

    tally, entities = tally_file(graph_file)
    subtitle = f"Corpus: {tally.corpus()}.\n{built}"
    if is_whole(tally):
        return write_html(read_graph(graph_file), path, title=title, subtitle=subtitle)
    chosen = cut(tally)
    view = overview_view(tally, chosen, entities, latest_claims(graph_file, chosen))
    return write_view(view, path, title=title, subtitle=subtitle + "\n" + left_out(tally, chosen))


def nodes_of(graph_file: Path, wanted: Callable[[dict], bool]) -> Iterator[dict]:
    """The nodes of a graph.json that ``wanted`` keeps."""
    return (node for node in iter_section(graph_file, "nodes") if wanted(node))


def edges_between(graph_file: Path, kept: set[str]) -> Iterable[dict]:
    """The edges of a graph.json whose two ends are both in ``kept``."""
    return (edge for edge in iter_section(graph_file, "edges") if edge.get("source") in kept and edge.get("target") in kept)
