// name: holder-agreement
// answers: Holder × holder agreement: for each pair of holders, on how many shared targets they
//   take the same view and on how many the opposite one. A holder's view of a target is
//   positive or negative when all its positive/negative claims about it agree (neutral and
//   mixed claims, and targets it is of two minds about, are left out).
// param: min_shared int = 2 — only pairs with at least this many shared targets
// param: limit int = 50 — at most this many pairs
// example: kg query holder-agreement
// example: kg query holder-agreement --param min_shared=3 --format csv
MATCH (h:Entity)-[:ASSERTS]->(c:Claim)-[:ABOUT]->(t:Entity)
WHERE c.stance IN ['positive', 'negative'] AND NOT h:Unattributed
WITH h, t, collect(DISTINCT c.stance) AS stances
WHERE size(stances) = 1
WITH t, h.name AS holder, stances[0] AS view ORDER BY t.name, holder
WITH t, collect({holder: holder, view: view}) AS views
UNWIND views AS a
UNWIND views AS b
WITH t, a, b WHERE a.holder < b.holder
WITH a.holder AS holder_a, b.holder AS holder_b,
     sum(CASE WHEN a.view = b.view THEN 1 ELSE 0 END) AS agree,
     sum(CASE WHEN a.view <> b.view THEN 1 ELSE 0 END) AS disagree,
     collect(t.name) AS targets
WHERE agree + disagree >= $min_shared
RETURN holder_a, holder_b, agree + disagree AS shared, agree, disagree,
       round(toFloat(agree) / (agree + disagree), 2) AS agreement, targets
ORDER BY shared DESC, agreement DESC, holder_a, holder_b
LIMIT $limit
