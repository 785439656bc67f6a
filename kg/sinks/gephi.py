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

>>> g = nx.MultiDiGraph()
>>> g.add_node("entity:UBS", label="Institution", name="UBS", aliases=["UBS", "瑞银"], tickers=[])
>>> gephi_graph(g).nodes["entity:UBS"]
{'type': 'Institution', 'label': 'UBS', 'name': 'UBS', 'aliases': 'UBS; 瑞银', 'tickers': ''}
"""

from __future__ import annotations

import re
from pathlib import Path

import networkx as nx
from networkx.readwrite.gexf import GEXFWriter

from kg import __version__
from kg.graph import schema
from kg.sinks.files import atomic_output
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
    if isinstance(value, (list, tuple)):
        return _text(LIST_SEPARATOR.join(str(v) for v in value))
    if name in INTEGER_ATTRIBUTES and isinstance(value, int) and not isinstance(value, bool):
        return value
    if name in FLOAT_ATTRIBUTES and isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return _text(value)


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
        attributes: dict[str, object] = {"type": str(data.get("label", "")), "label": _text(_display(node, data, claim))}
        for name, value in data.items():
            if name in ("label", "id") or value is None:
                continue
            name = RENAMED.get(name, name)
            attributes[name] = _value(name, value)
        flat.add_node(node, **attributes)
    edges = sorted(graph.edges(keys=True, data=True), key=lambda e: (e[0], e[1], str(e[2])))
    for source, target, key, data in edges:
        relationship = str(data.get("type", key))
        flat.add_edge(source, target, key=relationship, relationship=relationship, label=relationship)
    return flat


def _stating_claim(graph: nx.MultiDiGraph, action: str) -> dict | None:
    for claim in sorted(graph.predecessors(action)):
        if graph.nodes[claim].get("label") == schema.CLAIM:
            return graph.nodes[claim]
    return None


def write_graphml(graph: nx.MultiDiGraph, path: Path) -> None:
    """GraphML (Gephi, Cytoscape, yEd), written atomically."""
    with paused_gc():
        flat = gephi_graph(graph)
        with atomic_output(Path(path), "wb") as out:
            nx.write_graphml(flat, out, encoding="utf-8", prettyprint=True)


def write_gexf(graph: nx.MultiDiGraph, path: Path) -> None:
    """GEXF 1.2 (Gephi), written atomically; articles and claims carry ``start`` dates."""
    with paused_gc():
        _write_gexf(gephi_graph(graph), Path(path))


def _write_gexf(flat: nx.MultiDiGraph, path: Path) -> None:
    for _, data in flat.nodes(data=True):
        date = data.get("date")
        if data.get("type") in (schema.ARTICLE, schema.CLAIM, schema.ACTION) and isinstance(date, str) and _DAY.match(date):
            data["start"] = date[:10]
    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    meta = writer.xml.find("meta")
    if meta is not None:  # no write date, so the same graph gives the same file
        meta.attrib.pop("lastmodifieddate", None)
        creator = meta.find("creator")
        if creator is not None:
            creator.text = f"kg {__version__} (NetworkX {nx.__version__})"
    writer.add_graph(flat)
    with atomic_output(path, "wb") as out:
        writer.write(out)
