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
"""

from __future__ import annotations

import gc
import json
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from importlib import resources
from pathlib import Path
from urllib.parse import quote

import networkx as nx
from pyoxigraph import BlankNode, Literal, NamedNode, Quad, RdfFormat, Triple, parse, serialize

from kg.graph import schema
from kg.model import STANCES
from kg.sinks.files import atomic_output

DEFAULT_BASE = "https://kg.example.org/"

KG = "https://kg.example.org/ontology#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
PROV = "http://www.w3.org/ns/prov#"
SCHEMA = "https://schema.org/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
SH = "http://www.w3.org/ns/shacl#"

VOCABULARIES = {
    "kg": KG,
    "rdf": RDF,
    "xsd": XSD,
    "prov": PROV,
    "schema": SCHEMA,
    "skos": SKOS,
    "dcterms": DCTERMS,
}
# Prefixes for instance IRIs, under the base: "claim:…" in Turtle is the canonical id.
INSTANCE_KINDS = ("article", "claim", "entity", "outlet", "extractor", "extraction")

FORMATS = {"turtle": "ttl", "nt": "nt", "jsonld": "jsonld", "trig": "trig"}
OXIGRAPH_FORMATS = {"turtle": RdfFormat.TURTLE, "nt": RdfFormat.N_TRIPLES, "jsonld": RdfFormat.JSON_LD,
                    "trig": RdfFormat.TRIG}
# rdflib's names, for reading SHACL shapes; by format and by file suffix.
RDFLIB_FORMATS = {"turtle": "turtle", "nt": "nt", "jsonld": "json-ld", "trig": "trig"}
SUFFIX_FORMATS = {".ttl": "turtle", ".nt": "nt", ".jsonld": "jsonld", ".json": "jsonld", ".trig": "trig"}

TYPE = RDF + "type"
IDENTIFIER = DCTERMS + "identifier"

# The graph's relationships as predicates, in one place. ASSERTS runs holder → claim in the
# graph and is written from the claim's side, as kg:holder.
PREDICATES = {
    schema.ASSERTS: KG + "holder",
    schema.ABOUT: KG + "about",
    schema.CONCERNS: KG + "concerns",
    schema.EVIDENCED_BY: PROV + "wasDerivedFrom",
    schema.MENTIONS: SCHEMA + "mentions",
    schema.MADE_BY: SCHEMA + "manufacturer",
    schema.AFFILIATED_WITH: SCHEMA + "affiliation",
}
# Each entity is typed kg:Entity, its kind, and the schema.org class that fits the kind.
ENTITY_CLASSES = {
    "Institution": (KG + "Institution", SCHEMA + "Organization"),
    "Person": (KG + "Person", SCHEMA + "Person"),
    "Company": (KG + "Company", SCHEMA + "Corporation"),
    "Product": (KG + "Product", SCHEMA + "Product"),
    "Index": (KG + "Index",),
    "Sector": (KG + "Sector",),
    "Group": (KG + "Group",),
    "Unattributed": (KG + "Unattributed",),
}


# --- Terms and subjects ---------------------------------------------------------------

Term = NamedNode | Literal


@lru_cache(maxsize=65536)
def named(iri_: str) -> NamedNode:
    """The pyoxigraph term of an IRI (cached: vocabulary IRIs repeat on every subject)."""
    return NamedNode(iri_)


@dataclass(slots=True)
class Subject:
    """One subject with all its triples: ``props`` maps a predicate to its objects, in order."""

    node: NamedNode
    props: dict[NamedNode, list[Term]] = field(default_factory=dict)

    def add(self, predicate: str, *objects: str | Term | None) -> None:
        """Add objects (an IRI as ``str`` or a term; ``None`` is skipped) under ``predicate``."""
        values = [named(o) if type(o) is str else o for o in objects if o is not None]
        if values:
            self.props.setdefault(named(predicate), []).extend(values)

    def __len__(self) -> int:
        return sum(len(objects) for objects in self.props.values())


# --- IRIs -----------------------------------------------------------------------------

_BAD_IRI_CHARS = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def check_base(base: str) -> str:
    """The base IRI, checked: absolute, ending in / or #, nothing Turtle cannot hold."""
    if not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", base) or _BAD_IRI_CHARS.search(base):
        raise ValueError(f"base IRI {base!r} is not an absolute IRI")
    if not base.endswith(("/", "#")):
        raise ValueError(f"base IRI {base!r} must end with / or #")
    return base


def iri(node_id: str, base: str = DEFAULT_BASE) -> str:
    """The IRI of a graph node by its canonical id ("kind:rest")."""
    kind, sep, rest = node_id.partition(":")
    if not sep or not kind:
        raise ValueError(f"{node_id!r} is not a canonical id (kind:rest)")
    return f"{base}{kind}/{_segment(rest)}"


_UNRESERVED = re.compile(r"[A-Za-z0-9_.~-]*")


def _segment(text: str) -> str:
    """``text`` percent-encoded as one path segment (nothing but unreserved characters kept)."""
    return text if _UNRESERVED.fullmatch(text) else quote(text, safe="")


# --- Language tags ----------------------------------------------------------------------

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
# Latin letters, digits, punctuation and symbols: a name with nothing else is tagged en.
_NOT_LATIN = re.compile(r"[^\u0000-\u024f\u1e00-\u1eff\u2000-\u206f\u20a0-\u20cf\u2100-\u214f]")


@lru_cache(maxsize=2)
def _opencc(config: str):
    import opencc

    return opencc.OpenCC(config)


@lru_cache(maxsize=65536)
def label_languages(text: str) -> tuple[str, ...]:
    """The language tags a name is written in: ``("en",)``, ``("zh-Hans",)``, ``("zh-Hant",)``,
    both Chinese tags for a name that is the same in either script (百度), or ``()`` for
    a script we do not tag.

    Simplified or Traditional is told per character with OpenCC: a character t2s changes
    is Traditional, one s2t changes is Simplified; the larger count wins, a tie is zh-Hans.

    >>> [label_languages(n) for n in ("UBS", "瑞银", "瑞銀", "高盛", "台積電")]
    [('en',), ('zh-Hans',), ('zh-Hant',), ('zh-Hans', 'zh-Hant'), ('zh-Hant',)]
    """
    han = _HAN.findall(text)
    if not han:
        return () if _NOT_LATIN.search(text) else ("en",)
    joined = "\n".join(han)  # one character a line: no phrase rules across neighbours
    traditional = sum(a != b for a, b in zip(han, _opencc("t2s").convert(joined).split("\n")))
    simplified = sum(a != b for a, b in zip(han, _opencc("s2t").convert(joined).split("\n")))
    if traditional == simplified == 0:
        return ("zh-Hans", "zh-Hant")
    return ("zh-Hant",) if traditional > simplified else ("zh-Hans",)


@lru_cache(maxsize=65536)
def _names(text: str | None) -> tuple[Literal, ...]:
    if not text:
        return ()
    return tuple(Literal(text, language=lang) for lang in label_languages(text)) or (Literal(text),)


@lru_cache(maxsize=256)
def language_tag(tag: object) -> str | None:
    """``tag`` if it is a well-formed BCP 47 language tag, else None. An article whose
    language is not one (``zh_CN``) has its title and evidence tagged by their script, as
    an article without a language does, rather than failing the export."""
    if not tag or not isinstance(tag, str):
        return None
    try:
        Literal("", language=tag)
    except ValueError:
        return None
    return tag


# --- Literals -----------------------------------------------------------------------------

_DATE = re.compile(r"-?\d{4,}-\d{2}-\d{2}(Z|[+-]\d{2}:\d{2})?")
_DATETIME = re.compile(r"-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?")
XSD_DATE, XSD_DATETIME = NamedNode(XSD + "date"), NamedNode(XSD + "dateTime")
XSD_INTEGER, XSD_DECIMAL = NamedNode(XSD + "integer"), NamedNode(XSD + "decimal")
XSD_ANYURI = NamedNode(XSD + "anyURI")


@lru_cache(maxsize=65536)
def date_literal(value: object) -> Literal | None:
    """An ISO date or date-time as xsd:date / xsd:dateTime; anything else stays a plain
    string, which the shapes then report."""
    if value is None or value == "":
        return None
    text = str(value)
    if _DATE.fullmatch(text):
        return Literal(text, datatype=XSD_DATE)
    if _DATETIME.fullmatch(text):
        return Literal(text, datatype=XSD_DATETIME)
    return Literal(text)


def integer_literal(value: object) -> Literal | None:
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return Literal(str(value), datatype=XSD_INTEGER)
    return Literal(str(value))  # not an integer: kept as found, for the shapes to report


@lru_cache(maxsize=4096)
def decimal_literal(value: object) -> Literal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(repr(value) if isinstance(value, float) else str(value))
    except InvalidOperation:
        return Literal(str(value))
    if not number.is_finite():
        return None
    text = format(number, "f")
    return Literal(text if "." in text else text + ".0", datatype=XSD_DECIMAL)


# --- The graph as subjects ----------------------------------------------------------------


def rdf_subjects(graph: nx.MultiDiGraph, base: str = DEFAULT_BASE) -> Iterator[Subject]:
    """Every subject of the export with its triples, in a fixed order: nodes by id
    (articles, claims, entities), then outlets, extractors and extraction activities."""
    check_base(base)
    iris: dict[str, NamedNode] = {}

    def node_iri(node_id: str) -> NamedNode:
        found = iris.get(node_id)
        if found is None:
            found = iris[node_id] = NamedNode(iri(node_id, base))
        return found

    # Each node's outgoing links by relationship, as sorted IRIs (ASSERTS from the claim).
    links: dict[str, dict[str, list]] = {}
    for source, target, key, data in graph.edges(keys=True, data=True):
        kind = data.get("type", key)
        owner, other = (target, source) if kind == schema.ASSERTS else (source, target)
        links.setdefault(owner, {}).setdefault(kind, []).append(other)
    for kinds in links.values():
        for kind, others in kinds.items():
            kinds[kind] = [node_iri(n) for n in sorted(others)]
    no_links: dict[str, list[NamedNode]] = {}

    def linked(node_id: str, kind: str) -> list[NamedNode]:
        return list(links.get(node_id, no_links).get(kind, ()))

    nodes = graph.nodes
    article_lang = {
        n: language_tag(d.get("lang")) for n, d in nodes(data=True) if d.get("label") == schema.ARTICLE
    }
    outlets: set[str] = set()
    extractions: set[tuple[str, str]] = set()
    for node_id in sorted(nodes):
        data = nodes[node_id]
        label = data.get("label")
        subject = Subject(node_iri(node_id))
        if label == schema.CLAIM:
            _claim(subject, node_id, data, linked, article_lang, base)
            if data.get("extractor") and data.get("article_id"):
                extractions.add((data["article_id"], data["extractor"]))
        elif label == schema.ARTICLE:
            _article(subject, node_id, data, linked, base)
            if data.get("outlet"):
                outlets.add(data["outlet"])
        else:
            _entity(subject, node_id, data, linked)
        if node_id in links:
            for kind in (schema.MADE_BY, schema.AFFILIATED_WITH):
                subject.add(PREDICATES[kind], *linked(node_id, kind))
        yield subject

    for name in sorted(outlets):
        subject = Subject(NamedNode(f"{base}outlet/{_segment(name)}"))
        subject.add(TYPE, SCHEMA + "NewsMediaOrganization")
        subject.add(SCHEMA + "name", *_names(name))
        yield subject
    for extractor in sorted({e for _, e in extractions}):
        subject = Subject(NamedNode(f"{base}extractor/{_segment(extractor)}"))
        subject.add(TYPE, KG + "Extractor")
        subject.add(IDENTIFIER, Literal(extractor))
        name, slash, version = extractor.rpartition("/")
        if slash and name and version:
            subject.add(SCHEMA + "name", Literal(name))
            subject.add(SCHEMA + "softwareVersion", Literal(version))
        else:
            subject.add(SCHEMA + "name", Literal(extractor))
        yield subject
    for article_id, extractor in sorted(extractions):
        subject = Subject(_extraction_iri(article_id, extractor, base))
        subject.add(TYPE, KG + "Extraction")
        subject.add(PROV + "used", node_iri(article_id))
        subject.add(PROV + "wasAssociatedWith", f"{base}extractor/{_segment(extractor)}")
        yield subject


@lru_cache(maxsize=65536)
def _extraction_iri(article_id: str, extractor: str, base: str) -> NamedNode:
    article = _segment(article_id.partition(":")[2] or article_id)
    return NamedNode(f"{base}extraction/{article}/{_segment(extractor)}")


# The hot path's predicates and classes as terms, made once.
_TYPE, _IDENTIFIER, _CLAIM = NamedNode(TYPE), NamedNode(IDENTIFIER), NamedNode(KG + "Claim")
_STANCE, _ASSESSMENT, _EVIDENCE = NamedNode(KG + "stance"), NamedNode(KG + "assessment"), NamedNode(KG + "evidence")
_GENERATED_BY, _DERIVED_FROM = NamedNode(PROV + "wasGeneratedBy"), NamedNode(PREDICATES[schema.EVIDENCED_BY])
_CLAIM_LINKS = tuple((k, NamedNode(PREDICATES[k])) for k in (schema.ASSERTS, schema.ABOUT, schema.CONCERNS))


def _claim(subject: Subject, node_id: str, data: dict, linked, article_lang: dict, base: str) -> None:
    # The hot path of a large export: fills the predicate map directly, in writing order.
    props = subject.props
    props[_TYPE] = [_CLAIM]
    props[_IDENTIFIER] = [Literal(node_id)]
    for kind, predicate in _CLAIM_LINKS:
        found = linked(node_id, kind)
        if found:
            props[predicate] = found
    stance = data.get("stance")
    if stance:
        props[_STANCE] = [named(KG + (stance if stance in STANCES else _segment(str(stance))))]
    if data.get("assessment"):
        props[_ASSESSMENT] = [Literal(str(data["assessment"]))]
    evidence = data.get("evidence")
    if evidence:
        lang = article_lang.get(data.get("article_id")) or (label_languages(evidence) or (None,))[0]
        props[_EVIDENCE] = [Literal(evidence, language=lang)]
    for name, predicate, make in _CLAIM_VALUES:
        value = make(data.get(name))
        if value is not None:
            props[predicate] = [value]
    found = linked(node_id, schema.EVIDENCED_BY)
    if found:
        props[_DERIVED_FROM] = found
    if data.get("extractor") and data.get("article_id"):
        props[_GENERATED_BY] = [_extraction_iri(data["article_id"], data["extractor"], base)]


_CLAIM_VALUES = (
    ("evidence_start", NamedNode(KG + "evidenceStart"), integer_literal),
    ("evidence_end", NamedNode(KG + "evidenceEnd"), integer_literal),
    ("confidence", NamedNode(KG + "confidence"), decimal_literal),
    ("article_date", NamedNode(KG + "claimDate"), date_literal),
)


def _article(subject: Subject, node_id: str, data: dict, linked, base: str) -> None:
    subject.add(TYPE, KG + "Article", SCHEMA + "NewsArticle")
    subject.add(IDENTIFIER, Literal(node_id))
    lang = data.get("lang")
    tag = language_tag(lang)
    if data.get("title"):
        subject.add(DCTERMS + "title", Literal(data["title"], language=tag) if tag else _names(data["title"])[0])
    subject.add(DCTERMS + "date", date_literal(data.get("date")))
    if lang:
        subject.add(DCTERMS + "language", Literal(lang))
    if data.get("url"):
        subject.add(SCHEMA + "url", Literal(data["url"], datatype=XSD_ANYURI))
    if data.get("outlet"):
        subject.add(SCHEMA + "publisher", f"{base}outlet/{_segment(data['outlet'])}")
    if data.get("file"):
        subject.add(KG + "sourceFile", Literal(data["file"]))
    subject.add(PREDICATES[schema.MENTIONS], *linked(node_id, schema.MENTIONS))


def _entity(subject: Subject, node_id: str, data: dict, linked) -> None:
    label = data.get("label") or "Sector"
    subject.add(TYPE, KG + "Entity", *ENTITY_CLASSES.get(label, (KG + _segment(label),)))
    subject.add(IDENTIFIER, Literal(node_id))
    name = data.get("name") or node_id.partition(":")[2]
    preferred = _names(name)
    subject.add(SKOS + "prefLabel", *preferred)
    seen = set(preferred)
    for alias in data.get("aliases") or ():
        for literal in _names(alias):
            if literal not in seen:
                seen.add(literal)
                subject.add(SKOS + "altLabel", literal)
    subject.add(SCHEMA + "tickerSymbol", *(Literal(t) for t in data.get("tickers") or ()))


# --- Writing --------------------------------------------------------------------------------------


def prefixes(base: str = DEFAULT_BASE) -> dict[str, str]:
    """The prefixes of Turtle and TriG: the vocabularies, and one per kind of instance
    under the base ("claim:<hex>" is the claim's canonical id)."""
    found = dict(VOCABULARIES)
    for kind in INSTANCE_KINDS:
        found.setdefault(kind, f"{base}{kind}/")
    return found


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
    if fmt not in FORMATS:
        raise ValueError(f"unknown RDF format {fmt!r}: use one of {', '.join(FORMATS)}")
    check_base(base)
    graph_name = NamedNode(graph_iri or f"{base}graph") if fmt == "trig" else None
    tally = [0]
    statements = _statements(rdf_subjects(graph, base), graph_name, tally)
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


# --- Schema files and validation ---------------------------------------------------------------


def schema_file(name: str) -> Path:
    """A file of the published model (``kg.ttl`` or ``shapes.ttl``), from the package.

    The package ships them as data in ``kg/schema_data/``, identical to ``schema/`` at the
    repository root (a test checks), so they are found from a checkout and from an install.
    """
    found = resources.files("kg").joinpath("schema_data", name)
    if not found.is_file():
        raise FileNotFoundError(f"kg/schema_data/{name} is missing from the installed package")
    return Path(str(found))


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
                value=None if value is None else _describe(data, value, identifier),
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
