// name: disagreements
// answers: Targets with opposing views: targets that some holders see positively and other
//   holders negatively, with who is on each side; the most contested first.
// param: min_holders int = 2 — at least this many distinct holders on the two sides together
// param: limit int = 50 — at most this many rows
// example: kg query disagreements
// example: kg query disagreements --param min_holders=3 --format json
MATCH (h:Entity)-[:ASSERTS]->(c:Claim)-[:ABOUT]->(t:Entity)
WHERE c.stance IN ['positive', 'negative']
WITH t, c, h ORDER BY h.name
WITH t,
     collect(DISTINCT CASE WHEN c.stance = 'positive' THEN h.name END) AS positive,
     collect(DISTINCT CASE WHEN c.stance = 'negative' THEN h.name END) AS negative
WHERE size(positive) > 0 AND size(negative) > 0
  AND any(p IN positive WHERE any(n IN negative WHERE n <> p))
WITH t, positive, negative, size(positive + [n IN negative WHERE NOT n IN positive]) AS holders
WHERE holders >= $min_holders
RETURN t.name AS target, size(positive) AS positive_holders, size(negative) AS negative_holders,
       positive, negative
ORDER BY holders DESC, CASE WHEN size(positive) < size(negative) THEN size(positive) ELSE size(negative) END DESC, target
LIMIT $limit
