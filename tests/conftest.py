"""Shared fixtures. ``neo4j_driver``: a driver on the real Neo4j the tests run against.

Where it is comes from NEO4J_URI (default ``bolt://127.0.0.1:$NEO4J_BOLT_PORT``, port 7687),
NEO4J_USERNAME, NEO4J_PASSWORD and NEO4J_DATABASE, as for ``kg`` itself. When nothing answers
there the Neo4j tests are skipped with a hint (start it with ``scripts/neo4j-local start``),
except under CI (the CI variable set), where they fail: CI starts the server itself.

Every test that uses ``neo4j_driver`` starts from an empty database (all nodes and
relationships deleted; constraints and indexes stay, kg load re-applies them anyway).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def neo4j_env() -> dict[str, str]:
    """The NEO4J_* variables the tests (and the kg commands they run) use."""
    port = os.environ.get("NEO4J_BOLT_PORT") or "7687"
    env = {
        "NEO4J_URI": os.environ.get("NEO4J_URI") or f"bolt://127.0.0.1:{port}",
        "NEO4J_USERNAME": os.environ.get("NEO4J_USERNAME") or "neo4j",
        "NEO4J_DATABASE": os.environ.get("NEO4J_DATABASE") or "neo4j",
    }
    if "NEO4J_PASSWORD" in os.environ:
        env["NEO4J_PASSWORD"] = os.environ["NEO4J_PASSWORD"]
    return env


@pytest.fixture
def neo4j_settings(monkeypatch):
    """kg's Settings for the test server; the NEO4J_* variables are set for kg commands too."""
    from kg.sinks.neo4j import Settings

    env = neo4j_env()
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return Settings.from_env(env)


@pytest.fixture
def neo4j_driver(neo4j_settings):
    """A connected driver on an empty database (skip, or fail under CI, when unreachable)."""
    from kg.sinks.neo4j import Neo4jConnectionError, clear_database, connect

    try:
        driver = connect(neo4j_settings, retry_seconds=5)
    except Neo4jConnectionError as error:
        message = f"{error}; start it with scripts/neo4j-local start"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    try:
        clear_database(driver, neo4j_settings.database)
        yield driver
    finally:
        driver.close()
