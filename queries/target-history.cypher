// name: target-history
// answers: A company's price target history by bank: each bank's price targets on it in date
//   order, with the target it replaced when the article says, the currency (or points, for an
//   index), the rating stated with it, and the evidence sentence.
// param: target string — the company's (or index's) canonical name or one of its aliases, any case (TSMC, 台积电, 2330)
// param: holder string = null — only this bank's targets (canonical name or alias); null: every bank
// param: currency string = null — only targets in this currency (USD, HKD, TWD, points); null: all
// example: kg query target-history --param target=台积电
// example: kg query target-history --param target=Alibaba --param holder=高盛 --format csv
MATCH (t:Entity)
WHERE toLower(t.name) = toLower($target)
   OR any(alias IN coalesce(t.aliases, []) WHERE toLower(alias) = toLower($target))
   OR any(ticker IN coalesce(t.tickers, []) WHERE toLower(ticker) = toLower($target))
MATCH (h:Entity)-[:ASSERTS]->(c:Claim)-[:ABOUT]->(t)
WHERE $holder IS NULL
   OR toLower(h.name) = toLower($holder)
   OR any(alias IN coalesce(h.aliases, []) WHERE toLower(alias) = toLower($holder))
MATCH (c)-[:STATES]->(a:Action)
WHERE a.price_target IS NOT NULL AND ($currency IS NULL OR toLower(a.currency) = toLower($currency))
RETURN h.name AS holder, c.article_date AS date, a.action AS action, a.price_target AS price_target,
       a.previous_target AS previous_target, a.currency AS currency, a.rating AS rating,
       t.name AS target, c.evidence AS evidence, c.id AS claim
ORDER BY holder, coalesce(c.article_date, '~'), c.article_id, c.evidence_start, a.id
