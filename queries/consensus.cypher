// name: consensus
// answers: Consensus: targets on which several distinct holders take the same stance, with those
//   holders and how many holders take the opposite view (positive against negative).
//   The article's own voice (Unattributed) does not count as a holder, nor does a company
//   speaking of itself (guidance is no agreement).
// param: min_holders int = 3 — at least this many distinct holders sharing the stance
// param: stance string = null — only this stance (positive, negative, neutral, mixed); null: all
// example: kg query consensus
// example: kg query consensus --param min_holders=2 --param stance=negative
MATCH (h:Entity)-[:ASSERTS]->(c:Claim)-[:ABOUT]->(t:Entity)
WHERE NOT h:Unattributed AND h <> t AND ($stance IS NULL OR c.stance = $stance)
WITH t, c.stance AS stance, h ORDER BY h.name
WITH t, stance, collect(DISTINCT h.name) AS holders
WHERE size(holders) >= $min_holders
WITH t, stance, holders,
     CASE stance WHEN 'positive' THEN 'negative' WHEN 'negative' THEN 'positive' END AS opposite
RETURN t.name AS target, stance, size(holders) AS holder_count, holders,
       COUNT { MATCH (o:Entity)-[:ASSERTS]->(:Claim {stance: opposite})-[:ABOUT]->(t)
               WHERE NOT o:Unattributed AND o <> t RETURN DISTINCT o } AS opposing_holders
ORDER BY holder_count DESC, opposing_holders, target, stance
