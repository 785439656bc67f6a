"""The names of the RDF model (``schema/kg.ttl``): the namespaces it reuses, the base of
instance IRIs, the predicate each relationship of the graph becomes, the classes of each
kind of entity, and the prefixes Turtle and TriG are written with.

It reuses PROV-O (a claim ``prov:wasDerivedFrom`` its article), schema.org, SKOS (names)
and Dublin Core terms; ``kg:`` names only what none of them has.
"""

from __future__ import annotations

from kg.graph import schema

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
INSTANCE_KINDS = ("article", "claim", "action", "entity", "outlet", "extractor", "extraction")

TYPE = RDF + "type"
IDENTIFIER = DCTERMS + "identifier"

# The graph's relationships as predicates, in one place. ASSERTS runs holder → claim in the
# graph and is written from the claim's side, as kg:holder.
PREDICATES = {
    schema.ASSERTS: KG + "holder",
    schema.ABOUT: KG + "about",
    schema.CONCERNS: KG + "concerns",
    schema.STATES: KG + "states",
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


def prefixes(base: str = DEFAULT_BASE) -> dict[str, str]:
    """The prefixes of Turtle and TriG: the vocabularies, and one per kind of instance
    under the base ("claim:<hex>" is the claim's canonical id)."""
    found = dict(VOCABULARIES)
    for kind in INSTANCE_KINDS:
        found.setdefault(kind, f"{base}{kind}/")
    return found
