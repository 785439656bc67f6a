// name: current-ratings
// answers: The latest rating of each bank on a company: for every bank that rated it, the rating
//   it stated last (by article date, then place in the article), whether that was an upgrade,
//   a downgrade, a new coverage or a rating kept (or came with a price target), when, in how
//   many sentences the bank stated a rating on it, and the evidence; positive ratings first.
//   Which banks still rate Alibaba a buy?
// param: target string — the company's canonical name or one of its aliases, any case (Alibaba, 阿里巴巴, BABA)
// param: rating_class string = null — only banks whose latest rating is of this side (positive, neutral, negative); null: all
// example: kg query current-ratings --param target=阿里巴巴
// example: kg query current-ratings --param target=Nvidia --param rating_class=positive --format csv
MATCH (t:Entity)
WHERE toLower(t.name) = toLower($target)
   OR any(alias IN coalesce(t.aliases, []) WHERE toLower(alias) = toLower($target))
   OR any(ticker IN coalesce(t.tickers, []) WHERE toLower(ticker) = toLower($target))
MATCH (h:Entity)-[:ASSERTS]->(c:Claim)-[:ABOUT]->(t), (c)-[:STATES]->(a:Action)
WHERE a.rating IS NOT NULL
WITH h, t, c, a
ORDER BY coalesce(c.article_date, '') DESC, c.article_id DESC, c.evidence_start DESC,
         CASE WHEN a.action IN ['upgrade', 'downgrade', 'initiate', 'reiterate'] THEN 0 ELSE 1 END, a.id DESC
WITH h, t, collect({action: a, claim: c}) AS ratings, count(DISTINCT c) AS times_rated
WITH h, t, ratings[0].action AS a, ratings[0].claim AS c, times_rated
WHERE $rating_class IS NULL OR a.rating_class = $rating_class
RETURN h.name AS holder, a.rating AS rating, a.rating_class AS rating_class, a.action AS action,
       c.article_date AS date, times_rated, t.name AS target, c.evidence AS evidence, c.id AS claim
ORDER BY CASE rating_class WHEN 'positive' THEN 0 WHEN 'neutral' THEN 1 WHEN 'negative' THEN 2 ELSE 3 END, holder
