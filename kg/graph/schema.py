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


def entity_id(name: str) -> str:
    """The node id of an entity (or a Group / Unattributed holder) by its canonical name."""
    return "entity:" + name
