// name: people-institutions
// answers: People and their institutions: each Person with the institution or company the
//   catalogue affiliates them with (AFFILIATED_WITH), how many claims they made and how many
//   claims are about them.
// example: kg query people-institutions
MATCH (p:Person)
OPTIONAL MATCH (p)-[:AFFILIATED_WITH]->(i:Entity)
RETURN p.name AS person, i.name AS institution,
       [label IN labels(i) WHERE label <> 'Entity'][0] AS institution_type,
       COUNT { (p)-[:ASSERTS]->(:Claim) } AS claims_made,
       COUNT { (:Claim)-[:ABOUT]->(p) } AS claims_about
ORDER BY person, institution
