"""The exit codes of every ``kg`` command, in one place (the README lists them for scripts).

An ``IntEnum``, so a code is an int wherever one is expected: ``typer.Exit(code)``, a run
report's ``exit_code``, ``f"exit {code}"``. It lives beside the library rather than in
:mod:`kg.cli` because :mod:`kg.rebuild` records the exit code of a run in its report, and
the library never imports the command line.

>>> int(ExitCode.LOCKED), f"exit {ExitCode.NO_INPUT}"
(5, 'exit 3')
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0  # success
    FAILED = 1  # some input failed and --strict was given, a check failed, or an output was not written
    USAGE = 2  # a wrong option, argument or configuration (the message names it)
    NO_INPUT = 3  # nothing to read: no articles, no build, no report yet
    UNREACHABLE = 4  # a server (Neo4j) could not be reached or refused the login
    LOCKED = 5  # another kg rebuild holds the lock (or --wait-timeout passed)
    INTERRUPTED = 130  # Ctrl-C: the previous outputs are intact, the next run finishes the work
