"""Run a command and measure it as a whole: wall time, CPU time, and its peak memory, the
process's own and that of the process with its workers together (sampled from /proc).

Shared by bench_memory.py and bench_workers.py.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

SAMPLE_SECONDS = 0.1


@dataclass(frozen=True)
class Run:
    wall: float  # seconds
    cpu: float  # user + system seconds of the process and its children
    peak_mb: float  # the largest resident set of one process (the command, or one worker)
    tree_peak_mb: float  # the largest sum of the resident sets of the command and its descendants, as sampled
    returncode: int
    stderr: str


def run(command: list[str], cwd: Path | None = None, env: dict | None = None) -> Run:
    """Run ``command`` to its end, sampling the memory of its process tree."""
    with tempfile.TemporaryFile("w+") as errors:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=errors, text=True)
        peak = [0]
        done = threading.Event()
        sampler = threading.Thread(target=_sample, args=(process.pid, peak, done), daemon=True)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)  # the child's own usage, its reaped workers' included
        process.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - started
        done.set()
        sampler.join()
        errors.seek(0)
        stderr = errors.read()
    own_peak = usage.ru_maxrss / 1024
    cpu = usage.ru_utime + usage.ru_stime
    return Run(wall, cpu, own_peak, max(peak[0] / 1024, own_peak), process.returncode, stderr)


def _sample(pid: int, peak: list[int], done: threading.Event) -> None:
    while not done.is_set():
        peak[0] = max(peak[0], sum(_rss_kb(p) for p in _tree(pid)))
        done.wait(SAMPLE_SECONDS)


def _tree(pid: int) -> list[int]:
    """``pid`` and its descendants."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, ()))
    return found


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0
