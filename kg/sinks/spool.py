"""Pieces of the build files in, in any order; out sorted, in batches: a sort on disk.

A build of any size writes its articles' pieces (:mod:`kg.sinks.pieces`) here as they are
extracted, and the files are then written from ordered scans, so memory does not grow with
the corpus. The store is a temporary SQLite file beside the outputs (SQLite sorts on disk
within a fixed cache: the issue's "embedded store"; no server, standard library), removed
when the build is done. It also remembers which article ids were read (duplicates) and keeps
each claim's holder, target and stance, for the page's aggregated links
(:mod:`kg.sinks.overview`).

``kg build`` does not store the pieces in the spool itself: each process that extracts
(each worker of ``--workers N``, or kg itself with one) writes its own :class:`Shard`, a
SQLite file beside the spool, so the stores run on every core and kg only keeps the order
and the duplicates. The spool then attaches the shards (:meth:`Spool.attach`) and reads
them all at once, merged in key order: every read is ordered by a key that is unique (or an
aggregate), so which shard holds a piece, and in which order it was stored, does not matter.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, MutableMapping
from pathlib import Path

from kg.sinks.pieces import SEP, ArticlePieces

BATCH = 2000  # rows fetched at a time: a few MB of text
COMMIT_EVERY = 500  # articles per transaction: SQLite keeps a transaction's pages in its cache
PREFIX = ".kg-spool."  # .kg-spool.<pid>.sqlite, and its shards .kg-spool.<pid>.<shard pid>.sqlite
_PIECES = """
CREATE TABLE nodes (key TEXT NOT NULL, text BLOB NOT NULL);
CREATE TABLE edges (key TEXT NOT NULL, text BLOB NOT NULL);
CREATE TABLE claims (
    key TEXT NOT NULL, text BLOB NOT NULL, holder TEXT NOT NULL, target TEXT NOT NULL,
    stance TEXT NOT NULL, ord TEXT NOT NULL, article TEXT NOT NULL);
"""
_SCHEMA = "CREATE TABLE articles (id TEXT PRIMARY KEY, path TEXT NOT NULL, attrs TEXT);" + _PIECES
# a shard's articles by their number in it (a duplicate may share the id of one before it),
# with the rowids of each one's last node, edge and claim: its rows follow the previous one's
_SHARD_SCHEMA = (
    "CREATE TABLE articles (seq INTEGER PRIMARY KEY, id TEXT NOT NULL, path TEXT NOT NULL, attrs TEXT,"
    " nodes INTEGER NOT NULL, edges INTEGER NOT NULL, claims INTEGER NOT NULL);" + _PIECES
)
_PRAGMAS = ("journal_mode=OFF", "synchronous=OFF", "cache_size=-16384", "temp_store=FILE", "threads=0")


def _connect(path: Path, schema: str) -> sqlite3.Connection:
    path.unlink(missing_ok=True)
    db = sqlite3.connect(path, isolation_level=None)
    for pragma in _PRAGMAS:
        db.execute(f"PRAGMA {pragma}")  # a scratch file: nothing to protect, as fast as it goes
    db.executescript(schema)
    db.execute("BEGIN")
    return db


def _claim_rows(pieces: ArticlePieces) -> list[tuple]:
    article = pieces.article_id
    return [(c.key, c.line, c.holder, c.target, c.stance, c.order, article) for c in pieces.claims]


class _Reads:
    """The spool's reads: of its own tables and of every shard attached (``parts``)."""

    db: sqlite3.Connection
    parts: list[str]

    def sorted(self, table: str) -> Iterator[list[tuple[str, bytes]]]:
        """(key, text) of ``nodes`` or ``edges`` in key order, in batches."""
        assert table in ("nodes", "edges")
        return self._batches(self._union(f"SELECT key, text FROM {{}}.{table}") + " ORDER BY key")

    def claim_lines(self) -> Iterator[bytes]:
        """claims.jsonl's lines in order, in batches, each line ending in a newline."""
        for rows in self._batches(self._union("SELECT key, text FROM {}.claims") + " ORDER BY key"):
            yield b"\n".join([text for (_, text) in rows]) + b"\n"

    def claim_rows(self) -> Iterator[list[tuple[str, bytes]]]:
        """(key, line) of every claim in claims.jsonl's order, in batches."""
        return self._batches(self._union("SELECT key, text FROM {}.claims") + " ORDER BY key")

    def claims_by_file(self, files: set[str]) -> dict[str, list[tuple[str, bytes]]]:
        """(key, line) of the claims read from each of ``files`` (claims.jsonl's keys start
        with their file and ``SEP``), in one pass over the spool: a query per file would scan
        the unindexed claims once for each, which grows with the square of a big change."""
        found: dict[str, list[tuple[str, bytes]]] = {}
        for rows in self._batches(self._union("SELECT key, text FROM {}.claims")):
            for key, text in rows:
                file = key.partition(SEP)[0]
                if file in files:
                    found.setdefault(file, []).append((key, text))
        return found

    def paths(self) -> set[str]:
        """The files of the articles spooled."""
        return {path for (path,) in self.db.execute(self._union("SELECT path FROM {}.articles"))}

    def links(self, entities: set[str]) -> dict[tuple[str, str], Counter]:
        """Claims per stance of each link (holder → target) between two of ``entities``."""
        found: dict[tuple[str, str], Counter] = {}
        claims = self._union("SELECT holder, target, stance FROM {}.claims")
        rows = self.db.execute(f"SELECT holder, target, stance, count(*) FROM ({claims}) GROUP BY holder, target, stance")
        for holder, target, stance, count in rows:
            if holder in entities and target in entities:
                found.setdefault((holder, target), Counter())[stance] = count
        return found

    def latest_claims(self, per_link: int, links: Iterable[tuple[str, str]]) -> Iterator[tuple[str, str, bytes, str, str]]:
        """(holder, target, claim line, article attributes, article id) of the latest
        ``per_link`` claims of each of ``links`` (holder → target), link by link, latest first.

        Latest: by date, then article id and evidence start (``ord``); claims equal in all
        three are of one article, so in one shard, where their rowids are in the order
        they were read."""
        self.db.execute("DROP TABLE IF EXISTS temp.wanted")
        self.db.execute("CREATE TEMP TABLE wanted (holder TEXT, target TEXT, PRIMARY KEY (holder, target)) WITHOUT ROWID")
        self.db.executemany("INSERT OR IGNORE INTO temp.wanted VALUES (?, ?)", links)
        ranked = " UNION ALL ".join(
            f"""SELECT {n} AS p, rowid AS r, holder, target, ord FROM {part}.claims
                WHERE (holder, target) IN (SELECT holder, target FROM temp.wanted)"""
            for n, part in enumerate(self.parts)
        )
        self.db.execute("DROP TABLE IF EXISTS temp.picked")
        self.db.execute(
            f"""CREATE TEMP TABLE picked AS SELECT p, r, n FROM (
                    SELECT p, r, row_number() OVER (PARTITION BY holder, target ORDER BY ord DESC, r) AS n FROM ({ranked})
                ) WHERE n <= ?""",
            (per_link,),
        )
        fetched = " UNION ALL ".join(
            f"""SELECT c.holder, c.target, c.text, a.attrs, c.article, w.n FROM temp.picked AS w
                JOIN {part}.claims AS c ON w.p = {n} AND c.rowid = w.r JOIN {part}.articles AS a ON a.id = c.article"""
            for n, part in enumerate(self.parts)
        )
        return self.db.execute(f"SELECT holder, target, text, attrs, article FROM ({fetched}) ORDER BY holder, target, n")

    def _union(self, select: str) -> str:
        """``select`` (``{}`` standing for the database) of the spool and every shard."""
        return " UNION ALL ".join(select.format(part) for part in self.parts)

    def _batches(self, statement: str, parameters: tuple = ()) -> Iterator[list]:
        cursor = self.db.execute(statement, parameters)
        while rows := cursor.fetchmany(BATCH):
            yield rows


class Spool(_Reads):
    """A temporary SQLite file ``folder/.kg-spool.<pid>.sqlite``; use it in a ``with`` block."""

    def __init__(self, folder: Path):
        folder.mkdir(parents=True, exist_ok=True)
        _remove_strays(folder)
        self.folder = folder
        self.path = folder / f"{PREFIX}{os.getpid()}.sqlite"
        self.db = _connect(self.path, _SCHEMA)
        self.seen = _Seen(self.db)  # article id → path, for kg.pipeline.map_articles
        self.parts = ["main"]  # the databases read: the spool's own, then the shards attached
        self._attached: dict[str, str] = {}  # database name → shard file name
        self._pending = 0

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Close and remove the spool and the shards written for it."""
        self.db.close()
        self.path.unlink(missing_ok=True)
        for shard in self.folder.glob(f"{PREFIX}{os.getpid()}.*.sqlite"):
            shard.unlink(missing_ok=True)

    def add(self, pieces: ArticlePieces) -> None:
        article = pieces.article_id
        self.db.execute(
            "INSERT OR REPLACE INTO articles (id, path, attrs) VALUES (?, ?, ?)",
            (article, str(pieces.article.get("file")), json.dumps(pieces.article, ensure_ascii=False)),
        )
        self.db.executemany("INSERT INTO nodes VALUES (?, ?)", pieces.nodes)
        self.db.executemany("INSERT INTO edges VALUES (?, ?)", pieces.edges)
        self.db.executemany("INSERT INTO claims VALUES (?, ?, ?, ?, ?, ?, ?)", _claim_rows(pieces))
        self._pending += 1
        if self._pending >= COMMIT_EVERY:
            self.db.execute("COMMIT")
            self.db.execute("BEGIN")
            self._pending = 0

    def finish(self) -> None:
        """Commit what was added: call before reading."""
        if self.db.in_transaction:
            self.db.execute("COMMIT")

    def attach(self, shards: Iterable[str], dropped: Mapping[str, Iterable[int]] | None = None) -> None:
        """Read the shards (file names beside the spool, as :attr:`Shard.name`) with the
        spool from now on, without the articles ``dropped`` names (shard → their numbers in
        it, :meth:`Shard.add`): duplicates, which kg found to be read already."""
        self.finish()
        dropped = dropped or {}
        names = sorted(shards)
        limit = self.db.getlimit(sqlite3.SQLITE_LIMIT_ATTACHED)
        for n, name in enumerate(names):
            schema = f"shard{n}"
            self.db.execute(f"ATTACH DATABASE ? AS {schema}", (str(self.folder / name),))
            self._attached[schema] = name
            for pragma in _PRAGMAS[:2]:
                self.db.execute(f"PRAGMA {schema}.{pragma}")
            self.db.execute("BEGIN")
            for seq in dropped.get(name, ()):
                _drop(self.db, schema, seq)
            merge = len(self.parts) >= limit and n < len(names) - 1  # no room left for the ones to come
            if merge:
                _copy_into_main(self.db, schema)
            self.db.execute("COMMIT")
            if merge:
                self.db.execute(f"DETACH DATABASE {schema}")
                del self._attached[schema]
                (self.folder / name).unlink(missing_ok=True)
            else:
                self.parts.append(schema)

    def reader(self) -> SpoolReader:
        """The spool and its shards to open again (in a ``with`` block), to read in another
        process while this one reads too: kg build writes claims.jsonl and its page in one
        while it writes graph.json (:func:`kg.sinks.streamed.write_streamed`)."""
        self.finish()
        return SpoolReader(self.path, {part: self.folder / name for part, name in self._attached.items()})


class SpoolReader(_Reads):
    """A spool and its shards opened again, to read only: made anywhere (it holds only their
    paths), opened where it is used, by ``with``."""

    def __init__(self, path: Path, shards: Mapping[str, Path]):
        self.path, self.shards = path, dict(shards)
        self.parts = ["main", *self.shards]

    def __enter__(self) -> SpoolReader:
        self.db = sqlite3.connect(self.path, isolation_level=None)
        for pragma in _PRAGMAS[2:]:
            self.db.execute(f"PRAGMA {pragma}")
        for schema, shard in self.shards.items():
            self.db.execute(f"ATTACH DATABASE ? AS {schema}", (str(shard),))
        return self

    def __exit__(self, *exc) -> None:
        self.db.close()


class Shard:
    """One process's store of pieces for a spool: ``.kg-spool.<spool's pid>.<pid>.sqlite``
    beside it (``writer`` in place of the pid, for tests), written by that process alone,
    read by the spool once it is done (:meth:`Spool.attach`). Commit (:meth:`commit`)
    before telling the spool what is in it."""

    def __init__(self, folder: Path, owner: int, writer: int | None = None):
        self.pid = os.getpid()
        self.name = f"{PREFIX}{owner}.{writer or self.pid}.sqlite"
        self.db = _connect(folder / self.name, _SHARD_SCHEMA)
        self.seq = 0
        self._last = [0, 0, 0]  # rowid of the last node, edge and claim: rowids count up from 1

    def add(self, pieces: ArticlePieces) -> int:
        """Store one article's pieces; its number in the shard."""
        self.db.executemany("INSERT INTO nodes VALUES (?, ?)", pieces.nodes)
        self.db.executemany("INSERT INTO edges VALUES (?, ?)", pieces.edges)
        self.db.executemany("INSERT INTO claims VALUES (?, ?, ?, ?, ?, ?, ?)", _claim_rows(pieces))
        last = self._last
        last[0] += len(pieces.nodes)
        last[1] += len(pieces.edges)
        last[2] += len(pieces.claims)
        self.seq += 1
        self.db.execute(
            "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?)",
            (self.seq, pieces.article_id, str(pieces.article.get("file")), json.dumps(pieces.article, ensure_ascii=False), *last),
        )
        return self.seq

    def commit(self) -> None:
        self.db.execute("COMMIT")
        self.db.execute("BEGIN")

    def close(self) -> None:
        self.db.close()


def _drop(db: sqlite3.Connection, schema: str, seq: int) -> None:
    """Delete one article's rows from an attached shard."""
    ends = db.execute(f"SELECT nodes, edges, claims FROM {schema}.articles WHERE seq <= ? ORDER BY seq DESC LIMIT 2", (seq,)).fetchall()
    starts = ends[1] if len(ends) == 2 else (0, 0, 0)
    for table, start, end in zip(("nodes", "edges", "claims"), starts, ends[0], strict=True):
        db.execute(f"DELETE FROM {schema}.{table} WHERE rowid > ? AND rowid <= ?", (start, end))
    db.execute(f"DELETE FROM {schema}.articles WHERE seq = ?", (seq,))


def _copy_into_main(db: sqlite3.Connection, schema: str) -> None:
    """An attached shard's rows into the spool's own tables (more shards than SQLite attaches)."""
    for table in ("nodes", "edges", "claims"):
        db.execute(f"INSERT INTO main.{table} SELECT * FROM {schema}.{table}")
    db.execute(f"INSERT OR REPLACE INTO main.articles (id, path, attrs) SELECT id, path, attrs FROM {schema}.articles")


def _remove_strays(folder: Path) -> None:
    """Remove the spools and shards of builds killed before they could (their process is gone)."""
    for stray in folder.glob(f"{PREFIX}*.sqlite"):
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
