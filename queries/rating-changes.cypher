// name: rating-changes
// answers: Rating changes in a date range: every upgrade, downgrade and new coverage (or the
//   actions you list, e.g. target cuts) between two days, oldest first, with the bank, the
//   company, the new rating, the bank's rating before it as the graph last has it, and the
//   evidence sentence. Who cut Nvidia first?
// param: since date = null — the first day (YYYY-MM-DD), inclusive; null: from the first action
// param: until date = null — the last day, inclusive; null: up to the latest action
// param: target string = null — only this company (canonical name or alias); null: every company
// param: actions string = upgrade,downgrade,initiate — the kinds of action, comma-separated (also reiterate, target_raised, target_cut, target_set)
// example: kg query rating-changes --param since=2025-01-01 --param until=2025-12-31
// example: kg query rating-changes --param target=英伟达 --param actions=downgrade,target_cut
MATCH (h:Entity)-[:ASSERTS]->(c:Claim)-[:ABOUT]->(t:Entity), (c)-[:STATES]->(a:Action)
WHERE a.action IN [kind IN split($actions, ',') | trim(kind)]
  AND ($since IS NULL OR a.day >= $since)
  AND ($until IS NULL OR a.day <= $until)
  AND ($target IS NULL
       OR toLower(t.name) = toLower($target)
       OR any(alias IN coalesce(t.aliases, []) WHERE toLower(alias) = toLower($target))
       OR any(ticker IN coalesce(t.tickers, []) WHERE toLower(ticker) = toLower($target)))
OPTIONAL CALL (h, t, c) {
  MATCH (h)-[:ASSERTS]->(before:Claim)-[:ABOUT]->(t), (before)-[:STATES]->(b:Action)
  WHERE b.rating IS NOT NULL AND before.day < c.day
  RETURN b.rating AS previous_rating
  ORDER BY before.article_date DESC, before.evidence_start DESC
  LIMIT 1
}
RETURN c.article_date AS date, h.name AS holder, t.name AS target, a.action AS action, a.rating AS rating,
       a.rating_class AS rating_class, previous_rating, a.price_target AS price_target, a.currency AS currency,
       c.evidence AS evidence, c.id AS claim
ORDER BY coalesce(date, '~'), holder, target, c.evidence_start, a.id
