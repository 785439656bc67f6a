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

The four writers are our own and stream: the graph is turned into one subject at a time
(all its triples together) and each subject is written as soon as it is made, so memory
stays flat and the output is byte-identical for the same graph. Why not a library
serializer: rdflib's Turtle writer takes about a minute for a million triples, and
Oxigraph (fast) lowercases language tags (``@zh-hans``), which loses the tag's case that
this project's users compare on. The tests parse every format back with rdflib and check
it is the same graph as the N-Triples.
"""

from __future__ import annotations

import gc
import json
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import IO, NamedTuple
from urllib.parse import quote

import networkx as nx

from kg.graph import schema
from kg.model import STANCES

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
# rdflib's names, for reading an export back; by format and by file suffix.
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


class Literal(NamedTuple):
    """An RDF literal. An IRI is a plain ``str``."""

    value: str
    lang: str | None = None
    datatype: str | None = None  # None with no lang: xsd:string


Term = str | Literal


@dataclass
class Subject:
    """One subject with all its triples: ``props`` maps a predicate to its objects, in order."""

    iri: str
    props: dict[str, list[Term]] = field(default_factory=dict)

    def add(self, predicate: str, *objects: Term | None) -> None:
        values = [o for o in objects if o is not None]
        if values:
            self.props.setdefault(predicate, []).extend(values)

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


def _names(text: str | None) -> list[Literal]:
    if not text:
        return []
    return [Literal(text, lang) for lang in label_languages(text)] or [Literal(text)]


# --- Literals -----------------------------------------------------------------------------

_DATE = re.compile(r"-?\d{4,}-\d{2}-\d{2}(Z|[+-]\d{2}:\d{2})?")
_DATETIME = re.compile(r"-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?")
_INTEGER = re.compile(r"[+-]?\d+")
_DECIMAL = re.compile(r"[+-]?\d*\.\d+")


@lru_cache(maxsize=65536)
def date_literal(value: object) -> Literal | None:
    """An ISO date or date-time as xsd:date / xsd:dateTime; anything else stays a plain
    string, which the shapes then report."""
    if value is None or value == "":
        return None
    text = str(value)
    if _DATE.fullmatch(text):
        return Literal(text, None, XSD + "date")
    if _DATETIME.fullmatch(text):
        return Literal(text, None, XSD + "dateTime")
    return Literal(text)


def integer_literal(value: object) -> Literal | None:
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return Literal(str(value), None, XSD + "integer")
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
    return Literal(text if "." in text else text + ".0", None, XSD + "decimal")


# --- The graph as subjects ----------------------------------------------------------------


def rdf_subjects(graph: nx.MultiDiGraph, base: str = DEFAULT_BASE) -> Iterator[Subject]:
    """Every subject of the export with its triples, in a fixed order: nodes by id
    (articles, claims, entities), then outlets, extractors and extraction activities."""
    check_base(base)
    iris: dict[str, str] = {}

    def node_iri(node_id: str) -> str:
        found = iris.get(node_id)
        if found is None:
            found = iris[node_id] = iri(node_id, base)
        return found

    # Each node's outgoing links by relationship, as sorted IRIs (ASSERTS from the claim).
    links: dict[str, dict[str, list[str]]] = {}
    for source, target, key, data in graph.edges(keys=True, data=True):
        kind = data.get("type", key)
        owner, other = (target, source) if kind == schema.ASSERTS else (source, target)
        links.setdefault(owner, {}).setdefault(kind, []).append(other)
    for kinds in links.values():
        for kind, others in kinds.items():
            kinds[kind] = [node_iri(n) for n in sorted(others)]
    no_links: dict[str, list[str]] = {}

    def linked(node_id: str, kind: str) -> list[str]:
        return list(links.get(node_id, no_links).get(kind, ()))

    nodes = graph.nodes
    article_lang = {n: d.get("lang") for n, d in nodes(data=True) if d.get("label") == schema.ARTICLE}
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
        subject = Subject(f"{base}outlet/{_segment(name)}")
        subject.add(TYPE, SCHEMA + "NewsMediaOrganization")
        subject.add(SCHEMA + "name", *_names(name))
        yield subject
    for extractor in sorted({e for _, e in extractions}):
        subject = Subject(f"{base}extractor/{_segment(extractor)}")
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
def _extraction_iri(article_id: str, extractor: str, base: str) -> str:
    return f"{base}extraction/{_segment(article_id.partition(':')[2] or article_id)}/{_segment(extractor)}"


_CLAIM_LINKS = tuple((kind, PREDICATES[kind]) for kind in (schema.ASSERTS, schema.ABOUT, schema.CONCERNS))


def _claim(subject: Subject, node_id: str, data: dict, linked, article_lang: dict, base: str) -> None:
    # The hot path of a large export: fills the predicate map directly, in writing order.
    props = subject.props
    props[TYPE] = [KG + "Claim"]
    props[IDENTIFIER] = [Literal(node_id)]
    for kind, predicate in _CLAIM_LINKS:
        found = linked(node_id, kind)
        if found:
            props[predicate] = found
    stance = data.get("stance")
    if stance:
        props[KG + "stance"] = [KG + (stance if stance in STANCES else _segment(str(stance)))]
    if data.get("assessment"):
        props[KG + "assessment"] = [Literal(str(data["assessment"]))]
    evidence = data.get("evidence")
    if evidence:
        lang = article_lang.get(data.get("article_id")) or (label_languages(evidence) or (None,))[0]
        props[KG + "evidence"] = [Literal(evidence, lang)]
    for name, predicate, make in _CLAIM_VALUES:
        value = make(data.get(name))
        if value is not None:
            props[predicate] = [value]
    found = linked(node_id, schema.EVIDENCED_BY)
    if found:
        props[PREDICATES[schema.EVIDENCED_BY]] = found
    if data.get("extractor") and data.get("article_id"):
        props[PROV + "wasGeneratedBy"] = [_extraction_iri(data["article_id"], data["extractor"], base)]


_CLAIM_VALUES = (
    ("evidence_start", KG + "evidenceStart", integer_literal),
    ("evidence_end", KG + "evidenceEnd", integer_literal),
    ("confidence", KG + "confidence", decimal_literal),
    ("article_date", KG + "claimDate", date_literal),
)


def _article(subject: Subject, node_id: str, data: dict, linked, base: str) -> None:
    subject.add(TYPE, KG + "Article", SCHEMA + "NewsArticle")
    subject.add(IDENTIFIER, Literal(node_id))
    lang = data.get("lang")
    if data.get("title"):
        subject.add(DCTERMS + "title", Literal(data["title"], lang) if lang else _names(data["title"])[0])
    subject.add(DCTERMS + "date", date_literal(data.get("date")))
    if lang:
        subject.add(DCTERMS + "language", Literal(lang))
    if data.get("url"):
        subject.add(SCHEMA + "url", Literal(data["url"], None, XSD + "anyURI"))
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


# --- Writers ------------------------------------------------------------------------------------

_ESCAPES = {ord("\\"): "\\\\", ord('"'): '\\"', ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t"}
_ESCAPES.update({c: f"\\u{c:04X}" for c in (*range(0x20), 0x7F) if c not in _ESCAPES})
_NEEDS_ESCAPE = re.compile(r'[\\"\x00-\x1f\x7f]')


def _escape(text: str) -> str:
    return text.translate(_ESCAPES) if _NEEDS_ESCAPE.search(text) else text


def _nt_literal(term: Literal) -> str:
    value, lang, datatype = term
    if lang:
        return f'"{_escape(value)}"@{lang}'
    if datatype:
        return f'"{_escape(value)}"^^<{datatype}>'
    return f'"{_escape(value)}"'


def _write_nt(subjects: Iterable[Subject], out: IO[str]) -> int:
    count = 0
    for subject in subjects:
        lines = []
        head = f"<{subject.iri}> "
        for predicate, objects in subject.props.items():
            start = f"{head}<{predicate}> "
            lines.extend(
                f"{start}<{o}> .\n" if type(o) is str else f"{start}{_nt_literal(o)} .\n" for o in objects
            )
        out.write("".join(lines))
        count += len(lines)
    return count


# A conservative Turtle local name: letters, digits, _ - . and %XX, not ending in a dot.
_LOCAL = re.compile(r"(?:[A-Za-z0-9_]|%[0-9A-Fa-f]{2})(?:[A-Za-z0-9_.\-]|%[0-9A-Fa-f]{2})*")


class _Prefixes:
    """Compact IRIs (``prefix:local``) for Turtle, TriG and JSON-LD."""

    def __init__(self, base: str):
        self.namespaces = dict(VOCABULARIES)
        for kind in INSTANCE_KINDS:
            self.namespaces.setdefault(kind, f"{base}{kind}/")
        self._by_namespace = {ns: prefix for prefix, ns in self.namespaces.items()}

    def compact(self, iri_: str) -> str | None:
        """``prefix:local`` for an IRI in a known namespace with a plain local name, else None."""
        cut = max(iri_.rfind("/"), iri_.rfind("#")) + 1
        prefix = self._by_namespace.get(iri_[:cut])
        local = iri_[cut:]
        if prefix and _LOCAL.fullmatch(local) and not local.endswith("."):
            return f"{prefix}:{local}"
        return None


def _turtle_literal(term: Literal, prefixes: _Prefixes) -> str:
    value, lang, datatype = term
    if lang:
        return f'"{_escape(value)}"@{lang}'
    if datatype:
        if datatype == XSD + "integer" and _INTEGER.fullmatch(value):
            return value
        if datatype == XSD + "decimal" and _DECIMAL.fullmatch(value):
            return value
        return f'"{_escape(value)}"^^{prefixes.compact(datatype) or f"<{datatype}>"}'
    return f'"{_escape(value)}"'


class _TurtleTerms:
    """Renders subjects as Turtle blocks, remembering how each IRI was written."""

    def __init__(self, prefixes: _Prefixes, indent: str):
        self.prefixes = prefixes
        self.indent = indent
        self.separator = f" ;\n{indent}    "
        self.iris: dict[str, str] = {TYPE: "a"}

    def iri(self, term: str) -> str:
        found = self.iris.get(term)
        if found is None:
            found = self.iris[term] = self.prefixes.compact(term) or f"<{term}>"
        return found

    def block(self, subject: Subject) -> str:
        iris, prefixes = self.iris, self.prefixes
        parts = []
        for predicate, objects in subject.props.items():
            verb = iris.get(predicate) or self.iri(predicate)
            rendered = [
                (iris.get(o) or self.iri(o)) if type(o) is str else _turtle_literal(o, prefixes) for o in objects
            ]
            parts.append(f"{verb} " + " , ".join(rendered))
        head = prefixes.compact(subject.iri) or f"<{subject.iri}>"
        return f"{self.indent}{head}\n{self.indent}    " + self.separator.join(parts) + " .\n\n"


def _prefix_lines(prefixes: _Prefixes) -> str:
    return "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in prefixes.namespaces.items()) + "\n"


def _write_turtle(subjects: Iterable[Subject], out: IO[str], base: str, graph_iri: str | None = None) -> int:
    prefixes = _Prefixes(base)
    out.write(_prefix_lines(prefixes))
    indent = ""
    if graph_iri is not None:
        out.write(f"<{graph_iri}> {{\n\n")
        indent = "    "
    count = 0
    terms = _TurtleTerms(prefixes, indent)
    for subject in subjects:
        out.write(terms.block(subject))
        count += len(subject)
    if graph_iri is not None:
        out.write("}\n")
    return count


def _jsonld_literal(term: Literal, prefixes: _Prefixes) -> object:
    value, lang, datatype = term
    if lang:
        return {"@value": value, "@language": lang}
    if datatype == XSD + "integer" and _INTEGER.fullmatch(value):
        return int(value)
    if datatype:
        return {"@value": value, "@type": prefixes.compact(datatype) or datatype}
    return value


def _write_jsonld(subjects: Iterable[Subject], out: IO[str], base: str) -> int:
    prefixes = _Prefixes(base)
    context = json.dumps(prefixes.namespaces, ensure_ascii=False, indent=2).replace("\n", "\n  ")
    out.write('{\n  "@context": ' + context + ',\n  "@graph": [')
    names: dict[str, str] = {}

    def name(term: str) -> str:
        found = names.get(term)
        if found is None:
            found = names[term] = prefixes.compact(term) or term
        return found

    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    count, separator = 0, "\n"
    for subject in subjects:
        node: dict[str, object] = {"@id": prefixes.compact(subject.iri) or subject.iri}
        for predicate, objects in subject.props.items():
            if predicate == TYPE and all(type(o) is str for o in objects):
                node["@type"] = [name(o) for o in objects]
            else:
                node[name(predicate)] = [
                    {"@id": name(o)} if type(o) is str else _jsonld_literal(o, prefixes) for o in objects
                ]
        out.write(separator + "    " + encode(node))
        separator = ",\n"
        count += len(subject)
    out.write("\n  ]\n}\n")
    return count


def write_subjects(subjects: Iterable[Subject], out: IO[str], fmt: str, base: str = DEFAULT_BASE,
                   graph_iri: str | None = None) -> int:
    """Write ``subjects`` to a text stream in ``fmt``; the number of triples written."""
    if fmt == "nt":
        return _write_nt(subjects, out)
    if fmt == "turtle":
        return _write_turtle(subjects, out, base)
    if fmt == "trig":
        return _write_turtle(subjects, out, base, graph_iri or f"{base}graph")
    if fmt == "jsonld":
        return _write_jsonld(subjects, out, base)
    raise ValueError(f"unknown RDF format {fmt!r}: use one of {', '.join(FORMATS)}")


def write_rdf(graph: nx.MultiDiGraph, path: Path, fmt: str = "turtle", base: str = DEFAULT_BASE,
              graph_iri: str | None = None) -> int:
    """Write the graph as RDF to ``path`` (atomically); the number of triples written.

    ``graph_iri`` names the TriG named graph (default ``<base>graph``)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown RDF format {fmt!r}: use one of {', '.join(FORMATS)}")
    check_base(base)
    with paused_gc(), atomic_output(Path(path)) as out:
        return write_subjects(rdf_subjects(graph, base), out, fmt, base, graph_iri)


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


@contextmanager
def atomic_output(path: Path, mode: str = "w") -> Iterator[IO]:
    """Open a file beside ``path`` for writing and rename it onto ``path`` when done, so a
    reader sees the old file or the new, never a part. Text mode is UTF-8 with \\n."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        options = {"encoding": "utf-8", "newline": "\n"} if "b" not in mode else {}
        with os.fdopen(handle, mode, buffering=1 << 20, **options) as out:
            yield out
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes 0600; an export is for sharing
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


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
    """An export read back as one rdflib Graph (a TriG file's graphs merged)."""
    import rdflib

    fmt = format_for(path, fmt)
    if fmt == "trig":
        dataset = rdflib.Dataset()
        dataset.parse(str(path), format="trig")
        graph = rdflib.Graph()
        for s, p, o, _ in dataset.quads((None, None, None, None)):
            graph.add((s, p, o))
        return graph
    graph = rdflib.Graph()
    graph.parse(str(path), format=RDFLIB_FORMATS[fmt])
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
