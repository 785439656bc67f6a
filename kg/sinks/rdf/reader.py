"""Reading an RDF file back (:func:`read_rdf`) as the rdflib Graph that pyshacl checks and
SPARQL queries: Oxigraph parses, rdflib holds.
"""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import BlankNode, Literal, NamedNode, parse

from kg.sinks.rdf.formats import OXIGRAPH_FORMATS, format_for
from kg.sinks.rdf.vocabulary import XSD


def read_rdf(path: Path, fmt: str | None = None):
    """An RDF file read back as one rdflib Graph (a TriG file's graphs merged), for pyshacl
    and SPARQL.

    Oxigraph parses it: rdflib's own Turtle parser rejects a prefixed name that ends in an
    escaped dot (``outlet:Acme\\%20Inc\\.``, rdflib issue #933), which is valid Turtle and
    which Oxigraph writes for an IRI ending in a dot. Language tags come back lowercased.
    """
    import rdflib

    fmt = format_for(path, fmt)
    graph = rdflib.Graph()
    terms: dict[object, object] = {}
    xsd_string = XSD + "string"

    def convert(term):
        found = terms.get(term)
        if found is not None:
            return found
        if isinstance(term, NamedNode):
            found = rdflib.URIRef(term.value)
        elif isinstance(term, BlankNode):
            found = rdflib.BNode(term.value)
        elif isinstance(term, Literal):
            if term.language:
                found = rdflib.Literal(term.value, lang=term.language)
            elif term.datatype.value == xsd_string:
                found = rdflib.Literal(term.value)
            else:
                found = rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))
        else:
            raise ValueError(f"{term} is not supported here (an RDF 1.2 triple term)")
        terms[term] = found
        return found

    add = graph.add
    base_iri = Path(path).resolve().as_uri()
    for quad in parse(path=str(path), format=OXIGRAPH_FORMATS[fmt], base_iri=base_iri):
        add((convert(quad.subject), convert(quad.predicate), convert(quad.object)))
    return graph
