"""kg load, kg neo4j init, kg query: the Neo4j commands (registered on kg.cli.app)."""
