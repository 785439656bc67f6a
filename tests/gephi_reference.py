"""GraphML and GEXF as kg wrote them before its exports streamed: NetworkX's writers of
:func:`kg.sinks.gephi.gephi_graph`'s flattened graph. The streamed files must be these bytes."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
from networkx.readwrite.gexf import GEXFWriter

from kg import __version__
from kg.sinks.gephi import gephi_graph, timeline_day


def networkx_graphml(graph: nx.MultiDiGraph, path: Path) -> bytes:
    with open(path, "wb") as out:
        nx.write_graphml(gephi_graph(graph), out, encoding="utf-8", prettyprint=True)
    return Path(path).read_bytes()


def networkx_gexf(graph: nx.MultiDiGraph, path: Path) -> bytes:
    flat = gephi_graph(graph)
    for _, data in flat.nodes(data=True):
        if (day := timeline_day(data)) is not None:
            data["start"] = day
    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    meta = writer.xml.find("meta")
    meta.attrib.pop("lastmodifieddate", None)  # kg's files carry no write date
    meta.find("creator").text = f"kg {__version__} (NetworkX {nx.__version__})"
    writer.add_graph(flat)
    with open(path, "wb") as out:
        writer.write(out)
    return Path(path).read_bytes()


NETWORKX_WRITERS = {"graphml": networkx_graphml, "gexf": networkx_gexf}


def read_back(path: Path, fmt: str) -> nx.Graph:
    return nx.read_graphml(path, force_multigraph=True) if fmt == "graphml" else nx.read_gexf(path)
