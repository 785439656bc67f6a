"""One rebuild at a time: an exclusive ``flock`` on ``<output>/rebuild/lock``.

The kernel drops the lock when its holder exits, however it exits (``kill -9`` included),
so a crashed run never leaves a stale lock behind. The file also says who holds it (pid,
host, start time) for the message the second run prints.
"""

from __future__ import annotations

import fcntl
import os
import socket
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

POLL_SECONDS = 0.2


class LockHeld(Exception):
    """Another run holds the lock (and we were not to wait, or waited long enough)."""

    def __init__(self, path: Path, holder: str, waited: float | None = None):
        self.path, self.holder, self.waited = path, holder, waited
        after = f" after waiting {waited:.0f} s" if waited is not None else ""
        super().__init__(f"another rebuild is running ({holder}){after}; it holds {path}")


@dataclass
class RunLock:
    """``with RunLock(path).acquire(wait=...)``: held until the block ends."""

    path: Path
    _fd: int | None = None

    def acquire(self, *, wait: bool = False, timeout: float | None = None, on_wait=None) -> RunLock:
        """Take the lock, or raise :class:`LockHeld`. With ``wait``, poll until it is free
        (or ``timeout`` seconds pass); ``on_wait(holder)`` is called once when waiting starts."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        started = time.monotonic()
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                waited = time.monotonic() - started
                if not wait or (timeout is not None and waited >= timeout):
                    os.close(fd)
                    raise LockHeld(self.path, holder_of(self.path), waited if wait else None) from None
                if on_wait and not told:
                    on_wait(holder_of(self.path))
                    told = True
                time.sleep(POLL_SECONDS)
            except BaseException:
                os.close(fd)
                raise
        self._fd = fd
        _write_holder(fd)
        return self

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> RunLock:
        if self._fd is None:
            self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def is_locked(path: Path) -> bool:
    """Whether a run holds the lock now (without taking it for longer than a check)."""
    if not path.exists():
        return False
    fd = os.open(path, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # closing drops a lock we took
    return False


def holder_of(path: Path) -> str:
    """What the lock file says about its holder, e.g. 'pid 4242 on host, since 2025-…'."""
    try:
        text = path.read_text("utf-8").strip()
    except OSError:
        text = ""
    return text or "holder unknown"


def _write_holder(fd: int) -> None:
    since = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"pid {os.getpid()} on {socket.gethostname()}, since {since}\n".encode(), 0)
