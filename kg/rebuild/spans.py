"""Where each piece of the build files sits, as the rebuild state records it (part of
:class:`kg.rebuild.state.Store`).

``spans`` holds each piece's (section, key, length) in the files' order. ``block_index``
holds, for each section, the first key and the bytes of each run of a few spans (a block),
as two values: the first keys (a JSON list) and the totals (64-bit integers, little-endian).
The offset of a key is the sum of the blocks before it (the totals, summed in Python) and of
the spans before it in its own block (summed by SQLite, a few rows each): a rebuild reads the
spans only of the blocks its edits fall in (:mod:`kg.rebuild.edits`).

Edits never add or remove a block (a key put in counts toward the block it falls in), so the
first keys are written once per whole write and only the totals change after. Kept as rows,
the blocks cost a rebuild more than the spans did: tens of thousands of them (81,239 edge
blocks at 10,000 articles) made into Python rows to find and sum, and as many rows updated.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from array import array
from bisect import bisect_right
from collections.abc import Iterable
from itertools import accumulate

# the spans before each key in its block (from the block's first key; '' for the first
# block, which also holds any key put in before its first), and the key's own span
_IN_BLOCK = """SELECT coalesce((SELECT sum(length) FROM spans WHERE section = ?1 AND key >= w.low AND key < w.high), 0),
                      coalesce((SELECT length FROM spans WHERE section = ?1 AND key = w.high), 0)
               FROM temp.bounds AS w ORDER BY w.n"""


class Spans:
    db: sqlite3.Connection
    _index: dict[int, tuple[list[str], array]]  # each section's block index as last read (set by Store)

    def put_spans(self, section: int, spans: Iterable[tuple[str, int]]) -> None:
        self.db.executemany("INSERT OR REPLACE INTO spans (section, key, length) VALUES (?, ?, ?)", ((section, k, n) for k, n in spans))

    def remove_spans(self, section: int, keys: Iterable[str]) -> None:
        self.db.executemany("DELETE FROM spans WHERE section = ? AND key = ?", ((section, k) for k in keys))

    def forget_spans(self) -> None:
        self._index.clear()
        self.db.execute("DELETE FROM spans")
        self.db.execute("DELETE FROM block_index")

    def put_blocks(self, section: int, blocks: Iterable[tuple[str, int]]) -> None:
        """(first key, bytes) of each run of BLOCK spans, in order, as a whole write lays them."""
        blocks = list(blocks)
        firsts, totals = [first for first, _ in blocks], array("q", [total for _, total in blocks])
        self.db.execute(
            "INSERT OR REPLACE INTO block_index (section, firsts, totals) VALUES (?, ?, ?)",
            (section, json.dumps(firsts, ensure_ascii=False).encode(), _bytes(totals)),
        )
        self._index[section] = (firsts, totals)

    def section_length(self, section: int) -> tuple[int, int]:
        """(pieces, bytes) of a section; the block totals sum to its bytes, so the spans are
        not read (a full scan of hundreds of thousands of rows) and "pieces" counts blocks."""
        totals = self._blocks(section)[1]
        return sum(1 for total in totals if total > 0), sum(totals)

    def offsets(self, section: int, keys: list[str]) -> dict[str, tuple[int, int]]:
        """(offset in the section, length) of each key: a key the section lacks gets its
        place (the offset of the first piece after it) and length 0. The spans before each
        key in its block are summed by SQLite, all keys in one statement (a query per key
        cost more than the rest of an edit: thousands of keys for a few changed articles)."""
        firsts, totals = self._blocks(section)
        starts = [0, *accumulate(totals)]
        wanted = _blocks_of(firsts, keys)
        self._bounds([("" if block == 0 else firsts[block], key) for key, block in wanted])
        rows = self.db.execute(_IN_BLOCK, (section,)).fetchall()
        return {key: (starts[block] + before, length) for (key, block), (before, length) in zip(wanted, rows)}

    def grow_blocks(self, section: int, growth: dict[str, int]) -> None:
        """Add to each block's total what its keys' spans grew by (negative: shrank), as the
        edit that changed them counted it: no span is read again."""
        firsts, totals = self._blocks(section)
        for key, block in _blocks_of(firsts, growth):
            totals[block] += growth[key]
        self.db.execute("UPDATE block_index SET totals = ? WHERE section = ?", (_bytes(totals), section))

    def _blocks(self, section: int) -> tuple[list[str], array]:
        if section not in self._index:
            row = self.db.execute("SELECT firsts, totals FROM block_index WHERE section = ?", (section,)).fetchone()
            self._index[section] = (json.loads(row[0]), _totals(row[1])) if row else ([], array("q"))
        return self._index[section]

    def _bounds(self, rows: list[tuple[str, str]]) -> None:
        """Key ranges for one statement to read, in a temporary table: bound as parameters,
        keys keep their NUL separators (SQLite's JSON functions would cut them there)."""
        self.db.execute("CREATE TEMP TABLE IF NOT EXISTS bounds (n INTEGER PRIMARY KEY, low TEXT, high TEXT)")
        self.db.execute("SAVEPOINT bounds")  # one transaction for the rows, not one each (outside a write)
        self.db.execute("DELETE FROM temp.bounds")
        self.db.executemany("INSERT INTO temp.bounds (low, high) VALUES (?, ?)", rows)
        self.db.execute("RELEASE bounds")


def _blocks_of(firsts: list[str], keys: Iterable[str]) -> list[tuple[str, int]]:
    """Each key with the block it falls in (a key before every block: the first)."""
    return [(key, max(bisect_right(firsts, key) - 1, 0)) for key in keys]


def _bytes(totals: array) -> bytes:
    if sys.byteorder == "big":  # the state is little-endian wherever it was written
        totals = array("q", totals)
        totals.byteswap()
    return totals.tobytes()


def _totals(data: bytes) -> array:
    totals = array("q", data)
    if sys.byteorder == "big":
        totals.byteswap()
    return totals


def index_blocks(db: sqlite3.Connection) -> None:
    """Bring a state of version 6 or 7 up to date: its ``blocks`` rows into ``block_index``."""
    if not db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'blocks'").fetchone():
        return
    for (section,) in db.execute("SELECT DISTINCT section FROM blocks").fetchall():
        rows = db.execute("SELECT first, total FROM blocks WHERE section = ? ORDER BY first", (section,)).fetchall()
        totals = array("q", [total for _, total in rows])
        db.execute(
            "INSERT OR REPLACE INTO block_index (section, firsts, totals) VALUES (?, ?, ?)",
            (section, json.dumps([first for first, _ in rows], ensure_ascii=False).encode(), _bytes(totals)),
        )
    db.execute("DROP TABLE blocks")
