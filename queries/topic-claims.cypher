// name: topic-claims
// answers: Claims on a topic (e.g. DeepSeek): claims framed by it (CONCERNS), claims about it,
//   and claims about what it makes (DeepSeek-R1 MADE_BY DeepSeek), with how each one matched.
// param: topic string — the topic entity's canonical name or one of its aliases, any case (DeepSeek, 深度求索)
// param: limit int = 200 — at most this many rows
// example: kg query topic-claims --param topic=DeepSeek
CALL {
  MATCH (x:Entity)
  WHERE toLower(x.name) = toLower($topic)
     OR any(alias IN coalesce(x.aliases, []) WHERE toLower(alias) = toLower($topic))
  RETURN x
}
CALL {
  WITH x
  MATCH (c:Claim)-[:CONCERNS]->(x) RETURN c, 'concerns ' + x.name AS via
  UNION
  WITH x
  MATCH (c:Claim)-[:ABOUT]->(x) RETURN c, 'about ' + x.name AS via
  UNION
  WITH x
  MATCH (c:Claim)-[:ABOUT]->(p:Entity)-[:MADE_BY]->(x) RETURN c, 'about ' + p.name + ', made by ' + x.name AS via
}
WITH c, via ORDER BY via
WITH c, collect(DISTINCT via) AS matched
MATCH (h:Entity)-[:ASSERTS]->(c)-[:ABOUT]->(t:Entity)
RETURN c.article_date AS date, h.name AS holder, t.name AS target, c.stance AS stance,
       c.assessment AS assessment, matched, c.evidence AS evidence, c.id AS claim
ORDER BY date, holder, claim
LIMIT $limit
