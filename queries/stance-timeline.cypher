// name: stance-timeline
// answers: Stance timeline of a target by month: how many claims about it each month were
//   positive, negative, neutral or mixed, and the net (positive minus negative).
// param: target string — the target's canonical name or one of its aliases, any case
// example: kg query stance-timeline --param target=Nvidia
MATCH (t:Entity)
WHERE toLower(t.name) = toLower($target)
   OR any(alias IN coalesce(t.aliases, []) WHERE toLower(alias) = toLower($target))
   OR any(ticker IN coalesce(t.tickers, []) WHERE toLower(ticker) = toLower($target))
MATCH (c:Claim)-[:ABOUT]->(t)
WITH coalesce(substring(c.article_date, 0, 7), 'undated') AS month, c.stance AS stance
WITH month,
     count(*) AS claims,
     sum(CASE stance WHEN 'positive' THEN 1 ELSE 0 END) AS positive,
     sum(CASE stance WHEN 'negative' THEN 1 ELSE 0 END) AS negative,
     sum(CASE stance WHEN 'neutral' THEN 1 ELSE 0 END) AS neutral,
     sum(CASE stance WHEN 'mixed' THEN 1 ELSE 0 END) AS mixed
RETURN month, claims, positive, negative, neutral, mixed, positive - negative AS net
ORDER BY month
