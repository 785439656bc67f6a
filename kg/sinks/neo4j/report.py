"""What a load did, or, when it stopped, what it had committed: counts per node kind,
rows and transactions per stage, seconds per step (:class:`LoadReport`).

``kg load --json`` prints it, the rebuild keeps it in its run report, and a
:class:`~kg.sinks.neo4j.errors.LoadError` carries it, so a stopped load can say how far it
got (:meth:`LoadReport.progress_line`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kg.graph import schema


@dataclass
class StageCount:
    total: int = 0  # rows this stage has to write
    done: int = 0  # rows committed
    batches: int = 0  # transactions committed


@dataclass
class LoadReport:
    """What a load did (or, when it stopped, what it had committed)."""

    new: dict[str, int] = field(default_factory=lambda: dict.fromkeys(schema.NODE_KINDS, 0))
    changed: dict[str, int] = field(default_factory=lambda: dict.fromkeys(schema.NODE_KINDS, 0))
    unchanged: dict[str, int] = field(default_factory=lambda: dict.fromkeys(schema.NODE_KINDS, 0))
    removed: dict[str, int] = field(default_factory=lambda: dict.fromkeys(schema.NODE_KINDS, 0))
    stages: dict[str, StageCount] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    complete: bool = False
    same_as_last_load: bool = False  # the database's stamp was of this very graph.json: nothing compared

    @property
    def batches(self) -> int:
        return sum(stage.batches for stage in self.stages.values())

    def progress_line(self) -> str:
        """How far the load got: committed rows per stage."""
        parts = [f"{name} {s.done:,}/{s.total:,}" for name, s in self.stages.items() if s.total or s.done]
        n = self.batches
        return f"{n} transaction{'' if n == 1 else 's'} committed ({'; '.join(parts) or 'nothing written yet'})"

    def to_dict(self) -> dict[str, Any]:
        return {
            "complete": self.complete,
            "same_as_last_load": self.same_as_last_load,
            "new": self.new,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "removed": self.removed,
            "transactions": self.batches,
            "stages": {k: vars(v) for k, v in self.stages.items()},
            "seconds": {k: round(v, 3) for k, v in self.seconds.items()},
        }


# progress(stage, rows_just_committed, stage_total): called after each committed transaction
ProgressFn = Callable[[str, int, int], None]

STAGE_ENTITIES, STAGE_LINKS, STAGE_ARTICLES, STAGE_CLAIMS, STAGE_REMOVE = (
    "entities",
    "entity links",
    "articles",
    "claims",
    "removing",
)
