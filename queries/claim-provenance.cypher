// name: claim-provenance
// answers: Provenance of a claim: the article it comes from (title, file, URL, outlet, date),
//   the evidence sentence with its character offsets in the article body, the extractor and
//   its confidence. Claim ids are in every other query's `claim` column.
// param: id string — the claim id (claim:…)
// example: kg query claim-provenance --param id=claim:f91b0bebee4d7a804e48
MATCH (c:Claim {id: $id})
OPTIONAL MATCH (h:Entity)-[:ASSERTS]->(c)
OPTIONAL MATCH (c)-[:ABOUT]->(t:Entity)
OPTIONAL MATCH (c)-[:EVIDENCED_BY]->(a:Article)
RETURN c.id AS claim, h.name AS holder, t.name AS target, c.stance AS stance,
       c.assessment AS assessment, c.topic AS topic, c.evidence AS evidence,
       c.evidence_start AS evidence_start, c.evidence_end AS evidence_end,
       c.extractor AS extractor, c.confidence AS confidence,
       a.id AS article, a.title AS title, a.file AS file, a.url AS url, a.outlet AS outlet,
       a.date AS date, a.lang AS lang
