"""The graph model's names, in one place: every sink (networkx, Neo4j, RDF, HTML) uses these.

Nodes: an Article, a Claim, and the entities claims hang on (a catalogue type, or a
Group / Unattributed holder). Relationships:

    (holder)-[:ASSERTS]->(Claim)-[:ABOUT]->(target)
    (Claim)-[:EVIDENCED_BY]->(Article)
    (Claim)-[:CONCERNS]->(topic entity)
    (Article)-[:MENTIONS]->(entity)
    (Product)-[:MADE_BY]->(Company)
    (Person)-[:AFFILIATED_WITH]->(Institution)
"""

from __future__ import annotations

ARTICLE = "Article"
CLAIM = "Claim"
ENTITY = "Entity"  # every holder and target also carries this label
ENTITY_LABELS = ("Institution", "Person", "Company", "Product", "Index", "Sector", "Group", "Unattributed")

ASSERTS = "ASSERTS"
ABOUT = "ABOUT"
EVIDENCED_BY = "EVIDENCED_BY"
CONCERNS = "CONCERNS"
MENTIONS = "MENTIONS"
MADE_BY = "MADE_BY"
AFFILIATED_WITH = "AFFILIATED_WITH"
RELATIONSHIPS = (ASSERTS, ABOUT, EVIDENCED_BY, CONCERNS, MENTIONS, MADE_BY, AFFILIATED_WITH)


NODE_KINDS = (ARTICLE, CLAIM, ENTITY)  # the label every node is merged on (by its ``id``)
NODE_KEY = "id"

# What each relationship type connects, as (source kind, target kind).
ENDPOINTS = {
    ASSERTS: (ENTITY, CLAIM),
    ABOUT: (CLAIM, ENTITY),
    EVIDENCED_BY: (CLAIM, ARTICLE),
    CONCERNS: (CLAIM, ENTITY),
    MENTIONS: (ARTICLE, ENTITY),
    MADE_BY: (ENTITY, ENTITY),
    AFFILIATED_WITH: (ENTITY, ENTITY),
}

# Neo4j only: each node kg loads carries a hash of its labels, its properties and the
# relationships it owns (a Claim owns all of its relationships, an Article its MENTIONS, an
# entity its MADE_BY / AFFILIATED_WITH links). kg load skips nodes whose hash is unchanged.
LOAD_HASH = "kg_hash"


def node_kind(label: str) -> str:
    """The label a node of this graph label is merged on: Article, Claim or Entity.

    >>> node_kind("Person"), node_kind("Claim")
    ('Entity', 'Claim')
    """
    if label in (ARTICLE, CLAIM):
        return label
    if label in ENTITY_LABELS:
        return ENTITY
    raise ValueError(f"unknown node label {label!r} (known: Article, Claim, {', '.join(ENTITY_LABELS)})")


def entity_id(name: str) -> str:
    """The node id of an entity (or a Group / Unattributed holder) by its canonical name."""
    return "entity:" + name
