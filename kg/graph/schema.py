"""The graph model's names, in one place: every sink (networkx, Neo4j, RDF, HTML) uses these.

Nodes: an Article, a Claim, and the entities claims hang on (a catalogue type, or a
Group / Unattributed holder). Relationships:

    (holder)-[:ASSERTS]->(Claim)-[:ABOUT]->(target)
    (Claim)-[:EVIDENCED_BY]->(Article)
    (Claim)-[:CONCERNS]->(topic entity)
    (Article)-[:MENTIONS]->(entity)
    (Product)-[:MADE_BY]->(Company)
    (Person)-[:AFFILIATED_WITH]->(Institution)
    (Claim)-[:STATES]->(Action)

An Action is an analyst action the claim's holder takes on its target in the evidence
sentence (a rating changed, started or kept; a price target raised, cut or set). It is part
of its claim: its id is the claim's with the action's place in the claim, and it is written,
replaced and removed with the claim.
"""

from __future__ import annotations

ARTICLE = "Article"
CLAIM = "Claim"
ACTION = "Action"
ENTITY = "Entity"  # every holder and target also carries this label
ENTITY_LABELS = ("Institution", "Person", "Company", "Product", "Index", "Sector", "Group", "Unattributed")

ASSERTS = "ASSERTS"
ABOUT = "ABOUT"
EVIDENCED_BY = "EVIDENCED_BY"
CONCERNS = "CONCERNS"
MENTIONS = "MENTIONS"
MADE_BY = "MADE_BY"
AFFILIATED_WITH = "AFFILIATED_WITH"
STATES = "STATES"
RELATIONSHIPS = (ASSERTS, ABOUT, EVIDENCED_BY, CONCERNS, STATES, MENTIONS, MADE_BY, AFFILIATED_WITH)


NODE_KINDS = (ARTICLE, CLAIM, ACTION, ENTITY)  # the label every node is keyed on (by its ``id``)
NOT_ENTITIES = (ARTICLE, CLAIM, ACTION)  # every other label is an entity's
# A kind of node that is part of another: (owner kind, the relationship from the owner). It
# has no life of its own: kg load writes, replaces and deletes it with its owner.
PARTS = {ACTION: (CLAIM, STATES)}
NODE_KEY = "id"

# What each relationship type connects, as (source kind, target kind).
ENDPOINTS = {
    ASSERTS: (ENTITY, CLAIM),
    ABOUT: (CLAIM, ENTITY),
    EVIDENCED_BY: (CLAIM, ARTICLE),
    CONCERNS: (CLAIM, ENTITY),
    STATES: (CLAIM, ACTION),
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
    if label in NOT_ENTITIES:
        return label
    if label in ENTITY_LABELS:
        return ENTITY
    raise ValueError(f"unknown node label {label!r} (known: {', '.join((*NOT_ENTITIES, *ENTITY_LABELS))})")


def entity_id(name: str) -> str:
    """The node id of an entity (or a Group / Unattributed holder) by its canonical name."""
    return "entity:" + name


def action_id(claim_id: str, index: int) -> str:
    """The node id of a claim's ``index``-th action (from 0): the claim's, with the index.

    >>> action_id("claim:0a1b", 1)
    'action:0a1b-1'
    """
    return f"action:{claim_id.partition(':')[2]}-{index}"


def stating_claim_id(action: str) -> str:
    """The id of the claim that states an action, read back from the action's id
    (:func:`action_id`): an export that streams the nodes names an action's claim without
    looking the claim's edges up.

    >>> stating_claim_id(action_id("claim:0a1b", 12))
    'claim:0a1b'
    """
    return "claim:" + action.partition(":")[2].rpartition("-")[0]
