"""The graph for Gephi and Cytoscape: GraphML and GEXF.

Both formats hold one value of a simple type per attribute, so the graph is flattened
first (:func:`gephi_graph`):

- every node has ``label`` (what Gephi shows: a name, a title, "UBS → Nvidia (negative)",
  "HSBC → Nvidia: target_raised 320 USD (from 200)") and ``type`` (Article, Claim, Action,
  Company, ...); claims keep every field of the claim record, with the article's date as
  ``date``; actions keep theirs (action, rating, rating_class, price_target,
  previous_target, currency, date); articles keep title, date, url, lang, outlet and file;
- lists (aliases, tickers) become one string joined with "; "; None values are left out
  (a missing attribute), since neither format has a null;
- every edge has ``relationship`` (ASSERTS, ABOUT, ...) and the same text as its
  ``label``. The edge attribute is not called ``type``: GEXF reserves that word for
  directed / undirected.

GEXF also gets each article, claim and action's day as ``start``, so Gephi's timeline can
play the claims in order. The files are deterministic: no write date in the GEXF header.

A build's graph.json is exported as it streams (:func:`export_file`), never held whole: a
first pass over its nodes notes the attributes and their types (both formats declare them
before the first node) and, for each claim that states an action, its holder and target
(an action's label names them); the second writes the nodes and then the edges, in the
file's order, which is the export's (:mod:`kg.sinks.gephi_xml`). The bytes are those of
:func:`write_graphml` and :func:`write_gexf` of the graph the file holds. A file not in
kg's order is exported from the whole graph instead. An edge to a node the file does not
list (kg never writes one) is written as it is, without that node: networkx's readers, as
the whole-graph export did, add it bare.

>>> g = nx.MultiDiGraph()
>>> g.add_node("entity:UBS", label="Institution", name="UBS", aliases=["UBS", "瑞银"], tickers=[])
>>> gephi_graph(g).nodes["entity:UBS"]
{'type': 'Institution', 'label': 'UBS', 'name': 'UBS', 'aliases': 'UBS; 瑞银', 'tickers': ''}
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

import networkx as nx

from kg import __version__
from kg.graph import schema
from kg.sinks.files import atomic_output, iter_section
from kg.sinks.gephi_xml import FlatGraph, write_gexf_text, write_graphml_text
from kg.sinks.rdf import paused_gc

LIST_SEPARATOR = "; "
# Attributes that are numbers; every other attribute is written as a string, so each
# attribute has one type across the file (GraphML and GEXF declare a type per attribute).
INTEGER_ATTRIBUTES = ("evidence_start", "evidence_end")
FLOAT_ATTRIBUTES = ("confidence", "price_target", "previous_target")
RENAMED = {"article_date": "date"}
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


# Characters XML 1.0 cannot hold at all (not even escaped): replaced, or the file would not parse.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text(value: object) -> str:
    text = str(value)
    return _NOT_XML.sub("\ufffd", text) if _NOT_XML.search(text) else text


def _value(name: str, value: object) -> object:
    kind = _value_type(name, value)
    if kind is int:
        return value
    if kind is float:
        return float(value)  # type: ignore[arg-type]
    if isinstance(value, (list, tuple)):
        return _text(LIST_SEPARATOR.join(str(v) for v in value))
    return _text(value)


def _value_type(name: str, value: object) -> type:
    """The type an attribute's value is written as (:func:`_value`)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str
    if name in INTEGER_ATTRIBUTES and isinstance(value, int):
        return int
    return float if name in FLOAT_ATTRIBUTES else str


def _display(node: str, data: dict, claim: dict | None = None) -> str:
    kind = data.get("label")
    if kind == schema.CLAIM:
        return f"{data.get('holder')} → {data.get('target')} ({data.get('stance')})"
    if kind == schema.ARTICLE:
        return str(data.get("title") or node)
    if kind == schema.ACTION:
        return action_text(data, claim)
    return str(data.get("name") or node.partition(":")[2] or node)


def action_text(data: dict, claim: dict | None = None) -> str:
    """An action in a few words, after its claim's holder and target when known.

    >>> action_text({"action": "target_raised", "price_target": 174.0, "previous_target": 158.0,
    ...              "currency": "HKD", "rating": "buy"}, {"holder": "Goldman Sachs", "target": "Alibaba"})
    'Goldman Sachs → Alibaba: target_raised 174 HKD (from 158), buy'
    """
    words = [str(data.get("action") or "action")]
    if data.get("price_target") is not None:
        words.append(f"{_number(data['price_target'])} {data.get('currency') or ''}".rstrip())
    if data.get("previous_target") is not None:
        words.append(f"(from {_number(data['previous_target'])})")
    text = " ".join(words) + (f", {data['rating']}" if data.get("rating") else "")
    return f"{claim.get('holder')} → {claim.get('target')}: {text}" if claim else text


def _number(value: object) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def gephi_graph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of the graph with only simple attribute values (see the module doc)."""
    flat = nx.MultiDiGraph()
    for node in sorted(graph.nodes):
        data = graph.nodes[node]
        claim = _stating_claim(graph, node) if data.get("label") == schema.ACTION else None
        flat.add_node(_text(node), **flat_node(node, data, claim))
    edges = sorted(graph.edges(keys=True, data=True), key=lambda e: (e[0], e[1], str(e[2])))
    for source, target, key, data in edges:
        relationship = str(data.get("type", key))
        flat.add_edge(_text(source), _text(target), key=relationship, relationship=relationship, label=relationship)
    return flat


def flat_node(node: str, data: dict, claim: dict | None = None) -> dict[str, object]:
    """A node's attributes for Gephi: ``type`` and ``label``, then its own with simple values;
    ``claim`` is an action's claim (its holder and target)."""
    attributes: dict[str, object] = {"type": str(data.get("label", "")), "label": _text(_display(node, data, claim))}
    for name, value in data.items():
        if name in ("label", "id") or value is None:
            continue
        name = RENAMED.get(name, name)
        attributes[name] = _value(name, value)
    return attributes


def _attribute_types(data: dict) -> Iterator[tuple[str, type]]:
    """(name, type) of each attribute :func:`flat_node` gives a node, in its order, without
    making the values."""
    types: dict[str, type] = {"type": str, "label": str}
    for name, value in data.items():
        if name not in ("label", "id") and value is not None:
            name = RENAMED.get(name, name)
            types[name] = _value_type(name, value)
    return iter(types.items())


def _stating_claim(graph: nx.MultiDiGraph, action: str) -> dict | None:
    for claim in sorted(graph.predecessors(action)):
        if graph.nodes[claim].get("label") == schema.CLAIM:
            return graph.nodes[claim]
    return None


def timeline_day(attributes: dict[str, object]) -> str | None:
    """GEXF's ``start`` of a flattened node: an article's, claim's or action's day."""
    date = attributes.get("date")
    dated = attributes.get("type") in (schema.ARTICLE, schema.CLAIM, schema.ACTION)
    return date[:10] if dated and isinstance(date, str) and _DAY.match(date) else None


# ---------------------------------------------------------------- writing


def write_graphml(graph: nx.MultiDiGraph, path: Path) -> None:
    """GraphML (Gephi, Cytoscape, yEd) of a graph in memory, written atomically."""
    with paused_gc():
        _write(graph_in_memory(graph, timeline=False), Path(path), "graphml")


def write_gexf(graph: nx.MultiDiGraph, path: Path) -> None:
    """GEXF 1.2 (Gephi) of a graph in memory, written atomically; articles and claims carry ``start`` dates."""
    with paused_gc():
        _write(graph_in_memory(graph, timeline=True), Path(path), "gexf")


def export_file(graph_file: Path, path: Path, fmt: str) -> tuple[int, int]:
    """GraphML or GEXF (``fmt``) of a build's graph.json, written atomically: read as it
    streams when the file is in kg's order, else whole; (nodes, edges) written."""
    from kg.sinks.files import read_graph  # looked up when called: tests forbid it where a file must stream

    timeline = fmt == "gexf"
    with paused_gc():
        try:
            return _write(graph_in_file(Path(graph_file), timeline), Path(path), fmt)
        except NotInOrder:  # a file another tool wrote: sorted in memory, as before
            return _write(graph_in_memory(read_graph(graph_file), timeline), Path(path), fmt)


def _write(flat: FlatGraph, path: Path, fmt: str) -> tuple[int, int]:
    with atomic_output(path) as out:
        return _write_text(flat, out, fmt)


def _write_text(flat: FlatGraph, out: TextIO, fmt: str) -> tuple[int, int]:
    if fmt == "graphml":
        return write_graphml_text(flat, out)
    if fmt == "gexf":  # the layout is NetworkX's GEXFWriter's, so the creator still names it
        return write_gexf_text(flat, out, creator=f"kg {__version__} (NetworkX {nx.__version__})")
    raise ValueError(f"unknown network format {fmt!r}: graphml or gexf")


# ---------------------------------------------------------------- the flattened graph, from memory or from graph.json


def graph_in_memory(graph: nx.MultiDiGraph, timeline: bool) -> FlatGraph:
    """The flattened graph of a networkx graph; ``timeline``: nodes carry GEXF's ``start``."""
    flat = gephi_graph(graph)
    attributes: dict[tuple[str, type], None] = {}
    for _, data in flat.nodes(data=True):
        attributes.update(dict.fromkeys((name, type(value)) for name, value in data.items()))
    nodes = [(node, _on_timeline(data) if timeline else data) for node, data in flat.nodes(data=True)]
    return FlatGraph(
        nodes=nodes,
        edges=[(source, target, key) for source, target, key in flat.edges(keys=True)],
        node_attributes=attributes,
        has_edges=flat.number_of_edges() > 0,
        dated=any("start" in data for _, data in nodes),
    )


def _on_timeline(attributes: dict[str, object]) -> dict[str, object]:
    day = timeline_day(attributes)
    return attributes if day is None else {**attributes, "start": day}


class NotInOrder(ValueError):
    """graph.json's nodes are not sorted by id or its edges by (source, target, key), or an
    edge's key is not its type: the file cannot be exported as it streams. Read it whole."""


def graph_in_file(graph_file: Path, timeline: bool) -> FlatGraph:
    """The flattened graph of a build's graph.json, its nodes and edges read from the file as
    they are written (the first pass, over the nodes, is done here). Raises
    :class:`NotInOrder` here for nodes out of order, and while the edges are read for edges."""
    attributes: dict[tuple[str, type], None] = {}
    action_claims: dict[str, tuple[str, str] | None] = {}  # claim id → (holder, target), for the actions' labels
    dated, last = False, None
    for node in iter_section(graph_file, "nodes"):
        node_id = node["id"]
        if last is not None and node_id <= last:
            raise NotInOrder(f"{graph_file}: node {node_id!r} comes after {last!r}")
        last = node_id
        attributes.update(dict.fromkeys(_attribute_types(node)))
        dated = dated or (timeline and timeline_day(flat_node(node_id, node)) is not None)
        _note_claim(node_id, node, action_claims)
    first_edge = next(iter_section(graph_file, "edges"), None)
    return FlatGraph(
        nodes=_file_nodes(graph_file, action_claims, timeline),
        edges=_file_edges(graph_file),
        node_attributes=attributes,
        has_edges=first_edge is not None,
        dated=dated,
    )


def _note_claim(node_id: str, node: dict, action_claims: dict[str, tuple[str, str] | None]) -> None:
    """Note the claim an action belongs to, then that claim's holder and target when it comes:
    in id order every action ("action:...") comes before every claim ("claim:..."), so only
    the claims that state actions are kept."""
    kind = node.get("label")
    if kind == schema.ACTION:
        action_claims[schema.stating_claim_id(node_id)] = None
    elif kind == schema.CLAIM and node_id in action_claims:
        action_claims[node_id] = (sys.intern(str(node.get("holder"))), sys.intern(str(node.get("target"))))


def _file_nodes(graph_file: Path, action_claims: dict, timeline: bool) -> Iterator[tuple[str, dict[str, object]]]:
    for node in iter_section(graph_file, "nodes"):
        node_id = node["id"]
        claim = None
        if node.get("label") == schema.ACTION and (names := action_claims.get(schema.stating_claim_id(node_id))):
            claim = {"holder": names[0], "target": names[1]}
        attributes = flat_node(node_id, node, claim)
        yield _text(node_id), _on_timeline(attributes) if timeline else attributes


def _file_edges(graph_file: Path) -> Iterator[tuple[str, str, str]]:
    last = None
    for edge in iter_section(graph_file, "edges"):
        source, target, key = edge["source"], edge["target"], str(edge.get("key"))
        relationship = str(edge.get("type", key))
        if relationship != key or (last is not None and (source, target, key) <= last):
            raise NotInOrder(f"{graph_file}: edge {(source, target, key)} is out of order or not keyed by its type")
        last = (source, target, key)
        yield _text(source), _text(target), relationship
