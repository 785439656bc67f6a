// name: new-targets-since
// answers: Targets that first appear on or after a date: targets whose earliest claim (by the
//   article's date) is on or after `since`, with that first day and how often they came up since.
// param: since date — a day, YYYY-MM-DD
// example: kg query new-targets-since --param since=2025-06-01
MATCH (c:Claim)-[:ABOUT]->(t:Entity)
WHERE c.day IS NOT NULL
WITH t, min(c.day) AS first_seen, count(c) AS claims, count(DISTINCT c.holder) AS holders
WHERE first_seen >= $since
RETURN t.name AS target, [label IN labels(t) WHERE label <> 'Entity'][0] AS type,
       first_seen, claims, holders
ORDER BY first_seen, target
