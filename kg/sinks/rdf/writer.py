"""Writing the graph as RDF (:func:`write_rdf`): Oxigraph serializes the subjects as
:func:`~kg.sinks.rdf.subjects.rdf_subjects` makes them, one at a time, into a file that
replaces the old one only when it is complete.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from pyoxigraph import NamedNode, Quad, Triple, serialize

from kg.sinks.files import atomic_output
from kg.sinks.rdf.formats import FORMATS, OXIGRAPH_FORMATS
from kg.sinks.rdf.subjects import rdf_subjects
from kg.sinks.rdf.terms import Subject, check_base
from kg.sinks.rdf.vocabulary import DEFAULT_BASE, prefixes

if TYPE_CHECKING:
    import networkx as nx  # ~0.2 s to import: paid only where a graph object is made


def _statements(subjects: Iterable[Subject], graph_name: NamedNode | None,
                tally: list[int]) -> Iterator[Triple | Quad]:
    """The subjects' triples in order (as quads in ``graph_name`` if given), counted in ``tally[0]``."""
    for subject in subjects:
        node = subject.node
        for predicate, objects in subject.props.items():
            tally[0] += len(objects)
            if graph_name is None:
                for value in objects:
                    yield Triple(node, predicate, value)
            else:
                for value in objects:
                    yield Quad(node, predicate, value, graph_name)


def write_rdf(graph: nx.MultiDiGraph, path: Path, fmt: str = "turtle", base: str = DEFAULT_BASE,
              graph_iri: str | None = None) -> int:
    """Write the graph as RDF to ``path`` (atomically); the number of triples written.

    Oxigraph serializes the triples as :func:`rdf_subjects` makes them, so the file is the
    same bytes for the same graph. ``graph_iri`` names the TriG named graph (default
    ``<base>graph``). JSON-LD is written expanded (full IRIs, no ``@context``)."""
    check_base(base)
    return _write(rdf_subjects(graph, base), path, fmt, base, graph_iri)


def write_rdf_file(graph_file: Path, path: Path, fmt: str = "turtle", base: str = DEFAULT_BASE,
                   graph_iri: str | None = None) -> tuple[int, int]:
    """Write a build's graph.json as RDF, the same bytes :func:`write_rdf` writes of the
    graph it holds, reading the file as it streams (:mod:`kg.sinks.rdf.streamed`) when it is
    in kg's order, else whole; (triples, claims) written."""
    from kg.sinks.files import read_graph
    from kg.sinks.rdf.streamed import NotSorted, file_subjects

    check_base(base)
    claims = [0]
    try:
        return _write(file_subjects(Path(graph_file), base, tally=claims), path, fmt, base, graph_iri), claims[0]
    except NotSorted:
        graph = read_graph(graph_file)
        count = sum(1 for _, label in graph.nodes(data="label") if label == "Claim")
        return write_rdf(graph, path, fmt, base, graph_iri), count


def _write(subjects: Iterable[Subject], path: Path, fmt: str, base: str, graph_iri: str | None) -> int:
    if fmt not in FORMATS:
        raise ValueError(f"unknown RDF format {fmt!r}: use one of {', '.join(FORMATS)}")
    graph_name = NamedNode(graph_iri or f"{base}graph") if fmt == "trig" else None
    tally = [0]
    statements = _statements(subjects, graph_name, tally)
    with paused_gc(), atomic_output(Path(path), "wb") as out:
        serialize(statements, out, OXIGRAPH_FORMATS[fmt],
                  prefixes=prefixes(base) if fmt in ("turtle", "trig") else None)
    return tally[0]


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause Python's cycle collector while an export makes millions of short-lived objects
    (none in cycles): over a large graph the collector's passes cost a third of the time."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
