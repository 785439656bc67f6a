"""What goes wrong talking to Neo4j, as exceptions and as one line of plain words.

:class:`Neo4jConnectionError` (unreachable, login refused, no such database) and
:class:`Neo4jUsageError` (the settings themselves are wrong) come from
:func:`~kg.sinks.neo4j.settings.connect`; :class:`LoadError` from a load or a plan that
cannot be written. The driver's own messages run over many lines and may carry the
address resolution in full: :func:`unreachable_reason` and :func:`describe_failure` keep
the part a user can act on. No message here ever contains the password.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kg.sinks.neo4j.report import LoadReport


class Neo4jConnectionError(Exception):
    """The server cannot be reached, refused the login, or lacks the database.

    The message is one line and never contains the password.
    """


class Neo4jUsageError(Exception):
    """The settings themselves are wrong (e.g. NEO4J_URI is not a Neo4j URI)."""


class LoadError(Exception):
    """A load could not finish; ``report`` says what was committed before it stopped."""

    def __init__(self, message: str, report: LoadReport | None = None, *, unreachable: bool = False):
        super().__init__(message)
        self.report = report
        self.unreachable = unreachable  # the server went away or refused the login


class GraphFileError(LoadError):
    """The graph.json given to a load cannot be read as a kg graph (nothing was written)."""


def one_line(error: BaseException) -> str:
    message = getattr(error, "message", None) or str(error) or type(error).__name__
    return " ".join(str(message).split())[:300]


def unreachable_reason(error: BaseException) -> str:
    """The useful part of the driver's multi-line 'could not connect' message."""
    text = " ".join(str(error).split())
    found = re.findall(r"reason (?:\[Errno -?\d+\] )?([^)]+)\)", text)
    if found:
        return found[-1].strip()
    if "timed out" in text.lower():
        return "connection timed out"
    if "DNS resolve" in text:
        return "cannot resolve the host name"
    text = re.sub(r"\s*\(resolved to \(.*?\)\)", "", text)
    text = re.sub(r"ResolvedIPv[46]Address\(\('([^']*)', (\d+)\)\)", r"\1:\2", text)
    return text[:200] or type(error).__name__


def is_unreachable(error: BaseException) -> bool:
    from neo4j.exceptions import AuthError, ServiceUnavailable, SessionExpired

    return isinstance(error, (AuthError, ServiceUnavailable, SessionExpired, OSError))


def describe_failure(error: BaseException) -> str:
    from neo4j.exceptions import AuthError, ServiceUnavailable, SessionExpired

    if isinstance(error, AuthError):
        return "Neo4j refused the login during the load"
    if isinstance(error, (ServiceUnavailable, SessionExpired, OSError)):
        return f"lost the connection to Neo4j ({unreachable_reason(error)})"
    return f"Neo4j refused a write: {one_line(error)}"
