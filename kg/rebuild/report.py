"""The run report: what one rebuild did, as JSON in ``<output>/rebuild/reports/``.

One file per run, named by its start time (so names sort by time), written atomically;
the newest ``keep_reports`` are kept. ``kg status`` shows the latest.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from kg.sinks.files import write_atomic

COUNTS = ("new", "changed", "unchanged", "removed", "failed", "duplicates")
STAGES = ("setup", "fetch", "read", "extract", "store", "graph", "files", "exports", "neo4j")


@dataclass(frozen=True)
class Failure:
    """Something that could not be read, fetched or written, and why."""

    stage: str  # fetch, read, extract, exports, neo4j
    source: str  # a file, a feed or item URL, an export path, "neo4j"
    reason: str


@dataclass
class RunReport:
    """One rebuild. ``counts`` are of articles; ``seconds`` the wall time of each stage."""

    started: str = field(default_factory=lambda: now_iso())
    ended: str | None = None
    status: str = "running"  # ok | failures | failed | interrupted
    exit_code: int | None = None
    message: str = ""
    config: str = ""
    extractor: str = ""
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTS, 0))
    articles: int = 0  # in the graph after the run
    claims: int = 0
    failures: list[Failure] = field(default_factory=list)
    feeds: list[dict[str, Any]] = field(default_factory=list)
    outputs: dict[str, Any] = field(default_factory=lambda: {"written": False, "files": []})
    neo4j: dict[str, Any] = field(default_factory=lambda: {"sync": False})
    seconds: dict[str, float] = field(default_factory=dict)
    pid: int = field(default_factory=os.getpid)

    def fail(self, stage: str, source: str, reason: str) -> None:
        self.failures.append(Failure(stage, str(source), reason))

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Time a stage (added up when the stage runs in several pieces)."""
        started = time.perf_counter()
        try:
            yield
        finally:
            self.add_time(name, time.perf_counter() - started)

    def add_time(self, name: str, seconds: float) -> None:
        self.seconds[name] = self.seconds.get(name, 0.0) + seconds

    def finish(self, status: str, exit_code: int, message: str = "") -> RunReport:
        self.ended = now_iso()
        self.status, self.exit_code, self.message = status, exit_code, message
        self.seconds = {stage: self.seconds.get(stage, 0.0) for stage in STAGES}  # 0 for a stage with nothing to do
        self.counts["failed"] = len([f for f in self.failures if f.stage in ("fetch", "read", "extract")])
        return self

    @property
    def total_seconds(self) -> float:
        start, end = parse_iso(self.started), parse_iso(self.ended or now_iso())
        return (end - start).total_seconds()

    def to_dict(self) -> dict[str, Any]:
        document = asdict(self)
        document["seconds"] = {k: round(v, 4) for k, v in self.seconds.items()}
        document["seconds"]["total"] = round(self.total_seconds, 4)
        return document


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds").replace("+00:00", "Z")


def parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def save_report(report: RunReport, folder: Path, keep: int) -> Path:
    """Write the report (atomically) and delete all but the newest ``keep`` reports."""
    stamp = parse_iso(report.started).strftime("%Y%m%dT%H%M%S.%fZ")
    path = folder / f"rebuild-{stamp}-{report.pid}.json"
    write_atomic(path, json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n")
    for old in report_files(folder)[:-keep]:
        old.unlink(missing_ok=True)
    return path


def report_files(folder: Path) -> list[Path]:
    """The saved reports, oldest first."""
    if not folder.is_dir():
        return []
    return sorted(folder.glob("rebuild-*.json"))


def latest_report(folder: Path) -> dict[str, Any] | None:
    """The newest readable report, or None."""
    for path in reversed(report_files(folder)):
        try:
            return json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            continue
    return None
