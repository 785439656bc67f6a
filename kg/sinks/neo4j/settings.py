"""Where Neo4j is (:class:`Settings`, from the NEO4J_* variables) and opening a checked
connection to it (:func:`connect`).

A driver is only handed out after ``RETURN 1`` has run in the chosen database, so a wrong
URI, password or database name is one clear error at the start, never a failure half-way
through a load.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from kg.sinks.neo4j.errors import Neo4jConnectionError, Neo4jUsageError, one_line, unreachable_reason

DEFAULT_URI = "bolt://127.0.0.1:7687"
DEFAULT_USERNAME = "neo4j"
DEFAULT_DATABASE = "neo4j"
BOLT_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
LOCAL_PASSWORD = "kg-local-password"  # scripts/neo4j-local's default, used when NEO4J_PASSWORD is unset
DEFAULT_RETRY_SECONDS = 30.0


@dataclass(frozen=True)
class Settings:
    """Where Neo4j is: from NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD, NEO4J_DATABASE.

    Without NEO4J_PASSWORD the password of the local test server (scripts/neo4j-local) is
    used, so ``scripts/neo4j-local start && kg load`` works as it is.
    """

    uri: str = DEFAULT_URI
    username: str = DEFAULT_USERNAME
    password: str = field(default=LOCAL_PASSWORD, repr=False)
    database: str = DEFAULT_DATABASE
    password_from_env: bool = True

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        return cls(
            uri=env.get("NEO4J_URI") or DEFAULT_URI,
            username=env.get("NEO4J_USERNAME") or DEFAULT_USERNAME,
            password=env.get("NEO4J_PASSWORD", LOCAL_PASSWORD),
            database=env.get("NEO4J_DATABASE") or DEFAULT_DATABASE,
            password_from_env="NEO4J_PASSWORD" in env,
        )

    def where(self) -> str:
        return f"{self.uri} (database {self.database})"


def quiet_driver_logs() -> None:
    """The driver logs retries and server notifications as warnings; kg reports errors itself."""
    logger = logging.getLogger("neo4j")
    logger.setLevel(logging.CRITICAL)
    logger.propagate = False
    if not logger.handlers:
        logger.addHandler(logging.NullHandler())


def connect(settings: Settings, *, retry_seconds: float = DEFAULT_RETRY_SECONDS, connection_timeout: float = 5.0):
    """Open a driver and check that the login and the database work (``RETURN 1``).

    Raises :class:`Neo4jConnectionError` (unreachable, login refused, no such database) or
    :class:`Neo4jUsageError` (bad URI), each with a one-line message.
    """
    from neo4j import GraphDatabase
    from neo4j.exceptions import AuthError, ConfigurationError, Neo4jError, ServiceUnavailable, SessionExpired

    quiet_driver_logs()
    scheme = settings.uri.partition("://")[0].lower() if "://" in settings.uri else ""
    if scheme not in BOLT_SCHEMES:
        raise Neo4jUsageError(
            f"NEO4J_URI {settings.uri!r} is not a Bolt URI: kg talks Bolt, so use "
            "bolt://host:7687 or neo4j://host:7687 (neo4j+s:// for Aura and other TLS servers)"
        )
    try:
        driver = GraphDatabase.driver(
            settings.uri,
            auth=(settings.username, settings.password),
            max_transaction_retry_time=retry_seconds,
            connection_timeout=connection_timeout,
            connection_acquisition_timeout=connection_timeout + 5,
            user_agent="kg",
        )
    except (ConfigurationError, ValueError) as error:
        raise Neo4jUsageError(f"NEO4J_URI {settings.uri!r} is not a Neo4j URI: {one_line(error)}") from None
    try:
        with driver.session(database=settings.database) as session:
            session.run("RETURN 1").consume()
    except AuthError:
        driver.close()
        hint = "check NEO4J_USERNAME and NEO4J_PASSWORD"
        if not settings.password_from_env:
            hint = "NEO4J_PASSWORD is not set, so the local test server's default was tried; set NEO4J_PASSWORD"
        raise Neo4jConnectionError(
            f"Neo4j at {settings.uri} refused the login of user {settings.username!r} ({hint})"
        ) from None
    except (ServiceUnavailable, SessionExpired, OSError) as error:
        driver.close()
        raise Neo4jConnectionError(f"cannot reach Neo4j at {settings.uri}: {unreachable_reason(error)}") from None
    except Neo4jError as error:
        driver.close()
        if "DatabaseNotFound" in (error.code or ""):
            raise Neo4jConnectionError(
                f"Neo4j at {settings.uri} has no database {settings.database!r} (set NEO4J_DATABASE)"
            ) from None
        raise Neo4jConnectionError(f"Neo4j at {settings.uri} refused the session: {one_line(error)}") from None
    except BaseException:
        driver.close()
        raise
    return driver
