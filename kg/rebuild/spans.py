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
    _firsts: dict[int, list[str]]  # each section's blocks' first keys, as last read (set by Store)

    def put_spans(self, section: int, spans: Iterable[tuple[str, int]]) -> None:
        self.db.executemany("INSERT OR REPLACE INTO spans (section, key, length) VALUES (?, ?, ?)", ((section, k, n) for k, n in spans))

    def remove_spans(self, section: int, keys: Iterable[str]) -> None:
        self.db.executemany("DELETE FROM spans WHERE section = ? AND key = ?", ((section, k) for k in keys))

    def forget_spans(self) -> None:
        self._firsts.clear()
        self.db.execute("DELETE FROM spans")
        self.db.execute("DELETE FROM blocks")

    def put_blocks(self, section: int, blocks: Iterable[tuple[str, int]]) -> None:
        """(first key, bytes) of each run of BLOCK spans, as a whole write lays them."""
        self._firsts.clear()
        self.db.executemany("INSERT OR REPLACE INTO blocks (section, first, total) VALUES (?, ?, ?)", ((section, k, n) for k, n in blocks))

    def section_length(self, section: int) -> tuple[int, int]:
        """(pieces, bytes) of a section; the block totals sum to its bytes, so the spans are
        not read (a full scan of hundreds of thousands of rows) and "pieces" counts blocks."""
        statement = "SELECT coalesce(sum(total > 0), 0), coalesce(sum(total), 0) FROM blocks WHERE section = ?"
        return self.db.execute(statement, (section,)).fetchone()

    def offsets(self, section: int, keys: list[str]) -> dict[str, tuple[int, int]]:
        """(offset in the section, length) of each key: a key the section lacks gets its
        place (the offset of the first piece after it) and length 0. The blocks give the
        offset of each run of spans; the spans before a key in its own run are summed by
        SQLite, all keys in one statement (a query per key cost more than the rest of an
        edit: thousands of keys for a few changed articles)."""
        firsts, starts = self._blocks(section)
        wanted = [(key, block) for key, block in _blocks_of(firsts, keys)]
        self._bounds([("" if block == 0 else firsts[block], key) for key, block in wanted])
        statement = """SELECT coalesce((SELECT sum(length) FROM spans WHERE section = ?1 AND key >= w.low AND key < w.high), 0),
                              coalesce((SELECT length FROM spans WHERE section = ?1 AND key = w.high), 0)
                       FROM temp.bounds AS w ORDER BY w.n"""
        rows = self.db.execute(statement, (section,)).fetchall()
        return {key: (starts[block] + before, length) for (key, block), (before, length) in zip(wanted, rows)}

    def grow_blocks(self, section: int, growth: dict[str, int]) -> None:
        """Add to each block's total what its keys' spans grew by (negative: shrank), as the
        edit that changed them counted it: no span is read again."""
        firsts = self._firsts.get(section) or self._blocks(section)[0]
        by_block: dict[int, int] = {}
        for key, block in _blocks_of(firsts, growth):
            by_block[block] = by_block.get(block, 0) + growth[key]
        statement = "UPDATE blocks SET total = total + ? WHERE section = ? AND first = ?"
        self.db.executemany(statement, [(n, section, firsts[block]) for block, n in by_block.items() if n])

    def _bounds(self, rows: list[tuple[str, str]]) -> None:
        """Key ranges for one statement to read, in a temporary table: bound as parameters,
        keys keep their NUL separators (SQLite's JSON functions would cut them there)."""
        self.db.execute("CREATE TEMP TABLE IF NOT EXISTS bounds (n INTEGER PRIMARY KEY, low TEXT, high TEXT)")
        self.db.execute("SAVEPOINT bounds")  # one transaction for the rows, not one each (outside a write)
        self.db.execute("DELETE FROM temp.bounds")
        self.db.executemany("INSERT INTO temp.bounds (low, high) VALUES (?, ?)", rows)
        self.db.execute("RELEASE bounds")

    def _blocks(self, section: int) -> tuple[list[str], list[int]]:
        rows = self.db.execute("SELECT first, total FROM blocks WHERE section = ? ORDER BY first", (section,)).fetchall()
        firsts = self._firsts[section] = [first for first, _ in rows]  # kept for grow_blocks: edits add no block
        return firsts, [0, *accumulate(total for _, total in rows)]


def _blocks_of(firsts: list[str], keys: Iterable[str]) -> list[tuple[str, int]]:
    """Each key with the block it falls in (a key before every block: the first)."""
    return [(key, max(bisect_right(firsts, key) - 1, 0)) for key in keys]
