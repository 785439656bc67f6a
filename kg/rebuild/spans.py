"""Where each piece of the build files sits, as the rebuild state records it (part of
:class:`kg.rebuild.state.Store`).

``spans`` holds each piece's (section, key, length) in the files' order; ``blocks`` the
first key and the bytes of each run of a few spans, so the offset of a key is the sum of the
blocks before it and of the spans before it in its own block: a rebuild reads only the
spans of the blocks its edits fall in (:mod:`kg.rebuild.edits`). The blocks are found and
summed by SQLite, not read into Python: a section has tens of thousands of blocks (81,239
edge blocks at 10,000 articles), and turning each into a Python row cost a rebuild more
than summing them where they are.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from itertools import accumulate

# For each key wanted (temp.bounds, in key order): its block (the last whose first key is at
# or before it; '' for the first block, which also holds any key put in before its first),
# the blocks between the previous key's block and its own, the spans before it in its block,
# and its own span. The blocks between consecutive keys' blocks cover the section once.
_PLACES = """
WITH placed AS (
    SELECT n, high, coalesce((SELECT max(first) FROM blocks WHERE section = ?1 AND first <= w.high
                              AND first > (SELECT min(first) FROM blocks WHERE section = ?1)), '') AS block
    FROM temp.bounds AS w),
ordered AS (SELECT n, high, block, lag(block, 1, '') OVER (ORDER BY n) AS previous FROM placed)
SELECT block,
       coalesce((SELECT sum(total) FROM blocks WHERE section = ?1 AND first >= o.previous AND first < o.block), 0),
       coalesce((SELECT sum(length) FROM spans WHERE section = ?1 AND key >= o.block AND key < o.high), 0),
       coalesce((SELECT length FROM spans WHERE section = ?1 AND key = o.high), 0)
FROM ordered AS o ORDER BY n
"""


class Spans:
    db: sqlite3.Connection
    _blocks_of: dict[int, dict[str, str]]  # each section's keys last placed → their block (set by Store)

    def put_spans(self, section: int, spans: Iterable[tuple[str, int]]) -> None:
        self.db.executemany("INSERT OR REPLACE INTO spans (section, key, length) VALUES (?, ?, ?)", ((section, k, n) for k, n in spans))

    def remove_spans(self, section: int, keys: Iterable[str]) -> None:
        self.db.executemany("DELETE FROM spans WHERE section = ? AND key = ?", ((section, k) for k in keys))

    def forget_spans(self) -> None:
        self._blocks_of.clear()
        self.db.execute("DELETE FROM spans")
        self.db.execute("DELETE FROM blocks")

    def put_blocks(self, section: int, blocks: Iterable[tuple[str, int]]) -> None:
        """(first key, bytes) of each run of BLOCK spans, as a whole write lays them."""
        self._blocks_of.pop(section, None)
        self.db.executemany("INSERT OR REPLACE INTO blocks (section, first, total) VALUES (?, ?, ?)", ((section, k, n) for k, n in blocks))

    def section_length(self, section: int) -> tuple[int, int]:
        """(pieces, bytes) of a section; the block totals sum to its bytes, so the spans are
        not read (a full scan of hundreds of thousands of rows) and "pieces" counts blocks."""
        statement = "SELECT coalesce(sum(total > 0), 0), coalesce(sum(total), 0) FROM blocks WHERE section = ?"
        return self.db.execute(statement, (section,)).fetchone()

    def offsets(self, section: int, keys: list[str]) -> dict[str, tuple[int, int]]:
        """(offset in the section, length) of each key: a key the section lacks gets its
        place (the offset of the first piece after it) and length 0. All keys in one
        statement (a query per key cost more than the rest of an edit: thousands of keys for
        a few changed articles); each key's block is remembered for :meth:`grow_blocks`."""
        ordered = sorted(set(keys))  # SQLite orders TEXT by its UTF-8 bytes, as Python orders str
        self._bounds(ordered)
        rows = self.db.execute(_PLACES, (section,)).fetchall()
        starts = accumulate(between for _, between, _, _ in rows)
        self._blocks_of[section] = {key: block for key, (block, *_) in zip(ordered, rows)}
        return {key: (start + before, length) for key, start, (_, _, before, length) in zip(ordered, starts, rows)}

    def grow_blocks(self, section: int, growth: dict[str, int]) -> None:
        """Add to each block's total what its keys' spans grew by (negative: shrank), as the
        edit that changed them counted it: no span is read again."""
        placed = self._blocks_of.get(section, {})
        if any(key not in placed for key in growth):
            placed = self._place(section, growth)
        by_block: dict[str, int] = {}
        for key, grown in growth.items():
            by_block[placed[key]] = by_block.get(placed[key], 0) + grown
        first = self.db.execute("SELECT min(first) FROM blocks WHERE section = ?", (section,)).fetchone()[0]
        statement = "UPDATE blocks SET total = total + ? WHERE section = ? AND first = ?"
        self.db.executemany(statement, [(n, section, block or first) for block, n in by_block.items() if n])

    def _place(self, section: int, keys: Iterable[str]) -> dict[str, str]:
        self.offsets(section, list(keys))
        return self._blocks_of[section]

    def _bounds(self, keys: list[str]) -> None:
        """Keys for one statement to read, in a temporary table: bound as parameters,
        keys keep their NUL separators (SQLite's JSON functions would cut them there)."""
        self.db.execute("CREATE TEMP TABLE IF NOT EXISTS bounds (n INTEGER PRIMARY KEY, high TEXT)")
        self.db.execute("SAVEPOINT bounds")  # one transaction for the rows, not one each (outside a write)
        self.db.execute("DELETE FROM temp.bounds")
        self.db.executemany("INSERT INTO temp.bounds (high) VALUES (?)", [(key,) for key in keys])
        self.db.execute("RELEASE bounds")
