"""The page of a graph.json read as it streams: never the whole graph in memory.

A first pass over the nodes counts the claims per entity and per link (:class:`Tally`); a
graph small enough to draw whole is then read into networkx and drawn as before, a bigger
one gets its overview (:mod:`kg.sinks.html.overview`), whose listed claims a second pass
picks: the latest of each link, with their articles. ``kg view`` does the same with its
filters (:func:`index_file`, :func:`claim_filter`, :func:`selected_links`): what it shows
when small is the subgraph :func:`kg.views.select` would make (:func:`shown_subgraph`),
read from the file in a few passes.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kg.graph import schema
from kg.sinks.files import iter_section, read_graph
from kg.sinks.html.overview import Cut, cut, is_whole, left_out, overview_view
from kg.sinks.tally import Tally
from kg.views import Selection, focus_pairs

if TYPE_CHECKING:
    import networkx as nx  # ~0.2 s to import: paid only where a graph object is made

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


# ---------------------------------------------------------------- kg view of a graph.json


@dataclass
class FileIndex:
    """What a view needs of a graph.json before it picks claims: the entity nodes (to
    resolve names), the topics, each article's language and date; and a small graph of the
    entities (with a claim per topic) that :func:`kg.views.resolve` can read names in."""

    entities: dict[str, dict]
    langs: dict[str, str]
    dates: dict[str, str]
    skeleton: nx.MultiDiGraph


def index_file(graph_file: Path) -> FileIndex:
    import networkx as nx

    entities, langs, dates, topics = {}, {}, {}, set()
    for node in iter_section(graph_file, "nodes"):
        label = node.get("label")
        if label == schema.ARTICLE:
            langs[node["id"]] = str(node.get("lang") or "")
            dates[node["id"]] = str(node.get("date") or "")
        elif label == schema.CLAIM:
            if node.get("topic"):
                topics.add(str(node["topic"]))
        else:
            entities[node["id"]] = node
    skeleton = nx.MultiDiGraph()
    for node_id, attrs in entities.items():
        skeleton.add_node(node_id, **{k: v for k, v in attrs.items() if k != "id"})
    for number, topic in enumerate(sorted(topics)):
        skeleton.add_node(f"claim:topic-{number}", label=schema.CLAIM, topic=topic)
    return FileIndex(entities, langs, dates, skeleton)


def claim_filter(selection: Selection, index: FileIndex) -> Keep:
    """Step 1 of a view (:func:`kg.views.keep_claim`) on a claim node as graph.json holds it."""

    def keep(node: dict) -> bool:
        holder, target = claim_ends(node)
        if (selection.holders and holder not in selection.holders) or (selection.targets and target not in selection.targets):
            return False
        if (selection.stances and node.get("stance") not in selection.stances) or (
            selection.topics and node.get("topic") not in selection.topics
        ):
            return False
        article = str(node.get("article_id") or "")
        if selection.langs and index.langs.get(article, "") not in selection.langs:
            return False
        if selection.dated:
            date = str(node.get("article_date") or index.dates.get(article) or "")[:10]
            if not date or (selection.date_from and date < selection.date_from):
                return False
            if selection.date_to and date > selection.date_to:
                return False
        return True

    return keep


def selected_links(graph_file: Path, selection: Selection, keep: Keep) -> tuple[Tally, Tally]:
    """The tally of the whole graph and that of the claims a view shows: filters, then
    minimum claims per link, then focus (:func:`kg.views.select_claims`)."""
    whole, kept = Tally(links=None), Tally()
    for node in iter_section(graph_file, "nodes"):
        if node.get("label") == schema.ARTICLE:
            whole.add_article(node.get("date"), node.get("file"))
        elif node.get("label") == schema.CLAIM:
            ends = claim_ends(node)
            whole.add_claim(*ends, "")
            if keep(node):
                kept.add_claim(*ends, str(node.get("stance") or "neutral"))
    pairs = {pair for pair, mix in kept.links.items() if sum(mix.values()) >= selection.min_claims}
    if selection.focus is not None:
        pairs &= focus_pairs(pairs, selection.focus, selection.depth)
    shown = Tally()
    for pair in sorted(pairs):
        shown.add_link(*pair, kept.links[pair])
    return whole, shown


def shown_subgraph(graph_file: Path, pairs: set[tuple[str, str]], keep: Keep) -> nx.MultiDiGraph:
    """The subgraph of the kept claims on ``pairs`` with their holders, targets, articles and
    topics and the relationships among them, as :func:`kg.views.select` makes it."""
    import networkx as nx

    claims = {node["id"] for node in iter_section(graph_file, "nodes")
              if node.get("label") == schema.CLAIM and keep(node) and claim_ends(node) in pairs}  # fmt: skip
    kept = set(claims)
    for edge in iter_section(graph_file, "edges"):
        if edge.get("source") in claims:
            kept.add(edge["target"])
        elif edge.get("target") in claims:
            kept.add(edge["source"])
    graph = nx.MultiDiGraph()
    for node in iter_section(graph_file, "nodes"):
        if node["id"] in kept:
            graph.add_node(node["id"], **{k: v for k, v in node.items() if k != "id"})
    for edge in iter_section(graph_file, "edges"):
        if edge.get("source") in kept and edge.get("target") in kept:
            attrs = {k: v for k, v in edge.items() if k not in ("source", "target", "key")}
            graph.add_edge(edge["source"], edge["target"], key=edge.get("key"), **attrs)
    return graph
