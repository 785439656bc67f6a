"""The RDF formats kg writes and reads: their names on the command line, file suffixes,
and what Oxigraph and rdflib call them (:func:`format_for` tells a file's format).
"""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import RdfFormat

FORMATS = {"turtle": "ttl", "nt": "nt", "jsonld": "jsonld", "trig": "trig"}
OXIGRAPH_FORMATS = {"turtle": RdfFormat.TURTLE, "nt": RdfFormat.N_TRIPLES, "jsonld": RdfFormat.JSON_LD,
                    "trig": RdfFormat.TRIG}
# rdflib's names, for reading SHACL shapes; by format and by file suffix.
RDFLIB_FORMATS = {"turtle": "turtle", "nt": "nt", "jsonld": "json-ld", "trig": "trig"}
SUFFIX_FORMATS = {".ttl": "turtle", ".nt": "nt", ".jsonld": "jsonld", ".json": "jsonld", ".trig": "trig"}


def format_for(path: Path, fmt: str | None = None) -> str:
    """The RDF format of a file: ``fmt`` if given, else from its suffix."""
    if fmt:
        if fmt not in FORMATS:
            raise ValueError(f"unknown RDF format {fmt!r}: use one of {', '.join(FORMATS)}")
        return fmt
    found = SUFFIX_FORMATS.get(Path(path).suffix.lower())
    if found is None:
        raise ValueError(
            f"cannot tell the RDF format of {path} from its suffix: use --format "
            + " or ".join(FORMATS)
        )
    return found
