// name: most-discussed
// answers: The most discussed targets: claims about each target, by how many distinct holders,
//   in how many articles, and the split of stances.
// param: limit int = 20 — at most this many targets
// param: type string = null — only targets of this type (Company, Product, Index, Sector, ...); null: all
// example: kg query most-discussed --param limit=10
// example: kg query most-discussed --param type=Sector
MATCH (h:Entity)-[:ASSERTS]->(c:Claim)-[:ABOUT]->(t:Entity)
WHERE $type IS NULL OR $type IN labels(t)
RETURN t.name AS target, [label IN labels(t) WHERE label <> 'Entity'][0] AS type,
       count(c) AS claims, count(DISTINCT h) AS holders, count(DISTINCT c.article_id) AS articles,
       sum(CASE c.stance WHEN 'positive' THEN 1 ELSE 0 END) AS positive,
       sum(CASE c.stance WHEN 'negative' THEN 1 ELSE 0 END) AS negative,
       sum(CASE c.stance WHEN 'neutral' THEN 1 ELSE 0 END) AS neutral,
       sum(CASE c.stance WHEN 'mixed' THEN 1 ELSE 0 END) AS mixed
ORDER BY claims DESC, holders DESC, target
LIMIT $limit
