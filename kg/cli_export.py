"""kg export and kg validate: open-format exports (registered on kg.cli.app)."""
