"""Where each piece of the build files sits, as the rebuild state records it (part of
:class:`kg.rebuild.state.Store`).

``spans`` holds each piece's (section, key, length) in the files' order; ``blocks`` the
first key and the bytes of each run of a few spans, so the offset of a key is the sum of the
blocks before it and of the spans before it in its own block: a rebuild reads only the
blocks its edits fall in (:mod:`kg.rebuild.edits`).
"""

from __future__ import annotations

import sqlite3
from bisect import bisect_right
from collections.abc import Iterable
from itertools import accumulate


class Spans:
    db: sqlite3.Connection

    def put_spans(self, section: int, spans: Iterable[tuple[str, int]]) -> None:
        self.db.executemany("INSERT OR REPLACE INTO spans (section, key, length) VALUES (?, ?, ?)", ((section, k, n) for k, n in spans))

    def remove_spans(self, section: int, keys: Iterable[str]) -> None:
        self.db.executemany("DELETE FROM spans WHERE section = ? AND key = ?", ((section, k) for k in keys))

    def forget_spans(self) -> None:
        self.db.execute("DELETE FROM spans")
        self.db.execute("DELETE FROM blocks")

    def put_blocks(self, section: int, blocks: Iterable[tuple[str, int]]) -> None:
        """(first key, bytes) of each run of BLOCK spans, as a whole write lays them."""
        self.db.executemany("INSERT OR REPLACE INTO blocks (section, first, total) VALUES (?, ?, ?)", ((section, k, n) for k, n in blocks))

    def section_length(self, section: int) -> tuple[int, int]:
        """(pieces, bytes) of a section."""
        return self.db.execute("SELECT count(*), coalesce(sum(length), 0) FROM spans WHERE section = ?", (section,)).fetchone()

    def offsets(self, section: int, keys: list[str]) -> dict[str, tuple[int, int]]:
        """(offset in the section, length) of each key: a key the section lacks gets its
        place (the offset of the first piece after it) and length 0. The blocks give the
        offset of each run of spans; only the runs the keys fall in are read."""
        firsts, starts = self._blocks(section)
        found: dict[str, tuple[int, int]] = {}
        for block, wanted in _by_block(firsts, sorted(keys)).items():
            offset = starts[block]
            spans = iter(self._spans_in(section, firsts, block))
            span = next(spans, None)
            for key in wanted:
                while span is not None and span[0] < key:
                    offset += span[1]
                    span = next(spans, None)
                found[key] = (offset, span[1] if span is not None and span[0] == key else 0)
        return found

    def retotal_blocks(self, section: int, keys: Iterable[str]) -> None:
        """Count again the bytes of the blocks these keys fall in (after their spans changed)."""
        firsts, _ = self._blocks(section)
        for block in _by_block(firsts, sorted(keys)):
            total = sum(length for _, length in self._spans_in(section, firsts, block))
            self.db.execute("UPDATE blocks SET total = ? WHERE section = ? AND first = ?", (total, section, firsts[block]))

    def _blocks(self, section: int) -> tuple[list[str], list[int]]:
        rows = self.db.execute("SELECT first, total FROM blocks WHERE section = ? ORDER BY first", (section,)).fetchall()
        firsts = [first for first, _ in rows]
        return firsts, [0, *accumulate(total for _, total in rows)]

    def _spans_in(self, section: int, firsts: list[str], block: int) -> list[tuple[str, int]]:
        """The spans of a block: from its first key (the first block: from the start) to the next's."""
        low = "" if block == 0 else firsts[block]
        if block + 1 < len(firsts):
            statement = "SELECT key, length FROM spans WHERE section = ? AND key >= ? AND key < ? ORDER BY key"
            return self.db.execute(statement, (section, low, firsts[block + 1])).fetchall()
        return self.db.execute("SELECT key, length FROM spans WHERE section = ? AND key >= ? ORDER BY key", (section, low)).fetchall()

def _by_block(firsts: list[str], keys: list[str]) -> dict[int, list[str]]:
    """Sorted keys grouped by the block they fall in (a key before every block: the first)."""
    found: dict[int, list[str]] = {}
    for key in keys:
        found.setdefault(max(bisect_right(firsts, key) - 1, 0), []).append(key)
    return found
