// kg: Neo4j constraints and indexes for the claim graph.
//
// Applied by `kg neo4j init` and before every `kg load`. Every statement is idempotent
// (IF NOT EXISTS), so running this file again changes nothing. The labels are those of
// kg/graph/schema.py (tests/test_neo4j.py checks that each one has its constraint here).
// Format: `//` comment lines; statements end with `;`. Run it by hand with e.g.
//   cypher-shell -u neo4j -f schema/neo4j.cypher
//
// (holder:Entity)-[:ASSERTS]->(:Claim)-[:ABOUT]->(target:Entity)
// (:Claim)-[:EVIDENCED_BY]->(:Article)   (:Claim)-[:CONCERNS]->(topic:Entity)
// (:Article)-[:MENTIONS]->(:Entity)      (:Product)-[:MADE_BY]->(:Company)
// (:Person)-[:AFFILIATED_WITH]->(:Institution)
// (:Claim)-[:STATES]->(:Action)          an analyst action: a rating or a price target

// ---- unique ids, one constraint per node label (each also indexes id)
CREATE CONSTRAINT article_id IF NOT EXISTS FOR (n:Article) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT claim_id IF NOT EXISTS FOR (n:Claim) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT action_id IF NOT EXISTS FOR (n:Action) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT institution_id IF NOT EXISTS FOR (n:Institution) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT person_id IF NOT EXISTS FOR (n:Person) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT company_id IF NOT EXISTS FOR (n:Company) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT product_id IF NOT EXISTS FOR (n:Product) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT index_id IF NOT EXISTS FOR (n:Index) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT sector_id IF NOT EXISTS FOR (n:Sector) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT group_id IF NOT EXISTS FOR (n:Group) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT unattributed_id IF NOT EXISTS FOR (n:Unattributed) REQUIRE n.id IS UNIQUE;

// ---- names: entities by canonical name. (A claim's `holder` and `target` copy those names;
//      they are not indexed: every index slows each claim's write, and queries reach claims
//      through their entities: MATCH (:Entity {name: $n})-[:ASSERTS]->(c:Claim).)
CREATE INDEX entity_name IF NOT EXISTS FOR (n:Entity) ON (n.name);

// ---- dates: ISO 8601 strings as in the build ("2025-02-11", "2025-02-11T22:05:59") and
//      `day`, the same date as a Neo4j DATE
CREATE INDEX article_date IF NOT EXISTS FOR (n:Article) ON (n.date);
CREATE INDEX article_day IF NOT EXISTS FOR (n:Article) ON (n.day);
CREATE INDEX claim_day IF NOT EXISTS FOR (n:Claim) ON (n.day);
CREATE INDEX action_day IF NOT EXISTS FOR (n:Action) ON (n.day);

// ---- stance; an action's kind (upgrade, downgrade, target_raised, ...: rating-changes)
CREATE INDEX claim_stance IF NOT EXISTS FOR (n:Claim) ON (n.stance);
CREATE INDEX action_kind IF NOT EXISTS FOR (n:Action) ON (n.action);

// ---- where an article came from (kg load finds older versions of an edited article by these)
CREATE INDEX article_file IF NOT EXISTS FOR (n:Article) ON (n.file);
CREATE INDEX article_url IF NOT EXISTS FOR (n:Article) ON (n.url);
