"""GraphML and GEXF text, written node by node: a graph of any size in little memory.

The input is a graph already flattened for Gephi (:class:`FlatGraph`, made by
:mod:`kg.sinks.gephi`): its nodes in id order, each with simple attribute values (str, int,
float), and its edges in (source, target, relationship) order. Both formats declare every
attribute, with its type, before the first node, so a :class:`FlatGraph` says up front which
(name, type) pairs its nodes carry, in the order they first appear.

The text is the text NetworkX writes of the same graph (``nx.write_graphml`` with lxml,
``GEXFWriter``, both pretty-printed): the same key ids, attribute order, indentation and
escaping, so the files are byte-identical to the ones kg wrote when it held the graph whole
(tests compare them). Values are assumed to hold only characters XML can hold
(:func:`kg.sinks.gephi.xml_text` replaces the others).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TextIO

XML_DECLARATION = "<?xml version='1.0' encoding='utf-8'?>\n"
GRAPHML_ROOT = (
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">'
)
GEXF_ROOT = (
    '<gexf xmlns="http://www.gexf.net/1.2draft" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">\n'
)
# Both formats name the types as Java does; NetworkX writes Python's int as long, float as double.
TYPE_NAMES = {str: "string", int: "long", float: "double"}
EDGE_ATTRIBUTES = ("relationship", "label")  # every edge's, both strings, the relationship's name
NODE_OWN = ("label", "start")  # GEXF: attributes of the <node> element itself, not declared values


@dataclass
class FlatGraph:
    """A directed graph flattened for Gephi, to be written in one pass over its nodes and edges."""

    nodes: Iterable[tuple[str, dict[str, object]]]  # (id, attributes) in id order; "type" and "label" first
    edges: Iterable[tuple[str, str, str]]  # (source, target, relationship), sorted
    node_attributes: dict[tuple[str, type], None]  # each (name, value type) the nodes carry, in order met
    has_edges: bool
    dated: bool = False  # GEXF only: some node has a ``start`` attribute, its day on the timeline


# ---------------------------------------------------------------- GraphML (as NetworkX writes it with lxml)


def write_graphml_text(graph: FlatGraph, out: TextIO) -> tuple[int, int]:
    """Write GraphML to ``out``; (nodes, edges) written."""
    keys = _graphml_keys(graph)
    out.write(XML_DECLARATION + GRAPHML_ROOT)
    for (name, kind, scope), key in reversed(keys.items()):  # NetworkX puts each new key first
        name = _lxml_attribute(name)
        out.write(f'<key id="{key}" for="{scope}" attr.name="{name}" attr.type="{TYPE_NAMES[kind]}"/>\n')
    out.write('<graph edgedefault="directed">')
    nodes = edges = 0
    for node, attributes in graph.nodes:
        out.write(_graphml_node(node, attributes, keys))
        nodes += 1
    edge_keys = tuple(keys.get((name, str, "edge")) for name in EDGE_ATTRIBUTES)
    for source, target, relationship in graph.edges:
        out.write(_graphml_edge(source, target, relationship, edge_keys))
        edges += 1
    out.write("</graph></graphml>")
    return nodes, edges


def _graphml_node(node: str, attributes: dict[str, object], keys: dict[tuple[str, type, str], str]) -> str:
    data = "".join(_graphml_data(keys[name, type(value), "node"], value) for name, value in attributes.items())
    opening = f'<node id="{_lxml_attribute(node)}"'
    return f"{opening}>\n{data}</node>\n" if data else f"{opening}/>\n"


def _graphml_edge(source: str, target: str, relationship: str, keys: tuple) -> str:
    ends = f'source="{_lxml_attribute(source)}" target="{_lxml_attribute(target)}"'
    data = "".join(_graphml_data(key, relationship) for key in keys)  # relationship, then label: the same text
    return f'<edge {ends} id="{_lxml_attribute(relationship)}">\n{data}</edge>\n'


def _graphml_keys(graph: FlatGraph) -> dict[tuple[str, type, str], str]:
    """Each attribute's key id, d0, d1, ... in the order NetworkX meets them: nodes, then edges."""
    scoped = [(name, kind, "node") for name, kind in graph.node_attributes]
    if graph.has_edges:
        scoped += [(name, str, "edge") for name in EDGE_ATTRIBUTES]
    return {attribute: f"d{n}" for n, attribute in enumerate(scoped)}


def _graphml_data(key: str, value: object) -> str:
    return f'  <data key="{key}">{_lxml_text(str(value))}</data>\n'


# What each XML library escapes, in order (& first): libxml2 (NetworkX's GraphML) keeps a
# carriage return that a reader would turn into a newline; ElementTree (its GEXF) writes a
# tab as &#09;. Text needs the first part of each table, attribute values all of it.
_LXML_TEXT = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("\r", "&#13;"))
_LXML_ATTRIBUTE = (*_LXML_TEXT, ('"', "&quot;"), ("\n", "&#10;"), ("\t", "&#9;"))
_ETREE_TEXT = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"))
_ETREE_ATTRIBUTE = (*_ETREE_TEXT, ('"', "&quot;"), ("\r", "&#13;"), ("\n", "&#10;"), ("\t", "&#09;"))


def _escaped(text: str, table: tuple[tuple[str, str], ...]) -> str:
    for character, entity in table:
        if character in text:
            text = text.replace(character, entity)
    return text


def _lxml_text(text: str) -> str:
    return _escaped(text, _LXML_TEXT)


def _lxml_attribute(text: str) -> str:
    return _escaped(text, _LXML_ATTRIBUTE)


# ---------------------------------------------------------------- GEXF 1.2draft (as NetworkX's GEXFWriter writes it)


def write_gexf_text(graph: FlatGraph, out: TextIO, creator: str) -> tuple[int, int]:
    """Write GEXF to ``out``, ``creator`` in its meta; (nodes, edges) written. A node's
    ``start`` attribute is its day on Gephi's timeline, not an attribute value."""
    node_ids, edge_ids = _gexf_attribute_ids(graph)
    mode = 'mode="dynamic" name="" timeformat="date"' if graph.dated else 'mode="static" name=""'
    out.write(f"{XML_DECLARATION}{GEXF_ROOT}  <meta>\n    <creator>{_etree_text(creator)}</creator>\n  </meta>\n")
    out.write(f'  <graph defaultedgetype="directed" {mode}>\n')
    for kind, ids in (("edge", edge_ids), ("node", node_ids)):  # NetworkX puts the edges' first
        if ids:
            out.write(f'    <attributes mode="static" class="{kind}">\n')
            for name, (number, value_type) in ids.items():
                title = _etree_attribute(name)
                out.write(f'      <attribute id="{number}" title="{title}" type="{TYPE_NAMES[value_type]}" />\n')
            out.write("    </attributes>\n")
    nodes = _gexf_section(out, "nodes", (_gexf_node(node, attributes, node_ids) for node, attributes in graph.nodes))
    edge_texts = (_gexf_edge(n, *edge, edge_ids) for n, edge in enumerate(graph.edges))
    edges = _gexf_section(out, "edges", edge_texts)
    out.write("  </graph>\n</gexf>\n")
    return nodes, edges


def _gexf_attribute_ids(graph: FlatGraph) -> tuple[dict[str, tuple[str, type]], dict[str, tuple[str, type]]]:
    """Node and edge attributes' ids, numbered together in the order met: an attribute is
    declared once, by name, with the type of its first value. A node's label is not one (it
    is the node's own ``label``, as ``start`` is its own); an edge's key is, as ``networkx_key``."""
    names = [("node", name, kind) for name, kind in graph.node_attributes if name not in NODE_OWN]
    if graph.has_edges:
        names += [("edge", "relationship", str), ("edge", "networkx_key", str)]
    declared: dict[str, dict[str, tuple[str, type]]] = {"node": {}, "edge": {}}
    for scope, name, kind in names:
        if name not in declared[scope]:
            declared[scope][name] = (str(sum(map(len, declared.values()))), kind)
    return declared["node"], declared["edge"]


def _gexf_section(out: TextIO, name: str, texts: Iterable[str]) -> int:
    count = 0
    for text in texts:
        out.write(f"    <{name}>\n" if count == 0 else "")
        out.write(text)
        count += 1
    out.write(f"    </{name}>\n" if count else f"    <{name} />\n")
    return count


def _gexf_node(node: str, attributes: dict[str, object], ids: dict[str, tuple[str, type]]) -> str:
    start = attributes.get("start")
    label = _etree_attribute(str(attributes.get("label", node)))
    opening = f'      <node id="{_etree_attribute(node)}" label="{label}"'
    opening += f' start="{_etree_attribute(str(start))}"' if start is not None else ""
    values = [(ids[name][0], value) for name, value in attributes.items() if name not in NODE_OWN]
    if not values:
        return opening + " />\n"
    return f"{opening}>\n{_attvalues(values)}      </node>\n"


def _gexf_edge(number: int, source: str, target: str, relationship: str, ids: dict[str, tuple[str, type]]) -> str:
    ends = f'source="{_etree_attribute(source)}" target="{_etree_attribute(target)}"'
    values = [(ids["relationship"][0], relationship), (ids["networkx_key"][0], relationship)]
    opening = f'      <edge {ends} id="{number}" label="{_etree_attribute(relationship)}">\n'
    return f"{opening}{_attvalues(values)}      </edge>\n"


def _attvalues(values: list[tuple[str, object]]) -> str:
    lines = "".join(
        f'          <attvalue for="{key}" value="{_etree_attribute(_gexf_value(value))}" />\n' for key, value in values
    )
    return f"        <attvalues>\n{lines}        </attvalues>\n"


def _gexf_value(value: object) -> str:
    text = str(value)
    if isinstance(value, float):  # GEXF's (and Java's) spelling of the special floats
        return {"inf": "INF", "-inf": "-INF", "nan": "NaN"}.get(text, text)
    return text


def _etree_text(text: str) -> str:
    return _escaped(text, _ETREE_TEXT)


def _etree_attribute(text: str) -> str:
    return _escaped(text, _ETREE_ATTRIBUTE)
