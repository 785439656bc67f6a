"""How a run is asked to go: the command's :class:`Options` (``--full``, ``--strict``), how
often the extractions are committed, and, for the tests, where to pause (:func:`pause_point`).

Both testing knobs come from the environment, so a test can set them on a ``kg rebuild`` it
runs in another process and kill that process at a known stage.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field

COMMIT_EVERY = 256  # extractions per store transaction
PAUSE_ENV = "KG_REBUILD_PAUSE_AT"  # testing hook: stage at which to sleep (see pause_point)
PAUSE_SECONDS_ENV = "KG_REBUILD_PAUSE_SECONDS"
COMMIT_EVERY_ENV = "KG_REBUILD_COMMIT_EVERY"

Say = Callable[[str], None]


@dataclass
class Options:
    """How to run: ``full`` re-extracts everything, rewrites every output and reloads Neo4j
    with pruning; ``strict`` makes any failed source an exit 1."""

    full: bool = False
    strict: bool = False
    commit_every: int = field(default_factory=lambda: int(os.environ.get(COMMIT_EVERY_ENV) or COMMIT_EVERY))
    say: Say = lambda message: None


def pause_point(stage: str) -> None:
    """Sleep here when ``KG_REBUILD_PAUSE_AT`` names this stage (tests kill the run there).

    Stages: ``fetch`` (feeds archived), ``extract`` (first batch of extractions committed),
    ``files`` (claims.jsonl written, graph.json not yet), ``exports`` (files written).
    """
    if os.environ.get(PAUSE_ENV) != stage:
        return
    print(f"kg-rebuild: paused at {stage}", file=sys.stderr, flush=True)
    time.sleep(float(os.environ.get(PAUSE_SECONDS_ENV) or 60))
