// name: who-said-what
// answers: Who said what about a target: every claim about it, newest first, with the holder,
//   the stance, the assessment and the evidence sentence.
// param: target string — the target's canonical name or one of its aliases, any case (Nvidia, 英伟达, NVDA)
// param: limit int = 100 — at most this many rows
// example: kg query who-said-what --param target=Nvidia
// example: kg query who-said-what --param target=腾讯 --format csv
MATCH (t:Entity)
WHERE toLower(t.name) = toLower($target)
   OR any(alias IN coalesce(t.aliases, []) WHERE toLower(alias) = toLower($target))
   OR any(ticker IN coalesce(t.tickers, []) WHERE toLower(ticker) = toLower($target))
MATCH (h:Entity)-[:ASSERTS]->(c:Claim)-[:ABOUT]->(t)
RETURN c.article_date AS date, h.name AS holder, t.name AS target, c.stance AS stance,
       c.assessment AS assessment, c.evidence AS evidence, c.id AS claim
ORDER BY date DESC, holder, claim
LIMIT $limit
