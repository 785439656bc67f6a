// name: holder-claims
// answers: Everything a holder said: each claim of an institution, person or group, by date,
//   with the target, the stance, the assessment and the evidence sentence.
// param: holder string — the holder's canonical name or one of its aliases, any case (Goldman Sachs, 高盛)
// param: limit int = 200 — at most this many rows
// example: kg query holder-claims --param holder="Goldman Sachs"
MATCH (h:Entity)
WHERE toLower(h.name) = toLower($holder)
   OR any(alias IN coalesce(h.aliases, []) WHERE toLower(alias) = toLower($holder))
MATCH (h)-[:ASSERTS]->(c:Claim)-[:ABOUT]->(t:Entity)
RETURN c.article_date AS date, h.name AS holder, t.name AS target, c.stance AS stance,
       c.assessment AS assessment, c.evidence AS evidence, c.id AS claim
ORDER BY date, target, claim
LIMIT $limit
