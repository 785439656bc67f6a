"""SHACL validation of an export against ``schema/shapes.ttl``: each way a node breaks the
shapes as a :class:`Violation` in plain words, the node named by its canonical id.

The package ships the model's files as data in ``kg/schema_data/`` (:func:`schema_file`),
so validation works from a checkout and from an install alike.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from kg.sinks.rdf.formats import RDFLIB_FORMATS, format_for
from kg.sinks.rdf.reader import read_rdf
from kg.sinks.rdf.vocabulary import IDENTIFIER, KG, SH, VOCABULARIES


def schema_file(name: str) -> Path:
    """A file of the published model (``kg.ttl`` or ``shapes.ttl``), from the package.

    The package ships them as data in ``kg/schema_data/``, identical to ``schema/`` at the
    repository root (a test checks), so they are found from a checkout and from an install.
    """
    found = resources.files("kg").joinpath("schema_data", name)
    if not found.is_file():
        raise FileNotFoundError(f"kg/schema_data/{name} is missing from the installed package")
    return Path(str(found))


@dataclass(frozen=True)
class Violation:
    """One way a node breaks the shapes, in plain words."""

    focus: str  # the node's canonical id (dcterms:identifier), or its IRI
    message: str  # from the shape's sh:message: "has no holder (a claim needs exactly one)"
    value: str | None = None  # the offending value, when there is one
    path: str | None = None  # the property, compact ("kg:holder")
    focus_iri: str = ""
    severity: str = "Violation"

    def __str__(self) -> str:
        return f"{self.focus} {self.message}" + (f": found {self.value}" if self.value is not None else "")


def validate_graph(data, shapes=None) -> list[Violation]:
    """Check an rdflib Graph against the shapes (default: the package's shapes.ttl)."""
    import pyshacl
    import rdflib

    if shapes is None:
        shapes = rdflib.Graph().parse(str(schema_file("shapes.ttl")), format="turtle")
    _, report, _ = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", abort_on_first=False, allow_warnings=True, allow_infos=True
    )
    sh = rdflib.Namespace(SH)
    identifier = rdflib.URIRef(IDENTIFIER)
    found = set()
    for result in report.subjects(rdflib.RDF.type, sh.ValidationResult):
        focus = report.value(result, sh.focusNode)
        messages = sorted(str(m) for m in report.objects(result, sh.resultMessage))
        value = report.value(result, sh.value)
        path = report.value(result, sh.resultPath)
        severity = report.value(result, sh.resultSeverity)
        found.add(
            Violation(
                focus=_describe(data, focus, identifier, quoted=False),
                message=messages[0] if messages else "breaks a shape",
                # a node constraint (sh:or) reports the node itself as the value: nothing to add
                value=None if value is None or value == focus else _describe(data, value, identifier),
                path=None if path is None else _short(str(path)),
                focus_iri=str(focus),
                severity=_short(str(severity)).removeprefix("sh:") if severity is not None else "Violation",
            )
        )
    return sorted(found, key=lambda v: (v.focus, v.message, v.value or "", v.path or ""))


def validate_file(path: Path, fmt: str | None = None, shapes_path: Path | None = None) -> tuple[int, list[Violation]]:
    """Check an export file against the shapes: (number of claims, violations)."""
    import rdflib

    data = read_rdf(path, fmt)
    shapes = None
    if shapes_path is not None:
        shapes = rdflib.Graph().parse(str(shapes_path), format=RDFLIB_FORMATS[format_for(shapes_path)])
    claims = sum(1 for _ in data.subjects(rdflib.RDF.type, rdflib.URIRef(KG + "Claim")))
    return claims, validate_graph(data, shapes)


# A plain local name, for a compact IRI in messages (kg:holder): letters, digits, _ - . and %XX.
_LOCAL = re.compile(r"(?:[A-Za-z0-9_]|%[0-9A-Fa-f]{2})(?:[A-Za-z0-9_.\-]|%[0-9A-Fa-f]{2})*")


def _short(iri_: str) -> str:
    for prefix, namespace in (*VOCABULARIES.items(), ("sh", SH)):
        if iri_.startswith(namespace) and _LOCAL.fullmatch(iri_[len(namespace) :]):
            return f"{prefix}:{iri_[len(namespace):]}"
    return f"<{iri_}>"


def _describe(data, term, identifier, quoted: bool = True) -> str:
    """A node by its canonical id when it has one, else its IRI; a literal as written."""
    import rdflib

    if isinstance(term, rdflib.Literal):
        return json.dumps(str(term), ensure_ascii=False) if quoted else str(term)
    known = data.value(term, identifier)
    if known is not None:
        return str(known)
    return _short(str(term)) if isinstance(term, rdflib.URIRef) else str(term)
