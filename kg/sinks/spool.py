"""Pieces of the build files in, in any order; out sorted, in batches: a sort on disk.

A build of any size writes its articles' pieces (:mod:`kg.sinks.pieces`) here as they are
extracted, and the files are then written from ordered scans, so memory does not grow with
the corpus. The store is a temporary SQLite file beside the outputs (SQLite sorts on disk
within a fixed cache: the issue's "embedded store"; no server, standard library), removed
when the build is done. It also remembers which article ids were read (duplicates) and keeps
each claim's holder, target and stance, for the page's aggregated links
(:mod:`kg.sinks.overview`).
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections import Counter
from collections.abc import Iterator, MutableMapping
from pathlib import Path

from kg.sinks.pieces import ArticlePieces

BATCH = 2000  # rows fetched at a time: a few MB of text
COMMIT_EVERY = 500  # articles per transaction: SQLite keeps a transaction's pages in its cache
_SCHEMA = """
CREATE TABLE articles (id TEXT PRIMARY KEY, path TEXT NOT NULL, attrs TEXT);
CREATE TABLE nodes (key TEXT NOT NULL, text BLOB NOT NULL);
CREATE TABLE edges (key TEXT NOT NULL, text BLOB NOT NULL);
CREATE TABLE claims (
    key TEXT NOT NULL, text BLOB NOT NULL, holder TEXT NOT NULL, target TEXT NOT NULL,
    stance TEXT NOT NULL, ord TEXT NOT NULL, article TEXT NOT NULL);
"""


class Spool:
    """A temporary SQLite file ``folder/.kg-spool.<pid>.sqlite``; use it in a ``with`` block."""

    def __init__(self, folder: Path):
        folder.mkdir(parents=True, exist_ok=True)
        _remove_strays(folder)
        self.path = folder / f".kg-spool.{os.getpid()}.sqlite"
        self.path.unlink(missing_ok=True)
        self.db = sqlite3.connect(self.path, isolation_level=None)
        for pragma in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-16384", "temp_store=FILE", "threads=0"):
            self.db.execute(f"PRAGMA {pragma}")  # a scratch file: nothing to protect, as fast as it goes
        self.db.executescript(_SCHEMA)
        self.seen = _Seen(self.db)  # article id → path, for kg.pipeline.map_articles
        self._pending = 0
        self.db.execute("BEGIN")

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()
        self.path.unlink(missing_ok=True)

    def add(self, pieces: ArticlePieces) -> None:
        article = pieces.article_id
        self.db.execute(
            "INSERT OR REPLACE INTO articles (id, path, attrs) VALUES (?, ?, ?)",
            (article, str(pieces.article.get("file")), json.dumps(pieces.article, ensure_ascii=False)),
        )
        self.db.executemany("INSERT INTO nodes VALUES (?, ?)", pieces.nodes)
        self.db.executemany("INSERT INTO edges VALUES (?, ?)", pieces.edges)
        self.db.executemany(
            "INSERT INTO claims VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(c.key, c.line, c.holder, c.target, c.stance, c.order, article) for c in pieces.claims],
        )
        self._pending += 1
        if self._pending >= COMMIT_EVERY:
            self.db.execute("COMMIT")
            self.db.execute("BEGIN")
            self._pending = 0

    def finish(self) -> None:
        """Commit what was added: call before reading."""
        if self.db.in_transaction:
            self.db.execute("COMMIT")

    def sorted(self, table: str) -> Iterator[list[tuple[str, bytes]]]:
        """(key, text) of ``nodes`` or ``edges`` in key order, in batches."""
        assert table in ("nodes", "edges")
        return self._batches(f"SELECT key, text FROM {table} ORDER BY key")

    def claim_lines(self) -> Iterator[bytes]:
        """claims.jsonl's lines in order, in batches, each line ending in a newline."""
        for rows in self._batches("SELECT text FROM claims ORDER BY key"):
            yield b"\n".join([text for (text,) in rows]) + b"\n"

    def claim_rows(self) -> Iterator[list[tuple[str, bytes]]]:
        """(key, line) of every claim in claims.jsonl's order, in batches."""
        return self._batches("SELECT key, text FROM claims ORDER BY key")

    def claims_of_file(self, file: str) -> Iterator[tuple[str, bytes]]:
        """(key, line) of the claims read from one file (claims.jsonl's keys start with it)."""
        return self.db.execute("SELECT key, text FROM claims WHERE key > ? AND key < ?", (file + "\x00", file + "\x01"))

    def paths(self) -> set[str]:
        """The files of the articles spooled."""
        return {path for (path,) in self.db.execute("SELECT DISTINCT path FROM articles")}

    def links(self, entities: set[str]) -> dict[tuple[str, str], Counter]:
        """Claims per stance of each link (holder → target) between two of ``entities``."""
        found: dict[tuple[str, str], Counter] = {}
        rows = self.db.execute("SELECT holder, target, stance, count(*) FROM claims GROUP BY holder, target, stance")
        for holder, target, stance, count in rows:
            if holder in entities and target in entities:
                found.setdefault((holder, target), Counter())[stance] = count
        return found

    def latest_claims(self, per_link: int) -> Iterator[tuple[str, str, bytes, str, str]]:
        """(holder, target, claim line, article attributes, article id) of the latest
        ``per_link`` claims of every link, link by link, latest first."""
        return self.db.execute(
            """SELECT c.holder, c.target, c.text, a.attrs, c.article FROM (
                   SELECT rowid AS r, row_number() OVER (PARTITION BY holder, target ORDER BY ord DESC) AS n FROM claims
               ) AS w JOIN claims AS c ON c.rowid = w.r JOIN articles AS a ON a.id = c.article
               WHERE w.n <= ? ORDER BY c.holder, c.target, w.n""",
            (per_link,),
        )

    def _batches(self, statement: str, parameters: tuple = ()) -> Iterator[list]:
        cursor = self.db.execute(statement, parameters)
        while rows := cursor.fetchmany(BATCH):
            yield rows


def _remove_strays(folder: Path) -> None:
    """Remove the spools of builds killed before they could (their process is gone)."""
    for stray in folder.glob(".kg-spool.*.sqlite"):
        pid = stray.name.split(".")[2]
        if pid.isdigit() and not process_running(int(pid)):
            stray.unlink(missing_ok=True)


def process_running(pid: int) -> bool:
    """Is process ``pid`` alive (another user's counts as alive)? A file it left is then
    still in use."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class _Seen(MutableMapping):
    """The article ids read so far, on disk (a dict would grow with the corpus)."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __getitem__(self, article_id: str) -> str:
        row = self.db.execute("SELECT path FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            raise KeyError(article_id)
        return row[0]

    def __contains__(self, article_id: object) -> bool:
        return self.db.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone() is not None

    def __setitem__(self, article_id: str, path: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO articles (id, path) VALUES (?, ?)", (article_id, path))

    def __delitem__(self, article_id: str) -> None:
        self.db.execute("DELETE FROM articles WHERE id = ?", (article_id,))

    def __iter__(self) -> Iterator[str]:
        return (row[0] for row in self.db.execute("SELECT id FROM articles"))

    def __len__(self) -> int:
        return self.db.execute("SELECT count(*) FROM articles").fetchone()[0]
