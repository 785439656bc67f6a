"""The graph as RDF subjects (:func:`rdf_subjects`): each node with all its triples, then
the news outlets, extractors and extraction activities the nodes name.

Subjects come in a fixed order (nodes by id: actions, articles, claims, entities; then outlets,
extractors, extractions, each sorted), so the same graph is always the same file. A
relationship is written from its owner's side: ASSERTS runs holder → claim in the graph and
is the claim's ``kg:holder``; every other one runs from its source.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

from pyoxigraph import Literal, NamedNode

from kg.graph import schema
from kg.model import STANCES
from kg.sinks.rdf.terms import (
    XSD_ANYURI,
    Subject,
    check_base,
    date_literal,
    decimal_literal,
    integer_literal,
    iri,
    label_languages,
    language_tag,
    name_literals,
    named,
    path_segment,
)
from kg.sinks.rdf.vocabulary import (
    DCTERMS,
    DEFAULT_BASE,
    ENTITY_CLASSES,
    IDENTIFIER,
    KG,
    PREDICATES,
    PROV,
    SCHEMA,
    SKOS,
    TYPE,
)

if TYPE_CHECKING:
    import networkx as nx  # ~0.2 s to import: paid only where a graph object is made

Links = dict[str, dict[str, list[NamedNode]]]  # node id → relationship type → linked nodes' IRIs
Nodes = Iterable[tuple[str, dict]]  # (id, attributes) of nodes


def rdf_subjects(graph: nx.MultiDiGraph, base: str = DEFAULT_BASE) -> Iterator[Subject]:
    """Every subject of the export with its triples, in a fixed order: nodes by id
    (actions, articles, claims, entities), then outlets, extractors and extraction activities."""
    check_base(base)
    node_iri = node_iris(base)
    outlets: set[str] = set()
    extractions: set[tuple[str, str]] = set()
    yield from node_subjects(graph, base, node_iri, outlets, extractions)
    yield from extras(outlets, extractions, base, node_iri)


def extras(outlets: set[str], extractions: set[tuple[str, str]], base: str, node_iri: Callable[[str], NamedNode]) -> Iterator[Subject]:
    """The subjects after the nodes: the outlets, extractors and extraction activities they name."""
    for name in sorted(outlets):
        yield outlet_subject(name, base)
    for extractor in sorted({e for _, e in extractions}):
        yield extractor_subject(extractor, base)
    for article_id, extractor in sorted(extractions):
        yield extraction_subject(article_id, extractor, node_iri(article_id), base)


def node_iris(base: str) -> Callable[[str], NamedNode]:
    """The IRI term of a node by its id, each made once (a node is linked from many subjects)."""
    iris: dict[str, NamedNode] = {}

    def node_iri(node_id: str) -> NamedNode:
        found = iris.get(node_id)
        if found is None:
            found = iris[node_id] = NamedNode(iri(node_id, base))
        return found

    return node_iri


def outgoing_links(graph: nx.MultiDiGraph, node_iri: Callable[[str], NamedNode]) -> Links:
    """Each node's outgoing links by relationship, as sorted IRIs (ASSERTS from the claim)."""
    links: Links = {}
    for source, target, key, data in graph.edges(keys=True, data=True):
        kind = data.get("type", key)
        owner, other = (target, source) if kind == schema.ASSERTS else (source, target)
        links.setdefault(owner, {}).setdefault(kind, []).append(other)
    for kinds in links.values():
        for kind, others in kinds.items():
            kinds[kind] = [node_iri(n) for n in sorted(others)]
    return links


def node_subjects(
    graph: nx.MultiDiGraph,
    base: str,
    node_iri: Callable[[str], NamedNode],
    outlets: set[str],
    extractions: set[tuple[str, str]],
) -> Iterator[Subject]:
    """The graph's nodes as subjects, by id; adds the outlets and the (article, extractor)
    extractions they name to ``outlets`` and ``extractions``, which follow them."""
    links = outgoing_links(graph, node_iri)
    no_links: dict[str, list[NamedNode]] = {}
    nodes = graph.nodes
    article_lang = {
        n: language_tag(d.get("lang")) for n, d in nodes(data=True) if d.get("label") == schema.ARTICLE
    }
    by_id = ((node_id, nodes[node_id]) for node_id in sorted(nodes))
    links_of = lambda node_id: links.get(node_id, no_links)  # noqa: E731
    yield from subjects_of_nodes(by_id, links_of, node_iri, article_lang, base, outlets, extractions)


def subjects_of_nodes(
    nodes: Nodes,
    links_of: Callable[[str], dict[str, list[NamedNode]]],
    node_iri: Callable[[str], NamedNode],
    article_lang: dict,
    base: str,
    outlets: set[str],
    extractions: set[tuple[str, str]],
) -> Iterator[Subject]:
    """(id, attributes) of nodes, in id order, as subjects; ``links_of`` gives a node's
    outgoing links by relationship (sorted IRIs), asked once per node in that order."""
    for node_id, data in nodes:
        node_links = links_of(node_id)

        def linked(_: str, kind: str, node_links=node_links) -> list[NamedNode]:
            return list(node_links.get(kind, ()))

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
        elif label == schema.ACTION:
            _action(subject, node_id, data)
        else:
            _entity(subject, node_id, data, linked)
        if node_links:
            for kind in (schema.MADE_BY, schema.AFFILIATED_WITH):
                subject.add(PREDICATES[kind], *linked(node_id, kind))
        yield subject


def outlet_subject(name: str, base: str) -> Subject:
    subject = Subject(NamedNode(f"{base}outlet/{path_segment(name)}"))
    subject.add(TYPE, SCHEMA + "NewsMediaOrganization")
    subject.add(SCHEMA + "name", *name_literals(name))
    return subject


def extractor_subject(extractor: str, base: str) -> Subject:
    subject = Subject(NamedNode(f"{base}extractor/{path_segment(extractor)}"))
    subject.add(TYPE, KG + "Extractor")
    subject.add(IDENTIFIER, Literal(extractor))
    name, slash, version = extractor.rpartition("/")
    if slash and name and version:
        subject.add(SCHEMA + "name", Literal(name))
        subject.add(SCHEMA + "softwareVersion", Literal(version))
    else:
        subject.add(SCHEMA + "name", Literal(extractor))
    return subject


def extraction_subject(article_id: str, extractor: str, article: NamedNode, base: str) -> Subject:
    subject = Subject(_extraction_iri(article_id, extractor, base))
    subject.add(TYPE, KG + "Extraction")
    subject.add(PROV + "used", article)
    subject.add(PROV + "wasAssociatedWith", f"{base}extractor/{path_segment(extractor)}")
    return subject


@lru_cache(maxsize=65536)
def _extraction_iri(article_id: str, extractor: str, base: str) -> NamedNode:
    article = path_segment(article_id.partition(":")[2] or article_id)
    return NamedNode(f"{base}extraction/{article}/{path_segment(extractor)}")


# The hot path's predicates and classes as terms, made once.
_TYPE, _IDENTIFIER, _CLAIM = NamedNode(TYPE), NamedNode(IDENTIFIER), NamedNode(KG + "Claim")
_STANCE, _ASSESSMENT, _EVIDENCE = NamedNode(KG + "stance"), NamedNode(KG + "assessment"), NamedNode(KG + "evidence")
_GENERATED_BY, _DERIVED_FROM = NamedNode(PROV + "wasGeneratedBy"), NamedNode(PREDICATES[schema.EVIDENCED_BY])
_CLAIM_LINKS = tuple(
    (k, NamedNode(PREDICATES[k])) for k in (schema.ASSERTS, schema.ABOUT, schema.CONCERNS, schema.STATES)
)


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
        props[_STANCE] = [named(KG + (stance if stance in STANCES else path_segment(str(stance))))]
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


def _action(subject: Subject, node_id: str, data: dict) -> None:
    """An analyst action: its kind and rating class as concepts (kg:target_raised, kg:positive),
    the rating as its standard English term, the targets as decimals, the currency as written."""
    subject.add(TYPE, KG + "Action")
    subject.add(IDENTIFIER, Literal(node_id))
    if data.get("action"):
        subject.add(KG + "actionKind", KG + path_segment(str(data["action"])))
    if data.get("rating"):
        subject.add(KG + "rating", Literal(str(data["rating"])))
    if data.get("rating_class"):
        subject.add(KG + "ratingClass", KG + path_segment(str(data["rating_class"])))
    subject.add(KG + "priceTarget", decimal_literal(data.get("price_target")))
    subject.add(KG + "previousTarget", decimal_literal(data.get("previous_target")))
    if data.get("currency"):
        subject.add(KG + "currency", Literal(str(data["currency"])))


def _article(subject: Subject, node_id: str, data: dict, linked, base: str) -> None:
    subject.add(TYPE, KG + "Article", SCHEMA + "NewsArticle")
    subject.add(IDENTIFIER, Literal(node_id))
    lang = data.get("lang")
    tag = language_tag(lang)
    if data.get("title"):
        subject.add(DCTERMS + "title", Literal(data["title"], language=tag) if tag else name_literals(data["title"])[0])
    subject.add(DCTERMS + "date", date_literal(data.get("date")))
    if lang:
        subject.add(DCTERMS + "language", Literal(lang))
    if data.get("url"):
        subject.add(SCHEMA + "url", Literal(data["url"], datatype=XSD_ANYURI))
    if data.get("outlet"):
        subject.add(SCHEMA + "publisher", f"{base}outlet/{path_segment(data['outlet'])}")
    if data.get("file"):
        subject.add(KG + "sourceFile", Literal(data["file"]))
    subject.add(PREDICATES[schema.MENTIONS], *linked(node_id, schema.MENTIONS))


def _entity(subject: Subject, node_id: str, data: dict, linked) -> None:
    label = data.get("label") or "Sector"
    subject.add(TYPE, KG + "Entity", *ENTITY_CLASSES.get(label, (KG + path_segment(label),)))
    subject.add(IDENTIFIER, Literal(node_id))
    name = data.get("name") or node_id.partition(":")[2]
    preferred = name_literals(name)
    subject.add(SKOS + "prefLabel", *preferred)
    seen = set(preferred)
    for alias in data.get("aliases") or ():
        for literal in name_literals(alias):
            if literal not in seen:
                seen.add(literal)
                subject.add(SKOS + "altLabel", literal)
    subject.add(SCHEMA + "tickerSymbol", *(Literal(t) for t in data.get("tickers") or ()))
