"""The graph as RDF (Turtle, N-Triples, TriG, JSON-LD), and SHACL validation of an export.

The vocabulary is ``schema/kg.ttl`` and the constraints ``schema/shapes.ttl``; the package
reads its own copies in ``kg/schema_data/`` (see :func:`schema_file`). Instance IRIs come
from the graph's canonical ids under a base IRI, so the same build always gives the same
IRIs::

    claim:<hex>    -> <base>claim/<hex>
    article:<hex>  -> <base>article/<hex>
    entity:<name>  -> <base>entity/<percent-encoded name>

>>> iri("entity:S&P 500")
'https://kg.example.org/entity/S%26P%20500'

The graph is turned into pyoxigraph terms one subject at a time (all its triples together,
subjects in a fixed order) and Oxigraph's serializers write them as they come, so memory
stays flat and the output is byte-identical for the same graph. Oxigraph writes a million
triples of Turtle in about a second (rdflib: about a minute). It writes language tags in
lower case (``"瑞银"@zh-hans``): BCP 47 tags are case-insensitive, so that is the same
literal; compare tags with ``.lower()``. Oxigraph also parses a file back (:func:`read_rdf`)
into the rdflib Graph that pyshacl checks. The tests parse every format back, with both
libraries, and check it is the same graph as the N-Triples.

One file per part: :mod:`~kg.sinks.rdf.vocabulary` (namespaces, predicates, classes),
:mod:`~kg.sinks.rdf.terms` (IRIs, tagged names, typed literals), :mod:`~kg.sinks.rdf.subjects`
(the graph as subjects), :mod:`~kg.sinks.rdf.formats`, :mod:`~kg.sinks.rdf.writer`,
:mod:`~kg.sinks.rdf.streamed` (the subjects of a graph.json as it streams),
:mod:`~kg.sinks.rdf.reader` and :mod:`~kg.sinks.rdf.validation`. The names below are the
sink's public face.
"""

from kg.sinks.rdf.formats import FORMATS, format_for
from kg.sinks.rdf.reader import read_rdf
from kg.sinks.rdf.subjects import rdf_subjects
from kg.sinks.rdf.terms import Subject, check_base, iri, label_languages
from kg.sinks.rdf.validation import Violation, schema_file, validate_file, validate_graph
from kg.sinks.rdf.vocabulary import DEFAULT_BASE, prefixes
from kg.sinks.rdf.writer import paused_gc, write_rdf, write_rdf_file

__all__ = [
    "DEFAULT_BASE",
    "FORMATS",
    "Subject",
    "Violation",
    "check_base",
    "format_for",
    "iri",
    "label_languages",
    "paused_gc",
    "prefixes",
    "rdf_subjects",
    "read_rdf",
    "schema_file",
    "validate_file",
    "validate_graph",
    "write_rdf",
    "write_rdf_file",
]
