// name: find-entity
// answers: Which entity a name stands for: entities whose canonical name, aliases or tickers
//   contain the text (any case), with their type, names and how many claims they made or are
//   about. Use it to find the canonical name the other queries print.
// param: text string — part of a name, alias or ticker (英伟达, nvid, 0700)
// example: kg query find-entity --param text=阿里
MATCH (e:Entity)
WHERE toLower(e.name) CONTAINS toLower($text)
   OR any(alias IN coalesce(e.aliases, []) WHERE toLower(alias) CONTAINS toLower($text))
   OR any(ticker IN coalesce(e.tickers, []) WHERE toLower(ticker) CONTAINS toLower($text))
RETURN e.name AS name, [label IN labels(e) WHERE label <> 'Entity'][0] AS type,
       e.aliases AS aliases, e.tickers AS tickers,
       COUNT { (e)-[:ASSERTS]->(:Claim) } AS claims_made,
       COUNT { (:Claim)-[:ABOUT]->(e) } AS claims_about
ORDER BY name
