// name: target-spread
// answers: The spread of price targets per company and currency at a date: each bank's latest
//   target on or before the day counts once; the lowest, the median and the highest, how many
//   banks, each bank's figure, and the dates of the oldest and newest target counted.
// param: at date = null — the day to look from (YYYY-MM-DD); null: the latest target of each bank
// param: target string = null — only this company (canonical name or alias); null: every company with a target
// example: kg query target-spread --param target=TSMC
// example: kg query target-spread --param at=2025-06-30 --format csv
MATCH (h:Entity)-[:ASSERTS]->(c:Claim)-[:ABOUT]->(t:Entity), (c)-[:STATES]->(a:Action)
WHERE a.price_target IS NOT NULL AND a.currency IS NOT NULL
  AND ($at IS NULL OR a.day <= $at)
  AND ($target IS NULL
       OR toLower(t.name) = toLower($target)
       OR any(alias IN coalesce(t.aliases, []) WHERE toLower(alias) = toLower($target))
       OR any(ticker IN coalesce(t.tickers, []) WHERE toLower(ticker) = toLower($target)))
WITH t, a.currency AS currency, h, a, c
ORDER BY coalesce(c.article_date, '') DESC, c.article_id DESC, c.evidence_start DESC, a.id DESC
WITH t, currency, h, collect(a.price_target)[0] AS price, collect(c.article_date)[0] AS date
ORDER BY h.name
WITH t, currency, count(h) AS banks, min(price) AS min_target, percentileCont(price, 0.5) AS median_target,
     max(price) AS max_target,
     collect(h.name + ' ' + CASE WHEN price = toInteger(price) THEN toString(toInteger(price)) ELSE toString(price) END) AS targets,
     min(date) AS oldest, max(date) AS newest
RETURN t.name AS target, currency, banks, min_target, median_target, max_target, targets, oldest, newest
ORDER BY target, currency
